#![cfg(not(target_arch = "wasm32"))]
//! `src/core/client.rs`: one client's lifecycle, step by step as the JavaScript shell drives it
//! (sign-in, refresh with its lock decisions, failures, another tab's copies, sign-out), with
//! `now` and `jitter` passed in.

use nexudus_auth::core::client::{Begin, Client, LockStep, RefreshMode, Refreshed};
use nexudus_auth::core::responses::TokenCall;
use nexudus_auth::core::scheduler::Phase;
use nexudus_auth::core::session::Session;
use nexudus_auth::core::sync::AuthEvent;
use nexudus_auth::core::{
    AccessToken, Config, ConfigInput, ErrorCode, HttpResponse, RefreshToken, RequestBody,
};
use serde_json::json;

mod native;

use native::resp;

const T0: f64 = 1_795_417_200_000.0;
const HOUR: f64 = 3_600_000.0;

fn client() -> Client {
    let cfg = Config::new(ConfigInput {
        base_url: Some("https://api.example.com".into()),
        ..ConfigInput::default()
    })
    .expect("valid config");
    Client::new(cfg)
}

/// A token answer: access token `token`, valid an hour, refresh token `r-<token>`.
fn answer(token: &str) -> HttpResponse {
    let body = json!({"access_token": token, "token_type": "bearer", "expires_in": 3600, "refresh_token": format!("r-{token}")});
    resp(200, &body.to_string())
}

fn invalid_grant() -> HttpResponse {
    resp(
        400,
        r#"{"error":"invalid_grant","error_description":"The refresh token is invalid."}"#,
    )
}

/// `c` signed in as `email` at `now` with access token `token`.
fn signed_in(c: &mut Client, email: &str, token: &str, now: f64) -> Session {
    let client_id = Some(format!("nexudus.portal.{email}"));
    c.on_grant(
        TokenCall::SignIn,
        client_id,
        Some(email.into()),
        None,
        &answer(token),
        |_| None,
        now,
        0.5,
    )
    .expect("signed in")
    .clone()
}

fn token(c: &Client) -> Option<&str> {
    c.session().map(|s| s.access_token.secret())
}

#[test]
fn a_sign_in_becomes_the_session_and_schedules_its_refresh() {
    let mut c = client();
    assert_eq!(c.phase(), Phase::SignedOut);
    assert!(c.poll_timeout().is_none());
    let s = signed_in(&mut c, "a@x.io", "a1", T0);
    assert_eq!(s.client_id, "nexudus.portal.a@x.io");
    assert_eq!(s.expires_at_ms, T0 + HOUR);
    assert_eq!(c.phase(), Phase::Waiting);
    // the timer wakes by the refresh point (60 s before expiry by default; jitter only earlier)
    let wake = c.poll_timeout().expect("a timer");
    assert!(
        wake <= T0 + HOUR - 60_000.0 && wake > T0 + HOUR / 2.0,
        "{wake}"
    );
    assert!(!c.needs_refresh(T0 + HOUR - 61_000.0));
    assert!(c.needs_refresh(T0 + HOUR - 59_000.0));
}

#[test]
fn an_answer_without_client_id_or_email_binds_to_the_email_in_the_claims() {
    let mut c = client();
    let s = c
        .on_grant(
            TokenCall::Exchange,
            None,
            None,
            Some(7),
            &answer("x1"),
            |t| Some(format!("{t}@claims.io")),
            T0,
            0.5,
        )
        .expect("exchanged");
    assert_eq!(s.email.as_deref(), Some("x1@claims.io"));
    assert_eq!(s.client_id, "x1@claims.io");
    assert_eq!(s.impersonating, Some(7));
}

#[test]
fn a_failed_grant_leaves_the_client_as_it_was() {
    let mut c = client();
    signed_in(&mut c, "a@x.io", "a1", T0);
    let bad = resp(
        400,
        r#"{"error":"invalid_grant","error_description":"The user name or password is incorrect."}"#,
    );
    let e = c
        .on_grant(TokenCall::SignIn, None, None, None, &bad, |_| None, T0, 0.5)
        .unwrap_err();
    assert_eq!(e.code(), ErrorCode::InvalidCredentials);
    assert_eq!(token(&c), Some("a1"));
}

