//! Helpers of the browser tests of the synchronous API (`tests/web_*.rs`): JS values built and
//! read the way the JavaScript shell does.
#![allow(dead_code)]

use js_sys::{Object, Reflect};
use wasm_bindgen::{JsCast, JsValue};

/// `{k: v, ...}`.
pub fn obj(pairs: &[(&str, JsValue)]) -> JsValue {
    let o = Object::new();
    for (k, v) in pairs {
        Reflect::set(&o, &JsValue::from_str(k), v).unwrap();
    }
    o.into()
}

/// `obj[key]`.
pub fn get(o: &JsValue, key: &str) -> JsValue {
    Reflect::get(o, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

/// `obj[key]` as a string (panics when it is not one).
pub fn text(o: &JsValue, key: &str) -> String {
    get(o, key)
        .as_string()
        .unwrap_or_else(|| panic!("{key} is not a string"))
}

/// The `code` of a thrown value, after checking it is a real `AuthError` (an `Error` subclass).
pub fn code_of(err: &JsValue) -> String {
    assert!(
        err.is_instance_of::<js_sys::Error>(),
        "errors are Error instances"
    );
    assert_eq!(get(err, "name").as_string().as_deref(), Some("AuthError"));
    get(err, "code").as_string().expect("AuthError has a code")
}

/// The options of a client on `https://api.example.com`.
pub fn options(extra: &[(&str, JsValue)]) -> JsValue {
    let mut pairs = vec![("baseUrl", JsValue::from_str("https://api.example.com"))];
    pairs.extend(extra.iter().cloned());
    obj(&pairs)
}

/// base64url without padding, with `btoa` (the tests' JWTs).
pub fn b64url(s: &str) -> String {
    // btoa takes one char per byte: spread the UTF-8 bytes first
    let binary: String = s.bytes().map(char::from).collect();
    let b64 = js_sys::global().unchecked_into::<Global>().btoa(&binary);
    b64.trim_end_matches('=')
        .replace('+', "-")
        .replace('/', "_")
}

/// An unsigned JWT whose payload is `payload` (JSON text).
pub fn jwt(payload: &str) -> String {
    format!(
        "{}.{}.sig",
        b64url(r#"{"alg":"HS256","typ":"JWT"}"#),
        b64url(payload)
    )
}

#[wasm_bindgen::prelude::wasm_bindgen]
extern "C" {
    type Global;
    #[wasm_bindgen::prelude::wasm_bindgen(method)]
    fn btoa(this: &Global, data: &str) -> String;
}

/// A token answer's JSON text: access token `token`, an hour, refresh token `r-<token>`.
pub fn grant(token: &str) -> String {
    format!(
        r#"{{"access_token":"{token}","token_type":"bearer","expires_in":3600,"refresh_token":"r-{token}"}}"#
    )
}

/// An answer as the shell's `send` resolves it: `{status, retryAfter, text}`.
pub fn answer(status: u16, retry_after: Option<&str>, text: &str) -> JsValue {
    let retry_after = retry_after.map_or(JsValue::UNDEFINED, JsValue::from);
    obj(&[
        ("status", status.into()),
        ("retryAfter", retry_after),
        ("text", text.into()),
    ])
}
