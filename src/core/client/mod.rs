//! One client's state and every decision it makes, sans-IO (the shape of quinn-proto's
//! `Connection`): the configuration, this tab's session and its refresh [`Scheduler`]. The
//! JavaScript shell (`pkg-template/shell/`, through `src/facade.rs`) does the I/O and hands every
//! answer, timer and other tab's copy back in, with `now_ms` and `jitter` (a uniform `[0, 1)`
//! draw for the back-off), so the whole lifecycle is tested natively (`tests/core_client.rs`).
//!
//! A refresh runs in these steps (docs/PLATFORM.md §1); the shell runs one at a time per client
//! (concurrent callers join it), and the client keeps that refresh's two sessions: `before`, this
//! tab's session when it began, and `used`, the copy whose refresh token is sent.
//! 1. [`Client::begin_refresh`]: may one start now?
//! 2. the shell takes the Web Lock and gathers the copies it can see;
//!    [`Client::freshest`], [`Client::wait_for_handoff`] and [`Client::after_lock`] decide
//!    between adopting another tab's rotation and sending [`Client::refresh_request`], the grant
//!    of the freshest copy;
//! 3. [`Client::on_refresh`] (an answer) or [`Client::no_answer`] (network, timeout);
//!    after `invalid_grant`, [`Client::after_lost_rotation`];
//! 4. [`Client::settle`] once the lock is released, so the schedule never stalls.

mod calls;

pub use calls::{BearerCall, GrantCall, OtherCall};

use super::config::Config;
use super::error::{CoreError, ErrorCode};
use super::http::{HttpRequest, HttpResponse};
use super::requests;
use super::responses::{parse_token, TokenCall};
use super::scheduler::{Phase, RefreshOutcome, Scheduler, SchedulerConfig};
use super::session::Session;
use super::sync::{self, AfterLock, AfterRefresh, AuthEvent, LostRotation};

/// Why a refresh is attempted.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum RefreshMode {
    /// A caller needs a token (`getAccessToken`, `fetch`): only when due, not while backing off.
    OnDemand,
    /// The timer or a wake-up decided it is time.
    Scheduled,
    /// `refresh()` or a 401: always, unless another tab just did it.
    Forced,
}

/// Whether a refresh may start ([`Client::begin_refresh`]).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Begin {
    /// On demand and not due: nothing to do.
    NotDue,
    /// Go: the scheduler is now `Refreshing`.
    Go,
    /// On demand while backing off from a failure: hand the caller that failure.
    BackingOff,
}

/// What a tab does once it holds the refresh lock ([`Client::after_lock`]).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum LockStep {
    /// Send [`Client::refresh_request`]: the grant of the freshest copy (this tab's session or
    /// another tab's fresher copy, which becomes this tab's only with a good answer).
    Refresh,
    /// Another tab's rotation was adopted; fire the event, if any.
    Adopted(Option<AuthEvent>),
    /// Nobody is signed in any more.
    NotSignedIn,
}

/// What a good refresh answer did ([`Client::on_refresh`]).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Refreshed {
    /// The rotated session is this tab's now: store it, tell the other tabs, fire
    /// `TOKEN_REFRESHED`.
    Kept,
    /// Another sign-in arrived while the request was out; it stays.
    Discarded,
}

/// The refresh in progress: this tab's session when it began, and the copy it refreshes once
/// [`Client::after_lock`] has chosen one.
#[derive(Clone, Debug)]
struct Flight {
    before: Session,
    used: Option<Session>,
}

/// One client: configuration, this tab's session and its refresh schedule.
#[derive(Clone, Debug)]
pub struct Client {
    cfg: Config,
    session: Option<Session>,
    scheduler: Scheduler,
    flight: Option<Flight>,
}

impl Client {
    /// A signed-out client.
    pub fn new(cfg: Config) -> Client {
        let scheduler = Scheduler::new(SchedulerConfig {
            leeway_ms: cfg.refresh_leeway_ms,
            ..SchedulerConfig::default()
        });
        Client {
            cfg,
            session: None,
            scheduler,
            flight: None,
        }
    }

    /// The validated configuration.
    pub fn config(&self) -> &Config {
        &self.cfg
    }

    /// This tab's session.
    pub fn session(&self) -> Option<&Session> {
        self.session.as_ref()
    }

    /// The scheduler's phase.
    pub fn phase(&self) -> Phase {
        self.scheduler.phase()
    }

    /// When the shell should call [`Client::handle_timeout`] next (ms since the epoch).
    pub fn poll_timeout(&self) -> Option<f64> {
        self.scheduler.poll_timeout()
    }

    /// The timer fired (or the tab woke up): whether a scheduled refresh is due.
    pub fn handle_timeout(&mut self, now_ms: f64) -> bool {
        self.scheduler.handle_timeout(now_ms)
    }

