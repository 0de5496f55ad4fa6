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
use crate::jwt::{self, Claims};
use crate::reqlog::LoggedRequest;
use crate::users::{demo_users, User};
use crate::Config;

/// The `aud` of one-time JWTs this "space" accepts.
pub const SPACE_AUDIENCE: &str = "mock-space";
/// Lifetime of a one-time JWT (5 minutes).
pub const ONE_TIME_JWT_TTL: u64 = 300;
/// Default refresh-token lifetime (15 days).
pub const DEFAULT_REFRESH_TTL: u64 = 15 * 24 * 3600;

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

/// A live access token (its `jti` is remembered so `/mock/revoke-access` can kill it early).
#[derive(Clone, Debug)]
pub struct AccessGrant {
    /// The `client_id` its session is bound to.
    pub client_id: String,
    /// Its `exp` (Unix seconds).
    pub exp: u64,
}

/// How many live access-token records are kept before expired ones are pruned.
const ACCESS_PRUNE_AT: usize = 4096;

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
    /// Media tokens issued by `GET /api/auth/media/customer`.
    pub media: u64,
    /// Files served against a media token (`/api/public/billing/invoices/{id}/pdf`).
    pub media_file: u64,
    /// Impersonation one-time JWTs issued by `/api/public/coworkers/{id}/impersonate`.
    pub impersonate: u64,
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
    /// Media token lifetime (60 s).
    pub media_token_ttl_seconds: u64,
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
            media_token_ttl_seconds: 60,
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
    /// Live access tokens by `jti` (an access token whose `jti` is missing here is refused).
    pub access_tokens: HashMap<String, AccessGrant>,
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
            access_tokens: HashMap::new(),
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

    /// Signs an access token for `user`, bound to `client_id`, valid for `ttl` seconds from `now`.
    pub fn access_token(&mut self, user: &User, client_id: &str, ttl: u64, now: f64) -> String {
        let claims = Claims {
            email: Some(user.email.clone()),
            name: Some(user.name.clone()),
            ..Claims::new(jwt::TYP_ACCESS, &user.email, now, ttl)
        };
        if self.access_tokens.len() >= ACCESS_PRUNE_AT {
            let now = now as u64;
            self.access_tokens.retain(|_, g| g.exp > now);
        }
        let grant = AccessGrant {
            client_id: client_id.to_owned(),
            exp: claims.exp,
        };
        self.access_tokens.insert(claims.jti.clone(), grant);
        jwt::sign(&self.secret, &claims)
    }

    /// The user of a valid `Authorization: Bearer` access token: signed by us, `typ:"access"`,
    /// unexpired, not revoked, and the user still exists.
    pub fn bearer_user(&self, token: Option<&str>) -> Option<User> {
        let claims = jwt::verify_typed(&self.secret, token?, jwt::TYP_ACCESS)?;
        if !self.access_tokens.contains_key(&claims.jti) {
            return None;
        }
        self.user(claims.email.as_deref()?).cloned()
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

    /// A new access token and refresh token for an existing user (sign-in, refresh, exchange).
    pub fn issue_session(
        &mut self,
        user: &User,
        client_id: &str,
        ttl: u64,
        now: f64,
    ) -> (String, String) {
        let access = self.access_token(user, client_id, ttl, now);
        let refresh = self.issue_refresh(&user.email, client_id, now);
        (access, refresh)
    }

    /// The OAuth token response of `/api/token` (password and refresh grants).
    pub fn token_response(&mut self, user: &User, client_id: &str, ttl: u64, now: f64) -> Value {
        let (access, refresh) = self.issue_session(user, client_id, ttl, now);
        json!({"access_token": access, "token_type": "bearer", "expires_in": ttl, "refresh_token": refresh})
    }

    /// The claims of a one-time JWT (for the exchange) for `email`, before signing.
    pub fn one_time_claims(email: &str, ttl: u64, now: f64) -> Claims {
        Claims {
            email: Some(email.to_owned()),
            aud: Some(Value::from(SPACE_AUDIENCE)),
            ..Claims::new(jwt::TYP_ONE_TIME, email, now, ttl)
        }
    }

    /// Signs a one-time JWT (for the exchange) for `email`.
    pub fn one_time_jwt(&self, email: &str, ttl: u64, now: f64) -> String {
        jwt::sign(&self.secret, &Self::one_time_claims(email, ttl, now))
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
