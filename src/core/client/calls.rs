//! The requests of the client's calls other than a refresh, built from its configuration and
//! session: sign-in, exchange, the bearer calls (one-time token, media token, impersonation),
//! password reset, the refresh of an admin's session kept aside while impersonating; and the URLs
//! it builds (authenticated links, media, `auth.fetch`).

use super::Client;
use crate::core::error::CoreError;
use crate::core::http::{HttpRequest, HttpResponse};
use crate::core::requests;
use crate::core::responses::{
    parse_action, parse_one_time, parse_token, ActionCall, TokenAnswer, TokenCall,
};
use crate::core::secret::{OneTimeToken, Password};
use crate::core::session::default_client_id;
use crate::core::session::Session;
use crate::core::url;

/// A call made with the session's access token.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum BearerCall {
    /// The one-time server token of authenticated portal links.
    OneTimeToken,
    /// The token that authorises media URLs.
    Media,
    /// A team admin's one-time JWT to act for this coworker.
    Impersonation(u64),
}

/// A call whose answer gives a token (or nothing) and changes no session: what
/// [`OtherCall::token`] reads.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum OtherCall {
    /// `POST /api/sys/users/token/refresh`: the one-time server token of portal links.
    OneTimeToken,
    /// The reset email: no token.
    StartPasswordReset,
    /// The new password: a one-time JWT to exchange (the customer is signed in with it).
    CompletePasswordReset,
    /// The media token.
    MediaToken,
    /// A team admin's one-time JWT to act for a member (to exchange).
    ImpersonationToken,
}

impl OtherCall {
    /// The token in `answer`, if the call gives one; the server's error otherwise, and
    /// `BadResponse` when a call that must give a token gave none.
    pub fn token(self, answer: &HttpResponse) -> Result<Option<String>, CoreError> {
        let one_time = |kind| Ok(Some(parse_one_time(answer, kind)?.secret().to_owned()));
        match self {
            OtherCall::OneTimeToken => parse_action(answer, ActionCall::OneTimeToken),
            OtherCall::StartPasswordReset => parse_action(answer, ActionCall::StartPasswordReset),
            OtherCall::CompletePasswordReset => {
                parse_action(answer, ActionCall::CompletePasswordReset)
            }
            OtherCall::MediaToken => one_time(TokenAnswer::Media),
            OtherCall::ImpersonationToken => one_time(TokenAnswer::Impersonation),
        }
    }
}

/// A sign-in or exchange request, with what reading its answer needs ([`Client::on_grant`]).
#[derive(Debug)]
pub struct GrantCall {
    /// The request to send.
    pub request: HttpRequest,
    /// The `client_id` the refresh token will be bound to, when known.
    pub client_id: Option<String>,
    /// The customer's email, when known.
    pub email: Option<String>,
}

impl Client {
    /// The password grant of `email` (with the 2FA code `totp`), for `client_id`: the call's
    /// own, else the configured one, else the portal's `nexudus.portal.<email>`.
    pub fn sign_in_request(
        &self,
        email: String,
        password: &Password,
        totp: Option<&str>,
        client_id: Option<String>,
    ) -> GrantCall {
        let client_id = client_id
            .or_else(|| self.cfg.client_id.clone())
            .unwrap_or_else(|| default_client_id(&email));
        let request =
            requests::password_grant(&self.cfg.base_url, &email, password, totp, &client_id);
        GrantCall {
            request,
            client_id: Some(client_id),
            email: Some(email),
        }
    }

    /// The exchange of a one-time `jwt` for a session valid `minutes` (default: the configured
    /// lifetime). `email` is the JWT's subject, when it has one: without a configured
    /// `client_id` the session binds to `nexudus.portal.<email>`.
    pub fn exchange_request(
        &self,
        jwt: &OneTimeToken,
        minutes: Option<u32>,
        email: Option<String>,
    ) -> GrantCall {
        let client_id =
            (self.cfg.client_id.clone()).or_else(|| email.as_deref().map(default_client_id));
        let minutes = minutes.unwrap_or(self.cfg.token_lifetime_minutes);
        let request = requests::exchange(&self.cfg.base_url, jwt, minutes, client_id.as_deref());
        GrantCall {
            request,
            client_id,
            email,
        }
    }

    /// A call with the session's access token (`NotSignedIn` without one).
    pub fn bearer_request(&self, call: BearerCall) -> Result<HttpRequest, CoreError> {
        let access = &self
            .session
            .as_ref()
            .ok_or(CoreError::NotSignedIn)?
            .access_token;
        let base = &self.cfg.base_url;
        Ok(match call {
            BearerCall::OneTimeToken => requests::one_time_token(base, access),
            BearerCall::Media => requests::media_token(base, access),
            BearerCall::Impersonation(id) => requests::impersonation_token(base, access, id),
        })
    }

    /// The request that mails `email` a reset link (for `business_id`, else the configured one).
    pub fn start_reset_request(&self, email: &str, business_id: Option<f64>) -> HttpRequest {
        let business_id = business_id.or(self.cfg.business_id);
        requests::start_password_reset(&self.cfg.base_url, email, business_id)
    }

    /// The request that sets a new password with the mailed reset `token`.
    pub fn complete_reset_request(
        &self,
        token: &OneTimeToken,
        password: &Password,
        business_id: Option<f64>,
    ) -> HttpRequest {
        requests::complete_password_reset(&self.cfg.base_url, token, password, business_id)
    }

    /// A portal link with the one-time token `t` that lands on `redirect`, which must be on the
    /// portal or an allowed origin: `authenticated` (`/user/login?server=true…`, default `/`)
    /// or the portal's login page.
    pub fn link(
        &self,
        authenticated: bool,
        t: &str,
        redirect: Option<&str>,
    ) -> Result<String, CoreError> {
        let portal = &self.cfg.portal_url;
        if let Some(r) = redirect {
            url::check_redirect(portal, &self.cfg.allowed_redirect_origins, r)?;
        }
        Ok(match authenticated {
            true => url::authenticated_link_url(portal.as_str(), t, redirect.unwrap_or("/")),
            false => url::portal_login_url(portal.as_str(), t, redirect),
        })
    }

    /// `path` on the API; an absolute URL must be on its origin (the only one that gets the token).
    pub fn api_url(&self, path: &str) -> Result<String, CoreError> {
        url::api_url(&self.cfg.base_url, path)
    }

    /// The refresh grant of the admin's session `aside`, kept aside while impersonating, when it
    /// is due; it never becomes this client's session.
    pub fn aside_refresh_request(
        &self,
        aside: &Session,
        now_ms: f64,
    ) -> Result<Option<HttpRequest>, CoreError> {
        if !aside.needs_refresh(now_ms, self.cfg.refresh_leeway_ms) {
            return Ok(None);
        }
        self.refresh_grant(aside).map(Some)
    }

    /// The admin's session `aside` rotated by its refresh `answer`.
    pub fn aside_rotated(
        &self,
        aside: &Session,
        answer: &HttpResponse,
        now_ms: f64,
    ) -> Result<Session, CoreError> {
        let grant = parse_token(answer, TokenCall::Refresh)?;
        Ok(aside.rotated(grant, now_ms))
    }

    /// The URL of a media `path` on the API with the media token `t`.
    pub fn media_url(&self, path: &str, t: &str) -> Result<String, CoreError> {
        Ok(url::with_query(&self.api_url(path)?, "t", t))
    }
}
