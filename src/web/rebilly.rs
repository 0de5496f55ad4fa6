//! The Rebilly customer session: an authentication token exchanged for a JWT
//! (`POST {base}/authentication-tokens/{token}/exchange`), stored with its expiry.

use super::error::{set, WebError};
use super::events::Subscribers;
use super::fetch::send;
use super::json;
use super::storage::Store;
use super::tab_state::now_ms;
use crate::core::requests::rebilly_exchange;
use crate::core::responses::parse_rebilly;
use crate::core::secret::OneTimeToken;
use crate::core::session::RebillySession;
use crate::core::sync::AuthEvent;
use crate::core::url::BaseUrl;
use std::cell::RefCell;
use wasm_bindgen::JsValue;

/// One `RebillyAuth` instance.
pub struct Rebilly {
    base: BaseUrl,
    publishable_key: Option<String>,
    timeout_ms: u32,
    store: Store,
    session: RefCell<Option<RebillySession>>,
    changes: Subscribers,
}

/// `Date.parse` at the edge: ms since the epoch, `None` for an invalid date.
fn parse_date(s: &str) -> Option<f64> {
    Some(js_sys::Date::parse(s)).filter(|ms| ms.is_finite())
}

impl Rebilly {
    /// Opens the storage and restores an unexpired stored session.
    pub async fn create(
        base: BaseUrl,
        publishable_key: Option<String>,
        storage: &JsValue,
        key: String,
    ) -> Result<Rebilly, WebError> {
        let (store, _warning) = Store::open(storage, key)?;
        let (stored, _) = store.read().await;
        let session = stored
            .and_then(|s| json::parse(&s))
            .and_then(|v| RebillySession::from_value(&v).ok())
            .filter(|s| s.expires_at_ms > now_ms());
        if session.is_none() {
            store.remove();
        }
        Ok(Rebilly {
            base,
            publishable_key,
            timeout_ms: 15_000,
            store,
            session: RefCell::new(session),
            changes: Subscribers::default(),
        })
    }

    /// Exchanges `token` (single use unless `invalidate` is false) and stores the JWT.
    pub async fn exchange(
        &self,
        token: OneTimeToken,
        invalidate: bool,
        otp: Option<&str>,
    ) -> Result<JsValue, WebError> {
        let request = rebilly_exchange(
            &self.base,
            &token,
            self.publishable_key.as_deref(),
            invalidate,
            otp,
        )?;
        let response = send(&request, self.timeout_ms).await?;
        let grant = parse_rebilly(&response, now_ms(), parse_date)?;
        let session = RebillySession::from_grant(grant);
        let _ = self
            .store
            .write(&json::stringify(&session.to_value()))
            .await;
        *self.session.borrow_mut() = Some(session);
        self.emit(AuthEvent::SignedIn);
        Ok(self.session_js())
    }

    /// `onChange` callbacks.
    pub fn changes(&self) -> &Subscribers {
        &self.changes
    }

    /// `{token, expiresAt, customerId}` or null (null once expired).
    pub fn session_js(&self) -> JsValue {
        match &*self.session.borrow() {
            Some(s) if s.expires_at_ms > now_ms() => {
                let o = js_sys::Object::new();
                set(&o, "token", &s.token.secret().into());
                set(&o, "expiresAt", &s.expires_at_ms.into());
                set(&o, "customerId", &s.customer_id.as_str().into());
                o.into()
            }
            _ => JsValue::NULL,
        }
    }

    /// Forgets the session (synchronously for the built-in storages).
    pub fn sign_out(&self) {
        let was = self.session.borrow_mut().take().is_some();
        self.store.remove();
        if was {
            self.emit(AuthEvent::SignedOut);
        }
    }

    fn emit(&self, event: AuthEvent) {
        self.changes
            .emit(&event.as_str().into(), &self.session_js());
    }
}
