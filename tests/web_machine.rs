#![cfg(target_arch = "wasm32")]
//! The synchronous wasm API (`src/facade.rs`) in real browsers (wasm-bindgen-test, Chromium and
//! Firefox): what only a browser can check. Requests as the objects the shell sends, answers
//! read through the engine's `JSON.parse`, JWT claims through `atob`, sessions round-tripped
//! through their stored text, and every failure a real `AuthError` with its code, status, the
//! server's description and its extras. The public API on top (the shell) is tested end to end
//! in `tests/e2e/`.

use nexudus_auth::facade::{
    authenticated_link_url, endpoints_system_auth_login, rebilly_answer, Machine,
};
use wasm_bindgen::JsValue;
use wasm_bindgen_test::*;

mod support;
use support::*;

wasm_bindgen_test_configure!(run_in_browser);

const NOW: f64 = 1_795_417_200_000.0;

fn machine() -> Machine {
    Machine::new(options(&[])).expect("valid options")
}

fn err<T>(r: Result<T, nexudus_auth::js::error::JsError>) -> JsValue {
    match r {
        Ok(_) => panic!("expected an error"),
        Err(e) => e.into(),
    }
}

/// Signs `m` in as `email` with access token `token`; the session object.
fn sign_in(m: &mut Machine, email: &str, token: &str) -> JsValue {
    let call = m
        .sign_in_request(obj(&[("email", email.into()), ("password", "pw".into())]))
        .unwrap();
    m.on_grant(call, answer(200, None, &grant(token)), NOW, 0.5)
        .unwrap()
}

#[wasm_bindgen_test]
fn bad_options_throw_invalid_config_auth_errors() {
    for bad in [
        JsValue::UNDEFINED,
        "https://api.example.com".into(),
        obj(&[("baseUrl", 5.into())]),
        obj(&[("baseUrl", "ftp://x".into())]),
        options(&[("timeoutMs", "soon".into())]),
        options(&[("allowedRedirectOrigins", "https://a.example".into())]),
    ] {
        let e = err(Machine::new(bad));
        assert_eq!(code_of(&e), "invalid_config");
        assert!(!text(&e, "message").is_empty());
    }
    let e = err(Machine::new(obj(&[("baseUrl", 5.into())])));
    assert_eq!(text(&e, "message"), "baseUrl must be a string");
}

#[wasm_bindgen_test]
fn the_sign_in_request_is_a_form_post_with_its_call_data() {
    let m = machine();
    let creds = obj(&[
        ("email", "zoë@example.com".into()),
        ("password", "p&ss=1".into()),
        ("totp", "123456".into()),
    ]);
    let r = m.sign_in_request(creds).unwrap();
    assert_eq!(text(&r, "method"), "POST");
    assert_eq!(text(&r, "url"), "https://api.example.com/api/token");
    let headers = get(&r, "headers");
    assert_eq!(
        text(&headers, "content-type"),
        "application/x-www-form-urlencoded"
    );
    let body = text(&r, "body");
    assert!(body.contains("grant_type=password"), "{body}");
    assert!(body.contains("password=p%26ss%3D1"), "{body}");
    assert_eq!(text(&r, "clientId"), "nexudus.portal.zoë@example.com");
    assert_eq!(text(&r, "email"), "zoë@example.com");
    assert_eq!(
        get(&r, "signIn"),
        JsValue::TRUE,
        "onGrant reads the answer as a sign-in's"
    );
    let e = err(m.sign_in_request(obj(&[("email", "a@x.io".into())])));
    assert_eq!(code_of(&e), "invalid_config");
}

#[wasm_bindgen_test]
fn a_good_answer_becomes_a_session_that_survives_its_stored_text() {
    let mut m = machine();
    let s = sign_in(&mut m, "a@x.io", "a1");
    assert_eq!(text(&s, "accessToken"), "a1");
    assert_eq!(text(&s, "tokenType"), "bearer");
    assert_eq!(get(&s, "expiresAt").as_f64(), Some(NOW + 3_600_000.0));
    let stored = m.session_text().expect("stored text");
    assert!(js_sys::JSON::parse(&stored).is_ok(), "{stored}");
    assert_eq!(m.client_id().as_deref(), Some("nexudus.portal.a@x.io"));

    let mut other = machine();
    other.restore(&stored, NOW, 0.5).unwrap();
    assert_eq!(text(&other.session(), "accessToken"), "a1");
    assert_eq!(other.session_text(), Some(stored));
}

