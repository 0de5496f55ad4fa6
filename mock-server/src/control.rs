//! Mock-only control endpoints (`/mock/*`) for the demo page and the tests.

use std::collections::HashMap;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use serde_json::{json, Map, Value};

use crate::clock::now;
use crate::reply::{json, lenient_object, origin_of, url_encode};
use crate::state::{random_token, AppState, Inner, ONE_TIME_JWT_TTL};
use crate::users::UserKind;
use crate::{jwt, totp};

fn bad(msg: &str) -> Response {
    json(StatusCode::BAD_REQUEST, &json!({ "error": msg }))
}

fn body_object(body: &[u8]) -> Result<Map<String, Value>, &'static str> {
    lenient_object(body).ok_or("body must be a JSON object")
}

/// `GET /mock/users`: the demo users with their coworker id, current password, (bob) current
/// TOTP code, and (alice) the team she administers.
pub async fn get_users(State(state): State<Arc<AppState>>) -> Response {
    let g = state.lock();
    let t = now() as u64;
    let list: Vec<Value> = g
        .users
        .iter()
        .map(|u| {
            let mut v = json!({
                "email": u.email, "password": u.password, "kind": u.kind(), "name": u.name,
                "id": u.id, "teamAdmin": u.is_team_admin(),
            });
            if u.is_team_admin() {
                let team: Vec<&str> = g
                    .users
                    .iter()
                    .filter(|m| u.team.contains(&m.id))
                    .map(|m| m.email.as_str())
                    .collect();
                v["team"] = json!(team);
            }
            if let Some(code) = u.totp_secret.and_then(|s| totp::code_at(s, t)) {
                v["kind"] = json!(UserKind::Totp);
                v["totp"] = json!(code);
                v["totpSecret"] = json!(u.totp_secret);
            }
            v
        })
        .collect();
    json(StatusCode::OK, &Value::Array(list))
}

/// `GET /mock/totp/{email}`: `{"code"}` for a TOTP user, 404 otherwise.
pub async fn get_totp(State(state): State<Arc<AppState>>, Path(email): Path<String>) -> Response {
    let g = state.lock();
    let secret = g.user(&email).and_then(|u| u.totp_secret);
    match secret.and_then(|s| totp::code_at(s, now() as u64)) {
        Some(code) => {
            let secs_left = totp::STEP - (now() as u64 % totp::STEP);
            json(
                StatusCode::OK,
                &json!({"code": code, "validForSeconds": secs_left}),
            )
        }
        None => json(
            StatusCode::NOT_FOUND,
            &json!({"error": "no TOTP user with this email"}),
        ),
    }
}

/// `POST /mock/one-time-jwt` `{email, expiresInSeconds?, variant?}` → `{"token"}`.
pub async fn post_one_time_jwt(State(state): State<Arc<AppState>>, body: Bytes) -> Response {
    let obj = match body_object(&body) {
        Ok(o) => o,
        Err(e) => return bad(e),
    };
    let Some(email) = obj
        .get("email")
        .and_then(Value::as_str)
        .filter(|e| !e.is_empty())
    else {
        return bad("email is required");
    };
    let ttl = match obj.get("expiresInSeconds") {
        None | Some(Value::Null) => ONE_TIME_JWT_TTL,
        Some(v) => match v.as_u64() {
            Some(n) => n,
            None => return bad("expiresInSeconds must be a non-negative integer"),
        },
    };
    let variant = obj.get("variant").and_then(Value::as_str).unwrap_or("ok");
    let now = now();
    let g = state.lock();
    let email = g
        .user(email)
        .map(|u| u.email.clone())
        .unwrap_or_else(|| email.to_owned());
    let mut claims = Inner::one_time_claims(&email, ttl, now);
    let token = match variant {
        "ok" => jwt::sign(&g.secret, &claims),
        "expired" => {
            claims.iat = claims.iat.saturating_sub(ONE_TIME_JWT_TTL + 60);
            claims.exp = (now as u64).saturating_sub(60);
            jwt::sign(&g.secret, &claims)
        }
        "other_space" => {
            claims.aud = Some(json!("other-space"));
            jwt::sign(&g.secret, &claims)
        }
        "bad_signature" => jwt::sign(random_token(32).as_bytes(), &claims),
        _ => return bad("variant must be ok, bad_signature, other_space or expired"),
    };
    json(StatusCode::OK, &json!({ "token": token }))
}

