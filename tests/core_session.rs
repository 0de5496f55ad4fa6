#![cfg(not(target_arch = "wasm32"))]
//! Session from a grant (clock skew), stored format, JWT claims.

use nexudus_auth::core::error::ErrorCode;
use nexudus_auth::core::http::HttpResponse;
use nexudus_auth::core::jwt::{base64url_decode, decode_claims, Claims};
use nexudus_auth::core::responses::{parse_rebilly, parse_token, TokenCall};
use nexudus_auth::core::session::{default_client_id, RebillySession, Session};

const NOW: f64 = 1_795_417_200_000.0; // 2026-11-23T07:00:00Z on the browser's clock

mod native;

fn b64(s: &str) -> String {
    native::b64url(s.as_bytes(), false, true)
}

fn jwt(payload: &str) -> String {
    format!(
        "{}.{}.sig",
        b64(r#"{"alg":"HS256","typ":"JWT"}"#),
        b64(payload)
    )
}

fn grant_at_server_time(server_now_s: f64, ttl_s: f64) -> (HttpResponse, f64) {
    let exp = server_now_s + ttl_s;
    let token = jwt(&format!(r#"{{"sub":"a@b.c","email":"a@b.c","exp":{exp}}}"#));
    let body = format!(
        r#"{{"access_token":"{token}","token_type":"bearer","expires_in":{ttl_s},"refresh_token":"r1"}}"#
    );
    (HttpResponse::new(200, body), exp)
}

#[test]
fn expiry_uses_the_local_clock_so_skew_does_not_matter() {
    for skew_ms in [-300_000.0, 0.0, 300_000.0] {
        // The server's clock is `skew` ahead of the browser's.
        let server_now_s = (NOW + skew_ms) / 1000.0;
        let (resp, jwt_exp_s) = grant_at_server_time(server_now_s, 3600.0);
        let grant = parse_token(&resp, TokenCall::SignIn).unwrap();
        let claims = decode_claims(grant.access_token.secret()).unwrap();
        assert_eq!(claims.exp_s, Some(jwt_exp_s));
        let s = Session::from_grant(grant, NOW, "cid".into(), None);
        // Always one hour after receipt on the browser's clock…
        assert_eq!(s.expires_at_ms, NOW + 3_600_000.0);
        assert!(!s.is_expired(NOW + 3_599_999.0));
        assert!(s.is_expired(NOW + 3_600_000.0));
        // …whereas the JWT's `exp` would be off by exactly the skew.
        assert_eq!(jwt_exp_s * 1000.0 - s.expires_at_ms, skew_ms);
    }
}

#[test]
fn encode_decode_round_trip() {
    let (resp, _) = grant_at_server_time(NOW / 1000.0, 86400.0);
    let grant = parse_token(&resp, TokenCall::SignIn).unwrap();
    let s = Session::from_grant(grant, NOW, default_client_id("a@b.c"), Some("a@b.c".into()));
    let enc = s.encode();
    let token = s.access_token.secret().to_string();
    assert_eq!(
        enc,
        format!(
            r#"{{"v":1,"accessToken":"{token}","tokenType":"bearer","expiresAt":1795503600000,"refreshToken":"r1","clientId":"nexudus.portal.a@b.c","email":"a@b.c"}}"#
        )
    );
    let d = Session::decode(&enc).unwrap();
    assert!(d.access_token.same_as(&s.access_token));
    assert_eq!(d.token_type, "bearer");
    assert_eq!(d.expires_at_ms, s.expires_at_ms);
    assert_eq!(d.refresh_token.unwrap().secret(), "r1");
    assert_eq!(d.client_id, "nexudus.portal.a@b.c");
    assert_eq!(d.email.as_deref(), Some("a@b.c"));
    let v: serde_json::Value = serde_json::from_str(&enc).unwrap();
    assert_eq!(v["v"], 1);

    let bare = Session {
        access_token: nexudus_auth::core::AccessToken::new("a\"b"),
        token_type: "bearer".into(),
        expires_at_ms: 5.5,
        refresh_token: None,
        client_id: "c".into(),
        email: None,
    };
    let enc = bare.encode();
    assert_eq!(
        enc,
        r#"{"v":1,"accessToken":"a\"b","tokenType":"bearer","expiresAt":5.5,"refreshToken":null,"clientId":"c","email":null}"#
    );
    let d = Session::decode(&enc).unwrap();
    assert_eq!(d.access_token.secret(), "a\"b");
    assert!(d.refresh_token.is_none() && d.email.is_none());
}

#[test]
fn decode_rejects_corrupt_sessions() {
    for s in [
        "",
        "null",
        "[]",
        "{not json",
        r#"{"accessToken":"a","expiresAt":1,"clientId":"c"}"#,
        r#"{"v":2,"accessToken":"a","expiresAt":1,"clientId":"c"}"#,
        r#"{"v":"1","accessToken":"a","expiresAt":1,"clientId":"c"}"#,
        r#"{"v":1,"expiresAt":1,"clientId":"c"}"#,
        r#"{"v":1,"accessToken":"","expiresAt":1,"clientId":"c"}"#,
        r#"{"v":1,"accessToken":"a","clientId":"c"}"#,
        r#"{"v":1,"accessToken":"a","expiresAt":"1","clientId":"c"}"#,
        r#"{"v":1,"accessToken":"a","expiresAt":1e999,"clientId":"c"}"#,
        r#"{"v":1,"accessToken":"a","expiresAt":1}"#,
        r#"{"v":1,"accessToken":"a","expiresAt":1,"clientId":"c","refreshToken":5}"#,
        r#"{"v":1,"accessToken":"a","expiresAt":1,"clientId":"c","email":[]}"#,
    ] {
        let e = Session::decode(s).unwrap_err();
        assert_eq!(e.code(), ErrorCode::BadResponse, "{s}");
        assert_eq!(e.status(), None);
    }
    // Missing tokenType falls back to bearer.
    let d = Session::decode(r#"{"v":1,"accessToken":"a","expiresAt":1,"clientId":"c"}"#).unwrap();
    assert_eq!(d.token_type, "bearer");
}

#[test]
fn expiry_helpers() {
    let s =
        Session::decode(r#"{"v":1,"accessToken":"a","expiresAt":100000,"clientId":"c"}"#).unwrap();
    assert!(!s.needs_refresh(39_999.0, 60_000.0));
    assert!(s.needs_refresh(40_000.0, 60_000.0));
    assert!(!s.is_expired(99_999.0));
    assert!(s.is_expired(100_000.0));
    assert_eq!(
        default_client_id("bob@example.com"),
        "nexudus.portal.bob@example.com"
    );
}

#[test]
fn rebilly_session() {
    let g = parse_rebilly(
        &HttpResponse::new(
            201,
            r#"{"token":"JWT","customerId":"cus_1","expiredTime":"2026-11-23T08:00:00+01:00"}"#,
        ),
        NOW,
    )
    .unwrap();
    let s = RebillySession::from_grant(g);
    assert_eq!(s.expires_at_ms, NOW);
    let enc = s.encode();
    assert_eq!(
        enc,
        r#"{"v":1,"token":"JWT","expiresAt":1795417200000,"customerId":"cus_1"}"#
    );
    let d = RebillySession::decode(&enc).unwrap();
    assert_eq!(d.token.secret(), "JWT");
    assert_eq!(d.customer_id, "cus_1");
    assert!(d.is_expired(NOW));
    for bad in [
        "",
        r#"{"v":1,"token":"J","expiresAt":1}"#,
        r#"{"v":9,"token":"J","expiresAt":1,"customerId":"c"}"#,
    ] {
        assert_eq!(
            RebillySession::decode(bad).unwrap_err().code(),
            ErrorCode::BadResponse
        );
    }
}

#[test]
fn jwt_claims() {
    let t = jwt(
        r#"{"sub":"alice@example.com","email":"alice@example.com","exp":1795417200,"name":"Alice Martin"}"#,
    );
    assert_eq!(
        decode_claims(&t),
        Some(Claims {
            sub: Some("alice@example.com".into()),
            email: Some("alice@example.com".into()),
            exp_s: Some(1_795_417_200.0),
        })
    );
    // Padding is tolerated; other claims are optional.
    let padded = format!("h.{}==.s", b64(r#"{"x":1}"#));
    assert_eq!(decode_claims(&padded), Some(Claims::default()));
    for bad in [
        "".to_string(),
        "abc".to_string(),
        "a.b".to_string(),
        format!("h.{}.s.x", b64("{}")),
        format!("h.{}.s", b64("[1]")),
        format!("h.{}.s", b64("not json")),
        "h.!!!.s".to_string(),
        "h.A.s".to_string(),
        format!(
            "h.{}.s",
            b64(&format!(r#"{{"sub":"{}"}}"#, "a".repeat(20_000)))
        ),
    ] {
        assert_eq!(decode_claims(&bad), None, "{bad:.40}");
    }
    assert_eq!(base64url_decode("aGk").unwrap(), b"hi");
    assert_eq!(base64url_decode("aGk=").unwrap(), b"hi");
    assert_eq!(base64url_decode("-_8").unwrap(), vec![0xfb, 0xff]);
    assert_eq!(base64url_decode("+/8").unwrap(), vec![0xfb, 0xff]);
    assert_eq!(base64url_decode("").unwrap(), b"");
    assert!(base64url_decode("a").is_none());
}