    /// Whether there is a session whose access token has not expired: after a failed on-demand
    /// refresh the caller still gets that token (a failure is an error only once it has expired).
    pub fn token_valid(&self, now_ms: f64) -> bool {
        self.session.as_ref().is_some_and(|s| !s.is_expired(now_ms))
    }

    /// Whether the session is within its refresh leeway (`false` when signed out).
    pub fn needs_refresh(&self, now_ms: f64) -> bool {
        self.session
            .as_ref()
            .is_some_and(|s| s.needs_refresh(now_ms, self.cfg.refresh_leeway_ms))
    }

    /// Makes `session` this tab's (a stored one at start-up, or a sign-in) and schedules it.
    pub fn establish(&mut self, session: Session, now_ms: f64, jitter: f64) -> &Session {
        self.scheduler
            .handle_session(Some(session.lifetime()), now_ms, jitter);
        self.session.insert(session)
    }

    /// The answer to a sign-in or exchange (`call`), sent with `client_id` and `email` (`None`
    /// when unknown: then the email in the access token's claims, read by `email_of`, and the
    /// server binds the refresh token to that email). Becomes this tab's session.
    #[allow(clippy::too_many_arguments)]
    pub fn on_grant(
        &mut self,
        call: TokenCall,
        client_id: Option<String>,
        email: Option<String>,
        impersonating: Option<u64>,
        answer: &HttpResponse,
        email_of: impl FnOnce(&str) -> Option<String>,
        now_ms: f64,
        jitter: f64,
    ) -> Result<&Session, CoreError> {
        let grant = parse_token(answer, call)?;
        let email = email.or_else(|| email_of(grant.access_token.secret()));
        let client_id = client_id.or_else(|| email.clone()).unwrap_or_default();
        let mut s = Session::from_grant(grant, now_ms, client_id, email);
        s.impersonating = impersonating;
        Ok(self.establish(s, now_ms, jitter))
    }

    /// Whether a refresh may start now; `Go` begins one (of this tab's current session).
    pub fn begin_refresh(&mut self, mode: RefreshMode, now_ms: f64) -> Result<Begin, CoreError> {
        let s = self.session.as_ref().ok_or(CoreError::NotSignedIn)?;
        if mode == RefreshMode::OnDemand {
            if !self.needs_refresh(now_ms) {
                return Ok(Begin::NotDue);
            }
            if !self.scheduler.may_refresh(now_ms) {
                return Ok(Begin::BackingOff);
            }
        }
        self.flight = Some(Flight {
            before: s.clone(),
            used: None,
        });
        self.scheduler.begin_refresh();
        Ok(Begin::Go)
    }

    fn flight(&self) -> Result<&Flight, CoreError> {
        self.flight.as_ref().ok_or(CoreError::NotSignedIn)
    }

    /// The refresh's `before` and `used` sessions, once a copy was chosen.
    fn chosen(&self) -> Result<(&Session, &Session), CoreError> {
        let f = self.flight()?;
        Ok((&f.before, f.used.as_ref().ok_or(CoreError::NotSignedIn)?))
    }

    /// Whether a tab that waited for the lock and still sees the session the refresh began with
    /// as the freshest (`fresh`) should wait briefly for the previous holder's message
    /// ([`sync::wait_for_handoff`]).
    pub fn wait_for_handoff(&self, fresh: Option<&Session>, waited: bool) -> bool {
        self.flight()
            .is_ok_and(|f| sync::wait_for_handoff(&f.before, fresh, waited))
    }

    /// The freshest session this tab can see: its own or one of `copies` ([`sync::freshest`]).
    pub fn freshest(&self, copies: impl IntoIterator<Item = Session>) -> Option<Session> {
        sync::freshest(self.session.clone(), copies)
    }

    /// Under the lock, given the freshest copy `fresh`: adopt another tab's rotation, or refresh
    /// `fresh` ([`sync::after_lock`]; `forced`: `refresh()` or a 401, `waited`: another tab held
    /// the lock first).
    pub fn after_lock(
        &mut self,
        fresh: Option<Session>,
        forced: bool,
        waited: bool,
        now_ms: f64,
        jitter: f64,
    ) -> LockStep {
        let Ok(f) = self.flight() else {
            return LockStep::NotSignedIn;
        };
        match sync::after_lock(&f.before, fresh.as_ref(), forced, waited, now_ms) {
            AfterLock::NotSignedIn => LockStep::NotSignedIn,
            AfterLock::Adopt => {
                LockStep::Adopted(self.adopt(fresh, AuthEvent::TokenRefreshed, now_ms, jitter))
            }
            AfterLock::Refresh => {
                if let Some(f) = self.flight.as_mut() {
                    f.used = fresh;
                }
                LockStep::Refresh
            }
        }
    }

    /// The refresh grant of the copy [`Client::after_lock`] chose.
    pub fn refresh_request(&self) -> Result<HttpRequest, CoreError> {
        self.refresh_grant(self.chosen()?.1)
    }

