//! Wall-clock helpers: seconds since the Unix epoch, and ISO 8601 dates through the `time` crate.

use std::time::{SystemTime, UNIX_EPOCH};

use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

/// Seconds since the Unix epoch, with sub-second precision.
pub fn now() -> f64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs_f64())
        .unwrap_or(0.0)
}

/// Milliseconds since the Unix epoch (what JavaScript's `Date.now()` returns).
pub fn now_ms() -> u64 {
    (now() * 1000.0) as u64
}

/// Formats Unix seconds (whole seconds) as ISO 8601 / RFC 3339 UTC, e.g. `2026-11-23T06:09:29Z`,
/// the shape Rebilly returns. Out-of-range instants give the epoch.
pub fn iso8601(unix_secs: f64) -> String {
    OffsetDateTime::from_unix_timestamp(unix_secs.floor() as i64)
        .unwrap_or(OffsetDateTime::UNIX_EPOCH)
        .format(&Rfc3339)
        .unwrap_or_else(|_| "1970-01-01T00:00:00Z".to_owned())
}

#[cfg(test)]
mod tests {
    use super::iso8601;

    #[test]
    fn formats_known_instants() {
        assert_eq!(iso8601(0.0), "1970-01-01T00:00:00Z");
        assert_eq!(iso8601(951_782_400.5), "2000-02-29T00:00:00Z");
        assert_eq!(iso8601(1_700_000_000.0), "2023-11-14T22:13:20Z");
    }
}
