//! The web layer's error: a [`CoreError`] from the pure core, or a failure of the browser
//! itself (network, timeout, storage). At the JS boundary it becomes the `AuthError` class of
//! `auth_error.js`, with `code`, `status` and the server's `description`; secrets never appear.

use crate::core::error::{CoreError, ErrorCode};
use std::rc::Rc;
use thiserror::Error;
use wasm_bindgen::prelude::*;

#[wasm_bindgen(module = "/src/web/auth_error.js")]
extern "C" {
    #[wasm_bindgen(js_name = AuthError)]
    type JsAuthError;

    #[wasm_bindgen(constructor, js_class = "AuthError")]
    fn new(
        code: &str,
        message: &str,
        status: JsValue,
        description: JsValue,
        extra: JsValue,
    ) -> JsAuthError;
}

/// Everything that can go wrong in the web layer. `Display` is the `AuthError` message
/// ([`WebError::message`], built without `core::fmt` so the formatting code stays out of the wasm).
#[derive(Debug, Error)]
#[error("{}", self.message())]
pub enum WebError {
    /// The server answered and the core judged the answer (keeps `error`/`error_description`).
    Core(#[from] CoreError),
    /// `fetch` rejected: offline, DNS, CORS, connection dropped.
    Network,
    /// No answer within the configured `timeoutMs`; the request was aborted.
    Timeout,
    /// `auth.fetch` got a 401 for a request whose body was a one-shot stream, so it could not be
    /// retried with a refreshed token; reported to `onWarning` (the caller gets the 401 Response).
    NotRetried,
    /// The chosen storage threw or answered something unusable.
    Storage(&'static str),
    /// An option or argument has the wrong type or is missing (code `invalid_config`); the
    /// message is composed from the parts, so the wasm holds each phrase once.
    Option {
        /// The option or argument, e.g. `"email"`.
        key: &'static str,
        /// What it must be, e.g. `"a string"`.
        want: &'static str,
    },
    /// One failure handed to several callers (every caller that joined one refresh): shared, not
    /// copied, so the error type needs no `Clone` (its code was 1 KB of the wasm).
    Shared(Rc<WebError>),
}

impl WebError {
    /// Shorthand for an invalid-configuration error.
    pub fn config(reason: &'static str) -> WebError {
        WebError::Core(CoreError::InvalidConfig(reason))
    }

    /// The contract's error code.
    pub fn code(&self) -> ErrorCode {
        match self {
            WebError::Shared(e) => e.code(),
            WebError::Core(e) => e.code(),
            WebError::Network => ErrorCode::Network,
            WebError::Timeout => ErrorCode::Timeout,
            WebError::NotRetried => ErrorCode::Unauthorized,
            WebError::Storage(_) => ErrorCode::Storage,
            WebError::Option { .. } => ErrorCode::InvalidConfig,
        }
    }

    /// A `Retry-After` the server asked for, in seconds.
    pub fn retry_after_s(&self) -> Option<f64> {
        match self {
            WebError::Shared(e) => e.retry_after_s(),
            WebError::Core(e) => e.retry_after_s(),
            _ => None,
        }
    }

    /// The `AuthError` message: short, human and secret-free.
    pub fn message(&self) -> String {
        String::from(match self {
            WebError::Core(e) => return e.message(),
            WebError::Shared(e) => return e.message(),
            WebError::Option { key, want } => return [key, " must be ", want].concat(),
            WebError::Storage(why) => why,
            WebError::NotRetried => "401 not retried: the body was a one-shot stream",
            other => other.code().default_message(),
        })
    }

    /// Builds the JS `AuthError` (a real `Error` subclass) for this error.
    pub fn to_js(&self) -> JsValue {
        if let WebError::Shared(e) = self {
            return e.to_js();
        }
        let (status, description) = match self {
            WebError::Core(e) => (
                e.status().map(|s| JsValue::from(s as f64)),
                e.description().map(JsValue::from),
            ),
            _ => (None, None),
        };
        let extra = js_sys::Object::new();
        if let WebError::Core(e) = self {
            if let Some(token) = e.reset_token() {
                set(&extra, "resetToken", &token.secret().into());
            }
            if !e.errors().is_empty() {
                let list: js_sys::Array = e
                    .errors()
                    .iter()
                    .map(|m| JsValue::from(m.as_str()))
                    .collect();
                set(&extra, "errors", &list);
            }
        }
        if let Some(s) = self.retry_after_s() {
            set(&extra, "retryAfter", &s.into());
        }
        JsAuthError::new(
            self.code().as_str(),
            &self.message(),
            status.unwrap_or(JsValue::NULL),
            description.unwrap_or(JsValue::NULL),
            extra.into(),
        )
        .into()
    }
}

impl From<WebError> for JsValue {
    fn from(e: WebError) -> JsValue {
        e.to_js()
    }
}

/// `Reflect.set` that cannot fail on a plain object.
pub fn set(target: &js_sys::Object, key: &str, value: &JsValue) {
    let _ = js_sys::Reflect::set(target, &JsValue::from_str(key), value);
}
