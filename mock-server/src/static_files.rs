//! Files from disk through `tower-http`'s `ServeDir`/`ServeFile`: the demo (`--www`) at `/`, the
//! built package (`--pkg`) at `/pkg/`, and built examples at `/examples/<name>/` (from
//! `<www>/../examples/<name>/dist/`, with the example's `index.html` for client-side routes).
//!
//! `ServeDir` refuses `..`, percent-encoded or not, and picks the content type from the extension
//! (`.wasm` → `application/wasm`). Every file goes out with `Cache-Control: no-store`, so the demo
//! always runs the package just built, and text types say `charset=utf-8`.

use std::path::Path;
use std::sync::Arc;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, StatusCode, Uri};
use axum::response::Response;
use serde_json::json;
use tower::ServiceExt as _;
use tower_http::services::{ServeDir, ServeFile};

use crate::faults::is_api_path;
use crate::reply::{json, page};
use crate::state::AppState;

const PLACEHOLDER: &str =
    "<p>The mock Nexudus + Rebilly server is running, but no <code>--www</code> \
    directory was found, so there is no demo page.</p><ul>\
    <li><a href=\"/mock/users\">/mock/users</a> — demo users (and bob's current TOTP code)</li>\
    <li><a href=\"/mock/outbox\">/mock/outbox</a> — emails the mock sent</li>\
    <li><a href=\"/mock/stats\">/mock/stats</a> — request counters</li></ul>";

/// Fallback handler: JSON 404 for unknown API and control paths, files for everything else.
pub async fn fallback(State(state): State<Arc<AppState>>, req: Request) -> Response {
    let path = req.uri().path().to_owned();
    if is_api_path(&path) || path.starts_with("/mock/") {
        let text = format!("No HTTP resource was found that matches the request URI '{path}'.");
        return json(StatusCode::NOT_FOUND, &json!({ "Message": text }));
    }
    let cfg = &state.config;
    if let Some(sub) = path.strip_prefix("/pkg/") {
        return match cfg.pkg.as_deref() {
            Some(root) => serve(ServeDir::new(root), at(&req, sub)).await,
            None => not_found(),
        };
    }
    let www = cfg.www.as_deref().filter(|d| d.is_dir());
    if let (Some(rest), Some(www)) = (path.strip_prefix("/examples/"), www) {
        if let Some((root, sub)) = example_root(www, rest) {
            let req = at(&req, &sub);
            // Client-side routes (no extension in the last segment) get the example's index.html.
            let last = sub.rsplit('/').next().unwrap_or("");
            return if last.contains('.') {
                serve(ServeDir::new(&root), req).await
            } else {
                let index = ServeFile::new(root.join("index.html"));
                serve(ServeDir::new(&root).fallback(index), req).await
            };
        }
    }
    match www {
        Some(www) => serve(ServeDir::new(www), req).await,
        None if path == "/" || path == "/index.html" => {
            page(StatusCode::OK, "nexudus-mock", PLACEHOLDER)
        }
        None => not_found(),
    }
}

/// The example's `dist/` directory and the path inside it, when that example is built.
fn example_root(www: &Path, rest: &str) -> Option<(std::path::PathBuf, String)> {
    let (name, sub) = rest.split_once('/').unwrap_or((rest, ""));
    let plain = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == '_';
    if name.is_empty() || !name.chars().all(plain) {
        return None;
    }
    let root = www.join("..").join("examples").join(name).join("dist");
    root.is_dir().then(|| (root, sub.to_owned()))
}

/// The same request, addressed to `/<sub>` (query kept) for a `ServeDir` rooted elsewhere.
fn at(req: &Request, sub: &str) -> Request {
    let pq = match req.uri().query() {
        Some(q) => format!("/{sub}?{q}"),
        None => format!("/{sub}"),
    };
    let mut builder = Request::builder()
        .method(req.method().clone())
        .uri(pq.parse::<Uri>().unwrap_or_else(|_| Uri::from_static("/")));
    for (name, value) in req.headers() {
        builder = builder.header(name, value);
    }
    builder.body(Body::empty()).unwrap_or_default()
}

/// Runs a `ServeDir` and applies the mock's header policy to its answer.
async fn serve<F>(dir: ServeDir<F>, req: Request) -> Response
where
    ServeDir<F>: tower::Service<
        Request,
        Response = Response<tower_http::services::fs::ServeFileSystemResponseBody>,
        Error = std::convert::Infallible,
    >,
{
    let resp = match dir.oneshot(req).await {
        Ok(resp) => resp.map(Body::new),
        Err(never) => match never {},
    };
    if resp.status() == StatusCode::NOT_FOUND {
        return not_found();
    }
    with_policy(resp)
}

/// `Cache-Control: no-store` always; `charset=utf-8` on text types that name none.
fn with_policy(mut resp: Response) -> Response {
    let headers = resp.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    let ct = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let textual = ct.starts_with("text/") || ct == "application/json";
    if textual && !ct.contains("charset") {
        if let Ok(v) = HeaderValue::from_str(&format!("{ct}; charset=utf-8")) {
            headers.insert(header::CONTENT_TYPE, v);
        }
    }
    resp
}

fn not_found() -> Response {
    page(
        StatusCode::NOT_FOUND,
        "404 Not Found",
        "<p>No such file.</p>",
    )
}
