//! A tiny JSON reader and writer (`serde_json` costs tens of KB of wasm).
//!
//! [`parse`] is strict RFC 8259: one value, surrounded only by whitespace; `\uXXXX` escapes
//! with surrogate pairs (lone surrogates are rejected); nesting deeper than [`MAX_DEPTH`] is
//! rejected. It never panics and never recurses (an explicit stack holds open containers).
//!
//! Numbers are read without the float-parsing tables of `core`: integers up to 2^53 and
//! decimals with at most 15 significant digits and a small exponent are exact (the classic
//! fast path); other numbers are accurate to a few units in the last place, which is ample for
//! lifetimes, ids and timestamps. Non-finite results (`1e999`) are rejected.

mod parse;
mod write;

pub use parse::parse;
pub use write::{write_num, write_str, write_u64, ObjectWriter};

/// The deepest nesting of arrays/objects [`parse`] accepts.
pub const MAX_DEPTH: usize = 64;

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
    /// An object: `(key, value)` pairs in document order (duplicates kept).
    Obj(Vec<(String, Value)>),
}

impl Value {
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
}
