//! Parse every response: token grants, ActionConfirmations, Rebilly exchanges and their errors.
//!
//! Nothing here panics on any input: HTML, truncated JSON and wrong-typed or missing fields
//! all become [`CoreError::BadResponse`] (bodies over `MAX_BODY_BYTES` are refused by the browser
//! layer before they are parsed).

use super::error::{CoreError, ErrorCode};
use super::http::{HttpResponse, ResponseBody};
use super::secret::{AccessToken, OneTimeToken, RefreshToken};
use super::value::Value;

/// A successful `/api/token` or exchange answer.
#[derive(Clone, Debug)]
pub struct TokenGrant {
    /// `access_token` (or `token` for the exchange).
    pub access_token: AccessToken,
    /// `token_type`, default `"bearer"`.
    pub token_type: String,
    /// `expires_in`, in seconds (> 0).
    pub expires_in_s: f64,
    /// `refresh_token`, when one was sent.
    pub refresh_token: Option<RefreshToken>,
}

/// Which call a token answer belongs to (it decides how errors map to codes).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum TokenCall {
    /// Password grant: `invalid_grant` → `InvalidCredentials`.
    SignIn,
    /// Refresh grant: `invalid_grant` → `SessionExpired`.
    Refresh,
    /// JWT exchange: 400 → `TokenInvalid`, 401 → `TokenRejected`.
    Exchange,
}

/// Which call an ActionConfirmation answer belongs to.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum ActionCall {
    /// `POST /api/sys/users/token/refresh`: `Value` is required.
    OneTimeToken,
    /// `POST /api/sys/users/startPasswordReset`: an empty 2xx body is fine.
    StartPasswordReset,
    /// `POST /api/sys/users/completePasswordReset`: `Value` (a one-time JWT) is required.
    CompletePasswordReset,
}

/// A successful Rebilly exchange.
#[derive(Clone, Debug)]
pub struct RebillyGrant {
    /// The customer JWT (opaque).
    pub token: AccessToken,
    /// `customerId`.
    pub customer_id: String,
    /// `expiredTime` in ms since the epoch (now + 1 h when absent).
    pub expires_at_ms: f64,
}

fn bad(status: u16, reason: &'static str) -> CoreError {
    CoreError::BadResponse { status, reason }
}

fn is_2xx(status: u16) -> bool {
    (200..300).contains(&status)
}

/// Parses `Retry-After` given in whole seconds (an HTTP date or a fraction gives `None`).
pub fn parse_retry_after(h: Option<&str>) -> Option<f64> {
    let h = h?.trim();
    if h.is_empty() || !h.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    // Whole seconds (RFC 9110 delay-seconds); integers only, so no float tables in the wasm.
    h.parse::<u32>().ok().map(f64::from)
}

/// 429 and 5xx → `Http`.
fn common(resp: &HttpResponse) -> Result<(), CoreError> {
    if resp.status == 429 || (500..600).contains(&resp.status) {
        return Err(CoreError::Http {
            status: resp.status,
            retry_after_s: parse_retry_after(resp.retry_after.as_deref()),
        });
    }
    Ok(())
}

fn not_json(status: u16) -> CoreError {
    bad(status, "response is not JSON")
}

fn oauth_error(
    status: u16,
    call: TokenCall,
    error: &str,
    description: Option<String>,
) -> CoreError {
    let code = match error {
        "invalid_grant" if call == TokenCall::Refresh => ErrorCode::SessionExpired,
        "invalid_grant" => ErrorCode::InvalidCredentials,
        "two_factor_auth_check" => ErrorCode::TwoFactorRequired,
        "must_reset_password" => match description {
            Some(t) => {
                return CoreError::MustResetPassword {
                    status,
                    reset_token: OneTimeToken::new(t),
                }
            }
            None => ErrorCode::PasswordResetRequired,
        },
        "unsupported_grant_type" => ErrorCode::UnsupportedGrantType,
        _ => ErrorCode::Server,
    };
    CoreError::OAuth {
        status,
        code,
        error: String::from(error),
        description,
    }
}

