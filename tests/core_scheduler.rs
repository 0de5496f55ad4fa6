#![cfg(not(target_arch = "wasm32"))]
//! The refresh state machine under a virtual clock (quinn's `Pair::step` style): the harness
//! jumps to `poll_timeout`, runs the refresh against a scripted server, and records every
//! wake-up, so each next wake-up time is asserted exactly.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use nexudus_auth::core::responses::{parse_token, TokenCall};
use nexudus_auth::core::scheduler::{Phase, RefreshOutcome, Scheduler, SchedulerConfig};
use nexudus_auth::core::session::{Lifetime, Session};
use serde_json::json;
use std::collections::VecDeque;

mod native;

const T0: f64 = 1_795_417_200_000.0;
const H: f64 = 3_600_000.0;

/// A token received at `received` that expires at `expires`.
fn life(received: f64, expires: f64) -> Option<Lifetime> {
    Some(Lifetime {
        received_at_ms: received,
        expires_at_ms: expires,
    })
}

/// A session whose stored lifetime is `received..expires`.
fn session(received: f64, expires: f64) -> Session {
    let stored = json!({"v": 1, "accessToken": "a", "expiresAt": expires, "receivedAt": received, "clientId": "c"});
    Session::from_value(&native::value(stored)).unwrap()
}

/// What the scripted server answers to the next refresh.
#[derive(Clone, Copy)]
enum Answer {
    /// A new token living this many ms.
    Ok(f64),
    /// 5xx / network, with an optional Retry-After in ms.
    Fail(Option<f64>),
    /// invalid_grant.
    Dead,
}

struct Pair {
    now: f64,
    sched: Scheduler,
    script: VecDeque<Answer>,
    jitter: f64,
    /// (time of the refresh, the next wake-up it led to).
    log: Vec<(f64, Option<f64>)>,
}

impl Pair {
    fn new(cfg: SchedulerConfig, ttl_ms: f64, jitter: f64) -> Pair {
        let mut sched = Scheduler::new(cfg);
        sched.handle_session(life(T0, T0 + ttl_ms), T0, jitter);
        Pair {
            now: T0,
            sched,
            script: VecDeque::new(),
            jitter,
            log: Vec::new(),
        }
    }

    /// Jump to the next wake-up and handle it; `false` when there is none.
    fn step(&mut self) -> bool {
        let Some(t) = self.sched.poll_timeout() else {
            return false;
        };
        assert!(t >= self.now, "wake-up {t} in the past of {}", self.now);
        self.now = t;
        assert!(
            !self.sched.handle_timeout(t - 1.0),
            "fired before its deadline"
        );
        if self.sched.handle_timeout(self.now) {
            assert_eq!(self.sched.phase(), Phase::Refreshing);
            assert_eq!(self.sched.poll_timeout(), None);
            let outcome = match self.script.pop_front().unwrap_or(Answer::Ok(24.0 * H)) {
                Answer::Ok(ttl) => RefreshOutcome::Success {
                    lifetime: Lifetime {
                        received_at_ms: self.now,
                        expires_at_ms: self.now + ttl,
                    },
                },
                Answer::Fail(ra) => RefreshOutcome::Transient { retry_after_ms: ra },
                Answer::Dead => RefreshOutcome::Fatal,
            };
            assert!(self
                .sched
                .handle_refresh_result(self.now, outcome, self.jitter));
            self.log.push((self.now, self.sched.poll_timeout()));
        }
        true
    }

    fn drive_bounded(&mut self, max_steps: usize) -> usize {
        let mut n = 0;
        while n < max_steps && self.step() {
            n += 1;
        }
        n
    }
}

#[test]
fn refreshes_a_24h_token_one_minute_before_expiry() {
    let mut p = Pair::new(SchedulerConfig::default(), 24.0 * H, 0.0);
    assert_eq!(p.sched.phase(), Phase::Waiting);
    assert_eq!(p.sched.poll_timeout(), Some(T0 + 24.0 * H - 60_000.0));
    assert_eq!(p.drive_bounded(3), 3);
    let first = T0 + 24.0 * H - 60_000.0;
    let second = first + 24.0 * H - 60_000.0;
    let third = second + 24.0 * H - 60_000.0;
    assert_eq!(
        p.log,
        [
            (first, Some(second)),
            (second, Some(third)),
            (third, Some(third + 24.0 * H - 60_000.0))
        ]
    );
}

