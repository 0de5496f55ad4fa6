#![cfg(not(target_arch = "wasm32"))]
//! Hostile server answers and hostile stored sessions, structure-aware: every answer parser is
//! compared with an independent model of the contract (which code, which value), never panics,
//! and never puts a token in an error's message or `Debug`. Stored sessions round-trip.
//! Cases per property: `CASES` (see the report in SECURITY.md for the totals).

use nexudus_auth::core::error::ErrorCode;
use nexudus_auth::core::http::HttpResponse;
use nexudus_auth::core::json::{parse, Value};
use nexudus_auth::core::jwt::{decode_claims, MAX_JWT_BYTES};
use nexudus_auth::core::responses::*;
use nexudus_auth::core::session::{RebillySession, Session};
use proptest::prelude::*;
use serde_json::{json, Map, Value as J};

mod native;

use native::cfg;

/// A distinctive secret: never produced by any other generator.
fn secret() -> impl Strategy<Value = String> {
    ascii(b"ABCXYZabcxyz0189._~-", 10..40).prop_map(|s| format!("SEC{s}"))
}

/// A string of bytes from `set` (regex strategies are ~5x slower in a debug build).
fn ascii(set: &'static [u8], len: std::ops::Range<usize>) -> BoxedStrategy<String> {
    prop::collection::vec(prop::sample::select(set), len)
        .prop_map(|v| v.into_iter().map(char::from).collect())
        .boxed()
}

/// Printable ASCII with JSON's special characters, or any Unicode scalar values.
fn text(max: usize) -> BoxedStrategy<String> {
    prop_oneof![
        ascii(b" !\"#%&'()*+,-./:;<>?@[\\]^_`{|}~azAZ09", 0..max),
        prop::collection::vec(any::<char>(), 0..max).prop_map(String::from_iter),
    ]
    .boxed()
}

/// Any JSON value, a few levels deep (serde_json::Value, so the body is real JSON).
fn any_json() -> impl Strategy<Value = J> {
    let leaf = prop_oneof![
        Just(J::Null),
        any::<bool>().prop_map(J::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        any::<f64>()
            .prop_filter("finite", |x| x.is_finite())
            .prop_map(|x| json!(x)),
        text(12).prop_map(J::String),
        Just(J::String(String::new())),
    ];
    leaf.prop_recursive(3, 16, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(J::Array),
            prop::collection::vec((ascii(b"abcdefgXYZ_", 1..8), inner), 0..4)
                .prop_map(|kv| J::Object(kv.into_iter().collect())),
        ]
    })
}

/// A field's value: mostly plausible (`good`), often hostile (any JSON), sometimes absent.
fn field(good: BoxedStrategy<J>) -> BoxedStrategy<Option<J>> {
    prop_oneof![3 => good.prop_map(Some), 2 => any_json().prop_map(Some), 1 => Just(None)].boxed()
}

fn status() -> impl Strategy<Value = u16> {
    prop_oneof![
        3 => prop::sample::select(vec![200u16, 201, 204, 400, 401, 403, 404, 422, 429, 500, 502, 503]),
        1 => 0u16..700,
    ]
}

/// The body: the object as JSON, or (rarely) cut half way / wrapped in an HTML page.
fn body(obj: Map<String, J>, mangle: u8) -> String {
    let text = J::Object(obj).to_string();
    match mangle {
        0 => text.get(..text.len() / 2).unwrap_or("").to_string(),
        1 => format!("<html><body>{text}</body></html>"),
        _ => text,
    }
}

fn put(m: &mut Map<String, J>, k: &str, v: Option<J>) {
    if let Some(v) = v {
        m.insert(k.into(), v);
    }
}

fn is_2xx(s: u16) -> bool {
    (200..300).contains(&s)
}

fn pos_number(v: &J) -> Option<f64> {
    let n = match v {
        J::Number(n) => n.as_f64(),
        J::String(s) => serde_json::from_str::<f64>(s.trim()).ok(),
        _ => None,
    };
    n.filter(|n| n.is_finite() && *n > 0.0)
}

