//! The panic hook of debug and stable builds (installed by `src/facade.rs`'s start function): one
//! readable console error instead of an opaque `unreachable` trap. No `format!`, to keep the module
//! small. The release package (`panic=immediate-abort`) has no hook.

use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = console, js_name = error)]
    fn console_error(a: &str, b: &str, c: &str, d: u32);
}

/// Logs `nexudus-auth panicked: <message> <file> <line>` on a panic.
pub fn install_hook() {
    std::panic::set_hook(Box::new(|info| {
        let payload = info.payload();
        let what = payload
            .downcast_ref::<&str>()
            .copied()
            .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
            .unwrap_or("panic");
        let (file, line) = info.location().map_or(("?", 0), |l| (l.file(), l.line()));
        console_error("nexudus-auth panicked:", what, file, line);
    }));
}
