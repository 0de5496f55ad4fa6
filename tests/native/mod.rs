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