/// `Ok(Some(s))`/`Ok(None)` for a string/absent-or-null member, `Err` for any other type.
fn loose(m: &Map<String, J>, k: &str) -> Result<Option<String>, ()> {
    match m.get(k) {
        None | Some(J::Null) => Ok(None),
        Some(J::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(()),
    }
}

/// The contract's answer to a token call, modelled independently: the access token or the code.
fn token_model(
    status: u16,
    m: Option<&Map<String, J>>,
    call: TokenCall,
) -> Result<String, ErrorCode> {
    if status == 429 || (500..600).contains(&status) {
        return Err(ErrorCode::Server);
    }
    if is_2xx(status) {
        let m = m.ok_or(ErrorCode::BadResponse)?;
        let bad = |_| ErrorCode::BadResponse;
        let access = match loose(m, "access_token").map_err(bad)? {
            Some(a) => Some(a),
            None => loose(m, "token").map_err(bad)?,
        };
        loose(m, "token_type").map_err(bad)?;
        loose(m, "refresh_token").map_err(bad)?;
        m.get("expires_in")
            .and_then(pos_number)
            .ok_or(ErrorCode::BadResponse)?;
        return access
            .filter(|a| !a.is_empty())
            .ok_or(ErrorCode::BadResponse);
    }
    if call == TokenCall::Exchange && status == 400 {
        return Err(ErrorCode::TokenInvalid);
    }
    if call == TokenCall::Exchange && status == 401 {
        return Err(ErrorCode::TokenRejected);
    }
    if status == 400 || status == 401 {
        if let Some(J::String(e)) = m.and_then(|m| m.get("error")) {
            return Err(match e.as_str() {
                "invalid_grant" if call == TokenCall::Refresh => ErrorCode::SessionExpired,
                "invalid_grant" => ErrorCode::InvalidCredentials,
                "two_factor_auth_check" => ErrorCode::TwoFactorRequired,
                "must_reset_password" => ErrorCode::PasswordResetRequired,
                "unsupported_grant_type" => ErrorCode::UnsupportedGrantType,
                _ => ErrorCode::Server,
            });
        }
    }
    Err(if status == 401 {
        ErrorCode::Unauthorized
    } else {
        ErrorCode::BadResponse
    })
}

fn assert_no_secret(text: &str, secrets: &[&str]) -> Result<(), TestCaseError> {
    for s in secrets {
        prop_assert!(!text.contains(s), "secret {:?} leaked in {:?}", s, text);
    }
    Ok(())
}

prop_compose! {
    fn token_answer()(
        st in status(),
        access in field(secret().prop_map(J::String).boxed()),
        token in field(secret().prop_map(J::String).boxed()),
        ttype in field(prop::sample::select(vec!["bearer", "Bearer", ""]).prop_map(|s| json!(s)).boxed()),
        exp in field(prop_oneof![(-10i64..100_000).prop_map(|n| json!(n)), Just(json!("3600")), Just(json!(" 60 ")), Just(json!(1e-9)), Just(json!(1.5))].boxed()),
        refresh in field(secret().prop_map(J::String).boxed()),
        error in field(prop::sample::select(vec!["invalid_grant", "two_factor_auth_check", "must_reset_password", "unsupported_grant_type", "invalid_client"]).prop_map(|s| json!(s)).boxed()),
        desc in field(prop_oneof![secret().prop_map(J::String), text(20).prop_map(J::String)].boxed()),
        mangle in 0u8..12,
    ) -> (u16, Map<String, J>, String) {
        let mut m = Map::new();
        for (k, v) in [("access_token", access), ("token", token), ("token_type", ttype), ("expires_in", exp),
                       ("refresh_token", refresh), ("error", error), ("error_description", desc)] {
            put(&mut m, k, v);
        }
        let b = body(m.clone(), mangle);
        (st, m, b)
    }
}

fn secrets_of(m: &Map<String, J>) -> Vec<String> {
    let mut out = Vec::new();
    for k in ["access_token", "token", "refresh_token"] {
        if let Some(J::String(s)) = m.get(k) {
            out.push(s.clone());
        }
    }
    if m.get("error") == Some(&json!("must_reset_password")) {
        if let Some(J::String(s)) = m.get("error_description") {
            out.push(s.clone());
        }
    }
    out.retain(|s| s.len() > 3);
    out
}

proptest! {
    #![proptest_config(cfg())]

    #[test]
    fn token_answers_follow_the_contract((st, m, b) in token_answer()) {
        let parsed_ok = serde_json::from_str::<J>(&b).ok();
        let obj = parsed_ok.as_ref().and_then(J::as_object);
        let resp = HttpResponse::new(st, b.clone());
        let secrets = secrets_of(&m);
        let secrets: Vec<&str> = secrets.iter().map(String::as_str).collect();
        for call in [TokenCall::SignIn, TokenCall::Refresh, TokenCall::Exchange] {
            let ours = parse_token(&resp, call);
            let model = token_model(st, obj, call);
            match (&ours, &model) {
                (Ok(g), Ok(a)) => {
                    prop_assert_eq!(g.access_token.secret(), a.as_str());
                    prop_assert!(g.expires_in_s.is_finite() && g.expires_in_s > 0.0);
                    prop_assert!(!g.token_type.is_empty());
                    assert_no_secret(&format!("{g:?}"), &secrets)?;
                }
                (Err(e), Err(code)) => {
                    prop_assert_eq!(e.code(), *code, "{:?} {}", call, b);
                    assert_no_secret(&e.message(), &secrets)?;
                    assert_no_secret(&format!("{e:?} {e:#?}"), &secrets)?;
                    if *code == ErrorCode::PasswordResetRequired {
                        prop_assert!(e.description().is_none(), "the reset token is never a description");
                    }
                }
                _ => prop_assert!(false, "{:?} on {} {}: ours {:?}, model {:?}", call, st, b, ours.map(|_| ()), model),
            }
        }
    }

    #[test]
    fn action_confirmations_follow_the_contract(
        st in status(),
        ok in field(prop_oneof![Just(json!(true)), Just(json!(false))].boxed()),
        value in field(secret().prop_map(J::String).boxed()),
        message in field(text(20).prop_map(J::String).boxed()),
        errors in field(prop_oneof![
            prop::collection::vec(text(10).prop_map(J::String), 0..3).prop_map(J::Array),
            prop::collection::vec(text(10).prop_map(|s| json!({"PropertyName": "Password", "Message": s})), 0..3).prop_map(J::Array),
            ascii(b"abc XYZ!", 1..10).prop_map(|s| json!({"Password": [s]})),
        ].boxed()),
        mangle in 0u8..12,
        empty in 0u8..20,
    ) {
        let mut m = Map::new();
        for (k, v) in [("WasSuccessful", ok), ("Value", value), ("Message", message), ("Errors", errors)] {
            put(&mut m, k, v);
        }
        let b = if empty == 0 { String::from("  ") } else { body(m.clone(), mangle) };
        let secret = match m.get("Value") { Some(J::String(s)) if s.len() > 3 => s.clone(), _ => String::from("\u{0}none") };
        let resp = HttpResponse::new(st, b.clone());
        let tree = parse(&b);
        for call in [ActionCall::OneTimeToken, ActionCall::StartPasswordReset, ActionCall::CompletePasswordReset] {
            let ours = parse_action(&resp, call);
            // The model.
            let model: Result<Option<String>, ErrorCode> = if st == 429 || (500..600).contains(&st) {
                Err(ErrorCode::Server)
            } else if st == 401 {
                Err(ErrorCode::Unauthorized)
            } else if is_2xx(st) && call == ActionCall::StartPasswordReset && b.trim().is_empty() {
                Ok(None)
            } else {
                match tree.as_ref().filter(|v| v.as_object().is_some()) {
                    None => Err(ErrorCode::BadResponse),
                    Some(v) => match v.get("WasSuccessful") {
                        Some(Value::Bool(_)) | None | Some(Value::Null) => {
                            let success = v.get("WasSuccessful").and_then(Value::as_bool).unwrap_or(is_2xx(st));
                            if !success || !is_2xx(st) {
                                Err(if !collect_errors(v.get("Errors")).is_empty() { ErrorCode::PasswordPolicy }
                                    else if call == ActionCall::CompletePasswordReset { ErrorCode::TokenInvalid }
                                    else { ErrorCode::Server })
                            } else {
                                match v.get("Value").and_then(Value::as_str).filter(|s| !s.is_empty()) {
                                    Some(s) => Ok(Some(s.to_string())),
                                    None if call == ActionCall::StartPasswordReset => Ok(None),
                                    None => Err(ErrorCode::BadResponse),
                                }
                            }
                        }
                        Some(_) => Err(ErrorCode::BadResponse),
                    },
                }
            };
            match (&ours, &model) {
                (Ok(a), Ok(b)) => prop_assert_eq!(a, b),
                (Err(e), Err(code)) => {
                    prop_assert_eq!(e.code(), *code, "{:?} {} {}", call, st, b);
                    assert_no_secret(&format!("{} {:?}", e.message(), e), &[&secret])?;
                }
                _ => prop_assert!(false, "{:?} {} {}: ours {:?} model {:?}", call, st, b, ours.is_ok(), model),
            }
        }
    }

    #[test]
    fn collect_errors_only_returns_the_servers_messages(v in any_json()) {
        let text = v.to_string();
        let tree = parse(&text).unwrap();
        for m in collect_errors(Some(&tree)) {
            prop_assert!(!m.is_empty());
            prop_assert!(text.contains(&serde_json::to_string(&m).unwrap()), "{:?} not in {}", m, text);
        }
    }

    #[test]
    fn rebilly_answers_follow_the_contract(
        st in status(),
        token in field(secret().prop_map(J::String).boxed()),
        customer in field(ascii(b"abcXYZ019", 1..10).prop_map(|s| J::String(format!("cus_{s}"))).boxed()),
        expired in field(prop_oneof![
            (1970i64..2400, 1u32..13, 1u32..29, 0u32..24, 0u32..60, 0u32..60)
                .prop_map(|(y, mo, d, h, mi, s)| json!(format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}Z"))),
            ascii(b"0123456789T:+Z.- ", 0..25).prop_map(J::String),
        ].boxed()),
        title in field(text(12).prop_map(J::String).boxed()),
        mangle in 0u8..12,
        now in 0f64..4e12,
    ) {
        let mut m = Map::new();
        for (k, v) in [("token", token), ("customerId", customer), ("expiredTime", expired), ("title", title)] {
            put(&mut m, k, v);
        }
        let b = body(m.clone(), mangle);
        let obj = serde_json::from_str::<J>(&b).ok().and_then(|v| v.as_object().cloned());
        let secret = match m.get("token") { Some(J::String(s)) if s.len() > 3 => s.clone(), _ => String::from("\u{0}none") };
        let model: Result<f64, ErrorCode> = match st {
            200 | 201 => (|| {
                let o = obj.as_ref().ok_or(ErrorCode::BadResponse)?;
                let nonempty = |k: &str| o.get(k).and_then(J::as_str).filter(|s| !s.is_empty()).is_some();
                if !nonempty("token") || !nonempty("customerId") { return Err(ErrorCode::BadResponse); }
                match o.get("expiredTime") {
                    None | Some(J::Null) => Ok(now + 3_600_000.0),
                    Some(J::String(s)) => parse_iso8601_ms(s).ok_or(ErrorCode::BadResponse),
                    Some(_) => Err(ErrorCode::BadResponse),
                }
            })(),
            401 | 403 => Err(ErrorCode::TokenRejected),
            400 | 404 | 422 => Err(ErrorCode::TokenInvalid),
            429 => Err(ErrorCode::Server),
            s if (500..600).contains(&s) => Err(ErrorCode::Server),
            _ => Err(ErrorCode::BadResponse),
        };
        match (parse_rebilly(&HttpResponse::new(st, b.clone()), now), model) {
            (Ok(g), Ok(exp)) => {
                prop_assert_eq!(g.expires_at_ms, exp);
                // The parsed token is the server's (even a short one); `secret` below is only the
                // leak probe, which skips tokens too short to search for meaningfully.
                prop_assert_eq!(Some(g.token.secret()), m.get("token").and_then(J::as_str));
                let s = RebillySession::from_grant(g);
                let back = RebillySession::decode(&s.encode()).unwrap();
                prop_assert!(back.token.same_as(&s.token));
                prop_assert_eq!(&back.customer_id, &s.customer_id);
                prop_assert_eq!(back.expires_at_ms, s.expires_at_ms);
                assert_no_secret(&format!("{s:?}"), &[&secret])?;
            }
            (Err(e), Err(code)) => {
                prop_assert_eq!(e.code(), code, "{} {}", st, b);
                assert_no_secret(&format!("{} {:?}", e.message(), e), &[&secret])?;
            }
            (ours, model) => prop_assert!(false, "{} {}: ours {:?} model {:?}", st, b, ours.map(|_| ()), model),
        }
    }
}

#[test]
fn deep_and_huge_inputs_are_refused_without_overflow() {
    for depth in [65, 1_000, 100_000, 1_000_000] {
        let deep = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
        assert!(parse(&deep).is_none(), "depth {depth}");
        assert!(Session::decode(&deep).is_err());
        let objs = format!("{}1{}", "{\"a\":".repeat(depth), "}".repeat(depth));
        assert!(parse(&objs).is_none());
    }
    let huge = format!(
        r#"{{"v":1,"accessToken":"{}","expiresAt":1,"clientId":"c"}}"#,
        "A".repeat(4 << 20)
    );
    assert!(
        Session::decode(&huge).is_ok(),
        "a large but well-formed session is data, not an attack"
    );
    assert!(Session::decode(&"A".repeat(4 << 20)).is_err());
    assert!(decode_claims(&format!("a.{}.b", "A".repeat(MAX_JWT_BYTES))).is_none());
}
