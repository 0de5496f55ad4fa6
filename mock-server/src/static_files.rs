//! Static files: the demo (`--www`), the built package (`--pkg`), and built examples.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use axum::extract::State;
use axum::http::{Method, StatusCode, Uri};
use axum::response::Response;
use serde_json::json;

use crate::faults::is_api_path;
use crate::reply::{json, page, raw};
use crate::state::AppState;

/// The content type for a file name.
pub fn content_type(path: &Path) -> &'static str {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    match ext.as_str() {
        "wasm" => "application/wasm",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "html" | "htm" => "text/html; charset=utf-8",
        "svg" => "image/svg+xml",
        "json" | "map" => "application/json; charset=utf-8",
        "png" => "image/png",
        "ico" => "image/x-icon",
        "txt" | "md" => "text/plain; charset=utf-8",
        "ts" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

/// Percent-decodes a URL path (no `+` → space, unlike forms).
fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// Joins a URL sub-path to `root`, refusing `..`, backslashes, NUL and absolute segments.
pub fn safe_join(root: &Path, sub: &str) -> Option<PathBuf> {
    let mut path = root.to_path_buf();
    for seg in sub.split('/') {
        match seg {
            "" | "." => continue,
            ".." => return None,
            s if s.contains('\\') || s.contains('\0') || s.contains(':') => return None,
            s => path.push(s),
        }
    }
    Some(path)
}

async fn serve_file(path: &Path) -> Option<Response> {
    let path = if path.is_dir() {
        path.join("index.html")
    } else {
        path.to_path_buf()
    };
    let bytes = tokio::fs::read(&path).await.ok()?;
    Some(raw(StatusCode::OK, content_type(&path), bytes))
}

fn not_found(path: &str) -> Response {
    if is_api_path(path) || path.starts_with("/mock/") {
        let body = json!({"Message": format!("No HTTP resource was found that matches the request URI '{path}'.")});
        return json(StatusCode::NOT_FOUND, &body);
    }
    page(
        StatusCode::NOT_FOUND,
        "404 Not Found",
        "<p>No such file.</p>",
    )
}

const PLACEHOLDER: &str =
    "<p>The mock Nexudus + Rebilly server is running, but no <code>--www</code> \
    directory was found, so there is no demo page.</p><ul>\
    <li><a href=\"/mock/users\">/mock/users</a> — demo users (and bob's current TOTP code)</li>\
    <li><a href=\"/mock/outbox\">/mock/outbox</a> — emails the mock sent</li>\
    <li><a href=\"/mock/stats\">/mock/stats</a> — request counters</li></ul>";

/// Fallback handler: static files for `GET`/`HEAD`, 404 (JSON for API paths) otherwise.
pub async fn fallback(State(state): State<Arc<AppState>>, method: Method, uri: Uri) -> Response {
    let raw_path = uri.path();
    if is_api_path(raw_path) || raw_path.starts_with("/mock/") {
        return not_found(raw_path);
    }
    if method != Method::GET && method != Method::HEAD {
        return raw(
            StatusCode::METHOD_NOT_ALLOWED,
            "text/plain",
            "method not allowed",
        );
    }
    let Some(path) = percent_decode(raw_path) else {
        return raw(StatusCode::BAD_REQUEST, "text/plain", "bad path");
    };
    let cfg = &state.config;
    let www = cfg.www.as_deref().filter(|d| d.is_dir());
    if let Some(sub) = path.strip_prefix("/pkg/") {
        let file = cfg.pkg.as_deref().and_then(|root| safe_join(root, sub));
        return match file {
            Some(f) => serve_file(&f).await.unwrap_or_else(|| not_found(&path)),
            None => not_found(&path),
        };
    }
    if let (Some(rest), Some(www)) = (path.strip_prefix("/examples/"), www) {
        if let Some(resp) = example(www, rest).await {
            return resp;
        }
    }
    let Some(www) = www else {
        return if path == "/" || path == "/index.html" {
            page(StatusCode::OK, "nexudus-mock", PLACEHOLDER)
        } else {
            not_found(&path)
        };
    };
    match safe_join(www, &path) {
        Some(f) => serve_file(&f).await.unwrap_or_else(|| not_found(&path)),
        None => not_found(&path),
    }
}

/// `/examples/<name>/…` from `<www>/../examples/<name>/dist/`, falling back to its `index.html`.
async fn example(www: &Path, rest: &str) -> Option<Response> {
    let (name, sub) = rest.split_once('/').unwrap_or((rest, ""));
    let root = safe_join(&www.join("..").join("examples"), name)?.join("dist");
    if name.is_empty() || !root.is_dir() {
        return None;
    }
    let file = safe_join(&root, sub)?;
    if let Some(resp) = serve_file(&file).await {
        return Some(resp);
    }
    // SPA fallback for client-side routes (paths without a file extension).
    let last = sub.rsplit('/').next().unwrap_or("");
    if last.contains('.') {
        return Some(not_found(rest));
    }
    serve_file(&root.join("index.html")).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn traversal_is_refused() {
        let root = Path::new("/srv/www");
        assert_eq!(
            safe_join(root, "/a/b.js"),
            Some(PathBuf::from("/srv/www/a/b.js"))
        );
        assert_eq!(safe_join(root, "/../etc/passwd"), None);
        assert_eq!(safe_join(root, "/a/..\\..\\x"), None);
        assert_eq!(percent_decode("/%2e%2e/x").as_deref(), Some("/../x"));
    }
}
