//! The API request log behind `GET /mock/requests`, with secret values masked.

use std::sync::Arc;

use axum::extract::State;
use axum::http::request::Parts;
use axum::http::StatusCode;
use axum::response::Response;
use serde::Serialize;
use serde_json::Value;

use crate::reply::{header_str, json, media_type};
use crate::state::{AppState, Inner};

/// How many requests the log keeps.
pub const CAPACITY: usize = 200;
/// What a masked secret reads as.
pub const MASK: &str = "***";
/// Parameter / field names whose values are secrets.
pub const SECRET_NAMES: &[&str] = &[
    "password",
    "Password",
    "refresh_token",
    "totp",
    "Token",
    "token",
    "oneTimePassword",
    "access_token",
    "t",
    "resetToken",
];

/// One logged API request.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LoggedRequest {
    /// Sequence number.
    pub id: u64,
    /// ms since the epoch.
    pub at: u64,
    /// HTTP method.
    pub method: String,
    /// Path (a Rebilly authentication token in it is masked).
    pub path: String,
    /// Query string with secret values masked (`""` when none).
    pub query: String,
    /// The full `Content-Type` header, if any.
    pub content_type: Option<String>,
    /// The `client_id` header, if any.
    pub client_id: Option<String>,
    /// Whether an `Authorization` header was sent.
    pub authorization: bool,
    /// The `Origin` header, if any.
    pub origin: Option<String>,
    /// Body with secret values masked (form and JSON keep their names and order).
    pub body: String,
    /// Response status (`null` while pending or when the connection was dropped).
    pub status: Option<u16>,
    /// The injected fault that answered instead of the endpoint, if any.
    pub fault: Option<String>,
}

/// Masks the authentication token in a Rebilly exchange path.
pub fn mask_path(path: &str) -> String {
    let mut parts: Vec<&str> = path.split('/').collect();
    for i in 1..parts.len() {
        if parts[i - 1] == "authentication-tokens" && !parts[i].is_empty() {
            parts[i] = MASK;
        }
    }
    parts.join("/")
}

fn mask_form(s: &str) -> String {
    form_urlencoded::parse(s.as_bytes())
        .map(|(k, v)| {
            let v = if SECRET_NAMES.contains(&k.as_ref()) {
                MASK.into()
            } else {
                v
            };
            let enc = |x: &str| form_urlencoded::byte_serialize(x.as_bytes()).collect::<String>();
            format!(
                "{}={}",
                enc(&k),
                if v == MASK { MASK.to_owned() } else { enc(&v) }
            )
        })
        .collect::<Vec<_>>()
        .join("&")
}

fn mask_json(v: &mut Value) {
    match v {
        Value::Object(map) => {
            for (k, val) in map.iter_mut() {
                if SECRET_NAMES.contains(&k.as_str()) && !val.is_null() {
                    *val = Value::String(MASK.into());
                } else {
                    mask_json(val);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(mask_json),
        _ => {}
    }
}

/// The body as logged: form and JSON bodies masked field by field; other text kept as is.
pub fn mask_body(media_type: &str, body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    if media_type == "application/x-www-form-urlencoded" {
        return mask_form(&text);
    }
    match serde_json::from_slice::<Value>(body) {
        Ok(mut v) if v.is_object() || v.is_array() => {
            mask_json(&mut v);
            v.to_string()
        }
        _ => text.into_owned(),
    }
}

/// Logs a request (under the caller's lock) and returns its id.
pub fn record(g: &mut Inner, parts: &Parts, body: &[u8]) -> u64 {
    let id = g.next_request_id;
    g.next_request_id += 1;
    let h = &parts.headers;
    let entry = LoggedRequest {
        id,
        at: crate::clock::now_ms(),
        method: parts.method.to_string(),
        path: mask_path(parts.uri.path()),
        query: mask_form(parts.uri.query().unwrap_or("")),
        content_type: header_str(h, "content-type").map(str::to_owned),
        client_id: header_str(h, "client_id").map(str::to_owned),
        authorization: h.contains_key("authorization"),
        origin: header_str(h, "origin").map(str::to_owned),
        body: mask_body(&media_type(h), body),
        status: None,
        fault: None,
    };
    if g.requests.len() >= CAPACITY {
        g.requests.pop_front();
    }
    g.requests.push_back(entry);
    id
}

/// Fills in how a logged request was answered.
pub fn finish(g: &mut Inner, id: u64, status: Option<u16>, fault: Option<String>) {
    if let Some(e) = g.requests.iter_mut().rev().find(|e| e.id == id) {
        e.status = status;
        e.fault = fault;
    }
}

/// `GET /mock/requests`: the last 200 API requests, oldest first.
pub async fn get_requests(State(state): State<Arc<AppState>>) -> Response {
    let g = state.lock();
    let list: Vec<&LoggedRequest> = g.requests.iter().collect();
    json(
        StatusCode::OK,
        &serde_json::to_value(list).unwrap_or_default(),
    )
}

/// `DELETE /mock/requests`: clears the log.
pub async fn delete_requests(State(state): State<Arc<AppState>>) -> Response {
    state.lock().requests.clear();
    json(StatusCode::OK, &serde_json::json!({"ok": true}))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_secrets_keeps_names() {
        let f = mask_body(
            "application/x-www-form-urlencoded",
            b"grant_type=password&username=a%40b.c&password=x&totp=1",
        );
        assert_eq!(
            f,
            "grant_type=password&username=a%40b.c&password=***&totp=***"
        );
        let j = mask_body(
            "application/json",
            br#"{"Token":"x","Password":"y","BusinessId":1}"#,
        );
        assert_eq!(j, r#"{"Token":"***","Password":"***","BusinessId":1}"#);
        assert_eq!(
            mask_path("/rebilly/organizations/o/authentication-tokens/abc/exchange"),
            "/rebilly/organizations/o/authentication-tokens/***/exchange"
        );
    }
}
