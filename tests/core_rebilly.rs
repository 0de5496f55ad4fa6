#![cfg(not(target_arch = "wasm32"))]
//! Rebilly's authentication-token exchange answers and ISO 8601 expiry times.

use nexudus_auth::core::error::ErrorCode;
use nexudus_auth::core::http::HttpResponse;
use nexudus_auth::core::responses::*;

fn resp(status: u16, body: &str) -> HttpResponse {
    HttpResponse::new(status, body)
}

#[test]
fn rebilly_success() {
    let body = r#"{"id":"s1","type":"customer","token":"JWT","customerId":"cus_1","acl":[{"scope":{},"permissions":["*"]}],"customClaims":{},"createdTime":"2026-11-23T06:00:00Z","updatedTime":"2026-11-23T06:00:00Z","expiredTime":"2026-11-23T07:00:00Z"}"#;
    let g = parse_rebilly(&resp(201, body), 0.0).unwrap();
    assert_eq!(g.token.secret(), "JWT");
    assert_eq!(g.customer_id, "cus_1");
    assert_eq!(g.expires_at_ms, 1_795_417_200_000.0);
    let g = parse_rebilly(&resp(200, r#"{"token":"J","customerId":"c"}"#), 1000.0).unwrap();
    assert_eq!(g.expires_at_ms, 3_601_000.0);
    for b in [
        "",
        "<html>",
        r#"{"customerId":"c"}"#,
        r#"{"token":"J"}"#,
        r#"{"token":"J","customerId":7}"#,
        r#"{"token":"J","customerId":"c","expiredTime":"tomorrow"}"#,
        r#"{"token":"J","customerId":"c","expiredTime":12}"#,
    ] {
        assert_eq!(
            parse_rebilly(&resp(201, b), 0.0).unwrap_err().code(),
            ErrorCode::BadResponse,
            "{b}"
        );
    }
}

#[test]
fn rebilly_errors() {
    let p = r#"{"type":"about:blank","title":"Unauthorized","status":401,"detail":"Invalid token","instance":"/x"}"#;
    for (status, code) in [
        (401u16, ErrorCode::TokenRejected),
        (403, ErrorCode::TokenRejected),
        (404, ErrorCode::TokenInvalid),
        (400, ErrorCode::TokenInvalid),
        (422, ErrorCode::TokenInvalid),
        (429, ErrorCode::Server),
    ] {
        let e = parse_rebilly(&resp(status, p), 0.0).unwrap_err();
        assert_eq!(e.code(), code, "{status}");
        assert_eq!(e.status(), Some(status));
        assert_eq!(e.description(), Some("Invalid token"));
    }
    let e = parse_rebilly(&resp(404, r#"{"title":"Not found"}"#), 0.0).unwrap_err();
    assert_eq!(e.description(), Some("Not found"));
    let e = parse_rebilly(&resp(401, "garbage"), 0.0).unwrap_err();
    assert_eq!(e.code(), ErrorCode::TokenRejected);
    assert_eq!(e.description(), None);
    let e = parse_rebilly(&resp(502, ""), 0.0).unwrap_err();
    assert!(e.is_transient());
    let e = parse_rebilly(&resp(302, ""), 0.0).unwrap_err();
    assert_eq!(e.code(), ErrorCode::BadResponse);
}

#[test]
fn iso8601() {
    let base = 1_795_417_200_000.0; // 2026-11-23T07:00:00Z
    for (s, ms) in [
        ("2026-11-23T07:00:00Z", base),
        ("2026-11-23T07:00:00+00:00", base),
        ("2026-11-23T09:00:00+02:00", base),
        ("2026-11-23T09:00:00+0200", base),
        ("2026-11-23T06:30:00-00:30", base),
        ("2026-11-23T07:00:00.5Z", base + 500.0),
        ("2026-11-23T07:00:00.123456Z", base + 123.0),
        ("2026-11-23t07:00:00z", base),
        ("1970-01-01T00:00:00Z", 0.0),
        ("2000-02-29T12:00:00Z", 951_825_600_000.0),
        ("1969-12-31T23:59:59Z", -1000.0),
    ] {
        assert_eq!(parse_iso8601_ms(s), Some(ms), "{s}");
    }
    for s in [
        "",
        "2026-11-23",
        "2026-11-23T07:00:00",
        "2026-13-01T00:00:00Z",
        "2026-02-29T00:00:00Z",
        "2026-11-31T00:00:00Z",
        "2026-11-23T24:00:00Z",
        "2026-11-23T07:60:00Z",
        "2026-11-23T07:00:00.Z",
        "2026-11-23T07:00:00+2:00",
        "2026-11-23T07:00:00Zjunk",
        "2026/11/23T07:00:00Z",
        "２０２６-11-23T07:00:00Z",
        "2026-11-23T07:00:00+25:00",
    ] {
        assert_eq!(parse_iso8601_ms(s), None, "{s}");
    }
}
