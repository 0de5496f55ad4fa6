//! Fault injection: `/mock/faults` and the middleware that answers API requests with them.
//!
//! The middleware sits in front of `/api/*` and `/rebilly/*` only. It also counts and logs every
//! API request. A faulted request never reaches its endpoint, so it changes no state.

use std::sync::Arc;
use std::time::Duration;

use axum::body::{to_bytes, Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::Response;
use serde::Serialize;
use serde_json::{json, Value};

use crate::reply::{json, lenient_object, raw};
use crate::reqlog;
use crate::state::AppState;

/// Every fault kind `/mock/faults` accepts.
pub const KINDS: &[&str] = &[
    "drop",
    "stall",
    "delay",
    "401",
    "500",
    "502",
    "503",
    "429",
    "html",
    "truncated",
    "wrong_type",
    "missing_field",
    "huge",
];

/// Largest request body the mock reads (bytes).
pub const MAX_BODY: usize = 1 << 20;

/// A pending fault.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Fault {
    /// One of [`KINDS`].
    pub kind: String,
    /// How many more matching requests it applies to.
    pub count: u32,
    /// Path prefix filter (`None`: any API path).
    pub path: Option<String>,
    /// `Retry-After` seconds for `429`.
    pub retry_after: Option<u64>,
    /// Stall duration for `stall` (ms).
    pub stall_ms: Option<u64>,
}

impl Fault {
    /// Parses one fault from a `/mock/faults` JSON object.
    pub fn from_json(v: &Value) -> Result<Self, String> {
        let kind = match v.get("kind") {
            Some(Value::String(s)) => s.clone(),
            Some(Value::Number(n)) => n.to_string(),
            _ => return Err("kind is required".into()),
        };
        if !KINDS.contains(&kind.as_str()) {
            return Err(format!(
                "unknown kind {kind:?}; expected one of {}",
                KINDS.join(", ")
            ));
        }
        let uint = |name: &str| match v.get(name) {
            None | Some(Value::Null) => Ok(None),
            Some(x) => x
                .as_u64()
                .map(Some)
                .ok_or(format!("{name} must be a non-negative integer")),
        };
        let count = uint("count")?.unwrap_or(1).clamp(1, u32::MAX as u64) as u32;
        let path = match v.get("path") {
            None | Some(Value::Null) => None,
            Some(Value::String(p)) if p.starts_with('/') => Some(p.clone()),
            Some(_) => return Err("path must be a string starting with /".into()),
        };
        Ok(Self {
            kind,
            count,
            path,
            retry_after: uint("retryAfter")?,
            stall_ms: uint("stallMs")?,
        })
    }

    fn matches(&self, path: &str) -> bool {
        self.path.as_deref().is_none_or(|p| path.starts_with(p))
    }
}

/// Marker extension: the connection must be closed without any response.
#[derive(Clone, Copy, Debug)]
pub struct DropConnection;

/// The error the connection's service returns to make hyper close it without answering.
#[derive(Debug)]
pub struct Dropped;

impl std::fmt::Display for Dropped {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("connection dropped by an injected fault")
    }
}

impl std::error::Error for Dropped {}

/// True for the paths faults, counting and logging apply to.
pub fn is_api_path(path: &str) -> bool {
    path == "/api" || path.starts_with("/api/") || path.starts_with("/rebilly/")
}

/// Middleware: counts and logs API requests, and answers them with a pending fault if one matches.
pub async fn api_layer(State(state): State<Arc<AppState>>, req: Request, next: Next) -> Response {
    let path = req.uri().path().to_owned();
    if !is_api_path(&path) || req.method() == Method::OPTIONS {
        let mut resp = next.run(req).await;
        close_if_drop_pending(&state, &mut resp);
        return resp;
    }
    let (parts, body) = req.into_parts();
    let Ok(bytes) = to_bytes(body, MAX_BODY).await else {
        return raw(
            StatusCode::PAYLOAD_TOO_LARGE,
            "text/plain",
            "request body too large",
        );
    };
    let (id, fault) = {
        let mut g = state.lock();
        g.stats.requests += 1;
        let id = reqlog::record(&mut g, &parts, &bytes);
        let idx = g.faults.iter().position(|f| f.matches(&path));
        let fault = idx.map(|i| {
            let f = g.faults[i].clone();
            if g.faults[i].count <= 1 {
                g.faults.remove(i);
            } else {
                g.faults[i].count -= 1;
            }
            f
        });
        (id, fault)
    };
    let mut resp = match &fault {
        // `delay`: the real answer, late (e.g. to sign out while a refresh is in flight).
        Some(f) if f.kind == "delay" => {
            tokio::time::sleep(Duration::from_millis(f.stall_ms.unwrap_or(1_000))).await;
            next.run(Request::from_parts(parts, Body::from(bytes)))
                .await
        }
        Some(f) => answer(f).await,
        None => {
            next.run(Request::from_parts(parts, Body::from(bytes)))
                .await
        }
    };
    let dropped = resp.extensions().get::<DropConnection>().is_some();
    reqlog::finish(
        &mut state.lock(),
        id,
        (!dropped).then(|| resp.status().as_u16()),
        fault.map(|f| f.kind),
    );
    close_if_drop_pending(&state, &mut resp);
    resp
}

/// Middleware outside the CORS layer: a preflight answered while a `drop` fault is pending closes
/// its connection too, since the cross-origin request itself would go out on it (and a browser
/// silently resends a request that died on a reused keep-alive connection).
pub async fn close_preflight(
    State(state): State<Arc<AppState>>,
    req: Request,
    next: Next,
) -> Response {
    let preflight = req.method() == Method::OPTIONS;
    let mut resp = next.run(req).await;
    if preflight {
        close_if_drop_pending(&state, &mut resp);
    }
    resp
}