#[test]
fn jitter_adds_up_to_five_seconds_of_lead() {
    let mut s = Scheduler::new(SchedulerConfig::default());
    s.handle_session(life(T0, T0 + 24.0 * H), T0, 0.5);
    assert_eq!(s.poll_timeout(), Some(T0 + 24.0 * H - 60_000.0 - 2_500.0));
    s.handle_session(life(T0, T0 + 24.0 * H), T0, 0.999);
    assert_eq!(s.poll_timeout(), Some(T0 + 24.0 * H - 60_000.0 - 4_995.0));
    // Nonsense jitter is clamped / ignored.
    s.handle_session(life(T0, T0 + 24.0 * H), T0, f64::NAN);
    assert_eq!(s.poll_timeout(), Some(T0 + 24.0 * H - 60_000.0));
    s.handle_session(life(T0, T0 + 24.0 * H), T0, 7.0);
    assert_eq!(s.poll_timeout(), Some(T0 + 24.0 * H - 65_000.0));
}

#[test]
fn refreshes_a_5s_token_at_half_its_life() {
    let mut p = Pair::new(SchedulerConfig::default(), 5_000.0, 0.0);
    assert_eq!(p.sched.poll_timeout(), Some(T0 + 2_500.0));
    p.script.extend([Answer::Ok(5_000.0); 4]);
    assert_eq!(p.drive_bounded(4), 4);
    assert_eq!(
        p.log,
        [
            (T0 + 2_500.0, Some(T0 + 5_000.0)),
            (T0 + 5_000.0, Some(T0 + 7_500.0)),
            (T0 + 7_500.0, Some(T0 + 10_000.0)),
            (T0 + 10_000.0, Some(T0 + 12_500.0)),
        ]
    );
    // With jitter 0.5: lead = 2500 + 0.5 * min(5000, 500).
    let p = Pair::new(SchedulerConfig::default(), 5_000.0, 0.5);
    assert_eq!(p.sched.poll_timeout(), Some(T0 + 2_250.0));
    // An already expired session refreshes at once.
    let mut s = Scheduler::new(SchedulerConfig::default());
    s.handle_session(life(T0, T0 - 1.0), T0, 0.9);
    assert_eq!(s.poll_timeout(), Some(T0));
    assert!(s.handle_timeout(T0));
}

#[test]
fn transient_failures_back_off_exponentially_then_recover() {
    let mut p = Pair::new(SchedulerConfig::default(), H, 0.0);
    let r0 = T0 + H - 60_000.0;
    p.script.extend([Answer::Fail(None); 9]);
    p.script.push_back(Answer::Ok(H));
    assert_eq!(p.drive_bounded(11), 11);
    let delays = [
        1_000.0, 2_000.0, 4_000.0, 8_000.0, 16_000.0, 32_000.0, 60_000.0, 60_000.0, 60_000.0,
    ];
    let mut t = r0;
    for (i, d) in delays.iter().enumerate() {
        assert_eq!(p.log[i], (t, Some(t + d)), "failure {}", i + 1);
        t += d;
    }
    // The 10th attempt succeeds: back to a normal schedule, failures forgotten.
    assert_eq!(p.log[9], (t, Some(t + H - 60_000.0)));
    assert_eq!(p.sched.failures(), 0);
    assert_eq!(p.sched.last_failure_at(), None);
    assert_eq!(p.sched.phase(), Phase::Waiting);
}

#[test]
fn a_failure_is_remembered_until_the_retry_point() {
    let mut s = Scheduler::new(SchedulerConfig::default());
    s.handle_session(life(T0, T0 + H), T0, 0.0);
    assert!(s.may_refresh(T0));
    s.begin_refresh();
    assert_eq!(s.phase(), Phase::Refreshing);
    assert_eq!(
        s.poll_timeout(),
        None,
        "no timer while a refresh is in flight"
    );
    assert!(s.handle_refresh_result(
        T0 + 20.0,
        RefreshOutcome::Transient {
            retry_after_ms: None
        },
        0.0
    ));
    assert_eq!(s.phase(), Phase::BackingOff);
    assert_eq!(s.expires_at(), Some(T0 + H), "the session is kept");
    assert_eq!(s.failures(), 1);
    assert_eq!(s.last_failure_at(), Some(T0 + 20.0));
    assert_eq!(s.poll_timeout(), Some(T0 + 1_020.0));
    assert!(!s.may_refresh(T0 + 1_019.0));
    assert!(!s.handle_timeout(T0 + 1_019.0));
    assert!(s.may_refresh(T0 + 1_020.0));
    assert!(s.handle_timeout(T0 + 1_020.0));
    assert!(!s.handle_timeout(T0 + 1_021.0), "fires once");
}

