//! The exported API in a real browser against the mock server: every sign-in flow and every
//! error code the contract lists for them.
#![cfg(target_arch = "wasm32")]

mod support;

use nexudus_auth::facade::{authenticated_link_url, endpoints_system_auth_login};
use support::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

// Hooks on `window.fetch`, the function the library sends its requests with.
#[wasm_bindgen(inline_js = "
export function sendNextTokenCallAsJson() {
  const send = window.fetch;
  window.fetch = async (input, init) => {
    const req = new Request(input, init);
    if (new URL(req.url).pathname !== '/api/token') return send.call(window, req);
    window.fetch = send;
    const fields = Object.fromEntries(new URLSearchParams(await req.text()));
    const headers = new Headers(req.headers);
    headers.set('content-type', 'application/json');
    const body = JSON.stringify(fields);
    return send.call(window, new Request(req.url, { method: req.method, headers, body, signal: req.signal }));
  };
}
export function recordAnswers(path) {
  const send = window.fetch;
  const answers = [];
  window.fetch = async (input, init) => {
    const res = await send.call(window, input, init);
    if (new URL(res.url).pathname === path) answers.push([res.status, await res.clone().text()]);
    return res;
  };
  return { answers, stop() { window.fetch = send; } };
}")]
extern "C" {
    /// The library's next `/api/token` request goes out with its fields as a JSON body (as a
    /// re-encoding proxy would send it); later requests are untouched.
    fn sendNextTokenCallAsJson();
    /// Records `[status, body]` of every answer from `path` until `.stop()`.
    fn recordAnswers(path: &str) -> JsValue;
}

#[wasm_bindgen_test]
async fn password_sign_in_gives_a_session_and_a_token() {
    let auth = client(&[]).await;
    assert!(auth.session().is_null());
    let session = wait(auth.sign_in(creds("alice@example.com", PASSWORD, None)))
        .await
        .unwrap();
    assert_eq!(
        get(&session, "tokenType").as_string().as_deref(),
        Some("bearer")
    );
    assert!(get(&session, "expiresAt").as_f64().unwrap() > js_sys::Date::now());
    assert!(
        get(&session, "refreshToken").is_undefined(),
        "the refresh token is never exposed"
    );
    let token = wait(auth.get_access_token()).await.unwrap();
    assert_eq!(token, get(&session, "accessToken"));
    assert_eq!(get(&auth.session(), "accessToken"), token);
}

#[wasm_bindgen_test]
async fn sign_in_sends_form_encoding_and_the_client_id_header() {
    let client_id = unique("portal");
    let auth = client(&[("clientId", client_id.as_str().into())]).await;
    wait(auth.sign_in(creds("alice@example.com", PASSWORD, None)))
        .await
        .unwrap();
    let log = control_get("/mock/requests").await;
    let entries: Vec<JsValue> = js_sys::Array::from(&log).iter().collect();
    let mine = entries
        .iter()
        .rev()
        .find(|e| get(e, "clientId").as_string().as_deref() == Some(client_id.as_str()))
        .expect("the sign-in reached the mock with our client_id header");
    assert_eq!(get(mine, "path").as_string().as_deref(), Some("/api/token"));
    assert!(get(mine, "contentType")
        .as_string()
        .unwrap()
        .starts_with("application/x-www-form-urlencoded"));
}

#[wasm_bindgen_test]
async fn wrong_password_is_invalid_credentials() {
    let auth = client(&[]).await;
    let err = wait(auth.sign_in(creds("alice@example.com", "nope", None)))
        .await
        .unwrap_err();
    assert_eq!(code_of(&err), "invalid_credentials");
    assert_eq!(get(&err, "status").as_f64(), Some(400.0));
    assert!(
        get(&err, "description").is_string(),
        "keeps the server's error_description"
    );
    assert!(
        !get(&err, "message").as_string().unwrap().contains("nope"),
        "no password in messages"
    );
    assert!(auth.session().is_null());
}

#[wasm_bindgen_test]
async fn two_factor_user_needs_the_totp_code() {
    let auth = client(&[]).await;
    let err = wait(auth.sign_in(creds("bob@example.com", PASSWORD, None)))
        .await
        .unwrap_err();
    assert_eq!(code_of(&err), "two_factor_required");
    let code = get(&control_get("/mock/totp/bob@example.com").await, "code")
        .as_string()
        .unwrap();
    // Half a million away from the current code: not the code of this or a neighbouring step.
    let wrong = format!(
        "{:06}",
        (code.parse::<u32>().unwrap() + 500_000) % 1_000_000
    );
    let err = wait(auth.sign_in(creds("bob@example.com", PASSWORD, Some(&wrong))))
        .await
        .unwrap_err();
    assert_eq!(code_of(&err), "two_factor_required", "a wrong code");
    assert!(auth.session().is_null());
    let session = wait(auth.sign_in(creds("bob@example.com", PASSWORD, Some(&code))))
        .await
        .unwrap();
    assert!(get(&session, "accessToken").is_string());
}

