//! Wall clock and randomness at the edge; the core only ever receives these as arguments.

/// Milliseconds since the Unix epoch, as `Date.now()`.
pub fn now_ms() -> f64 {
    js_sys::Date::now()
}

/// A number in `[0, 1)` from `Math.random()`, used as refresh jitter so tabs do not align.
pub fn jitter() -> f64 {
    js_sys::Math::random()
}