#[test]
fn retry_after_is_honoured_and_capped() {
    let mut p = Pair::new(SchedulerConfig::default(), H, 0.0);
    let r0 = T0 + H - 60_000.0;
    p.script.extend([
        Answer::Fail(Some(30_000.0)),
        Answer::Fail(Some(3_600_000.0)),
        Answer::Fail(Some(f64::NAN)),
        Answer::Ok(H),
    ]);
    assert_eq!(p.drive_bounded(4), 4);
    assert_eq!(p.log[0], (r0, Some(r0 + 30_000.0)));
    let r1 = r0 + 30_000.0;
    assert_eq!(
        p.log[1],
        (r1, Some(r1 + 600_000.0)),
        "capped at max_retry_after"
    );
    let r2 = r1 + 600_000.0;
    assert_eq!(
        p.log[2],
        (r2, Some(r2 + 4_000.0)),
        "a bad Retry-After falls back to backoff (3rd failure)"
    );
}

#[test]
fn fatal_signs_out() {
    let mut p = Pair::new(SchedulerConfig::default(), H, 0.0);
    p.script.push_back(Answer::Dead);
    assert_eq!(p.drive_bounded(10), 1);
    assert_eq!(p.log, [(T0 + H - 60_000.0, None)]);
    assert_eq!(p.sched.phase(), Phase::SignedOut);
    assert_eq!(p.sched.poll_timeout(), None);
    assert_eq!(p.sched.expires_at(), None);
    assert!(!p.sched.handle_timeout(T0 + 100.0 * H));
    // A late success after sign-out does not resurrect the session.
    assert!(!p.sched.handle_refresh_result(
        T0 + H,
        RefreshOutcome::Success {
            lifetime: Lifetime {
                received_at_ms: T0 + H,
                expires_at_ms: T0 + 2.0 * H
            }
        },
        0.0
    ));
    assert_eq!(p.sched.phase(), Phase::SignedOut);
}

#[test]
fn stale_results_are_ignored() {
    let mut s = Scheduler::new(SchedulerConfig::default());
    s.handle_session(life(T0, T0 + H), T0, 0.0);
    assert!(!s.handle_refresh_result(
        T0,
        RefreshOutcome::Transient {
            retry_after_ms: None
        },
        0.0
    ));
    assert!(!s.handle_refresh_result(T0, RefreshOutcome::Fatal, 0.0));
    assert_eq!(s.phase(), Phase::Waiting);
    // Another tab refreshed while this one was refreshing: its session wins, failures reset.
    s.begin_refresh();
    assert_eq!(s.phase(), Phase::Refreshing);
    s.handle_session(life(T0, T0 + 2.0 * H), T0 + 5.0, 0.0);
    assert_eq!(s.phase(), Phase::Waiting);
    assert_eq!(s.poll_timeout(), Some(T0 + 2.0 * H - 60_000.0));
    s.handle_session(None, T0 + 6.0, 0.0);
    assert_eq!(s.phase(), Phase::SignedOut);
    assert_eq!(s.poll_timeout(), None);
}

#[test]
fn clock_skew_between_server_and_browser_is_irrelevant() {
    // The server's clock is 5 minutes behind, right, or ahead of the browser's: its token's `exp`
    // claim says so, its `expires_in` (3600) does not. The browser receives the answer at T0.
    let mut wakes = Vec::new();
    let mut exps = Vec::new();
    for skew in [-300_000.0, 0.0, 300_000.0] {
        let server_exp_s = (T0 + skew) / 1000.0 + 3600.0;
        let claims = json!({"sub": "a@b.c", "exp": server_exp_s}).to_string();
        let jwt = format!("h.{}.s", URL_SAFE_NO_PAD.encode(claims));
        let answer = json!({"access_token": jwt, "expires_in": 3600, "refresh_token": "r"});
        let grant =
            parse_token(&native::resp(200, &answer.to_string()), TokenCall::SignIn).unwrap();
        let exp = native::claims(grant.access_token.secret()).unwrap().exp_s;
        exps.push(exp.unwrap() * 1000.0 - T0);
        let session = Session::from_grant(grant, T0, "c".into(), None);
        let mut s = Scheduler::new(SchedulerConfig::default());
        s.handle_session(Some(session.lifetime()), T0, 0.0);
        wakes.push(s.poll_timeout());
    }
    // The three answers really differ by the skew…
    assert_eq!(exps, [H - 300_000.0, H, H + 300_000.0]);
    // …and the refresh point is the same: one hour after receipt on the local clock, less the leeway.
    assert_eq!(wakes, [Some(T0 + H - 60_000.0); 3]);
}

