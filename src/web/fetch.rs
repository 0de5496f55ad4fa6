//! Sends a core [`HttpRequest`] with `fetch` and hands back a plain [`HttpResponse`].
//! Every request has a timeout and is aborted with an `AbortController` when it passes.

use super::error::WebError;
use super::timer::Timeout;
use crate::core::error::CoreError;
use crate::core::http::{HttpRequest, HttpResponse, MAX_BODY_BYTES};
use std::cell::Cell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortController, Headers, RequestInit, Response};

/// A request timeout: an `AbortController` aborted by a timer (cancelled when dropped).
pub struct Deadline {
    controller: AbortController,
    timed_out: Rc<Cell<bool>>,
    _timer: Option<Timeout>,
}

impl Deadline {
    /// Starts a deadline `ms` from now.
    pub fn new(ms: u32) -> Result<Deadline, WebError> {
        let controller = AbortController::new().map_err(|_| WebError::Network)?;
        let timed_out = Rc::new(Cell::new(false));
        let timer = {
            let (controller, timed_out) = (controller.clone(), timed_out.clone());
            Timeout::new(f64::from(ms), move || {
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

/// Performs `request`, waiting at most `timeout_ms` for the status line and the body together.
pub async fn send(request: &HttpRequest, timeout_ms: u32) -> Result<HttpResponse, WebError> {
    let window = web_sys::window().ok_or(WebError::Network)?;
    let deadline = Deadline::new(timeout_ms)?;
    let failed = |_| deadline.failure();

    let headers = Headers::new().map_err(|_| WebError::Network)?;
    for (name, value) in &request.headers {
        headers
            .set(name, value)
            .map_err(|_| WebError::config("invalid header value"))?;
    }
    let init = RequestInit::new();
    init.set_method(request.method.as_str());
    init.set_headers(&headers);
    init.set_signal(Some(&deadline.signal()));
    if let Some(body) = &request.body {
        init.set_body(&JsValue::from_str(body));
    }
    let response: Response = JsFuture::from(window.fetch_with_str_and_init(&request.url, &init))
        .await
        .map_err(failed)?
        .unchecked_into();
    let status = response.status();
    let got = response.headers();
    let content_type = got.get("content-type").ok().flatten();
    let retry_after = got.get("retry-after").ok().flatten();
    let text = response.text().map_err(|_| WebError::Network)?;
    let body = JsFuture::from(text)
        .await
        .map_err(failed)?
        .as_string()
        .unwrap_or_default();
    if body.len() > MAX_BODY_BYTES {
        return Err(CoreError::BadResponse {
            status,
            reason: "response too large",
        }
        .into());
    }
    Ok(HttpResponse {
        status,
        content_type,
        retry_after,
        body,
    })
}
