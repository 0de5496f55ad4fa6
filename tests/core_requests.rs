#![cfg(not(target_arch = "wasm32"))]
//! The exact bytes of every request: method, URL, headers (in order) and body.

use nexudus_auth::core::error::ErrorCode;
use nexudus_auth::core::http::{HttpRequest, Method, RequestBody};
use nexudus_auth::core::requests::*;
use nexudus_auth::core::{AccessToken, BaseUrl, OneTimeToken, Password, RefreshToken};

mod native;

/// The bytes of the body: form text as is, a JSON document as `JSON.stringify` writes it.
fn body(r: &HttpRequest) -> Option<String> {
    r.body.as_ref().map(|b| match b {
        RequestBody::Form(text) => text.clone(),
        RequestBody::Json(v) => native::stringify(v),
    })
}

fn base() -> BaseUrl {
    BaseUrl::parse("https://acme.spaces.nexudus.com/").unwrap()
}

fn h(pairs: &[(&'static str, &str)]) -> Vec<(&'static str, String)> {
    pairs.iter().map(|(k, v)| (*k, String::from(*v))).collect()
}

fn check(r: &HttpRequest, url: &str, headers: &[(&'static str, &str)], body: Option<&str>) {
    assert_eq!(r.method, Method::Post);
    assert_eq!(r.method.as_str(), "POST");
    assert_eq!(r.url, url);
    assert_eq!(r.headers, h(headers));
    assert_eq!(self::body(r).as_deref(), body);
    let is_json = headers.contains(&JSON);
    assert_eq!(
        matches!(r.body, Some(RequestBody::Json(_))),
        is_json,
        "JSON body iff JSON header"
    );
}

const FORM: (&str, &str) = ("content-type", "application/x-www-form-urlencoded");
const JSON: (&str, &str) = ("content-type", "application/json");

#[test]
fn password_grant_bytes() {
    let r = password_grant(
        &base(),
        "alice+test@example.com",
        &Password::new("Passw0rd! &=é"),
        None,
        "nexudus.portal.alice+test@example.com",
    );
    check(
        &r,
        "https://acme.spaces.nexudus.com/api/token",
        &[FORM, ("client_id", "nexudus.portal.alice+test@example.com")],
        Some("grant_type=password&username=alice%2Btest%40example.com&password=Passw0rd%21+%26%3D%C3%A9"),
    );
    assert_eq!(
        r.header("client_id"),
        Some("nexudus.portal.alice+test@example.com")
    );
    let with_totp = password_grant(
        &base(),
        "bob@example.com",
        &Password::new("p"),
        Some("012345"),
        "c",
    );
    assert_eq!(
        body(&with_totp).as_deref(),
        Some("grant_type=password&username=bob%40example.com&password=p&totp=012345")
    );
    let empty_totp = password_grant(&base(), "b@x.io", &Password::new("p"), Some(""), "c");
    assert_eq!(
        body(&empty_totp).as_deref(),
        Some("grant_type=password&username=b%40x.io&password=p")
    );
}

#[test]
fn refresh_grant_bytes() {
    let r = refresh_grant(&base(), &RefreshToken::new("r/t+k=="), "bob@example.com");
    check(
        &r,
        "https://acme.spaces.nexudus.com/api/token",
        &[FORM, ("client_id", "bob@example.com")],
        Some("grant_type=refresh_token&refresh_token=r%2Ft%2Bk%3D%3D"),
    );
}

#[test]
fn exchange_bytes() {
    let r = exchange(&base(), &OneTimeToken::new("eyJ.eyJ.s+/="), 1440, None);
    check(
        &r,
        "https://acme.spaces.nexudus.com/api/sys/users/exchange?token=eyJ.eyJ.s%2B%2F%3D&validForInMinutes=1440",
        &[],
        None,
    );
    let r = exchange(&base(), &OneTimeToken::new("t"), 5, Some("cid"));
    check(
        &r,
        "https://acme.spaces.nexudus.com/api/sys/users/exchange?token=t&validForInMinutes=5",
        &[("client_id", "cid")],
        None,
    );
}

#[test]
fn one_time_token_bytes() {
    let r = one_time_token(&base(), &AccessToken::new("abc.def"));
    check(
        &r,
        "https://acme.spaces.nexudus.com/api/sys/users/token/refresh",
        &[("authorization", "Bearer abc.def")],
        None,
    );
    assert_eq!(bearer(&AccessToken::new("x")), "Bearer x");
}

#[test]
fn password_reset_bytes() {
    let r = start_password_reset(&base(), "carol@example.com", Some(42.0));
    check(
        &r,
        "https://acme.spaces.nexudus.com/api/sys/users/startPasswordReset",
        &[JSON],
        Some(r#"{"email":"carol@example.com","businessId":42}"#),
    );
    let r = start_password_reset(&base(), "a\"b@x.io", None);
    assert_eq!(
        body(&r).as_deref(),
        Some(r#"{"email":"a\"b@x.io","businessId":null}"#)
    );

    let r = complete_password_reset(
        &base(),
        &OneTimeToken::new("reset-tok"),
        &Password::new("N3w\"Pass\\"),
        Some(7.0),
    );
    check(
        &r,
        "https://acme.spaces.nexudus.com/api/sys/users/completePasswordReset",
        &[JSON],
        Some(r#"{"Token":"reset-tok","Password":"N3w\"Pass\\","BusinessId":7}"#),
    );
    let r = complete_password_reset(&base(), &OneTimeToken::new("t"), &Password::new("p"), None);
    assert_eq!(
        body(&r).as_deref(),
        Some(r#"{"Token":"t","Password":"p","BusinessId":null}"#)
    );
}

#[test]
fn rebilly_exchange_bytes() {
    let rb = BaseUrl::parse("https://api-sandbox.rebilly.com/organizations/org-1").unwrap();
    let r = rebilly_exchange(
        &rb,
        &OneTimeToken::new("tok/1"),
        Some("pk_sandbox_1"),
        true,
        None,
    )
    .unwrap();
    check(
        &r,
        "https://api-sandbox.rebilly.com/organizations/org-1/authentication-tokens/tok%2F1/exchange",
        &[JSON, ("authorization", "pk_sandbox_1")],
        Some(r#"{"invalidate":true}"#),
    );
    let r = rebilly_exchange(&rb, &OneTimeToken::new("t"), None, false, Some("012345")).unwrap();
    check(
        &r,
        "https://api-sandbox.rebilly.com/organizations/org-1/authentication-tokens/t/exchange",
        &[JSON],
        Some(r#"{"invalidate":false,"oneTimePassword":"012345"}"#),
    );
    for bad in ["12345", "1234567", "12345a", "", "１２３４５６", " 12345"] {
        let e = rebilly_exchange(&rb, &OneTimeToken::new("t"), None, true, Some(bad)).unwrap_err();
        assert_eq!(e.code(), ErrorCode::InvalidConfig, "{bad:?}");
    }
    let e = rebilly_exchange(&rb, &OneTimeToken::new(""), None, true, None).unwrap_err();
    assert_eq!(e.code(), ErrorCode::InvalidConfig);
}
