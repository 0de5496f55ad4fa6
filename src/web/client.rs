//! The signed-in client of one tab: its session, its refresh schedule (driven by the core's
//! [`Scheduler`]), and its wiring to the page (one timer, wake-up listeners, cross-tab sync).

use super::broadcast::{Channel, Message};
use super::clock::{jitter, now_ms};
use super::error::WebError;
use super::events::{AuthEvent, Subscribers};
use super::listener::Listener;
use super::storage::Store;
use super::timer::Timeout;
use crate::core::config::Config;
use crate::core::scheduler::{Scheduler, SchedulerConfig};
use crate::core::session::Session;
use js_sys::{Function, Object};
use std::cell::{Cell, RefCell};
use std::rc::{Rc, Weak};
use wasm_bindgen::{JsCast, JsValue};
use web_sys::StorageEvent;

/// The mutable part of a client.
pub struct State {
    /// This tab's view of the session (the refresh token never leaves Rust).
    pub session: Option<Session>,
    /// When to refresh next, and what to do after a failure.
    pub scheduler: Scheduler,
    /// The last refresh failure, handed to callers while the scheduler backs off.
    pub last_error: Option<WebError>,
}

#[derive(Default)]
struct Wiring {
    timer: Option<(f64, Timeout)>,
    /// The one-shot announcement of what `create` found (warnings, a discarded session).
    announce: Option<Timeout>,
    listeners: Vec<Listener>,
    channel: Option<Channel>,
}

/// One client (`NexudusAuth` instance).
pub struct Inner {
    /// Validated configuration.
    pub cfg: Config,
    /// Where the session is kept.
    pub store: Store,
    /// Session and schedule.
    pub state: RefCell<State>,
    /// `onChange` callbacks.
    pub changes: Subscribers,
    /// `onWarning` callbacks.
    pub warnings: Subscribers,
    /// The in-tab refresh in flight, shared by concurrent callers.
    pub inflight: RefCell<Option<js_sys::Promise>>,
    /// Resolvers of callers waiting for another tab's update.
    pub waiters: RefCell<Vec<Function>>,
    /// True while this tab holds the refresh lock: events are queued until it is released.
    pub holding: Cell<bool>,
    queued: RefCell<Vec<AuthEvent>>,
    wiring: RefCell<Wiring>,
    disposed: Cell<bool>,
}

/// A shared handle to a client.
pub type Client = Rc<Inner>;

impl Inner {
    /// Opens the storage, restores a stored session (a corrupt one is discarded and announced),
    /// and wires timers and listeners.
    pub async fn create(cfg: Config, storage: &JsValue) -> Result<Client, WebError> {
        let (store, warning) = Store::open(storage, cfg.storage_key.clone())?;
        let scheduler = Scheduler::new(SchedulerConfig {
            leeway_ms: cfg.refresh_leeway_ms,
            ..SchedulerConfig::default()
        });
        let inner = Rc::new(Inner {
            cfg,
            store,
            state: RefCell::new(State {
                session: None,
                scheduler,
                last_error: None,
            }),
            changes: Subscribers::default(),
            warnings: Subscribers::default(),
            inflight: RefCell::new(None),
            waiters: RefCell::new(Vec::new()),
            holding: Cell::new(false),
            queued: RefCell::new(Vec::new()),
            wiring: RefCell::new(Wiring::default()),
            disposed: Cell::new(false),
        });
        let (stored, read_warning) = inner.store.read().await;
        let mut discarded = false;
        if let Some(raw) = stored {
            match Session::decode(&raw) {
                Ok(session) => inner.set_session(Some(session)),
                Err(_) => {
                    inner.store.remove();
                    discarded = true;
                }
            }
        }
        inner.wire();
        // Callers subscribe right after `create` resolves: announce later events on a fresh task.
        let weak = Rc::downgrade(&inner);
        let announce = Timeout::new(0.0, move || {
            if let Some(me) = weak.upgrade() {
                for w in [warning, read_warning].into_iter().flatten() {
                    me.warn(&w);
                }
                if discarded {
                    me.warn(&WebError::Storage(
                        "The stored session was unreadable and has been discarded.",
                    ));
                    me.emit(AuthEvent::SignedOut);
                }
            }
        });
        inner.wiring.borrow_mut().announce = announce;
        Ok(inner)
    }

    /// The session as the plain JS object of the contract, or null.
    pub fn session_js(&self) -> JsValue {
        match &self.state.borrow().session {
            Some(s) => session_object(s),
            None => JsValue::NULL,
        }
    }

