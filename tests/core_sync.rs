#![cfg(not(target_arch = "wasm32"))]
//! The cross-tab decisions of `src/core/sync.rs`, case by case, and the refresh point every tab
//! computes from the stored session (`Lifetime::refresh_at`, `Session::needs_refresh`, the
//! scheduler's deadline): a tab that signed in and a tab that restored the session later agree.

use nexudus_auth::core::responses::{parse_token, TokenCall};
use nexudus_auth::core::scheduler::{Scheduler, SchedulerConfig};
use nexudus_auth::core::session::{Lifetime, Session};
use nexudus_auth::core::sync::*;
use nexudus_auth::core::{AccessToken, RefreshToken, Value};
use serde_json::json;

mod native;

use native::{body, resp, stringify, value};

const T0: f64 = 1_795_417_200_000.0;

/// A session of `email` (its own `client_id`) with access token `token`, expiring at `exp`.
fn s(email: &str, token: &str, exp: f64) -> Session {
    Session {
        access_token: AccessToken::new(token),
        token_type: "bearer".into(),
        expires_at_ms: exp,
        received_at_ms: exp - 3_600_000.0,
        refresh_token: Some(RefreshToken::new(format!("r-{token}"))),
        client_id: format!("nexudus.portal.{email}"),
        email: Some(email.into()),
        impersonating: None,
    }
}

/// Which session a result is, by its access token.
fn token(x: Option<Session>) -> Option<String> {
    x.map(|x| x.access_token.secret().to_string())
}

#[test]
fn freshest_takes_the_latest_rotation_of_the_same_sign_in() {
    let mine = s("a@x.io", "a1", T0);
    let rotated = s("a@x.io", "a2", T0 + 10.0);
    let older = s("a@x.io", "a0", T0 - 10.0);
    let newest = s("a@x.io", "a3", T0 + 20.0);
    let other = s("b@x.io", "b1", T0 + 99.0);
    let f = |mine: Option<&Session>, others: &[&Session]| {
        token(freshest(mine.cloned(), others.iter().map(|o| (*o).clone())))
    };
    assert_eq!(f(Some(&mine), &[]), Some("a1".into()));
    assert_eq!(f(None, &[]), None);
    assert_eq!(f(Some(&mine), &[&rotated]), Some("a2".into()));
    assert_eq!(
        f(Some(&mine), &[&older]),
        Some("a1".into()),
        "an older copy never wins"
    );
    assert_eq!(
        f(Some(&mine), &[&s("a@x.io", "a9", T0)]),
        Some("a1".into()),
        "a tie keeps mine"
    );
    assert_eq!(
        f(Some(&mine), &[&other]),
        Some("a1".into()),
        "another identity never wins"
    );
    assert_eq!(
        f(Some(&mine), &[&rotated, &other, &older, &newest]),
        Some("a3".into())
    );
    assert_eq!(
        f(Some(&mine), &[&newest, &rotated]),
        Some("a3".into()),
        "order does not matter"
    );
    // Another sign-in of the same customer (other client_id) is not a rotation of this one.
    let mut other_client = s("a@x.io", "c1", T0 + 50.0);
    other_client.client_id = "my-app".into();
    assert_eq!(f(Some(&mine), &[&other_client]), Some("a1".into()));
    // With nothing of its own, a tab takes the first copy, then that sign-in's later rotations.
    assert_eq!(f(None, &[&other, &rotated]), Some("b1".into()));
    assert_eq!(f(None, &[&older, &other, &newest]), Some("a3".into()));
}

