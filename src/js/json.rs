//! JSON through the JavaScript engine: `JSON.parse` / `JSON.stringify`, walked into and out of
//! the core's [`Value`]. No JSON code of our own ships in the wasm (docs/ARCHITECTURE.md,
//! "Dependencies").

use crate::core::value::{Value, MAX_DEPTH};
use js_sys::{Array, Object, JSON};
use wasm_bindgen::{JsCast, JsValue};

/// Parses `text` with `JSON.parse`; `None` when it is not JSON or nests deeper than
/// [`MAX_DEPTH`].
pub fn parse(text: &str) -> Option<Value> {
    from_js(&JSON::parse(text).ok()?, 0)
}

/// Writes `value` compactly with `JSON.stringify` (members in their order).
pub fn stringify(value: &Value) -> String {
    JSON::stringify(&to_js(value))
        .ok()
        .and_then(|s| s.as_string())
        .unwrap_or_default()
}

fn from_js(v: &JsValue, depth: usize) -> Option<Value> {
    if depth > MAX_DEPTH {
        return None;
    }
    if v.is_null() {
        return Some(Value::Null);
    }
    if let Some(b) = v.as_bool() {
        return Some(Value::Bool(b));
    }
    if let Some(n) = v.as_f64() {
        return Some(Value::Num(n));
    }
    if let Some(s) = v.as_string() {
        return Some(Value::Str(s));
    }
    if let Some(items) = v.dyn_ref::<Array>() {
        return items
            .iter()
            .map(|i| from_js(&i, depth + 1))
            .collect::<Option<_>>()
            .map(Value::Arr);
    }
    let object = v.dyn_ref::<Object>()?;
    Object::entries(object)
        .iter()
        .map(|pair| {
            let pair: Array = pair.unchecked_into();
            Some((pair.get(0).as_string()?, from_js(&pair.get(1), depth + 1)?))
        })
        .collect::<Option<_>>()
        .map(Value::Obj)
}

fn to_js(v: &Value) -> JsValue {
    match v {
        Value::Null => JsValue::NULL,
        Value::Bool(b) => JsValue::from_bool(*b),
        Value::Num(n) => JsValue::from_f64(*n),
        Value::Str(s) => JsValue::from_str(s),
        Value::Arr(items) => items.iter().map(to_js).collect::<Array>().into(),
        Value::Obj(members) => {
            let o = Object::new();
            for (k, v) in members {
                super::error::set(&o, k, &to_js(v));
            }
            o.into()
        }
    }
}
