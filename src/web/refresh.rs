//! Refreshing without ever logging the customer out by accident.
//!
//! * In one tab, concurrent callers share one refresh (a shared Promise).
//! * Across tabs, a Web Lock keyed by storage key + client id serialises refreshes, with a double
//!   check: after taking the lock, the freshest session (this tab's copy, updated by other tabs'
//!   BroadcastChannel messages and `storage` events, and the stored copy) is compared with the
//!   one that looked stale; when another tab already rotated the refresh token it is adopted and
//!   no request is made. A tab that had to wait also waits briefly for the holder's message,
//!   because Chromium does not order `localStorage` after Web Locks (PITFALLS 3); the holder
//!   also records its session in an IndexedDB ledger before releasing the lock, which the next
//!   holder reads (IndexedDB is never stale after the hand-off).
//! * After the request, this tab's copy is checked again so a sign-out or another sign-in that
//!   happened meanwhile is not overwritten, and `invalid_grant` signs out only when no other tab
//!   holds a newer refresh token.
//! * Events are fired only after the lock is released.

use super::client::{same_session, Inner};
use super::clock::{jitter, now_ms};
use super::error::WebError;
use super::events::AuthEvent;
use super::fetch::send;
use super::lock::lock;
use super::timer::sleep;
use crate::core::error::{CoreError, ErrorCode};
use crate::core::requests::refresh_grant;
use crate::core::responses::{parse_token, TokenCall};
use crate::core::scheduler::RefreshOutcome;
use crate::core::session::Session;
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

impl Inner {
    /// Whether the session is due for a refresh now (the scheduler's refresh point, or expiry).
    pub fn is_due(&self, now: f64) -> bool {
        let st = self.state.borrow();
        match &st.session {
            None => false,
            Some(s) => st.scheduler.refresh_due(s.expires_at_ms, now) || s.is_expired(now),
        }
    }

    /// `getAccessToken()`: the current token, refreshed first when due.
    pub async fn access_token(self: &Rc<Self>) -> Result<String, WebError> {
        let now = now_ms();
        if self.state.borrow().session.is_none() {
            return Err(CoreError::NotSignedIn.into());
        }
        if self.is_due(now) {
            if let Err(e) = self.refresh_shared(Mode::OnDemand).await {
                // A failed refresh is remembered briefly; a still-valid token is good enough.
                if self.current_expired() {
                    return Err(e);
                }
            }
        }
        let st = self.state.borrow();
        st.session
            .as_ref()
            .map(|s| s.access_token.secret().to_string())
            .ok_or(CoreError::NotSignedIn.into())
    }

    fn current_expired(&self) -> bool {
        let now = now_ms();
        self.state
            .borrow()
            .session
            .as_ref()
            .is_none_or(|s| s.is_expired(now))
    }

    /// One refresh per tab at a time: concurrent callers await the same promise.
    pub async fn refresh_shared(self: &Rc<Self>, mode: Mode) -> Result<Session, WebError> {
        let existing = self.inflight.borrow().clone();
        let promise = match existing {
            Some(p) => p,
            None => {
                let me = self.clone();
                let p = future_to_promise(async move {
                    let result = me.refresh_locked(mode).await;
                    *me.inflight.borrow_mut() = None;
                    match result {
                        Ok(_) => Ok(JsValue::UNDEFINED),
                        Err(e) => {
                            me.state.borrow_mut().last_error = Some(e.clone());
                            Err(JsValue::UNDEFINED)
                        }
                    }
                });
                *self.inflight.borrow_mut() = Some(p.clone());
                p
            }
        };
        let outcome = JsFuture::from(promise).await;
        let st = self.state.borrow();
        match (outcome, &st.session) {
            (Ok(_), Some(s)) => Ok(s.clone()),
            (Ok(_), None) => Err(CoreError::NotSignedIn.into()),
            (Err(_), _) => Err(st.last_error.clone().unwrap_or(WebError::Network)),
        }
    }

    async fn refresh_locked(self: &Rc<Self>, mode: Mode) -> Result<(), WebError> {
        let before = self
            .state
            .borrow()
            .session
            .clone()
            .ok_or(CoreError::NotSignedIn)?;
        let now = now_ms();
        if mode == Mode::OnDemand {
            if !self.is_due(now) {
                return Ok(());
            }
            if !self.state.borrow().scheduler.may_refresh(now) {
                return Err(self
                    .state
                    .borrow()
                    .last_error
                    .clone()
                    .unwrap_or(WebError::Network));
            }
        }
        self.state.borrow_mut().scheduler.begin_refresh(now);
        let guard = if self.store.shared_across_tabs() {
            let name = format!("nexudus-auth:{}:{}", self.store.key(), before.client_id);
            lock(&name, f64::from(self.cfg.timeout_ms) + 5_000.0).await
        } else {
            None
        };
        self.holding.set(guard.is_some());
        let waited = guard.as_ref().is_some_and(|g| g.waited);
        let result = self
            .refresh_with(&before, mode == Mode::Forced, waited)
            .await;
        drop(guard);
        self.settle_schedule();
        self.released();
        result
    }

