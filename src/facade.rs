//! The one `#[wasm_bindgen]` file: the synchronous API the JavaScript shell drives
//! (`pkg-template/shell/`, which carries the public API of docs/CONTRACT.md). The wasm does no
//! I/O and holds no callbacks: the shell sends each request built here and hands each answer
//! back as the `{status, retryAfter, text}` its `send` resolves to, with `now` (`Date.now()`) and `jitter`
//! (`Math.random()`). Every decision is the pure core's ([`crate::core::client::Client`]); this
//! file only converts values ([`crate::js`]). Arguments arrive as `JsValue`s and are decoded
//! inside, so a wrong one throws `AuthError('invalid_config')`, never a `TypeError` of the glue.
//!
//! A session crosses the boundary as its stored JSON text: the storage, the refresh ledger and
//! the other tabs hold that text, so the shell hands copies back without decoding them.

use crate::core::client::{Client, Refreshed};
use crate::core::config::{valid_for_minutes, Config};
use crate::core::jwt::Claims;
use crate::core::requests;
use crate::core::responses;
use crate::core::secret::{OneTimeToken, Password};
use crate::core::session::RebillySession;
use crate::core::url::{self, BaseUrl};
use crate::js::convert::{
    self, bearer_call, begin_code, claims, copy, event_hint, event_name, held_copy, lock_step,
    other_call, refresh_mode, request, response, session_object, stored_text,
};
use crate::js::error::JsError;
use crate::js::json;
use crate::js::options;
use wasm_bindgen::prelude::*;

type Result<T> = std::result::Result<T, JsError>;

/// Turns a panic (there should be none) into one readable console error instead of an opaque
/// `unreachable` trap. Debug and stable builds only: the release package (`panic=immediate-abort`,
/// scripts/build.sh) never runs a hook, so it has none.
#[cfg(not(panic = "immediate-abort"))]
#[wasm_bindgen(start)]
fn start() {
    crate::js::panic::install_hook();
}

/// One `NexudusAuth` client's state and decisions ([`Client`]). Besides the session it keeps only
/// the refresh in progress (the shell runs one at a time); what a sign-in or exchange needs to read
/// its answer travels on its request object and is handed back with the answer.
#[wasm_bindgen]
pub struct Machine {
    client: Client,
}

#[wasm_bindgen]
impl Machine {
    /// Validates the `NexudusAuth.create` options (`invalid_config` when wrong).
    #[wasm_bindgen(constructor)]
    pub fn new(opts: JsValue) -> Result<Machine> {
        let cfg = Config::new(options::config_input(&opts)?)?;
        Ok(Machine {
            client: Client::new(cfg),
        })
    }

    /// The storage key (option `storageKey`, or the default).
    #[wasm_bindgen(js_name = storageKey)]
    pub fn storage_key(&self) -> String {
        self.client.config().storage_key.clone()
    }

    /// Makes the stored session `text` this tab's; throws when it is unreadable (the shell then
    /// discards it and warns).
    pub fn restore(&mut self, text: &str, now: f64, jitter: f64) -> Result<()> {
        self.client.establish(convert::stored(text)?, now, jitter);
        Ok(())
    }

    /// `{accessToken, tokenType, expiresAt}`, or null.
    pub fn session(&self) -> JsValue {
        self.client.session().map_or(JsValue::NULL, session_object)
    }

    /// The stored text of this tab's session, or undefined.
    #[wasm_bindgen(js_name = sessionText)]
    pub fn session_text(&self) -> Option<String> {
        self.client.session().map(stored_text)
    }

    /// The coworker id being acted for, or undefined.
    pub fn impersonating(&self) -> Option<f64> {
        self.client.session()?.impersonating.map(|n| n as f64)
    }

    /// The `client_id` the session refreshes with (the Web Lock's name), or undefined.
    #[wasm_bindgen(js_name = clientId)]
    pub fn client_id(&self) -> Option<String> {
        Some(self.client.session()?.client_id.clone())
    }

    /// The password grant of `signIn(opts)`, with the `clientId` and `email` its answer needs
    /// (`onGrant`): they travel with the call, so concurrent calls never mix. Neither is secret.
    #[wasm_bindgen(js_name = signInRequest)]
    pub fn sign_in_request(&self, opts: JsValue) -> Result<JsValue> {
        let email = options::required_field(&opts, "email")?;
        let password = Password::new(options::required_field(&opts, "password")?);
        let totp = options::string(&opts, "totp")?;
        let client_id = options::string(&opts, "clientId")?;
        let call = self
            .client
            .sign_in_request(email, &password, totp.as_deref(), client_id);
        Ok(convert::grant(call, true))
    }

