#![cfg(not(target_arch = "wasm32"))]
//! Hostile input to the remaining parsers of the core: stored sessions (round trip and
//! tampering), JWT payloads, base URLs, redirect checks, URL builders, the JSON reader (against
//! serde_json), ISO 8601 dates, `Retry-After` and the configuration. Never a panic; round trips
//! where they exist.

use nexudus_auth::core::config::{Config, ConfigInput};
use nexudus_auth::core::json::{parse, Value};
use nexudus_auth::core::jwt::{base64url_decode, decode_claims, MAX_JWT_BYTES};
use nexudus_auth::core::responses::{parse_iso8601_ms, parse_retry_after};
use nexudus_auth::core::session::{RebillySession, Session};
use nexudus_auth::core::url::*;
use nexudus_auth::core::{AccessToken, RefreshToken};
use proptest::prelude::*;
use serde_json::{json, Value as J};

mod native;

use native::{b64url, cfg};

fn ascii(set: &'static [u8], len: std::ops::Range<usize>) -> BoxedStrategy<String> {
    prop::collection::vec(prop::sample::select(set), len)
        .prop_map(|v| v.into_iter().map(char::from).collect())
        .boxed()
}

/// Any Unicode (control characters, quotes, backslashes, astral planes included).
fn text(len: std::ops::Range<usize>) -> BoxedStrategy<String> {
    prop_oneof![
        ascii(b" \"\\/\t\n\x00\x1f\x7fazAZ09%&=?#+", len.clone()),
        prop::collection::vec(any::<char>(), len).prop_map(String::from_iter),
    ]
    .boxed()
}

fn pct_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            out.push(u8::from_str_radix(&s[i + 1..i + 3], 16).unwrap());
            i += 3;
        } else {
            out.push(if b[i] == b'+' { b' ' } else { b[i] });
            i += 1;
        }
    }
    String::from_utf8(out).unwrap()
}

/// The query parameters of a built URL, decoded.
fn query(url: &str) -> Vec<(String, String)> {
    let q = url.split_once('?').map_or("", |(_, q)| q);
    q.split('&')
        .map(|kv| {
            let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
            (pct_decode(k), pct_decode(v))
        })
        .collect()
}

/// Days since 1970-01-01, counted the slow way (an independent reference for the ISO parser).
fn days_slow(y: i64, m: u32, d: u32) -> i64 {
    let leap = |y: i64| (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let mut days: i64 = (1970..y).map(|yy| if leap(yy) { 366 } else { 365 }).sum();
    let dim = [
        31,
        if leap(y) { 29 } else { 28 },
        31,
        30,
        31,
        30,
        31,
        31,
        30,
        31,
        30,
        31,
    ];
    days += dim[..(m - 1) as usize].iter().sum::<i64>();
    days + i64::from(d) - 1
}

fn json_tree() -> impl Strategy<Value = J> {
    let leaf = prop_oneof![
        Just(J::Null),
        any::<bool>().prop_map(J::Bool),
        (-(1i64 << 53)..(1i64 << 53)).prop_map(|n| json!(n)),
        text(0..10).prop_map(J::String),
    ];
    leaf.prop_recursive(4, 24, 5, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5).prop_map(J::Array),
            prop::collection::vec((text(0..6), inner), 0..5)
                .prop_map(|kv| J::Object(kv.into_iter().collect())),
        ]
    })
}

/// Our tree equals serde_json's (objects compared by their last duplicate, as JSON.parse does).
fn same(ours: &Value, theirs: &J) -> bool {
    match (ours, theirs) {
        (Value::Null, J::Null) => true,
        (Value::Bool(a), J::Bool(b)) => a == b,
        (Value::Num(a), J::Number(b)) => Some(*a) == b.as_f64(),
        (Value::Str(a), J::String(b)) => a == b,
        (Value::Arr(a), J::Array(b)) => {
            a.len() == b.len() && a.iter().zip(b).all(|(x, y)| same(x, y))
        }
        (Value::Obj(_), J::Object(b)) => b
            .iter()
            .all(|(k, v)| ours.get(k).is_some_and(|o| same(o, v))),
        _ => false,
    }
}

