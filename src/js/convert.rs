//! Values across the boundary: a request as the plain `{method, url, headers, body?}` object the
//! shell sends with `fetch`, an answer from the `{status, retryAfter, text}` the shell's `send`
//! resolves to, a session as the `{accessToken, tokenType, expiresAt}` object of the contract and
//! as its stored JSON text.

use super::error::{set, JsError};
use super::json;
use super::options::{field, wrong};
use crate::core::client::{BearerCall, Begin, GrantCall, LockStep, OtherCall, RefreshMode};
use crate::core::error::CoreError;
use crate::core::http::{HttpRequest, HttpResponse, RequestBody, ResponseBody};
use crate::core::jwt::{self, Claims};
use crate::core::responses::TokenCall;
use crate::core::session::{coworker_id, Session};
use crate::core::sync::AuthEvent;
use js_sys::Object;
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    /// The engine's base64 decoder (`globalThis.atob`, in windows and workers).
    #[wasm_bindgen(catch)]
    fn atob(data: &str) -> Result<String, JsValue>;
}

/// The call that changes no session numbered `kind` by the shell (`pkg-template/shell/client.js`):
/// 0 one-time server token, 1 start reset, 2 complete reset, 3 media token, 4 impersonation token.
pub fn other_call(kind: u8) -> OtherCall {
    match kind {
        0 => OtherCall::OneTimeToken,
        1 => OtherCall::StartPasswordReset,
        2 => OtherCall::CompletePasswordReset,
        3 => OtherCall::MediaToken,
        _ => OtherCall::ImpersonationToken,
    }
}

/// The bearer call of `kind`, numbered as [`other_call`] (0 one-time server token, 3 media token,
/// 4 impersonation token); an impersonation needs a positive integer coworker `id`.
pub fn bearer_call(kind: u8, id: &JsValue) -> Result<BearerCall, JsError> {
    Ok(match other_call(kind) {
        OtherCall::OneTimeToken => BearerCall::OneTimeToken,
        OtherCall::MediaToken => BearerCall::Media,
        _ => BearerCall::Impersonation(
            id.as_f64()
                .and_then(coworker_id)
                .ok_or(wrong("coworkerId", "a positive integer"))?,
        ),
    })
}

/// The request as a plain object for `fetch`.
pub fn request_object(r: &HttpRequest) -> Object {
    let o = Object::new();
    set(&o, "method", &r.method.as_str().into());
    set(&o, "url", &r.url.as_str().into());
    let h = Object::new();
    for (k, v) in &r.headers {
        set(&h, k, &v.as_str().into());
    }
    set(&o, "headers", &h);
    match &r.body {
        Some(RequestBody::Form(s)) => set(&o, "body", &s.as_str().into()),
        Some(RequestBody::Json(v)) => set(&o, "body", &json::stringify(v).into()),
        None => {}
    }
    o
}

/// [`request_object`] as a `JsValue`.
pub fn request(r: &HttpRequest) -> JsValue {
    request_object(r).into()
}

/// An answer `{status, retryAfter, text}` (what the shell's `send` resolves to) as the core
/// reads it: an empty body is `Empty`, text that is not JSON `NotJson`.
pub fn response(answer: &JsValue) -> HttpResponse {
    let status = field(answer, "status").as_f64().map_or(0, |n| n as u16);
    let retry_after = field(answer, "retryAfter").as_string();
    let text = field(answer, "text").as_string().unwrap_or_default();
    let body = if text.trim().is_empty() {
        ResponseBody::Empty
    } else {
        json::parse(&text).map_or(ResponseBody::NotJson, ResponseBody::Json)
    };
    HttpResponse {
        status,
        retry_after,
        body,
    }
}

/// The contract's session object.
pub fn session_object(s: &Session) -> JsValue {
    let o = Object::new();
    set(&o, "accessToken", &s.access_token.secret().into());
    set(&o, "tokenType", &s.token_type.as_str().into());
    set(&o, "expiresAt", &s.expires_at_ms.into());
    o.into()
}

