//! Every asynchronous call of the JS API as data ([`Call`]), run by one async function
//! ([`run`]). The facade's exports only pack their arguments, so the `.wasm` holds a single
//! Promise adapter instead of one per exported method (each would be a separately monomorphised
//! future; docs/PLATFORM.md#crate-costs). Arguments are decoded here, so a wrong one rejects with
//! `AuthError('invalid_config')` instead of throwing from the glue.

use super::client::{Client, Credentials};
use super::error::WebError;
use super::options::{self, field};
use super::rebilly::Rebilly;
use super::tab_state::session_object;
use crate::core::config::Config;
use crate::core::secret::{OneTimeToken, Password};
use crate::core::session::coworker_id;
use crate::core::url::BaseUrl;
use std::rc::Rc;
use wasm_bindgen::JsValue;

/// One call of the JS API with its raw arguments.
pub enum Call {
    /// `NexudusAuth.create(options)`.
    Create(JsValue),
    /// `signIn({email, password, totp?, clientId?})`.
    SignIn(Rc<Client>, JsValue),
    /// `exchangeToken(jwt, {validForInMinutes?}?)`.
    Exchange(Rc<Client>, JsValue, JsValue),
    /// `refresh()`.
    Refresh(Rc<Client>),
    /// `getAccessToken()`.
    AccessToken(Rc<Client>),
    /// `fetch(input, init?)`.
    Fetch(Rc<Client>, JsValue, JsValue),
    /// `authenticatedLink(redirectUrl)`.
    AuthenticatedLink(Rc<Client>, JsValue),
    /// `portalLoginUrl(redirectUrl?)`.
    PortalLoginUrl(Rc<Client>, JsValue),
    /// `mediaUrl(path)`.
    MediaUrl(Rc<Client>, JsValue),
    /// `impersonate(coworkerId)`.
    Impersonate(Rc<Client>, JsValue),
    /// `stopImpersonating()`.
    StopImpersonating(Rc<Client>),
    /// `startPasswordReset(email, businessId?)`.
    StartPasswordReset(Rc<Client>, JsValue, JsValue),
    /// `completePasswordReset({token, newPassword, businessId?})`.
    CompletePasswordReset(Rc<Client>, JsValue),
    /// `RebillyAuth.create(options)`.
    RebillyCreate(JsValue),
    /// `rebilly.exchange(token, {invalidate?, oneTimePassword?}?)`.
    RebillyExchange(Rc<Rebilly>, JsValue, JsValue),
}

/// What a call resolves to.
pub enum Output {
    /// A plain JS value (session object, string, Response, undefined).
    Value(JsValue),
    /// A new `NexudusAuth` client.
    Client(Rc<Client>),
    /// A new `RebillyAuth` client.
    Rebilly(Rc<Rebilly>),
}

fn value(v: impl Into<JsValue>) -> Result<Output, WebError> {
    Ok(Output::Value(v.into()))
}

fn present(v: &JsValue) -> bool {
    !v.is_undefined() && !v.is_null()
}

/// Runs `call`.
pub async fn run(call: Call) -> Result<Output, WebError> {
    match call {
        Call::Create(opts) => {
            let cfg = Config::new(options::config_input(&opts)?)?;
            Ok(Output::Client(
                Client::create(cfg, &field(&opts, "storage")).await?,
            ))
        }
        Call::SignIn(c, opts) => {
            let credentials = Credentials {
                email: options::required_field(&opts, "email")?,
                password: Password::new(options::required_field(&opts, "password")?),
                totp: options::string(&opts, "totp")?,
                client_id: options::string(&opts, "clientId")?,
            };
            value(session_object(&*c.sign_in(credentials).await?))
        }
        Call::Exchange(c, jwt, opts) => {
            let jwt = options::required(&jwt, "jwt")?;
            let minutes = options::number(&opts, "validForInMinutes")?;
            value(session_object(
                &*c.exchange(OneTimeToken::new(jwt), minutes).await?,
            ))
        }
        Call::Refresh(c) => value(session_object(&*c.refresh().await?)),
        Call::AccessToken(c) => value(c.access_token().await?),
        Call::Fetch(c, input, init) => value(c.fetch(input, init).await?),
        Call::AuthenticatedLink(c, redirect) => {
            let redirect = options::required(&redirect, "redirectUrl")?;
            value(c.authenticated_link(&redirect).await?)
        }
        Call::PortalLoginUrl(c, redirect) => {
            let redirect = match present(&redirect) {
                true => Some(options::required(&redirect, "redirectUrl")?),
                false => None,
            };
            value(c.portal_login_url(redirect.as_deref()).await?)
        }
        Call::MediaUrl(c, path) => {
            let path = options::required(&path, "path")?;
            value(c.media_url(&path).await?)
        }
        Call::Impersonate(c, id) => {
            let id = id.as_f64().and_then(coworker_id).ok_or(WebError::Option {
                key: "coworkerId",
                want: "a positive integer",
            })?;
            value(session_object(&*c.impersonate(id).await?))
        }
        Call::StopImpersonating(c) => value(session_object(&*c.stop_impersonating().await?)),
        Call::StartPasswordReset(c, email, business) => {
            let email = options::required(&email, "email")?;
            let business = match present(&business) {
                true => Some(business.as_f64().ok_or(WebError::Option {
                    key: "businessId",
                    want: "a number",
                })?),
                false => None,
            };
            c.start_password_reset(&email, business).await?;
            value(JsValue::UNDEFINED)
        }
        Call::CompletePasswordReset(c, opts) => {
            let token = options::required_field(&opts, "token")?;
            let password = options::required_field(&opts, "newPassword")?;
            let business = options::number(&opts, "businessId")?;
            let session = c
                .complete_password_reset(
                    OneTimeToken::new(token),
                    Password::new(password),
                    business,
                )
                .await?;
            value(session_object(&session))
        }
        Call::RebillyCreate(opts) => {
            let base = options::string(&opts, "baseUrl")?.ok_or(WebError::Option {
                key: "baseUrl",
                want: "a string",
            })?;
            let base = BaseUrl::parse(&base)?;
            let key = options::string(&opts, "publishableKey")?;
            let storage_key = options::string(&opts, "storageKey")?
                .unwrap_or_else(|| "nexudus-auth-rebilly".into());
            let rebilly = Rebilly::create(base, key, &field(&opts, "storage"), storage_key).await?;
            Ok(Output::Rebilly(Rc::new(rebilly)))
        }
        Call::RebillyExchange(r, token, opts) => {
            let token = options::required(&token, "token")?;
            let invalidate = options::boolean(&opts, "invalidate")?.unwrap_or(true);
            let otp = options::string(&opts, "oneTimePassword")?;
            value(
                r.exchange(OneTimeToken::new(token), invalidate, otp.as_deref())
                    .await?,
            )
        }
    }
}
