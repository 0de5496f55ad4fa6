#![cfg(not(target_arch = "wasm32"))]
//! Hostile input to the rest of the core: stored sessions (round trip through `JSON.stringify`
//! and `JSON.parse`, tampering, arbitrary documents), JWT payloads and claims, base URLs,
//! redirect checks, URL builders, `Retry-After` and the configuration. Never a panic; round
//! trips where they exist; every verdict compared with a model of the contract.

use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD};
use base64::Engine;
use nexudus_auth::core::config::{
    valid_for_minutes, Config, ConfigInput, DEFAULT_LIFETIME_MINUTES, MAX_LIFETIME_MINUTES,
    MIN_LIFETIME_MINUTES,
};
use nexudus_auth::core::jwt::{payload_base64, Claims, MAX_JWT_BYTES};
use nexudus_auth::core::responses::parse_retry_after;
use nexudus_auth::core::session::{RebillySession, Session};
use nexudus_auth::core::url::*;
use nexudus_auth::core::{AccessToken, RefreshToken};
use proptest::prelude::*;
use serde_json::{json, Value as J};

mod native;

use native::gen::{any_json, ascii, num, number};
use native::{body, cfg, claims, stringify, value};

/// Any Unicode (control characters, quotes, backslashes, astral planes included).
fn text(len: std::ops::Range<usize>) -> BoxedStrategy<String> {
    prop_oneof![
        ascii(b" \"\\/\t\n\x00\x1f\x7fazAZ09%&=?#+", len.clone()),
        prop::collection::vec(any::<char>(), len).prop_map(String::from_iter),
    ]
    .boxed()
}

