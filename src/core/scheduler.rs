//! The refresh state machine, sans-IO (quinn style): `handle_*` inputs, `poll_timeout`
//! output, and `now_ms` always passed in.
//!
//! The browser layer owns one timer. After every input it asks [`Scheduler::poll_timeout`]
//! and re-arms the timer only when the deadline changed. When the timer fires — and also on
//! `visibilitychange`, `focus`, `online` and `pageshow`, because background tabs throttle
//! timers and a sleeping laptop fires none — it calls [`Scheduler::handle_timeout`] with the
//! wall clock, which returns `true` when a refresh must start now. The refresh's result goes
//! back through [`Scheduler::handle_refresh_result`].
//!
//! Refresh point of a session received at `received` that expires at `exp`
//! (`lifetime = exp - received`, both stored with the session so every tab agrees):
//! `exp - min(leeway, lifetime/2) - jitter * min(jitter_ms, lifetime/10)`, never before `now`.
//! The jitter (`Math.random()` at the edge) spreads the timers of many clients; whether a token
//! is due on demand ([`crate::core::session::Session::needs_refresh`]) has no jitter.

use super::session::Lifetime;

/// Tunables of the [`Scheduler`].
#[derive(Clone, Copy, Debug)]
pub struct SchedulerConfig {
    /// Refresh this long before expiry (capped at half the lifetime).
    pub leeway_ms: f64,
    /// At most this much extra, random, lead (capped at a tenth of the lifetime). Default 5000.
    pub jitter_ms: f64,
    /// The first retry delay after a transient failure. Default 1000.
    pub min_backoff_ms: f64,
    /// The longest retry delay (doubling stops here). Default 60000.
    pub max_backoff_ms: f64,
    /// The longest `Retry-After` honoured. Default 600000.
    pub max_retry_after_ms: f64,
}

impl Default for SchedulerConfig {
    fn default() -> Self {
        SchedulerConfig {
            leeway_ms: 60_000.0,
            jitter_ms: 5_000.0,
            min_backoff_ms: 1_000.0,
            max_backoff_ms: 60_000.0,
            max_retry_after_ms: 600_000.0,
        }
    }
}

/// Where the scheduler is.
#[derive(Clone, Copy, PartialEq, Debug)]
pub enum Phase {
    /// No session: no timer.
    SignedOut,
    /// A session: waiting for its refresh point.
    Waiting,
    /// A refresh is in flight.
    Refreshing,
    /// The last refresh failed transiently: waiting for the retry point. The session is kept.
    BackingOff,
}

/// The result of a refresh, as the browser layer classifies it.
#[derive(Clone, Copy, PartialEq, Debug)]
pub enum RefreshOutcome {
    /// A new session.
    Success {
        /// Its lifetime (local clock).
        lifetime: Lifetime,
    },
    /// Network failure, timeout, 5xx or 429: try again later.
    Transient {
        /// `Retry-After` in ms, when the server sent one.
        retry_after_ms: Option<f64>,
    },
    /// The refresh token is dead (`invalid_grant`): the session is over.
    Fatal,
}

/// The refresh state machine. See the module docs for the order of calls.
#[derive(Clone, Debug)]
pub struct Scheduler {
    cfg: SchedulerConfig,
    phase: Phase,
    expires_at_ms: f64,
    deadline_ms: f64,
    failures: u32,
    last_failure_at: Option<f64>,
}

impl Scheduler {
    /// A scheduler without a session.
    pub fn new(cfg: SchedulerConfig) -> Scheduler {
        Scheduler {
            cfg,
            phase: Phase::SignedOut,
            expires_at_ms: 0.0,
            deadline_ms: 0.0,
            failures: 0,
            last_failure_at: None,
        }
    }

    /// The current phase.
    pub fn phase(&self) -> Phase {
        self.phase
    }

    /// The expiry of the session being tracked (`None` when signed out).
    pub fn expires_at(&self) -> Option<f64> {
        match self.phase {
            Phase::SignedOut => None,
            _ => Some(self.expires_at_ms),
        }
    }

    /// Transient failures since the last success.
    pub fn failures(&self) -> u32 {
        self.failures
    }

    /// When the last transient failure happened.
    pub fn last_failure_at(&self) -> Option<f64> {
        self.last_failure_at
    }

