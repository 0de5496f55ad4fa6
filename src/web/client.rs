//! The client of the JS API (`NexudusAuth`): its public verbs, each a pure request from the
//! core, one `fetch`, a pure check of the answer, and a session handed to the
//! [`SessionStore`]. The parts it is made of own the rest: [`TabState`] (session, schedule,
//! events), [`SessionStore`] (storage, ledger, broadcast), [`Refresher`] (single flight, lock,
//! back-off) and [`Wakeups`] (timer and wake-up listeners).

use super::authorized_fetch::{bind, send_with_bearer};
use super::error::WebError;
use super::fetch::send;
use super::json;
use super::refresher::{Mode, Refresher};
use super::session_store::SessionStore;
use super::storage::Store;
use super::tab_state::{now_ms, TabState};
use super::wakeup::Wakeups;
use crate::core::config::{valid_for_minutes, Config};
use crate::core::error::CoreError;
use crate::core::http::HttpRequest;
use crate::core::jwt::{self, Claims};
use crate::core::requests::{self, refresh_grant};
use crate::core::responses::{
    parse_action, parse_one_time, parse_token, ActionCall, TokenAnswer, TokenCall, TokenGrant,
};
use crate::core::secret::{AccessToken, OneTimeToken, Password};
use crate::core::session::{default_client_id, Session};
use crate::core::sync::AuthEvent;
use crate::core::url::{
    api_url, authenticated_link_url, check_redirect, portal_login_url, with_query,
};
use gloo_timers::callback::Timeout;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::JsValue;

/// What `signIn` needs.
pub struct Credentials {
    /// The customer's email.
    pub email: String,
    /// The customer's password.
    pub password: Password,
    /// A TOTP code, when 2FA is on.
    pub totp: Option<String>,
    /// A `client_id` for this sign-in only.
    pub client_id: Option<String>,
}

/// The claims of a JWT's payload (unverified; see [`crate::core::jwt`]): decoded with `atob`
/// (a binary string of byte values) and read as UTF-8 JSON.
fn claims(token: &str) -> Option<Claims> {
    let binary = web_sys::window()?.atob(&jwt::payload_base64(token)?).ok()?;
    let bytes: Vec<u8> = binary
        .chars()
        .map(|c| u8::try_from(u32::from(c)).ok())
        .collect::<Option<_>>()?;
    Claims::from_value(&json::parse(std::str::from_utf8(&bytes).ok()?)?)
}

/// One `NexudusAuth` instance.
pub struct Client {
    cfg: Config,
    state: Rc<TabState>,
    store: Rc<SessionStore>,
    refresher: Rc<Refresher>,
    wakeups: Rc<Wakeups>,
    /// The one-shot announcement of what `create` found (warnings, a discarded session).
    announce: RefCell<Option<Timeout>>,
}

impl Client {
    /// Opens the storage, restores a stored session (a corrupt one is discarded and announced),
    /// and starts the background refresh and the cross-tab sync.
    pub async fn create(cfg: Config, storage: &JsValue) -> Result<Rc<Client>, WebError> {
        let (store, open_warning) = Store::open(storage, cfg.storage_key.clone())?;
        let (aside, _) = Store::open(storage, [cfg.storage_key.as_str(), ":admin"].concat())?;
        let state = Rc::new(TabState::new(cfg.refresh_leeway_ms));
        let store = Rc::new(SessionStore::new(store, aside, state.clone()));
        let (discarded, read_warning) = store.restore().await;
        store.listen();
        let refresher = Rc::new(Refresher::new(
            cfg.base_url.clone(),
            cfg.timeout_ms,
            state.clone(),
            store.clone(),
        ));
        let wakeups = Wakeups::start(state.clone(), refresher.clone(), cfg.auto_refresh);
        // Callers subscribe right after `create` resolves: announce on a fresh task.
        let announced = state.clone();
        let announce = Timeout::new(0, move || {
            for w in [open_warning, read_warning].into_iter().flatten() {
                announced.warn(&w);
            }
            if discarded {
                announced.warn(&WebError::Storage(
                    "The stored session was unreadable and has been discarded.",
                ));
                announced.emit(AuthEvent::SignedOut);
            }
        });
        Ok(Rc::new(Client {
            cfg,
            state,
            store,
            refresher,
            wakeups,
            announce: RefCell::new(Some(announce)),
        }))
    }

    /// The session as the plain JS object of the contract, or null.
    pub fn session_js(&self) -> JsValue {
        self.state.session_js()
    }

    /// This client's session, schedule and subscribers.
    pub fn state(&self) -> &TabState {
        &self.state
    }

    /// The next scheduled refresh (ms epoch), if any.
    pub fn next_refresh_at(&self) -> Option<f64> {
        self.wakeups.next_refresh_at()
    }

