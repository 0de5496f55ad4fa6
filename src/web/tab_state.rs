//! This tab's view of the session: the current session, its refresh schedule (the core's
//! [`Scheduler`]), and the `onChange` / `onWarning` subscribers. Events wait while this tab
//! holds the refresh lock, so a callback that calls back into the client cannot deadlock
//! (docs/PLATFORM.md#callbacks-under-lock).

use super::error::WebError;
use super::events::Subscribers;
use crate::core::scheduler::{Phase, RefreshOutcome, Scheduler, SchedulerConfig};
use crate::core::session::Session;
use crate::core::sync::{adopt_event, AuthEvent};
use gloo_timers::callback::Timeout;
use js_sys::{Function, Object, Promise};
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::JsFuture;

/// Milliseconds since the Unix epoch, as `Date.now()`.
pub fn now_ms() -> f64 {
    js_sys::Date::now()
}

/// Browsers keep timeouts as a signed 32-bit number of ms; a longer delay would fire at once.
const MAX_DELAY_MS: f64 = 2_147_483_647.0;

/// A delay for `setTimeout`: rounded up (a timer may fire a fraction of a ms early) and
/// clamped to what browsers accept.
pub fn timer_delay(ms: f64) -> u32 {
    ms.ceil().clamp(0.0, MAX_DELAY_MS) as u32
}

/// A number in `[0, 1)` from `Math.random()`, used as refresh jitter so tabs do not align.
fn jitter() -> f64 {
    js_sys::Math::random()
}

/// The session, schedule and subscribers of one client in this tab.
pub struct TabState {
    session: RefCell<Option<Rc<Session>>>,
    scheduler: RefCell<Scheduler>,
    leeway_ms: f64,
    changes: Subscribers,
    warnings: Subscribers,
    holding: Cell<bool>,
    queued: RefCell<Vec<AuthEvent>>,
    waiters: RefCell<Vec<Function>>,
    on_schedule: RefCell<Option<Box<dyn Fn()>>>,
}

impl TabState {
    /// Signed out, refreshing `leeway_ms` before expiry (capped at half the lifetime).
    pub fn new(leeway_ms: f64) -> TabState {
        TabState {
            session: RefCell::new(None),
            scheduler: RefCell::new(Scheduler::new(SchedulerConfig {
                leeway_ms,
                ..SchedulerConfig::default()
            })),
            leeway_ms,
            changes: Subscribers::default(),
            warnings: Subscribers::default(),
            holding: Cell::new(false),
            queued: RefCell::new(Vec::new()),
            waiters: RefCell::new(Vec::new()),
            on_schedule: RefCell::new(None),
        }
    }

    /// The current session (shared, not copied).
    pub fn current(&self) -> Option<Rc<Session>> {
        self.session.borrow().clone()
    }

    /// The current access token, copied (without copying the rest of the session).
    pub fn access_token(&self) -> Option<String> {
        self.session
            .borrow()
            .as_ref()
            .map(|s| s.access_token.secret().to_string())
    }

    /// The session as the plain JS object of the contract, or null.
    pub fn session_js(&self) -> JsValue {
        self.session
            .borrow()
            .as_deref()
            .map_or(JsValue::NULL, session_object)
    }

    /// Whether the session is at or past its refresh point (the same in every tab).
    pub fn is_due(&self, now: f64) -> bool {
        self.session
            .borrow()
            .as_ref()
            .is_some_and(|s| s.needs_refresh(now, self.leeway_ms))
    }

    /// Whether there is no session or it has expired.
    pub fn is_expired(&self, now: f64) -> bool {
        self.session
            .borrow()
            .as_ref()
            .is_none_or(|s| s.is_expired(now))
    }

    /// `onChange` callbacks.
    pub fn changes(&self) -> &Subscribers {
        &self.changes
    }

    /// `onWarning` callbacks.
    pub fn warnings(&self) -> &Subscribers {
        &self.warnings
    }

    /// Calls `f` after every change of the schedule (the timer re-arms itself with it).
    pub fn on_schedule(&self, f: Box<dyn Fn()>) {
        *self.on_schedule.borrow_mut() = Some(f);
    }

    fn scheduled(&self) {
        if let Some(f) = &*self.on_schedule.borrow() {
            f();
        }
    }

