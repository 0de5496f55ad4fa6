//! The validated configuration of `NexudusAuth.create()`.

use super::error::CoreError;
use super::url::{normalize_origin, BaseUrl};

/// The default `storageKey`.
pub const DEFAULT_STORAGE_KEY: &str = "nexudus-auth";
/// The default `tokenLifetimeMinutes` and `validForInMinutes` (the portal's 1440 = 24 h).
pub const DEFAULT_LIFETIME_MINUTES: u32 = 1440;
/// The shortest `validForInMinutes` / `tokenLifetimeMinutes`.
pub const MIN_LIFETIME_MINUTES: u32 = 1;
/// The longest `validForInMinutes` / `tokenLifetimeMinutes` (30 days).
pub const MAX_LIFETIME_MINUTES: u32 = 43_200;
/// The default `refreshLeewaySeconds`.
pub const DEFAULT_LEEWAY_SECONDS: f64 = 60.0;
/// The default `timeoutMs`.
pub const DEFAULT_TIMEOUT_MS: u32 = 15_000;

/// The options as the caller gave them (every field optional).
#[derive(Default, Clone, Debug)]
pub struct ConfigInput {
    /// `baseUrl` (required).
    pub base_url: Option<String>,
    /// `portalUrl` (default `baseUrl`).
    pub portal_url: Option<String>,
    /// `clientId` (default `nexudus.portal.<email>` at sign-in).
    pub client_id: Option<String>,
    /// `businessId`.
    pub business_id: Option<f64>,
    /// `storageKey` (default `nexudus-auth`).
    pub storage_key: Option<String>,
    /// `tokenLifetimeMinutes` (default 1440).
    pub token_lifetime_minutes: Option<f64>,
    /// `refreshLeewaySeconds` (default 60).
    pub refresh_leeway_seconds: Option<f64>,
    /// `autoRefresh` (default true).
    pub auto_refresh: Option<bool>,
    /// `timeoutMs` (default 15000).
    pub timeout_ms: Option<f64>,
    /// `allowedRedirectOrigins` (default none besides the portal's origin).
    pub allowed_redirect_origins: Vec<String>,
}

/// The validated configuration.
#[derive(Clone, Debug)]
pub struct Config {
    /// The API base URL.
    pub base_url: BaseUrl,
    /// The portal URL (for authenticated links).
    pub portal_url: BaseUrl,
    /// A fixed `client_id`, if configured.
    pub client_id: Option<String>,
    /// A positive integer business id, if configured.
    pub business_id: Option<f64>,
    /// The storage key (non-empty).
    pub storage_key: String,
    /// `validForInMinutes` of exchanges, 1..=43200.
    pub token_lifetime_minutes: u32,
    /// Refresh this long before expiry, in ms (0..=3 600 000).
    pub refresh_leeway_ms: f64,
    /// Whether to refresh on a timer.
    pub auto_refresh: bool,
    /// The request timeout, 100..=120000 ms.
    pub timeout_ms: u32,
    /// Extra origins a `redirectUrl` may point to, normalised (`https://host[:port]`).
    pub allowed_redirect_origins: Vec<String>,
}

fn int_in(
    v: Option<f64>,
    default: u32,
    lo: f64,
    hi: f64,
    msg: &'static str,
) -> Result<u32, CoreError> {
    match v {
        None => Ok(default),
        Some(n) if n.is_finite() && n.fract() == 0.0 && (lo..=hi).contains(&n) => Ok(n as u32),
        Some(_) => Err(CoreError::InvalidConfig(msg)),
    }
}

fn lifetime_minutes(v: Option<f64>, msg: &'static str) -> Result<u32, CoreError> {
    int_in(
        v,
        DEFAULT_LIFETIME_MINUTES,
        f64::from(MIN_LIFETIME_MINUTES),
        f64::from(MAX_LIFETIME_MINUTES),
        msg,
    )
}

/// A `validForInMinutes` argument: a whole number from 1 to 43200, default 1440.
pub fn valid_for_minutes(v: Option<f64>) -> Result<u32, CoreError> {
    lifetime_minutes(
        v,
        "validForInMinutes must be a whole number from 1 to 43200",
    )
}

/// `true` when `s` is non-empty after trimming and has no control characters (header-safe).
fn header_safe(s: &str) -> bool {
    !s.trim().is_empty() && !s.chars().any(char::is_control)
}

impl Config {
    /// Validates `input`; every failure is an `InvalidConfig` naming the option.
    pub fn new(input: ConfigInput) -> Result<Config, CoreError> {
        let base = input
            .base_url
            .filter(|s| !s.trim().is_empty())
            .ok_or(CoreError::InvalidConfig("baseUrl is required"))?;
        let base_url = BaseUrl::parse(&base).map_err(|_| {
            CoreError::InvalidConfig("baseUrl must be an https URL (http on localhost)")
        })?;
        let portal_url = match input.portal_url {
            None => base_url.clone(),
            Some(p) => BaseUrl::parse(&p).map_err(|_| {
                CoreError::InvalidConfig("portalUrl must be an https URL (http on localhost)")
            })?,
        };
        if let Some(c) = &input.client_id {
            if !header_safe(c) {
                return Err(CoreError::InvalidConfig(
                    "clientId must be a non-empty string without control characters",
                ));
            }
        }
        if let Some(b) = input.business_id {
            if !(b.fract() == 0.0 && (1.0..=9_007_199_254_740_991.0).contains(&b)) {
                return Err(CoreError::InvalidConfig(
                    "businessId must be a positive integer",
                ));
            }
        }
        let storage_key = match input.storage_key {
            None => String::from(DEFAULT_STORAGE_KEY),
            Some(k) if !k.is_empty() => k,
            Some(_) => {
                return Err(CoreError::InvalidConfig(
                    "storageKey must be a non-empty string",
                ))
            }
        };
        let token_lifetime_minutes = lifetime_minutes(
            input.token_lifetime_minutes,
            "tokenLifetimeMinutes must be an integer from 1 to 43200",
        )?;
        let leeway_s = match input.refresh_leeway_seconds {
            None => DEFAULT_LEEWAY_SECONDS,
            Some(n) if n.is_finite() && (0.0..=3600.0).contains(&n) => n,
            Some(_) => {
                return Err(CoreError::InvalidConfig(
                    "refreshLeewaySeconds must be a number from 0 to 3600",
                ))
            }
        };
        let timeout_ms = int_in(
            input.timeout_ms,
            DEFAULT_TIMEOUT_MS,
            100.0,
            120_000.0,
            "timeoutMs must be an integer from 100 to 120000",
        )?;
        let mut allowed = Vec::with_capacity(input.allowed_redirect_origins.len());
        for o in &input.allowed_redirect_origins {
            allowed.push(normalize_origin(o).ok_or(CoreError::InvalidConfig(
                "allowedRedirectOrigins must hold origins such as https://example.com",
            ))?);
        }
        Ok(Config {
            base_url,
            portal_url,
            client_id: input.client_id,
            business_id: input.business_id,
            storage_key,
            token_lifetime_minutes,
            refresh_leeway_ms: leeway_s * 1000.0,
            auto_refresh: input.auto_refresh.unwrap_or(true),
            timeout_ms,
            allowed_redirect_origins: allowed,
        })
    }
}
