//! `POST /api/token`: the OAuth password and refresh_token grants.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use serde_json::json;

use crate::clock::now;
use crate::reply::{client_id_header, json, media_type, origin_of};
use crate::state::{AppState, Inner};
use crate::totp;

/// Key of `refreshByClientId` for a refresh sent without a `client_id` header.
pub const NO_CLIENT_ID: &str = "(none)";

fn oauth_error(error: &str, description: &str) -> Response {
    json(
        StatusCode::BAD_REQUEST,
        &json!({"error": error, "error_description": description}),
    )
}

/// `POST /api/token`. The body must be `application/x-www-form-urlencoded`.
pub async fn post_token(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if media_type(&headers) != "application/x-www-form-urlencoded" {
        return oauth_error(
            "unsupported_grant_type",
            "The request body must be application/x-www-form-urlencoded.",
        );
    }
    let form: Vec<(String, String)> = form_urlencoded::parse(&body).into_owned().collect();
    let field = |name: &str| {
        form.iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    };
    let client_id = client_id_header(&headers);
    match field("grant_type") {
        Some("password") => {
            let origin = origin_of(&headers);
            let mut g = state.lock();
            g.stats.password += 1;
            let (user, pass, totp) = (field("username"), field("password"), field("totp"));
            let resp = password_grant(&mut g, user, pass, totp, client_id, &origin);
            if resp.status() != StatusCode::OK {
                g.stats.failed_password += 1;
            }
            resp
        }
        Some("refresh_token") => {
            let mut g = state.lock();
            g.stats.refresh += 1;
            let key = client_id.clone().unwrap_or_else(|| NO_CLIENT_ID.to_owned());
            *g.stats.refresh_by_client_id.entry(key).or_insert(0) += 1;
            let resp = refresh_grant(&mut g, field("refresh_token"), client_id.as_deref());
            if resp.status() != StatusCode::OK {
                g.stats.failed_refresh += 1;
            }
            resp
        }
        Some(_) => oauth_error("unsupported_grant_type", "The grant_type is not supported."),
        None => oauth_error(
            "unsupported_grant_type",
            "The grant_type parameter is missing.",
        ),
    }
}

fn password_grant(
    g: &mut Inner,
    username: Option<&str>,
    password: Option<&str>,
    totp_code: Option<&str>,
    client_id: Option<String>,
    origin: &str,
) -> Response {
    let now = now();
    let user = match (username, password) {
        (Some(u), Some(p)) => g.user(u).filter(|user| user.password == p).cloned(),
        _ => None,
    };
    let Some(user) = user else {
        return oauth_error("invalid_grant", "The user name or password is incorrect.");
    };
    if user.suspended {
        return oauth_error("invalid_grant", "The account has been suspended.");
    }
    if let Some(secret) = user.totp_secret {
        let ok = totp_code.is_some_and(|c| totp::verify(secret, c, now as u64));
        if !ok {
            let why = if totp_code.is_some_and(|c| !c.is_empty()) {
                "The two-factor authentication code is invalid."
            } else {
                "A two-factor authentication code is required."
            };
            return oauth_error("two_factor_auth_check", why);
        }
    }
    if user.must_reset {
        let reset_token = g.send_reset_email(&user.email, origin, now);
        return oauth_error("must_reset_password", &reset_token);
    }
    let client_id = client_id.unwrap_or_else(|| user.email.clone());
    let ttl = g.access_ttl_for(&client_id);
    json(
        StatusCode::OK,
        &g.token_response(&user, &client_id, ttl, now),
    )
}

fn refresh_grant(g: &mut Inner, token: Option<&str>, client_id: Option<&str>) -> Response {
    let now = now();
    let invalid = || {
        oauth_error(
            "invalid_grant",
            "The refresh token is invalid or has expired.",
        )
    };
    let Some(token) = token.filter(|t| !t.is_empty()) else {
        return oauth_error("invalid_grant", "The refresh_token parameter is missing.");
    };
    let Some(grant) = g.refresh_tokens.get(token).cloned() else {
        return invalid();
    };
    if now >= grant.expires_at {
        g.refresh_tokens.remove(token);
        return invalid();
    }
    if client_id != Some(grant.client_id.as_str()) {
        return oauth_error(
            "invalid_grant",
            "The client_id does not match the one the refresh token was issued to.",
        );
    }
    let Some(user) = g.user(&grant.email).cloned() else {
        return invalid();
    };
    if user.suspended {
        g.refresh_tokens.remove(token);
        return oauth_error("invalid_grant", "The account has been suspended.");
    }
    // Rotation: the presented token dies now, a fresh one replaces it.
    g.refresh_tokens.remove(token);
    let ttl = g.access_ttl_for(&grant.client_id);
    json(
        StatusCode::OK,
        &g.token_response(&user, &grant.client_id, ttl, now),
    )
}
