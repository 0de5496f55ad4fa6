//! The JSON data model the core validates: a small value enum.
//!
//! The core never reads JSON text. The browser layer parses with the engine's own
//! `JSON.parse` and walks the result into a [`Value`] (`src/js/json.rs`); the native tests
//! fill it from `serde_json`. Validators in [`super::responses`] and [`super::session`] read
//! only the members they need and turn anything else into a typed error.

/// The deepest nesting of arrays/objects a converter hands to the core; deeper bodies are
/// refused as unreadable (they come from no real server and would only cost stack).
pub const MAX_DEPTH: usize = 64;

/// A member is present with another type than the one asked for.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct WrongType;

/// A JSON value. Objects keep their members in document order.
#[derive(Clone, PartialEq, Debug)]
pub enum Value {
    /// `null`
    Null,
    /// `true` / `false`
    Bool(bool),
    /// A number.
    Num(f64),
    /// A string.
    Str(String),
    /// An array.
    Arr(Vec<Value>),
    /// An object: `(key, value)` pairs in document order.
    Obj(Vec<(String, Value)>),
}

impl Value {
    /// An object from `(key, value)` pairs.
    pub fn object(members: Vec<(&str, Value)>) -> Value {
        Value::Obj(members.into_iter().map(|(k, v)| (k.into(), v)).collect())
    }

    /// A string value, or `null` for `None`.
    pub fn opt_str(s: Option<&str>) -> Value {
        s.map_or(Value::Null, |s| Value::Str(s.into()))
    }

    /// The member `key` of an object (the last one when a key repeats, like `JSON.parse`).
    pub fn get(&self, key: &str) -> Option<&Value> {
        match self {
            Value::Obj(m) => m.iter().rev().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// The string, if this is a string.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }

    /// The number, if this is a number.
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Value::Num(n) => Some(*n),
            _ => None,
        }
    }

    /// The boolean, if this is a boolean.
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
    }

    /// The items, if this is an array.
    pub fn as_array(&self) -> Option<&[Value]> {
        match self {
            Value::Arr(a) => Some(a),
            _ => None,
        }
    }

    /// The members, if this is an object.
    pub fn as_object(&self) -> Option<&[(String, Value)]> {
        match self {
            Value::Obj(m) => Some(m),
            _ => None,
        }
    }

    /// `true` for `null`.
    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }

    /// A string member that may be absent or null; `Err(WrongType)` for any other type.
    pub fn loose_str(&self, key: &str) -> Result<Option<&str>, WrongType> {
        match self.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Str(s)) => Ok(Some(s)),
            Some(_) => Err(WrongType),
        }
    }

    /// A non-empty string member, copied.
    pub fn non_empty_str(&self, key: &str) -> Option<String> {
        self.get(key)
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
            .map(String::from)
    }
}
