//! Errors of the core ([`CoreError`]) and the contract's error codes ([`ErrorCode`]).
//!
//! A [`CoreError`] keeps the server's own words (`error`, `error_description`, `Message`,
//! `Errors`, RFC 7807 `detail`) so the facade can build a JS `AuthError` from
//! [`CoreError::code`], [`CoreError::message`] and the accessors. Nothing here ever prints a
//! secret: the password-reset token of `must_reset_password` is reachable only through
//! [`CoreError::reset_token`].

use super::secret::OneTimeToken;
use std::fmt;
use thiserror::Error;

/// The `code` of a JS `AuthError` (docs/CONTRACT.md, "Error codes"; `tests/codes_in_sync.rs` keeps the lists equal).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum ErrorCode {
    /// `invalid_grant` at sign-in: wrong email/password, or a suspended account.
    InvalidCredentials,
    /// `two_factor_auth_check`: a TOTP code is missing or wrong.
    TwoFactorRequired,
    /// `must_reset_password`: the customer must reset the password first.
    PasswordResetRequired,
    /// `unsupported_grant_type`: the server did not accept the request's format.
    UnsupportedGrantType,
    /// `invalid_grant` on refresh: the refresh token is unknown, used, rotated away or expired.
    SessionExpired,
    /// The exchange answered 400: the token is missing, malformed, used or expired.
    TokenInvalid,
    /// The exchange answered 401: bad signature, or a token of another space.
    TokenRejected,
    /// The new password does not meet the location's policy (see `errors`).
    PasswordPolicy,
    /// Not signed in, or the server refused the bearer token.
    Unauthorized,
    /// The request did not reach the server (offline, DNS, CORS, connection dropped).
    Network,
    /// The request took longer than the configured timeout.
    Timeout,
    /// The server failed (5xx), throttled (429) or refused for another reason.
    Server,
    /// The server's answer could not be understood.
    BadResponse,
    /// The session could not be read from or written to storage.
    Storage,
    /// The configuration or an argument is invalid.
    InvalidConfig,
}

impl ErrorCode {
    /// The snake_case contract code, e.g. `"invalid_credentials"`.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::InvalidCredentials => "invalid_credentials",
            ErrorCode::TwoFactorRequired => "two_factor_required",
            ErrorCode::PasswordResetRequired => "password_reset_required",
            ErrorCode::UnsupportedGrantType => "unsupported_grant_type",
            ErrorCode::SessionExpired => "session_expired",
            ErrorCode::TokenInvalid => "token_invalid",
            ErrorCode::TokenRejected => "token_rejected",
            ErrorCode::PasswordPolicy => "password_policy",
            ErrorCode::Unauthorized => "unauthorized",
            ErrorCode::Network => "network",
            ErrorCode::Timeout => "timeout",
            ErrorCode::Server => "server",
            ErrorCode::BadResponse => "bad_response",
            ErrorCode::Storage => "storage",
            ErrorCode::InvalidConfig => "invalid_config",
        }
    }

    /// A short human phrase for the code, without any server text.
    pub fn default_message(self) -> &'static str {
        match self {
            ErrorCode::InvalidCredentials => "Wrong email or password",
            ErrorCode::TwoFactorRequired => "Two-factor code required",
            ErrorCode::PasswordResetRequired => "Password reset required",
            ErrorCode::UnsupportedGrantType => "Sign-in method refused",
            ErrorCode::SessionExpired => "Session expired",
            ErrorCode::TokenInvalid => "Token invalid, expired or used",
            ErrorCode::TokenRejected => "Token rejected",
            ErrorCode::PasswordPolicy => "Password refused by the policy",
            ErrorCode::Unauthorized => "Not signed in or session revoked",
            ErrorCode::Network => "Server unreachable",
            ErrorCode::Timeout => "Timed out",
            ErrorCode::Server => "Server error",
            ErrorCode::BadResponse => "Unexpected response",
            ErrorCode::Storage => "Storage failed",
            ErrorCode::InvalidConfig => "Invalid configuration",
        }
    }
}

