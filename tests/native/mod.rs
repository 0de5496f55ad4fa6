//! Shared by the native tests (`tests/core_*.rs`): the proptest configuration, the stand-ins for
//! what the browser does at the edge (`JSON.parse` → [`Value`], `JSON.stringify`, `Date.parse`),
//! and the generators of `gen`.
#![allow(dead_code)] // each test binary uses a different part

pub mod gen;

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use nexudus_auth::core::http::{HttpResponse, ResponseBody};
use nexudus_auth::core::jwt::{payload_base64, Claims};
use nexudus_auth::core::value::{Value, MAX_DEPTH};
use proptest::strategy::{Strategy, ValueTree};
use proptest::test_runner::{
    Config as ProptestConfig, FileFailurePersistence, RngAlgorithm, RngSeed, TestRunner,
};
use serde_json::Value as J;

/// Generated cases per property (see SECURITY.md for the totals).
pub const CASES: u32 = 1000;

/// The seed of every property unless `PROPTEST_RNG_SEED` says otherwise, so a failure seen once
/// is seen again on every run (and on CI).
pub const SEED: u64 = 0x6e65_7875_6475_7321;

/// `cases` cases from a fixed seed (or `PROPTEST_RNG_SEED`, to explore other inputs), ChaCha,
/// and failures persisted next to the test file (`tests/<file>.proptest-regressions`, replayed
/// first on the next run).
pub fn cfg_with(cases: u32) -> ProptestConfig {
    let mut c = ProptestConfig {
        cases,
        failure_persistence: Some(Box::new(FileFailurePersistence::WithSource(
            "proptest-regressions",
        ))),
        rng_algorithm: RngAlgorithm::ChaCha,
        ..ProptestConfig::default()
    };
    if c.rng_seed == RngSeed::Random {
        c.rng_seed = RngSeed::Fixed(SEED);
    }
    c
}

/// [`cfg_with`] at [`CASES`].
pub fn cfg() -> ProptestConfig {
    cfg_with(CASES)
}

/// `n` values of `strategy` drawn from the seed of [`cfg`] (deterministic, no shrinking), to
/// measure what share of the generated cases reaches a branch.
pub fn sample<S: Strategy>(strategy: S, n: usize) -> Vec<S::Value> {
    let mut runner = TestRunner::new(cfg());
    (0..n)
        .map(|_| strategy.new_tree(&mut runner).unwrap().current())
        .collect()
}

/// The share of `items` for which `hit` holds.
pub fn fraction<T>(items: &[T], hit: impl Fn(&T) -> bool) -> f64 {
    items.iter().filter(|i| hit(i)).count() as f64 / items.len().max(1) as f64
}

/// What the browser layer hands the core for a parsed document: the same walk as
/// `src/js/json.rs` (a value deeper than [`MAX_DEPTH`] makes the whole document unreadable),
/// with object members in document order.
pub fn to_value(v: &J) -> Option<Value> {
    fn walk(v: &J, depth: usize) -> Option<Value> {
        if depth > MAX_DEPTH {
            return None;
        }
        Some(match v {
            J::Null => Value::Null,
            J::Bool(b) => Value::Bool(*b),
            J::Number(n) => Value::Num(n.as_f64()?),
            J::String(s) => Value::Str(s.clone()),
            J::Array(items) => Value::Arr(
                items
                    .iter()
                    .map(|i| walk(i, depth + 1))
                    .collect::<Option<_>>()?,
            ),
            J::Object(m) => Value::Obj(
                m.iter()
                    .map(|(k, v)| Some((k.clone(), walk(v, depth + 1)?)))
                    .collect::<Option<_>>()?,
            ),
        })
    }
    walk(v, 0)
}

/// [`to_value`] of a document the test wrote itself (never too deep).
pub fn value(v: J) -> Value {
    to_value(&v).expect("a test document within MAX_DEPTH")
}

/// A response body as the browser layer reads it: whitespace only → `Empty`; text that is not
/// JSON (HTML, truncated, or nested deeper than [`MAX_DEPTH`]) → `NotJson`.
pub fn body(text: &str) -> ResponseBody {
    if text.trim().is_empty() {
        return ResponseBody::Empty;
    }
    serde_json::from_str::<J>(text)
        .ok()
        .and_then(|v| to_value(&v))
        .map_or(ResponseBody::NotJson, ResponseBody::Json)
}

/// A response with `status` and the body `text`.
pub fn resp(status: u16, text: &str) -> HttpResponse {
    HttpResponse::new(status, body(text))
}

/// The text `JSON.stringify` writes for `v`: compact, members in order, integral numbers without
/// a fraction, non-finite numbers as `null`.
pub fn stringify(v: &Value) -> String {
    fn to_json(v: &Value) -> J {
        match v {
            Value::Null => J::Null,
            Value::Bool(b) => J::Bool(*b),
            Value::Num(n) if n.fract() == 0.0 && n.abs() < 9_007_199_254_740_992.0 => {
                J::from(*n as i64)
            }
            Value::Num(n) => serde_json::Number::from_f64(*n).map_or(J::Null, J::Number),
            Value::Str(s) => J::String(s.clone()),
            Value::Arr(items) => J::Array(items.iter().map(to_json).collect()),
            Value::Obj(m) => J::Object(m.iter().map(|(k, v)| (k.clone(), to_json(v))).collect()),
        }
    }
    to_json(v).to_string()
}

/// The payload text of a JWT as the browser layer reads it (`src/js/convert.rs` `claims`): the segment
/// from `payload_base64`, decoded as `atob` does (here the `base64` crate), read as UTF-8.
pub fn jwt_payload(jwt: &str) -> Option<String> {
    String::from_utf8(STANDARD.decode(payload_base64(jwt)?).ok()?).ok()
}

/// The claims of a JWT as the browser layer reads them: [`jwt_payload`], `JSON.parse`,
/// `Claims::from_value`.
pub fn claims(jwt: &str) -> Option<Claims> {
    Claims::from_value(body(&jwt_payload(jwt)?).json()?)
}

/// The browser's `Date.parse` for the ISO 8601 / RFC 3339 times Rebilly sends: milliseconds
/// since the epoch, `None` for anything else.
pub fn parse_date(s: &str) -> Option<f64> {
    let t = time::OffsetDateTime::parse(s, &time::format_description::well_known::Rfc3339).ok()?;
    Some((t.unix_timestamp_nanos() / 1_000_000) as f64)
}

/// The RFC 3339 text of `ms` (whole milliseconds) at a UTC offset of `offset_min` minutes.
pub fn format_date(ms: i64, offset_min: i32) -> String {
    let t = time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000)
        .expect("a representable time");
    let off = time::UtcOffset::from_whole_seconds(offset_min * 60).expect("a valid offset");
    t.to_offset(off)
        .format(&time::format_description::well_known::Rfc3339)
        .expect("formattable")
}