/// `POST /mock/magic-link` `{email}`: emails a sign-in link `<origin>/?token=<one-time JWT>`.
pub async fn post_magic_link(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let obj = match body_object(&body) {
        Ok(o) => o,
        Err(e) => return bad(e),
    };
    let Some(email) = obj.get("email").and_then(Value::as_str) else {
        return bad("email is required");
    };
    let mut g = state.lock();
    let Some(email) = g.user(email).map(|u| u.email.clone()) else {
        // Like a real mailer: no hint whether the address has an account.
        return json(StatusCode::OK, &json!({"to": email, "sent": false}));
    };
    let token = g.one_time_jwt(&email, ONE_TIME_JWT_TTL, now());
    let link = format!("{}/?token={}", origin_of(&headers), url_encode(&token));
    g.push_email(&email, "Your sign-in link", link.clone(), token.clone());
    json(
        StatusCode::OK,
        &json!({"to": email, "link": link, "token": token}),
    )
}

/// `POST /mock/rebilly/token` `{customerId?}` → `{"token"}` for the Rebilly exchange.
pub async fn post_rebilly_token(State(state): State<Arc<AppState>>, body: Bytes) -> Response {
    let obj = match body_object(&body) {
        Ok(o) => o,
        Err(e) => return bad(e),
    };
    let customer = match obj.get("customerId") {
        None | Some(Value::Null) => "cus_mock_alice".to_owned(),
        Some(Value::String(s)) if !s.is_empty() => s.clone(),
        Some(_) => return bad("customerId must be a non-empty string"),
    };
    let token = random_token(20);
    state
        .lock()
        .rebilly_tokens
        .insert(token.clone(), customer.clone());
    json(
        StatusCode::OK,
        &json!({"token": token, "customerId": customer}),
    )
}

/// `GET /mock/stats`: request counters.
pub async fn get_stats(State(state): State<Arc<AppState>>) -> Response {
    let stats = serde_json::to_value(&state.lock().stats).unwrap_or_default();
    json(StatusCode::OK, &stats)
}

/// `POST /mock/reset`: counters, faults, tokens, outbox, log and settings cleared; users restored.
pub async fn post_reset(State(state): State<Arc<AppState>>) -> Response {
    state.reset();
    json(StatusCode::OK, &json!({"ok": true}))
}

/// `POST /mock/revoke` `{clientId}`: every refresh token bound to that client_id dies, as when
/// the customer is signed out on the server (the next refresh answers `invalid_grant`).
pub async fn post_revoke(State(state): State<Arc<AppState>>, body: Bytes) -> Response {
    revoke_for_client(
        &state,
        &body,
        |inner| &mut inner.refresh_tokens,
        |g| &g.client_id,
    )
}

/// `POST /mock/revoke-access` `{clientId}`: every access token issued to that client_id is refused
/// from now on (401 on protected routes), as when the server ends a session early; its refresh
/// tokens still work, so a client can recover by refreshing.
pub async fn post_revoke_access(State(state): State<Arc<AppState>>, body: Bytes) -> Response {
    revoke_for_client(
        &state,
        &body,
        |inner| &mut inner.access_tokens,
        |g| &g.client_id,
    )
}

/// The body of both revoke endpoints: drops every grant of the token table `tokens` picks whose
/// client id (`client_of`) is the body's `clientId`; answers `{revoked: n}`, or 400 for a body
/// without a string `clientId`.
fn revoke_for_client<G>(
    state: &AppState,
    body: &[u8],
    tokens: fn(&mut Inner) -> &mut HashMap<String, G>,
    client_of: fn(&G) -> &str,
) -> Response {
    let obj = match body_object(body) {
        Ok(o) => o,
        Err(e) => return bad(e),
    };
    let Some(client_id) = obj.get("clientId").and_then(Value::as_str) else {
        return bad("clientId must be a string");
    };
    let mut inner = state.lock();
    let table = tokens(&mut inner);
    let before = table.len();
    table.retain(|_, g| client_of(g) != client_id);
    let revoked = before - table.len();
    json(StatusCode::OK, &json!({ "revoked": revoked }))
}

