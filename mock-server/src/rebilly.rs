//! `POST /rebilly/organizations/{org}/authentication-tokens/{token}/exchange` (Rebilly customer JWT).

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use serde_json::{json, Map, Value};

use crate::clock::{iso8601, now};
use crate::jwt::{self, Claims};
use crate::reply::{header_str, media_type, raw};
use crate::reqlog;
use crate::state::{random_token, AppState};

/// An RFC 7807 problem response (`application/problem+json`).
fn problem(status: StatusCode, title: &str, detail: &str, instance: &str) -> Response {
    let slug = title.to_ascii_lowercase().replace(' ', "-");
    let body = json!({
        "type": format!("https://api.rebilly.com/errors/{slug}"),
        "title": title, "status": status.as_u16(), "detail": detail, "instance": instance,
    });
    raw(status, "application/problem+json", body.to_string())
}

/// The exchange. Needs `Authorization` (any non-empty publishable key) and a JSON body.
pub async fn post_exchange(
    State(state): State<Arc<AppState>>,
    Path((org, token)): Path<(String, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let instance = reqlog::mask_path(&format!(
        "/organizations/{org}/authentication-tokens/{token}/exchange"
    ));
    let bad = |detail: &str| problem(StatusCode::BAD_REQUEST, "Bad Request", detail, &instance);
    if header_str(&headers, "authorization").is_none_or(|v| v.trim().is_empty()) {
        let detail = "The Authorization header with a publishable API key is required.";
        return problem(StatusCode::UNAUTHORIZED, "Unauthorized", detail, &instance);
    }
    if media_type(&headers) != "application/json" {
        let detail = "Content-Type must be application/json.";
        return problem(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "Unsupported Media Type",
            detail,
            &instance,
        );
    }
    let obj: Map<String, Value> = if body.iter().all(u8::is_ascii_whitespace) {
        Map::new()
    } else {
        match serde_json::from_slice(&body) {
            Ok(Value::Object(m)) => m,
            _ => return bad("The request body must be a JSON object."),
        }
    };
    let invalidate = match obj.get("invalidate") {
        None | Some(Value::Null) => true,
        Some(Value::Bool(b)) => *b,
        Some(_) => return bad("invalidate must be a boolean."),
    };
    match obj.get("oneTimePassword") {
        None | Some(Value::Null) => {}
        Some(Value::String(s)) if s.len() == 6 && s.bytes().all(|b| b.is_ascii_digit()) => {}
        Some(_) => return bad("oneTimePassword must be 6 digits."),
    }
    let expired_time = match obj.get("expiredTime") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s.clone()),
        Some(_) => return bad("expiredTime must be an ISO 8601 date-time string."),
    };
    let now = now();
    let mut g = state.lock();
    g.stats.rebilly_exchange += 1;
    let Some(customer_id) = g.rebilly_tokens.get(&token).cloned() else {
        let detail = "The authentication token is invalid, expired or was already used.";
        return problem(StatusCode::UNAUTHORIZED, "Unauthorized", detail, &instance);
    };
    if invalidate {
        g.rebilly_tokens.remove(&token);
    }
    let expires = now + 3600.0;
    let claims = Claims {
        org: Some(org),
        ..Claims::new(jwt::TYP_REBILLY, &customer_id, now, 3600)
    };
    let jwt = jwt::sign(&g.secret, &claims);
    drop(g);
    let created = iso8601(now);
    let body = json!({
        "id": format!("ses_{}", random_token(9)),
        "type": "customer",
        "token": jwt,
        "customerId": customer_id,
        "acl": obj.get("acl").cloned().unwrap_or_else(|| json!([{"scope": {}, "permissions": ["*"]}])),
        "customClaims": obj.get("customClaims").cloned().unwrap_or_else(|| json!({})),
        "createdTime": created,
        "updatedTime": created,
        "expiredTime": expired_time.unwrap_or_else(|| iso8601(expires)),
    });
    raw(
        StatusCode::CREATED,
        "application/json; charset=utf-8",
        body.to_string(),
    )
}