/// Parses the answer of a password grant, a refresh grant or a JWT exchange.
pub fn parse_token(resp: &HttpResponse, call: TokenCall) -> Result<TokenGrant, CoreError> {
    common(resp)?;
    let status = resp.status;
    let body = resp.body.json();
    if is_2xx(status) {
        let v = body.ok_or(not_json(status))?;
        return grant_from(v).map_err(|reason| bad(status, reason));
    }
    if call == TokenCall::Exchange && (status == 400 || status == 401) {
        return Err(CoreError::Exchange {
            status,
            code: if status == 400 {
                ErrorCode::TokenInvalid
            } else {
                ErrorCode::TokenRejected
            },
            message: body.and_then(|v| v.non_empty_str("Message")),
        });
    }
    if status == 400 || status == 401 {
        if let Some(v) = body {
            if let Some(error) = v.get("error").and_then(Value::as_str) {
                return Err(oauth_error(
                    status,
                    call,
                    error,
                    v.non_empty_str("error_description"),
                ));
            }
        }
    }
    if status == 401 {
        return Err(CoreError::Unauthorized { status });
    }
    Err(bad(status, "unexpected status"))
}

fn grant_from(v: &Value) -> Result<TokenGrant, &'static str> {
    if v.as_object().is_none() {
        return Err("response is not a JSON object");
    }
    const WRONG: &str = "a token field has the wrong type";
    let access = match v.loose_str("access_token").map_err(|_| WRONG)? {
        Some(a) => Some(a),
        None => v.loose_str("token").map_err(|_| WRONG)?,
    };
    let access = access
        .filter(|a| !a.is_empty())
        .ok_or("missing access_token")?;
    let expires_in = match v.get("expires_in") {
        Some(Value::Num(n)) => Some(*n),
        Some(Value::Str(s)) => s.trim().parse::<u32>().ok().map(f64::from),
        _ => None,
    }
    // Its milliseconds must be finite too, or the session could not be stored.
    .filter(|n| *n > 0.0 && (n * 1000.0).is_finite())
    .ok_or("missing or invalid expires_in")?;
    let token_type = v
        .loose_str("token_type")
        .map_err(|_| WRONG)?
        .filter(|t| !t.is_empty())
        .unwrap_or("bearer");
    let refresh = v
        .loose_str("refresh_token")
        .map_err(|_| WRONG)?
        .filter(|r| !r.is_empty());
    Ok(TokenGrant {
        access_token: AccessToken::new(access),
        token_type: String::from(token_type),
        expires_in_s: expires_in,
        refresh_token: refresh.map(RefreshToken::new),
    })
}