    /// Replaces this tab's session and reschedules (no storage write, no event).
    pub fn set_session(self: &Rc<Self>, session: Option<Session>) {
        {
            let mut st = self.state.borrow_mut();
            let now = now_ms();
            st.scheduler
                .handle_session(session.as_ref().map(|s| s.expires_at_ms), now, jitter());
            st.session = session;
            st.last_error = None;
        }
        self.reschedule();
        for resolve in self.waiters.borrow_mut().drain(..) {
            let _ = resolve.call0(&JsValue::UNDEFINED);
        }
    }

    /// Stores a new session, tells the other tabs and fires `event`.
    pub async fn establish(self: &Rc<Self>, session: Session, event: AuthEvent) -> Session {
        let encoded = session.encode();
        if let Some(w) = self.store.write(&encoded).await {
            self.warn(&w);
        }
        if self.store.shared_across_tabs() {
            // Committed before the refresh lock is released, for the next holder's double check.
            super::ledger::write(self.store.key(), Some(encoded.clone())).await;
        }
        self.set_session(Some(session.clone()));
        self.post(&match event {
            AuthEvent::TokenRefreshed => Message::Refreshed(encoded),
            _ => Message::SignedIn(encoded),
        });
        self.emit(event);
        session
    }

    /// Clears session and storage, tells the other tabs, fires `SIGNED_OUT` (if signed in).
    pub fn sign_out(self: &Rc<Self>) {
        let was_signed_in = self.state.borrow().session.is_some();
        if let Some(w) = self.store.remove() {
            self.warn(&w);
        }
        if self.store.shared_across_tabs() {
            super::ledger::forget(self.store.key());
        }
        self.set_session(None);
        self.post(&Message::SignedOut);
        if was_signed_in {
            self.emit(AuthEvent::SignedOut);
        }
    }

    fn post(&self, message: &Message) {
        if let Some(channel) = &self.wiring.borrow().channel {
            channel.post(message);
        }
    }

    /// Fires `event` to `onChange` callbacks, or queues it while the refresh lock is held.
    pub fn emit(&self, event: AuthEvent) {
        if self.holding.get() {
            self.queued.borrow_mut().push(event);
            return;
        }
        let session = self.session_js();
        self.changes.emit(&event.as_str().into(), &session);
    }

    /// Marks the refresh lock as released and fires the events queued meanwhile.
    pub fn released(&self) {
        self.holding.set(false);
        let queued: Vec<AuthEvent> = self.queued.borrow_mut().drain(..).collect();
        for event in queued {
            self.emit(event);
        }
    }

    /// Reports a warning (e.g. storage fell back to memory) to `onWarning` callbacks.
    pub fn warn(&self, warning: &WebError) {
        self.warnings.emit(&warning.to_js(), &JsValue::UNDEFINED);
    }

    /// Another tab changed the session: adopt it (deduplicated) and fire the matching event.
    pub fn adopt_remote(self: &Rc<Self>, remote: Option<Session>, hint: AuthEvent) {
        let event = {
            let st = self.state.borrow();
            match (&st.session, &remote) {
                (None, None) => return,
                (Some(a), Some(b)) if same_session(a, b) => return,
                (Some(a), Some(b)) if a.client_id == b.client_id && a.email == b.email => {
                    AuthEvent::TokenRefreshed
                }
                (_, Some(_)) if hint == AuthEvent::TokenRefreshed && st.session.is_some() => {
                    AuthEvent::TokenRefreshed
                }
                (_, Some(_)) => AuthEvent::SignedIn,
                (Some(_), None) => AuthEvent::SignedOut,
            }
        };
        self.set_session(remote);
        self.emit(event);
    }

    /// Arms the single timer for the scheduler's next wake-up (only when the deadline changed).
    pub fn reschedule(self: &Rc<Self>) {
        let deadline = if self.cfg.auto_refresh && !self.disposed.get() {
            self.state.borrow().scheduler.poll_timeout()
        } else {
            None
        };
        let mut wiring = self.wiring.borrow_mut();
        if wiring.timer.as_ref().map(|(d, _)| *d) == deadline {
            return;
        }
        wiring.timer = deadline.and_then(|d| {
            let weak = Rc::downgrade(self);
            // A timer may fire before `Date.now()` reaches a fractional deadline: round the delay
            // up, and forget a fired timer's deadline so a not-yet-due wake-up re-arms it.
            Timeout::new((d - now_ms()).ceil(), move || {
                if let Some(me) = weak.upgrade() {
                    if let Some(t) = me.wiring.borrow_mut().timer.as_mut() {
                        t.0 = f64::NAN;
                    }
                }
                wake(&weak)
            })
            .map(|t| (d, t))
        });
    }

