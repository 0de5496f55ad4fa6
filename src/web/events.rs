//! `onChange` / `onWarning` subscribers (the events themselves are [`crate::core::AuthEvent`]). Callbacks are called with no Rust borrow held, so a
//! callback may call back into the client; a throwing callback is reported, never propagated.

use js_sys::Function;
use std::cell::{Cell, RefCell};
use wasm_bindgen::JsValue;

/// A list of JS callbacks with ids for unsubscribing.
#[derive(Default)]
pub struct Subscribers {
    next: Cell<u32>,
    list: RefCell<Vec<(u32, Function)>>,
}

impl Subscribers {
    /// Adds a callback and returns its id.
    pub fn add(&self, f: Function) -> u32 {
        let id = self.next.get().wrapping_add(1);
        self.next.set(id);
        self.list.borrow_mut().push((id, f));
        id
    }

    /// Removes the callback with `id` (idempotent).
    pub fn remove(&self, id: u32) {
        self.list.borrow_mut().retain(|(i, _)| *i != id);
    }

    /// Removes every callback.
    pub fn clear(&self) {
        self.list.borrow_mut().clear();
    }

    /// Calls every callback with `a` and `b`; a throwing callback is logged to the console.
    pub fn emit(&self, a: &JsValue, b: &JsValue) {
        let snapshot: Vec<Function> = self.list.borrow().iter().map(|(_, f)| f.clone()).collect();
        for f in snapshot {
            if let Err(e) = f.call2(&JsValue::UNDEFINED, a, b) {
                web_sys::console::error_2(&"nexudus-auth: an event callback threw".into(), &e);
            }
        }
    }
}