    /// The refresh grant of `s` (its refresh token and `client_id`).
    pub fn refresh_grant(&self, s: &Session) -> Result<HttpRequest, CoreError> {
        let refresh = s.refresh_token.as_ref().ok_or(CoreError::NotSignedIn)?;
        Ok(requests::refresh_grant(
            &self.cfg.base_url,
            refresh,
            &s.client_id,
        ))
    }

    /// The answer to the refresh of `used` (the chosen copy), begun when this tab held `before`.
    /// It counts only if this tab still holds one of them ([`sync::after_refresh`]): a sign-out
    /// stays signed out (`NotSignedIn`), another sign-in is not overwritten (`Discarded`). A good
    /// answer makes the rotation this tab's session; a failure leaves the session as it is and
    /// moves the scheduler (back-off, or over on `session_expired`: see
    /// [`Client::after_lost_rotation`]).
    pub fn on_refresh(
        &mut self,
        answer: &HttpResponse,
        now_ms: f64,
        jitter: f64,
    ) -> Result<Refreshed, CoreError> {
        let (before, used) = self.chosen()?;
        match sync::after_refresh(self.session.as_ref(), before, used) {
            AfterRefresh::SignedOut => return Err(CoreError::NotSignedIn),
            AfterRefresh::Discard => return Ok(Refreshed::Discarded),
            AfterRefresh::Keep => {}
        }
        match parse_token(answer, TokenCall::Refresh) {
            Ok(grant) => {
                let next = used.rotated(grant, now_ms);
                let lifetime = next.lifetime();
                self.scheduler.handle_refresh_result(
                    now_ms,
                    RefreshOutcome::Success { lifetime },
                    jitter,
                );
                self.session = Some(next);
                Ok(Refreshed::Kept)
            }
            Err(e) => {
                let outcome = match e.code() {
                    ErrorCode::SessionExpired => RefreshOutcome::Fatal,
                    _ => RefreshOutcome::Transient {
                        retry_after_ms: e.retry_after_s().map(|s| s * 1000.0),
                    },
                };
                self.scheduler
                    .handle_refresh_result(now_ms, outcome, jitter);
                Err(e)
            }
        }
    }

    /// The refresh got no answer (network error, timeout): back off, if this tab still holds
    /// the session the refresh was for.
    pub fn no_answer(&mut self, now_ms: f64, jitter: f64) {
        let Ok((before, used)) = self.chosen() else {
            return;
        };
        if sync::after_refresh(self.session.as_ref(), before, used) == AfterRefresh::Keep {
            let outcome = RefreshOutcome::Transient {
                retry_after_ms: None,
            };
            self.scheduler
                .handle_refresh_result(now_ms, outcome, jitter);
        }
    }

    /// After `invalid_grant` to the refresh: adopt `latest` when another tab won the rotation
    /// race (`Some(event)`), else the session is over: signed out here (`None`; the shell clears
    /// the storage and fires `SIGNED_OUT`).
    pub fn after_lost_rotation(
        &mut self,
        latest: Option<Session>,
        now_ms: f64,
        jitter: f64,
    ) -> Option<Option<AuthEvent>> {
        let lost = match self.chosen() {
            Ok((_, used)) => sync::after_lost_rotation(used, latest.as_ref()),
            Err(_) => LostRotation::SignOut,
        };
        match lost {
            LostRotation::Adopt => {
                Some(self.adopt(latest, AuthEvent::TokenRefreshed, now_ms, jitter))
            }
            LostRotation::SignOut => {
                self.sign_out(now_ms);
                None
            }
        }
    }

    /// Ends the refresh: leaves `Refreshing` when no outcome moved the scheduler, so the
    /// schedule never stalls.
    pub fn settle(&mut self, now_ms: f64, jitter: f64) {
        self.flight = None;
        if self.scheduler.phase() == Phase::Refreshing {
            let lifetime = self.session.as_ref().map(Session::lifetime);
            self.scheduler.handle_session(lifetime, now_ms, jitter);
        }
    }

    /// Another tab's session (`None`: it signed out) replaces this tab's; the event to fire, if
    /// any ([`sync::adopt_event`]). `hint` is what the other tab said it did.
    pub fn adopt(
        &mut self,
        remote: Option<Session>,
        hint: AuthEvent,
        now_ms: f64,
        jitter: f64,
    ) -> Option<AuthEvent> {
        let event = sync::adopt_event(self.session.as_ref(), remote.as_ref(), hint)?;
        self.scheduler
            .handle_session(remote.as_ref().map(Session::lifetime), now_ms, jitter);
        self.session = remote;
        Some(event)
    }

    /// Signed out: no session, no timer.
    pub fn sign_out(&mut self, now_ms: f64) {
        self.session = None;
        self.scheduler.handle_session(None, now_ms, 0.0);
    }
}