    fn wire(self: &Rc<Self>) {
        let Some(window) = web_sys::window() else {
            return;
        };
        let mut wiring = self.wiring.borrow_mut();
        // Background tabs throttle timers and a sleeping laptop fires none: re-check the clock.
        for kind in ["focus", "online", "pageshow"] {
            let weak = Rc::downgrade(self);
            wiring
                .listeners
                .push(Listener::new(&window, kind, move |_| wake(&weak)));
        }
        if let Some(document) = window.document() {
            let weak = Rc::downgrade(self);
            let doc = document.clone();
            wiring
                .listeners
                .push(Listener::new(&document, "visibilitychange", move |_| {
                    if doc.visibility_state() == web_sys::VisibilityState::Visible {
                        wake(&weak);
                    }
                }));
        }
        if !self.store.shared_across_tabs() {
            return;
        }
        if self.store.is_local_storage() {
            let weak = Rc::downgrade(self);
            wiring
                .listeners
                .push(Listener::new(&window, "storage", move |event| {
                    let event: StorageEvent = event.unchecked_into();
                    if let Some(me) = weak.upgrade() {
                        if event.key().as_deref() == Some(me.store.key()) {
                            me.adopt_remote(
                                event.new_value().and_then(|v| Session::decode(&v).ok()),
                                AuthEvent::SignedIn,
                            );
                        }
                    }
                }));
        }
        let weak = Rc::downgrade(self);
        wiring.channel = Channel::open(
            &format!("nexudus-auth:{}", self.store.key()),
            move |message| {
                let Some(me) = weak.upgrade() else { return };
                match message {
                    Message::SignedIn(s) => {
                        me.adopt_remote(Session::decode(&s).ok(), AuthEvent::SignedIn)
                    }
                    Message::Refreshed(s) => {
                        me.adopt_remote(Session::decode(&s).ok(), AuthEvent::TokenRefreshed)
                    }
                    Message::SignedOut => me.adopt_remote(None, AuthEvent::SignedOut),
                }
            },
        );
    }

    /// Stops the timer and removes every listener and callback.
    pub fn dispose(&self) {
        self.disposed.set(true);
        *self.wiring.borrow_mut() = Wiring::default();
        self.changes.clear();
        self.warnings.clear();
    }

    /// Whether `dispose()` was called.
    pub fn is_disposed(&self) -> bool {
        self.disposed.get()
    }

    /// The next scheduled refresh (ms epoch), if any.
    pub fn next_refresh_at(&self) -> Option<f64> {
        if !self.cfg.auto_refresh || self.disposed.get() {
            return None;
        }
        self.state.borrow().scheduler.poll_timeout()
    }
}

/// The timer fired or the page woke up: ask the scheduler, refresh in the background if due.
/// With `autoRefresh: false` nothing refreshes in the background, wake-ups included.
fn wake(weak: &Weak<Inner>) {
    let Some(me) = weak.upgrade() else { return };
    if me.disposed.get() || !me.cfg.auto_refresh {
        return;
    }
    let due = me.state.borrow_mut().scheduler.handle_timeout(now_ms());
    if due {
        let me2 = me.clone();
        wasm_bindgen_futures::spawn_local(async move {
            // Failures are kept by the scheduler (backoff) or end the session; nothing to throw to.
            let _ = me2.refresh_shared(super::refresh::Mode::Scheduled).await;
        });
    }
    me.reschedule();
}

/// Two sessions are the same when they carry the same tokens and expiry.
pub fn same_session(a: &Session, b: &Session) -> bool {
    a.access_token.same_as(&b.access_token) && a.expires_at_ms == b.expires_at_ms
}

/// `{accessToken, tokenType, expiresAt}`: the refresh token is never exposed to JS.
pub fn session_object(s: &Session) -> JsValue {
    let o = Object::new();
    super::error::set(&o, "accessToken", &s.access_token.secret().into());
    super::error::set(&o, "tokenType", &s.token_type.as_str().into());
    super::error::set(&o, "expiresAt", &s.expires_at_ms.into());
    o.into()
}
