//! The JavaScript API (`../shared/API.md`): the one `#[wasm_bindgen]` file. Every argument
//! arrives as a `JsValue` and is decoded inside the function, so a wrong argument rejects with
//! `AuthError('invalid_config')` instead of throwing from the glue; every failure is an `AuthError`.

use crate::core::config::Config;
use crate::core::secret::{OneTimeToken, Password};
use crate::core::url::{self, BaseUrl};
use crate::web::client::{Client, Inner};
use crate::web::error::WebError;
use crate::web::events::Subscribers;
use crate::web::flows::Credentials;
use crate::web::options::{self, field};
use crate::web::rebilly::Rebilly;
use crate::web::refresh::Mode;
use js_sys::{Function, Promise};
use std::future::Future;
use std::rc::{Rc, Weak};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;

#[wasm_bindgen(typescript_custom_section)]
const TS_TYPES: &str = include_str!("types.d.ts");

#[wasm_bindgen]
extern "C" {
    /// `ExchangeOptions` (optional argument; decoded inside the function).
    #[wasm_bindgen(typescript_type = "ExchangeOptions")]
    pub type ExchangeOptionsArg;
    /// `RequestInit` (optional argument).
    #[wasm_bindgen(typescript_type = "RequestInit")]
    pub type RequestInitArg;
    /// An optional string argument.
    #[wasm_bindgen(typescript_type = "string")]
    pub type OptionalString;
    /// An optional number argument.
    #[wasm_bindgen(typescript_type = "number")]
    pub type OptionalNumber;
    /// `RebillyExchangeOptions` (optional argument).
    #[wasm_bindgen(typescript_type = "RebillyExchangeOptions")]
    pub type RebillyExchangeOptionsArg;
}

/// An optional extern argument as a plain value (undefined when absent).
fn arg<T: Into<JsValue>>(v: Option<T>) -> JsValue {
    v.map(Into::into).unwrap_or(JsValue::UNDEFINED)
}

/// Turns a panic (there should be none) into one readable console error instead of an opaque
/// `unreachable` trap. Uses no `format!`, to keep the module small.
#[wasm_bindgen(start)]
fn start() {
    std::panic::set_hook(Box::new(|info| {
        let payload = info.payload();
        let what = payload
            .downcast_ref::<&str>()
            .copied()
            .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
            .unwrap_or("panic");
        let (file, line) = info.location().map_or(("?", 0), |l| (l.file(), l.line()));
        web_sys::console::error_4(
            &"nexudus-auth panicked:".into(),
            &what.into(),
            &file.into(),
            &line.into(),
        );
    }));
}

/// Runs `f` as a Promise that rejects with an `AuthError`.
fn promise<F>(f: F) -> Promise
where
    F: Future<Output = Result<JsValue, WebError>> + 'static,
{
    future_to_promise(async move { f.await.map_err(|e| e.to_js()) })
}

/// Registers `cb` on `subs` and returns the unsubscribe function.
fn subscribe<T: 'static>(
    owner: Weak<T>,
    subs: fn(&T) -> &Subscribers,
    cb: JsValue,
) -> Result<JsValue, JsValue> {
    let f: Function = cb
        .dyn_into()
        .map_err(|_| WebError::config("the callback must be a function").to_js())?;
    let Some(strong) = owner.upgrade() else {
        return Err(WebError::config("disposed").to_js());
    };
    let id = subs(&strong).add(f);
    let off = Closure::<dyn FnMut()>::new(move || {
        if let Some(o) = owner.upgrade() {
            subs(&o).remove(id);
        }
    });
    Ok(off.into_js_value())
}

/// A Nexudus sign-in client for one storage key.
#[wasm_bindgen]
pub struct NexudusAuth {
    inner: Client,
}

#[wasm_bindgen]
impl NexudusAuth {
    /// Validates the options, restores a stored session and starts keeping it fresh.
    pub async fn create(
        #[wasm_bindgen(unchecked_param_type = "NexudusAuthOptions")] options: JsValue,
    ) -> Result<NexudusAuth, JsValue> {
        let input = options::config_input(&options)?;
        let cfg = Config::new(input).map_err(WebError::from)?;
        let inner = Inner::create(cfg, &field(&options, "storage")).await?;
        Ok(NexudusAuth { inner })
    }