#[test]
fn adopting_another_tabs_session_fires_the_right_event() {
    use AuthEvent::*;
    let a = s("a@x.io", "a1", T0);
    let a_same = a.clone();
    let a_rotated = s("a@x.io", "a2", T0 + 10.0);
    let b = s("b@x.io", "b1", T0 + 10.0);
    for hint in [SignedIn, TokenRefreshed, SignedOut] {
        assert_eq!(adopt_event(None, None, hint), None, "{hint:?}");
        assert_eq!(
            adopt_event(Some(&a), Some(&a_same), hint),
            None,
            "same tokens: {hint:?}"
        );
        assert_eq!(
            adopt_event(Some(&a), Some(&a_rotated), hint),
            Some(TokenRefreshed),
            "{hint:?}"
        );
        assert_eq!(
            adopt_event(None, Some(&a), hint),
            Some(SignedIn),
            "{hint:?}"
        );
        assert_eq!(
            adopt_event(Some(&a), None, hint),
            Some(SignedOut),
            "{hint:?}"
        );
    }
    // Another customer's session: a sign-in, unless the other tab says it refreshed.
    assert_eq!(adopt_event(Some(&a), Some(&b), SignedIn), Some(SignedIn));
    assert_eq!(adopt_event(Some(&a), Some(&b), SignedOut), Some(SignedIn));
    assert_eq!(
        adopt_event(Some(&a), Some(&b), TokenRefreshed),
        Some(TokenRefreshed)
    );
    assert_eq!(
        [SignedIn, TokenRefreshed, SignedOut].map(AuthEvent::as_str),
        ["SIGNED_IN", "TOKEN_REFRESHED", "SIGNED_OUT"]
    );
}

#[test]
fn after_lock_adopts_a_rotation_unless_a_forced_refresh_finds_it_expired() {
    let before = s("a@x.io", "a1", T0 + 1_000.0);
    let live = s("a@x.io", "a2", T0 + 3_600_000.0);
    let dead = s("a@x.io", "a2", T0 - 1.0);
    for forced in [false, true] {
        for waited in [false, true] {
            let case = format!("forced {forced}, waited {waited}");
            assert_eq!(
                after_lock(&before, None, forced, waited, T0),
                AfterLock::NotSignedIn,
                "{case}"
            );
            let same = before.clone();
            assert_eq!(
                after_lock(&before, Some(&same), forced, waited, T0),
                AfterLock::Refresh,
                "{case}"
            );
            assert_eq!(
                after_lock(&before, Some(&live), forced, waited, T0),
                AfterLock::Adopt,
                "{case}"
            );
            let want = if forced && !waited {
                AfterLock::Refresh
            } else {
                AfterLock::Adopt
            };
            assert_eq!(
                after_lock(&before, Some(&dead), forced, waited, T0),
                want,
                "{case}"
            );
        }
    }
    // Expired means from its expiry on.
    let at_edge = s("a@x.io", "a2", T0);
    assert_eq!(
        after_lock(&before, Some(&at_edge), true, false, T0 - 1.0),
        AfterLock::Adopt
    );
    assert_eq!(
        after_lock(&before, Some(&at_edge), true, false, T0),
        AfterLock::Refresh
    );
    // The same token with another expiry is another copy.
    let moved = s("a@x.io", "a1", T0 + 2_000.0);
    assert_eq!(
        after_lock(&before, Some(&moved), false, false, T0),
        AfterLock::Adopt
    );
}

#[test]
fn wait_for_handoff_only_after_waiting_and_seeing_nothing_new() {
    let before = s("a@x.io", "a1", T0);
    let same = before.clone();
    let rotated = s("a@x.io", "a2", T0 + 10.0);
    assert!(wait_for_handoff(&before, Some(&same), true));
    assert!(!wait_for_handoff(&before, Some(&same), false));
    assert!(!wait_for_handoff(&before, Some(&rotated), true));
    assert!(!wait_for_handoff(&before, Some(&rotated), false));
    assert!(!wait_for_handoff(&before, None, true));
    assert!(!wait_for_handoff(&before, None, false));
}

#[test]
fn after_refresh_keeps_the_answer_only_for_the_session_it_refreshed() {
    let used = s("a@x.io", "a1", T0);
    let same = used.clone();
    assert_eq!(after_refresh(Some(&same), &used, &used), AfterRefresh::Keep);
    assert_eq!(after_refresh(None, &used, &used), AfterRefresh::SignedOut);
    let rotated = s("a@x.io", "a2", T0 + 10.0);
    assert_eq!(
        after_refresh(Some(&rotated), &used, &used),
        AfterRefresh::Discard
    );
    let someone_else = s("b@x.io", "b1", T0);
    assert_eq!(
        after_refresh(Some(&someone_else), &used, &used),
        AfterRefresh::Discard
    );
}

