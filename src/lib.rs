//! # nexudus-auth
//!
//! Signs customers in to a Nexudus coworking portal from the browser and keeps them signed in:
//! password sign-in with 2FA, one-time JWT exchange, authenticated portal links, password reset,
//! Rebilly's authentication-token exchange, token storage and refresh scheduling across tabs.
//!
//! The crate is split by layer, and the folders say which is which:
//! * [`core`]: pure and deterministic (no I/O, no clock: `now` is an argument). It builds
//!   every request as data, parses every answer, maps errors and decides when to refresh.
//!   Tested natively with `cargo test`.
//! * `js` (wasm32 only): the conversions at the JavaScript boundary (values, JSON, options,
//!   `AuthError`).
//! * `facade` (wasm32 only): the one `#[wasm_bindgen]` file, the synchronous `Machine` that the
//!   JavaScript shell of the package (`pkg-template/shell/`: fetch, storage, timers, Web Locks,
//!   BroadcastChannel, DOM listeners) drives; the shell carries the API of docs/CONTRACT.md.
#![deny(missing_docs)]

pub mod core;

#[cfg(target_arch = "wasm32")]
pub mod js;

#[cfg(target_arch = "wasm32")]
pub mod facade;

/// The wasm's allocator: lol_alloc's address-sorted, coalescing free list (2.5 KB brotli smaller than
/// std's dlmalloc; chosen by size and by tests/e2e/memory.test.mjs, see bench/RESULTS.md).
// SAFETY: wasm32-unknown-unknown without the atomics feature has one thread.
#[cfg(target_arch = "wasm32")]
#[global_allocator]
static ALLOCATOR: lol_alloc::AssumeSingleThreaded<lol_alloc::FreeListAllocator> =
    unsafe { lol_alloc::AssumeSingleThreaded::new(lol_alloc::FreeListAllocator::new()) };