/// While a `drop` fault is pending, answers carry `Connection: close` so the next request opens a
/// fresh connection (browsers silently retry a request that died on a reused keep-alive one).
/// Preflight answers too (see cors.rs): a cross-origin request goes out on the preflight's connection.
pub fn close_if_drop_pending(state: &AppState, resp: &mut Response) {
    if state.lock().faults.iter().any(|f| f.kind == "drop") {
        resp.headers_mut()
            .insert(header::CONNECTION, HeaderValue::from_static("close"));
    }
}

/// The response a fault gives.
async fn answer(f: &Fault) -> Response {
    let ct = "application/json; charset=utf-8";
    match f.kind.as_str() {
        "drop" => {
            let mut resp = Response::new(Body::empty());
            resp.extensions_mut().insert(DropConnection);
            resp
        }
        "stall" => {
            tokio::time::sleep(Duration::from_millis(f.stall_ms.unwrap_or(30_000))).await;
            json(
                StatusCode::GATEWAY_TIMEOUT,
                &json!({"Message": "Gateway Timeout"}),
            )
        }
        // As if the access token had been revoked: the client refreshes and retries.
        "401" => json(
            StatusCode::UNAUTHORIZED,
            &json!({"Message": crate::action::DENIED}),
        ),
        "500" => json(
            StatusCode::INTERNAL_SERVER_ERROR,
            &json!({"Message": "An error has occurred."}),
        ),
        "502" => error_page(StatusCode::BAD_GATEWAY, "502 Bad Gateway"),
        "503" => error_page(StatusCode::SERVICE_UNAVAILABLE, "503 Service Unavailable"),
        "429" => {
            let body = json!({"Message": "Too many requests. Please retry later."});
            let mut resp = json(StatusCode::TOO_MANY_REQUESTS, &body);
            let secs = f.retry_after.unwrap_or(2).to_string();
            if let Ok(v) = HeaderValue::from_str(&secs) {
                resp.headers_mut().insert(header::RETRY_AFTER, v);
            }
            resp
        }
        "html" => error_page(
            StatusCode::OK,
            "Scheduled maintenance — we will be back soon",
        ),
        "truncated" => raw(
            StatusCode::OK,
            ct,
            r#"{"access_token":"eyJhbGciOiJIUzI1NiJ9.eyJz"#,
        ),
        "wrong_type" => raw(StatusCode::OK, ct, WRONG_TYPE),
        "missing_field" => raw(StatusCode::OK, ct, MISSING_FIELD),
        _ => raw(StatusCode::OK, ct, Bytes::from(huge_body())),
    }
}

/// Fields every client parses, each with the wrong JSON type.
const WRONG_TYPE: &str = r#"{"access_token":12345,"token":12345,"token_type":true,"expires_in":"soon","refresh_token":["x"],"WasSuccessful":"yes","Value":42,"Status":"200","Message":7,"Errors":"none","customerId":1,"expiredTime":false}"#;

/// Valid JSON without the fields that matter (no token, no Value, no expiredTime).
const MISSING_FIELD: &str =
    r#"{"token_type":"bearer","WasSuccessful":true,"Status":200,"type":"customer"}"#;

/// A valid 5 MB JSON document.
fn huge_body() -> Vec<u8> {
    let mut body = Vec::with_capacity(5 * 1024 * 1024 + 32);
    body.extend_from_slice(br#"{"padding":""#);
    body.resize(5 * 1024 * 1024, b'a');
    body.extend_from_slice(br#"","token_type":"bearer"}"#);
    body
}

fn error_page(status: StatusCode, title: &str) -> Response {
    let html = format!("<!doctype html><html><head><title>{title}</title></head><body><h1>{title}</h1><hr><center>nginx</center></body></html>");
    raw(status, "text/html; charset=utf-8", html)
}

/// `GET /mock/faults`: pending faults in the order they will fire.
pub async fn get_faults(State(state): State<Arc<AppState>>) -> Response {
    let list = serde_json::to_value(&state.lock().faults).unwrap_or_default();
    json(StatusCode::OK, &list)
}

/// `POST /mock/faults`: queues one fault (an object) or several (an array).
pub async fn post_faults(State(state): State<Arc<AppState>>, body: Bytes) -> Response {
    let items = match serde_json::from_slice::<Value>(&body) {
        Ok(Value::Array(items)) => items,
        Ok(v @ Value::Object(_)) => vec![v],
        _ => match lenient_object(&body) {
            Some(_) => return bad("kind is required"),
            None => return bad("body must be a JSON object or array"),
        },
    };
    let faults = match items
        .iter()
        .map(Fault::from_json)
        .collect::<Result<Vec<_>, _>>()
    {
        Ok(f) => f,
        Err(e) => return bad(&e),
    };
    let has_drop = faults.iter().any(|f| f.kind == "drop");
    let list = {
        let mut g = state.lock();
        g.faults.extend(faults);
        serde_json::to_value(&g.faults).unwrap_or_default()
    };
    if has_drop {
        // Idle keep-alive connections would let a browser retry the dropped request silently.
        state.close_idle_connections();
    }
    json(StatusCode::OK, &list)
}

/// `DELETE /mock/faults`: clears every pending fault.
pub async fn delete_faults(State(state): State<Arc<AppState>>) -> Response {
    state.lock().faults.clear();
    json(StatusCode::OK, &json!([]))
}

fn bad(msg: &str) -> Response {
    json(StatusCode::BAD_REQUEST, &json!({ "error": msg }))
}
