#![cfg(not(target_arch = "wasm32"))]
//! Secrets never appear in `{:?}` of anything that holds them.

use nexudus_auth::core::error::CoreError;
use nexudus_auth::core::http::HttpResponse;
use nexudus_auth::core::requests;
use nexudus_auth::core::responses::{parse_token, TokenCall};
use nexudus_auth::core::{
    AccessToken, BaseUrl, OneTimeToken, Password, RebillySession, RefreshToken, Session,
};

const SECRET: &str = "s3cr3t-VALUE-xyz";

fn base() -> BaseUrl {
    BaseUrl::parse("https://acme.spaces.nexudus.com").unwrap()
}

fn assert_redacted(dbg: String) {
    assert!(!dbg.contains(SECRET), "secret leaked in {dbg}");
    assert!(!dbg.contains("s3cr3t"), "secret leaked in {dbg}");
}

#[test]
fn secret_types_debug_is_redacted() {
    assert_eq!(
        format!("{:?}", AccessToken::new(SECRET)),
        "AccessToken([redacted])"
    );
    assert_eq!(
        format!("{:?}", RefreshToken::new(SECRET)),
        "RefreshToken([redacted])"
    );
    assert_eq!(
        format!("{:?}", OneTimeToken::new(SECRET)),
        "OneTimeToken([redacted])"
    );
    assert_eq!(
        format!("{:?}", Password::new(SECRET)),
        "Password([redacted])"
    );
    assert_redacted(format!("{:#?}", Password::new(SECRET)));
}

#[test]
fn secret_accessors_and_same_as() {
    let a = AccessToken::new(SECRET);
    assert_eq!(a.secret(), SECRET);
    assert!(a.same_as(&AccessToken::new(String::from(SECRET))));
    assert!(!a.same_as(&AccessToken::new("s3cr3t-VALUE-xyZ")));
    assert!(!a.same_as(&AccessToken::new("s3cr3t-VALUE-xy")));
    assert!(!a.same_as(&AccessToken::new("")));
    assert!(AccessToken::new("").same_as(&AccessToken::new("")));
    assert!(AccessToken::new("").is_empty());
    let c = a.clone();
    assert!(c.same_as(&a));
}

#[test]
fn core_error_debug_and_message_never_show_the_reset_token() {
    let resp = HttpResponse::new(
        400,
        format!(r#"{{"error":"must_reset_password","error_description":"{SECRET}"}}"#),
    );
    let err = parse_token(&resp, TokenCall::SignIn).unwrap_err();
    assert_eq!(err.reset_token().unwrap().secret(), SECRET);
    assert_eq!(err.description(), None);
    assert_redacted(format!("{err:?}"));
    assert_redacted(format!("{err:#?}"));
    assert_redacted(err.message());
    let e2 = CoreError::MustResetPassword {
        status: 400,
        reset_token: OneTimeToken::new(SECRET),
    };
    assert_redacted(format!("{e2:?}"));
}

#[test]
fn http_request_debug_is_redacted() {
    let reqs = vec![
        requests::password_grant(
            &base(),
            "a@b.c",
            &Password::new(SECRET),
            Some("123456"),
            "c",
        ),
        requests::refresh_grant(&base(), &RefreshToken::new(SECRET), "c"),
        requests::exchange(&base(), &OneTimeToken::new(SECRET), 1440, Some("c")),
        requests::one_time_token(&base(), &AccessToken::new(SECRET)),
        requests::complete_password_reset(
            &base(),
            &OneTimeToken::new(SECRET),
            &Password::new(SECRET),
            Some(1.0),
        ),
        requests::rebilly_exchange(&base(), &OneTimeToken::new(SECRET), Some("pk"), true, None)
            .unwrap(),
    ];
    for r in reqs {
        let d = format!("{r:?}");
        assert_redacted(d.clone());
        assert_redacted(format!("{r:#?}"));
        assert!(d.contains("POST"), "{d}");
    }
}

#[test]
fn http_response_debug_hides_the_body() {
    let r = HttpResponse::new(200, format!(r#"{{"access_token":"{SECRET}"}}"#));
    let d = format!("{r:?}");
    assert_redacted(d.clone());
    assert!(d.contains("200"));
}

#[test]
fn session_and_grant_debug_are_redacted() {
    let resp = HttpResponse::new(
        200,
        format!(
            r#"{{"access_token":"{SECRET}","token_type":"bearer","expires_in":3600,"refresh_token":"{SECRET}"}}"#
        ),
    );
    let grant = parse_token(&resp, TokenCall::SignIn).unwrap();
    assert_redacted(format!("{grant:?}"));
    let s = Session::from_grant(grant, 0.0, "cid".into(), Some("a@b.c".into()));
    assert_redacted(format!("{s:?}"));
    assert_redacted(format!("{s:#?}"));
    let r = RebillySession {
        token: AccessToken::new(SECRET),
        expires_at_ms: 1.0,
        customer_id: "cus_1".into(),
    };
    assert_redacted(format!("{r:?}"));
}

#[test]
fn rebilly_grant_and_every_error_debug_are_redacted() {
    use nexudus_auth::core::responses::{parse_action, parse_rebilly, ActionCall};
    let ok = HttpResponse::new(
        201,
        format!(
            r#"{{"token":"{SECRET}","customerId":"cus_1","expiredTime":"2030-01-01T00:00:00Z"}}"#
        ),
    );
    let grant = parse_rebilly(&ok, 0.0).unwrap();
    assert_redacted(format!("{grant:?} {grant:#?}"));
    // Answers that carry a secret next to an error: the secret never reaches the error.
    let answers = [
        (
            400,
            format!(r#"{{"access_token":"{SECRET}","error":"invalid_grant"}}"#),
        ),
        (
            200,
            format!(r#"{{"access_token":"{SECRET}","expires_in":"soon"}}"#),
        ),
        (
            200,
            format!(r#"{{"refresh_token":"{SECRET}","access_token":"a","expires_in":[1]}}"#),
        ),
        (
            400,
            format!(r#"{{"WasSuccessful":false,"Value":"{SECRET}","Message":"no"}}"#),
        ),
        (
            201,
            format!(r#"{{"token":"{SECRET}","customerId":"c","expiredTime":"tomorrow"}}"#),
        ),
    ];
    for (status, body) in answers {
        let r = HttpResponse::new(status, body);
        for call in [TokenCall::SignIn, TokenCall::Refresh, TokenCall::Exchange] {
            if let Err(e) = parse_token(&r, call) {
                assert_redacted(format!("{e:?} {}", e.message()));
            }
        }
        for call in [ActionCall::OneTimeToken, ActionCall::CompletePasswordReset] {
            if let Err(e) = parse_action(&r, call) {
                assert_redacted(format!("{e:?} {}", e.message()));
            }
        }
        if let Err(e) = parse_rebilly(&r, 0.0) {
            assert_redacted(format!("{e:?} {}", e.message()));
        }
    }
}
