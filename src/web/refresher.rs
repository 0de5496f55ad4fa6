//! Refreshing without ever logging the customer out by accident.
//!
//! * In one tab, concurrent callers share one refresh (a [`Flight`]); each of them gets that
//!   refresh's own result, error included.
//! * Across tabs, a Web Lock keyed by storage key + client id serialises refreshes. Under the
//!   lock the freshest copy (this tab's, updated by other tabs' messages, the stored one, and the
//!   IndexedDB ledger the previous holder wrote) decides between adopting another tab's rotation
//!   and refreshing ([`crate::core::sync`]). Why the ledger:
//!   docs/PLATFORM.md#cross-tab-storage-order.
//! * After the answer, the refresh is kept only if this tab still holds the session it
//!   decided to refresh (or the copy it refreshed), and `invalid_grant` signs out only when no
//!   other tab holds a newer session.
//! * Events are fired only after the lock is released.

use super::error::WebError;
use super::fetch::send;
use super::lock::lock;
use super::session_store::SessionStore;
use super::tab_state::{now_ms, TabState};
use crate::core::error::{CoreError, ErrorCode};
use crate::core::requests::refresh_grant;
use crate::core::responses::{parse_token, TokenCall};
use crate::core::scheduler::RefreshOutcome;
use crate::core::session::Session;
use crate::core::sync::{
    after_lock, after_lost_rotation, after_refresh, freshest, wait_for_handoff, AfterLock,
    AfterRefresh, AuthEvent, LostRotation,
};
use crate::core::url::BaseUrl;
use js_sys::Promise;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::{future_to_promise, JsFuture};

/// How long a tab that waited for the lock waits for the holder's message.
const HANDOFF_WAIT_MS: f64 = 750.0;

/// Why a refresh is attempted.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// A caller needs a token (`getAccessToken`, `fetch`): only when due, and not while backing off.
    OnDemand,
    /// The scheduler decided it is time (timer or wake-up).
    Scheduled,
    /// `refresh()` or a 401: always, unless another tab just did it.
    Forced,
}

type Outcome = Rc<RefCell<Option<Result<(), Rc<WebError>>>>>;

/// The refresh in flight in this tab: a promise that settles when it is done, and its result.
#[derive(Clone)]
struct Flight {
    done: Promise,
    outcome: Outcome,
}

/// Refreshes one client's session.
pub struct Refresher {
    base_url: BaseUrl,
    timeout_ms: u32,
    state: Rc<TabState>,
    store: Rc<SessionStore>,
    flight: RefCell<Option<Flight>>,
    /// The last transient failure, handed to on-demand callers while the schedule backs off.
    last_failure: RefCell<Option<Rc<WebError>>>,
}

impl Refresher {
    /// A refresher for the session in `state`, kept in `store`.
    pub fn new(
        base_url: BaseUrl,
        timeout_ms: u32,
        state: Rc<TabState>,
        store: Rc<SessionStore>,
    ) -> Refresher {
        Refresher {
            base_url,
            timeout_ms,
            state,
            store,
            flight: RefCell::new(None),
            last_failure: RefCell::new(None),
        }
    }

    /// `getAccessToken()`: the current token, refreshed first when due. A failed refresh is
    /// only an error once the token has expired; until then the still-valid token is returned.
    pub async fn access_token(self: &Rc<Self>) -> Result<String, WebError> {
        // Signed out is never due, and then there is no token below.
        if self.state.is_due(now_ms()) {
            if let Err(e) = self.refresh(Mode::OnDemand).await {
                if self.state.is_expired(now_ms()) {
                    return Err(e);
                }
            }
        }
        self.state
            .access_token()
            .ok_or(CoreError::NotSignedIn.into())
    }

    /// One refresh per tab at a time: concurrent callers join the flight in progress.
    pub async fn refresh(self: &Rc<Self>, mode: Mode) -> Result<Rc<Session>, WebError> {
        let flight = self.flight.borrow().clone();
        let flight = match flight {
            Some(f) => f,
            None => self.start(mode),
        };
        let _ = JsFuture::from(flight.done).await;
        let outcome = flight.outcome.borrow().clone();
        match outcome {
            Some(Ok(())) => {}
            Some(Err(e)) => return Err(WebError::Shared(e)),
            None => return Err(WebError::Network),
        }
        self.state.current().ok_or(CoreError::NotSignedIn.into())
    }

    /// Starts a refresh in the background unless one is in flight; its result is kept by the
    /// scheduler (back-off) or ends the session, so nobody waits for it (the timer, a wake-up).
    pub fn kick(self: &Rc<Self>, mode: Mode) {
        if self.flight.borrow().is_none() {
            self.start(mode);
        }
    }

