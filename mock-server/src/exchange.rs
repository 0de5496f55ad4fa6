//! `POST /api/sys/users/exchange`: one-time JWT → bearer + refresh token, and the JWT checks.

use std::sync::Arc;

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::Response;
use serde_json::json;

use crate::clock::now;
use crate::jwt::{self, JwtError};
use crate::reply::{client_id_header, json, message, query_get};
use crate::state::{AppState, Inner, SPACE_AUDIENCE};
use crate::users::User;

/// Why a one-time JWT was refused: HTTP status and `Message`.
pub type Refusal = (StatusCode, &'static str);

/// Checks a one-time JWT without consuming it; returns its user and `jti`.
///
/// Bad signature or foreign (or missing) `aud` → 401; malformed, wrong type, expired, used, or an
/// unknown or suspended user → 400.
pub fn check_one_time(g: &Inner, token: &str) -> Result<(User, String), Refusal> {
    let claims = jwt::verify(&g.secret, token, Some(SPACE_AUDIENCE)).map_err(|e| match e {
        JwtError::Malformed => (StatusCode::BAD_REQUEST, "The token is malformed."),
        JwtError::BadSignature => (StatusCode::UNAUTHORIZED, "The token signature is invalid."),
        JwtError::WrongAudience => (
            StatusCode::UNAUTHORIZED,
            "The token was issued for another space.",
        ),
        JwtError::Expired => (StatusCode::BAD_REQUEST, "The token has expired."),
    })?;
    if claims.typ != jwt::TYP_ONE_TIME {
        return Err((
            StatusCode::BAD_REQUEST,
            "The token is not a one-time token.",
        ));
    }
    let Some(email) = claims.email.as_deref() else {
        return Err((StatusCode::BAD_REQUEST, "The token is malformed."));
    };
    if g.used_jti.contains(&claims.jti) {
        return Err((StatusCode::BAD_REQUEST, "The token has already been used."));
    }
    match g.user(email) {
        None => Err((
            StatusCode::BAD_REQUEST,
            "The user of this token does not exist.",
        )),
        Some(u) if u.suspended => Err((StatusCode::BAD_REQUEST, "The account has been suspended.")),
        Some(u) => Ok((u.clone(), claims.jti)),
    }
}

/// `POST /api/sys/users/exchange?token=<jwt>&validForInMinutes=<n>` (no body, no auth).
pub async fn post_exchange(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    uri: Uri,
) -> Response {
    let now = now();
    let mut g = state.lock();
    g.stats.exchange += 1;
    let resp = exchange(&mut g, &headers, &uri, now);
    if resp.status() != StatusCode::OK {
        g.stats.failed_exchange += 1;
    }
    resp
}

fn exchange(g: &mut Inner, headers: &HeaderMap, uri: &Uri, now: f64) -> Response {
    let Some(token) = query_get(uri, "token").filter(|t| !t.is_empty()) else {
        return message(StatusCode::BAD_REQUEST, "The token is missing.");
    };
    let minutes = match query_get(uri, "validForInMinutes") {
        None => 1440,
        Some(v) => match v.trim().parse::<u64>() {
            Ok(n) if n > 0 => n,
            _ => {
                return message(
                    StatusCode::BAD_REQUEST,
                    "validForInMinutes must be a positive integer.",
                )
            }
        },
    };
    let (user, jti) = match check_one_time(g, &token) {
        Ok(ok) => ok,
        Err((status, text)) => return message(status, text),
    };
    g.used_jti.insert(jti);
    let client_id = client_id_header(headers).unwrap_or_else(|| user.email.clone());
    let ttl = g.access_ttl_override(&client_id).unwrap_or(minutes * 60);
    let (access, refresh) = g.issue_session(&user, &client_id, ttl, now);
    // The exchange names the access token `token`, not `access_token`.
    let body = json!({"token": access, "token_type": "bearer", "expires_in": ttl, "refresh_token": refresh});
    json(StatusCode::OK, &body)
}
