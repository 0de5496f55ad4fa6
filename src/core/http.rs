//! HTTP requests and responses as plain data (the browser layer performs them with `fetch`).

use std::fmt;

/// Responses with a longer body are refused with `BadResponse("response too large")`.
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
    pub body: Option<String>,
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

/// A response as the browser layer saw it.
#[derive(Clone)]
pub struct HttpResponse {
    /// The HTTP status.
    pub status: u16,
    /// The `Content-Type` header.
    pub content_type: Option<String>,
    /// The `Retry-After` header.
    pub retry_after: Option<String>,
    /// The body text.
    pub body: String,
}

impl HttpResponse {
    /// A response with a status and a body and no headers.
    pub fn new(status: u16, body: impl Into<String>) -> Self {
        HttpResponse {
            status,
            content_type: None,
            retry_after: None,
            body: body.into(),
        }
    }
}

/// Prints status, content type and body length; never the body (it may hold tokens).
impl fmt::Debug for HttpResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HttpResponse")
            .field("status", &self.status)
            .field("content_type", &self.content_type)
            .field("retry_after", &self.retry_after)
            .field("body_len", &self.body.len())
            .finish()
    }
}
