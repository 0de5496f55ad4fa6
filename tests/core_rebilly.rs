#![cfg(not(target_arch = "wasm32"))]
//! Rebilly's authentication-token exchange answers; `expiredTime` is read by the `Date.parse`
//! the caller passes (here `native::parse_date`, RFC 3339 through the `time` crate).

use nexudus_auth::core::error::{CoreError, ErrorCode};
use nexudus_auth::core::responses::*;
use std::cell::RefCell;

mod native;

use native::{parse_date, resp};

#[test]
fn rebilly_success() {
    let body = r#"{"id":"s1","type":"customer","token":"JWT","customerId":"cus_1","acl":[{"scope":{},"permissions":["*"]}],"customClaims":{},"createdTime":"2026-11-23T06:00:00Z","updatedTime":"2026-11-23T06:00:00Z","expiredTime":"2026-11-23T07:00:00Z"}"#;
    let g = parse_rebilly(&resp(201, body), 0.0, parse_date).unwrap();
    assert_eq!(g.token.secret(), "JWT");
    assert_eq!(g.customer_id, "cus_1");
    assert_eq!(g.expires_at_ms, 1_795_417_200_000.0);
    let g = parse_rebilly(
        &resp(200, r#"{"token":"J","customerId":"c"}"#),
        1000.0,
        parse_date,
    )
    .unwrap();
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
            parse_rebilly(&resp(201, b), 0.0, parse_date)
                .unwrap_err()
                .code(),
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
        let e = parse_rebilly(&resp(status, p), 0.0, parse_date).unwrap_err();
        assert_eq!(e.code(), code, "{status}");
        assert_eq!(e.status(), Some(status));
        assert_eq!(e.description(), Some("Invalid token"));
    }
    let e = parse_rebilly(&resp(404, r#"{"title":"Not found"}"#), 0.0, parse_date).unwrap_err();
    assert_eq!(e.description(), Some("Not found"));
    let e = parse_rebilly(&resp(401, "garbage"), 0.0, parse_date).unwrap_err();
    assert_eq!(e.code(), ErrorCode::TokenRejected);
    assert_eq!(e.description(), None);
    let mut busy = resp(503, "");
    busy.retry_after = Some("7".into());
    let e = parse_rebilly(&busy, 0.0, parse_date).unwrap_err();
    assert!(matches!(
        e,
        CoreError::Http {
            status: 503,
            retry_after_s: Some(7.0)
        }
    ));
    // Rebilly's 429 is a problem document (code `server`), without a Retry-After reading.
    busy.status = 429;
    let e = parse_rebilly(&busy, 0.0, parse_date).unwrap_err();
    assert!(matches!(
        e,
        CoreError::Rebilly {
            status: 429,
            code: ErrorCode::Server,
            ..
        }
    ));
    let e = parse_rebilly(&resp(302, ""), 0.0, parse_date).unwrap_err();
    assert_eq!(e.code(), ErrorCode::BadResponse);
}

#[test]
fn expired_time_is_read_by_the_callers_date_parse() {
    let base = 1_795_417_200_000.0; // 2026-11-23T07:00:00Z
    for (time, ms) in [
        ("2026-11-23T07:00:00Z", base),
        ("2026-11-23T09:00:00+02:00", base),
        ("2026-11-23T06:30:00-00:30", base),
        ("2026-11-23T07:00:00.5Z", base + 500.0),
        ("1970-01-01T00:00:00Z", 0.0),
    ] {
        let body = format!(r#"{{"token":"J","customerId":"c","expiredTime":"{time}"}}"#);
        let seen = RefCell::new(Vec::new());
        let g = parse_rebilly(&resp(201, &body), 0.0, |s: &str| {
            seen.borrow_mut().push(s.to_string());
            parse_date(s)
        })
        .unwrap();
        assert_eq!(g.expires_at_ms, ms, "{time}");
        assert_eq!(seen.into_inner(), [time], "the text is handed over as sent");
    }
    // Whatever Date.parse says is not a finite time is refused (NaN is what it returns).
    let body = r#"{"token":"J","customerId":"c","expiredTime":"2026-11-23T07:00:00Z"}"#;
    for said in [None, Some(f64::NAN), Some(f64::INFINITY)] {
        let e = parse_rebilly(&resp(200, body), 0.0, |_: &str| said).unwrap_err();
        assert!(matches!(
            e,
            CoreError::BadResponse {
                status: 200,
                reason: "invalid expiredTime"
            }
        ));
    }
    // Without an expiredTime the date parser is never asked.
    let body = r#"{"token":"J","customerId":"c","expiredTime":null}"#;
    let g = parse_rebilly(&resp(200, body), 5.0, |_: &str| -> Option<f64> {
        panic!("not asked")
    });
    assert_eq!(g.unwrap().expires_at_ms, 3_600_005.0);
}
