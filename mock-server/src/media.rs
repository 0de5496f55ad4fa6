//! Protected files: `GET /api/auth/media/customer` hands a signed-in customer a short-lived media
//! JWT, and file URLs carry it as `?t=` (a browser opening a file itself cannot send a bearer
//! header). The one file the mock serves that way is an invoice PDF.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode, Uri};
use axum::response::Response;
use serde_json::json;

use crate::action::DENIED;
use crate::clock::now;
use crate::jwt::{self, Claims};
use crate::reply::{bearer, json, message, query_get, raw};
use crate::state::AppState;

/// `GET /api/auth/media/customer` with a valid bearer → `{"jwt"}`, an HS256 JWT with
/// `typ:"media"` that lives `mediaTokenTtlSeconds` (60 s by default); else 401.
pub async fn get_media_token(State(state): State<Arc<AppState>>, headers: HeaderMap) -> Response {
    let now = now();
    let mut g = state.lock();
    let Some(user) = g.bearer_user(bearer(&headers)) else {
        return message(StatusCode::UNAUTHORIZED, DENIED);
    };
    let ttl = g.settings.media_token_ttl_seconds;
    let claims = Claims {
        email: Some(user.email.clone()),
        ..Claims::new(jwt::TYP_MEDIA, &user.email, now, ttl)
    };
    g.stats.media += 1;
    json(
        StatusCode::OK,
        &json!({ "jwt": jwt::sign(&g.secret, &claims) }),
    )
}

/// `GET /api/public/billing/invoices/{id}/pdf?t=<media JWT>` → the invoice as `application/pdf`.
///
/// `t` must be a media JWT signed by this mock (this run), unexpired, for an existing customer;
/// otherwise 401. It may be used again until it expires. An id that is not 1–32 letters, digits,
/// `-` or `_` → 404.
pub async fn get_invoice_pdf(
    State(state): State<Arc<AppState>>,
    Path(id): Path<String>,
    uri: Uri,
) -> Response {
    let plain = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == '_';
    if id.is_empty() || id.len() > 32 || !id.chars().all(plain) {
        return message(StatusCode::NOT_FOUND, "No invoice with this id.");
    }
    let user = {
        let mut g = state.lock();
        let claims =
            query_get(&uri, "t").and_then(|t| jwt::verify_typed(&g.secret, &t, jwt::TYP_MEDIA));
        let user = claims.and_then(|c| g.user(c.email.as_deref()?).cloned());
        if user.is_some() {
            g.stats.media_file += 1;
        }
        user
    };
    let Some(user) = user else {
        return message(StatusCode::UNAUTHORIZED, DENIED);
    };
    match crate::pdf::invoice(&id, &user.name, &user.email) {
        Ok(bytes) => {
            let mut resp = raw(StatusCode::OK, "application/pdf", bytes);
            let disposition = format!("inline; filename=\"invoice-{id}.pdf\"");
            if let Ok(v) = HeaderValue::from_str(&disposition) {
                resp.headers_mut().insert(header::CONTENT_DISPOSITION, v);
            }
            resp
        }
        Err(e) => message(
            StatusCode::INTERNAL_SERVER_ERROR,
            &format!("The invoice could not be rendered: {e}"),
        ),
    }
}
