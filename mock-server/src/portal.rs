//! The legacy server-rendered portal: `/user/login`, `/login` (consume a one-time `t`) and
//! `/portal/*` pages that show who is signed in.

use std::sync::Arc;

use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode, Uri};
use axum::response::Response;

use crate::clock::now;
use crate::reply::{escape, header_str, page, query_get};
use crate::state::{random_token, AppState};

/// Name of the portal session cookie.
pub const COOKIE: &str = "nexudus_mock_portal";

/// `GET /user/login?server=true&t=…&redirectUrl=…` (authenticated link).
pub async fn user_login(State(state): State<Arc<AppState>>, uri: Uri) -> Response {
    if query_get(&uri, "server").as_deref() != Some("true") {
        let body = "<p>The authenticated link is missing <code>server=true</code>.</p>";
        return page(StatusCode::BAD_REQUEST, "Bad authenticated link", body);
    }
    consume_and_redirect(&state, &uri)
}

/// `GET /login?t=…[&redirectUrl=…]` (portal login URL).
pub async fn login(State(state): State<Arc<AppState>>, uri: Uri) -> Response {
    consume_and_redirect(&state, &uri)
}

fn consume_and_redirect(state: &AppState, uri: &Uri) -> Response {
    let t = query_get(uri, "t").unwrap_or_default();
    let now = now();
    let mut g = state.lock();
    let email = match g.portal_tokens.remove(&t) {
        Some(e) if now < e.expires_at => e.email,
        _ => {
            let body = "<p>This link has expired or was already used.</p>\
                        <p><small>One-time portal tokens live 60 seconds and work once.</small></p>";
            return page(
                StatusCode::UNAUTHORIZED,
                "This link has expired or was already used",
                body,
            );
        }
    };
    let sid = random_token(18);
    g.portal_sessions.insert(sid.clone(), email);
    drop(g);
    let target = query_get(uri, "redirectUrl")
        .filter(|u| safe_redirect(u))
        .unwrap_or_else(|| "/portal/home".to_owned());
    let mut resp = page(
        StatusCode::FOUND,
        "Redirecting",
        "<p>Signed in; redirecting…</p>",
    );
    let headers = resp.headers_mut();
    if let Ok(v) = HeaderValue::from_str(&target) {
        headers.insert(header::LOCATION, v);
    }
    let cookie = format!("{COOKIE}={sid}; Path=/; HttpOnly; SameSite=Lax");
    if let Ok(v) = HeaderValue::from_str(&cookie) {
        headers.insert(header::SET_COOKIE, v);
    }
    resp
}

/// A same-site path (`/x`, not `//x`) or an absolute http(s) URL.
fn safe_redirect(u: &str) -> bool {
    let printable = u.bytes().all(|b| (0x21..0x7f).contains(&b));
    printable
        && ((u.starts_with('/') && !u.starts_with("//"))
            || u.starts_with("http://")
            || u.starts_with("https://"))
}

/// `GET /portal/*`: shows which user the portal cookie belongs to.
pub async fn portal_page(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    uri: Uri,
) -> Response {
    let sid = header_str(&headers, "cookie").and_then(|c| {
        c.split(';')
            .filter_map(|kv| kv.trim().split_once('='))
            .find(|(k, _)| *k == COOKIE)
            .map(|(_, v)| v.to_owned())
    });
    let email = sid.and_then(|s| state.lock().portal_sessions.get(&s).cloned());
    let path = uri.path();
    match email {
        Some(email) => {
            let title = format!("Mock portal: {path} — signed in as {email} via one-time token");
            let body = format!(
                "<p>You reached <code>{}</code> of the mock legacy portal.</p>\
                 <p>Signed in as <strong>{}</strong> via a one-time token.</p><p><a href=\"/\">Back to the demo</a></p>",
                escape(path),
                escape(&email)
            );
            page(StatusCode::OK, &title, &body)
        }
        None => {
            let title = format!("Mock portal: {path} — not signed in");
            let body = "<p>No portal session. Open an authenticated link from the demo first.</p>";
            page(StatusCode::UNAUTHORIZED, &title, body)
        }
    }
}
