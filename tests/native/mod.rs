//! Shared by the native property tests (`tests/core_props.rs`, `tests/core_hostile*.rs`).
#![allow(dead_code)] // each test binary uses a different part

use proptest::prelude::ProptestConfig;

/// Generated cases per property (see SECURITY.md for the totals).
pub const CASES: u32 = 1000;

/// Deterministic-enough, quiet proptest configuration: `cases` cases, no regression files.
pub fn cfg_with(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// [`cfg_with`] at [`CASES`].
pub fn cfg() -> ProptestConfig {
    cfg_with(CASES)
}

/// Base64 of `bytes` (an independent reference for the core's decoder): the URL-safe alphabet
/// when `url`, `=` padding when `pad`.
pub fn b64url(bytes: &[u8], pad: bool, url: bool) -> String {
    let alpha: &[u8] = if url {
        b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    } else {
        b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
    };
    let mut out = String::new();
    for c in bytes.chunks(3) {
        let n = (u32::from(c[0]) << 16)
            | (u32::from(*c.get(1).unwrap_or(&0)) << 8)
            | u32::from(*c.get(2).unwrap_or(&0));
        for i in 0..=c.len() {
            out.push(char::from(alpha[(n >> (18 - 6 * i)) as usize & 63]));
        }
        if pad {
            out.push_str(&"=".repeat(3 - c.len()));
        }
    }
    out
}