    /// `POST /api/token` with the password grant; stores and announces the session.
    pub async fn sign_in(&self, c: Credentials) -> Result<Rc<Session>, WebError> {
        let client_id = c
            .client_id
            .or_else(|| self.cfg.client_id.clone())
            .unwrap_or_else(|| default_client_id(&c.email));
        let request = requests::password_grant(
            &self.cfg.base_url,
            &c.email,
            &c.password,
            c.totp.as_deref(),
            &client_id,
        );
        let grant = self.token_call(&request, TokenCall::SignIn).await?;
        let session = Session::from_grant(grant, now_ms(), client_id, Some(c.email));
        Ok(self
            .store
            .establish(Rc::new(session), AuthEvent::SignedIn)
            .await)
    }

    /// `POST /api/sys/users/exchange`: a one-time JWT (magic link, sign-up, reset) to a session,
    /// stored and announced.
    pub async fn exchange(
        &self,
        token: OneTimeToken,
        minutes: Option<f64>,
    ) -> Result<Rc<Session>, WebError> {
        let session = self.exchanged(token, minutes, None).await?;
        Ok(self.store.establish(session, AuthEvent::SignedIn).await)
    }

    /// The session a one-time JWT exchanges for (not stored yet), acting for `impersonating`.
    async fn exchanged(
        &self,
        token: OneTimeToken,
        minutes: Option<f64>,
        impersonating: Option<u64>,
    ) -> Result<Rc<Session>, WebError> {
        let minutes = match minutes {
            None => self.cfg.token_lifetime_minutes,
            m => valid_for_minutes(m)?,
        };
        let email = claims(token.secret()).and_then(Claims::subject);
        let client_id = self
            .cfg
            .client_id
            .clone()
            .or_else(|| email.as_deref().map(default_client_id));
        let request = requests::exchange(&self.cfg.base_url, &token, minutes, client_id.as_deref());
        let grant = self.token_call(&request, TokenCall::Exchange).await?;
        // Without a client_id header the server binds the refresh token to the email.
        let email = email.or_else(|| claims(grant.access_token.secret()).and_then(|c| c.email));
        let client_id = client_id.or_else(|| email.clone()).unwrap_or_default();
        let mut session = Session::from_grant(grant, now_ms(), client_id, email);
        session.impersonating = impersonating;
        Ok(Rc::new(session))
    }

    async fn token_call(
        &self,
        request: &HttpRequest,
        call: TokenCall,
    ) -> Result<TokenGrant, WebError> {
        let response = send(request, self.cfg.timeout_ms).await?;
        Ok(parse_token(&response, call)?)
    }

    /// `refresh()`: refreshes now (one refresh across every tab that shares the storage).
    pub async fn refresh(&self) -> Result<Rc<Session>, WebError> {
        self.refresher.refresh(Mode::Forced).await
    }

    /// `getAccessToken()`: the current token, refreshed first when due.
    pub async fn access_token(&self) -> Result<String, WebError> {
        self.refresher.access_token().await
    }

    /// `auth.fetch`: the bearer added, refreshed first when due; on a 401 refreshed once and
    /// retried once (never when the body was a one-shot stream: then `onWarning` is told).
    pub async fn fetch(
        &self,
        input: JsValue,
        init: JsValue,
    ) -> Result<web_sys::Response, WebError> {
        let bound = bind(&self.cfg.base_url, &input, &init)?;
        let timeout = bound.timed.then_some(self.cfg.timeout_ms);
        let token = self.access_token().await?;
        let response = send_with_bearer(&bound.request, &token, timeout).await?;
        if response.status() != 401 {
            return Ok(response);
        }
        let Some(retry) = bound.retry else {
            // The caller gets the 401 as it came; onWarning says why it was not retried.
            self.state.warn(&WebError::NotRetried);
            return Ok(response);
        };
        let fresh = self.refresher.refresh(Mode::Forced).await?;
        send_with_bearer(&retry, fresh.access_token.secret(), timeout).await
    }

    /// `POST /api/sys/users/token/refresh` with the bearer token: a one-time `t` for links.
    async fn one_time_server_token(&self) -> Result<String, WebError> {
        let access = AccessToken::new(self.access_token().await?);
        let request = requests::one_time_token(&self.cfg.base_url, &access);
        let response = send(&request, self.cfg.timeout_ms).await?;
        parse_action(&response, ActionCall::OneTimeToken)?.ok_or(
            CoreError::BadResponse {
                status: response.status,
                reason: "missing one-time token",
            }
            .into(),
        )
    }

    /// `${portalUrl}/user/login?server=true&t=…&redirectUrl=…` (redirect checked against the portal).
    pub async fn authenticated_link(&self, redirect_url: &str) -> Result<String, WebError> {
        check_redirect(
            &self.cfg.portal_url,
            &self.cfg.allowed_redirect_origins,
            redirect_url,
        )?;
        let t = self.one_time_server_token().await?;
        Ok(authenticated_link_url(
            self.cfg.portal_url.as_str(),
            &t,
            redirect_url,
        ))
    }

    /// `${portalUrl}/login?t=…[&redirectUrl=…]`.
    pub async fn portal_login_url(&self, redirect_url: Option<&str>) -> Result<String, WebError> {
        if let Some(r) = redirect_url {
            check_redirect(&self.cfg.portal_url, &self.cfg.allowed_redirect_origins, r)?;
        }
        let t = self.one_time_server_token().await?;
        Ok(portal_login_url(
            self.cfg.portal_url.as_str(),
            &t,
            redirect_url,
        ))
    }