    /// The current session `{accessToken, tokenType, expiresAt}`, or null.
    #[wasm_bindgen(getter, unchecked_return_type = "Session | null")]
    pub fn session(&self) -> JsValue {
        self.inner.session_js()
    }

    /// When the next background refresh is scheduled (ms since the epoch), or null.
    #[wasm_bindgen(getter, js_name = nextRefreshAt, unchecked_return_type = "number | null")]
    pub fn next_refresh_at(&self) -> JsValue {
        self.inner
            .next_refresh_at()
            .map_or(JsValue::NULL, JsValue::from)
    }

    /// Password sign-in (`POST /api/token`, form-encoded), with `totp` when 2FA is on.
    #[wasm_bindgen(js_name = signIn, unchecked_return_type = "Promise<Session>")]
    pub fn sign_in(
        &self,
        #[wasm_bindgen(unchecked_param_type = "SignInOptions")] options: JsValue,
    ) -> Promise {
        let inner = self.inner.clone();
        promise(async move {
            let email = options::string(&options, "email", "email must be a string")?
                .filter(|e| !e.is_empty())
                .ok_or(WebError::config("signIn needs an email"))?;
            let password = options::string(&options, "password", "password must be a string")?
                .filter(|p| !p.is_empty())
                .ok_or(WebError::config("signIn needs a password"))?;
            let credentials = Credentials {
                email,
                password: Password::new(password),
                totp: options::string(&options, "totp", "totp must be a string")?,
                client_id: options::string(&options, "clientId", "clientId must be a string")?,
            };
            let session = inner.sign_in(credentials).await?;
            Ok(crate::web::client::session_object(&session))
        })
    }