/// A session's stored JSON text (what the storage, the ledger and the other tabs hold).
pub fn stored_text(s: &Session) -> String {
    json::stringify(&s.to_value())
}

/// A stored session from its text: `Storage` when it is not JSON, `BadResponse` when it is not a
/// session of this version.
pub fn stored(text: &str) -> Result<Session, JsError> {
    let v = json::parse(text).ok_or(CoreError::Storage("stored session is not JSON"))?;
    Ok(Session::from_value(&v)?)
}

/// A copy the shell hands back (another tab's write, the ledger's entry); `None` when unreadable.
pub fn copy(text: Option<String>) -> Option<Session> {
    stored(&text?).ok()
}

/// A copy that must be there (the admin's session kept aside): `NotSignedIn` when unreadable.
pub fn held_copy(text: String) -> Result<Session, JsError> {
    copy(Some(text)).ok_or(JsError::Core(CoreError::NotSignedIn))
}

/// The unverified claims of a JWT's payload (see core::jwt), decoded with `atob`.
pub fn claims(token: &str) -> Option<Claims> {
    let binary = atob(&jwt::payload_base64(token)?).ok()?;
    let bytes = binary
        .chars()
        .map(|c| u8::try_from(u32::from(c)).ok())
        .collect::<Option<Vec<u8>>>()?;
    Claims::from_value(&json::parse(std::str::from_utf8(&bytes).ok()?)?)
}

/// A sign-in (`sign_in`) or exchange request object with what its answer needs (`onGrant`):
/// `clientId`, `email` and `signIn`.
pub fn grant(call: GrantCall, sign_in: bool) -> JsValue {
    let o = request_object(&call.request);
    for (k, v) in [("clientId", call.client_id), ("email", call.email)] {
        if let Some(v) = v {
            set(&o, k, &v.into());
        }
    }
    if sign_in {
        set(&o, "signIn", &JsValue::TRUE);
    }
    o.into()
}

/// An event's name for the shell ("" for none).
pub fn event_name(e: Option<AuthEvent>) -> String {
    e.map_or("", AuthEvent::as_str).into()
}

/// The event another tab's write says it did (`adopt`'s hint): `TOKEN_REFRESHED`, else a sign-in.
pub fn event_hint(hint: &str) -> AuthEvent {
    match hint {
        "TOKEN_REFRESHED" => AuthEvent::TokenRefreshed,
        _ => AuthEvent::SignedIn,
    }
}

/// `beginRefresh`'s `mode`: 0 on demand, 1 scheduled, anything else forced.
pub fn refresh_mode(mode: u8) -> RefreshMode {
    match mode {
        0 => RefreshMode::OnDemand,
        1 => RefreshMode::Scheduled,
        _ => RefreshMode::Forced,
    }
}

/// `beginRefresh`'s answer: 0 nothing to do, 1 go, 2 backing off.
pub fn begin_code(b: Begin) -> u8 {
    match b {
        Begin::NotDue => 0,
        Begin::Go => 1,
        Begin::BackingOff => 2,
    }
}

/// `afterLock`'s answer: "refresh", "out" (signed out), or the event of adopting another tab's
/// rotation ("" for none).
pub fn lock_step(step: LockStep) -> String {
    match step {
        LockStep::Refresh => "refresh".into(),
        LockStep::NotSignedIn => "out".into(),
        LockStep::Adopted(e) => event_name(e),
    }
}

/// What reading a sign-in's or exchange's answer needs, from its request object (`grant`, plus the
/// `impersonating` coworker the shell adds for an admin's exchange): the call, `clientId`, `email`.
pub fn grant_context(call: &JsValue) -> (TokenCall, Option<String>, Option<String>, Option<u64>) {
    let kind = match field(call, "signIn").is_truthy() {
        true => TokenCall::SignIn,
        false => TokenCall::Exchange,
    };
    let client_id = field(call, "clientId").as_string();
    let email = field(call, "email").as_string();
    let acting = field(call, "impersonating").as_f64().and_then(coworker_id);
    (kind, client_id, email, acting)
}