#[test]
fn after_refresh_of_a_fresher_copy_this_tab_never_adopted_keeps_the_answer() {
    // after_lock chose another tab's fresher copy (both expired, a forced refresh that did not
    // wait): this tab still holds `before`, the server has rotated `used`'s refresh token.
    let before = s("a@x.io", "a1", T0);
    let used = s("a@x.io", "a2", T0 + 10.0);
    assert_eq!(
        after_lock(&before, Some(&used), true, false, T0 + 20.0),
        AfterLock::Refresh
    );
    assert_eq!(
        after_refresh(Some(&before), &before, &used),
        AfterRefresh::Keep
    );
    assert_eq!(
        after_refresh(Some(&used), &before, &used),
        AfterRefresh::Keep
    );
    assert_eq!(after_refresh(None, &before, &used), AfterRefresh::SignedOut);
    let someone_else = s("b@x.io", "b1", T0 + 15.0);
    assert_eq!(
        after_refresh(Some(&someone_else), &before, &used),
        AfterRefresh::Discard
    );
    let newer = s("a@x.io", "a3", T0 + 30.0);
    assert_eq!(
        after_refresh(Some(&newer), &before, &used),
        AfterRefresh::Discard
    );
}

#[test]
fn after_a_lost_rotation_adopt_the_winner_or_sign_out() {
    let used = s("a@x.io", "a1", T0);
    let winner = s("a@x.io", "a2", T0 + 10.0);
    assert_eq!(
        after_lost_rotation(&used, Some(&winner)),
        LostRotation::Adopt
    );
    assert_eq!(
        after_lost_rotation(&used, Some(&used.clone())),
        LostRotation::SignOut
    );
    assert_eq!(after_lost_rotation(&used, None), LostRotation::SignOut);
    let other = s("b@x.io", "b1", T0);
    assert_eq!(
        after_lost_rotation(&used, Some(&other)),
        LostRotation::Adopt
    );
}

/// The stored session as another tab reads it: `JSON.stringify` → storage → `JSON.parse`.
fn restored(x: &Session) -> Session {
    Session::from_value(body(&stringify(&x.to_value())).json().unwrap()).unwrap()
}

/// The deadline a tab's scheduler sets for `x` at `now` (jitter 0, leeway `leeway`).
fn deadline(x: &Session, now: f64, leeway: f64) -> Option<f64> {
    let cfg = SchedulerConfig {
        leeway_ms: leeway,
        ..SchedulerConfig::default()
    };
    let mut sched = Scheduler::new(cfg);
    sched.handle_session(Some(x.lifetime()), now, 0.0);
    sched.poll_timeout()
}

#[test]
fn every_tab_computes_the_same_refresh_point() {
    // 2-second tokens, `refreshLeewaySeconds: 1`: tab A signs in at T0; tab B restores the stored
    // session half a second later, tab C a second and a half later.
    let answer = json!({"access_token": "A", "expires_in": 2, "refresh_token": "R"}).to_string();
    let grant = parse_token(&resp(200, &answer), TokenCall::SignIn).unwrap();
    let a = Session::from_grant(grant, T0, "c".into(), None);
    let b = restored(&a);
    let c = restored(&b);
    assert_eq!(b.lifetime(), a.lifetime());
    assert_eq!(
        a.lifetime(),
        Lifetime {
            received_at_ms: T0,
            expires_at_ms: T0 + 2_000.0
        }
    );
    for leeway in [0.0, 500.0, 1_000.0, 60_000.0] {
        let point = a.lifetime().refresh_at(leeway);
        assert_eq!(point, T0 + 2_000.0 - leeway.min(1_000.0));
        assert_eq!(b.lifetime().refresh_at(leeway), point);
        assert_eq!(c.lifetime().refresh_at(leeway), point);
        // The same deadline whenever a tab arms its timer before that point (after it: at once).
        assert_eq!(deadline(&a, T0, leeway), Some(point));
        assert_eq!(
            deadline(&b, T0 + 500.0, leeway),
            Some(point.max(T0 + 500.0))
        );
        for now in [
            T0,
            T0 + 500.0,
            point - 1.0,
            point,
            T0 + 1_200.0,
            T0 + 1_999.0,
            T0 + 2_000.0,
        ] {
            let due = [&a, &b, &c].map(|x| x.needs_refresh(now, leeway));
            assert_eq!(due, [now >= point; 3], "leeway {leeway} at +{}", now - T0);
        }
    }
    // Three pages asking together 0.8 s before expiry all see the token as due (issue 11 item 6:
    // a restored tab used to cap the leeway at half the remaining life and return the old token).
    assert!([&a, &b, &c]
        .iter()
        .all(|x| x.needs_refresh(T0 + 1_200.0, 1_000.0)));
    // Jitter only moves a timer earlier, by at most a tenth of the lifetime.
    let mut sched = Scheduler::new(SchedulerConfig {
        leeway_ms: 1_000.0,
        ..SchedulerConfig::default()
    });
    sched.handle_session(Some(b.lifetime()), T0 + 500.0, 0.5);
    assert_eq!(sched.poll_timeout(), Some(T0 + 1_000.0 - 100.0));
}

