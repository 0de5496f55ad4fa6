//! The mock outbox: emails the mock "sent" (password resets, magic links), as HTML and JSON.

use std::sync::Arc;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;

use crate::clock::iso8601;
use crate::reply::{escape, json, page};
use crate::state::{AppState, Email};

fn newest_first(state: &AppState) -> Vec<Email> {
    state.lock().outbox.iter().rev().cloned().collect()
}

/// `GET /mock/outbox.json`: `[{to, subject, link, token, at}]`, newest first.
pub async fn get_outbox_json(State(state): State<Arc<AppState>>) -> Response {
    json(
        StatusCode::OK,
        &serde_json::to_value(newest_first(&state)).unwrap_or_default(),
    )
}

/// `GET /mock/outbox`: the same list as a page with clickable links.
pub async fn get_outbox_html(State(state): State<Arc<AppState>>) -> Response {
    let mails = newest_first(&state);
    let mut body = String::from(
        "<p><small>Emails the mock server would have sent, newest first. \
         Links open the demo page with the token in the URL.</small></p>",
    );
    if mails.is_empty() {
        body.push_str(
            "<p>The outbox is empty. Try “Forgot password” or a magic link in the demo.</p>",
        );
    } else {
        body.push_str("<ul>");
        for m in &mails {
            body.push_str(&format!(
                "<li><strong>{subject}</strong> → {to}<br><small>{at}</small><br>\
                 <a href=\"{link}\">{link}</a></li>",
                subject = escape(&m.subject),
                to = escape(&m.to),
                at = iso8601(m.at as f64 / 1000.0),
                link = escape(&m.link),
            ));
        }
        body.push_str("</ul>");
    }
    body.push_str("<p><a href=\"/mock/outbox\">Refresh</a> · <a href=\"/\">Demo page</a></p>");
    page(StatusCode::OK, "Mock outbox", &body)
}