#[wasm_bindgen_test]
fn an_exchange_reads_the_email_from_the_jwt_with_atob() {
    let mut m = machine();
    let one_time = jwt(r#"{"sub":"zoë@example.com","exp":9999999999}"#);
    let call = m
        .exchange_request(one_time.into(), JsValue::UNDEFINED)
        .unwrap();
    assert_eq!(text(&call, "email"), "zoë@example.com");
    assert_eq!(text(&call, "clientId"), "nexudus.portal.zoë@example.com");
    assert!(
        text(&call, "url").contains("/api/sys/users/exchange"),
        "{}",
        text(&call, "url")
    );

    // an answer whose access token carries the email, for a call that knew none
    let access = jwt(r#"{"email":"kim@example.com"}"#);
    let s = m
        .on_grant(
            obj(&[("impersonating", 42.into())]),
            answer(200, None, &grant(&access)),
            NOW,
            0.5,
        )
        .unwrap();
    assert_eq!(text(&s, "accessToken"), access);
    assert_eq!(m.client_id().as_deref(), Some("kim@example.com"));
    assert_eq!(m.impersonating(), Some(42.0));
}

#[wasm_bindgen_test]
fn server_errors_keep_code_status_description_and_extras() {
    let mut m = machine();
    let call = || {
        let pairs = [
            ("signIn", true.into()),
            ("clientId", "c".into()),
            ("email", "a@x.io".into()),
        ];
        obj(&pairs)
    };
    let body = r#"{"error":"invalid_grant","error_description":"The user name or password is incorrect."}"#;
    let e = err(m.on_grant(call(), answer(400, None, body), NOW, 0.5));
    assert_eq!(code_of(&e), "invalid_credentials");
    assert_eq!(get(&e, "status").as_f64(), Some(400.0));
    assert_eq!(
        text(&e, "description"),
        "The user name or password is incorrect."
    );

    let body = r#"{"error":"must_reset_password","error_description":"RESET-1"}"#;
    let e = err(m.on_grant(call(), answer(400, None, body), NOW, 0.5));
    assert_eq!(code_of(&e), "password_reset_required");
    assert_eq!(text(&e, "resetToken"), "RESET-1");
    assert!(
        !text(&e, "message").contains("RESET-1"),
        "the token stays out of the message"
    );

    let e = err(m.on_grant(call(), answer(429, Some(" 30 "), "busy"), NOW, 0.5));
    assert_eq!(code_of(&e), "server");
    assert_eq!(get(&e, "retryAfter").as_f64(), Some(30.0));

    let policy =
        r#"{"WasSuccessful":false,"Errors":[{"PropertyName":"Password","Message":"Too short"}]}"#;
    let e = err(m.on_action(2, answer(400, None, policy)));
    assert_eq!(code_of(&e), "password_policy");
    let list = get(&e, "errors");
    assert!(js_sys::Array::is_array(&list));
    assert_eq!(
        js_sys::Array::from(&list).get(0).as_string().as_deref(),
        Some("Too short")
    );
    assert!(m.session().is_null(), "no failure signs anyone in");
}

#[wasm_bindgen_test]
fn malformed_answers_are_bad_response_and_never_panic() {
    let mut m = machine();
    let deep = "[".repeat(100_000);
    let huge = format!(
        r#"{{"access_token":"{}","token_type":"bearer","expires_in":1e400}}"#,
        "x".repeat(10)
    );
    for (status, body) in [
        (200, "<html>oops</html>"),
        (200, "{}"),
        (200, r#"{"access_token":5}"#),
        (200, deep.as_str()),
        (200, huge.as_str()),
        (200, "null"),
        (
            200,
            r#"{"access_token":"a","token_type":"bearer","expires_in":-5}"#,
        ),
    ] {
        let e = err(m.on_grant(obj(&[]), answer(status, None, body), NOW, 0.5));
        assert_eq!(
            code_of(&e),
            "bad_response",
            "{}",
            &body[..body.len().min(40)]
        );
    }
    // the module still works afterwards
    sign_in(&mut m, "a@x.io", "a1");
    assert_eq!(text(&m.session(), "accessToken"), "a1");
}

#[wasm_bindgen_test]
fn an_unreadable_stored_session_throws_and_signs_nobody_in() {
    let mut m = machine();
    for bad in [
        "not json",
        "{}",
        r#"{"v":1}"#,
        r#"{"v":99,"accessToken":"a"}"#,
        "[]",
    ] {
        let e = err(m.restore(bad, NOW, 0.5));
        let code = code_of(&e);
        assert!(code == "storage" || code == "bad_response", "{bad}: {code}");
        assert!(m.session().is_null());
    }
}

#[wasm_bindgen_test]
fn a_refresh_round_trip_through_stored_texts() {
    let mut m = machine();
    sign_in(&mut m, "a@x.io", "a1");
    let before = m.session_text().unwrap();
    assert_eq!(m.begin_refresh(0, NOW).unwrap(), 0, "not due");
    assert_eq!(m.begin_refresh(2, NOW).unwrap(), 1, "forced");
    let fresh = m.freshest(Some("garbage".into()), None);
    assert_eq!(
        fresh.as_deref(),
        Some(before.as_str()),
        "an unreadable copy never wins"
    );
    assert!(!m.wait_for_handoff(fresh.clone(), false));
    assert_eq!(m.after_lock(fresh, true, false, NOW, 0.5), "refresh");
    let r = m.refresh_request().unwrap();
    let body = text(&r, "body");
    assert!(
        body.contains("grant_type=refresh_token") && body.contains("refresh_token=r-a1"),
        "{body}"
    );
    let s = m
        .on_refresh(answer(200, None, &grant("a2")), NOW, 0.5)
        .unwrap();
    assert_eq!(text(&s, "accessToken"), "a2");
    m.settle(NOW, 0.5);

    // an answer that arrives after a sign-out is refused and stays signed out
    assert_eq!(m.begin_refresh(2, NOW).unwrap(), 1);
    assert_eq!(
        m.after_lock(m.session_text(), true, false, NOW, 0.5),
        "refresh"
    );
    m.sign_out(NOW);
    let e = err(m.on_refresh(answer(200, None, &grant("a3")), NOW, 0.5));
    assert_eq!(code_of(&e), "unauthorized");
    assert!(m.session().is_null());
    m.settle(NOW, 0.5);
}

#[wasm_bindgen_test]
fn another_tabs_texts_are_adopted_with_their_events() {
    let mut m = machine();
    let mut other = machine();
    sign_in(&mut other, "a@x.io", "a1");
    let theirs = other.session_text();
    assert_eq!(m.adopt(theirs.clone(), "SIGNED_IN", NOW, 0.5), "SIGNED_IN");
    assert_eq!(
        m.adopt(theirs, "SIGNED_IN", NOW, 0.5),
        "",
        "the same session again: no event"
    );
    assert_eq!(
        m.adopt(Some("not json".into()), "SIGNED_IN", NOW, 0.5),
        "SIGNED_OUT"
    );
    assert!(m.session().is_null());
}

#[wasm_bindgen_test]
fn links_and_helpers_validate_their_urls() {
    let m = Machine::new(options(&[(
        "portalUrl",
        "https://portal.example.com".into(),
    )]))
    .unwrap();
    let link = m.link(true, "T1", Some("/bookings".into())).unwrap();
    assert!(link.starts_with("https://portal.example.com/"), "{link}");
    assert!(link.contains("T1"), "{link}");
    let e = err(m.link(true, "T1", Some("https://evil.example/".into())));
    assert_eq!(code_of(&e), "invalid_config");
    assert_eq!(
        m.fetch_url("/api/x").unwrap(),
        "https://api.example.com/api/x"
    );
    assert_eq!(
        code_of(&err(m.fetch_url("https://evil.example/api"))),
        "invalid_config"
    );

    let e = err(authenticated_link_url(
        "https://portal.example.com",
        "T",
        "https://evil.example/",
    ));
    assert_eq!(code_of(&e), "invalid_config");
    assert!(endpoints_system_auth_login("abc", None)
        .unwrap()
        .contains("abc"));
    assert_eq!(
        code_of(&err(endpoints_system_auth_login("abc", Some(-1.0)))),
        "invalid_config"
    );
}

#[wasm_bindgen_test]
fn rebilly_dates_are_read_with_date_parse() {
    let body = r#"{"token":"rb-jwt","expiredTime":"2030-01-01T00:00:00Z","customerId":"c1"}"#;
    match rebilly_answer(answer(201, None, body), NOW) {
        Ok(stored) => assert!(stored.contains("rb-jwt"), "{stored}"),
        Err(e) => panic!("{}", text(&e.into(), "message")),
    }
    let bad_date = r#"{"token":"t","customerId":"c1","expiredTime":"yesterday-ish"}"#;
    let e = err(rebilly_answer(answer(201, None, bad_date), NOW));
    assert_eq!(code_of(&e), "bad_response");
}