/// Begins a `mode` refresh at `now` and takes the lock seeing only this tab's session.
fn refreshing(c: &mut Client, mode: RefreshMode, now: f64) {
    assert_eq!(c.begin_refresh(mode, now).unwrap(), Begin::Go);
    let fresh = c.freshest(None);
    assert_eq!(
        c.after_lock(fresh, mode == RefreshMode::Forced, false, now, 0.5),
        LockStep::Refresh
    );
}

/// A copy of `s` rotated elsewhere: access token `token`, refresh token `r-<token>`, expiring at `exp`.
fn rotated(s: &Session, token: &str, exp: f64) -> Session {
    let mut r = s.clone();
    r.access_token = AccessToken::new(token);
    r.refresh_token = Some(RefreshToken::new(format!("r-{token}")));
    r.expires_at_ms = exp;
    r
}

fn grant_body(c: &Client) -> String {
    match c.refresh_request().expect("a grant").body {
        Some(RequestBody::Form(f)) => f,
        other => panic!("not a form: {other:?}"),
    }
}

#[test]
fn begin_refresh_on_demand_only_when_due_and_not_while_backing_off() {
    let mut c = client();
    assert_eq!(
        c.begin_refresh(RefreshMode::Forced, T0).unwrap_err().code(),
        ErrorCode::Unauthorized
    );
    signed_in(&mut c, "a@x.io", "a1", T0);
    assert_eq!(
        c.begin_refresh(RefreshMode::OnDemand, T0).unwrap(),
        Begin::NotDue
    );
    let due = T0 + HOUR - 30_000.0;
    refreshing(&mut c, RefreshMode::OnDemand, due);
    assert_eq!(c.phase(), Phase::Refreshing);
    // a 503 backs off and keeps the session
    let e = c.on_refresh(&resp(503, ""), due, 0.5).unwrap_err();
    assert_eq!(e.code(), ErrorCode::Server);
    c.settle(due, 0.5);
    assert_eq!(c.phase(), Phase::BackingOff);
    assert_eq!(token(&c), Some("a1"));
    assert_eq!(
        c.begin_refresh(RefreshMode::OnDemand, due + 1.0).unwrap(),
        Begin::BackingOff
    );
    // refresh() and a 401 go anyway
    assert_eq!(
        c.begin_refresh(RefreshMode::Forced, due + 1.0).unwrap(),
        Begin::Go
    );
}

#[test]
fn a_good_refresh_rotates_the_session_and_reschedules() {
    let mut c = client();
    let s = signed_in(&mut c, "a@x.io", "a1", T0);
    let now = T0 + HOUR - 30_000.0;
    refreshing(&mut c, RefreshMode::Scheduled, now);
    let r = c.refresh_request().unwrap();
    assert!(r.url.ends_with("/api/token"), "{}", r.url);
    assert!(
        grant_body(&c).contains("refresh_token=r-a1"),
        "{}",
        grant_body(&c)
    );
    assert_eq!(
        c.on_refresh(&answer("a2"), now, 0.5).unwrap(),
        Refreshed::Kept
    );
    c.settle(now, 0.5);
    let next = c.session().unwrap();
    assert_eq!(next.access_token.secret(), "a2");
    assert_eq!(next.client_id, s.client_id);
    assert_eq!(next.expires_at_ms, (now + HOUR).floor());
    assert_eq!(c.phase(), Phase::Waiting);
    assert!(
        c.refresh_request().is_err(),
        "settled: no refresh in progress"
    );
}

#[test]
fn an_answer_after_a_sign_out_is_dropped_and_signed_out_stays() {
    let mut c = client();
    signed_in(&mut c, "a@x.io", "a1", T0);
    refreshing(&mut c, RefreshMode::Forced, T0);
    c.sign_out(T0);
    let e = c.on_refresh(&answer("a2"), T0, 0.5).unwrap_err();
    assert_eq!(e.code(), ErrorCode::Unauthorized);
    assert!(c.session().is_none());
    c.settle(T0, 0.5);
    assert_eq!(c.phase(), Phase::SignedOut);
}

