//! Failures in a real browser: network, timeout, 5xx/429, malformed answers and throwing
//! storage each give the right `AuthError`, never a panic, and never lose a valid session.
#![cfg(target_arch = "wasm32")]

mod support;

use support::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
async fn unreachable_server_is_network() {
    let opts = obj(&[
        ("baseUrl", "http://127.0.0.1:9".into()),
        ("storage", "memory".into()),
    ]);
    let auth = create(opts).await.unwrap();
    let err = wait(auth.sign_in(creds("alice@example.com", PASSWORD, None)))
        .await
        .unwrap_err();
    assert_eq!(code_of(&err), "network");
}

#[wasm_bindgen_test]
async fn a_stalled_server_is_timeout() {
    let auth = client(&[("timeoutMs", 300.into())]).await;
    control(
        "/mock/faults",
        r#"{"kind":"stall","path":"/api/token","count":1,"stallMs":3000}"#,
    )
    .await;
    let err = wait(auth.sign_in(creds("alice@example.com", PASSWORD, None)))
        .await
        .unwrap_err();
    clear_faults().await;
    assert_eq!(code_of(&err), "timeout");
}

#[wasm_bindgen_test]
async fn server_errors_and_malformed_answers_have_their_codes() {
    let auth = client(&[]).await;
    for (kind, code) in [
        ("500", "server"),
        ("503", "server"),
        ("html", "bad_response"),
        ("truncated", "bad_response"),
        ("wrong_type", "bad_response"),
        ("missing_field", "bad_response"),
    ] {
        fault(kind, "/api/token", 1).await;
        let err = wait(auth.sign_in(creds("alice@example.com", PASSWORD, None)))
            .await
            .unwrap_err();
        assert_eq!(code_of(&err), code, "fault {kind}");
    }
    control(
        "/mock/faults",
        r#"{"kind":"429","path":"/api/token","count":1,"retryAfter":7}"#,
    )
    .await;
    let err = wait(auth.sign_in(creds("alice@example.com", PASSWORD, None)))
        .await
        .unwrap_err();
    assert_eq!(code_of(&err), "server");
    assert_eq!(get(&err, "status").as_f64(), Some(429.0));
    assert_eq!(get(&err, "retryAfter").as_f64(), Some(7.0));
    // After the faults, the next normal answer works.
    wait(auth.sign_in(creds("alice@example.com", PASSWORD, None)))
        .await
        .unwrap();
}

#[wasm_bindgen_test]
async fn a_failed_refresh_keeps_the_session_and_the_next_try_succeeds() {
    let (auth, key, first) = signed_in_local("keep").await;
    let stored = web_sys::window()
        .unwrap()
        .local_storage()
        .unwrap()
        .unwrap()
        .get_item(&key)
        .unwrap();
    for (kind, code) in [
        ("500", "server"),
        ("drop", "network"),
        ("html", "bad_response"),
    ] {
        fault(kind, "/api/token", 1).await;
        let err = wait(auth.refresh()).await.unwrap_err();
        assert_eq!(code_of(&err), code, "fault {kind}");
        assert_eq!(
            get(&auth.session(), "accessToken"),
            get(&first, "accessToken"),
            "session kept after {kind}"
        );
        let now = web_sys::window()
            .unwrap()
            .local_storage()
            .unwrap()
            .unwrap()
            .get_item(&key)
            .unwrap();
        assert_eq!(now, stored, "stored session unchanged after {kind}");
    }
    let second = wait(auth.refresh()).await.unwrap();
    assert_ne!(get(&second, "accessToken"), get(&first, "accessToken"));
    auth.sign_out();
    assert!(web_sys::window()
        .unwrap()
        .local_storage()
        .unwrap()
        .unwrap()
        .get_item(&key)
        .unwrap()
        .is_none());
}

#[wasm_bindgen_test]
async fn callers_that_join_a_failed_refresh_each_get_its_error() {
    let (auth, _key, first) = signed_in_local("join").await;
    // One fault for one request: both callers share the single refresh that meets it.
    fault("503", "/api/token", 1).await;
    let (a, b) = (auth.refresh(), auth.refresh());
    let (a, b) = (wait(a).await.unwrap_err(), wait(b).await.unwrap_err());
    for err in [&a, &b] {
        assert_eq!(code_of(err), "server");
        assert_eq!(get(err, "status").as_f64(), Some(503.0));
        assert!(err.is_instance_of::<js_sys::Error>());
    }
    assert_eq!(
        get(&auth.session(), "accessToken"),
        get(&first, "accessToken")
    );
    // The fault is used up: a third call refreshes for real.
    let fresh = wait(auth.refresh()).await.unwrap();
    assert_ne!(get(&fresh, "accessToken"), get(&first, "accessToken"));
}

#[wasm_bindgen(inline_js = "
export function throwingAdapter() {
  return {
    getItem() { throw new Error('SecurityError: storage disabled'); },
    setItem() { throw new DOMException('quota', 'QuotaExceededError'); },
    removeItem() { throw new Error('nope'); },
  };
}
export function asyncAdapter(map) {
  return {
    getItem: async (k) => map.has(k) ? map.get(k) : null,
    setItem: async (k, v) => { map.set(k, v); },
    removeItem: async (k) => { map.delete(k); },
  };
}")]
extern "C" {
    fn throwingAdapter() -> JsValue;
    fn asyncAdapter(map: &js_sys::Map) -> JsValue;
}

