//! Every Nexudus and Rebilly request, built as data with its exact bytes.
//!
//! Form bodies follow `URLSearchParams` (space → `+`); JSON bodies are documents whose members
//! the browser layer writes compactly, in the order documented on each function.

use super::error::CoreError;
use super::http::{HttpRequest, Method, RequestBody};
use super::secret::{AccessToken, OneTimeToken, Password, RefreshToken};
use super::url::{encode_component, encode_form, exchange_path, BaseUrl, ONE_TIME_TOKEN_PATH};
use super::value::Value;

const FORM: &str = "application/x-www-form-urlencoded";
const JSON: &str = "application/json";

/// `"Bearer <access token>"`, the value of an `Authorization` header.
pub fn bearer(access: &AccessToken) -> String {
    let mut s = String::from("Bearer ");
    s.push_str(access.secret());
    s
}

fn post(
    url: String,
    headers: Vec<(&'static str, String)>,
    body: Option<RequestBody>,
) -> HttpRequest {
    HttpRequest {
        method: Method::Post,
        url,
        headers,
        body,
    }
}

fn token_request(base: &BaseUrl, body: String, client_id: &str) -> HttpRequest {
    post(
        base.join("/api/token"),
        vec![
            ("content-type", String::from(FORM)),
            ("client_id", String::from(client_id)),
        ],
        Some(RequestBody::Form(body)),
    )
}

/// Sign in with email and password.
///
/// ```text
/// POST {base}/api/token
/// content-type: application/x-www-form-urlencoded
/// client_id: <client_id>
///
/// grant_type=password&username=<email>&password=<password>[&totp=<totp>]
/// ```
/// `totp` is left out when `None` or empty.
pub fn password_grant(
    base: &BaseUrl,
    email: &str,
    password: &Password,
    totp: Option<&str>,
    client_id: &str,
) -> HttpRequest {
    let mut pairs = vec![
        ("grant_type", "password"),
        ("username", email),
        ("password", password.secret()),
    ];
    if let Some(t) = totp.filter(|t| !t.is_empty()) {
        pairs.push(("totp", t));
    }
    token_request(base, encode_form(&pairs), client_id)
}

/// Refresh (the refresh token rotates; `client_id` must be the one used at sign-in).
///
/// ```text
/// POST {base}/api/token
/// content-type: application/x-www-form-urlencoded
/// client_id: <client_id>
///
/// grant_type=refresh_token&refresh_token=<refresh>
/// ```
pub fn refresh_grant(base: &BaseUrl, refresh: &RefreshToken, client_id: &str) -> HttpRequest {
    let body = encode_form(&[
        ("grant_type", "refresh_token"),
        ("refresh_token", refresh.secret()),
    ]);
    token_request(base, body, client_id)
}

/// Exchange a one-time JWT for a session.
///
/// ```text
/// POST {base}/api/sys/users/exchange?token=<jwt>&validForInMinutes=<n>
/// [client_id: <client_id>]
/// ```
/// No body.
pub fn exchange(
    base: &BaseUrl,
    token: &OneTimeToken,
    valid_for_minutes: u32,
    client_id: Option<&str>,
) -> HttpRequest {
    let headers = match client_id {
        Some(c) => vec![("client_id", String::from(c))],
        None => Vec::new(),
    };
    post(
        base.join(&exchange_path(token.secret(), valid_for_minutes)),
        headers,
        None,
    )
}

/// Get a one-time server token (for portal links).
///
/// ```text
/// POST {base}/api/sys/users/token/refresh
/// authorization: Bearer <access>
/// ```
/// No body.
pub fn one_time_token(base: &BaseUrl, access: &AccessToken) -> HttpRequest {
    post(
        base.join(ONE_TIME_TOKEN_PATH),
        vec![("authorization", bearer(access))],
        None,
    )
}

fn get_with_bearer(url: String, access: &AccessToken) -> HttpRequest {
    HttpRequest {
        method: Method::Get,
        url,
        headers: vec![("authorization", bearer(access))],
        body: None,
    }
}

/// A short-lived JWT for protected files (invoice PDFs, media), sent as `?t=` on the file URL.
///
/// ```text
/// GET {base}/api/auth/media/customer
/// authorization: Bearer <access>
/// ```
pub fn media_token(base: &BaseUrl, access: &AccessToken) -> HttpRequest {
    get_with_bearer(base.join("/api/auth/media/customer"), access)
}

/// A one-time JWT to act for the team member `coworker_id` (team admins only); it is then
/// exchanged like any other ([`exchange`]).
///
/// ```text
/// GET {base}/api/public/coworkers/<coworker_id>/impersonate
/// authorization: Bearer <admin's access>
/// ```
pub fn impersonation_token(base: &BaseUrl, access: &AccessToken, coworker_id: u64) -> HttpRequest {
    let mut path = String::from("/api/public/coworkers/");
    path.push_str(itoa::Buffer::new().format(coworker_id));
    path.push_str("/impersonate");
    get_with_bearer(base.join(&path), access)
}

fn json_request(url: String, body: Value) -> HttpRequest {
    post(
        url,
        vec![("content-type", String::from(JSON))],
        Some(RequestBody::Json(body)),
    )
}

fn opt_num(v: Option<f64>) -> Value {
    v.map_or(Value::Null, Value::Num)
}

/// Start a password reset (the server answers the same whether or not the email exists).
///
/// ```text
/// POST {base}/api/sys/users/startPasswordReset
/// content-type: application/json
///
/// {"email":"<email>","businessId":<id>|null}
/// ```
pub fn start_password_reset(base: &BaseUrl, email: &str, business_id: Option<f64>) -> HttpRequest {
    let body = Value::object(vec![
        ("email", Value::Str(email.into())),
        ("businessId", opt_num(business_id)),
    ]);
    json_request(base.join("/api/sys/users/startPasswordReset"), body)
}

/// Complete a password reset (PascalCase members).
///
/// ```text
/// POST {base}/api/sys/users/completePasswordReset
/// content-type: application/json
///
/// {"Token":"<reset token>","Password":"<new password>","BusinessId":<id>|null}
/// ```
pub fn complete_password_reset(
    base: &BaseUrl,
    token: &OneTimeToken,
    password: &Password,
    business_id: Option<f64>,
) -> HttpRequest {
    let body = Value::object(vec![
        ("Token", Value::Str(token.secret().into())),
        ("Password", Value::Str(password.secret().into())),
        ("BusinessId", opt_num(business_id)),
    ]);
    json_request(base.join("/api/sys/users/completePasswordReset"), body)
}

/// Exchange a Rebilly authentication token for a customer JWT.
///
/// ```text
/// POST {rebilly_base}/authentication-tokens/<token>/exchange
/// content-type: application/json
/// [authorization: <publishable key>]
///
/// {"invalidate":true|false[,"oneTimePassword":"123456"]}
/// ```
/// Fails with `InvalidConfig` when the token is empty or `one_time_password` is not exactly
/// six ASCII digits.
pub fn rebilly_exchange(
    rebilly_base: &BaseUrl,
    authentication_token: &OneTimeToken,
    publishable_key: Option<&str>,
    invalidate: bool,
    one_time_password: Option<&str>,
) -> Result<HttpRequest, CoreError> {
    if authentication_token.is_empty() {
        return Err(CoreError::InvalidConfig(
            "the authentication token must not be empty",
        ));
    }
    let mut members = vec![("invalidate", Value::Bool(invalidate))];
    if let Some(otp) = one_time_password {
        if otp.len() != 6 || !otp.bytes().all(|b| b.is_ascii_digit()) {
            return Err(CoreError::InvalidConfig(
                "oneTimePassword must be exactly 6 digits",
            ));
        }
        members.push(("oneTimePassword", Value::Str(otp.into())));
    }
    let mut url = rebilly_base.join("/authentication-tokens/");
    url.push_str(&encode_component(authentication_token.secret()));
    url.push_str("/exchange");
    let mut req = json_request(url, Value::object(members));
    if let Some(k) = publishable_key {
        req.headers.push(("authorization", String::from(k)));
    }
    Ok(req)
}
