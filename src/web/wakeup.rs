//! When to refresh in the background: one timer armed for the scheduler's next deadline, and
//! wake-up listeners (`focus`, `online`, `pageshow`, `visibilitychange`), because background
//! tabs throttle timers and a sleeping laptop fires none (docs/PLATFORM.md#throttled-timers).

use super::refresher::{Mode, Refresher};
use super::tab_state::{now_ms, timer_delay, TabState};
use gloo_events::EventListener;
use gloo_timers::callback::Timeout;
use std::cell::{Cell, RefCell};
use std::rc::{Rc, Weak};

/// The background refresh of one client.
pub struct Wakeups {
    state: Rc<TabState>,
    refresher: Rc<Refresher>,
    enabled: bool,
    stopped: Cell<bool>,
    timer: RefCell<Option<(f64, Timeout)>>,
    listeners: RefCell<Vec<EventListener>>,
}

impl Wakeups {
    /// Starts refreshing `state`'s session in the background (when `enabled`, i.e. `autoRefresh`).
    pub fn start(state: Rc<TabState>, refresher: Rc<Refresher>, enabled: bool) -> Rc<Wakeups> {
        let me = Rc::new(Wakeups {
            state,
            refresher,
            enabled,
            stopped: Cell::new(false),
            timer: RefCell::new(None),
            listeners: RefCell::new(Vec::new()),
        });
        let weak = Rc::downgrade(&me);
        me.state.on_schedule(Box::new(move || {
            if let Some(w) = weak.upgrade() {
                w.rearm();
            }
        }));
        me.listen();
        me.rearm();
        me
    }

    /// The next scheduled refresh (ms epoch), if any.
    pub fn next_refresh_at(&self) -> Option<f64> {
        if self.enabled && !self.stopped.get() {
            self.state.deadline()
        } else {
            None
        }
    }

    /// Arms the timer for the scheduler's next wake-up (only when the deadline changed).
    fn rearm(self: &Rc<Self>) {
        let deadline = self.next_refresh_at();
        let mut timer = self.timer.borrow_mut();
        if timer.as_ref().map(|(d, _)| *d) == deadline {
            return;
        }
        *timer = deadline.map(|d| {
            let weak = Rc::downgrade(self);
            // A fired timer forgets its deadline, so a not-yet-due wake-up re-arms it.
            let fired = Timeout::new(timer_delay(d - now_ms()), move || {
                if let Some(me) = weak.upgrade() {
                    if let Some(t) = me.timer.borrow_mut().as_mut() {
                        t.0 = f64::NAN;
                    }
                }
                wake(&weak);
            });
            (d, fired)
        });
    }

    fn listen(self: &Rc<Self>) {
        let Some(window) = web_sys::window() else {
            return;
        };
        let mut listeners = self.listeners.borrow_mut();
        for kind in ["focus", "online", "pageshow"] {
            let weak = Rc::downgrade(self);
            listeners.push(EventListener::new(&window, kind, move |_| wake(&weak)));
        }
        if let Some(document) = window.document() {
            let weak = Rc::downgrade(self);
            let doc = document.clone();
            listeners.push(EventListener::new(
                &document,
                "visibilitychange",
                move |_| {
                    if doc.visibility_state() == web_sys::VisibilityState::Visible {
                        wake(&weak);
                    }
                },
            ));
        }
    }

    /// Stops the timer and removes the listeners.
    pub fn stop(&self) {
        self.stopped.set(true);
        self.timer.borrow_mut().take();
        self.listeners.borrow_mut().clear();
    }
}

/// The timer fired or the page woke up: ask the scheduler, refresh in the background if due.
fn wake(weak: &Weak<Wakeups>) {
    let Some(me) = weak.upgrade() else { return };
    if me.stopped.get() || !me.enabled {
        return;
    }
    if me.state.wake(now_ms()) {
        me.refresher.kick(Mode::Scheduled);
    }
    me.rearm();
}