    /// Exchanges a one-time JWT (magic link, sign-up, reset) for a session.
    #[wasm_bindgen(js_name = exchangeToken, unchecked_return_type = "Promise<Session>")]
    pub fn exchange_token(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] jwt: JsValue,
        options: Option<ExchangeOptionsArg>,
    ) -> Promise {
        let inner = self.inner.clone();
        promise(async move {
            let jwt = options::required(&jwt, "exchangeToken needs the token string")?;
            let opts = arg(options);
            let minutes = options::number(
                &opts,
                "validForInMinutes",
                "validForInMinutes must be a number",
            )?;
            let session = inner.exchange(OneTimeToken::new(jwt), minutes).await?;
            Ok(crate::web::client::session_object(&session))
        })
    }

    /// Refreshes now (one refresh across every tab that shares the storage).
    #[wasm_bindgen(unchecked_return_type = "Promise<Session>")]
    pub fn refresh(&self) -> Promise {
        let inner = self.inner.clone();
        promise(async move {
            let session = inner.refresh_shared(Mode::Forced).await?;
            Ok(crate::web::client::session_object(&session))
        })
    }

    /// The access token, refreshed first when near expiry; concurrent callers share one refresh.
    #[wasm_bindgen(js_name = getAccessToken, unchecked_return_type = "Promise<string>")]
    pub fn get_access_token(&self) -> Promise {
        let inner = self.inner.clone();
        promise(async move { Ok(inner.access_token().await?.into()) })
    }

    /// `fetch` with the bearer token (only to `baseUrl`'s origin; relative URLs resolve against
    /// it). Refreshes first when stale; on a 401 refreshes once and retries once.
    #[wasm_bindgen(unchecked_return_type = "Promise<Response>")]
    pub fn fetch(
        &self,
        #[wasm_bindgen(unchecked_param_type = "RequestInfo | URL")] input: JsValue,
        init: Option<RequestInitArg>,
    ) -> Promise {
        let inner = self.inner.clone();
        promise(async move {
            let response = inner.authorized_fetch(input, arg(init)).await?;
            Ok(response.into())
        })
    }

    /// `${portalUrl}/user/login?server=true&t=…&redirectUrl=…` with a fresh one-time token.
    #[wasm_bindgen(js_name = authenticatedLink, unchecked_return_type = "Promise<string>")]
    pub fn authenticated_link(
        &self,
        #[wasm_bindgen(js_name = "redirectUrl", unchecked_param_type = "string")]
        redirect_url: JsValue,
    ) -> Promise {
        let inner = self.inner.clone();
        promise(async move {
            let redirect =
                options::required(&redirect_url, "authenticatedLink needs a redirectUrl")?;
            Ok(inner.authenticated_link(&redirect).await?.into())
        })
    }

    /// `${portalUrl}/login?t=…[&redirectUrl=…]` with a fresh one-time token.
    #[wasm_bindgen(js_name = portalLoginUrl, unchecked_return_type = "Promise<string>")]
    pub fn portal_login_url(
        &self,
        #[wasm_bindgen(js_name = "redirectUrl")] redirect_url: Option<OptionalString>,
    ) -> Promise {
        let inner = self.inner.clone();
        promise(async move {
            let redirect =
                match Some(arg(redirect_url)).filter(|v| !v.is_undefined() && !v.is_null()) {
                    Some(v) => Some(options::required(&v, "redirectUrl must be a string")?),
                    None => None,
                };
            Ok(inner.portal_login_url(redirect.as_deref()).await?.into())
        })
    }

    /// Asks Nexudus to email a password-reset link (resolves the same whether or not it exists).
    #[wasm_bindgen(js_name = startPasswordReset, unchecked_return_type = "Promise<void>")]
    pub fn start_password_reset(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] email: JsValue,
        #[wasm_bindgen(js_name = "businessId")] business_id: Option<OptionalNumber>,
    ) -> Promise {
        let inner = self.inner.clone();
        promise(async move {
            let email = options::required(&email, "startPasswordReset needs an email")?;
            let business =
                match Some(arg(business_id)).filter(|v| !v.is_undefined() && !v.is_null()) {
                    Some(v) => Some(
                        v.as_f64()
                            .ok_or(WebError::config("businessId must be a number"))?,
                    ),
                    None => None,
                };
            inner.start_password_reset(&email, business).await?;
            Ok(JsValue::UNDEFINED)
        })
    }

    /// Sets a new password with the emailed token and signs the customer in.
    #[wasm_bindgen(js_name = completePasswordReset, unchecked_return_type = "Promise<Session>")]
    pub fn complete_password_reset(
        &self,
        #[wasm_bindgen(unchecked_param_type = "CompletePasswordResetOptions")] options: JsValue,
    ) -> Promise {
        let inner = self.inner.clone();
        promise(async move {
            let token = options::string(&options, "token", "token must be a string")?
                .filter(|t| !t.is_empty())
                .ok_or(WebError::config(
                    "completePasswordReset needs the reset token",
                ))?;
            let password =
                options::string(&options, "newPassword", "newPassword must be a string")?
                    .filter(|p| !p.is_empty())
                    .ok_or(WebError::config(
                        "completePasswordReset needs a newPassword",
                    ))?;
            let business = options::number(&options, "businessId", "businessId must be a number")?;
            let session = inner
                .complete_password_reset(
                    OneTimeToken::new(token),
                    Password::new(password),
                    business,
                )
                .await?;
            Ok(crate::web::client::session_object(&session))
        })
    }

    /// Signs out: session and storage are cleared when this returns; other tabs follow.
    #[wasm_bindgen(js_name = signOut)]
    pub fn sign_out(&self) {
        self.inner.sign_out();
    }

    /// Calls `cb(event, session)` on every sign-in, refresh and sign-out (in any tab).
    #[wasm_bindgen(js_name = onChange, unchecked_return_type = "() => void")]
    pub fn on_change(
        &self,
        #[wasm_bindgen(
            unchecked_param_type = "(event: AuthChangeEvent, session: Session | null) => void"
        )]
        cb: JsValue,
    ) -> Result<JsValue, JsValue> {
        subscribe(Rc::downgrade(&self.inner), |i: &Inner| &i.changes, cb)
    }

    /// Calls `cb(warning)` for problems that lose nothing, e.g. storage fell back to memory.
    #[wasm_bindgen(js_name = onWarning, unchecked_return_type = "() => void")]
    pub fn on_warning(
        &self,
        #[wasm_bindgen(unchecked_param_type = "(warning: AuthErrorFields) => void")] cb: JsValue,
    ) -> Result<JsValue, JsValue> {
        subscribe(Rc::downgrade(&self.inner), |i: &Inner| &i.warnings, cb)
    }

    /// Stops the timer and removes every listener and callback.
    pub fn dispose(&self) {
        self.inner.dispose();
    }
}

/// A Rebilly customer session from an authentication-token exchange.
#[wasm_bindgen]
pub struct RebillyAuth {
    inner: Rc<Rebilly>,
}