#[test]
fn an_answer_after_another_sign_in_is_discarded() {
    let mut c = client();
    signed_in(&mut c, "a@x.io", "a1", T0);
    refreshing(&mut c, RefreshMode::Forced, T0);
    signed_in(&mut c, "b@x.io", "b1", T0 + 1.0);
    assert_eq!(
        c.on_refresh(&answer("a2"), T0, 0.5).unwrap(),
        Refreshed::Discarded
    );
    assert_eq!(token(&c), Some("b1"));
    // and no answer at all does not back off the other sign-in's schedule
    c.no_answer(T0 + 2.0, 0.5);
    assert_eq!(c.phase(), Phase::Waiting);
}

#[test]
fn a_forced_refresh_of_another_tabs_expired_copy_keeps_its_rotation() {
    // This tab never adopted the other tab's fresher copy; both have expired. The grant uses the
    // copy's live refresh token, so its answer must be kept (else every copy holds a dead one).
    let mut c = client();
    let mine = signed_in(&mut c, "a@x.io", "a1", T0);
    let theirs = rotated(&mine, "a2", T0 + HOUR + 10.0);
    let now = T0 + 2.0 * HOUR;
    assert_eq!(
        c.begin_refresh(RefreshMode::Forced, now).unwrap(),
        Begin::Go
    );
    let fresh = c.freshest([theirs]);
    let step = c.after_lock(fresh, true, false, now, 0.5);
    assert_eq!(
        step,
        LockStep::Refresh,
        "an expired copy is refreshed, not adopted"
    );
    assert!(
        grant_body(&c).contains("refresh_token=r-a2"),
        "{}",
        grant_body(&c)
    );
    assert_eq!(
        token(&c),
        Some("a1"),
        "the copy is not adopted before a good answer"
    );
    assert_eq!(
        c.on_refresh(&answer("a3"), now, 0.5).unwrap(),
        Refreshed::Kept
    );
    assert_eq!(token(&c), Some("a3"));
}

#[test]
fn after_the_lock_a_rotation_made_elsewhere_is_adopted() {
    let mut c = client();
    let mine = signed_in(&mut c, "a@x.io", "a1", T0);
    let theirs = rotated(&mine, "a2", T0 + 2.0 * HOUR);
    assert_eq!(
        c.after_lock(None, false, false, T0, 0.5),
        LockStep::NotSignedIn,
        "no refresh begun"
    );
    c.begin_refresh(RefreshMode::Scheduled, T0 + HOUR).unwrap();
    // a waiter that sees only its own session waits for the previous holder's message
    assert!(c.wait_for_handoff(Some(&mine), true));
    assert!(!c.wait_for_handoff(Some(&mine), false));
    assert!(!c.wait_for_handoff(Some(&theirs), true));
    let fresh = c.freshest([theirs]);
    let step = c.after_lock(fresh, false, true, T0 + HOUR, 0.5);
    assert_eq!(step, LockStep::Adopted(Some(AuthEvent::TokenRefreshed)));
    assert_eq!(token(&c), Some("a2"));
    // no outcome moved the scheduler: settle leaves the refreshing phase
    c.settle(T0 + HOUR, 0.5);
    assert_eq!(c.phase(), Phase::Waiting);
    c.begin_refresh(RefreshMode::Forced, T0 + HOUR).unwrap();
    assert_eq!(
        c.after_lock(None, false, false, T0, 0.5),
        LockStep::NotSignedIn
    );
}

