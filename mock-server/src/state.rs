//! Shared mutable state: users, issued tokens, counters, settings, faults, outbox and request log.
//!
//! Everything lives behind one mutex and every handler does its whole read-check-write under a
//! single lock, so counters and single-use tokens are exact even under concurrent requests.

use std::collections::{BTreeMap, HashMap, HashSet, VecDeque};
use std::sync::{Mutex, MutexGuard};

use rand::RngCore;
use serde::Serialize;
use serde_json::{json, Value};
use tokio::sync::watch;

use crate::faults::Fault;
use crate::reqlog::LoggedRequest;
use crate::{jwt, Config};

/// The password every demo user starts with.
pub const PASSWORD: &str = "Passw0rd!";
/// Bob's TOTP secret (base32).
pub const BOB_TOTP_SECRET: &str = "JBSWY3DPEHPK3PXP";
/// The `aud` of one-time JWTs this "space" accepts.
pub const SPACE_AUDIENCE: &str = "mock-space";
/// Lifetime of a one-time JWT (5 minutes).
pub const ONE_TIME_JWT_TTL: u64 = 300;
/// Default refresh-token lifetime (15 days).
pub const DEFAULT_REFRESH_TTL: u64 = 15 * 24 * 3600;

/// How a user behaves at sign-in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum UserKind {
    /// Plain email + password.
    Password,
    /// Needs a TOTP code as well.
    Totp,
    /// Must reset the password before signing in.
    MustReset,
    /// Suspended: every sign-in fails.
    Suspended,
}

/// A demo customer.
#[derive(Clone, Debug)]
pub struct User {
    /// Customer id (`/api/public/billing/customer` → `Id`).
    pub id: u64,
    /// Canonical (lower-case) email.
    pub email: String,
    /// Full name.
    pub name: String,
    /// Current password (changed by a password reset).
    pub password: String,
    /// Base32 TOTP secret when 2FA is on.
    pub totp_secret: Option<&'static str>,
    /// Set until the user completes a password reset.
    pub must_reset: bool,
    /// Suspended accounts cannot sign in.
    pub suspended: bool,
}

impl User {
    /// The behaviour this user shows right now.
    pub fn kind(&self) -> UserKind {
        if self.suspended {
            UserKind::Suspended
        } else if self.must_reset {
            UserKind::MustReset
        } else if self.totp_secret.is_some() {
            UserKind::Totp
        } else {
            UserKind::Password
        }
    }
}

/// The four demo users, in their initial state.
pub fn demo_users() -> Vec<User> {
    let user = |id, email: &str, name: &str| User {
        id,
        email: email.into(),
        name: name.into(),
        password: PASSWORD.into(),
        totp_secret: None,
        must_reset: false,
        suspended: false,
    };
    vec![
        user(1, "alice@example.com", "Alice Martin"),
        User {
            totp_secret: Some(BOB_TOTP_SECRET),
            ..user(2, "bob@example.com", "Bob Stone")
        },
        User {
            must_reset: true,
            ..user(3, "carol@example.com", "Carol Diaz")
        },
        User {
            suspended: true,
            ..user(4, "dave@example.com", "Dave Kim")
        },
    ]
}

/// A live refresh token.
#[derive(Clone, Debug)]
pub struct RefreshGrant {
    /// Whose token it is.
    pub email: String,
    /// The `client_id` it is bound to (the header at sign-in, else the email).
    pub client_id: String,
    /// Unix seconds after which it is dead.
    pub expires_at: f64,
}

/// A single-use opaque token for an email (portal `t`, password reset).
#[derive(Clone, Debug)]
pub struct Expiring {
    /// Whose token it is.
    pub email: String,
    /// Unix seconds after which it is dead.
    pub expires_at: f64,
}

/// One message in the mock outbox.
#[derive(Clone, Debug, Serialize)]
pub struct Email {
    /// Recipient.
    pub to: String,
    /// Subject line.
    pub subject: String,
    /// The link a person would click.
    pub link: String,
    /// The secret inside the link (reset token or one-time JWT).
    pub token: String,
    /// When it was "sent" (ms since the epoch).
    pub at: u64,
}