    /// A new or updated session (sign-in, refresh, another tab), or `None` for signed out.
    /// With a session the phase becomes `Waiting` and failures are forgotten.
    /// `jitter` is a number in `[0, 1)` (`Math.random()`).
    pub fn handle_session(&mut self, lifetime: Option<Lifetime>, now_ms: f64, jitter: f64) {
        self.failures = 0;
        self.last_failure_at = None;
        let Some(lifetime) = lifetime.filter(|l| l.expires_at_ms.is_finite()) else {
            self.phase = Phase::SignedOut;
            return;
        };
        let jitter = if jitter.is_finite() {
            jitter.clamp(0.0, 1.0)
        } else {
            0.0
        };
        let spread = jitter * self.cfg.jitter_ms.min(lifetime.duration_ms() / 10.0);
        self.phase = Phase::Waiting;
        self.expires_at_ms = lifetime.expires_at_ms;
        self.deadline_ms = (lifetime.refresh_at(self.cfg.leeway_ms) - spread).max(now_ms);
    }

    /// The absolute time (ms) of the next wake-up: the refresh point while `Waiting`, the retry
    /// point while `BackingOff`, `None` when `SignedOut` or `Refreshing`.
    pub fn poll_timeout(&self) -> Option<f64> {
        match self.phase {
            Phase::Waiting | Phase::BackingOff => Some(self.deadline_ms),
            Phase::SignedOut | Phase::Refreshing => None,
        }
    }

    /// The timer fired, or the page woke up: `true` when a refresh must start now (the phase
    /// becomes `Refreshing`). A wake long after the deadline (laptop sleep) returns `true` once.
    pub fn handle_timeout(&mut self, now_ms: f64) -> bool {
        match self.phase {
            Phase::Waiting | Phase::BackingOff if now_ms >= self.deadline_ms => {
                self.phase = Phase::Refreshing;
                true
            }
            _ => false,
        }
    }

    /// An on-demand refresh (e.g. `getAccessToken` near expiry, `refresh()`, a 401) starts:
    /// the phase becomes `Refreshing` (no timer meanwhile). The browser layer runs one refresh
    /// per tab at a time; check [`Scheduler::may_refresh`] first to respect a back-off.
    pub fn begin_refresh(&mut self) {
        self.phase = Phase::Refreshing;
    }

    /// The result of the refresh started by `handle_timeout` or `begin_refresh`.
    ///
    /// `Success` → like [`Scheduler::handle_session`]; `Transient` → `BackingOff` with a delay of
    /// `min_backoff * 2^(failures-1)` capped at `max_backoff`, or `Retry-After` capped at
    /// `max_retry_after` (the session is kept); `Fatal` → `SignedOut`.
    /// A `Transient`/`Fatal` result arriving when no refresh is in flight, and a `Success`
    /// after sign-out, are stale and ignored; returns whether the result was applied.
    pub fn handle_refresh_result(
        &mut self,
        now_ms: f64,
        outcome: RefreshOutcome,
        jitter: f64,
    ) -> bool {
        match outcome {
            RefreshOutcome::Success { lifetime } => {
                if self.phase == Phase::SignedOut {
                    return false;
                }
                self.handle_session(Some(lifetime), now_ms, jitter);
            }
            _ if self.phase != Phase::Refreshing => return false,
            RefreshOutcome::Transient { retry_after_ms } => {
                self.failures = self.failures.saturating_add(1);
                self.last_failure_at = Some(now_ms);
                let doubling = 2f64.powi(self.failures.saturating_sub(1).min(60) as i32);
                let delay = match retry_after_ms {
                    Some(ra) if ra.is_finite() && ra >= 0.0 => ra.min(self.cfg.max_retry_after_ms),
                    _ => (self.cfg.min_backoff_ms * doubling).min(self.cfg.max_backoff_ms),
                };
                self.phase = Phase::BackingOff;
                self.deadline_ms = now_ms + delay;
            }
            RefreshOutcome::Fatal => {
                self.handle_session(None, now_ms, 0.0);
            }
        }
        true
    }

    /// `false` while backing off before the retry point: a failed refresh is remembered
    /// briefly so 20 callers do not hammer a failing server.
    pub fn may_refresh(&self, now_ms: f64) -> bool {
        !(self.phase == Phase::BackingOff && now_ms < self.deadline_ms)
    }
}
