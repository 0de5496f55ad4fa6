//! `auth.fetch(input, init)`: `fetch` with `Authorization: Bearer`, refreshed first when due,
//! and on a 401 refreshed once and retried once (never when the body was a one-shot stream).
//! The bearer token is only ever sent to the API's own origin: relative URLs resolve against
//! `baseUrl`, and an absolute URL on another origin is refused.

use super::client::Inner;
use super::error::WebError;
use super::fetch::Deadline;
use super::options::field;
use std::rc::Rc;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Request, RequestInit, Response};

impl Inner {
    /// Resolves `input` (a string, URL or Request) against `baseUrl` and checks its origin.
    fn bind_request(&self, input: &JsValue, init: &JsValue) -> Result<Request, WebError> {
        let bad = || WebError::config("fetch input must be a URL string, URL or Request");
        let base = self.cfg.base_url.as_str();
        let request = if let Some(req) = input.dyn_ref::<Request>() {
            let init: &RequestInit = init.unchecked_ref();
            if init.is_undefined() {
                req.clone().map_err(|_| bad())?
            } else {
                Request::new_with_request_and_init(req, init).map_err(|_| bad())?
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
                format!("{base}{raw}")
            } else {
                raw
            };
            let init: &RequestInit = init.unchecked_ref();
            if init.is_undefined() {
                Request::new_with_str(&raw)
            } else {
                Request::new_with_str_and_init(&raw, init)
            }
            .map_err(|_| bad())?
        };
        let url = request.url();
        let origin = self.cfg.base_url.origin();
        let same = url.len() >= origin.len()
            && url[..origin.len()].eq_ignore_ascii_case(origin)
            && matches!(
                url.as_bytes().get(origin.len()),
                None | Some(b'/') | Some(b'?') | Some(b'#')
            );
        if !same {
            return Err(WebError::config(
                "auth.fetch only sends the token to baseUrl's origin",
            ));
        }
        Ok(request)
    }

    /// The authorised fetch.
    pub async fn authorized_fetch(
        self: &Rc<Self>,
        input: JsValue,
        init: JsValue,
    ) -> Result<Response, WebError> {
        let request = self.bind_request(&input, &init)?;
        // The caller's own signal wins; otherwise `timeoutMs` applies until the response headers.
        let timed = field(&init, "signal").is_undefined();
        let one_shot = field(&init, "body").is_instance_of::<web_sys::ReadableStream>();
        let retry = if one_shot { None } else { request.clone().ok() };
        let token = self.access_token().await?;
        let response = self.send_with(&request, &token, timed).await?;
        let Some(retry) = retry.filter(|_| response.status() == 401) else {
            return Ok(response);
        };
        let fresh = self.refresh_shared(super::refresh::Mode::Forced).await?;
        self.send_with(&retry, fresh.access_token.secret(), timed)
            .await
    }

    async fn send_with(
        &self,
        request: &Request,
        token: &str,
        timed: bool,
    ) -> Result<Response, WebError> {
        let window = web_sys::window().ok_or(WebError::Network)?;
        let _ = request
            .headers()
            .set("authorization", &format!("Bearer {token}"));
        // Our deadline only when the caller brought no signal of their own.
        let deadline = if timed {
            Some(Deadline::new(self.cfg.timeout_ms)?)
        } else {
            None
        };
        let bound;
        let request = match &deadline {
            Some(d) => {
                let init = RequestInit::new();
                init.set_signal(Some(&d.signal()));
                bound = Request::new_with_request_and_init(request, &init)
                    .map_err(|_| WebError::Network)?;
                &bound
            }
            None => request,
        };
        let response = JsFuture::from(window.fetch_with_request(request))
            .await
            .map_err(|_| {
                deadline
                    .as_ref()
                    .map_or(WebError::Network, Deadline::failure)
            })?;
        Ok(response.unchecked_into())
    }
}