    /// `POST /api/sys/users/startPasswordReset` (same answer whether or not the email exists).
    pub async fn start_password_reset(
        &self,
        email: &str,
        business_id: Option<f64>,
    ) -> Result<(), WebError> {
        let request = requests::start_password_reset(
            &self.cfg.base_url,
            email,
            business_id.or(self.cfg.business_id),
        );
        let response = send(&request, self.cfg.timeout_ms).await?;
        parse_action(&response, ActionCall::StartPasswordReset)?;
        Ok(())
    }

    /// `POST /api/sys/users/completePasswordReset`, then the returned JWT is exchanged at once.
    pub async fn complete_password_reset(
        &self,
        token: OneTimeToken,
        password: Password,
        business_id: Option<f64>,
    ) -> Result<Rc<Session>, WebError> {
        let request = requests::complete_password_reset(
            &self.cfg.base_url,
            &token,
            &password,
            business_id.or(self.cfg.business_id),
        );
        let response = send(&request, self.cfg.timeout_ms).await?;
        let jwt = parse_action(&response, ActionCall::CompletePasswordReset)?.ok_or(
            CoreError::BadResponse {
                status: response.status,
                reason: "missing sign-in token",
            },
        )?;
        self.exchange(OneTimeToken::new(jwt), None).await
    }

    /// `auth.mediaUrl(path)`: the file URL on the API with a short-lived media JWT as `t`.
    pub async fn media_url(&self, path: &str) -> Result<String, WebError> {
        let url = api_url(&self.cfg.base_url, path)?;
        let t = self.one_time(TokenAnswer::Media, None).await?;
        Ok(with_query(&url, "t", t.secret()))
    }

    /// A `{jwt}` / `{token}` answer to a GET with the bearer token (refreshed first when due).
    async fn one_time(
        &self,
        answer: TokenAnswer,
        coworker_id: Option<u64>,
    ) -> Result<OneTimeToken, WebError> {
        let access = AccessToken::new(self.access_token().await?);
        let base = &self.cfg.base_url;
        let request = match coworker_id {
            Some(id) => requests::impersonation_token(base, &access, id),
            None => requests::media_token(base, &access),
        };
        let response = send(&request, self.cfg.timeout_ms).await?;
        Ok(parse_one_time(&response, answer)?)
    }

    /// `auth.impersonate(coworkerId)`: a team admin acts for a member. The admin's session is
    /// kept aside (never exposed to JS); the member's becomes current and `SIGNED_IN` fires in
    /// every tab. A refusal changes nothing.
    pub async fn impersonate(&self, coworker_id: u64) -> Result<Rc<Session>, WebError> {
        if self.impersonating().is_some() {
            return Err(WebError::config(
                "stop impersonating before acting for another member",
            ));
        }
        let token = self
            .one_time(TokenAnswer::Impersonation, Some(coworker_id))
            .await?;
        let admin = self.state.current().ok_or(CoreError::NotSignedIn)?;
        let member = self.exchanged(token, None, Some(coworker_id)).await?;
        self.store.set_aside(&admin).await;
        Ok(self.store.establish(member, AuthEvent::SignedIn).await)
    }

    /// `auth.impersonating`: the coworker id being acted for, if any.
    pub fn impersonating(&self) -> Option<u64> {
        self.state.current().and_then(|s| s.impersonating)
    }

    /// `auth.stopImpersonating()`: drops the member's session and restores the admin's
    /// (refreshed first when due, with its own refresh token and `client_id`).
    pub async fn stop_impersonating(&self) -> Result<Rc<Session>, WebError> {
        if self.impersonating().is_none() {
            return Err(WebError::config("not impersonating"));
        }
        let admin = self.store.aside().await.ok_or(CoreError::NotSignedIn)?;
        let now = now_ms();
        let admin = if admin.needs_refresh(now, self.cfg.refresh_leeway_ms) {
            self.refreshed(&admin).await?
        } else {
            Rc::new(admin)
        };
        self.store.clear_aside();
        Ok(self.store.establish(admin, AuthEvent::SignedIn).await)
    }

    /// A refresh of a session that is not the current one (the admin's, kept aside).
    async fn refreshed(&self, session: &Session) -> Result<Rc<Session>, WebError> {
        let refresh_token = session
            .refresh_token
            .as_ref()
            .ok_or(CoreError::NotSignedIn)?;
        let request = refresh_grant(&self.cfg.base_url, refresh_token, &session.client_id);
        let grant = self.token_call(&request, TokenCall::Refresh).await?;
        Ok(Rc::new(session.rotated(grant, now_ms())))
    }

    /// Signs out here and in every tab that shares the storage.
    pub fn sign_out(&self) {
        self.store.sign_out();
    }

    /// Stops the timer and removes every listener and callback.
    pub fn dispose(&self) {
        self.wakeups.stop();
        self.store.close();
        self.announce.borrow_mut().take();
        self.state.changes().clear();
        self.state.warnings().clear();
    }
}