/// The query parameters of a built URL, decoded by the `form_urlencoded` crate.
fn query(url: &str) -> Vec<(String, String)> {
    let q = url.split_once('?').map_or("", |(_, q)| q);
    form_urlencoded::parse(q.as_bytes())
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

/// A stored document after `JSON.stringify` → storage → `JSON.parse`.
fn through_storage(v: &nexudus_auth::core::Value) -> nexudus_auth::core::Value {
    body(&stringify(v))
        .json()
        .cloned()
        .expect("a stored session is JSON")
}

prop_compose! {
    fn session()(
        access in text(1..40).prop_filter("non-empty", |s| !s.is_empty()),
        ttype in prop_oneof![Just(String::from("bearer")), text(0..8)],
        exp in prop_oneof![(0i64..(1i64 << 53)).prop_map(|n| n as f64), (0f64..4e12).prop_map(f64::floor), number()],
        lived in prop_oneof![4 => 0f64..1e8, 1 => number()],
        refresh in prop::option::of(text(0..40)),
        client in text(1..40).prop_filter("non-empty", |s| !s.is_empty()),
        email in prop::option::of(text(0..30)),
        impersonating in prop::option::of(1u64..(1u64 << 53)),
    ) -> Session {
        Session {
            access_token: AccessToken::new(access),
            token_type: ttype,
            expires_at_ms: exp,
            received_at_ms: exp - lived,
            refresh_token: refresh.map(RefreshToken::new),
            client_id: client,
            email,
            impersonating,
        }
    }
}

/// Whether a stored document is a session, per the stored format (src/core/session.rs docs).
fn stored_model(d: &J) -> bool {
    let text = |k: &str| d.get(k).and_then(J::as_str).is_some_and(|s| !s.is_empty());
    let loose = |k: &str| matches!(d.get(k), None | Some(J::Null) | Some(J::String(_)));
    d.is_object()
        && d.get("v").and_then(J::as_f64) == Some(1.0)
        && text("accessToken")
        && text("clientId")
        && d.get("expiresAt").and_then(J::as_f64).is_some()
        && ["tokenType", "refreshToken", "email"]
            .into_iter()
            .all(loose)
        && impersonating_model(d).is_ok()
}

/// `impersonating`: absent or null, or a coworker id (a whole number from 1 to 2^53 - 1).
fn impersonating_model(d: &J) -> Result<Option<u64>, ()> {
    match d.get("impersonating") {
        None | Some(J::Null) => Ok(None),
        Some(v) => match v.as_f64() {
            Some(n) if n.fract() == 0.0 && (1.0..9_007_199_254_740_992.0).contains(&n) => {
                Ok(Some(n as u64))
            }
            _ => Err(()),
        },
    }
}

proptest! {
    #![proptest_config(cfg())]

    #[test]
    fn stored_sessions_round_trip(s in session()) {
        let stored = s.to_value();
        let back = Session::from_value(&through_storage(&stored)).unwrap();
        prop_assert!(back.access_token.same_as(&s.access_token));
        prop_assert_eq!(&back.token_type, if s.token_type.is_empty() { "bearer" } else { &s.token_type });
        // `JSON.stringify(-0)` is "0": equal as numbers, as in the browser.
        prop_assert_eq!(back.expires_at_ms, s.expires_at_ms);
        // A receipt after the expiry, or one `JSON.stringify` writes as null, reads as unknown (the epoch).
        let known = s.received_at_ms.is_finite() && s.received_at_ms <= s.expires_at_ms;
        let received = if known { s.received_at_ms } else { s.expires_at_ms.min(0.0) };
        prop_assert_eq!(back.received_at_ms, received);
        let want = s.refresh_token.as_ref().map(|r| r.secret().to_string()).filter(|r| !r.is_empty());
        prop_assert_eq!(back.refresh_token.as_ref().map(|r| r.secret().to_string()), want);
        prop_assert_eq!(&back.client_id, &s.client_id);
        prop_assert_eq!(&back.email, &s.email);
        prop_assert_eq!(back.impersonating, s.impersonating);
        prop_assert!(back.same_as(&s) && back.same_sign_in(&s));
        prop_assert_eq!(stringify(&back.to_value()), stringify(&through_storage(&back.to_value())), "stable once read");
    }

    #[test]
    fn tampered_stored_sessions_are_refused_never_trusted(
        s in session(),
        key in prop::sample::select(vec!["v", "accessToken", "tokenType", "expiresAt", "receivedAt", "refreshToken", "clientId", "email", "impersonating"]),
        bad in prop_oneof![
            prop::sample::select(vec![json!(2), json!(null), json!(true), json!([1]), json!({}), json!(""), json!(1e308), json!("1"), json!("x"), json!(0), json!(2.5), json!(9_007_199_254_740_991u64), json!(9_007_199_254_740_992u64)]),
            number().prop_map(num),
        ],
        remove in any::<bool>(),
    ) {
        let mut doc: J = serde_json::from_str(&stringify(&s.to_value())).unwrap();
        if remove {
            doc.as_object_mut().unwrap().remove(key);
        } else {
            doc[key] = bad.clone();
        }
        let decoded = Session::from_value(&value(doc.clone()));
        prop_assert_eq!(decoded.is_ok(), stored_model(&doc), "{}", doc);
        match decoded {
            Ok(back) if key == "receivedAt" => {
                let r = doc.get("receivedAt").and_then(J::as_f64).filter(|r| *r <= back.expires_at_ms);
                prop_assert_eq!(back.received_at_ms, r.unwrap_or(back.expires_at_ms.min(0.0)), "{}", doc);
            }
            Ok(back) => prop_assert_eq!(Ok(back.impersonating), impersonating_model(&doc), "{}", doc),
            Err(e) => {
                prop_assert_eq!(e.code().as_str(), "bad_response");
                prop_assert_eq!(e.status(), None);
            }
        }
    }

    #[test]
    fn arbitrary_documents_are_sessions_only_when_the_format_says_so(d in any_json(), v1 in any::<bool>()) {
        let mut d = d;
        if let (true, Some(o)) = (v1, d.as_object_mut()) {
            o.insert("v".into(), json!(1));
            o.insert("accessToken".into(), json!("a"));
        }
        let v = value(d.clone());
        prop_assert_eq!(Session::from_value(&v).is_ok(), stored_model(&d), "{}", d);
        let rebilly_ok = d.is_object() && d.get("v").and_then(J::as_f64) == Some(1.0)
            && ["token", "customerId"].iter().all(|k| d.get(*k).and_then(J::as_str).is_some_and(|s| !s.is_empty()))
            && d.get("expiresAt").and_then(J::as_f64).is_some();
        prop_assert_eq!(RebillySession::from_value(&v).is_ok(), rebilly_ok, "{}", d);
        let claims = Claims::from_value(&v);
        prop_assert_eq!(claims.is_some(), d.is_object());
        if let Some(c) = claims {
            prop_assert_eq!(c.sub, d.get("sub").and_then(J::as_str).map(String::from));
            prop_assert_eq!(c.email, d.get("email").and_then(J::as_str).map(String::from));
            prop_assert_eq!(c.exp_s, d.get("exp").and_then(J::as_f64));
        }
    }

    #[test]
    fn jwt_payloads_decode_to_their_claims(
        sub in prop::option::of(text(0..20)),
        email in prop::option::of(text(0..20)),
        exp in prop::option::of(number()),
        extra in any_json(),
        header in ascii(b"abcXYZ019-_", 0..30),
        sig in ascii(b"abcXYZ019-_", 0..60),
        engine in 0usize..4,
        long in 0usize..3,
    ) {
        let mut doc = json!({ "extra": extra, "pad": "x".repeat([0, 100, MAX_JWT_BYTES][long]) });
        if let Some(s) = &sub { doc["sub"] = json!(s); }
        if let Some(e) = &email { doc["email"] = json!(e); }
        if let Some(x) = exp { doc["exp"] = num(x); }
        let text = doc.to_string();
        let encoded = [URL_SAFE_NO_PAD, URL_SAFE, STANDARD_NO_PAD, STANDARD][engine].encode(&text);
        let jwt = format!("{header}.{encoded}.{sig}");
        // Any alphabet, padded or not, becomes the padded standard base64 `atob` reads; nothing
        // longer than MAX_JWT_BYTES.
        let readable = jwt.len() <= MAX_JWT_BYTES;
        prop_assert_eq!(payload_base64(&jwt), readable.then(|| STANDARD.encode(&text)));
        let c = claims(&jwt);
        prop_assert_eq!(c.is_some(), readable);
        if let Some(c) = c {
            prop_assert_eq!(&c.sub, &sub);
            prop_assert_eq!(&c.email, &email);
            prop_assert_eq!(c.exp_s, exp);
            prop_assert_eq!(c.subject(), email.or(sub));
        }
        // Any other shape: never a panic, never a payload.
        for bad in [format!("{header}.{encoded}"), format!("{jwt}.x"), format!("{header}.{encoded}!.{sig}")] {
            prop_assert_eq!(payload_base64(&bad), None, "{}", bad);
        }
    }

    #[test]
    fn base_urls_are_normalised_and_stable(
        scheme in prop::sample::select(vec!["https", "http", "HTTPS", "Http", "ftp", "javascript", "", "https:"]),
        user in prop::sample::select(vec!["", "user@", "u:p@", "@"]),
        host in prop_oneof![
            prop::sample::select(vec!["Acme.Spaces.Nexudus.com", "localhost", "127.0.0.1", "127.1.2.3", "[::1]", "10.0.0.1", "evil.example", "", "a..b", "[::1", "-x.com", "%41.com"]).prop_map(String::from),
            ascii(b"abcXYZ019.-_[]:%", 0..20),
        ],
        port in prop::option::of(prop_oneof![(0u32..70_000).prop_map(|p| p.to_string()), ascii(b"0123456789ab", 0..7)]),
        path in prop_oneof![Just(String::new()), ascii(b"/abcXYZ09.-_~%?#;= \\", 0..20)],
    ) {
        let url = format!("{scheme}://{user}{host}{}{path}", port.map(|p| format!(":{p}")).unwrap_or_default());
        match BaseUrl::parse(&url) {
            Ok(b) => {
                let s = b.as_str();
                let https = s.starts_with("https://");
                prop_assert!(https || s.starts_with("http://"), "{}", s);
                prop_assert!(s.starts_with(b.origin()));
                prop_assert!(!s.contains(['?', '#', '@', '\\', ' ']) && !s.ends_with('/'), "{}", s);
                prop_assert!(user.is_empty(), "credentials accepted: {}", url);
                if !https {
                    let h = b.origin().trim_start_matches("http://");
                    prop_assert!(h.starts_with("localhost") || h.starts_with("127.") || h.starts_with("[::1]"), "http off loopback: {}", url);
                }
                prop_assert_eq!(BaseUrl::parse(s).unwrap(), b.clone(), "idempotent");
                prop_assert_eq!(normalize_origin(b.origin()), Some(b.origin().to_string()));
            }
            Err(e) => prop_assert_eq!(e.code().as_str(), "invalid_config"),
        }
    }

    #[test]
    fn redirect_checks_and_link_builders(
        t in text(0..40),
        redirect in prop_oneof![
            text(0..40).prop_map(|s| format!("/{s}")),
            prop::sample::select(vec!["//evil.example", "/\\evil.example", "javascript:alert(1)", "https://evil.example/x",
                "HTTPS://PORTAL.EXAMPLE.COM:443/a", "https://portal.example.com.evil.example/", "https://portal.example.com@evil.example/",
                "https://shop.example.com/cart?a=1&b=2#f", "http://portal.example.com/", "/\t/evil.example", "\\\\evil.example", " https://evil.example",
                "data:text/html,x", "https:evil.example", "https://shop.example.com:8443/"]).prop_map(String::from),
            text(0..40),
        ],
        minutes in 1u32..=43_200,
    ) {
        let portal = BaseUrl::parse("https://portal.example.com").unwrap();
        let allowed = vec![String::from("https://Shop.Example.com:443/")];
        if check_redirect(&portal, &allowed, &redirect).is_ok() {
            let off_site = ["evil", "javascript", "data:", "http://portal", "8443"];
            prop_assert!(!off_site.iter().any(|b| redirect.to_ascii_lowercase().contains(b)) || redirect.starts_with('/') && !redirect.starts_with("//"),
                "accepted {:?}", redirect);
            prop_assert!(!redirect.contains('\\') && !redirect.chars().any(|c| c < ' ' || c == '\x7f'));
        }
        let link = authenticated_link_url("https://portal.example.com/", &t, &redirect);
        prop_assert!(link.starts_with("https://portal.example.com/user/login?"));
        prop_assert!(!link.contains(['#', ' ']) && link.matches('?').count() == 1);
        prop_assert_eq!(query(&link), vec![("server".into(), "true".into()), ("t".into(), t.clone()), ("redirectUrl".into(), redirect.clone())]);
        let login = portal_login_url("https://portal.example.com", &t, Some(&redirect));
        prop_assert_eq!(query(&login), vec![("t".into(), t.clone()), ("redirectUrl".into(), redirect.clone())]);
        let ex = exchange_path(&t, minutes);
        prop_assert_eq!(query(&ex), vec![("token".into(), t.clone()), ("validForInMinutes".into(), minutes.to_string())]);
        let form = encode_form(&[("refresh_token", &t), ("a&b=c", &redirect)]);
        prop_assert_eq!(query(&format!("?{form}")), vec![("refresh_token".into(), t.clone()), ("a&b=c".into(), redirect.clone())]);
    }

    #[test]
    fn retry_after_and_lifetimes(ra in text(0..8), secs in 0u32..100_000, minutes in prop::option::of(prop_oneof![number(), (0u32..50_000).prop_map(f64::from)])) {
        prop_assert_eq!(parse_retry_after(Some(&secs.to_string())), Some(f64::from(secs)));
        prop_assert_eq!(parse_retry_after(Some(&format!(" {secs}\t"))), Some(f64::from(secs)));
        if let Some(v) = parse_retry_after(Some(&ra)) {
            prop_assert!(v.is_finite() && v >= 0.0, "{:?}", ra);
            prop_assert!(ra.trim().bytes().all(|b| b.is_ascii_digit() || b == b'.'), "{:?}", ra);
        }
        // validForInMinutes: a whole number from 1 to 43200 (30 days), 1440 when absent.
        let want = match minutes {
            None => Some(1440),
            Some(m) if m.fract() == 0.0 && (1.0..=43_200.0).contains(&m) => Some(m as u32),
            Some(_) => None,
        };
        prop_assert_eq!(valid_for_minutes(minutes).ok(), want);
        prop_assert_eq!((MIN_LIFETIME_MINUTES, DEFAULT_LIFETIME_MINUTES, MAX_LIFETIME_MINUTES), (1, 1440, 43_200));
        if let Err(e) = valid_for_minutes(minutes) {
            prop_assert_eq!(e.code().as_str(), "invalid_config");
        }
    }

    #[test]
    fn config_never_panics_and_keeps_its_bounds(
        base in prop_oneof![Just(String::from("https://acme.example")), text(0..30)],
        client in prop::option::of(text(0..12)),
        key in prop::option::of(text(0..8)),
        nums in prop::collection::vec(prop::option::of(prop_oneof![any::<f64>(), -10f64..200_000.0, (0u32..200_000).prop_map(f64::from)]), 4),
        origins in prop::collection::vec(prop_oneof![Just(String::from("https://ok.example")), text(0..20)], 0..3),
    ) {
        let input = ConfigInput {
            base_url: Some(base), client_id: client, storage_key: key, business_id: nums[0],
            token_lifetime_minutes: nums[1], refresh_leeway_seconds: nums[2], timeout_ms: nums[3],
            allowed_redirect_origins: origins, ..ConfigInput::default()
        };
        match Config::new(input) {
            Ok(c) => {
                prop_assert!((1..=43_200).contains(&c.token_lifetime_minutes));
                prop_assert!((100..=120_000).contains(&c.timeout_ms));
                prop_assert!(c.refresh_leeway_ms.is_finite() && (0.0..=3_600_000.0).contains(&c.refresh_leeway_ms));
                prop_assert!(!c.storage_key.is_empty());
                prop_assert!(c.client_id.as_deref().is_none_or(|id| !id.chars().any(char::is_control)), "header-unsafe clientId");
                prop_assert!(c.allowed_redirect_origins.iter().all(|o| normalize_origin(o).as_deref() == Some(o.as_str())));
            }
            Err(e) => prop_assert_eq!(e.code().as_str(), "invalid_config"),
        }
    }
}
