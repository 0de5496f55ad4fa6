#![cfg(not(target_arch = "wasm32"))]
//! Property tests: parsers never panic on arbitrary input; writers round-trip.

use nexudus_auth::core::http::HttpResponse;
use nexudus_auth::core::json::{parse, write_num, write_str, Value};
use nexudus_auth::core::jwt::{base64url_decode, decode_claims};
use nexudus_auth::core::responses::*;
use nexudus_auth::core::session::{RebillySession, Session};
use nexudus_auth::core::url::{check_redirect, encode_component, encode_form, BaseUrl};
use proptest::prelude::*;

mod native;

fn cfg() -> ProptestConfig {
    native::cfg_with(2000)
}

/// Strings biased towards JSON-ish and URL-ish fragments.
fn jsonish() -> impl Strategy<Value = String> {
    let atoms = prop::sample::select(vec![
        "{",
        "}",
        "[",
        "]",
        ",",
        ":",
        "\"",
        "\\",
        "\\u",
        "d83d",
        "\\ude00",
        "null",
        "true",
        "1",
        "-0.5e3",
        "\"access_token\"",
        "\"expires_in\"",
        "\"WasSuccessful\"",
        "\"Errors\"",
        " ",
        "\n",
        "é",
        "😀",
        "\u{0}",
        "1e999",
        "//",
        "https://",
        "@",
        "%",
        "?",
        "#",
        "/",
        "\\\\",
    ]);
    prop_oneof![
        any::<String>(),
        prop::collection::vec(atoms, 0..40).prop_map(|v| v.concat()),
    ]
}

fn percent_decode(s: &str) -> Vec<u8> {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            out.push(
                u8::from_str_radix(std::str::from_utf8(&b[i + 1..i + 3]).unwrap(), 16).unwrap(),
            );
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    out
}

proptest! {
    #![proptest_config(cfg())]

    #[test]
    fn json_parse_never_panics_and_agrees_on_validity(s in jsonish()) {
        let ours = parse(&s);
        let theirs = serde_json::from_str::<serde_json::Value>(&s);
        // serde_json has a recursion limit of 128 and rejects out-of-range numbers like us.
        if ours.is_some() {
            prop_assert!(theirs.is_ok(), "we accepted {:?}", s);
        }
    }

    #[test]
    fn write_str_round_trips(s in any::<String>()) {
        let mut out = String::new();
        write_str(&mut out, &s);
        prop_assert_eq!(parse(&out), Some(Value::Str(s.clone())));
        prop_assert_eq!(serde_json::from_str::<String>(&out).unwrap(), s);
    }

    #[test]
    fn integers_round_trip(n in -(1i64 << 53)..(1i64 << 53)) {
        let mut out = String::new();
        write_num(&mut out, n as f64);
        prop_assert_eq!(&out, &n.to_string());
        prop_assert_eq!(parse(&out), Some(Value::Num(n as f64)));
    }

    #[test]
    fn numbers_parse_close_to_std(x in any::<f64>().prop_filter("finite", |x| x.is_finite())) {
        let text = format!("{x:e}");
        let ours = parse(&text).and_then(|v| v.as_f64()).unwrap();
        // Relative 1e-14 for normal numbers; subnormals (below f64::MIN_POSITIVE) have fewer
        // significant bits, and the core's reader may be off by a few of their units in the last
        // place (documented in src/core/json), so they get an absolute tolerance of 64 such units.
        let tol = if x.abs() < f64::MIN_POSITIVE { 64.0 * 4.9e-324 } else { x.abs() * 1e-14 };
        prop_assert!((ours - x).abs() <= tol || (ours == 0.0 && x.abs() < 1e-300), "{} → {} vs {}", text, ours, x);
    }

    #[test]
    fn encode_component_decodes_back(s in any::<String>()) {
        let e = encode_component(&s);
        prop_assert!(e.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_.!~*'()%".contains(&b)));
        prop_assert_eq!(percent_decode(&e), s.as_bytes().to_vec());
        let f = encode_form(&[("k", &s)]);
        prop_assert!(!f[2..].contains('&') && !f[2..].contains('=') && !f.contains(' '));
    }

    #[test]
    fn response_parsers_never_panic(status in 0u16..700, body in jsonish(), ra in jsonish()) {
        let mut r = HttpResponse::new(status, body);
        r.retry_after = Some(ra);
        for call in [TokenCall::SignIn, TokenCall::Refresh, TokenCall::Exchange] {
            let _ = parse_token(&r, call).map_err(|e| e.message());
        }
        for call in [ActionCall::OneTimeToken, ActionCall::StartPasswordReset, ActionCall::CompletePasswordReset] {
            let _ = parse_action(&r, call).map_err(|e| e.message());
        }
        let _ = parse_rebilly(&r, 0.0);
        let _ = parse_iso8601_ms(&r.body);
        let _ = Session::decode(&r.body);
        let _ = RebillySession::decode(&r.body);
        let _ = decode_claims(&r.body);
        let _ = base64url_decode(&r.body);
    }

    #[test]
    fn url_parsers_never_panic_and_redirects_stay_home(s in jsonish()) {
        let _ = BaseUrl::parse(&s);
        let portal = BaseUrl::parse("https://portal.example.com").unwrap();
        if check_redirect(&portal, &[], &s).is_ok() {
            let single_slash = s.starts_with('/') && !s.starts_with("//");
            let lower = s.to_ascii_lowercase();
            let same_origin = lower.starts_with("https://portal.example.com")
                && matches!(lower.as_bytes().get(26), None | Some(b'/' | b'?' | b'#' | b':'));
            prop_assert!(single_slash || same_origin, "accepted {:?}", s);
            prop_assert!(!s.contains('\\'));
        }
    }
}
