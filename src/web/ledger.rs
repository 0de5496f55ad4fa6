//! The refresh ledger (`ledgerGet`/`ledgerSet` in `bindings.js`): the session the last lock
//! holder wrote, in IndexedDB, which unlike `localStorage` is never stale right after a Web Lock
//! hand-off (docs/PLATFORM.md#cross-tab-storage-order). Only used for storages shared across
//! tabs; a missing or failing IndexedDB reads as "no entry".

use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

#[wasm_bindgen(module = "/src/web/bindings.js")]
extern "C" {
    #[wasm_bindgen(js_name = ledgerGet)]
    fn ledger_get(key: &str) -> js_sys::Promise;
    #[wasm_bindgen(js_name = ledgerSet)]
    fn ledger_set(key: &str, value: Option<String>) -> js_sys::Promise;
}

/// The encoded session stored under `key`, if any.
pub async fn read(key: &str) -> Option<String> {
    JsFuture::from(ledger_get(key)).await.ok()?.as_string()
}

/// Records `value` (or removes the entry), resolving once the transaction committed.
pub async fn write(key: &str, value: Option<String>) {
    let _ = JsFuture::from(ledger_set(key, value)).await;
}

/// Removes the entry without waiting (for the synchronous `signOut`).
pub fn forget(key: &str) {
    let _ = ledger_set(key, None);
}
