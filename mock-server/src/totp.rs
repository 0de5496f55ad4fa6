//! RFC 6238 time-based one-time passwords through the `totp-rs` crate, set up the way
//! authenticator apps use them: SHA-1, 6 digits, 30 s steps, one step of skew either side.

use totp_rs::{Algorithm, Builder, Secret, Totp};

/// Step length in seconds.
pub const STEP: u64 = 30;

/// The generator for a base32 secret (`None` when it is not base32).
///
/// `build_noncompliant`: the demo secret `JBSWY3DPEHPK3PXP` is 80 bits, which authenticator apps
/// accept but RFC 4226's 128-bit minimum (checked by `build`) does not.
fn generator(secret_b32: &str) -> Option<Totp> {
    let secret = Secret::try_from_base32(secret_b32).ok()?;
    Some(
        Builder::new()
            .with_algorithm(Algorithm::SHA1)
            .with_digits(6)
            .with_step_duration(STEP)
            .with_skew(1)
            .with_secret(secret)
            .build_noncompliant(),
    )
}

/// The 6-digit code of `secret_b32` at `unix_secs`.
pub fn code_at(secret_b32: &str, unix_secs: u64) -> Option<String> {
    Some(generator(secret_b32)?.generate(unix_secs).to_string())
}

/// True when `code` matches the step of `unix_secs` or one step either side.
pub fn verify(secret_b32: &str, code: &str, unix_secs: u64) -> bool {
    generator(secret_b32).is_some_and(|g| g.check(code.trim(), unix_secs).is_some())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc6238_sha1_vectors() {
        // RFC 6238 appendix B, SHA-1 key "12345678901234567890", last 6 of the 8 digits.
        let key = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
        assert_eq!(code_at(key, 59).as_deref(), Some("287082"));
        assert_eq!(code_at(key, 1_111_111_109).as_deref(), Some("081804"));
        assert_eq!(code_at(key, 20_000_000_000).as_deref(), Some("353130"));
    }

    #[test]
    fn window_of_one_step() {
        let now = 1_700_000_000;
        let code = code_at("JBSWY3DPEHPK3PXP", now - 30).unwrap();
        assert!(verify("JBSWY3DPEHPK3PXP", &code, now));
        assert!(verify("JBSWY3DPEHPK3PXP", &format!(" {code} "), now));
        assert!(!verify("JBSWY3DPEHPK3PXP", &code, now + 60));
        assert!(!verify("JBSWY3DPEHPK3PXP", "12345", now));
        assert!(!verify("not base32!", &code, now));
    }
}