    /// The exchange of `exchangeToken(jwt, opts)`, with its `clientId` and `email` when known.
    #[wasm_bindgen(js_name = exchangeRequest)]
    pub fn exchange_request(&self, jwt: JsValue, opts: JsValue) -> Result<JsValue> {
        let jwt = options::required(&jwt, "jwt")?;
        let minutes = options::number(&opts, "validForInMinutes")?;
        let minutes = minutes.map(|m| valid_for_minutes(Some(m))).transpose()?;
        let email = claims(&jwt).and_then(Claims::subject);
        let call = self
            .client
            .exchange_request(&OneTimeToken::new(jwt), minutes, email);
        Ok(convert::grant(call, false))
    }

    /// The answer to a sign-in or exchange `call` (its request object, with what reading the
    /// answer needs: `signIn`, `clientId`, `email`, and for an admin's exchange the coworker acted
    /// for, `impersonating`, which the shell adds): the new session.
    #[wasm_bindgen(js_name = onGrant)]
    pub fn on_grant(
        &mut self,
        call: JsValue,
        answer: JsValue,
        now: f64,
        jitter: f64,
    ) -> Result<JsValue> {
        let (kind, client_id, email, acting) = convert::grant_context(&call);
        let email_of = |token: &str| claims(token).and_then(|c| c.email);
        let answer = response(&answer);
        let c = &mut self.client;
        let s = c.on_grant(
            kind, client_id, email, acting, &answer, email_of, now, jitter,
        )?;
        Ok(session_object(s))
    }

    /// Whether a refresh may start: 0 nothing to do (on demand and not due), 1 go, 2 backing off
    /// (on demand only). `mode`: 0 on demand, 1 scheduled, 2 forced (`refresh()`, a 401).
    #[wasm_bindgen(js_name = beginRefresh)]
    pub fn begin_refresh(&mut self, mode: u8, now: f64) -> Result<u8> {
        Ok(begin_code(
            self.client.begin_refresh(refresh_mode(mode), now)?,
        ))
    }

    /// The stored text of the freshest session this tab can see: its own, the `stored` copy or
    /// the refresh `ledger`'s; undefined when none. (Two arguments, not an array: passing a
    /// `Vec<String>` costs the wasm 0.4 KB brotli.)
    pub fn freshest(&self, stored: Option<String>, ledger: Option<String>) -> Option<String> {
        let copies = [copy(stored), copy(ledger)].into_iter().flatten();
        self.client.freshest(copies).as_ref().map(stored_text)
    }

    /// Whether a tab that waited for the lock and still sees the session the refresh began with
    /// as the freshest (`fresh`) should wait briefly for the previous holder's message.
    #[wasm_bindgen(js_name = waitForHandoff)]
    pub fn wait_for_handoff(&self, fresh: Option<String>, waited: bool) -> bool {
        let fresh = copy(fresh);
        self.client.wait_for_handoff(fresh.as_ref(), waited)
    }

    /// Under the lock, given the freshest copy `fresh`: "refresh" (send `refreshRequest()`),
    /// "out" (signed out), or the event of adopting another tab's rotation ("" for none).
    /// `forced`: `refresh()` or a 401; `waited`: another tab held the lock first.
    #[wasm_bindgen(js_name = afterLock)]
    pub fn after_lock(
        &mut self,
        fresh: Option<String>,
        forced: bool,
        waited: bool,
        now: f64,
        jitter: f64,
    ) -> String {
        let fresh = copy(fresh);
        lock_step(self.client.after_lock(fresh, forced, waited, now, jitter))
    }

    /// The refresh grant of the copy `afterLock` chose.
    #[wasm_bindgen(js_name = refreshRequest)]
    pub fn refresh_request(&self) -> Result<JsValue> {
        Ok(request(&self.client.refresh_request()?))
    }

    /// The answer to the refresh: the rotated session, or null when another sign-in arrived
    /// meanwhile (it stays). Throws the failure (`unauthorized` when this tab signed out
    /// meanwhile); the session is then left as it is.
    #[wasm_bindgen(js_name = onRefresh)]
    pub fn on_refresh(&mut self, answer: JsValue, now: f64, jitter: f64) -> Result<JsValue> {
        let answer = response(&answer);
        Ok(match self.client.on_refresh(&answer, now, jitter)? {
            Refreshed::Kept => self.session(),
            Refreshed::Discarded => JsValue::NULL,
        })
    }

