#![cfg(not(target_arch = "wasm32"))]
//! Property tests on unstructured input: every parser takes any text, any value and any depth
//! without a panic; documents nested past `MAX_DEPTH` are unreadable for every parser; numbers
//! (floats, subnormals, the largest values) reach the validators exactly; encoders round-trip;
//! redirects stay home.

use nexudus_auth::core::error::CoreError;
use nexudus_auth::core::http::{HttpResponse, ResponseBody};
use nexudus_auth::core::jwt::{payload_base64, Claims};
use nexudus_auth::core::responses::*;
use nexudus_auth::core::session::{RebillySession, Session};
use nexudus_auth::core::url::{check_redirect, encode_component, encode_form, BaseUrl};
use nexudus_auth::core::value::MAX_DEPTH;
use percent_encoding::percent_decode_str;
use proptest::prelude::*;
use serde_json::json;

mod native;

use native::gen::{any_json, deep, height, num, number, retry_after, status};
use native::{body, cfg_with, parse_date, resp, to_value, value};

fn cfg() -> proptest::test_runner::Config {
    cfg_with(2000)
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

fn not_json(e: &CoreError) -> bool {
    matches!(
        e,
        CoreError::BadResponse {
            reason: "response is not JSON",
            ..
        }
    )
}

/// Runs every parser of the core on `r` and on its body; none may panic.
fn every_parser(r: &HttpResponse) {
    for call in [TokenCall::SignIn, TokenCall::Refresh, TokenCall::Exchange] {
        let _ = parse_token(r, call).map_err(|e| e.message());
    }
    for call in [
        ActionCall::OneTimeToken,
        ActionCall::StartPasswordReset,
        ActionCall::CompletePasswordReset,
    ] {
        let _ = parse_action(r, call).map_err(|e| e.message());
    }
    let _ = parse_rebilly(r, 0.0, parse_date).map_err(|e| e.message());
    if let Some(v) = r.body.json() {
        let _ = Session::from_value(v);
        let _ = RebillySession::from_value(v);
        let _ = Claims::from_value(v);
        let _ = collect_errors(Some(v));
    }
}

proptest! {
    #![proptest_config(cfg())]

    #[test]
    fn parsers_never_panic_on_any_text(status in status(), text in jsonish(), ra in retry_after()) {
        let mut r = resp(status, &text);
        r.retry_after = ra;
        every_parser(&r);
        let _ = payload_base64(&text);
        let _ = native::claims(&text);
    }

    #[test]
    fn parsers_never_panic_on_any_value(status in status(), doc in any_json()) {
        every_parser(&HttpResponse::new(status, ResponseBody::Json(value(doc))));
    }

    #[test]
    fn documents_past_max_depth_are_unreadable_everywhere(n in prop_oneof![0usize..8, (MAX_DEPTH - 3)..(MAX_DEPTH + 4), 100usize..400], status in prop::sample::select(vec![200u16, 201])) {
        let doc = deep(n);
        prop_assert_eq!(height(&doc), n);
        let readable = n <= MAX_DEPTH;
        prop_assert_eq!(to_value(&doc).is_some(), readable);
        let r = resp(status, &doc.to_string());
        prop_assert_eq!(r.body.json().is_some(), readable, "depth {}", n);
        if !readable {
            prop_assert!(r.body == ResponseBody::NotJson);
            for call in [TokenCall::SignIn, TokenCall::Refresh, TokenCall::Exchange] {
                prop_assert!(not_json(&parse_token(&r, call).unwrap_err()));
            }
            for call in [ActionCall::OneTimeToken, ActionCall::StartPasswordReset] {
                prop_assert!(not_json(&parse_action(&r, call).unwrap_err()));
            }
            prop_assert!(not_json(&parse_rebilly(&r, 0.0, parse_date).unwrap_err()));
        }
        // The same depth inside a valid grant: the whole answer is unreadable.
        let grant = json!({"access_token": "A", "expires_in": 60, "x": doc});
        let ok = parse_token(&resp(status, &grant.to_string()), TokenCall::SignIn);
        prop_assert_eq!(ok.is_ok(), n < MAX_DEPTH, "depth {} under a member", n);
    }

    #[test]
    fn numbers_reach_the_validators_exactly(x in number()) {
        // JSON.parse reads the shortest round-trip text back to the same f64; so does the converter.
        let text = num(x).to_string();
        prop_assert_eq!(body(&text).json().and_then(|v| v.as_f64()).map(f64::to_bits), Some(x.to_bits()), "{}", text);
        let r = resp(200, &json!({"access_token": "A", "expires_in": num(x)}).to_string());
        let storable = x > 0.0 && (x * 1000.0).is_finite();
        match parse_token(&r, TokenCall::SignIn) {
            Ok(g) => {
                prop_assert!(storable, "accepted {}", x);
                prop_assert_eq!(g.expires_in_s.to_bits(), x.to_bits());
                let s = Session::from_grant(g, 1e12, "c".into(), None);
                prop_assert!(s.expires_at_ms.is_finite() && s.expires_at_ms >= s.received_at_ms);
            }
            Err(e) => {
                prop_assert!(!storable, "refused {}: {:?}", x, e);
                let reason = matches!(e, CoreError::BadResponse { reason: "missing or invalid expires_in", .. });
                prop_assert!(reason, "{:?}", e);
            }
        }
    }

    #[test]
    fn encode_component_decodes_back(s in any::<String>()) {
        let e = encode_component(&s);
        prop_assert!(e.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_.!~*'()%".contains(&b)));
        prop_assert_eq!(percent_decode_str(&e).decode_utf8().unwrap(), s.as_str());
        let f = encode_form(&[("k", &s)]);
        prop_assert!(!f[2..].contains('&') && !f[2..].contains('=') && !f.contains(' '));
        let back: Vec<(String, String)> = form_urlencoded::parse(f.as_bytes()).map(|(k, v)| (k.into(), v.into())).collect();
        prop_assert_eq!(back, vec![(String::from("k"), s.clone())]);
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