#[wasm_bindgen_test]
async fn must_reset_user_gets_the_reset_token_and_the_policy_is_enforced() {
    control("/mock/reset-user", r#"{"email":"carol@example.com"}"#).await;
    let auth = client(&[]).await;
    let err = wait(auth.sign_in(creds("carol@example.com", PASSWORD, None)))
        .await
        .unwrap_err();
    assert_eq!(code_of(&err), "password_reset_required");
    let reset_token = get(&err, "resetToken");
    assert!(reset_token.is_string());
    let token = reset_token.as_string().unwrap();
    assert!(
        !get(&err, "message").as_string().unwrap().contains(&token),
        "the reset token is not in the message"
    );
    let weak = obj(&[
        ("token", reset_token.clone()),
        ("newPassword", "short".into()),
    ]);
    let err = wait(auth.complete_password_reset(weak)).await.unwrap_err();
    assert_eq!(code_of(&err), "password_policy");
    assert!(js_sys::Array::from(&get(&err, "errors")).length() > 0);
    let strong = obj(&[
        ("token", reset_token.clone()),
        ("newPassword", "N3wPassword!".into()),
    ]);
    let session = wait(auth.complete_password_reset(strong)).await.unwrap();
    assert!(
        get(&session, "accessToken").is_string(),
        "the returned JWT was exchanged at once"
    );
    let again = obj(&[
        ("token", reset_token),
        ("newPassword", "N3wPassword!".into()),
    ]);
    let err = wait(auth.complete_password_reset(again)).await.unwrap_err();
    assert_eq!(
        code_of(&err),
        "token_invalid",
        "reset tokens are single use"
    );
}

#[wasm_bindgen_test]
async fn one_time_jwt_exchange_works_once() {
    let auth = client(&[]).await;
    let jwt = get(
        &control("/mock/one-time-jwt", r#"{"email":"alice@example.com"}"#).await,
        "token",
    );
    let session = wait(auth.exchange_token(jwt.clone(), None)).await.unwrap();
    assert!(get(&session, "accessToken").is_string());
    let err = wait(auth.exchange_token(jwt, None)).await.unwrap_err();
    assert_eq!(code_of(&err), "token_invalid");
    for variant in ["bad_signature", "other_space"] {
        let body = format!(r#"{{"email":"alice@example.com","variant":"{variant}"}}"#);
        let bad = get(&control("/mock/one-time-jwt", &body).await, "token");
        let err = wait(auth.exchange_token(bad, None)).await.unwrap_err();
        assert_eq!(code_of(&err), "token_rejected", "{variant}");
        assert_eq!(get(&err, "status").as_f64(), Some(401.0));
    }
    let expired = get(
        &control(
            "/mock/one-time-jwt",
            r#"{"email":"alice@example.com","variant":"expired"}"#,
        )
        .await,
        "token",
    );
    assert_eq!(
        code_of(&wait(auth.exchange_token(expired, None)).await.unwrap_err()),
        "token_invalid"
    );
}

#[wasm_bindgen_test]
async fn exchanged_session_can_refresh_with_its_bound_client_id() {
    let auth = client(&[]).await;
    let jwt = get(
        &control("/mock/one-time-jwt", r#"{"email":"alice@example.com"}"#).await,
        "token",
    );
    let first = wait(auth.exchange_token(jwt, None)).await.unwrap();
    let second = wait(auth.refresh()).await.unwrap();
    assert_ne!(get(&first, "accessToken"), get(&second, "accessToken"));
}

#[wasm_bindgen_test]
async fn refresh_rotates_and_a_dead_refresh_token_signs_out() {
    let client_id = unique("rot");
    let auth = client(&[("clientId", client_id.as_str().into())]).await;
    let first = wait(auth.sign_in(creds("alice@example.com", PASSWORD, None)))
        .await
        .unwrap();
    let second = wait(auth.refresh()).await.unwrap();
    assert_ne!(get(&first, "accessToken"), get(&second, "accessToken"));
    let events = js_sys::Array::new();
    let sink = events.clone();
    let cb = wasm_bindgen::closure::Closure::<dyn FnMut(JsValue, JsValue)>::new(
        move |e: JsValue, _s| {
            sink.push(&e);
        },
    );
    auth.on_change(cb.as_ref().clone()).unwrap();
    cb.forget();
    control("/mock/revoke", &format!(r#"{{"clientId":"{client_id}"}}"#)).await;
    let err = wait(auth.refresh()).await.unwrap_err();
    assert_eq!(code_of(&err), "session_expired");
    assert!(auth.session().is_null());
    assert_eq!(
        events.get(events.length() - 1).as_string().as_deref(),
        Some("SIGNED_OUT")
    );
}

#[wasm_bindgen_test]
async fn a_sign_in_the_server_gets_as_json_is_unsupported_grant_type() {
    // The client sends a form; re-encoded as JSON on the way (sendNextTokenCallAsJson), the server
    // refuses the grant, and signIn reports it with its own code.
    let client_id = unique("json");
    let auth = client(&[("clientId", client_id.as_str().into())]).await;
    sendNextTokenCallAsJson();
    let err = wait(auth.sign_in(creds("alice@example.com", PASSWORD, None)))
        .await
        .unwrap_err();
    assert_eq!(code_of(&err), "unsupported_grant_type");
    assert_eq!(get(&err, "status").as_f64(), Some(400.0));
    assert!(auth.session().is_null());
    let log = js_sys::Array::from(&control_get("/mock/requests").await);
    let sent = log
        .iter()
        .rev()
        .find(|e| get(e, "clientId").as_string().as_deref() == Some(client_id.as_str()))
        .expect("the sign-in reached the mock");
    assert_eq!(
        get(&sent, "contentType").as_string().as_deref(),
        Some("application/json"),
        "the server got JSON"
    );
    // Sent as the client makes it (a form), the same sign-in works.
    wait(auth.sign_in(creds("alice@example.com", PASSWORD, None)))
        .await
        .unwrap();
}

#[wasm_bindgen_test]
async fn authenticated_link_and_portal_login_url() {
    let auth = client(&[]).await;
    let err = wait(auth.authenticated_link("/portal/invoices/1".into()))
        .await
        .unwrap_err();
    assert_eq!(code_of(&err), "unauthorized");
    wait(auth.sign_in(creds("alice@example.com", PASSWORD, None)))
        .await
        .unwrap();
    let link = wait(auth.authenticated_link("/portal/invoices/1?x=a b".into()))
        .await
        .unwrap()
        .as_string()
        .unwrap();
    let prefix = format!("{MOCK}/user/login?server=true&t=");
    assert!(link.starts_with(&prefix), "{link}");
    assert!(
        link.ends_with("&redirectUrl=%2Fportal%2Finvoices%2F1%3Fx%3Da%20b"),
        "{link}"
    );
    let login = wait(auth.portal_login_url(None))
        .await
        .unwrap()
        .as_string()
        .unwrap();
    assert!(login.starts_with(&format!("{MOCK}/login?t=")));
    let err = wait(auth.authenticated_link("https://evil.example/steal".into()))
        .await
        .unwrap_err();
    assert_eq!(code_of(&err), "invalid_config", "no open redirect");
}

#[wasm_bindgen_test]
fn portal_helpers_build_the_documented_paths() {
    assert_eq!(
        endpoints_system_auth_login("a.b+c/=", None).unwrap(),
        "/api/sys/users/exchange?token=a.b%2Bc%2F%3D&validForInMinutes=1440"
    );
    let url = authenticated_link_url("https://x.spaces.nexudus.com/", "t 1", "/a?b=c").unwrap();
    assert_eq!(
        url,
        "https://x.spaces.nexudus.com/user/login?server=true&t=t%201&redirectUrl=%2Fa%3Fb%3Dc"
    );
    assert!(authenticated_link_url("javascript:alert(1)", "t", "/").is_err());
}

#[wasm_bindgen_test]
async fn password_reset_start_answers_the_same_for_unknown_emails() {
    let auth = client(&[]).await;
    let recorder = recordAnswers("/api/sys/users/startPasswordReset");
    let known = wait(auth.start_password_reset("alice@example.com".into(), None)).await;
    let unknown = wait(auth.start_password_reset("nobody@example.com".into(), None)).await;
    let stop = js_sys::Function::from(get(&recorder, "stop"));
    stop.call0(&recorder).unwrap();
    let (known, unknown) = (known.unwrap(), unknown.unwrap());
    assert_eq!(
        js_sys::JSON::stringify(&js_sys::Array::of1(&known)).unwrap(),
        js_sys::JSON::stringify(&js_sys::Array::of1(&unknown)).unwrap(),
        "the caller gets the same value"
    );
    let answers = js_sys::Array::from(&get(&recorder, "answers"));
    assert_eq!(answers.length(), 2, "both requests reached the server");
    let [a, b] = [answers.get(0), answers.get(1)].map(|x| js_sys::JSON::stringify(&x).unwrap());
    assert_eq!(a, b, "the server's answers are identical (status and body)");
    assert!(String::from(a).starts_with("[200,"), "a success for both");
}

#[wasm_bindgen_test]
async fn bad_options_are_invalid_config() {
    for options in [
        JsValue::UNDEFINED,
        obj(&[("baseUrl", "not a url".into())]),
        obj(&[("baseUrl", "http://example.com".into())]),
        obj(&[("baseUrl", MOCK.into()), ("storage", "cookies".into())]),
        obj(&[
            ("baseUrl", MOCK.into()),
            ("refreshLeewaySeconds", "soon".into()),
        ]),
    ] {
        let err = create(options).await.err().expect("rejected");
        assert_eq!(code_of(&err), "invalid_config");
    }
}