prop_compose! {
    fn session()(
        access in text(1..40).prop_filter("non-empty", |s| !s.is_empty()),
        ttype in prop_oneof![Just(String::from("bearer")), text(1..8)],
        exp in prop_oneof![(0i64..(1i64 << 53)).prop_map(|n| n as f64), (0f64..4e12).prop_map(f64::floor)],
        refresh in prop::option::of(text(1..40)),
        client in text(1..40),
        email in prop::option::of(text(0..30)),
    ) -> Session {
        Session {
            access_token: AccessToken::new(access),
            token_type: ttype,
            expires_at_ms: exp,
            refresh_token: refresh.map(RefreshToken::new),
            client_id: client,
            email,
        }
    }
}

proptest! {
    #![proptest_config(cfg())]

    #[test]
    fn stored_sessions_round_trip(s in session()) {
        let text = s.encode();
        prop_assert!(serde_json::from_str::<J>(&text).is_ok(), "encode writes valid JSON: {}", text);
        let back = Session::decode(&text).unwrap();
        prop_assert!(back.access_token.same_as(&s.access_token));
        prop_assert_eq!(&back.token_type, if s.token_type.is_empty() { "bearer" } else { &s.token_type });
        prop_assert_eq!(back.expires_at_ms.to_bits(), s.expires_at_ms.to_bits(), "expiry exact: {}", text);
        let want = s.refresh_token.as_ref().map(|r| r.secret().to_string()).filter(|r| !r.is_empty());
        prop_assert_eq!(back.refresh_token.as_ref().map(|r| r.secret().to_string()), want);
        prop_assert_eq!(&back.client_id, &s.client_id);
        prop_assert_eq!(&back.email, &s.email);
        prop_assert_eq!(back.encode(), text, "encode ∘ decode is the identity");
    }

    #[test]
    fn sessions_from_grants_round_trip_exactly(now in 0f64..4e12, expires_in in 0.001f64..1e7) {
        let body = format!(r#"{{"access_token":"a","expires_in":{expires_in},"refresh_token":"r"}}"#);
        let grant = nexudus_auth::core::responses::parse_token(
            &nexudus_auth::core::http::HttpResponse::new(200, body),
            nexudus_auth::core::responses::TokenCall::SignIn,
        ).unwrap();
        let s = Session::from_grant(grant, now, "c".into(), None);
        let back = Session::decode(&s.encode()).unwrap();
        prop_assert_eq!(back.expires_at_ms.to_bits(), s.expires_at_ms.to_bits(), "{}", s.encode());
        prop_assert!(s.expires_at_ms <= now + expires_in * 1000.0 && s.expires_at_ms > now + expires_in * 1000.0 - 1.0);
    }

    #[test]
    fn tampered_stored_sessions_are_refused_never_trusted(
        s in session(),
        key in prop::sample::select(vec!["v", "accessToken", "tokenType", "expiresAt", "refreshToken", "clientId", "email"]),
        bad in prop_oneof![Just(json!(2)), Just(json!(null)), Just(json!(true)), Just(json!([1])), Just(json!({})), Just(json!("")), Just(json!(1e308)), Just(json!("1"))],
        cut in 0usize..400,
    ) {
        let mut obj: J = serde_json::from_str(&s.encode()).unwrap();
        obj[key] = bad.clone();
        let text = obj.to_string();
        let decoded = Session::decode(&text);
        let valid = match key {
            "v" => false,
            "accessToken" | "clientId" => bad.as_str().is_some_and(|s| !s.is_empty()),
            "expiresAt" => bad.is_number(),
            _ => bad.is_string() || bad.is_null(),
        };
        if valid {
            prop_assert!(decoded.is_ok(), "{}", text);
        } else {
            prop_assert!(decoded.is_err(), "accepted a tampered session: {}", text);
            prop_assert_eq!(decoded.unwrap_err().code().as_str(), "bad_response");
        }
        // Truncations and arbitrary prefixes: refused or (for a whole object) accepted; no panic.
        let enc = s.encode();
        let cut = enc.char_indices().map(|(i, _)| i).nth(cut).unwrap_or(enc.len());
        let _ = Session::decode(&enc[..cut]);
        let _ = RebillySession::decode(&enc[..cut]);
    }

    #[test]
    fn jwt_payloads_decode_to_their_claims(
        sub in prop::option::of(text(0..20)),
        email in prop::option::of(text(0..20)),
        exp in prop::option::of(0i64..(1i64 << 40)),
        extra in json_tree(),
        header in ascii(b"abcXYZ019-_", 0..30),
        sig in ascii(b"abcXYZ019-_", 0..60),
        pad in any::<bool>(),
        url in any::<bool>(),
    ) {
        let mut claims = json!({ "extra": extra });
        if let Some(s) = &sub { claims["sub"] = json!(s); }
        if let Some(e) = &email { claims["email"] = json!(e); }
        if let Some(x) = exp { claims["exp"] = json!(x); }
        let payload = b64url(claims.to_string().as_bytes(), pad, url);
        prop_assert_eq!(base64url_decode(&payload).unwrap(), claims.to_string().into_bytes());
        let jwt = format!("{header}.{payload}.{sig}");
        let c = decode_claims(&jwt);
        if jwt.len() > MAX_JWT_BYTES {
            prop_assert!(c.is_none());
        } else {
            let c = c.unwrap();
            prop_assert_eq!(c.sub, sub);
            prop_assert_eq!(c.email, email);
            prop_assert_eq!(c.exp_s, exp.map(|x| x as f64));
        }
        // Any other shape: never a panic, never claims from a non-object.
        for bad in [format!("{header}.{payload}"), format!("{jwt}.x"), format!("{header}.{sig}{payload}.{sig}"), format!(".{payload}.")] {
            let _ = decode_claims(&bad);
        }
        let array_payload = format!("a.{}.b", b64url(b"[1,2]", pad, url));
        prop_assert!(decode_claims(&array_payload).is_none());
    }

    #[test]
    fn json_reader_agrees_with_serde_json(v in json_tree(), ws in ascii(b" \t\r\n", 0..3)) {
        let text = format!("{ws}{}{ws}", serde_json::to_string_pretty(&v).unwrap());
        let ours = parse(&text).unwrap();
        prop_assert!(same(&ours, &v), "{}", text);
        // Any strict prefix of a container is not JSON.
        if matches!(v, J::Array(_) | J::Object(_)) {
            let t = v.to_string();
            for cut in [1, t.len() / 2, t.len() - 1] {
                if let Some(p) = t.get(..cut) {
                    prop_assert!(parse(p).is_none(), "accepted a truncated document {:?}", p);
                }
            }
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
    fn iso_dates_and_retry_after(
        y in 1970i64..2400, mo in 1u32..13, d in 1u32..32, h in 0u32..24, mi in 0u32..60, s in 0u32..60,
        frac in prop::option::of(0u32..1000), off in prop::option::of((any::<bool>(), 0i64..24, 0i64..60, any::<bool>())),
        junk in text(0..30), ra in text(0..8), secs in 0u32..100_000,
    ) {
        let f = frac.map(|f| format!(".{f:03}")).unwrap_or_default();
        let (o, off_min) = match off {
            None => (String::from("Z"), 0),
            Some((neg, oh, om, colon)) => (
                format!("{}{oh:02}{}{om:02}", if neg { '-' } else { '+' }, if colon { ":" } else { "" }),
                if neg { -(oh * 60 + om) } else { oh * 60 + om },
            ),
        };
        let iso = format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}{f}{o}");
        let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
        let dim = [31, if leap { 29 } else { 28 }, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][(mo - 1) as usize];
        let want = (d <= dim).then(|| {
            let secs = days_slow(y, mo, d) * 86_400 + i64::from(h * 3600 + mi * 60 + s) - off_min * 60;
            secs as f64 * 1000.0 + f64::from(frac.unwrap_or(0))
        });
        prop_assert_eq!(parse_iso8601_ms(&iso), want, "{}", iso);
        let _ = parse_iso8601_ms(&junk);
        let _ = parse_iso8601_ms(&format!("{iso}{junk}"));
        prop_assert_eq!(parse_retry_after(Some(&secs.to_string())), Some(f64::from(secs)));
        if let Some(v) = parse_retry_after(Some(&ra)) {
            prop_assert!(v.is_finite() && v >= 0.0);
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
