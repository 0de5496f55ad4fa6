//! HTTP requests and responses as plain data (the browser layer performs them with `fetch`).

use super::value::Value;
use std::fmt;

/// The browser layer refuses longer bodies with `BadResponse("response too large")`.
pub const MAX_BODY_BYTES: usize = 1 << 20;

/// An HTTP method.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Method {
    /// `GET`
    Get,
    /// `POST`
    Post,
}

impl Method {
    /// `"GET"` or `"POST"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
        }
    }
}

/// A request to perform, byte for byte. Header names are lower-case.
#[derive(Clone)]
pub struct HttpRequest {
    /// The method.
    pub method: Method,
    /// The absolute URL (may hold a one-time token in its query).
    pub url: String,
    /// Headers in the order they are sent.
    pub headers: Vec<(&'static str, String)>,
    /// The body, if any (may hold passwords and tokens).
    pub body: Option<RequestBody>,
}

/// A request body: the browser layer writes a JSON one with `JSON.stringify`.
#[derive(Clone, PartialEq, Debug)]
pub enum RequestBody {
    /// `application/x-www-form-urlencoded` text, ready to send.
    Form(String),
    /// A JSON document (members in the order they are sent).
    Json(Value),
}

impl HttpRequest {
    /// The value of header `name` (lower-case), if present.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.as_str())
    }
}

const AUTH_TOKENS: &str = "/authentication-tokens/";

/// Prints the method, the URL without its query (or Rebilly token), the header names (values of
/// `authorization` redacted) and whether there is a body; never a secret.
impl fmt::Debug for HttpRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The query (exchange JWT) and a Rebilly authentication token in the path are secrets.
        let cut = self
            .url
            .find('?')
            .or_else(|| self.url.find(AUTH_TOKENS).map(|i| i + AUTH_TOKENS.len()))
            .unwrap_or(self.url.len());
        let url = self.url.get(..cut).unwrap_or("");
        let mut d = f.debug_struct("HttpRequest");
        d.field("method", &self.method.as_str()).field("url", &url);
        if url.len() < self.url.len() {
            d.field("rest", &"[redacted]");
        }
        let mut l = Vec::with_capacity(self.headers.len());
        for (k, v) in &self.headers {
            let shown = if k.eq_ignore_ascii_case("authorization") {
                "[redacted]"
            } else {
                v.as_str()
            };
            l.push((*k, shown));
        }
        d.field("headers", &l);
        if self.body.is_some() {
            d.field("body", &"[redacted]");
        }
        d.finish()
    }
}

/// What the body of a response held, as the browser layer read it.
#[derive(Clone, PartialEq)]
pub enum ResponseBody {
    /// Nothing but whitespace.
    Empty,
    /// A JSON document (parsed by the engine's `JSON.parse`).
    Json(Value),
    /// Text that is not JSON: HTML, truncated, nested deeper than [`super::value::MAX_DEPTH`].
    NotJson,
}

impl ResponseBody {
    /// The JSON document, if the body was one.
    pub fn json(&self) -> Option<&Value> {
        match self {
            ResponseBody::Json(v) => Some(v),
            _ => None,
        }
    }
}

/// A response as the browser layer saw it. Bodies over [`MAX_BODY_BYTES`] never get here.
#[derive(Clone)]
pub struct HttpResponse {
    /// The HTTP status.
    pub status: u16,
    /// The `Retry-After` header.
    pub retry_after: Option<String>,
    /// The body.
    pub body: ResponseBody,
}

impl HttpResponse {
    /// A response with a status and a body and no headers.
    pub fn new(status: u16, body: ResponseBody) -> Self {
        HttpResponse {
            status,
            retry_after: None,
            body,
        }
    }
}

/// Prints status and the kind of body; never the body (it may hold tokens).
impl fmt::Debug for HttpResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let body = match self.body {
            ResponseBody::Empty => "empty",
            ResponseBody::Json(_) => "json",
            ResponseBody::NotJson => "not json",
        };
        f.debug_struct("HttpResponse")
            .field("status", &self.status)
            .field("retry_after", &self.retry_after)
            .field("body", &body)
            .finish()
    }
}