    /// The refresh got no answer (network error, timeout): back off.
    #[wasm_bindgen(js_name = refreshFailed)]
    pub fn refresh_failed(&mut self, now: f64, jitter: f64) {
        self.client.no_answer(now, jitter);
    }

    /// After `invalid_grant` to the refresh: the event of adopting `latest` (another tab won the
    /// rotation race; "" for none), or undefined: the session is over (signed out here; the
    /// shell clears the storage).
    #[wasm_bindgen(js_name = afterLostRotation)]
    pub fn after_lost_rotation(
        &mut self,
        latest: Option<String>,
        now: f64,
        jitter: f64,
    ) -> Option<String> {
        let latest = copy(latest);
        self.client
            .after_lost_rotation(latest, now, jitter)
            .map(event_name)
    }

    /// Ends the refresh: leaves the refreshing phase when no outcome moved the schedule.
    pub fn settle(&mut self, now: f64, jitter: f64) {
        self.client.settle(now, jitter);
    }

    /// The admin's session kept aside (its stored text) while impersonating: its refresh grant
    /// when due, else undefined. It never becomes this tab's session.
    #[wasm_bindgen(js_name = asideRefreshRequest)]
    pub fn aside_refresh_request(&self, text: String, now: f64) -> Result<JsValue> {
        let s = held_copy(text)?;
        Ok(self
            .client
            .aside_refresh_request(&s, now)?
            .map_or(JsValue::UNDEFINED, |r| request(&r)))
    }

    /// The stored text of the aside session `text` rotated by the refresh answer.
    #[wasm_bindgen(js_name = asideRotated)]
    pub fn aside_rotated(&self, text: String, answer: JsValue, now: f64) -> Result<String> {
        let s = held_copy(text)?;
        Ok(stored_text(&self.client.aside_rotated(
            &s,
            &response(&answer),
            now,
        )?))
    }

    /// Another tab wrote `text` (null: it signed out), saying it did `hint`: the event to fire
    /// ("" for none).
    pub fn adopt(&mut self, text: Option<String>, hint: &str, now: f64, jitter: f64) -> String {
        let remote = copy(text);
        event_name(self.client.adopt(remote, event_hint(hint), now, jitter))
    }

    /// Signed out: no session, no timer.
    #[wasm_bindgen(js_name = signOut)]
    pub fn sign_out(&mut self, now: f64) {
        self.client.sign_out(now);
    }

    /// When to wake the timer next (ms since the epoch), or undefined.
    #[wasm_bindgen(js_name = pollTimeout)]
    pub fn poll_timeout(&self) -> Option<f64> {
        self.client.poll_timeout()
    }

    /// The timer fired: whether a scheduled refresh is due.
    #[wasm_bindgen(js_name = handleTimeout)]
    pub fn handle_timeout(&mut self, now: f64) -> bool {
        self.client.handle_timeout(now)
    }

    /// Whether the session's access token has not expired (`false` when signed out).
    #[wasm_bindgen(js_name = tokenValid)]
    pub fn token_valid(&self, now: f64) -> bool {
        self.client.token_valid(now)
    }

    /// Whether the session is within its refresh leeway.
    #[wasm_bindgen(js_name = needsRefresh)]
    pub fn needs_refresh(&self, now: f64) -> bool {
        self.client.needs_refresh(now)
    }

    /// A bearer call's request: `kind` 0 one-time server token, 3 media token, 4 impersonation
    /// token of coworker `id` (numbered as [`Machine::on_action`]).
    #[wasm_bindgen(js_name = bearerRequest)]
    pub fn bearer_request(&self, kind: u8, id: JsValue) -> Result<JsValue> {
        Ok(request(
            &self.client.bearer_request(bearer_call(kind, &id)?)?,
        ))
    }

    /// The request of `startPasswordReset(a = email, b = businessId)` (`start`) or of
    /// `completePasswordReset(a = {token, newPassword, businessId?})`.
    #[wasm_bindgen(js_name = resetRequest)]
    pub fn reset_request(&self, start: bool, a: JsValue, b: JsValue) -> Result<JsValue> {
        if start {
            let email = options::required(&a, "email")?;
            return Ok(request(&self.client.start_reset_request(
                &email,
                options::optional_number(&b, "businessId")?,
            )));
        }
        let (token, password, business) = options::new_password(&a)?;
        Ok(request(
            &self
                .client
                .complete_reset_request(&token, &password, business),
        ))
    }

