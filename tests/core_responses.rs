#![cfg(not(target_arch = "wasm32"))]
//! Every response shape of the contract, and every way a response can be broken.

use nexudus_auth::core::error::{CoreError, ErrorCode};
use nexudus_auth::core::http::{HttpResponse, ResponseBody};
use nexudus_auth::core::responses::*;
use nexudus_auth::core::Value;

mod native;

use native::resp;

fn token_err(status: u16, body: &str, call: TokenCall) -> CoreError {
    parse_token(&resp(status, body), call).unwrap_err()
}

fn bad_reason(e: &CoreError) -> &'static str {
    match e {
        CoreError::BadResponse { reason, .. } => reason,
        other => panic!("expected BadResponse, got {other:?}"),
    }
}

#[test]
fn token_success_shapes() {
    let g = parse_token(
        &resp(
            200,
            r#"{"access_token":"A","token_type":"bearer","expires_in":3600,"refresh_token":"R"}"#,
        ),
        TokenCall::SignIn,
    )
    .unwrap();
    assert_eq!(g.access_token.secret(), "A");
    assert_eq!(g.token_type, "bearer");
    assert_eq!(g.expires_in_s, 3600.0);
    assert_eq!(g.refresh_token.unwrap().secret(), "R");

    // The exchange answers `token`; expires_in may be a numeric string; token_type defaults.
    let g = parse_token(
        &resp(
            200,
            r#"{"token":"T","expires_in":"86400","refresh_token":null}"#,
        ),
        TokenCall::Exchange,
    )
    .unwrap();
    assert_eq!(g.access_token.secret(), "T");
    assert_eq!(g.token_type, "bearer");
    assert_eq!(g.expires_in_s, 86400.0);
    assert!(g.refresh_token.is_none());

    let g = parse_token(
        &resp(201, r#"{"access_token":"A","expires_in":0.5}"#),
        TokenCall::Refresh,
    )
    .unwrap();
    assert_eq!(g.expires_in_s, 0.5);
}

#[test]
fn token_broken_success_bodies_are_bad_response() {
    let cases = [
        ("", "response is not JSON"),
        (
            "<!doctype html><html><body>Error</body></html>",
            "response is not JSON",
        ),
        (
            r#"{"access_token":"A","expires_in":36"#,
            "response is not JSON",
        ),
        ("[1,2]", "response is not a JSON object"),
        ("\"x\"", "response is not a JSON object"),
        ("{}", "missing access_token"),
        (
            r#"{"access_token":"","expires_in":1}"#,
            "missing access_token",
        ),
        (r#"{"access_token":"A"}"#, "missing or invalid expires_in"),
        (
            r#"{"access_token":"A","expires_in":0}"#,
            "missing or invalid expires_in",
        ),
        (
            r#"{"access_token":"A","expires_in":-5}"#,
            "missing or invalid expires_in",
        ),
        (
            r#"{"access_token":"A","expires_in":"soon"}"#,
            "missing or invalid expires_in",
        ),
        (
            r#"{"access_token":"A","expires_in":true}"#,
            "missing or invalid expires_in",
        ),
        (
            r#"{"access_token":123,"expires_in":1}"#,
            "a token field has the wrong type",
        ),
        (
            r#"{"access_token":"A","expires_in":1,"token_type":5}"#,
            "a token field has the wrong type",
        ),
        (
            r#"{"access_token":"A","expires_in":1,"refresh_token":{}}"#,
            "a token field has the wrong type",
        ),
    ];
    for (body, reason) in cases {
        for call in [TokenCall::SignIn, TokenCall::Refresh, TokenCall::Exchange] {
            let e = token_err(200, body, call);
            assert_eq!(bad_reason(&e), reason, "{body}");
            assert_eq!(e.status(), Some(200));
            assert_eq!(e.code(), ErrorCode::BadResponse);
        }
    }
}

#[test]
fn values_the_browser_can_hand_over() {
    // `JSON.parse` keeps the last of repeated members; so do the converter and `Value::get`.
    let dup = r#"{"access_token":1,"access_token":"A","expires_in":1}"#;
    let g = parse_token(&resp(200, dup), TokenCall::SignIn).unwrap();
    assert_eq!(g.access_token.secret(), "A");
    let obj = Value::object(vec![
        ("access_token", Value::Num(1.0)),
        ("expires_in", Value::Num(5.0)),
        ("access_token", Value::Str("B".into())),
    ]);
    let g = parse_token(
        &HttpResponse::new(200, ResponseBody::Json(obj)),
        TokenCall::SignIn,
    );
    assert_eq!(g.unwrap().access_token.secret(), "B");
    // `JSON.parse("1e999")` is Infinity (serde_json refuses it, so it is built here directly);
    // an infinite or unstorable lifetime is refused.
    for n in [f64::INFINITY, f64::NAN, f64::MAX, 1e306] {
        let v = Value::object(vec![
            ("access_token", Value::Str("A".into())),
            ("expires_in", Value::Num(n)),
        ]);
        let e = parse_token(
            &HttpResponse::new(200, ResponseBody::Json(v)),
            TokenCall::Refresh,
        );
        assert_eq!(
            bad_reason(&e.unwrap_err()),
            "missing or invalid expires_in",
            "{n}"
        );
    }
    assert_eq!(
        bad_reason(&token_err(
            200,
            r#"{"access_token":"A","expires_in":1e999}"#,
            TokenCall::SignIn
        )),
        "response is not JSON"
    );
}

#[test]
fn oauth_errors_map_to_codes() {
    let body = |e: &str, d: &str| format!(r#"{{"error":"{e}","error_description":"{d}"}}"#);
    let e = token_err(
        400,
        &body("invalid_grant", "The account has been suspended"),
        TokenCall::SignIn,
    );
    assert_eq!(e.code(), ErrorCode::InvalidCredentials);
    assert_eq!(e.status(), Some(400));
    assert_eq!(e.description(), Some("The account has been suspended"));
    assert!(e.message().contains("The account has been suspended"));
    assert!(matches!(&e, CoreError::OAuth { error, .. } if error == "invalid_grant"));

    let e = token_err(400, &body("invalid_grant", "x"), TokenCall::Refresh);
    assert_eq!(e.code(), ErrorCode::SessionExpired);
    let e = token_err(
        400,
        &body("two_factor_auth_check", "TOTP required"),
        TokenCall::SignIn,
    );
    assert_eq!(e.code(), ErrorCode::TwoFactorRequired);
    let e = token_err(
        400,
        &body("unsupported_grant_type", "use form"),
        TokenCall::SignIn,
    );
    assert_eq!(e.code(), ErrorCode::UnsupportedGrantType);
    let e = token_err(400, &body("invalid_client", "who?"), TokenCall::SignIn);
    assert_eq!(e.code(), ErrorCode::Server);
    assert!(matches!(&e, CoreError::OAuth { error, .. } if error == "invalid_client"));
    let e = token_err(400, r#"{"error":"invalid_grant"}"#, TokenCall::SignIn);
    assert_eq!(e.description(), None);
    assert_eq!(e.message(), "Wrong email or password");

    let e = token_err(
        400,
        &body("must_reset_password", "RESET-TOKEN-1"),
        TokenCall::SignIn,
    );
    assert_eq!(e.code(), ErrorCode::PasswordResetRequired);
    assert_eq!(e.reset_token().unwrap().secret(), "RESET-TOKEN-1");
    assert_eq!(e.description(), None);
    assert!(!e.message().contains("RESET-TOKEN-1"));
    let e = token_err(400, r#"{"error":"must_reset_password"}"#, TokenCall::SignIn);
    assert_eq!(e.code(), ErrorCode::PasswordResetRequired);
    assert!(e.reset_token().is_none());

    // A 400 without an `error` member, or not JSON at all.
    for b in ["{}", "<html>Bad Request</html>", r#"{"error":5}"#] {
        assert_eq!(
            bad_reason(&token_err(400, b, TokenCall::SignIn)),
            "unexpected status"
        );
    }
    // 401 with an OAuth body maps like 400; otherwise Unauthorized.
    assert_eq!(
        token_err(401, &body("invalid_grant", "x"), TokenCall::Refresh).code(),
        ErrorCode::SessionExpired
    );
    let e = token_err(401, "", TokenCall::SignIn);
    assert!(matches!(e, CoreError::Unauthorized { status: 401 }));
    assert_eq!(e.code(), ErrorCode::Unauthorized);
}

#[test]
fn exchange_errors() {
    let e = token_err(
        400,
        r#"{"Message":"The token has expired"}"#,
        TokenCall::Exchange,
    );
    assert_eq!(e.code(), ErrorCode::TokenInvalid);
    assert_eq!(e.description(), Some("The token has expired"));
    let e = token_err(
        401,
        r#"{"Message":"Invalid signature"}"#,
        TokenCall::Exchange,
    );
    assert_eq!(e.code(), ErrorCode::TokenRejected);
    assert_eq!(e.status(), Some(401));
    assert_eq!(e.description(), Some("Invalid signature"));
    let e = token_err(400, "<html>", TokenCall::Exchange);
    assert_eq!(e.code(), ErrorCode::TokenInvalid);
    assert_eq!(e.description(), None);
}

#[test]
fn transient_statuses_and_retry_after() {
    for status in [429u16, 500, 502, 503, 504] {
        let mut r = resp(status, "<html>busy</html>");
        r.retry_after = Some(String::from(" 30 "));
        for call in [TokenCall::SignIn, TokenCall::Refresh, TokenCall::Exchange] {
            let e = parse_token(&r, call).unwrap_err();
            assert_eq!(e.code(), ErrorCode::Server);
            assert!(matches!(
                e,
                CoreError::Http {
                    retry_after_s: Some(30.0),
                    ..
                }
            ));
            assert_eq!(e.retry_after_s(), Some(30.0));
            assert_eq!(e.status(), Some(status));
        }
        let e = parse_action(&r, ActionCall::OneTimeToken).unwrap_err();
        assert!(matches!(
            e,
            CoreError::Http {
                retry_after_s: Some(30.0),
                ..
            }
        ));
    }
    let mut r = resp(503, "");
    r.retry_after = Some(String::from("Wed, 21 Oct 2015 07:28:00 GMT"));
    assert_eq!(
        parse_token(&r, TokenCall::SignIn)
            .unwrap_err()
            .retry_after_s(),
        None
    );
    // Whole seconds only (RFC 9110 delay-seconds), padded or not.
    assert_eq!(parse_retry_after(Some("\t120 ")), Some(120.0));
    assert_eq!(parse_retry_after(Some("0")), Some(0.0));
    assert_eq!(parse_retry_after(Some("1.5")), None);
    assert_eq!(parse_retry_after(Some("+5")), None);
    assert_eq!(parse_retry_after(Some("99999999999")), None, "past u32");
    assert_eq!(parse_retry_after(Some("-1")), None);
    assert_eq!(parse_retry_after(Some("")), None);
    assert_eq!(parse_retry_after(None), None);
    // Other statuses are unexpected.
    for status in [0u16, 100, 204, 302, 403, 404, 418] {
        let e = token_err(status, "", TokenCall::SignIn);
        assert_eq!(e.code(), ErrorCode::BadResponse, "{status}");
        assert_eq!(e.retry_after_s(), None);
    }
}

#[test]
fn action_success() {
    let ok =
        r#"{"WasSuccessful":true,"Value":"one-time-t","Status":200,"Message":null,"Errors":null}"#;
    for call in [
        ActionCall::OneTimeToken,
        ActionCall::CompletePasswordReset,
        ActionCall::StartPasswordReset,
    ] {
        assert_eq!(
            parse_action(&resp(200, ok), call).unwrap().as_deref(),
            Some("one-time-t")
        );
    }
    let no_value = r#"{"WasSuccessful":true,"Value":null,"Status":200}"#;
    assert_eq!(
        parse_action(&resp(200, no_value), ActionCall::StartPasswordReset).unwrap(),
        None
    );
    assert_eq!(
        parse_action(&resp(200, ""), ActionCall::StartPasswordReset).unwrap(),
        None
    );
    assert_eq!(
        parse_action(&resp(204, "  "), ActionCall::StartPasswordReset).unwrap(),
        None
    );
    for call in [ActionCall::OneTimeToken, ActionCall::CompletePasswordReset] {
        for b in [
            no_value,
            "",
            r#"{"WasSuccessful":true,"Value":""}"#,
            r#"{"WasSuccessful":true,"Value":5}"#,
        ] {
            let e = parse_action(&resp(200, b), call).unwrap_err();
            assert_eq!(e.code(), ErrorCode::BadResponse, "{b}");
        }
    }
    for b in [
        "<html></html>",
        "[1]",
        r#"{"WasSuccessful":"yes","Value":"x"}"#,
        r#"{"WasSuccessful":tr"#,
    ] {
        let e = parse_action(&resp(200, b), ActionCall::OneTimeToken).unwrap_err();
        assert_eq!(e.code(), ErrorCode::BadResponse, "{b}");
        let e = parse_action(&resp(200, b), ActionCall::StartPasswordReset).unwrap_err();
        assert_eq!(e.code(), ErrorCode::BadResponse, "{b}");
    }
}

#[test]
fn action_failures() {
    let bad_token = r#"{"WasSuccessful":false,"Value":null,"Status":400,"Message":"The token is invalid or has expired","Errors":null}"#;
    let e = parse_action(&resp(400, bad_token), ActionCall::CompletePasswordReset).unwrap_err();
    assert_eq!(e.code(), ErrorCode::TokenInvalid);
    assert_eq!(e.status(), Some(400));
    assert_eq!(e.description(), Some("The token is invalid or has expired"));
    assert!(e.errors().is_empty());

    let policy = r#"{"WasSuccessful":false,"Status":400,"Message":null,"Errors":[{"PropertyName":"Password","Message":"Must contain a digit"},{"PropertyName":"Password","Message":"Too short"}]}"#;
    let e = parse_action(&resp(400, policy), ActionCall::CompletePasswordReset).unwrap_err();
    assert_eq!(e.code(), ErrorCode::PasswordPolicy);
    assert_eq!(e.errors(), ["Must contain a digit", "Too short"]);
    assert!(e.message().contains("Must contain a digit; Too short"));

    let strings = r#"{"WasSuccessful":false,"Errors":["a","b"]}"#;
    let e = parse_action(&resp(200, strings), ActionCall::CompletePasswordReset).unwrap_err();
    assert_eq!(e.code(), ErrorCode::PasswordPolicy);
    assert_eq!(e.errors(), ["a", "b"]);
    assert_eq!(e.status(), Some(200));

    let map = r#"{"WasSuccessful":false,"Errors":{"Password":["x","y"],"Token":"z","N":5}}"#;
    let e = parse_action(&resp(400, map), ActionCall::CompletePasswordReset).unwrap_err();
    assert_eq!(e.errors(), ["x", "y", "z"]);

    let generic = r#"{"WasSuccessful":false,"Status":500,"Message":"Oops"}"#;
    let e = parse_action(&resp(200, generic), ActionCall::OneTimeToken).unwrap_err();
    assert_eq!(e.code(), ErrorCode::Server);
    assert_eq!(e.description(), Some("Oops"));
    let e = parse_action(
        &resp(400, r#"{"Message":"nope"}"#),
        ActionCall::StartPasswordReset,
    )
    .unwrap_err();
    assert_eq!(e.code(), ErrorCode::Server);

    let denied = r#"{"Message":"Authorization has been denied for this request."}"#;
    let e = parse_action(&resp(401, denied), ActionCall::OneTimeToken).unwrap_err();
    assert!(matches!(e, CoreError::Unauthorized { status: 401 }));
    let e = parse_action(&resp(404, "<html>"), ActionCall::OneTimeToken).unwrap_err();
    assert_eq!(e.code(), ErrorCode::BadResponse);
}
