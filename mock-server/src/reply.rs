//! Small helpers to read requests and build responses (JSON, HTML pages, ActionConfirmation).

use axum::body::Body;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode, Uri};
use axum::response::Response;
use serde_json::{json, Value};

/// A JSON response (`application/json; charset=utf-8`).
pub fn json(status: StatusCode, value: &Value) -> Response {
    raw(status, "application/json; charset=utf-8", value.to_string())
}

/// A response with an explicit content type.
pub fn raw(status: StatusCode, content_type: &str, body: impl Into<Body>) -> Response {
    let mut resp = Response::new(body.into());
    *resp.status_mut() = status;
    let ct = HeaderValue::from_str(content_type).unwrap_or(HeaderValue::from_static("text/plain"));
    resp.headers_mut().insert(header::CONTENT_TYPE, ct);
    resp.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    resp
}

/// A Nexudus `ActionConfirmation` envelope.
pub fn action(
    status: StatusCode,
    ok: bool,
    value: Option<&str>,
    message: Option<&str>,
    errors: Option<Value>,
) -> Response {
    let body = json!({
        "WasSuccessful": ok, "Value": value, "Status": status.as_u16(),
        "Message": message, "Errors": errors,
    });
    json(status, &body)
}

/// `{"Message": …}` with a status, the shape ASP.NET Web API errors have.
pub fn message(status: StatusCode, text: &str) -> Response {
    json(status, &json!({ "Message": text }))
}

/// A small readable HTML page; `body_html` must already be escaped.
pub fn page(status: StatusCode, title: &str, body_html: &str) -> Response {
    let html = format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">\
         <link rel=\"icon\" href=\"data:,\"><title>{t}</title><style>body{{font:16px/1.5 system-ui,sans-serif;max-width:46rem;\
         margin:2rem auto;padding:0 1rem;color:#1d2330}}h1{{font-size:1.4rem}}\
         li{{margin:.6rem 0;padding:.6rem .8rem;border:1px solid #d8dce5;border-radius:8px;\
         list-style:none}}ul{{padding:0}}a{{word-break:break-all}}small{{color:#5b6475}}\
         code{{background:#f1f3f7;padding:0 .25rem;border-radius:4px}}</style></head>\
         <body><h1>{t}</h1>{body_html}</body></html>",
        t = escape(title)
    );
    raw(status, "text/html; charset=utf-8", html)
}

/// Escapes text for HTML element content and quoted attributes (`&`, `<`, `>`, `"`, `'`).
pub fn escape(s: &str) -> String {
    html_escape::encode_quoted_attribute(s).into_owned()
}

/// Percent-encodes a query component (`application/x-www-form-urlencoded` style).
pub fn url_encode(s: &str) -> String {
    form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

/// A header as text, if present and valid UTF-8.
pub fn header_str<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

/// The `client_id` header, if present and non-empty.
pub fn client_id_header(headers: &HeaderMap) -> Option<String> {
    header_str(headers, "client_id")
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
}

/// The token of an `Authorization: Bearer <token>` header.
pub fn bearer(headers: &HeaderMap) -> Option<&str> {
    let value = header_str(headers, "authorization")?.trim();
    let (scheme, token) = value.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| token.trim())
        .filter(|t| !t.is_empty())
}

/// Decoded query parameters, in order.
pub fn query_pairs(uri: &Uri) -> Vec<(String, String)> {
    form_urlencoded::parse(uri.query().unwrap_or("").as_bytes())
        .into_owned()
        .collect()
}

/// The first query parameter called `name`.
pub fn query_get(uri: &Uri, name: &str) -> Option<String> {
    query_pairs(uri)
        .into_iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v)
}

/// The content type without parameters, lower-cased (`""` when absent).
pub fn media_type(headers: &HeaderMap) -> String {
    let ct = header_str(headers, "content-type").unwrap_or("");
    ct.split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase()
}

/// `http://<Host>`: the origin the browser used to reach the mock (for links in emails).
pub fn origin_of(headers: &HeaderMap) -> String {
    let host = header_str(headers, "host")
        .filter(|h| valid_host(h))
        .unwrap_or("127.0.0.1");
    format!("http://{host}")
}

fn valid_host(h: &str) -> bool {
    !h.is_empty()
        && h.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-.:[]".contains(&b))
}

/// Parses a JSON request body; `None` unless it is a JSON object and sent as `application/json`.
pub fn json_object(headers: &HeaderMap, body: &[u8]) -> Option<serde_json::Map<String, Value>> {
    if media_type(headers) != "application/json" {
        return None;
    }
    match serde_json::from_slice(body) {
        Ok(Value::Object(map)) => Some(map),
        _ => None,
    }
}

/// Parses a control-endpoint JSON body leniently (any content type, empty = `{}`).
pub fn lenient_object(body: &[u8]) -> Option<serde_json::Map<String, Value>> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Some(serde_json::Map::new());
    }
    match serde_json::from_slice(body) {
        Ok(Value::Object(map)) => Some(map),
        _ => None,
    }
}
