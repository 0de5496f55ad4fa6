//! One-shot timers as RAII handles (gloo-timers style): dropping the handle clears the timeout.

use wasm_bindgen::prelude::*;

/// Browsers store timeouts as a signed 32-bit number of milliseconds; longer delays fire at once.
const MAX_DELAY_MS: f64 = 2_147_483_647.0;

/// A pending `setTimeout`; cancelled when dropped.
#[must_use = "timeouts cancel on drop"]
pub struct Timeout {
    id: i32,
    _callback: Closure<dyn FnMut()>,
}

impl Timeout {
    /// Schedules `f` after `delay_ms` (clamped to what browsers accept). `None` without a window.
    pub fn new(delay_ms: f64, f: impl FnOnce() + 'static) -> Option<Timeout> {
        let callback = Closure::once(f);
        let delay = delay_ms.clamp(0.0, MAX_DELAY_MS) as i32;
        let id = web_sys::window()?
            .set_timeout_with_callback_and_timeout_and_arguments_0(
                callback.as_ref().unchecked_ref(),
                delay,
            )
            .ok()?;
        Some(Timeout {
            id,
            _callback: callback,
        })
    }
}

impl Drop for Timeout {
    fn drop(&mut self) {
        if let Some(window) = web_sys::window() {
            window.clear_timeout_with_handle(self.id);
        }
    }
}

/// A promise that resolves after `ms` milliseconds (used for short waits, never for scheduling).
pub async fn sleep(ms: f64) {
    let promise = js_sys::Promise::new(&mut |resolve, _reject| {
        if let Some(window) = web_sys::window() {
            let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(
                &resolve,
                ms.max(0.0) as i32,
            );
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}
