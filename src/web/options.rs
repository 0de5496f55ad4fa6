//! Decodes the JS option objects inside the function (not at the ABI), so a wrong argument
//! becomes `AuthError('invalid_config')` instead of a throw from the glue.

use super::error::WebError;
use crate::core::config::ConfigInput;
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

/// An optional string option; `err` when present with another type.
pub fn string(obj: &JsValue, key: &str, err: &'static str) -> Result<Option<String>, WebError> {
    let v = field(obj, key);
    if absent(&v) {
        return Ok(None);
    }
    v.as_string().map(Some).ok_or(WebError::config(err))
}

/// A required string argument.
pub fn required(v: &JsValue, err: &'static str) -> Result<String, WebError> {
    v.as_string()
        .filter(|s| !s.is_empty())
        .ok_or(WebError::config(err))
}

/// An optional number option; `err` when present with another type or not finite.
pub fn number(obj: &JsValue, key: &str, err: &'static str) -> Result<Option<f64>, WebError> {
    let v = field(obj, key);
    if absent(&v) {
        return Ok(None);
    }
    v.as_f64()
        .filter(|n| n.is_finite())
        .map(Some)
        .ok_or(WebError::config(err))
}

/// An optional boolean option.
pub fn boolean(obj: &JsValue, key: &str, err: &'static str) -> Result<Option<bool>, WebError> {
    let v = field(obj, key);
    if absent(&v) {
        return Ok(None);
    }
    v.as_bool().map(Some).ok_or(WebError::config(err))
}

/// Reads `NexudusAuth.create` options into the core's [`ConfigInput`].
pub fn config_input(options: &JsValue) -> Result<ConfigInput, WebError> {
    if !options.is_object() {
        return Err(WebError::config(
            "NexudusAuth.create needs an options object with baseUrl",
        ));
    }
    let origins = field(options, "allowedRedirectOrigins");
    let allowed_redirect_origins = if absent(&origins) {
        Vec::new()
    } else {
        let list: Array = origins
            .dyn_into()
            .map_err(|_| WebError::config("allowedRedirectOrigins must be an array of origins"))?;
        list.iter()
            .map(|o| {
                o.as_string().ok_or(WebError::config(
                    "allowedRedirectOrigins must be an array of origins",
                ))
            })
            .collect::<Result<_, _>>()?
    };
    Ok(ConfigInput {
        base_url: string(options, "baseUrl", "baseUrl must be a string")?,
        portal_url: string(options, "portalUrl", "portalUrl must be a string")?,
        client_id: string(options, "clientId", "clientId must be a string")?,
        business_id: number(options, "businessId", "businessId must be a number")?,
        storage_key: string(options, "storageKey", "storageKey must be a string")?,
        token_lifetime_minutes: number(
            options,
            "tokenLifetimeMinutes",
            "tokenLifetimeMinutes must be a number",
        )?,
        refresh_leeway_seconds: number(
            options,
            "refreshLeewaySeconds",
            "refreshLeewaySeconds must be a number",
        )?,
        auto_refresh: boolean(options, "autoRefresh", "autoRefresh must be a boolean")?,
        timeout_ms: number(options, "timeoutMs", "timeoutMs must be a number")?,
        allowed_redirect_origins,
    })
}
