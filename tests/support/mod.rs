//! Helpers shared by the browser tests: the mock's URL, its control endpoints, and the
//! exported API called the way JavaScript calls it.
#![allow(dead_code)]

use js_sys::{Object, Promise, Reflect};
use nexudus_auth::facade::NexudusAuth;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{RequestInit, Response};

/// The running mock server (set at compile time by scripts/test.sh).
pub const MOCK: &str = match option_env!("NEXUDUS_MOCK_URL") {
    Some(u) => u,
    None => "http://127.0.0.1:18787",
};

/// A fresh, unique storage key / client id so tests never share state.
pub fn unique(prefix: &str) -> String {
    format!("{prefix}-{}", (js_sys::Math::random() * 1e12) as u64)
}

/// `{k: v, ...}` from string pairs.
pub fn obj(pairs: &[(&str, JsValue)]) -> JsValue {
    let o = Object::new();
    for (k, v) in pairs {
        Reflect::set(&o, &JsValue::from_str(k), v).unwrap();
    }
    o.into()
}

/// `obj[key]`.
pub fn get(o: &JsValue, key: &str) -> JsValue {
    Reflect::get(o, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

/// Sends a request to the mock and returns (status, body text).
pub async fn raw(
    method: &str,
    path: &str,
    content_type: Option<&str>,
    body: Option<&str>,
) -> (u16, String) {
    let init = RequestInit::new();
    init.set_method(method);
    let headers = web_sys::Headers::new().unwrap();
    if let Some(ct) = content_type {
        headers.set("content-type", ct).unwrap();
    }
    init.set_headers(&headers);
    if let Some(b) = body {
        init.set_body(&JsValue::from_str(b));
    }
    let window = web_sys::window().unwrap();
    let resp: Response =
        JsFuture::from(window.fetch_with_str_and_init(&format!("{MOCK}{path}"), &init))
            .await
            .expect("mock reachable")
            .unchecked_into();
    let text = JsFuture::from(resp.text().unwrap())
        .await
        .unwrap()
        .as_string()
        .unwrap_or_default();
    (resp.status(), text)
}

/// POSTs JSON to a mock control endpoint and parses the JSON answer.
pub async fn control(path: &str, json: &str) -> JsValue {
    let (status, text) = raw("POST", path, Some("application/json"), Some(json)).await;
    assert!(status < 300, "{path} answered {status}: {text}");
    js_sys::JSON::parse(&text).unwrap_or(JsValue::NULL)
}

/// GETs a mock control endpoint as JSON.
pub async fn control_get(path: &str) -> JsValue {
    let (_, text) = raw("GET", path, None, None).await;
    js_sys::JSON::parse(&text).unwrap()
}

/// Awaits a Promise returned by the API.
pub async fn wait(p: Promise) -> Result<JsValue, JsValue> {
    JsFuture::from(p).await
}

/// The `code` of a rejection, after checking it is a real `AuthError`.
pub fn code_of(err: &JsValue) -> String {
    assert!(
        err.is_instance_of::<js_sys::Error>(),
        "rejections are Error instances"
    );
    assert_eq!(get(err, "name").as_string().as_deref(), Some("AuthError"));
    get(err, "code").as_string().expect("AuthError has a code")
}

/// `await NexudusAuth.create(options)` as JS would, back as the Rust handle.
pub async fn create(options: JsValue) -> Result<NexudusAuth, JsValue> {
    use wasm_bindgen::convert::TryFromJsValue;
    let value = wait(NexudusAuth::create(options)).await?;
    NexudusAuth::try_from_js_value(value)
}

/// Creates a client on the mock with memory storage (or `storage`) and a unique key.
pub async fn client(extra: &[(&str, JsValue)]) -> NexudusAuth {
    let mut pairs = vec![
        ("baseUrl", JsValue::from_str(MOCK)),
        ("storage", JsValue::from_str("memory")),
        ("storageKey", JsValue::from_str(&unique("test"))),
    ];
    pairs.extend(extra.iter().cloned());
    create(obj(&pairs)).await.expect("create")
}

/// `{email, password}` (+ totp) sign-in options.
pub fn creds(email: &str, password: &str, totp: Option<&str>) -> JsValue {
    let mut pairs = vec![
        ("email", JsValue::from_str(email)),
        ("password", JsValue::from_str(password)),
    ];
    if let Some(t) = totp {
        pairs.push(("totp", JsValue::from_str(t)));
    }
    obj(&pairs)
}

/// The password of every mock user.
pub const PASSWORD: &str = "Passw0rd!";

/// Sets a fault on the mock for the next `count` requests under `path`.
pub async fn fault(kind: &str, path: &str, count: u32) {
    control(
        "/mock/faults",
        &format!(r#"{{"kind":"{kind}","path":"{path}","count":{count}}}"#),
    )
    .await;
}

/// Clears every pending fault.
pub async fn clear_faults() {
    raw("DELETE", "/mock/faults", None, None).await;
}

/// A client on `localStorage` under a fresh key (returned), signed in as alice; and her session.
pub async fn signed_in_local(prefix: &str) -> (NexudusAuth, String, JsValue) {
    let key = unique(prefix);
    let auth = client(&[
        ("storage", "local".into()),
        ("storageKey", key.as_str().into()),
    ])
    .await;
    let session = wait(auth.sign_in(creds("alice@example.com", PASSWORD, None)))
        .await
        .unwrap();
    (auth, key, session)
}
