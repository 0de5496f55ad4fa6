//! `POST /api/sys/users/exchange`: one-time JWT → bearer + refresh token, and the JWT checks.

use std::sync::Arc;

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::Response;
use serde_json::Value;

use crate::clock::now;
use crate::jwt::{self, JwtError};
use crate::reply::{client_id_header, json, message, query_get};
use crate::state::{AppState, Inner, SPACE_AUDIENCE};

/// Why a one-time JWT was refused: HTTP status and `Message`.
pub type Refusal = (StatusCode, &'static str);

/// Checks a one-time JWT without consuming it; returns `(email, jti)`.
///
/// Bad signature or foreign `aud` → 401; missing, malformed, wrong type, expired or used → 400.
pub fn check_one_time(g: &Inner, token: &str, now: f64) -> Result<(String, String), Refusal> {
    let claims = match jwt::verify(&g.secret, token) {
        Ok(c) => c,
        Err(JwtError::Malformed) => {
            return Err((StatusCode::BAD_REQUEST, "The token is malformed."))
        }
        Err(JwtError::BadSignature) => {
            return Err((StatusCode::UNAUTHORIZED, "The token signature is invalid."))
        }
    };
    let aud_ok = match claims.get("aud") {
        Some(Value::String(a)) => a == SPACE_AUDIENCE,
        Some(Value::Array(a)) => a.iter().any(|v| v.as_str() == Some(SPACE_AUDIENCE)),
        _ => false,
    };
    if !aud_ok {
        return Err((
            StatusCode::UNAUTHORIZED,
            "The token was issued for another space.",
        ));
    }
    if jwt::str_claim(&claims, "typ") != Some("one-time") {
        return Err((
            StatusCode::BAD_REQUEST,
            "The token is not a one-time token.",
        ));
    }
    let (Some(email), Some(jti), Some(exp)) = (
        jwt::str_claim(&claims, "email"),
        jwt::str_claim(&claims, "jti"),
        jwt::num_claim(&claims, "exp"),
    ) else {
        return Err((StatusCode::BAD_REQUEST, "The token is malformed."));
    };
    if now >= exp {
        return Err((StatusCode::BAD_REQUEST, "The token has expired."));
    }
    if g.used_jti.contains(jti) {
        return Err((StatusCode::BAD_REQUEST, "The token has already been used."));
    }
    match g.user(email) {
        None => Err((
            StatusCode::BAD_REQUEST,
            "The user of this token does not exist.",
        )),
        Some(u) if u.suspended => Err((StatusCode::BAD_REQUEST, "The account has been suspended.")),
        Some(u) => Ok((u.email.clone(), jti.to_owned())),
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
    let (email, jti) = match check_one_time(g, &token, now) {
        Ok(ok) => ok,
        Err((status, text)) => return message(status, text),
    };
    g.used_jti.insert(jti);
    let client_id = client_id_header(headers).unwrap_or_else(|| email.clone());
    let ttl = g.access_ttl_override(&client_id).unwrap_or(minutes * 60);
    let body = g.token_response(&email, &client_id, ttl, now);
    // The exchange names the access token `token`, not `access_token`.
    let body: serde_json::Map<String, Value> = match body {
        Value::Object(map) => map
            .into_iter()
            .map(|(k, v)| {
                if k == "access_token" {
                    ("token".to_owned(), v)
                } else {
                    (k, v)
                }
            })
            .collect(),
        other => return json(StatusCode::OK, &other),
    };
    let body = Value::Object(body);
    json(StatusCode::OK, &body)
}
