//! Sends a core [`HttpRequest`] with `gloo-net` and hands back a plain [`HttpResponse`] whose
//! JSON the engine parsed. Every request has a timeout and is aborted with an
//! `AbortController` when it passes.

use super::error::WebError;
use super::json;
use crate::core::error::CoreError;
use crate::core::http::{HttpRequest, HttpResponse, RequestBody, ResponseBody, MAX_BODY_BYTES};
use gloo_net::http::{Request, Response};
use gloo_timers::callback::Timeout;
use js_sys::Array;
use std::cell::Cell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use web_sys::{AbortController, AbortSignal};

/// A request timeout: an `AbortController` aborted by a timer (cancelled when dropped).
pub struct Deadline {
    controller: AbortController,
    timed_out: Rc<Cell<bool>>,
    _timer: Timeout,
}

impl Deadline {
    /// Starts a deadline `ms` from now.
    pub fn new(ms: u32) -> Result<Deadline, WebError> {
        let controller = AbortController::new().map_err(|_| WebError::Network)?;
        let timed_out = Rc::new(Cell::new(false));
        let timer = {
            let (controller, timed_out) = (controller.clone(), timed_out.clone());
            Timeout::new(ms, move || {
                timed_out.set(true);
                controller.abort();
            })
        };
        Ok(Deadline {
            controller,
            timed_out,
            _timer: timer,
        })
    }

    /// The signal to hand to `fetch`.
    pub fn signal(&self) -> web_sys::AbortSignal {
        self.controller.signal()
    }

    /// What a rejected `fetch` means: `Timeout` when this deadline fired, else `Network`.
    pub fn failure(&self) -> WebError {
        if self.timed_out.get() {
            WebError::Timeout
        } else {
            WebError::Network
        }
    }
}

#[wasm_bindgen(module = "/src/web/bindings.js")]
extern "C" {
    #[wasm_bindgen(js_name = buildRequest, catch)]
    fn build_request(
        method: &str,
        url: &str,
        headers: Array,
        body: Option<&str>,
        signal: &AbortSignal,
    ) -> Result<web_sys::Request, JsValue>;
}

/// The `fetch` Request for `request`, aborted by `deadline`: built by `buildRequest` in
/// `bindings.js` in one call (−221 B brotli against eight `web_sys` calls) and handed to `gloo-net`
/// to send (its own `RequestBuilder` formats the URL with `format!`, which would pull `core::fmt`
/// into the wasm).
fn build(request: &HttpRequest, deadline: &Deadline) -> Result<Request, WebError> {
    let headers = Array::new();
    for (name, value) in &request.headers {
        headers.push(&JsValue::from_str(name));
        headers.push(&JsValue::from_str(value));
    }
    let json;
    let body = match &request.body {
        None => None,
        Some(RequestBody::Form(text)) => Some(text.as_str()),
        Some(RequestBody::Json(value)) => {
            json = json::stringify(value);
            Some(json.as_str())
        }
    };
    build_request(
        request.method.as_str(),
        &request.url,
        headers,
        body,
        &deadline.signal(),
    )
    .map(Request::from)
    .map_err(|_| WebError::config("invalid request"))
}

/// Sends an already built request (the caller's own, for `auth.fetch`) under `deadline`.
pub async fn send_request(
    request: Request,
    deadline: Option<&Deadline>,
) -> Result<Response, WebError> {
    request
        .send()
        .await
        .map_err(|_| deadline.map_or(WebError::Network, Deadline::failure))
}

/// Performs `request`, waiting at most `timeout_ms` for the status line and the body together.
pub async fn send(request: &HttpRequest, timeout_ms: u32) -> Result<HttpResponse, WebError> {
    let deadline = Deadline::new(timeout_ms)?;
    let response = send_request(build(request, &deadline)?, Some(&deadline)).await?;
    let status = response.status();
    let retry_after = response.headers().get("retry-after");
    let text = response.text().await.map_err(|_| deadline.failure())?;
    if text.len() > MAX_BODY_BYTES {
        return Err(CoreError::BadResponse {
            status,
            reason: "response too large",
        }
        .into());
    }
    let body = if text.trim().is_empty() {
        ResponseBody::Empty
    } else {
        json::parse(&text).map_or(ResponseBody::NotJson, ResponseBody::Json)
    };
    Ok(HttpResponse {
        status,
        retry_after,
        body,
    })
}