#[test]
fn a_stored_session_without_received_at_reads_back_sanely() {
    let exp = T0 + 86_400_000.0;
    let old_format = json!({"v": 1, "accessToken": "a", "tokenType": "bearer", "expiresAt": exp,
        "refreshToken": "r", "clientId": "c", "email": null});
    let later = json!({"v": 1, "accessToken": "a", "expiresAt": exp, "receivedAt": exp + 1.0, "clientId": "c"});
    for doc in [old_format, later] {
        let x = Session::from_value(&value(doc.clone())).unwrap();
        assert_eq!(x.expires_at_ms, exp);
        // The lifetime is unknown: the configured leeway applies in full, never past the expiry.
        assert_eq!(x.received_at_ms, 0.0, "{doc}");
        assert_eq!(x.lifetime().refresh_at(60_000.0), exp - 60_000.0);
        assert!(!x.needs_refresh(exp - 60_001.0, 60_000.0));
        assert!(x.needs_refresh(exp - 60_000.0, 60_000.0));
        assert_eq!(x.lifetime().refresh_at(0.0), exp);
        assert_eq!(deadline(&x, T0, 60_000.0), Some(exp - 60_000.0));
        // Read by two tabs at different times, or written back and read again: the same point.
        let again = restored(&x);
        assert_eq!(again.lifetime(), x.lifetime());
        assert_eq!(
            deadline(&again, T0 + 3_600_000.0, 60_000.0),
            Some(exp - 60_000.0)
        );
        assert!(x.same_as(&again) && x.same_sign_in(&again));
    }
    // An expiry before the epoch (a clock set to 1969) keeps the lifetime at zero, not negative.
    let x = Session::from_value(&Value::object(vec![
        ("v", Value::Num(1.0)),
        ("accessToken", Value::Str("a".into())),
        ("expiresAt", Value::Num(-5.0)),
        ("clientId", Value::Str("c".into())),
    ]))
    .unwrap();
    assert_eq!(x.lifetime().duration_ms(), 0.0);
    assert_eq!(x.lifetime().refresh_at(60_000.0), -5.0);
}

#[test]
fn a_rotation_keeps_the_sign_in_and_takes_the_new_lifetime() {
    let mut before = s("a@x.io", "a1", T0);
    before.impersonating = Some(42);
    let answer =
        json!({"access_token": "a2", "expires_in": 600, "refresh_token": "r2"}).to_string();
    let grant = parse_token(&resp(200, &answer), TokenCall::Refresh).unwrap();
    let next = before.rotated(grant, T0 - 10_000.4);
    assert!(next.same_sign_in(&before) && !next.same_as(&before));
    assert_eq!(next.impersonating, Some(42));
    assert_eq!(
        next.refresh_token.as_ref().map(RefreshToken::secret),
        Some("r2")
    );
    let lifetime = Lifetime {
        received_at_ms: T0 - 10_001.0,
        expires_at_ms: T0 + 589_999.0,
    };
    assert_eq!(next.lifetime(), lifetime);
    // Another tab adopting it fires TOKEN_REFRESHED, and it is the freshest copy.
    assert_eq!(
        adopt_event(Some(&before), Some(&next), AuthEvent::SignedIn),
        Some(AuthEvent::TokenRefreshed)
    );
    assert_eq!(
        token(freshest(Some(before.clone()), [next.clone()])),
        Some("a2".into())
    );
    assert_eq!(restored(&next).impersonating, Some(42));
}
