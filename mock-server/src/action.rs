//! Authenticated and ActionConfirmation endpoints: the one-time server token, the customer
//! profile, and the password-reset flow.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use serde_json::{json, Value};

use crate::clock::now;
use crate::reply::{action, bearer, json, json_object, message, origin_of};
use crate::state::{random_token, AppState, Expiring, ONE_TIME_JWT_TTL};

/// The `Message` of every 401 for a missing, invalid, expired or revoked bearer.
pub const DENIED: &str = "Authorization has been denied for this request.";

/// `POST /api/sys/users/token/refresh`: issues an opaque portal token `t` (60 s, single use).
pub async fn post_server_token(State(state): State<Arc<AppState>>, headers: HeaderMap) -> Response {
    let now = now();
    let mut g = state.lock();
    let Some(email) = g.bearer_user(bearer(&headers)).map(|u| u.email) else {
        return message(StatusCode::UNAUTHORIZED, DENIED);
    };
    let t = random_token(24);
    let expires_at = now + g.settings.portal_token_ttl_seconds as f64;
    g.portal_tokens
        .insert(t.clone(), Expiring { email, expires_at });
    g.stats.one_time += 1;
    action(StatusCode::OK, true, Some(&t), None, None)
}

/// `GET /api/public/billing/customer`: the signed-in customer's profile.
pub async fn get_customer(State(state): State<Arc<AppState>>, headers: HeaderMap) -> Response {
    let g = state.lock();
    match g.bearer_user(bearer(&headers)) {
        Some(u) => json(
            StatusCode::OK,
            &json!({"Id": u.id, "FullName": u.name, "Email": u.email}),
        ),
        None => message(StatusCode::UNAUTHORIZED, DENIED),
    }
}

/// `POST /api/sys/users/startPasswordReset` with JSON `{email, businessId}`.
///
/// Always 200 for a well-formed request, whether or not the email exists.
pub async fn post_start_reset(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let Some(obj) = json_object(&headers, &body) else {
        return bad_json();
    };
    let Some(email) = obj.get("email").and_then(Value::as_str) else {
        return action(
            StatusCode::BAD_REQUEST,
            false,
            None,
            Some("The email is required."),
            None,
        );
    };
    let now = now();
    let mut g = state.lock();
    if let Some(user) = g.user(email).cloned() {
        g.send_reset_email(&user.email, &origin_of(&headers), now);
    }
    action(
        StatusCode::OK,
        true,
        None,
        Some("If the email is registered, a password reset link has been sent."),
        None,
    )
}

/// The password policy: at least 8 characters, an upper-case letter and a digit.
pub fn policy_errors(password: &str) -> Vec<&'static str> {
    let mut errors = Vec::new();
    if password.chars().count() < 8 {
        errors.push("The password must be at least 8 characters long.");
    }
    if !password.chars().any(|c| c.is_uppercase()) {
        errors.push("The password must contain at least one upper-case letter.");
    }
    if !password.chars().any(|c| c.is_ascii_digit()) {
        errors.push("The password must contain at least one digit.");
    }
    errors
}

/// `POST /api/sys/users/completePasswordReset` with JSON `{Token, Password, BusinessId}` (PascalCase).
pub async fn post_complete_reset(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let Some(obj) = json_object(&headers, &body) else {
        return bad_json();
    };
    let invalid = || {
        let text = "The token is invalid or has expired";
        action(StatusCode::BAD_REQUEST, false, None, Some(text), None)
    };
    let now = now();
    let mut g = state.lock();
    let token = obj.get("Token").and_then(Value::as_str).unwrap_or("");
    let Some(entry) = g.reset_tokens.get(token).cloned() else {
        return invalid();
    };
    if now >= entry.expires_at {
        g.reset_tokens.remove(token);
        return invalid();
    }
    let password = obj.get("Password").and_then(Value::as_str).unwrap_or("");
    let errors = policy_errors(password);
    if !errors.is_empty() {
        let list: Vec<Value> = errors
            .iter()
            .map(|m| json!({"PropertyName": "Password", "Message": m}))
            .collect();
        let text = "The password does not meet the password policy.";
        return action(
            StatusCode::BAD_REQUEST,
            false,
            None,
            Some(text),
            Some(Value::Array(list)),
        );
    }
    g.reset_tokens.remove(token);
    let Some(user) = g.user_mut(&entry.email) else {
        return invalid();
    };
    user.password = password.to_owned();
    user.must_reset = false;
    let email = user.email.clone();
    let jwt = g.one_time_jwt(&email, ONE_TIME_JWT_TTL, now);
    action(StatusCode::OK, true, Some(&jwt), None, None)
}

fn bad_json() -> Response {
    let text = "The request body must be a JSON object sent as application/json.";
    action(StatusCode::BAD_REQUEST, false, None, Some(text), None)
}

#[cfg(test)]
mod tests {
    use super::policy_errors;

    #[test]
    fn policy() {
        assert!(policy_errors("Passw0rd!").is_empty());
        assert_eq!(policy_errors("short").len(), 3);
        assert_eq!(policy_errors("longenough1").len(), 1);
    }
}
