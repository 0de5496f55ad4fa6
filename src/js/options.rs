//! Decodes the JS option objects inside the function (not at the ABI), so a wrong argument
//! becomes `AuthError('invalid_config')` instead of a throw from the glue.

use super::error::JsError;
use crate::core::config::ConfigInput;
use crate::core::secret::{OneTimeToken, Password};
use js_sys::{Array, Reflect};
use wasm_bindgen::{JsCast, JsValue};

/// `obj[key]`, or undefined when `obj` is not an object.
pub fn field(obj: &JsValue, key: &str) -> JsValue {
    if !obj.is_object() {
        return JsValue::UNDEFINED;
    }
    Reflect::get(obj, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

fn absent(v: &JsValue) -> bool {
    v.is_undefined() || v.is_null()
}

/// `key must be want` (`invalid_config`).
pub fn wrong(key: &'static str, want: &'static str) -> JsError {
    JsError::Option { key, want }
}

/// An optional string option; an error when present with another type.
pub fn string(obj: &JsValue, key: &'static str) -> Result<Option<String>, JsError> {
    let v = field(obj, key);
    if absent(&v) {
        return Ok(None);
    }
    v.as_string().map(Some).ok_or(wrong(key, "a string"))
}

/// A required non-empty string argument, named `key` in the error.
pub fn required(v: &JsValue, key: &'static str) -> Result<String, JsError> {
    v.as_string()
        .filter(|s| !s.is_empty())
        .ok_or(wrong(key, "a non-empty string"))
}

/// A required non-empty string option.
pub fn required_field(obj: &JsValue, key: &'static str) -> Result<String, JsError> {
    required(&field(obj, key), key)
}

/// An optional number argument, named `key` in the error; an error when present with another
/// type or not finite.
pub fn optional_number(v: &JsValue, key: &'static str) -> Result<Option<f64>, JsError> {
    if absent(v) {
        return Ok(None);
    }
    v.as_f64()
        .filter(|n| n.is_finite())
        .map(Some)
        .ok_or(wrong(key, "a number"))
}

/// An optional number option.
pub fn number(obj: &JsValue, key: &'static str) -> Result<Option<f64>, JsError> {
    optional_number(&field(obj, key), key)
}

/// An optional boolean option.
pub fn boolean(obj: &JsValue, key: &'static str) -> Result<Option<bool>, JsError> {
    let v = field(obj, key);
    if absent(&v) {
        return Ok(None);
    }
    v.as_bool().map(Some).ok_or(wrong(key, "a boolean"))
}

const ORIGINS: &str = "an array of origins";

/// `completePasswordReset`'s options: the mailed `token`, the `newPassword` and an optional
/// `businessId`.
pub fn new_password(o: &JsValue) -> Result<(OneTimeToken, Password, Option<f64>), JsError> {
    Ok((
        OneTimeToken::new(required_field(o, "token")?),
        Password::new(required_field(o, "newPassword")?),
        number(o, "businessId")?,
    ))
}

/// Reads `NexudusAuth.create` options into the core's [`ConfigInput`].
pub fn config_input(options: &JsValue) -> Result<ConfigInput, JsError> {
    if !options.is_object() {
        return Err(wrong("options", "an object with baseUrl"));
    }
    let origins = field(options, "allowedRedirectOrigins");
    let allowed_redirect_origins = if absent(&origins) {
        Vec::new()
    } else {
        let list: Array = origins
            .dyn_into()
            .map_err(|_| wrong("allowedRedirectOrigins", ORIGINS))?;
        list.iter()
            .map(|o| {
                o.as_string()
                    .ok_or(wrong("allowedRedirectOrigins", ORIGINS))
            })
            .collect::<Result<_, _>>()?
    };
    Ok(ConfigInput {
        base_url: string(options, "baseUrl")?,
        portal_url: string(options, "portalUrl")?,
        client_id: string(options, "clientId")?,
        business_id: number(options, "businessId")?,
        storage_key: string(options, "storageKey")?,
        token_lifetime_minutes: number(options, "tokenLifetimeMinutes")?,
        refresh_leeway_seconds: number(options, "refreshLeewaySeconds")?,
        auto_refresh: boolean(options, "autoRefresh")?,
        timeout_ms: number(options, "timeoutMs")?,
        allowed_redirect_origins,
    })
}
