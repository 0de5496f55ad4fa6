//! Team-admin impersonation: `GET /api/public/coworkers/profiles` lists the team members the
//! signed-in customer may act for, and `GET /api/public/coworkers/{id}/impersonate` gives a team
//! admin a one-time JWT for one of them, exchanged like any other
//! (`POST /api/sys/users/exchange`).

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use serde_json::{json, Value};

use crate::action::DENIED;
use crate::clock::now;
use crate::jwt::{self, Actor};
use crate::reply::{bearer, json, message};
use crate::state::{AppState, Inner, ONE_TIME_JWT_TTL};
use crate::users::User;

/// `Message` of the 403 for a customer who administers no team.
pub const NOT_ADMIN: &str = "Only a team administrator can act for other coworkers.";
/// `Message` of the 403 for a coworker outside the admin's team.
pub const NOT_IN_TEAM: &str = "This coworker is not a member of your team.";

fn profile(u: &User) -> Value {
    json!({"Id": u.id, "FullName": u.name, "Email": u.email})
}

/// `GET /api/public/coworkers/profiles` with a bearer → 200 `{"Profiles":[{Id,FullName,Email}]}`,
/// the members of the team the customer administers (an empty list for everyone else); no or
/// invalid bearer → 401.
pub async fn get_profiles(State(state): State<Arc<AppState>>, headers: HeaderMap) -> Response {
    let g = state.lock();
    let Some(user) = g.bearer_user(bearer(&headers)) else {
        return message(StatusCode::UNAUTHORIZED, DENIED);
    };
    let profiles: Vec<Value> = g
        .users
        .iter()
        .filter(|m| user.team.contains(&m.id))
        .map(profile)
        .collect();
    json(StatusCode::OK, &json!({ "Profiles": profiles }))
}

/// `GET /api/public/coworkers/{coworkerId}/impersonate` with a team admin's bearer → 200
/// `{"token"}`: a one-time JWT for that member (5 min, single use, `act.sub` = the admin).
///
/// No or invalid bearer → 401; a customer who administers no team, or an id outside the team
/// (unknown ids included) → 403; an id that is not a number → 404.
pub async fn get_impersonate(
    State(state): State<Arc<AppState>>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Response {
    let now = now();
    let mut g = state.lock();
    let Some(admin) = g.bearer_user(bearer(&headers)) else {
        return message(StatusCode::UNAUTHORIZED, DENIED);
    };
    let Ok(id) = id.parse::<u64>() else {
        return message(StatusCode::NOT_FOUND, "No coworker with this id.");
    };
    if !admin.is_team_admin() {
        return message(StatusCode::FORBIDDEN, NOT_ADMIN);
    }
    let member = admin
        .team
        .contains(&id)
        .then(|| g.users.iter().find(|u| u.id == id).cloned())
        .flatten();
    let Some(member) = member else {
        return message(StatusCode::FORBIDDEN, NOT_IN_TEAM);
    };
    let mut claims = Inner::one_time_claims(&member.email, ONE_TIME_JWT_TTL, now);
    claims.act = Some(Actor { sub: admin.email });
    g.stats.impersonate += 1;
    json(
        StatusCode::OK,
        &json!({ "token": jwt::sign(&g.secret, &claims) }),
    )
}
