//! The sign-in flows of the contract, each a pure request from the core, one `fetch`, and a
//! pure parse: password (+TOTP) sign-in, one-time JWT exchange, the one-time server token for
//! authenticated links, and password reset.

use super::client::Inner;
use super::clock::now_ms;
use super::error::WebError;
use super::events::AuthEvent;
use super::fetch::send;
use crate::core::error::CoreError;
use crate::core::jwt::decode_claims;
use crate::core::requests;
use crate::core::responses::{parse_action, parse_token, ActionCall, TokenCall, TokenGrant};
use crate::core::secret::{OneTimeToken, Password};
use crate::core::session::{default_client_id, Session};
use crate::core::url::{authenticated_link_url, check_redirect, portal_login_url};
use std::rc::Rc;

/// What `signIn` needs.
pub struct Credentials {
    /// The customer's email.
    pub email: String,
    /// The customer's password.
    pub password: Password,
    /// A TOTP code, when 2FA is on.
    pub totp: Option<String>,
    /// A `client_id` for this sign-in only.
    pub client_id: Option<String>,
}

impl Inner {
    /// `POST /api/token` with the password grant; stores and announces the session.
    pub async fn sign_in(self: &Rc<Self>, c: Credentials) -> Result<Session, WebError> {
        let client_id = c
            .client_id
            .or_else(|| self.cfg.client_id.clone())
            .unwrap_or_else(|| default_client_id(&c.email));
        let request = requests::password_grant(
            &self.cfg.base_url,
            &c.email,
            &c.password,
            c.totp.as_deref(),
            &client_id,
        );
        let grant = self.token_call(&request, TokenCall::SignIn).await?;
        let session = Session::from_grant(grant, now_ms(), client_id, Some(c.email));
        Ok(self.establish(session, AuthEvent::SignedIn).await)
    }

    /// `POST /api/sys/users/exchange`: a one-time JWT (magic link, sign-up, reset) to a session.
    pub async fn exchange(
        self: &Rc<Self>,
        token: OneTimeToken,
        minutes: Option<f64>,
    ) -> Result<Session, WebError> {
        let minutes = match minutes {
            None => self.cfg.token_lifetime_minutes,
            Some(m) if m.fract() == 0.0 && (1.0..=43_200.0).contains(&m) => m as u32,
            Some(_) => {
                return Err(WebError::config(
                    "validForInMinutes must be a whole number from 1 to 43200",
                ))
            }
        };
        let email = decode_claims(token.secret()).and_then(|c| c.email.or(c.sub));
        let client_id = self
            .cfg
            .client_id
            .clone()
            .or_else(|| email.as_deref().map(default_client_id));
        let request = requests::exchange(&self.cfg.base_url, &token, minutes, client_id.as_deref());
        let grant = self.token_call(&request, TokenCall::Exchange).await?;
        // Without a client_id header the server binds the refresh token to the email.
        let email =
            email.or_else(|| decode_claims(grant.access_token.secret()).and_then(|c| c.email));
        let client_id = client_id.or_else(|| email.clone()).unwrap_or_default();
        let session = Session::from_grant(grant, now_ms(), client_id, email);
        Ok(self.establish(session, AuthEvent::SignedIn).await)
    }

    async fn token_call(
        &self,
        request: &crate::core::http::HttpRequest,
        call: TokenCall,
    ) -> Result<TokenGrant, WebError> {
        let response = send(request, self.cfg.timeout_ms).await?;
        Ok(parse_token(&response, call)?)
    }

    /// `POST /api/sys/users/token/refresh` with the bearer token: a one-time `t` for links.
    async fn one_time_server_token(self: &Rc<Self>) -> Result<String, WebError> {
        let access = self.access_token().await?;
        let access = crate::core::secret::AccessToken::new(access);
        let request = requests::one_time_token(&self.cfg.base_url, &access);
        let response = send(&request, self.cfg.timeout_ms).await?;
        parse_action(&response, ActionCall::OneTimeToken)?.ok_or(
            CoreError::BadResponse {
                status: response.status,
                reason: "missing one-time token",
            }
            .into(),
        )
    }

    /// `${portalUrl}/user/login?server=true&t=…&redirectUrl=…` (redirect checked against the portal).
    pub async fn authenticated_link(
        self: &Rc<Self>,
        redirect_url: &str,
    ) -> Result<String, WebError> {
        check_redirect(
            &self.cfg.portal_url,
            &self.cfg.allowed_redirect_origins,
            redirect_url,
        )?;
        let t = self.one_time_server_token().await?;
        Ok(authenticated_link_url(
            self.cfg.portal_url.as_str(),
            &t,
            redirect_url,
        ))
    }

    /// `${portalUrl}/login?t=…[&redirectUrl=…]`.
    pub async fn portal_login_url(
        self: &Rc<Self>,
        redirect_url: Option<&str>,
    ) -> Result<String, WebError> {
        if let Some(r) = redirect_url {
            check_redirect(&self.cfg.portal_url, &self.cfg.allowed_redirect_origins, r)?;
        }
        let t = self.one_time_server_token().await?;
        Ok(portal_login_url(
            self.cfg.portal_url.as_str(),
            &t,
            redirect_url,
        ))
    }

    /// `POST /api/sys/users/startPasswordReset` (same answer whether or not the email exists).
    pub async fn start_password_reset(
        &self,
        email: &str,
        business_id: Option<f64>,
    ) -> Result<(), WebError> {
        let request = requests::start_password_reset(
            &self.cfg.base_url,
            email,
            business_id.or(self.cfg.business_id),
        );
        let response = send(&request, self.cfg.timeout_ms).await?;
        parse_action(&response, ActionCall::StartPasswordReset)?;
        Ok(())
    }

    /// `POST /api/sys/users/completePasswordReset`, then the returned JWT is exchanged at once.
    pub async fn complete_password_reset(
        self: &Rc<Self>,
        token: OneTimeToken,
        password: Password,
        business_id: Option<f64>,
    ) -> Result<Session, WebError> {
        let request = requests::complete_password_reset(
            &self.cfg.base_url,
            &token,
            &password,
            business_id.or(self.cfg.business_id),
        );
        let response = send(&request, self.cfg.timeout_ms).await?;
        let jwt = parse_action(&response, ActionCall::CompletePasswordReset)?.ok_or(
            CoreError::BadResponse {
                status: response.status,
                reason: "missing sign-in token",
            },
        )?;
        self.exchange(OneTimeToken::new(jwt), None).await
    }
}
