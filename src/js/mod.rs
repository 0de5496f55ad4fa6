//! The JS boundary of [`crate::facade`]: turning `JsValue`s into the core's types and back.
//! Nothing here does I/O or keeps state; the JavaScript shell (`pkg-template/shell/`) does
//! the I/O and the pure [`crate::core`] decides.
//!
//! * [`convert`]: requests, answers, sessions and JWT claims across the boundary.
//! * [`json`]: JSON through the engine's `JSON.parse` / `JSON.stringify`.
//! * [`options`]: the JS option objects, decoded inside the functions.
//! * [`error`]: [`error::JsError`] and the `AuthError` class of `auth_error.js`.
//! * `panic`: the panic hook of debug and stable builds.

pub mod convert;
pub mod error;
pub mod json;
pub mod options;
#[cfg(not(panic = "immediate-abort"))]
pub mod panic;
