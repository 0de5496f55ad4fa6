//! The error of the JS boundary: a [`CoreError`] from the pure core, or an argument of the wrong
//! type. At the boundary it becomes the `AuthError` class of `auth_error.js`, with `code`,
//! `status` and the server's `description`; secrets never appear. The failures of the browser
//! itself (network, timeout, storage) are raised by the JavaScript shell with the same class.

use crate::core::error::{CoreError, ErrorCode};
use thiserror::Error;
use wasm_bindgen::prelude::*;

#[wasm_bindgen(module = "/src/js/auth_error.js")]
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

/// Everything the synchronous API can refuse. `Display` is the `AuthError` message
/// ([`JsError::message`], built without `core::fmt` so the formatting code stays out of the wasm).
#[derive(Debug, Error)]
#[error("{}", self.message())]
pub enum JsError {
    /// The core judged an answer or a value (keeps the server's `error`/`error_description`).
    Core(#[from] CoreError),
    /// An option or argument has the wrong type or is missing (code `invalid_config`); the
    /// message is composed from the parts, so the wasm holds each phrase once.
    Option {
        /// The option or argument, e.g. `"email"`.
        key: &'static str,
        /// What it must be, e.g. `"a string"`.
        want: &'static str,
    },
}

impl JsError {
    /// The contract's error code.
    pub fn code(&self) -> ErrorCode {
        match self {
            JsError::Core(e) => e.code(),
            JsError::Option { .. } => ErrorCode::InvalidConfig,
        }
    }

    /// The `AuthError` message: short, human and secret-free.
    pub fn message(&self) -> String {
        match self {
            JsError::Core(e) => e.message(),
            JsError::Option { key, want } => [key, " must be ", want].concat(),
        }
    }

    /// Builds the JS `AuthError` (a real `Error` subclass) for this error.
    pub fn to_js(&self) -> JsValue {
        let core = match self {
            JsError::Core(e) => Some(e),
            JsError::Option { .. } => None,
        };
        let status = core
            .and_then(CoreError::status)
            .map(|s| JsValue::from(s as f64));
        let description = core.and_then(CoreError::description).map(JsValue::from);
        let extra = js_sys::Object::new();
        if let Some(e) = core {
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
        if let Some(s) = core.and_then(CoreError::retry_after_s) {
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

impl From<JsError> for JsValue {
    fn from(e: JsError) -> JsValue {
        e.to_js()
    }
}

/// `Reflect.set` that cannot fail on a plain object.
pub fn set(target: &js_sys::Object, key: &str, value: &JsValue) {
    let _ = js_sys::Reflect::set(target, &JsValue::from_str(key), value);
}
