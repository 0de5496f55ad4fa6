//! Secret newtypes: tokens and passwords that must never end up in logs or error messages.
//!
//! Modelled on oauth2-rs' `new_secret_type!`: the value is reachable only through `secret()`,
//! `Debug` prints `AccessToken([redacted])`, and there is no `Display` and no `PartialEq`
//! (use [`AccessToken::same_as`], which compares without an early exit).

use std::fmt;

macro_rules! secret_type {
    ($(#[$meta:meta])* $name:ident) => {
        $(#[$meta])*
        #[derive(Clone)]
        pub struct $name(String);

        impl $name {
            /// Wraps a secret value.
            pub fn new(s: impl Into<String>) -> Self {
                Self(s.into())
            }

            /// Returns the secret value.
            ///
            /// # Security Warning
            ///
            /// Leaking this value may compromise the customer's account. Pass it only to the
            /// request that needs it; never log it, show it, or put it in an error message.
            pub fn secret(&self) -> &str {
                &self.0
            }

            /// `true` when the secret is the empty string.
            pub fn is_empty(&self) -> bool {
                self.0.is_empty()
            }

            /// Compares two secrets in time that depends only on their lengths (no early exit).
            pub fn same_as(&self, other: &Self) -> bool {
                constant_time_eq::constant_time_eq(self.0.as_bytes(), other.0.as_bytes())
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(concat!(stringify!($name), "([redacted])"))
            }
        }
    };
}

secret_type!(
    /// An OAuth bearer access token (`access_token` of `/api/token`, `token` of the exchange,
    /// or a Rebilly customer JWT).
    AccessToken
);
secret_type!(
    /// An OAuth refresh token. Nexudus rotates it on every refresh; it is bound to the
    /// `client_id` header sent at sign-in.
    RefreshToken
);
secret_type!(
    /// A single-use token: a one-time JWT to exchange, a password-reset token, a portal `t`
    /// token, or a Rebilly authentication token.
    OneTimeToken
);
secret_type!(
    /// A customer's password.
    Password
);
