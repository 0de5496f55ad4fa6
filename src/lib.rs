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
//! * `web` (wasm32 only): the thin browser layer (fetch, storage, timers, Web Locks,
//!   BroadcastChannel, DOM listeners) that carries out what the core decides.
//! * `facade` (wasm32 only): the one `#[wasm_bindgen]` file, the JavaScript API of docs/CONTRACT.md.
#![deny(missing_docs)]

pub mod core;

#[cfg(target_arch = "wasm32")]
pub mod web;

#[cfg(target_arch = "wasm32")]
pub mod facade;