/// Request counters exposed on `/mock/stats`.
#[derive(Clone, Debug, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Stats {
    /// `/api/token` password grants (any outcome).
    pub password: u64,
    /// `/api/token` refresh_token grants (any outcome).
    pub refresh: u64,
    /// Refresh grants per `client_id` header (`(none)` when absent).
    pub refresh_by_client_id: BTreeMap<String, u64>,
    /// `/api/sys/users/exchange` calls (any outcome).
    pub exchange: u64,
    /// One-time server tokens issued by `/api/sys/users/token/refresh`.
    pub one_time: u64,
    /// Refresh grants that failed.
    pub failed_refresh: u64,
    /// Password grants that failed.
    pub failed_password: u64,
    /// Exchanges that failed.
    pub failed_exchange: u64,
    /// Rebilly exchanges (any outcome).
    pub rebilly_exchange: u64,
    /// API requests (`/api/*`, `/rebilly/*`; preflights excluded), faulted ones included.
    pub requests: u64,
}

/// Lifetimes that `/mock/config` can change.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Settings {
    /// Access-token lifetime for everyone (seconds).
    pub access_ttl_seconds: u64,
    /// True once `/mock/config` set the global lifetime (then it also overrides `validForInMinutes`).
    pub access_ttl_overridden: bool,
    /// Per-`client_id` access-token lifetimes.
    pub access_ttl_by_client_id: BTreeMap<String, u64>,
    /// Refresh-token lifetime (15 days).
    pub refresh_ttl_seconds: u64,
    /// Password-reset token lifetime.
    pub reset_token_ttl_seconds: u64,
    /// Portal one-time `t` lifetime (60 s).
    pub portal_token_ttl_seconds: u64,
}

impl Settings {
    fn new(access_ttl: u64) -> Self {
        Self {
            access_ttl_seconds: access_ttl,
            access_ttl_overridden: false,
            access_ttl_by_client_id: BTreeMap::new(),
            refresh_ttl_seconds: DEFAULT_REFRESH_TTL,
            reset_token_ttl_seconds: 3600,
            portal_token_ttl_seconds: 60,
        }
    }
}

/// Everything mutable, guarded by [`AppState::lock`].
pub struct Inner {
    /// HS256 key for every JWT; random per start and per `/mock/reset`.
    pub secret: [u8; 32],
    /// Demo users.
    pub users: Vec<User>,
    /// Live refresh tokens.
    pub refresh_tokens: HashMap<String, RefreshGrant>,
    /// `jti`s of one-time JWTs already exchanged.
    pub used_jti: HashSet<String>,
    /// Live portal one-time tokens (`t`).
    pub portal_tokens: HashMap<String, Expiring>,
    /// Live password-reset tokens.
    pub reset_tokens: HashMap<String, Expiring>,
    /// Live Rebilly authentication tokens → customer id.
    pub rebilly_tokens: HashMap<String, String>,
    /// Portal cookie → email.
    pub portal_sessions: HashMap<String, String>,
    /// Sent emails, oldest first.
    pub outbox: Vec<Email>,
    /// Counters.
    pub stats: Stats,
    /// Lifetimes.
    pub settings: Settings,
    /// Pending injected faults, in order.
    pub faults: Vec<Fault>,
    /// Last API requests, oldest first.
    pub requests: VecDeque<LoggedRequest>,
    /// Id of the next logged request.
    pub next_request_id: u64,
}

impl Inner {
    fn new(access_ttl: u64) -> Self {
        let mut secret = [0u8; 32];
        rand::thread_rng().fill_bytes(&mut secret);
        Self {
            secret,
            users: demo_users(),
            refresh_tokens: HashMap::new(),
            used_jti: HashSet::new(),
            portal_tokens: HashMap::new(),
            reset_tokens: HashMap::new(),
            rebilly_tokens: HashMap::new(),
            portal_sessions: HashMap::new(),
            outbox: Vec::new(),
            stats: Stats::default(),
            settings: Settings::new(access_ttl),
            faults: Vec::new(),
            requests: VecDeque::new(),
            next_request_id: 1,
        }
    }

    /// The user with this email (case-insensitive).
    pub fn user(&self, email: &str) -> Option<&User> {
        let email = email.trim();
        self.users
            .iter()
            .find(|u| u.email.eq_ignore_ascii_case(email))
    }

    /// Mutable access to the user with this email (case-insensitive).
    pub fn user_mut(&mut self, email: &str) -> Option<&mut User> {
        let email = email.trim();
        self.users
            .iter_mut()
            .find(|u| u.email.eq_ignore_ascii_case(email))
    }

    /// Access-token lifetime for a sign-in or refresh bound to `client_id`.
    pub fn access_ttl_for(&self, client_id: &str) -> u64 {
        let s = &self.settings;
        s.access_ttl_by_client_id
            .get(client_id)
            .copied()
            .unwrap_or(s.access_ttl_seconds)
    }