/// Collects the messages of an ActionConfirmation's `Errors`: an array of strings, an array
/// of `{PropertyName, Message}` objects, or an object of `field → [messages]` / `field → message`.
pub fn collect_errors(v: Option<&Value>) -> Vec<String> {
    fn push(out: &mut Vec<String>, v: &Value) {
        match v {
            Value::Str(s) if !s.is_empty() => out.push(s.clone()),
            Value::Obj(_) => {
                let m = ["Message", "ErrorMessage", "message"]
                    .iter()
                    .find_map(|k| v.get(k).and_then(Value::as_str));
                if let Some(m) = m.filter(|m| !m.is_empty()) {
                    out.push(String::from(m));
                }
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    match v {
        Some(Value::Arr(items)) => items.iter().for_each(|i| push(&mut out, i)),
        Some(Value::Obj(fields)) => {
            for (_, f) in fields {
                match f {
                    Value::Arr(items) => items.iter().for_each(|i| push(&mut out, i)),
                    other => push(&mut out, other),
                }
            }
        }
        _ => {}
    }
    out
}

fn action_error(status: u16, call: ActionCall, v: &Value) -> CoreError {
    let errors = collect_errors(v.get("Errors"));
    let code = if !errors.is_empty() {
        ErrorCode::PasswordPolicy
    } else if call == ActionCall::CompletePasswordReset {
        ErrorCode::TokenInvalid
    } else {
        ErrorCode::Server
    };
    CoreError::Action {
        status,
        code,
        message: v.non_empty_str("Message"),
        errors,
    }
}

/// Parses an ActionConfirmation `{WasSuccessful, Value, Status, Message, Errors}`; returns
/// `Value` when it is a string.
///
/// `OneTimeToken` and `CompletePasswordReset` require a non-empty string `Value`
/// (else `BadResponse`); `StartPasswordReset` also accepts an empty 2xx body.
/// `WasSuccessful: false` → [`CoreError::Action`]; 401 → `Unauthorized`; 429/5xx → `Http`.
pub fn parse_action(resp: &HttpResponse, call: ActionCall) -> Result<Option<String>, CoreError> {
    common(resp)?;
    let status = resp.status;
    if status == 401 {
        return Err(CoreError::Unauthorized { status });
    }
    if is_2xx(status) && call == ActionCall::StartPasswordReset && resp.body == ResponseBody::Empty
    {
        return Ok(None);
    }
    let v = match resp.body.json() {
        Some(v @ Value::Obj(_)) => v,
        Some(_) if is_2xx(status) => return Err(bad(status, "response is not a JSON object")),
        None if is_2xx(status) => return Err(not_json(status)),
        _ => return Err(bad(status, "unexpected status")),
    };
    let ok = match v.get("WasSuccessful") {
        Some(Value::Bool(b)) => *b,
        None | Some(Value::Null) => is_2xx(status),
        Some(_) => return Err(bad(status, "WasSuccessful has the wrong type")),
    };
    if !ok || !is_2xx(status) {
        return Err(action_error(status, call, v));
    }
    let value = match v.get("Value") {
        Some(Value::Str(s)) if !s.is_empty() => Some(s.clone()),
        _ => None,
    };
    if value.is_none() && call != ActionCall::StartPasswordReset {
        return Err(bad(status, "missing Value"));
    }
    Ok(value)
}

/// Parses a Rebilly `authentication-tokens/{token}/exchange` answer.
///
/// 200/201 need `token` and `customerId` strings and an optional ISO 8601 `expiredTime`
/// (absent → `now_ms` + 1 h), read by `parse_date` (the browser's `Date.parse` at the edge;
/// `None` for an invalid date). RFC 7807 errors: 401/403 → `TokenRejected`, 400/404/422 →
/// `TokenInvalid`, 429 → `Server`; 5xx → `Http`.
pub fn parse_rebilly(
    resp: &HttpResponse,
    now_ms: f64,
    parse_date: impl Fn(&str) -> Option<f64>,
) -> Result<RebillyGrant, CoreError> {
    let status = resp.status;
    let body = resp.body.json();
    let code = match status {
        200 | 201 => {
            let v = body.ok_or(not_json(status))?;
            return rebilly_grant(v, now_ms, parse_date).map_err(|r| bad(status, r));
        }
        401 | 403 => ErrorCode::TokenRejected,
        400 | 404 | 422 => ErrorCode::TokenInvalid,
        429 => ErrorCode::Server,
        _ => {
            common(resp)?;
            return Err(bad(status, "unexpected status"));
        }
    };
    let (title, detail) = match body {
        Some(v) => (v.non_empty_str("title"), v.non_empty_str("detail")),
        None => (None, None),
    };
    Err(CoreError::Rebilly {
        status,
        code,
        title,
        detail,
    })
}

fn rebilly_grant(
    v: &Value,
    now_ms: f64,
    parse_date: impl Fn(&str) -> Option<f64>,
) -> Result<RebillyGrant, &'static str> {
    let token = v
        .get("token")
        .and_then(Value::as_str)
        .filter(|t| !t.is_empty())
        .ok_or("missing token")?;
    let customer_id = v
        .get("customerId")
        .and_then(Value::as_str)
        .filter(|t| !t.is_empty())
        .ok_or("missing customerId")?;
    let expires_at_ms = match v.get("expiredTime") {
        None | Some(Value::Null) => now_ms + 3_600_000.0,
        Some(Value::Str(s)) => parse_date(s)
            .filter(|ms| ms.is_finite())
            .ok_or("invalid expiredTime")?,
        Some(_) => return Err("invalid expiredTime"),
    };
    Ok(RebillyGrant {
        token: AccessToken::new(token),
        customer_id: String::from(customer_id),
        expires_at_ms,
    })
}

/// Which one-time token answer: its member name, and what the token is for.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum TokenAnswer {
    /// `GET /api/auth/media/customer` → `{"jwt": "…"}`.
    Media,
    /// `GET /api/public/coworkers/{id}/impersonate` → `{"token": "…"}`.
    Impersonation,
}

/// Parses a `{jwt}` / `{token}` answer into the one-time token it carries.
///
/// 2xx needs the member as a non-empty string (else `BadResponse`); 401, 403 and 404 (not signed
/// in, not a team admin, not a member of the team) → `Unauthorized`; 429/5xx → `Http`.
pub fn parse_one_time(resp: &HttpResponse, answer: TokenAnswer) -> Result<OneTimeToken, CoreError> {
    common(resp)?;
    let status = resp.status;
    if matches!(status, 401 | 403 | 404) {
        return Err(CoreError::Unauthorized { status });
    }
    if !is_2xx(status) {
        return Err(bad(status, "unexpected status"));
    }
    let member = match answer {
        TokenAnswer::Media => "jwt",
        TokenAnswer::Impersonation => "token",
    };
    resp.body
        .json()
        .ok_or(not_json(status))?
        .non_empty_str(member)
        .map(OneTimeToken::new)
        .ok_or(bad(status, "missing token"))
}