    async fn refresh_with(
        self: &Rc<Self>,
        before: &Session,
        force: bool,
        waited: bool,
    ) -> Result<(), WebError> {
        // Double check: did another tab refresh (or sign out) while we waited for the lock?
        let mut current = self.freshest().await;
        if waited && current.as_ref().is_some_and(|c| same_session(c, before)) {
            self.wait_for_update(HANDOFF_WAIT_MS).await;
            current = self.freshest().await;
        }
        let Some(current) = current else {
            return Err(CoreError::NotSignedIn.into());
        };
        let rotated_elsewhere = !same_session(&current, before);
        if rotated_elsewhere && (waited || !force || !current.is_expired(now_ms())) {
            self.adopt_remote(Some(current), AuthEvent::TokenRefreshed);
            return Ok(());
        }
        let Some(refresh_token) = current.refresh_token.clone() else {
            return Err(CoreError::NotSignedIn.into());
        };
        let request = refresh_grant(&self.cfg.base_url, &refresh_token, &current.client_id);
        let answer = match send(&request, self.cfg.timeout_ms).await {
            Ok(response) => parse_token(&response, TokenCall::Refresh).map_err(WebError::from),
            Err(e) => Err(e),
        };
        match answer {
            Ok(grant) => {
                let fresh = Session::from_grant(
                    grant,
                    now_ms(),
                    current.client_id.clone(),
                    current.email.clone(),
                );
                // Our rotation succeeded, so `current`'s refresh token is dead and `fresh` is the
                // one to keep, unless this tab's copy (kept current by other tabs' messages and
                // `storage` events, unlike a possibly stale `localStorage` read) changed meanwhile:
                // a sign-out must stay signed out, another sign-in must not be overwritten.
                match &self.state.borrow().session {
                    None => return Err(CoreError::NotSignedIn.into()),
                    Some(mine) if !same_session(mine, &current) => return Ok(()),
                    Some(_) => {}
                }
                self.establish(fresh, AuthEvent::TokenRefreshed).await;
                Ok(())
            }
            Err(e) if e.code() == ErrorCode::SessionExpired => {
                // Lost a rotation race with a tab we could not see yet? Then keep the newer session.
                self.wait_for_update(HANDOFF_WAIT_MS / 3.0).await;
                if let Some(latest) = self.freshest().await {
                    if !same_session(&latest, &current) {
                        self.adopt_remote(Some(latest), AuthEvent::TokenRefreshed);
                        return Ok(());
                    }
                }
                self.state.borrow_mut().scheduler.handle_refresh_result(
                    now_ms(),
                    RefreshOutcome::Fatal,
                    jitter(),
                );
                self.sign_out();
                Err(e)
            }
            Err(e) => {
                let retry_after_ms = e.retry_after_s().map(|s| s * 1000.0);
                self.state.borrow_mut().scheduler.handle_refresh_result(
                    now_ms(),
                    RefreshOutcome::Transient { retry_after_ms },
                    jitter(),
                );
                self.reschedule();
                Err(e)
            }
        }
    }

    /// Leaves the `Refreshing` phase when no outcome moved it (e.g. another tab's identical
    /// session was adopted), so the schedule can never stall.
    fn settle_schedule(self: &Rc<Self>) {
        let stalled = {
            let mut st = self.state.borrow_mut();
            let stalled = st.scheduler.phase() == crate::core::scheduler::Phase::Refreshing;
            if stalled {
                let expiry = st.session.as_ref().map(|s| s.expires_at_ms);
                st.scheduler.handle_session(expiry, now_ms(), jitter());
            }
            stalled
        };
        if stalled {
            self.reschedule();
        }
    }

    /// The freshest session this tab can see: the latest (by expiry) of its own copy (kept
    /// current by other tabs' messages), the stored copy, and the ledger the last lock holder
    /// wrote to IndexedDB (never stale after a lock hand-off, unlike `localStorage`).
    async fn freshest(self: &Rc<Self>) -> Option<Session> {
        let mine = self.state.borrow().session.clone();
        if !self.store.shared_across_tabs() {
            return mine;
        }
        let (stored, _) = self.store.read().await;
        let ledger = super::ledger::read(self.store.key()).await;
        let mut best = mine;
        for candidate in [stored, ledger].into_iter().flatten() {
            let Ok(c) = Session::decode(&candidate) else {
                continue;
            };
            // Another identity is another sign-in (announced by its own message), not a rotation.
            let newer_rotation = |b: &Session| {
                b.client_id == c.client_id
                    && b.email == c.email
                    && c.expires_at_ms > b.expires_at_ms
            };
            if best.as_ref().is_none_or(newer_rotation) {
                best = Some(c);
            }
        }
        best
    }

    /// Resolves when another tab's update arrives, or after `ms`.
    async fn wait_for_update(&self, ms: f64) {
        let promise =
            js_sys::Promise::new(&mut |resolve, _| self.waiters.borrow_mut().push(resolve));
        let timeout = sleep(ms);
        futures_select(JsFuture::from(promise), timeout).await;
    }
}

/// Awaits whichever of two futures finishes first (tiny, to avoid the `futures` crate).
async fn futures_select(a: JsFuture, b: impl std::future::Future<Output = ()>) {
    use std::future::Future;
    use std::pin::pin;
    use std::task::Poll;
    let mut a = pin!(a);
    let mut b = pin!(b);
    std::future::poll_fn(|cx| {
        if a.as_mut().poll(cx).is_ready() || b.as_mut().poll(cx).is_ready() {
            Poll::Ready(())
        } else {
            Poll::Pending
        }
    })
    .await
}
