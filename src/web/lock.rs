//! Cross-tab mutual exclusion with Web Locks (`navigator.locks`), through the small binding
//! `acquire` in `bindings.js`. The guard releases the lock when dropped, so an early return or an
//! error can never leave it held; a crashed tab's locks are released by the browser, a frozen
//! tab's are stolen after the timeout.

use js_sys::{Function, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

#[wasm_bindgen(module = "/src/web/bindings.js")]
extern "C" {
    fn acquire(name: &str, timeout_ms: f64) -> js_sys::Promise;
}

/// A held Web Lock; released on drop.
#[must_use = "the lock is released when the guard is dropped"]
pub struct LockGuard {
    release: Function,
    /// Whether another holder had the lock first (so it may just have refreshed).
    pub waited: bool,
}

impl Drop for LockGuard {
    fn drop(&mut self) {
        let _ = self.release.call0(&JsValue::UNDEFINED);
    }
}

/// Takes the lock `name`, waiting at most `timeout_ms` before stealing it from a frozen holder.
/// `None` where the browser has no Web Locks: the caller proceeds with its in-tab single flight.
pub async fn lock(name: &str, timeout_ms: f64) -> Option<LockGuard> {
    let held = JsFuture::from(acquire(name, timeout_ms)).await.ok()?;
    if held.is_null() || held.is_undefined() {
        return None;
    }
    let release = Reflect::get(&held, &"release".into())
        .ok()?
        .dyn_into()
        .ok()?;
    let waited = Reflect::get(&held, &"waited".into()).ok()?.is_truthy();
    Some(LockGuard { release, waited })
}