    /// The answer of a call that is not a sign-in or a refresh: the token it gives, if any.
    /// `kind`: 0 one-time server token, 1 start reset, 2 complete reset (signs in: the token is
    /// a JWT to exchange), 3 media token, 4 impersonation token (a JWT to exchange).
    #[wasm_bindgen(js_name = onAction)]
    pub fn on_action(&self, kind: u8, answer: JsValue) -> Result<Option<String>> {
        Ok(other_call(kind).token(&response(&answer))?)
    }

    /// `authenticatedLink` with the one-time token `t` (`authenticated` false: `portalLoginUrl`);
    /// the redirect must be on the portal or an allowed origin.
    pub fn link(&self, authenticated: bool, t: &str, redirect: Option<String>) -> Result<String> {
        Ok(self.client.link(authenticated, t, redirect.as_deref())?)
    }

    /// The URL of a media `path` on the API, with the media token `t`.
    #[wasm_bindgen(js_name = mediaUrl)]
    pub fn media_url(&self, path: &str, t: &str) -> Result<String> {
        Ok(self.client.media_url(path, t)?)
    }

    /// `path` on the API (`baseUrl`); an absolute URL must be on its origin.
    #[wasm_bindgen(js_name = fetchUrl)]
    pub fn fetch_url(&self, path: &str) -> Result<String> {
        Ok(self.client.api_url(path)?)
    }
}

/// The request of `RebillyAuth.exchangeToken(token, x)` for the options `opts`.
#[wasm_bindgen(js_name = rebillyRequest)]
pub fn rebilly_request(opts: JsValue, token: JsValue, x: JsValue) -> Result<JsValue> {
    let base = options::string(&opts, "baseUrl")?.ok_or(options::wrong("baseUrl", "a string"))?;
    let base = BaseUrl::parse(&base)?;
    let key = options::string(&opts, "publishableKey")?;
    let token = OneTimeToken::new(options::required(&token, "token")?);
    let invalidate = options::boolean(&x, "invalidate")?.unwrap_or(true);
    let otp = options::string(&x, "oneTimePassword")?;
    let r = requests::rebilly_exchange(&base, &token, key.as_deref(), invalidate, otp.as_deref())?;
    Ok(request(&r))
}

/// The stored text of the Rebilly session in an exchange's answer.
#[wasm_bindgen(js_name = rebillyAnswer)]
pub fn rebilly_answer(answer: JsValue, now: f64) -> Result<String> {
    let date = |s: &str| Some(js_sys::Date::parse(s)).filter(|m| m.is_finite());
    let g = responses::parse_rebilly(&response(&answer), now, date)?;
    Ok(json::stringify(&RebillySession::from_grant(g).to_value()))
}

/// A stored Rebilly session's text, if it is readable and not expired.
#[wasm_bindgen(js_name = rebillyRestore)]
pub fn rebilly_restore(text: &str, now: f64) -> Option<String> {
    let s = RebillySession::from_value(&json::parse(text)?).ok()?;
    (!s.is_expired(now)).then(|| json::stringify(&s.to_value()))
}

/// `endpoints.system.auth.login(token, validForInMinutes)`.
#[wasm_bindgen(js_name = endpointsSystemAuthLogin)]
pub fn endpoints_system_auth_login(token: &str, minutes: Option<f64>) -> Result<String> {
    Ok(url::exchange_path(token, valid_for_minutes(minutes)?))
}

/// `endpoints.system.auth.refreshToken()`.
#[wasm_bindgen(js_name = endpointsSystemAuthRefreshToken)]
pub fn endpoints_system_auth_refresh_token() -> String {
    url::ONE_TIME_TOKEN_PATH.into()
}

/// `authenticatedLinkUrl(portalUrl, t, redirectUrl)`: the redirect must be on the portal.
#[wasm_bindgen(js_name = authenticatedLinkUrl)]
pub fn authenticated_link_url(portal_url: &str, t: &str, redirect_url: &str) -> Result<String> {
    let portal = BaseUrl::parse(portal_url)?;
    url::check_redirect(&portal, &[], redirect_url)?;
    let link = url::authenticated_link_url(portal.as_str(), t, redirect_url);
    Ok(link)
}
