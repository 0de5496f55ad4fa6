//! The JavaScript API (docs/CONTRACT.md): the one `#[wasm_bindgen]` file. Every argument
//! arrives as a `JsValue` and is decoded inside the function, so a wrong argument rejects with
//! `AuthError('invalid_config')` instead of throwing from the glue; every failure is an `AuthError`.

use crate::core::config::valid_for_minutes;
use crate::core::url::{self, BaseUrl};
use crate::web::calls::{run, Call, Output};
use crate::web::client::Client;
use crate::web::error::WebError;
use crate::web::events::Subscribers;
use crate::web::rebilly::Rebilly;
use js_sys::{Function, Promise};
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
/// `unreachable` trap. Uses no `format!`, to keep the module small. Debug and stable builds only:
/// the release package (`panic=immediate-abort`, scripts/build.sh) never runs a hook, so it has none.
#[cfg(not(panic = "immediate-abort"))]
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

/// Runs `call` as a Promise that resolves to its output or rejects with an `AuthError`.
/// Every exported async method goes through this one `future_to_promise` (the refresher's
/// flight, `src/web/refresher.rs`, is the only other).
fn call(call: Call) -> Promise {
    future_to_promise(async move {
        match run(call).await {
            Ok(Output::Value(v)) => Ok(v),
            Ok(Output::Client(inner)) => Ok(NexudusAuth { inner }.into()),
            Ok(Output::Rebilly(inner)) => Ok(RebillyAuth { inner }.into()),
            Err(e) => Err(e.to_js()),
        }
    })
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
    inner: Rc<Client>,
}

#[wasm_bindgen]
impl NexudusAuth {
    /// Validates the options, restores a stored session and starts keeping it fresh.
    #[wasm_bindgen(unchecked_return_type = "Promise<NexudusAuth>")]
    pub fn create(
        #[wasm_bindgen(unchecked_param_type = "NexudusAuthOptions")] options: JsValue,
    ) -> Promise {
        call(Call::Create(options))
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
        call(Call::SignIn(self.inner.clone(), options))
    }