    /// Replaces this tab's session and reschedules (no storage write, no event); wakes the
    /// callers waiting for another tab's update.
    pub fn set(&self, session: Option<Rc<Session>>) {
        self.scheduler.borrow_mut().handle_session(
            session.as_deref().map(Session::lifetime),
            now_ms(),
            jitter(),
        );
        *self.session.borrow_mut() = session;
        self.scheduled();
        let waiters: Vec<Function> = self.waiters.borrow_mut().drain(..).collect();
        for resolve in waiters {
            let _ = resolve.call0(&JsValue::UNDEFINED);
        }
    }

    /// Another tab changed the session: adopt it and fire the event [`adopt_event`] chooses.
    pub fn adopt(&self, remote: Option<Session>, hint: AuthEvent) {
        let event = adopt_event(self.session.borrow().as_deref(), remote.as_ref(), hint);
        if let Some(event) = event {
            self.set(remote.map(Rc::new));
            self.emit(event);
        }
    }

    /// Fires `event` to `onChange` callbacks, or queues it while the refresh lock is held.
    pub fn emit(&self, event: AuthEvent) {
        if self.holding.get() {
            self.queued.borrow_mut().push(event);
            return;
        }
        self.changes
            .emit(&event.as_str().into(), &self.session_js());
    }

    /// Marks the refresh lock as held (`true`) or released; on release fires what was queued.
    pub fn hold(&self, held: bool) {
        self.holding.set(held);
        if !held {
            let queued: Vec<AuthEvent> = self.queued.borrow_mut().drain(..).collect();
            for event in queued {
                self.emit(event);
            }
        }
    }

    /// Reports a warning (e.g. storage fell back to memory) to `onWarning` callbacks.
    pub fn warn(&self, warning: &WebError) {
        self.warnings.emit(&warning.to_js(), &JsValue::UNDEFINED);
    }

    /// Resolves when another tab's update arrives, or after `ms`.
    pub async fn wait_for_update(&self, ms: f64) {
        let mut resolver = None;
        let promise = Promise::new(&mut |resolve, _| resolver = Some(resolve));
        let Some(resolve) = resolver else { return };
        self.waiters.borrow_mut().push(resolve.clone());
        let _timer = Timeout::new(timer_delay(ms), move || {
            let _ = resolve.call0(&JsValue::UNDEFINED);
        });
        let _ = JsFuture::from(promise).await;
    }

    /// The scheduler's next wake-up (ms epoch), if any.
    pub fn deadline(&self) -> Option<f64> {
        self.scheduler.borrow().poll_timeout()
    }

    /// The timer fired or the page woke up: `true` when a scheduled refresh must start now.
    pub fn wake(&self, now: f64) -> bool {
        let due = self.scheduler.borrow_mut().handle_timeout(now);
        self.scheduled();
        due
    }

    /// `false` while backing off after a failed refresh.
    pub fn may_refresh(&self, now: f64) -> bool {
        self.scheduler.borrow().may_refresh(now)
    }

    /// Enters the refreshing phase (no timer while a refresh is in flight).
    pub fn begin_refresh(&self) {
        self.scheduler.borrow_mut().begin_refresh();
        self.scheduled();
    }

    /// A refresh failed: back off (`Transient`) or end the schedule (`Fatal`).
    pub fn refresh_failed(&self, outcome: RefreshOutcome) {
        self.scheduler
            .borrow_mut()
            .handle_refresh_result(now_ms(), outcome, jitter());
        self.scheduled();
    }

    /// Leaves the refreshing phase when no outcome moved it (e.g. another tab's identical
    /// session was adopted), so the schedule can never stall.
    pub fn settle(&self) {
        if self.scheduler.borrow().phase() == Phase::Refreshing {
            let lifetime = self.session.borrow().as_deref().map(Session::lifetime);
            self.scheduler
                .borrow_mut()
                .handle_session(lifetime, now_ms(), jitter());
            self.scheduled();
        }
    }
}

/// `{accessToken, tokenType, expiresAt}`: the refresh token is never exposed to JS.
pub fn session_object(s: &Session) -> JsValue {
    let o = Object::new();
    super::error::set(&o, "accessToken", &s.access_token.secret().into());
    super::error::set(&o, "tokenType", &s.token_type.as_str().into());
    super::error::set(&o, "expiresAt", &s.expires_at_ms.into());
    o.into()
}
