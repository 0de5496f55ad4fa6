//! Cross-tab decisions, pure: which of several copies of a session is the freshest, which event
//! a tab fires when it adopts another tab's session, and what a refresh does after the Web Lock
//! and after the server's answer. The browser layer gathers the copies (its own, the stored one,
//! the IndexedDB ledger, a BroadcastChannel message) and carries out what these functions return.
//!
//! The rules follow from two facts of the platform (docs/PLATFORM.md#refresh-token-rotation, #cross-tab-storage-order): Nexudus rotates the
//! refresh token on every refresh, so a tab that refreshes with a rotated-away token is told
//! `invalid_grant`; and a `localStorage` read right after a lock hand-off may be stale.

use super::session::Session;

/// The session events of the contract.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum AuthEvent {
    /// A sign-in (password, exchange, reset) here or in another tab.
    SignedIn,
    /// A refresh here or in another tab.
    TokenRefreshed,
    /// A sign-out, an expired session, or a discarded stored session.
    SignedOut,
}

impl AuthEvent {
    /// The name JS sees.
    pub fn as_str(self) -> &'static str {
        match self {
            AuthEvent::SignedIn => "SIGNED_IN",
            AuthEvent::TokenRefreshed => "TOKEN_REFRESHED",
            AuthEvent::SignedOut => "SIGNED_OUT",
        }
    }
}

/// The freshest of `mine` and `others`: a copy replaces the best so far only when it is a later
/// rotation of the same sign-in (same `client_id` and email, later expiry). A copy of another
/// identity is another sign-in, which arrives with its own message; it never wins here.
/// With nothing of its own, the first copy is taken.
pub fn freshest(
    mine: Option<Session>,
    others: impl IntoIterator<Item = Session>,
) -> Option<Session> {
    let mut best = mine;
    for c in others {
        let newer = best
            .as_ref()
            .is_none_or(|b| b.same_sign_in(&c) && c.expires_at_ms > b.expires_at_ms);
        if newer {
            best = Some(c);
        }
    }
    best
}

/// The event a tab fires when it replaces `current` with another tab's `remote`; `None` when
/// nothing changes (the same tokens, or signed out on both sides). `hint` is what the other tab
/// said it did; a session of the same sign-in is a refresh whatever the hint.
pub fn adopt_event(
    current: Option<&Session>,
    remote: Option<&Session>,
    hint: AuthEvent,
) -> Option<AuthEvent> {
    match (current, remote) {
        (None, None) => None,
        (Some(a), Some(b)) if a.same_as(b) => None,
        (Some(a), Some(b)) if a.same_sign_in(b) => Some(AuthEvent::TokenRefreshed),
        (Some(_), Some(_)) if hint == AuthEvent::TokenRefreshed => Some(AuthEvent::TokenRefreshed),
        (_, Some(_)) => Some(AuthEvent::SignedIn),
        (Some(_), None) => Some(AuthEvent::SignedOut),
    }
}

/// What a tab does once it holds the refresh lock.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum AfterLock {
    /// Nobody is signed in any more: nothing to refresh.
    NotSignedIn,
    /// Another tab rotated the session meanwhile: adopt the freshest copy, send nothing.
    Adopt,
    /// Send the refresh grant with the freshest copy's refresh token.
    Refresh,
}

/// Decides, under the lock, between adopting another tab's rotation and refreshing.
///
/// `before` is the session that looked due, `freshest` the best copy seen under the lock,
/// `forced` a `refresh()` or a 401, `waited` whether another tab held the lock first. A copy
/// that differs from `before` was rotated elsewhere: adopt it, except on a forced refresh that
/// did not wait and finds that copy already expired (then refresh it).
pub fn after_lock(
    before: &Session,
    freshest: Option<&Session>,
    forced: bool,
    waited: bool,
    now_ms: f64,
) -> AfterLock {
    let Some(current) = freshest else {
        return AfterLock::NotSignedIn;
    };
    let rotated_elsewhere = !current.same_as(before);
    if rotated_elsewhere && (waited || !forced || !current.is_expired(now_ms)) {
        AfterLock::Adopt
    } else {
        AfterLock::Refresh
    }
}

/// Whether a tab that waited for the lock and still sees `before` should wait briefly for the
/// previous holder's message: its `localStorage` read may be stale after the hand-off.
pub fn wait_for_handoff(before: &Session, freshest: Option<&Session>, waited: bool) -> bool {
    waited && freshest.is_some_and(|c| c.same_as(before))
}

/// What to do with a successful refresh of `used`, given this tab's copy `mine` now.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum AfterRefresh {
    /// Store it, tell the other tabs, fire `TOKEN_REFRESHED`.
    Keep,
    /// A sign-in of someone else (or a newer copy) arrived meanwhile: keep that one.
    Discard,
    /// The customer signed out meanwhile: stay signed out.
    SignedOut,
}

/// A refresh answer is kept only when this tab still holds the session it decided to refresh
/// (`before`) or the copy it refreshed (`used`): a sign-out must stay signed out and another
/// sign-in must not be overwritten. `used` differs from `before` when [`after_lock`] picked
/// another tab's fresher copy that this tab never adopted; the server has rotated that copy's
/// refresh token, so dropping the answer would leave every copy with a dead one.
pub fn after_refresh(mine: Option<&Session>, before: &Session, used: &Session) -> AfterRefresh {
    match mine {
        None => AfterRefresh::SignedOut,
        Some(m) if m.same_as(before) || m.same_as(used) => AfterRefresh::Keep,
        Some(_) => AfterRefresh::Discard,
    }
}

/// What to do when the server says `invalid_grant` to the refresh token of `used`.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum LostRotation {
    /// Another tab rotated first and its session is visible now: adopt it, stay signed in.
    Adopt,
    /// No newer session anywhere: the session is over, sign out.
    SignOut,
}

/// After `invalid_grant`: adopt `latest` when it is a different session than `used` (another
/// tab won the rotation race), else sign out.
pub fn after_lost_rotation(used: &Session, latest: Option<&Session>) -> LostRotation {
    match latest {
        Some(l) if !l.same_as(used) => LostRotation::Adopt,
        _ => LostRotation::SignOut,
    }
}
