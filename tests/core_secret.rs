#![cfg(not(target_arch = "wasm32"))]
//! Secrets never appear in `{:?}` (nor `{:#?}`) of anything that holds them, and secrets have no
//! `Display` and no `PartialEq` (checked at compile time: adding either fails the build).

use nexudus_auth::core::error::{CoreError, ErrorCode};
use nexudus_auth::core::http::{HttpResponse, ResponseBody};
use nexudus_auth::core::requests;
use nexudus_auth::core::responses::{
    parse_action, parse_rebilly, parse_token, ActionCall, RebillyGrant, TokenCall, TokenGrant,
};
use nexudus_auth::core::{
    AccessToken, BaseUrl, OneTimeToken, Password, RebillySession, RefreshToken, Session, Value,
};
use static_assertions::{assert_impl_all, assert_not_impl_any};
use std::fmt::{Debug, Display};

mod native;

use native::{parse_date, resp};

const SECRET: &str = "s3cr3t-VALUE-xyz";

// A secret is reachable only through `secret()`: no `{}`, no `==` (use `same_as`), no `ToString`.
assert_not_impl_any!(AccessToken: Display, PartialEq, ToString);
assert_not_impl_any!(RefreshToken: Display, PartialEq, ToString);
assert_not_impl_any!(OneTimeToken: Display, PartialEq, ToString);
assert_not_impl_any!(Password: Display, PartialEq, ToString);
// Nothing that holds one prints it with `{}` either; errors do, from fixed sentences.
assert_not_impl_any!(Session: Display);
assert_not_impl_any!(RebillySession: Display);
assert_not_impl_any!(TokenGrant: Display);
assert_not_impl_any!(RebillyGrant: Display);
assert_not_impl_any!(nexudus_auth::core::HttpRequest: Display);
assert_not_impl_any!(HttpResponse: Display);
assert_impl_all!(CoreError: Debug, Display, std::error::Error);
assert_impl_all!(AccessToken: Debug, Clone);

fn base() -> BaseUrl {
    BaseUrl::parse("https://acme.spaces.nexudus.com").unwrap()
}

/// Neither `{:?}` nor `{:#?}` shows the secret (nor its first half).
fn assert_redacted(x: &impl Debug) {
    for dbg in [format!("{x:?}"), format!("{x:#?}")] {
        assert!(!dbg.contains("s3cr3t"), "secret leaked in {dbg}");
    }
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
    assert_redacted(&Password::new(SECRET));
    assert_redacted(&Some(RefreshToken::new(SECRET)));
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
    assert!(AccessToken::new("").is_empty() && !a.is_empty());
    assert!(a.clone().same_as(&a));
}

/// One error of every variant, each holding the secret wherever a variant can hold text.
fn every_error() -> Vec<CoreError> {
    vec![
        CoreError::MustResetPassword {
            status: 400,
            reset_token: OneTimeToken::new(SECRET),
        },
        CoreError::OAuth {
            status: 400,
            code: ErrorCode::InvalidCredentials,
            error: "invalid_grant".into(),
            description: Some("bad".into()),
        },
        CoreError::Exchange {
            status: 401,
            code: ErrorCode::TokenRejected,
            message: None,
        },
        CoreError::Action {
            status: 400,
            code: ErrorCode::PasswordPolicy,
            message: None,
            errors: vec!["short".into()],
        },
        CoreError::Rebilly {
            status: 401,
            code: ErrorCode::TokenRejected,
            title: None,
            detail: Some("no".into()),
        },
        CoreError::Unauthorized { status: 401 },
        CoreError::Http {
            status: 503,
            retry_after_s: Some(1.0),
        },
        CoreError::BadResponse {
            status: 200,
            reason: "missing access_token",
        },
        CoreError::InvalidConfig("baseUrl is required"),
        CoreError::NotSignedIn,
        CoreError::Network,
        CoreError::Timeout,
        CoreError::Storage("quota"),
    ]
}

#[test]
fn core_error_debug_display_and_message_never_show_the_reset_token() {
    let answer = format!(r#"{{"error":"must_reset_password","error_description":"{SECRET}"}}"#);
    let err = parse_token(&resp(400, &answer), TokenCall::SignIn).unwrap_err();
    assert_eq!(err.reset_token().unwrap().secret(), SECRET);
    assert_eq!(err.description(), None);
    for e in every_error().iter().chain([&err]) {
        assert_redacted(e);
        assert!(!e.message().contains("s3cr3t") && !e.to_string().contains("s3cr3t"));
        assert_eq!(e.to_string(), e.message(), "Display is the message");
        assert!(format!("{e:?}").contains(e.code().as_str()), "{e:?}");
    }
    assert!(format!("{err:?}").contains("[redacted]"));
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
        assert_redacted(&r);
        let d = format!("{r:?}");
        assert!(
            d.contains("POST") && d.contains("acme.spaces.nexudus.com"),
            "{d}"
        );
    }
}

#[test]
fn http_response_debug_hides_the_body() {
    let r = resp(200, &format!(r#"{{"access_token":"{SECRET}"}}"#));
    assert!(r.body.json().is_some());
    assert_redacted(&r);
    assert!(format!("{r:?}").contains("200"));
    let mut r = HttpResponse::new(503, ResponseBody::Json(Value::Str(SECRET.into())));
    r.retry_after = Some("5".into());
    assert_redacted(&r);
    assert!(format!("{r:?}").contains("\"5\""));
}

#[test]
fn session_and_grant_debug_are_redacted() {
    let answer = format!(
        r#"{{"access_token":"{SECRET}","token_type":"bearer","expires_in":3600,"refresh_token":"{SECRET}"}}"#
    );
    let grant = parse_token(&resp(200, &answer), TokenCall::SignIn).unwrap();
    assert_redacted(&grant);
    let s = Session::from_grant(grant, 0.0, "cid".into(), Some("a@b.c".into()));
    assert_redacted(&s);
    assert!(
        format!("{s:?}").contains("a@b.c"),
        "non-secret fields stay visible"
    );
    let r = RebillySession {
        token: AccessToken::new(SECRET),
        expires_at_ms: 1.0,
        customer_id: "cus_1".into(),
    };
    assert_redacted(&r);
}

#[test]
fn rebilly_grant_and_every_parse_error_are_redacted() {
    let ok = format!(
        r#"{{"token":"{SECRET}","customerId":"cus_1","expiredTime":"2030-01-01T00:00:00Z"}}"#
    );
    let grant = parse_rebilly(&resp(201, &ok), 0.0, parse_date).unwrap();
    assert_redacted(&grant);
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
    let mut errors = 0;
    for (status, text) in answers {
        let r = resp(status, &text);
        let results = [TokenCall::SignIn, TokenCall::Refresh, TokenCall::Exchange]
            .map(|c| parse_token(&r, c).err())
            .into_iter()
            .chain(
                [ActionCall::OneTimeToken, ActionCall::CompletePasswordReset]
                    .map(|c| parse_action(&r, c).err()),
            )
            .chain([parse_rebilly(&r, 0.0, parse_date).err()]);
        for e in results.flatten() {
            errors += 1;
            assert_redacted(&e);
            assert!(!e.message().contains("s3cr3t"), "{}", e.message());
        }
    }
    assert_eq!(
        errors,
        5 * 6,
        "every call refuses every one of these answers"
    );
}