#[wasm_bindgen_test]
async fn a_throwing_storage_falls_back_to_memory_with_a_warning() {
    let auth = client(&[("storage", throwingAdapter())]).await;
    let warnings = js_sys::Array::new();
    let sink = warnings.clone();
    let cb = Closure::<dyn FnMut(JsValue)>::new(move |w: JsValue| {
        sink.push(&w);
    });
    auth.on_warning(cb.as_ref().clone()).unwrap();
    cb.forget();
    let session = wait(auth.sign_in(creds("alice@example.com", PASSWORD, None)))
        .await
        .unwrap();
    assert_eq!(
        get(&auth.session(), "accessToken"),
        get(&session, "accessToken"),
        "sign-in not lost"
    );
    assert!(warnings.length() >= 1, "a warning was reported");
    assert_eq!(code_of(&warnings.get(0)), "storage");
    assert!(wait(auth.get_access_token()).await.is_ok());
}

#[wasm_bindgen_test]
async fn an_async_adapter_persists_across_instances() {
    let map = js_sys::Map::new();
    let key = unique("adapter");
    let opts = || {
        obj(&[
            ("baseUrl", MOCK.into()),
            ("storage", asyncAdapter(&map)),
            ("storageKey", key.as_str().into()),
        ])
    };
    let a = create(opts()).await.unwrap();
    let session = wait(a.sign_in(creds("alice@example.com", PASSWORD, None)))
        .await
        .unwrap();
    a.dispose();
    let b = create(opts()).await.unwrap();
    assert_eq!(
        get(&b.session(), "accessToken"),
        get(&session, "accessToken")
    );
    b.sign_out();
    b.dispose();
}

#[wasm_bindgen_test]
async fn a_corrupt_stored_session_is_discarded_and_announced() {
    let key = unique("corrupt");
    let storage = web_sys::window().unwrap().local_storage().unwrap().unwrap();
    storage
        .set_item(&key, r#"{"v":1,"accessToken":"x","expiresAt":"tomorrow"}"#)
        .unwrap();
    let auth = client(&[
        ("storage", "local".into()),
        ("storageKey", key.as_str().into()),
    ])
    .await;
    let events = js_sys::Array::new();
    let sink = events.clone();
    let cb = Closure::<dyn FnMut(JsValue, JsValue)>::new(move |e: JsValue, _s| {
        sink.push(&e);
    });
    auth.on_change(cb.as_ref().clone()).unwrap();
    cb.forget();
    assert!(auth.session().is_null(), "never trusted");
    gloo_timers::future::TimeoutFuture::new(20).await;
    assert_eq!(events.get(0).as_string().as_deref(), Some("SIGNED_OUT"));
    assert!(storage.get_item(&key).unwrap().is_none(), "discarded");
}

#[wasm_bindgen_test]
async fn signed_out_calls_are_unauthorized() {
    let auth = client(&[]).await;
    assert_eq!(
        code_of(&wait(auth.get_access_token()).await.unwrap_err()),
        "unauthorized"
    );
    assert_eq!(
        code_of(&wait(auth.refresh()).await.unwrap_err()),
        "unauthorized"
    );
    assert_eq!(
        code_of(&wait(auth.portal_login_url(None)).await.unwrap_err()),
        "unauthorized"
    );
}

/// The 401 → refresh → retry path is driven in tests/e2e/fetch-retry.test.mjs.
#[wasm_bindgen_test]
async fn authorized_fetch_adds_the_bearer_and_sends_it_only_to_the_api_origin() {
    let auth = client(&[]).await;
    wait(auth.sign_in(creds("alice@example.com", PASSWORD, None)))
        .await
        .unwrap();
    let resp: web_sys::Response = wait(auth.fetch("/api/public/billing/customer".into(), None))
        .await
        .unwrap()
        .unchecked_into();
    assert_eq!(resp.status(), 200);
    let body = wasm_bindgen_futures::JsFuture::from(resp.json().unwrap())
        .await
        .unwrap();
    assert_eq!(
        get(&body, "Email").as_string().as_deref(),
        Some("alice@example.com")
    );
    let err = wait(auth.fetch("https://elsewhere.example/api".into(), None))
        .await
        .unwrap_err();
    assert_eq!(
        code_of(&err),
        "invalid_config",
        "the token never leaves baseUrl's origin"
    );
}

#[wasm_bindgen_test]
async fn sign_out_during_an_in_flight_refresh_stays_signed_out() {
    let (auth, key, _) = signed_in_local("race").await;
    control(
        "/mock/faults",
        r#"{"kind":"delay","path":"/api/token","count":1,"stallMs":400}"#,
    )
    .await;
    let pending = auth.refresh();
    gloo_timers::future::TimeoutFuture::new(50).await;
    auth.sign_out();
    let outcome = wait(pending).await;
    clear_faults().await;
    assert!(outcome.is_err(), "the refresh result is discarded");
    assert!(auth.session().is_null(), "still signed out");
    let storage = web_sys::window().unwrap().local_storage().unwrap().unwrap();
    assert!(
        storage.get_item(&key).unwrap().is_none(),
        "storage not resurrected"
    );
}
