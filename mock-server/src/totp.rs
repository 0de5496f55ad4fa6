//! RFC 6238 time-based one-time passwords (SHA-1, 6 digits, 30 s steps), as authenticator apps use.

use hmac::{Hmac, Mac};
use sha1::Sha1;

/// Step length in seconds.
pub const STEP: u64 = 30;

/// Decodes RFC 4648 base32 (upper or lower case, `=` padding optional).
pub fn base32_decode(input: &str) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    let (mut buf, mut bits) = (0u64, 0u32);
    for c in input.trim_end_matches('=').chars() {
        let v = match c.to_ascii_uppercase() {
            c @ 'A'..='Z' => c as u64 - 'A' as u64,
            c @ '2'..='7' => c as u64 - '2' as u64 + 26,
            _ => return None,
        };
        buf = (buf << 5) | v;
        bits += 5;
        if bits >= 8 {
            bits -= 8;
            out.push((buf >> bits) as u8);
            buf &= (1 << bits) - 1;
        }
    }
    Some(out)
}

/// HOTP (RFC 4226) value for `counter`, as `digits` decimal digits.
pub fn hotp(key: &[u8], counter: u64, digits: u32) -> String {
    let mut mac = Hmac::<Sha1>::new_from_slice(key).expect("HMAC accepts any key length");
    mac.update(&counter.to_be_bytes());
    let h = mac.finalize().into_bytes();
    let off = (h[19] & 0x0f) as usize;
    let bin = u32::from_be_bytes([h[off] & 0x7f, h[off + 1], h[off + 2], h[off + 3]]);
    format!(
        "{:0width$}",
        bin % 10u32.pow(digits),
        width = digits as usize
    )
}

/// The 6-digit code of `secret_b32` at `unix_secs`.
pub fn code_at(secret_b32: &str, unix_secs: u64) -> Option<String> {
    Some(hotp(&base32_decode(secret_b32)?, unix_secs / STEP, 6))
}

/// True when `code` matches the current step or one step either side.
pub fn verify(secret_b32: &str, code: &str, unix_secs: u64) -> bool {
    let Some(key) = base32_decode(secret_b32) else {
        return false;
    };
    let code = code.trim();
    if code.len() != 6 || !code.bytes().all(|b| b.is_ascii_digit()) {
        return false;
    }
    let step = unix_secs / STEP;
    [step.saturating_sub(1), step, step + 1]
        .iter()
        .any(|&c| hotp(&key, c, 6) == code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc6238_sha1_vectors() {
        let key = b"12345678901234567890";
        assert_eq!(hotp(key, 59 / 30, 8), "94287082");
        assert_eq!(hotp(key, 1_111_111_109 / 30, 8), "07081804");
        assert_eq!(hotp(key, 20_000_000_000 / 30, 8), "65353130");
    }

    #[test]
    fn base32_and_window() {
        assert_eq!(
            base32_decode("JBSWY3DPEHPK3PXP").unwrap(),
            b"Hello!\xde\xad\xbe\xef"
        );
        let now = 1_700_000_000;
        let code = code_at("JBSWY3DPEHPK3PXP", now - 30).unwrap();
        assert!(verify("JBSWY3DPEHPK3PXP", &code, now));
        assert!(!verify("JBSWY3DPEHPK3PXP", &code, now + 60));
        assert!(!verify("JBSWY3DPEHPK3PXP", "12345", now));
    }
}
