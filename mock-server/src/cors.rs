//! CORS on every response (errors and faults included), and `204` answers to preflights.

use std::sync::Arc;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::Response;

use crate::faults::{close_if_drop_pending, DropConnection};
use crate::state::AppState;

/// Request headers a cross-origin caller may send.
pub const ALLOW_HEADERS: &str = "content-type, authorization, client_id";
/// Methods a cross-origin caller may use.
pub const ALLOW_METHODS: &str = "GET, POST, DELETE, OPTIONS";

/// Middleware: answers `OPTIONS` with 204 and adds the CORS headers to everything else.
pub async fn cors(State(state): State<Arc<AppState>>, req: Request, next: Next) -> Response {
    let origin = req.headers().get(header::ORIGIN).cloned();
    let mut resp = if req.method() == Method::OPTIONS {
        let mut r = Response::new(Body::empty());
        *r.status_mut() = StatusCode::NO_CONTENT;
        close_if_drop_pending(&state, &mut r);
        r
    } else {
        next.run(req).await
    };
    if resp.extensions().get::<DropConnection>().is_none() {
        add_headers(resp.headers_mut(), origin);
    }
    resp
}

fn add_headers(h: &mut HeaderMap, origin: Option<HeaderValue>) {
    let origin = origin.unwrap_or(HeaderValue::from_static("*"));
    h.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, origin);
    h.insert(
        header::ACCESS_CONTROL_ALLOW_HEADERS,
        HeaderValue::from_static(ALLOW_HEADERS),
    );
    h.insert(
        header::ACCESS_CONTROL_ALLOW_METHODS,
        HeaderValue::from_static(ALLOW_METHODS),
    );
    h.insert(
        header::ACCESS_CONTROL_EXPOSE_HEADERS,
        HeaderValue::from_static("Retry-After"),
    );
    h.insert(
        header::ACCESS_CONTROL_MAX_AGE,
        HeaderValue::from_static("600"),
    );
    h.append(header::VARY, HeaderValue::from_static("Origin"));
}
