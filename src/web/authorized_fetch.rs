//! The pieces of `auth.fetch(input, init)`: binding the caller's `input`/`init` to a `Request`
//! on the API's origin, and sending it with `Authorization: Bearer` through `gloo-net`. The
//! retry after a 401 is the client's ([`super::client::Client::fetch`]). The bearer token is
//! only ever sent to the API's own origin: relative URLs resolve against `baseUrl`, and an
//! absolute URL on another origin is refused.

use super::error::WebError;
use super::fetch::{send_request, Deadline};
use super::options::field;
use crate::core::url::BaseUrl;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Request, RequestInit, Response};

/// What the caller handed to `auth.fetch`, bound to a `Request`.
pub struct Bound {
    /// The request (its body not read yet).
    pub request: Request,
    /// A copy to retry with after a 401; `None` when the body is a one-shot stream.
    pub retry: Option<Request>,
    /// Whether our `timeoutMs` applies (the caller brought no `signal` of their own).
    pub timed: bool,
}

/// Resolves `input` (a string, URL or Request) against `base` and checks its origin.
pub fn bind(base: &BaseUrl, input: &JsValue, init: &JsValue) -> Result<Bound, WebError> {
    let bad = || WebError::config("fetch input must be a URL string, URL or Request");
    let with_init: &RequestInit = init.unchecked_ref();
    let request = if let Some(req) = input.dyn_ref::<Request>() {
        if init.is_undefined() {
            req.clone().map_err(|_| bad())?
        } else {
            Request::new_with_request_and_init(req, with_init).map_err(|_| bad())?
        }
    } else {
        let raw = match input.as_string() {
            Some(s) => s,
            None if input.is_object() => {
                String::from(js_sys::Object::from(input.clone()).to_string())
            }
            None => return Err(bad()),
        };
        let raw = if raw.starts_with('/') && !raw.starts_with("//") {
            base.join(&raw)
        } else {
            raw
        };
        if init.is_undefined() {
            Request::new_with_str(&raw)
        } else {
            Request::new_with_str_and_init(&raw, with_init)
        }
        .map_err(|_| bad())?
    };
    let url = request.url();
    let origin = base.origin();
    let same = url
        .get(..origin.len())
        .is_some_and(|o| o.eq_ignore_ascii_case(origin))
        && matches!(
            url.as_bytes().get(origin.len()),
            None | Some(b'/') | Some(b'?') | Some(b'#')
        );
    if !same {
        return Err(WebError::config(
            "auth.fetch only sends the token to baseUrl's origin",
        ));
    }
    let one_shot = field(init, "body").is_instance_of::<web_sys::ReadableStream>();
    let retry = if one_shot { None } else { request.clone().ok() };
    Ok(Bound {
        request,
        retry,
        timed: field(init, "signal").is_undefined(),
    })
}

/// Sends `request` with the bearer `token`, under a `timeout_ms` deadline when given.
pub async fn send_with_bearer(
    request: &Request,
    token: &str,
    timeout_ms: Option<u32>,
) -> Result<Response, WebError> {
    let _ = request
        .headers()
        .set("authorization", &["Bearer ", token].concat());
    let deadline = timeout_ms.map(Deadline::new).transpose()?;
    let request = match &deadline {
        Some(d) => {
            let init = RequestInit::new();
            init.set_signal(Some(&d.signal()));
            Request::new_with_request_and_init(request, &init).map_err(|_| WebError::Network)?
        }
        // The same JS object (a handle copy, not `Request.clone()`).
        None => Clone::clone(request),
    };
    let response = send_request(request.into(), deadline.as_ref()).await?;
    Ok(response.into())
}