    /// Exchanges a one-time JWT (magic link, sign-up, reset) for a session.
    #[wasm_bindgen(js_name = exchangeToken, unchecked_return_type = "Promise<Session>")]
    pub fn exchange_token(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] jwt: JsValue,
        options: Option<ExchangeOptionsArg>,
    ) -> Promise {
        call(Call::Exchange(self.inner.clone(), jwt, arg(options)))
    }

    /// Refreshes now (one refresh across every tab that shares the storage).
    #[wasm_bindgen(unchecked_return_type = "Promise<Session>")]
    pub fn refresh(&self) -> Promise {
        call(Call::Refresh(self.inner.clone()))
    }

    /// The access token, refreshed first when near expiry; concurrent callers share one refresh.
    #[wasm_bindgen(js_name = getAccessToken, unchecked_return_type = "Promise<string>")]
    pub fn get_access_token(&self) -> Promise {
        call(Call::AccessToken(self.inner.clone()))
    }

    /// `fetch` with the bearer token (only to `baseUrl`'s origin; relative URLs resolve against
    /// it). Refreshes first when stale; on a 401 refreshes once and retries once.
    #[wasm_bindgen(unchecked_return_type = "Promise<Response>")]
    pub fn fetch(
        &self,
        #[wasm_bindgen(unchecked_param_type = "RequestInfo | URL")] input: JsValue,
        init: Option<RequestInitArg>,
    ) -> Promise {
        call(Call::Fetch(self.inner.clone(), input, arg(init)))
    }

    /// `${portalUrl}/user/login?server=true&t=…&redirectUrl=…` with a fresh one-time token.
    #[wasm_bindgen(js_name = authenticatedLink, unchecked_return_type = "Promise<string>")]
    pub fn authenticated_link(
        &self,
        #[wasm_bindgen(js_name = "redirectUrl", unchecked_param_type = "string")]
        redirect_url: JsValue,
    ) -> Promise {
        call(Call::AuthenticatedLink(self.inner.clone(), redirect_url))
    }

    /// `${portalUrl}/login?t=…[&redirectUrl=…]` with a fresh one-time token.
    #[wasm_bindgen(js_name = portalLoginUrl, unchecked_return_type = "Promise<string>")]
    pub fn portal_login_url(
        &self,
        #[wasm_bindgen(js_name = "redirectUrl")] redirect_url: Option<OptionalString>,
    ) -> Promise {
        call(Call::PortalLoginUrl(self.inner.clone(), arg(redirect_url)))
    }

    /// `${baseUrl}${path}` with a short-lived media JWT as `t`, for files the browser opens itself
    /// (invoice PDFs, media); refreshes first when due.
    #[wasm_bindgen(js_name = mediaUrl, unchecked_return_type = "Promise<string>")]
    pub fn media_url(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] path: JsValue,
    ) -> Promise {
        call(Call::MediaUrl(self.inner.clone(), path))
    }

    /// A team admin acts for a member of the team: the member's session becomes current (the
    /// admin's is kept aside) and `SIGNED_IN` fires in every tab.
    #[wasm_bindgen(unchecked_return_type = "Promise<Session>")]
    pub fn impersonate(
        &self,
        #[wasm_bindgen(js_name = "coworkerId", unchecked_param_type = "number")]
        coworker_id: JsValue,
    ) -> Promise {
        call(Call::Impersonate(self.inner.clone(), coworker_id))
    }

    /// The coworker id being acted for, or null.
    #[wasm_bindgen(getter, unchecked_return_type = "number | null")]
    pub fn impersonating(&self) -> JsValue {
        self.inner
            .impersonating()
            .map_or(JsValue::NULL, |id| JsValue::from(id as f64))
    }

    /// Drops the member's session and restores the admin's (refreshed first when due).
    #[wasm_bindgen(js_name = stopImpersonating, unchecked_return_type = "Promise<Session>")]
    pub fn stop_impersonating(&self) -> Promise {
        call(Call::StopImpersonating(self.inner.clone()))
    }

    /// Asks Nexudus to email a password-reset link (resolves the same whether or not it exists).
    #[wasm_bindgen(js_name = startPasswordReset, unchecked_return_type = "Promise<void>")]
    pub fn start_password_reset(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] email: JsValue,
        #[wasm_bindgen(js_name = "businessId")] business_id: Option<OptionalNumber>,
    ) -> Promise {
        call(Call::StartPasswordReset(
            self.inner.clone(),
            email,
            arg(business_id),
        ))
    }

    /// Sets a new password with the emailed token and signs the customer in.
    #[wasm_bindgen(js_name = completePasswordReset, unchecked_return_type = "Promise<Session>")]
    pub fn complete_password_reset(
        &self,
        #[wasm_bindgen(unchecked_param_type = "CompletePasswordResetOptions")] options: JsValue,
    ) -> Promise {
        call(Call::CompletePasswordReset(self.inner.clone(), options))
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
        subscribe(
            Rc::downgrade(&self.inner),
            |c: &Client| c.state().changes(),
            cb,
        )
    }

    /// Calls `cb(warning)` for problems that lose nothing, e.g. storage fell back to memory.
    #[wasm_bindgen(js_name = onWarning, unchecked_return_type = "() => void")]
    pub fn on_warning(
        &self,
        #[wasm_bindgen(unchecked_param_type = "(warning: Error & AuthErrorFields) => void")]
        cb: JsValue,
    ) -> Result<JsValue, JsValue> {
        subscribe(
            Rc::downgrade(&self.inner),
            |c: &Client| c.state().warnings(),
            cb,
        )
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
    #[wasm_bindgen(unchecked_return_type = "Promise<RebillyAuth>")]
    pub fn create(
        #[wasm_bindgen(unchecked_param_type = "RebillyAuthOptions")] options: JsValue,
    ) -> Promise {
        call(Call::RebillyCreate(options))
    }

    /// `POST {baseUrl}/authentication-tokens/{token}/exchange`; stores the JWT and its expiry.
    #[wasm_bindgen(unchecked_return_type = "Promise<RebillySession>")]
    pub fn exchange(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] token: JsValue,
        options: Option<RebillyExchangeOptionsArg>,
    ) -> Promise {
        call(Call::RebillyExchange(
            self.inner.clone(),
            token,
            arg(options),
        ))
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
        subscribe(Rc::downgrade(&self.inner), Rebilly::changes, cb)
    }
}

/// `endpoints.system.auth.login(token, validForInMinutes?)`: the exchange path (the default and
/// range are `core::config`'s).
#[wasm_bindgen(js_name = endpointsSystemAuthLogin)]
pub fn endpoints_system_auth_login(
    token: &str,
    #[wasm_bindgen(js_name = "validForInMinutes")] valid_for_in_minutes: Option<f64>,
) -> Result<String, JsValue> {
    let minutes = valid_for_minutes(valid_for_in_minutes).map_err(|e| WebError::from(e).to_js())?;
    Ok(url::exchange_path(token, minutes))
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