/// `base` followed by `: detail` when there is a detail.
fn with_detail(base: &str, detail: Option<&str>) -> String {
    match detail {
        Some(d) => [base, ": ", d].concat(),
        None => String::from(base),
    }
}

/// An error of the core, keeping the server's words. `Display` is the short, human,
/// secret-free message of [`CoreError::message`].
#[derive(Error)]
#[error("{}", self.message())]
pub enum CoreError {
    /// An OAuth error of `/api/token` (`{error, error_description}`).
    OAuth {
        /// HTTP status.
        status: u16,
        /// The contract code the OAuth `error` maps to.
        code: ErrorCode,
        /// The server's `error` string, e.g. `invalid_grant`.
        error: String,
        /// The server's `error_description`.
        description: Option<String>,
    },
    /// `must_reset_password`: the `error_description` is a password-reset token (a secret, so it
    /// is never exposed as a description).
    MustResetPassword {
        /// HTTP status.
        status: u16,
        /// The reset token to pass to `completePasswordReset`.
        reset_token: OneTimeToken,
    },
    /// The JWT exchange failed (400 → `TokenInvalid`, 401 → `TokenRejected`).
    Exchange {
        /// HTTP status.
        status: u16,
        /// `TokenInvalid` or `TokenRejected`.
        code: ErrorCode,
        /// The server's `Message`.
        message: Option<String>,
    },
    /// An ActionConfirmation with `WasSuccessful: false`.
    Action {
        /// HTTP status.
        status: u16,
        /// `PasswordPolicy` when `Errors` is non-empty, `TokenInvalid` for a failed
        /// `completePasswordReset` without errors, `Server` otherwise.
        code: ErrorCode,
        /// The server's `Message`.
        message: Option<String>,
        /// The messages collected from `Errors`.
        errors: Vec<String>,
    },
    /// An RFC 7807 error of Rebilly (`{type, title, status, detail, instance}`).
    Rebilly {
        /// HTTP status.
        status: u16,
        /// 401/403 → `TokenRejected`, 400/404/422 → `TokenInvalid`, 429 → `Server`.
        code: ErrorCode,
        /// The problem's `title`.
        title: Option<String>,
        /// The problem's `detail`.
        detail: Option<String>,
    },
    /// The server refused the bearer token (401).
    Unauthorized {
        /// HTTP status.
        status: u16,
    },
    /// A 5xx or 429 answer (code `Server`, transient).
    Http {
        /// HTTP status.
        status: u16,
        /// The `Retry-After` header in seconds, when it was a number of seconds.
        retry_after_s: Option<f64>,
    },
    /// The answer could not be understood (HTML, truncated JSON, missing or wrong-typed field,
    /// too large, unexpected status). `status` is 0 when the data did not come from HTTP
    /// (e.g. a corrupt stored session).
    BadResponse {
        /// HTTP status, or 0.
        status: u16,
        /// What was wrong, e.g. `"response is not JSON"`.
        reason: &'static str,
    },
    /// The configuration or an argument is invalid; the text says which and why.
    InvalidConfig(&'static str),
    /// The call needs a session and there is none (code `Unauthorized`).
    NotSignedIn,
    /// The request did not reach the server (code `Network`).
    Network,
    /// The request timed out (code `Timeout`).
    Timeout,
    /// Storage failed (code `Storage`); the text says what failed.
    Storage(&'static str),
}

fn non_empty(s: &Option<String>) -> Option<&str> {
    match s.as_deref() {
        Some(t) if !t.trim().is_empty() => Some(t),
        _ => None,
    }
}

impl CoreError {
    /// The contract code.
    pub fn code(&self) -> ErrorCode {
        match self {
            CoreError::OAuth { code, .. }
            | CoreError::Exchange { code, .. }
            | CoreError::Action { code, .. }
            | CoreError::Rebilly { code, .. } => *code,
            CoreError::MustResetPassword { .. } => ErrorCode::PasswordResetRequired,
            CoreError::Unauthorized { .. } | CoreError::NotSignedIn => ErrorCode::Unauthorized,
            CoreError::Http { .. } => ErrorCode::Server,
            CoreError::BadResponse { .. } => ErrorCode::BadResponse,
            CoreError::InvalidConfig(_) => ErrorCode::InvalidConfig,
            CoreError::Network => ErrorCode::Network,
            CoreError::Timeout => ErrorCode::Timeout,
            CoreError::Storage(_) => ErrorCode::Storage,
        }
    }

    /// The HTTP status, when the error came from an HTTP answer.
    pub fn status(&self) -> Option<u16> {
        match self {
            CoreError::OAuth { status, .. }
            | CoreError::MustResetPassword { status, .. }
            | CoreError::Exchange { status, .. }
            | CoreError::Action { status, .. }
            | CoreError::Rebilly { status, .. }
            | CoreError::Unauthorized { status }
            | CoreError::Http { status, .. }
            | CoreError::BadResponse { status, .. } => {
                if *status == 0 {
                    None
                } else {
                    Some(*status)
                }
            }
            _ => None,
        }
    }

    /// The server's description (`error_description`, `Message`, or RFC 7807 `detail`/`title`).
    /// Always `None` for `MustResetPassword`, whose description is the reset token.
    pub fn description(&self) -> Option<&str> {
        match self {
            CoreError::OAuth { description, .. } => non_empty(description),
            CoreError::Exchange { message, .. } | CoreError::Action { message, .. } => {
                non_empty(message)
            }
            CoreError::Rebilly { title, detail, .. } => non_empty(detail).or(non_empty(title)),
            _ => None,
        }
    }

    /// A short, human, secret-free sentence; it may include the server's description.
    pub fn message(&self) -> String {
        match self {
            CoreError::InvalidConfig(m) | CoreError::Storage(m) => String::from(*m),
            CoreError::NotSignedIn => String::from("Not signed in"),
            CoreError::BadResponse { reason, .. } => {
                with_detail(ErrorCode::BadResponse.default_message(), Some(reason))
            }
            _ => {
                let mut errors = String::new();
                for (i, e) in self.errors().iter().enumerate() {
                    errors.push_str(if i == 0 { "" } else { "; " });
                    errors.push_str(e);
                }
                let detail = self
                    .description()
                    .or(Some(errors.as_str()).filter(|e| !e.is_empty()));
                with_detail(self.code().default_message(), detail)
            }
        }
    }

    /// The password-reset token of `must_reset_password`.
    pub fn reset_token(&self) -> Option<&OneTimeToken> {
        match self {
            CoreError::MustResetPassword { reset_token, .. } => Some(reset_token),
            _ => None,
        }
    }

    /// The messages of an ActionConfirmation's `Errors` (empty for other errors).
    pub fn errors(&self) -> &[String] {
        match self {
            CoreError::Action { errors, .. } => errors,
            _ => &[],
        }
    }

    /// The `Retry-After` of a 429/5xx answer, in seconds.
    pub fn retry_after_s(&self) -> Option<f64> {
        match self {
            CoreError::Http { retry_after_s, .. } => *retry_after_s,
            _ => None,
        }
    }
}

impl fmt::Debug for CoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_struct("CoreError");
        d.field("code", &self.code().as_str());
        if let Some(s) = self.status() {
            d.field("status", &s);
        }
        if let Some(desc) = self.description() {
            d.field("description", &desc);
        }
        if let CoreError::BadResponse { reason, .. } = self {
            d.field("reason", reason);
        }
        if let CoreError::InvalidConfig(m) | CoreError::Storage(m) = self {
            d.field("message", m);
        }
        if self.reset_token().is_some() {
            d.field("reset_token", &"[redacted]");
        }
        d.finish()
    }
}