    fn start(self: &Rc<Self>, mode: Mode) -> Flight {
        let outcome: Outcome = Rc::default();
        let (me, out) = (self.clone(), outcome.clone());
        let done = future_to_promise(async move {
            let result = me.run(mode).await;
            *out.borrow_mut() = Some(result);
            me.flight.borrow_mut().take();
            Ok(JsValue::UNDEFINED)
        });
        let flight = Flight { done, outcome };
        *self.flight.borrow_mut() = Some(flight.clone());
        flight
    }

    async fn run(self: &Rc<Self>, mode: Mode) -> Result<(), Rc<WebError>> {
        let before = self
            .state
            .current()
            .ok_or_else(|| Rc::new(CoreError::NotSignedIn.into()))?;
        let now = now_ms();
        if mode == Mode::OnDemand {
            if !self.state.is_due(now) {
                return Ok(());
            }
            if !self.state.may_refresh(now) {
                let last = self.last_failure.borrow().clone();
                return Err(last.unwrap_or_else(|| Rc::new(WebError::Network)));
            }
        }
        self.state.begin_refresh();
        let guard = if self.store.shared() {
            let name = ["nexudus-auth:", self.store.key(), ":", &before.client_id].concat();
            lock(&name, f64::from(self.timeout_ms) + 5_000.0).await
        } else {
            None
        };
        self.state.hold(guard.is_some());
        let waited = guard.as_ref().is_some_and(|g| g.waited);
        let result = self
            .under_lock(&before, mode == Mode::Forced, waited)
            .await
            .map_err(Rc::new);
        *self.last_failure.borrow_mut() = result.as_ref().err().cloned();
        drop(guard);
        self.state.settle();
        self.state.hold(false);
        result
    }

    async fn under_lock(
        &self,
        before: &Session,
        forced: bool,
        waited: bool,
    ) -> Result<(), WebError> {
        let mut current = self.freshest().await;
        if wait_for_handoff(before, current.as_ref(), waited) {
            self.state.wait_for_update(HANDOFF_WAIT_MS).await;
            current = self.freshest().await;
        }
        match after_lock(before, current.as_ref(), forced, waited, now_ms()) {
            AfterLock::NotSignedIn => return Err(CoreError::NotSignedIn.into()),
            AfterLock::Adopt => {
                self.state.adopt(current, AuthEvent::TokenRefreshed);
                return Ok(());
            }
            AfterLock::Refresh => {}
        }
        let Some(used) = current else {
            return Err(CoreError::NotSignedIn.into());
        };
        let Some(refresh_token) = used.refresh_token.clone() else {
            return Err(CoreError::NotSignedIn.into());
        };
        let request = refresh_grant(&self.base_url, &refresh_token, &used.client_id);
        let answer = match send(&request, self.timeout_ms).await {
            Ok(response) => parse_token(&response, TokenCall::Refresh).map_err(WebError::from),
            Err(e) => Err(e),
        };
        match answer {
            Ok(grant) => {
                let fresh = used.rotated(grant, now_ms());
                match after_refresh(self.state.current().as_deref(), before, &used) {
                    AfterRefresh::SignedOut => Err(CoreError::NotSignedIn.into()),
                    AfterRefresh::Discard => Ok(()),
                    AfterRefresh::Keep => {
                        self.store
                            .establish(Rc::new(fresh), AuthEvent::TokenRefreshed)
                            .await;
                        Ok(())
                    }
                }
            }
            Err(e) if e.code() == ErrorCode::SessionExpired => {
                // Lost a rotation race with a tab we could not see yet? Then keep the newer session.
                self.state.wait_for_update(HANDOFF_WAIT_MS / 3.0).await;
                let latest = self.freshest().await;
                match after_lost_rotation(&used, latest.as_ref()) {
                    LostRotation::Adopt => {
                        self.state.adopt(latest, AuthEvent::TokenRefreshed);
                        Ok(())
                    }
                    LostRotation::SignOut => {
                        self.state.refresh_failed(RefreshOutcome::Fatal);
                        self.store.sign_out();
                        Err(e)
                    }
                }
            }
            Err(e) => {
                let retry_after_ms = e.retry_after_s().map(|s| s * 1000.0);
                self.state
                    .refresh_failed(RefreshOutcome::Transient { retry_after_ms });
                Err(e)
            }
        }
    }

    /// The freshest session this tab can see ([`freshest`] of its own copy and the shared ones).
    async fn freshest(&self) -> Option<Session> {
        let copies = self.store.copies().await;
        freshest(self.state.current().map(|s| Session::clone(&s)), copies)
    }
}