    /// A `/mock/config` override for `client_id`, if any (used by the JWT exchange).
    pub fn access_ttl_override(&self, client_id: &str) -> Option<u64> {
        let s = &self.settings;
        s.access_ttl_by_client_id
            .get(client_id)
            .copied()
            .or(s.access_ttl_overridden.then_some(s.access_ttl_seconds))
    }

    /// Signs an access token for `user` valid for `ttl` seconds from `now`.
    pub fn access_token(&self, user: &User, ttl: u64, now: f64) -> String {
        let claims = json!({
            "sub": user.email, "email": user.email, "name": user.name,
            "iat": now.floor() as u64, "exp": (now + ttl as f64).ceil() as u64,
            "jti": random_token(16), "typ": "access",
        });
        jwt::sign(&self.secret, &claims)
    }

    /// Stores and returns a new refresh token.
    pub fn issue_refresh(&mut self, email: &str, client_id: &str, now: f64) -> String {
        let token = random_token(32);
        let grant = RefreshGrant {
            email: email.into(),
            client_id: client_id.into(),
            expires_at: now + self.settings.refresh_ttl_seconds as f64,
        };
        self.refresh_tokens.insert(token.clone(), grant);
        token
    }

    /// The OAuth token response for a sign-in, refresh or exchange.
    pub fn token_response(&mut self, email: &str, client_id: &str, ttl: u64, now: f64) -> Value {
        let user = self.user(email).cloned().expect("caller checked the user");
        let access = self.access_token(&user, ttl, now);
        let refresh = self.issue_refresh(&user.email, client_id, now);
        json!({"access_token": access, "token_type": "bearer", "expires_in": ttl, "refresh_token": refresh})
    }

    /// Signs a one-time JWT (for the exchange) for `email`.
    pub fn one_time_jwt(&self, email: &str, ttl: u64, now: f64) -> String {
        let claims = json!({
            "sub": email, "email": email, "jti": random_token(16),
            "iat": now.floor() as u64, "exp": (now + ttl as f64).ceil() as u64,
            "aud": SPACE_AUDIENCE, "typ": "one-time",
        });
        jwt::sign(&self.secret, &claims)
    }

    /// Creates a password-reset token for `email` and puts the reset email in the outbox.
    pub fn send_reset_email(&mut self, email: &str, origin: &str, now: f64) -> String {
        let token = random_token(24);
        let expires_at = now + self.settings.reset_token_ttl_seconds as f64;
        self.reset_tokens.insert(
            token.clone(),
            Expiring {
                email: email.into(),
                expires_at,
            },
        );
        let link = format!(
            "{origin}/?resetToken={token}&email={}",
            crate::reply::url_encode(email)
        );
        self.push_email(email, "Reset your password", link, token.clone());
        token
    }

    /// Appends an email to the outbox.
    pub fn push_email(&mut self, to: &str, subject: &str, link: String, token: String) {
        let at = crate::clock::now_ms();
        self.outbox.push(Email {
            to: to.into(),
            subject: subject.into(),
            link,
            token,
            at,
        });
    }
}

/// Shared application state handed to every handler.
pub struct AppState {
    inner: Mutex<Inner>,
    /// Startup configuration.
    pub config: Config,
    /// Bumped to make every open connection close once idle (used before a `drop` fault).
    pub connection_reset: watch::Sender<u64>,
}

impl AppState {
    /// Fresh state for `config`.
    pub fn new(config: Config) -> Self {
        Self {
            inner: Mutex::new(Inner::new(config.access_ttl)),
            config,
            connection_reset: watch::Sender::new(0),
        }
    }

    /// Locks the state (a panic in another handler does not poison it for good).
    pub fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// `/mock/reset`: back to the initial state with a new signing key.
    pub fn reset(&self) {
        *self.lock() = Inner::new(self.config.access_ttl);
    }

    /// Asks every open connection to close as soon as it is idle.
    pub fn close_idle_connections(&self) {
        self.connection_reset.send_modify(|n| *n += 1);
    }
}

/// A random URL-safe token of `bytes` random bytes (base64url, no padding).
pub fn random_token(bytes: usize) -> String {
    use base64::Engine as _;
    let mut buf = vec![0u8; bytes];
    rand::thread_rng().fill_bytes(&mut buf);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(buf)
}