#[test]
fn waking_long_after_the_deadline_refreshes_once() {
    let mut s = Scheduler::new(SchedulerConfig::default());
    s.handle_session(life(T0, T0 + H), T0, 0.0);
    let deadline = s.poll_timeout().unwrap();
    // The laptop slept: the timer never fired; the page wakes 8 hours after the deadline.
    let wake = deadline + 8.0 * H;
    assert!(session(T0, T0 + H).needs_refresh(wake, 60_000.0));
    assert!(s.handle_timeout(wake));
    assert!(!s.handle_timeout(wake + 1.0));
    assert!(!s.handle_timeout(wake + 2.0));
    assert_eq!(s.phase(), Phase::Refreshing);
    assert!(s.handle_refresh_result(
        wake + 300.0,
        RefreshOutcome::Success {
            lifetime: Lifetime {
                received_at_ms: wake + 300.0,
                expires_at_ms: wake + 300.0 + H
            }
        },
        0.0
    ));
    assert_eq!(s.poll_timeout(), Some(wake + 300.0 + H - 60_000.0));
}

#[test]
fn on_demand_callers_refresh_at_the_same_point_without_jitter() {
    // A 5 s token is due at half its life, not always (the leeway is 60 s).
    let short = session(T0, T0 + 5_000.0);
    assert!(!short.needs_refresh(T0 + 2_499.0, 60_000.0));
    assert!(short.needs_refresh(T0 + 2_500.0, 60_000.0));
    let hour = session(T0, T0 + H);
    assert!(!hour.needs_refresh(T0 + H - 60_001.0, 60_000.0));
    assert!(hour.needs_refresh(T0 + H - 60_000.0, 60_000.0));
    assert!(!hour.needs_refresh(f64::NAN, 60_000.0));
    // The timer's deadline with jitter 0 is that same point; jitter only ever makes it earlier.
    let mut s = Scheduler::new(SchedulerConfig::default());
    for (sess, now) in [(&short, T0), (&hour, T0 + 1_000.0)] {
        s.handle_session(Some(sess.lifetime()), now, 0.0);
        assert_eq!(s.poll_timeout(), Some(sess.lifetime().refresh_at(60_000.0)));
        s.handle_session(Some(sess.lifetime()), now, 0.99);
        assert!(s.poll_timeout().unwrap() < sess.lifetime().refresh_at(60_000.0));
    }
}

#[test]
fn a_failing_server_is_polled_at_most_once_a_minute() {
    let mut p = Pair::new(SchedulerConfig::default(), H, 0.0);
    p.script.extend([Answer::Fail(None); 100]);
    assert_eq!(p.drive_bounded(100), 100);
    let times: Vec<f64> = p.log.iter().map(|(t, _)| *t).collect();
    for w in times.windows(2).skip(7) {
        assert_eq!(w[1] - w[0], 60_000.0);
    }
    assert_eq!(p.sched.failures(), 100);
}

#[test]
fn custom_config_and_zero_leeway() {
    let cfg = SchedulerConfig {
        leeway_ms: 0.0,
        jitter_ms: 0.0,
        min_backoff_ms: 500.0,
        max_backoff_ms: 1_500.0,
        max_retry_after_ms: 10.0,
    };
    let mut p = Pair::new(cfg, 10_000.0, 0.7);
    assert_eq!(p.sched.poll_timeout(), Some(T0 + 10_000.0));
    p.script.extend([
        Answer::Fail(None),
        Answer::Fail(None),
        Answer::Fail(None),
        Answer::Fail(Some(99.0)),
    ]);
    assert_eq!(p.drive_bounded(4), 4);
    let t = T0 + 10_000.0;
    assert_eq!(
        p.log,
        [
            (t, Some(t + 500.0)),
            (t + 500.0, Some(t + 1_500.0)),
            (t + 1_500.0, Some(t + 3_000.0)),
            (t + 3_000.0, Some(t + 3_010.0)),
        ]
    );
    let d = SchedulerConfig::default();
    assert_eq!(
        (
            d.leeway_ms,
            d.jitter_ms,
            d.min_backoff_ms,
            d.max_backoff_ms,
            d.max_retry_after_ms
        ),
        (60_000.0, 5_000.0, 1_000.0, 60_000.0, 600_000.0)
    );
}