/// `POST /mock/reset-user` `{email}`: that demo user back to its initial state (password,
/// must-reset flag, 2FA), without touching anyone else's tokens.
pub async fn post_reset_user(State(state): State<Arc<AppState>>, body: Bytes) -> Response {
    let obj = match body_object(&body) {
        Ok(o) => o,
        Err(e) => return bad(e),
    };
    let Some(email) = obj.get("email").and_then(Value::as_str) else {
        return bad("email must be a string");
    };
    let Some(initial) = crate::users::demo_users()
        .into_iter()
        .find(|u| u.email.eq_ignore_ascii_case(email))
    else {
        return json(
            StatusCode::NOT_FOUND,
            &json!({ "error": "no such demo user" }),
        );
    };
    let mut inner = state.lock();
    match inner.user_mut(email) {
        Some(user) => *user = initial,
        None => {
            return json(
                StatusCode::NOT_FOUND,
                &json!({ "error": "no such demo user" }),
            )
        }
    }
    json(StatusCode::OK, &json!({ "ok": true }))
}

/// `GET /mock/config`: current lifetimes.
pub async fn get_config(State(state): State<Arc<AppState>>) -> Response {
    let settings = serde_json::to_value(&state.lock().settings).unwrap_or_default();
    json(StatusCode::OK, &settings)
}

/// `POST /mock/config` `{accessTtlSeconds?, clientId?, refreshTtlSeconds?, resetTokenTtlSeconds?,
/// portalTokenTtlSeconds?, mediaTokenTtlSeconds?}`. With `clientId`, `accessTtlSeconds` applies to that client only
/// (`null` removes the override).
pub async fn post_config(State(state): State<Arc<AppState>>, body: Bytes) -> Response {
    let obj = match body_object(&body) {
        Ok(o) => o,
        Err(e) => return bad(e),
    };
    let secs = |name: &str| -> Result<Option<u64>, String> {
        match obj.get(name) {
            None | Some(Value::Null) => Ok(None),
            Some(v) => match v.as_u64() {
                Some(n) if n >= 1 => Ok(Some(n)),
                _ => Err(format!("{name} must be an integer >= 1")),
            },
        }
    };
    let names = [
        "accessTtlSeconds",
        "refreshTtlSeconds",
        "resetTokenTtlSeconds",
        "portalTokenTtlSeconds",
        "mediaTokenTtlSeconds",
    ];
    let [access, refresh, reset, portal, media] = match names.map(secs) {
        [Ok(a), Ok(b), Ok(c), Ok(d), Ok(e)] => [a, b, c, d, e],
        values => {
            let first_error = values.into_iter().find_map(Result::err);
            return bad(&first_error.unwrap_or_default());
        }
    };
    let client_id = match obj.get("clientId") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s.clone()),
        Some(_) => return bad("clientId must be a string"),
    };
    let mut g = state.lock();
    let s = &mut g.settings;
    match (client_id, access) {
        (Some(id), Some(ttl)) => {
            s.access_ttl_by_client_id.insert(id, ttl);
        }
        (Some(id), None) => {
            s.access_ttl_by_client_id.remove(&id);
        }
        (None, Some(ttl)) => {
            s.access_ttl_seconds = ttl;
            s.access_ttl_overridden = true;
        }
        (None, None) => {}
    }
    if let Some(v) = refresh {
        s.refresh_ttl_seconds = v;
    }
    if let Some(v) = reset {
        s.reset_token_ttl_seconds = v;
    }
    if let Some(v) = portal {
        s.portal_token_ttl_seconds = v;
    }
    if let Some(v) = media {
        s.media_token_ttl_seconds = v;
    }
    json(
        StatusCode::OK,
        &serde_json::to_value(&*s).unwrap_or_default(),
    )
}