#[test]
fn a_lost_rotation_adopts_the_winner_or_signs_out() {
    let mut c = client();
    let s = signed_in(&mut c, "a@x.io", "a1", T0);
    refreshing(&mut c, RefreshMode::Forced, T0);
    let e = c.on_refresh(&invalid_grant(), T0, 0.5).unwrap_err();
    assert_eq!(e.code(), ErrorCode::SessionExpired);
    assert_eq!(token(&c), Some("a1"), "the failure itself wipes nothing");
    let winner = rotated(&s, "a2", T0 + 2.0 * HOUR);
    assert_eq!(
        c.after_lost_rotation(Some(winner), T0, 0.5),
        Some(Some(AuthEvent::TokenRefreshed))
    );
    assert_eq!(token(&c), Some("a2"));
    c.settle(T0, 0.5);
    // nobody else rotated: the session is over
    refreshing(&mut c, RefreshMode::Forced, T0);
    c.on_refresh(&invalid_grant(), T0, 0.5).unwrap_err();
    let same = c.session().cloned();
    assert_eq!(c.after_lost_rotation(same, T0, 0.5), None);
    assert!(c.session().is_none());
    assert_eq!(c.phase(), Phase::SignedOut);
}

#[test]
fn no_answer_backs_off_and_keeps_the_session() {
    let mut c = client();
    signed_in(&mut c, "a@x.io", "a1", T0);
    refreshing(&mut c, RefreshMode::Forced, T0);
    c.no_answer(T0, 0.5);
    c.settle(T0, 0.5);
    assert_eq!(c.phase(), Phase::BackingOff);
    assert_eq!(token(&c), Some("a1"));
    let retry = c.poll_timeout().expect("a retry is scheduled");
    assert!(retry > T0, "{retry}");
    // the caller still gets the kept token until it expires, then the failure is theirs
    assert!(c.token_valid(T0 + HOUR - 1.0));
    assert!(!c.token_valid(T0 + HOUR));
    assert!(!client().token_valid(T0), "signed out: no token");
}

#[test]
fn another_tabs_sign_out_and_sign_in_are_adopted_with_their_events() {
    let mut c = client();
    let s = signed_in(&mut c, "a@x.io", "a1", T0);
    assert_eq!(
        c.adopt(Some(s.clone()), AuthEvent::SignedIn, T0, 0.5),
        None,
        "the same tokens: nothing"
    );
    assert_eq!(
        c.adopt(None, AuthEvent::SignedIn, T0, 0.5),
        Some(AuthEvent::SignedOut)
    );
    assert_eq!(c.phase(), Phase::SignedOut);
    assert_eq!(
        c.adopt(Some(s), AuthEvent::SignedIn, T0, 0.5),
        Some(AuthEvent::SignedIn)
    );
    assert_eq!(c.phase(), Phase::Waiting);
}

#[test]
fn other_calls_read_their_token_or_the_servers_error() {
    use nexudus_auth::core::client::OtherCall::*;
    let ok = |call: nexudus_auth::core::client::OtherCall, body: &str| call.token(&resp(200, body));
    assert_eq!(
        ok(MediaToken, r#"{"jwt":"m1"}"#).unwrap().as_deref(),
        Some("m1")
    );
    assert_eq!(
        ok(ImpersonationToken, r#"{"token":"i1"}"#)
            .unwrap()
            .as_deref(),
        Some("i1")
    );
    let confirmation = r#"{"WasSuccessful":true,"Value":"t1"}"#;
    assert_eq!(
        ok(OneTimeToken, confirmation).unwrap().as_deref(),
        Some("t1")
    );
    assert_eq!(
        ok(CompletePasswordReset, confirmation).unwrap().as_deref(),
        Some("t1")
    );
    assert_eq!(ok(StartPasswordReset, "").unwrap(), None);
    // a call that must give a token and gave none
    for (call, body) in [
        (MediaToken, r#"{"token":"wrong member"}"#),
        (ImpersonationToken, r#"{"token":""}"#),
        (OneTimeToken, r#"{"WasSuccessful":true}"#),
        (
            CompletePasswordReset,
            r#"{"WasSuccessful":true,"Value":""}"#,
        ),
    ] {
        assert_eq!(
            ok(call, body).unwrap_err().code(),
            ErrorCode::BadResponse,
            "{call:?} {body}"
        );
    }
    // not a team admin, not signed in
    for status in [401, 403, 404] {
        let e = ImpersonationToken.token(&resp(status, "")).unwrap_err();
        assert_eq!(e.code(), ErrorCode::Unauthorized, "{status}");
    }
    assert_eq!(
        MediaToken.token(&resp(503, "")).unwrap_err().code(),
        ErrorCode::Server
    );
}
