#![cfg(not(target_arch = "wasm32"))]
//! Session from a grant (clock skew), the stored format (through `JSON.stringify` and
//! `JSON.parse`), JWT claims.

use base64::engine::general_purpose::{STANDARD, URL_SAFE, URL_SAFE_NO_PAD};
use base64::Engine;
use nexudus_auth::core::error::ErrorCode;
use nexudus_auth::core::http::{HttpResponse, ResponseBody};
use nexudus_auth::core::jwt::{payload_base64, Claims, MAX_JWT_BYTES};
use nexudus_auth::core::responses::{parse_rebilly, parse_token, TokenCall};
use nexudus_auth::core::session::{default_client_id, RebillySession, Session};
use nexudus_auth::core::{AccessToken, Value};
use serde_json::json;

mod native;

use native::{body, claims, jwt_payload, parse_date, stringify};

const NOW: f64 = 1_795_417_200_000.0; // 2026-11-23T07:00:00Z on the browser's clock

fn jwt(payload: &str) -> String {
    format!(
        "{}.{}.sig",
        URL_SAFE_NO_PAD.encode(r#"{"alg":"HS256","typ":"JWT"}"#),
        URL_SAFE_NO_PAD.encode(payload)
    )
}

/// A token answer from a server whose clock reads `server_now_s`, and the `exp` in its JWT.
fn grant_at_server_time(server_now_s: f64, ttl_s: f64) -> (HttpResponse, f64) {
    let exp = server_now_s + ttl_s;
    let token = jwt(&json!({"sub": "a@b.c", "email": "a@b.c", "exp": exp}).to_string());
    let answer = json!({"access_token": token, "token_type": "bearer", "expires_in": ttl_s, "refresh_token": "r1"});
    (native::resp(200, &answer.to_string()), exp)
}

/// A stored document after `JSON.stringify` → storage → `JSON.parse`.
fn reread(text: &str) -> Value {
    body(text).json().cloned().expect("stored JSON")
}

#[test]
fn expiry_uses_the_local_clock_so_skew_does_not_matter() {
    for skew_ms in [-300_000.0, 0.0, 300_000.0] {
        // The server's clock is `skew` ahead of the browser's.
        let server_now_s = (NOW + skew_ms) / 1000.0;
        let (resp, jwt_exp_s) = grant_at_server_time(server_now_s, 3600.0);
        let grant = parse_token(&resp, TokenCall::SignIn).unwrap();
        assert_eq!(
            claims(grant.access_token.secret()).unwrap().exp_s,
            Some(jwt_exp_s)
        );
        let s = Session::from_grant(grant, NOW, "cid".into(), None);
        // Always one hour after receipt on the browser's clock…
        assert_eq!(s.expires_at_ms, NOW + 3_600_000.0);
        assert_eq!(s.received_at_ms, NOW);
        assert!(!s.is_expired(NOW + 3_599_999.0));
        assert!(s.is_expired(NOW + 3_600_000.0));
        // …whereas the JWT's `exp` would be off by exactly the skew.
        assert_eq!(jwt_exp_s * 1000.0 - s.expires_at_ms, skew_ms);
    }
}

#[test]
fn stored_format_round_trip() {
    let (resp, _) = grant_at_server_time(NOW / 1000.0, 86400.0);
    let grant = parse_token(&resp, TokenCall::SignIn).unwrap();
    let s = Session::from_grant(
        grant,
        NOW + 0.7,
        default_client_id("a@b.c"),
        Some("a@b.c".into()),
    );
    let text = stringify(&s.to_value());
    let token = s.access_token.secret().to_string();
    assert_eq!(
        text,
        format!(
            r#"{{"v":1,"accessToken":"{token}","tokenType":"bearer","expiresAt":1795503600000,"receivedAt":1795417200000,"refreshToken":"r1","clientId":"nexudus.portal.a@b.c","email":"a@b.c","impersonating":null}}"#
        ),
        "whole milliseconds, members in the documented order"
    );
    let d = Session::from_value(&reread(&text)).unwrap();
    assert!(d.access_token.same_as(&s.access_token) && d.same_as(&s) && d.same_sign_in(&s));
    assert_eq!(d.token_type, "bearer");
    assert_eq!(d.lifetime(), s.lifetime());
    assert_eq!(d.refresh_token.unwrap().secret(), "r1");
    assert_eq!(d.client_id, "nexudus.portal.a@b.c");
    assert_eq!(d.email.as_deref(), Some("a@b.c"));

    let bare = Session {
        access_token: AccessToken::new("a\"b"),
        token_type: "bearer".into(),
        expires_at_ms: 5.5,
        received_at_ms: 1.0,
        refresh_token: None,
        client_id: "c".into(),
        email: None,
        impersonating: Some(42),
    };
    let text = stringify(&bare.to_value());
    assert_eq!(
        text,
        r#"{"v":1,"accessToken":"a\"b","tokenType":"bearer","expiresAt":5.5,"receivedAt":1,"refreshToken":null,"clientId":"c","email":null,"impersonating":42}"#
    );
    let d = Session::from_value(&reread(&text)).unwrap();
    assert_eq!(d.access_token.secret(), "a\"b");
    assert!(d.refresh_token.is_none() && d.email.is_none());
    assert_eq!(
        d.impersonating,
        Some(42),
        "the coworker id acted for is kept"
    );
    for wrong in ["0", "1.5", "-3", "\"7\"", "true"] {
        let doc = text.replace("42", wrong);
        assert!(
            Session::from_value(&reread(&doc)).is_err(),
            "impersonating {wrong} is refused"
        );
    }
}

#[test]
fn corrupt_stored_sessions_are_refused() {
    for s in [
        "null",
        "[]",
        "\"session\"",
        r#"{"accessToken":"a","expiresAt":1,"clientId":"c"}"#,
        r#"{"v":2,"accessToken":"a","expiresAt":1,"clientId":"c"}"#,
        r#"{"v":"1","accessToken":"a","expiresAt":1,"clientId":"c"}"#,
        r#"{"v":1,"expiresAt":1,"clientId":"c"}"#,
        r#"{"v":1,"accessToken":"","expiresAt":1,"clientId":"c"}"#,
        r#"{"v":1,"accessToken":"a","clientId":"c"}"#,
        r#"{"v":1,"accessToken":"a","expiresAt":"1","clientId":"c"}"#,
        r#"{"v":1,"accessToken":"a","expiresAt":null,"clientId":"c"}"#,
        r#"{"v":1,"accessToken":"a","expiresAt":1}"#,
        r#"{"v":1,"accessToken":"a","expiresAt":1,"clientId":"c","refreshToken":5}"#,
        r#"{"v":1,"accessToken":"a","expiresAt":1,"clientId":"c","email":[]}"#,
        r#"{"v":1,"accessToken":"a","expiresAt":1,"clientId":"c","tokenType":{}}"#,
    ] {
        let e = Session::from_value(&reread(s)).unwrap_err();
        assert_eq!(e.code(), ErrorCode::BadResponse, "{s}");
        assert_eq!(e.status(), None);
    }
    // `JSON.parse` reads 1e999 as Infinity: an infinite expiry is refused too.
    let inf = Value::object(vec![
        ("v", Value::Num(1.0)),
        ("accessToken", Value::Str("a".into())),
        ("expiresAt", Value::Num(f64::INFINITY)),
        ("clientId", Value::Str("c".into())),
    ]);
    assert_eq!(
        Session::from_value(&inf).unwrap_err().code(),
        ErrorCode::BadResponse
    );
    // Text that is not JSON never reaches the core.
    for s in [
        "",
        "{not json",
        r#"{"v":1,"accessToken":"a","expiresAt":1e999,"clientId":"c"}"#,
    ] {
        assert!(!matches!(body(s), ResponseBody::Json(_)), "{s}");
    }
    // Missing tokenType falls back to bearer.
    let d = Session::from_value(&reread(
        r#"{"v":1,"accessToken":"a","expiresAt":1,"clientId":"c"}"#,
    ))
    .unwrap();
    assert_eq!(d.token_type, "bearer");
}

#[test]
fn expiry_helpers() {
    let stored = r#"{"v":1,"accessToken":"a","expiresAt":1000000,"receivedAt":0,"clientId":"c"}"#;
    let s = Session::from_value(&reread(stored)).unwrap();
    assert!(!s.needs_refresh(939_999.0, 60_000.0));
    assert!(s.needs_refresh(940_000.0, 60_000.0));
    // A 100 s token with a 60 s leeway: capped at half its life.
    let short = r#"{"v":1,"accessToken":"a","expiresAt":100000,"receivedAt":0,"clientId":"c"}"#;
    let s = Session::from_value(&reread(short)).unwrap();
    assert!(!s.needs_refresh(39_999.0, 60_000.0));
    assert!(s.needs_refresh(50_000.0, 600_000.0));
    assert!(!s.needs_refresh(49_999.0, 600_000.0));
    assert!(!s.is_expired(99_999.0));
    assert!(s.is_expired(100_000.0));
    assert!(!s.needs_refresh(f64::NAN, 60_000.0));
    // The refresh point is never after the expiry, whatever the leeway or lifetime.
    for leeway in [0.0, 1.0, 60_000.0, 3_600_000.0] {
        assert!(
            s.needs_refresh(100_000.0, leeway),
            "expired ⇒ due (leeway {leeway})"
        );
    }
    let unknown = r#"{"v":1,"accessToken":"a","expiresAt":100000,"clientId":"c"}"#;
    let u = Session::from_value(&reread(unknown)).unwrap();
    assert!(u.needs_refresh(100_000.0, 0.0) && u.needs_refresh(100_000.0, 60_000.0));
    assert_eq!(
        default_client_id("bob@example.com"),
        "nexudus.portal.bob@example.com"
    );
}

#[test]
fn rebilly_session() {
    let answer =
        r#"{"token":"JWT","customerId":"cus_1","expiredTime":"2026-11-23T08:00:00+01:00"}"#;
    let g = parse_rebilly(&native::resp(201, answer), NOW, parse_date).unwrap();
    let s = RebillySession::from_grant(g);
    assert_eq!(s.expires_at_ms, NOW);
    let text = stringify(&s.to_value());
    assert_eq!(
        text,
        r#"{"v":1,"token":"JWT","expiresAt":1795417200000,"customerId":"cus_1"}"#
    );
    let d = RebillySession::from_value(&reread(&text)).unwrap();
    assert_eq!(d.token.secret(), "JWT");
    assert_eq!(d.customer_id, "cus_1");
    assert!(d.is_expired(NOW));
    assert!(!d.is_expired(NOW - 1.0));
    for bad in [
        "[]",
        r#"{"v":1,"token":"J","expiresAt":1}"#,
        r#"{"v":9,"token":"J","expiresAt":1,"customerId":"c"}"#,
        r#"{"v":1,"token":"","expiresAt":1,"customerId":"c"}"#,
        r#"{"v":1,"token":"J","expiresAt":"1","customerId":"c"}"#,
    ] {
        assert_eq!(
            RebillySession::from_value(&reread(bad)).unwrap_err().code(),
            ErrorCode::BadResponse,
            "{bad}"
        );
    }
}

#[test]
fn jwt_claims() {
    let t = jwt(
        r#"{"sub":"alice@example.com","email":"alice@example.com","exp":1795417200,"name":"Alice Martin"}"#,
    );
    let c = claims(&t).unwrap();
    assert_eq!(
        c,
        Claims {
            sub: Some("alice@example.com".into()),
            email: Some("alice@example.com".into()),
            exp_s: Some(1_795_417_200.0),
        }
    );
    assert_eq!(c.subject().as_deref(), Some("alice@example.com"));
    let only_sub = claims(&jwt(r#"{"sub":"42","email":7}"#)).unwrap();
    assert_eq!(only_sub.subject().as_deref(), Some("42"), "email, else sub");
    // Padding is tolerated; other claims are optional.
    let padded = format!("h.{}.s", URL_SAFE.encode(r#"{"x":1}"#));
    assert!(padded.contains('='));
    assert_eq!(claims(&padded), Some(Claims::default()));
    assert_eq!(
        claims(&format!("h.{}.s", URL_SAFE_NO_PAD.encode("[1]"))),
        None,
        "not an object"
    );
    assert_eq!(
        claims(&format!("h.{}.s", URL_SAFE_NO_PAD.encode("not json"))),
        None
    );
    assert_eq!(
        claims(&format!("h.{}.s", URL_SAFE_NO_PAD.encode([0xff, 0xfe]))),
        None,
        "not UTF-8"
    );
    assert_eq!(claims("h.A.s"), None, "atob refuses a lone sextet");
    // The segment handed to `atob`: base64url (or standard) turned into padded standard base64.
    for (segment, want) in [
        ("aGk", "aGk="),
        ("aGk=", "aGk="),
        ("-_8", "+/8="),
        ("+/8", "+/8="),
        ("", ""),
        ("YWJj", "YWJj"),
        ("YQ", "YQ=="),
    ] {
        assert_eq!(
            payload_base64(&format!("h.{segment}.s")).as_deref(),
            Some(want),
            "{segment}"
        );
    }
    assert_eq!(
        payload_base64(" h.aGk.s\n").as_deref(),
        Some("aGk="),
        "surrounding whitespace"
    );
    assert_eq!(jwt_payload("h.aGk.s").as_deref(), Some("hi"));
    for bad in [
        "".to_string(),
        "abc".to_string(),
        "a.b".to_string(),
        format!("h.{}.s.x", URL_SAFE_NO_PAD.encode("{}")),
        "h.!!!.s".to_string(),
        "h.a b.s".to_string(),
        "h.aGk%3D.s".to_string(),
        format!("h.{}.s", URL_SAFE_NO_PAD.encode("a".repeat(MAX_JWT_BYTES))),
    ] {
        assert_eq!(payload_base64(&bad), None, "{bad:.40}");
    }
    assert_eq!(STANDARD.encode("hi"), "aGk=");
}