#[wasm_bindgen]
impl RebillyAuth {
    /// Validates the options and restores an unexpired stored session.
    pub async fn create(
        #[wasm_bindgen(unchecked_param_type = "RebillyAuthOptions")] options: JsValue,
    ) -> Result<RebillyAuth, JsValue> {
        let base = options::string(&options, "baseUrl", "baseUrl must be a string")?
            .ok_or(WebError::config("RebillyAuth.create needs baseUrl"))?;
        let base = BaseUrl::parse(&base).map_err(WebError::from)?;
        let key = options::string(
            &options,
            "publishableKey",
            "publishableKey must be a string",
        )?;
        let storage_key = options::string(&options, "storageKey", "storageKey must be a string")?
            .unwrap_or_else(|| "nexudus-auth-rebilly".into());
        let inner = Rebilly::create(base, key, &field(&options, "storage"), storage_key).await?;
        Ok(RebillyAuth {
            inner: Rc::new(inner),
        })
    }

    /// `POST {baseUrl}/authentication-tokens/{token}/exchange`; stores the JWT and its expiry.
    #[wasm_bindgen(unchecked_return_type = "Promise<RebillySession>")]
    pub fn exchange(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] token: JsValue,
        options: Option<RebillyExchangeOptionsArg>,
    ) -> Promise {
        let inner = self.inner.clone();
        promise(async move {
            let token = options::required(&token, "exchange needs the authentication token")?;
            let opts = arg(options);
            let invalidate = options::boolean(&opts, "invalidate", "invalidate must be a boolean")?
                .unwrap_or(true);
            let otp =
                options::string(&opts, "oneTimePassword", "oneTimePassword must be a string")?;
            inner
                .exchange(OneTimeToken::new(token), invalidate, otp.as_deref())
                .await
        })
    }

    /// The session `{token, expiresAt, customerId}`, or null.
    #[wasm_bindgen(getter, unchecked_return_type = "RebillySession | null")]
    pub fn session(&self) -> JsValue {
        self.inner.session_js()
    }

    /// Forgets the session.
    #[wasm_bindgen(js_name = signOut)]
    pub fn sign_out(&self) {
        self.inner.sign_out();
    }

    /// Calls `cb(event, session)` on exchange and sign-out.
    #[wasm_bindgen(js_name = onChange, unchecked_return_type = "() => void")]
    pub fn on_change(
        &self,
        #[wasm_bindgen(
            unchecked_param_type = "(event: RebillyChangeEvent, session: RebillySession | null) => void"
        )]
        cb: JsValue,
    ) -> Result<JsValue, JsValue> {
        subscribe(Rc::downgrade(&self.inner), |r: &Rebilly| &r.changes, cb)
    }
}

/// `endpoints.system.auth.login(token, validForInMinutes = 1440)`: the exchange path.
#[wasm_bindgen(js_name = endpointsSystemAuthLogin)]
pub fn endpoints_system_auth_login(
    token: &str,
    #[wasm_bindgen(js_name = "validForInMinutes")] valid_for_in_minutes: Option<f64>,
) -> Result<String, JsValue> {
    let minutes = valid_for_in_minutes.unwrap_or(1440.0);
    if minutes.fract() != 0.0 || !(1.0..=43_200.0).contains(&minutes) {
        return Err(
            WebError::config("validForInMinutes must be a whole number from 1 to 43200").to_js(),
        );
    }
    Ok(url::exchange_path(token, minutes as u32))
}

/// `endpoints.system.auth.refreshToken()`: the one-time server token path.
#[wasm_bindgen(js_name = endpointsSystemAuthRefreshToken)]
pub fn endpoints_system_auth_refresh_token() -> String {
    url::ONE_TIME_TOKEN_PATH.into()
}

/// The AuthenticatedLink URL: `${portalUrl}/user/login?server=true&t=…&redirectUrl=…`.
/// The portal URL is validated and the redirect must stay on its origin.
#[wasm_bindgen(js_name = authenticatedLinkUrl)]
pub fn authenticated_link_url(
    #[wasm_bindgen(js_name = "portalUrl")] portal_url: &str,
    t: &str,
    #[wasm_bindgen(js_name = "redirectUrl")] redirect_url: &str,
) -> Result<String, JsValue> {
    let portal = BaseUrl::parse(portal_url).map_err(|e| WebError::from(e).to_js())?;
    url::check_redirect(&portal, &[], redirect_url).map_err(|e| WebError::from(e).to_js())?;
    Ok(url::authenticated_link_url(
        portal.as_str(),
        t,
        redirect_url,
    ))
}
