//! Where the session lives: `localStorage`, `sessionStorage`, this tab's memory, or a custom
//! adapter (`getItem/setItem/removeItem`, sync or Promise-returning). A storage that throws
//! (quota, Safari private mode, disabled cookies) never loses the sign-in: the store falls back
//! to memory and reports a warning instead of an error.

use super::error::WebError;
use js_sys::{Function, Promise, Reflect};
use std::cell::RefCell;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

const FELL_BACK: &str =
    "Storage is not usable here; the session is kept in this tab's memory only.";

enum Backend {
    Memory(Option<String>),
    /// `localStorage`, `sessionStorage` or an adapter: all three are called the same way, by
    /// method name (a `Storage` has `getItem`/`setItem`/`removeItem` too), sync or Promise.
    Object(JsValue),
}

/// One storage slot (the `storageKey`) in the backend the caller chose.
pub struct Store {
    key: String,
    backend: RefCell<Backend>,
    shared: bool,
    /// `localStorage`, whose `storage` events announce other tabs' writes.
    local: bool,
}

impl Store {
    /// Opens `choice` (`'local'`, `'session'`, `'memory'`, an adapter object, or undefined for
    /// local). An unusable built-in storage falls back to memory with a warning.
    pub fn open(choice: &JsValue, key: String) -> Result<(Store, Option<WebError>), WebError> {
        let window =
            web_sys::window().ok_or(WebError::config("nexudus-auth needs a browser window"))?;
        let name = if choice.is_undefined() || choice.is_null() {
            Some("local".to_string())
        } else {
            choice.as_string()
        };
        let local = name.as_deref() == Some("local");
        let (backend, shared, warning) = match name.as_deref() {
            Some("local" | "session") => {
                let storage = if local {
                    window.local_storage()
                } else {
                    window.session_storage()
                };
                match storage {
                    // Only `localStorage` is shared with the other tabs.
                    Ok(Some(s)) => (Backend::Object(s.into()), local, None),
                    _ => (
                        Backend::Memory(None),
                        false,
                        Some(WebError::Storage(FELL_BACK)),
                    ),
                }
            }
            Some("memory") => (Backend::Memory(None), false, None),
            Some(_) => {
                return Err(WebError::config(
                    "storage must be 'local', 'session', 'memory' or an adapter",
                ))
            }
            None => {
                for method in ["getItem", "setItem", "removeItem"] {
                    if !Reflect::get(choice, &method.into())
                        .map(|f| f.is_function())
                        .unwrap_or(false)
                    {
                        return Err(WebError::config(
                            "a storage adapter needs getItem, setItem and removeItem",
                        ));
                    }
                }
                (Backend::Object(choice.clone()), true, None)
            }
        };
        let store = Store {
            key,
            backend: RefCell::new(backend),
            shared,
            local,
        };
        Ok((store, warning))
    }

    /// Whether other tabs see this storage (localStorage or an adapter), so cross-tab sync applies.
    pub fn shared_across_tabs(&self) -> bool {
        self.shared && !matches!(*self.backend.borrow(), Backend::Memory(_))
    }

    /// Whether this is `localStorage`, whose `storage` events announce other tabs' writes.
    pub fn is_local_storage(&self) -> bool {
        self.local && !matches!(*self.backend.borrow(), Backend::Memory(_))
    }

    /// The storage key.
    pub fn key(&self) -> &str {
        &self.key
    }

    fn fall_back(&self, value: Option<String>) -> WebError {
        *self.backend.borrow_mut() = Backend::Memory(value);
        WebError::Storage(FELL_BACK)
    }

    /// Reads the stored value. On a throwing backend: falls back to memory and returns the warning.
    pub async fn read(&self) -> (Option<String>, Option<WebError>) {
        let pending = match &*self.backend.borrow() {
            Backend::Memory(v) => return (v.clone(), None),
            Backend::Object(o) => call(o, "getItem", &[&self.key]),
        };
        let value = settle(pending).await;
        match value {
            Ok(v) if v.is_null() || v.is_undefined() => (None, None),
            Ok(v) => match v.as_string() {
                Some(s) => (Some(s), None),
                None => (None, None),
            },
            Err(_) => (None, Some(self.fall_back(None))),
        }
    }

    /// Stores `value`. A throwing backend keeps the value in memory and returns a warning.
    pub async fn write(&self, value: &str) -> Option<WebError> {
        let pending = match &*self.backend.borrow_mut() {
            Backend::Memory(_) => None,
            Backend::Object(o) => Some(call(o, "setItem", &[&self.key, value])),
        };
        let result = match pending {
            None => {
                *self.backend.borrow_mut() = Backend::Memory(Some(value.to_string()));
                return None;
            }
            Some(r) => settle(r).await,
        };
        result
            .err()
            .map(|_| self.fall_back(Some(value.to_string())))
    }

    /// Removes the stored value, synchronously for the built-in storages (so `signOut()` has
    /// cleared storage when it returns); an adapter's Promise is left to finish on its own.
    pub fn remove(&self) -> Option<WebError> {
        let result = match &mut *self.backend.borrow_mut() {
            Backend::Memory(v) => {
                *v = None;
                Ok(JsValue::UNDEFINED)
            }
            Backend::Object(o) => call(o, "removeItem", &[&self.key]),
        };
        match result {
            Ok(v) => {
                // Awaited in the background so a rejection is handled, not reported as unhandled.
                if let Ok(p) = v.dyn_into::<Promise>() {
                    wasm_bindgen_futures::spawn_local(async move {
                        let _ = JsFuture::from(p).await;
                    });
                }
                None
            }
            Err(_) => Some(self.fall_back(None)),
        }
    }
}

/// Calls `target[method](...args)`, turning a throw into `Err`.
fn call(target: &JsValue, method: &str, args: &[&str]) -> Result<JsValue, JsValue> {
    let f: Function = Reflect::get(target, &method.into())?.dyn_into()?;
    let args: js_sys::Array = args.iter().map(|a| JsValue::from_str(a)).collect();
    f.apply(target, &args)
}

/// Awaits a value that may be a Promise.
async fn settle(value: Result<JsValue, JsValue>) -> Result<JsValue, JsValue> {
    let v = value?;
    match v.dyn_into::<Promise>() {
        Ok(p) => JsFuture::from(p).await,
        Err(v) => Ok(v),
    }
}
