//! `nexudus-mock`: a local mock of the Nexudus and Rebilly HTTP APIs that `nexudus-auth` speaks,
//! with control endpoints (`/mock/*`) for its demo page and tests.
//!
//! It is deliberately independent of the client crate: it implements the services as described
//! in `docs/MOCK.md` and `docs/CONTRACT.md` ("Wire format"), so a client that misreads them
//! fails here the way it would against the real services.
//!
//! ```no_run
//! # async fn run() -> std::io::Result<()> {
//! let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
//! nexudus_mock::serve(listener, nexudus_mock::Config::default()).await
//! # }
//! ```
#![deny(missing_docs)]

pub mod action;
pub mod clock;
pub mod control;
pub mod exchange;
pub mod faults;
pub mod jwt;
pub mod media;
pub mod outbox;
pub mod pdf;
pub mod portal;
pub mod rebilly;
pub mod reply;
pub mod reqlog;
pub mod state;
pub mod static_files;
pub mod team;
pub mod token;
pub mod totp;
pub mod users;

use std::future::Future;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use axum::http::header::{
    ACCESS_CONTROL_ALLOW_ORIGIN, AUTHORIZATION, CONTENT_TYPE, ORIGIN, RETRY_AFTER,
};
use axum::http::{HeaderName, HeaderValue, Method};
use axum::middleware::from_fn_with_state;
use axum::routing::{get, post};
use axum::Router;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;
use tower::ServiceExt as _;
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::set_header::SetResponseHeaderLayer;

use crate::state::AppState;

/// Startup configuration.
#[derive(Clone, Debug)]
pub struct Config {
    /// Directory served at `/` (the demo page); a placeholder page when absent.
    pub www: Option<PathBuf>,
    /// Directory served at `/pkg/` (the built npm package).
    pub pkg: Option<PathBuf>,
    /// Default access-token lifetime in seconds (password and refresh grants).
    pub access_ttl: u64,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            www: None,
            pkg: None,
            access_ttl: 3600,
        }
    }
}

/// The whole application: routes, fault injection in front of the API, CORS around everything.
pub fn build_app(config: Config) -> Router {
    build(config).0
}

fn build(config: Config) -> (Router, Arc<AppState>) {
    let state = Arc::new(AppState::new(config));
    let api = Router::new()
        .route("/api/token", post(token::post_token))
        .route("/api/sys/users/exchange", post(exchange::post_exchange))
        .route(
            "/api/sys/users/token/refresh",
            post(action::post_server_token),
        )
        .route(
            "/api/sys/users/startPasswordReset",
            post(action::post_start_reset),
        )
        .route(
            "/api/sys/users/completePasswordReset",
            post(action::post_complete_reset),
        )
        .route("/api/public/billing/customer", get(action::get_customer))
        .route("/api/auth/media/customer", get(media::get_media_token))
        .route(
            "/api/public/billing/invoices/{id}/pdf",
            get(media::get_invoice_pdf),
        )
        .route("/api/public/coworkers/profiles", get(team::get_profiles))
        .route(
            "/api/public/coworkers/{id}/impersonate",
            get(team::get_impersonate),
        )
        .route(
            "/rebilly/organizations/{org}/authentication-tokens/{token}/exchange",
            post(rebilly::post_exchange),
        );
    let portal = Router::new()
        .route("/user/login", get(portal::user_login))
        .route("/login", get(portal::login))
        .route("/portal", get(portal::portal_page))
        .route("/portal/{*rest}", get(portal::portal_page));
    let control = Router::new()
        .route("/mock/users", get(control::get_users))
        .route("/mock/totp/{email}", get(control::get_totp))
        .route("/mock/one-time-jwt", post(control::post_one_time_jwt))
        .route("/mock/magic-link", post(control::post_magic_link))
        .route("/mock/rebilly/token", post(control::post_rebilly_token))
        .route("/mock/outbox", get(outbox::get_outbox_html))
        .route("/mock/outbox.json", get(outbox::get_outbox_json))
        .route("/mock/stats", get(control::get_stats))
        .route("/mock/reset", post(control::post_reset))
        .route("/mock/revoke", post(control::post_revoke))
        .route("/mock/revoke-access", post(control::post_revoke_access))
        .route("/mock/reset-user", post(control::post_reset_user))
        .route(
            "/mock/config",
            get(control::get_config).post(control::post_config),
        )
        .route(
            "/mock/faults",
            get(faults::get_faults)
                .post(faults::post_faults)
                .delete(faults::delete_faults),
        )
        .route(
            "/mock/requests",
            get(reqlog::get_requests).delete(reqlog::delete_requests),
        );
    let app = api
        .merge(portal)
        .merge(control)
        .fallback(static_files::fallback)
        .layer(from_fn_with_state(state.clone(), faults::api_layer))
        .layer(cors())
        // CorsLayer mirrors the request's Origin; a request without one gets `*`.
        .layer(SetResponseHeaderLayer::if_not_present(
            ACCESS_CONTROL_ALLOW_ORIGIN,
            HeaderValue::from_static("*"),
        ))
        .layer(from_fn_with_state(state.clone(), faults::close_preflight))
        .with_state(state.clone());
    (app, state)
}

/// CORS on every answer (errors and faults included); `OPTIONS` is answered as a preflight
/// (200, empty) before it reaches fault injection or the request counter. No credentials.
fn cors() -> CorsLayer {
    CorsLayer::new()
        .allow_origin(AllowOrigin::mirror_request())
        .allow_headers([
            CONTENT_TYPE,
            AUTHORIZATION,
            HeaderName::from_static("client_id"),
        ])
        .allow_methods([Method::GET, Method::POST, Method::DELETE, Method::OPTIONS])
        .expose_headers([RETRY_AFTER])
        .max_age(Duration::from_secs(600))
        .vary([ORIGIN])
}

/// Serves the mock on `listener` until the process ends.
pub async fn serve(listener: TcpListener, config: Config) -> std::io::Result<()> {
    serve_with_shutdown(listener, config, std::future::pending()).await
}

/// Serves the mock on `listener` until `shutdown` completes.
///
/// Connections are served by hyper directly (not `axum::serve`) so that a `drop` fault can close
/// a connection without writing any response.
pub async fn serve_with_shutdown(
    listener: TcpListener,
    config: Config,
    shutdown: impl Future<Output = ()> + Send,
) -> std::io::Result<()> {
    let (app, state) = build(config);
    tokio::pin!(shutdown);
    loop {
        let stream = tokio::select! {
            () = &mut shutdown => break,
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                Err(_) => {
                    // e.g. EMFILE: back off instead of spinning.
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
        };
        let _ = stream.set_nodelay(true);
        tokio::spawn(serve_connection(
            stream,
            app.clone(),
            state.connection_reset.subscribe(),
        ));
    }
    state.close_idle_connections();
    Ok(())
}

async fn serve_connection(stream: TcpStream, app: Router, mut reset: watch::Receiver<u64>) {
    let service = hyper::service::service_fn(move |req: hyper::Request<Incoming>| {
        let app = app.clone();
        async move {
            let resp = app
                .oneshot(req)
                .await
                .unwrap_or_else(|never| match never {});
            if resp.extensions().get::<faults::DropConnection>().is_some() {
                Err(faults::Dropped)
            } else {
                Ok(resp)
            }
        }
    });
    let conn = hyper::server::conn::http1::Builder::new()
        .timer(TokioTimer::new())
        .serve_connection(TokioIo::new(stream), service);
    tokio::pin!(conn);
    let mut closing = false;
    loop {
        tokio::select! {
            _ = conn.as_mut() => break,
            _ = reset.changed(), if !closing => {
                closing = true;
                conn.as_mut().graceful_shutdown();
            }
        }
    }
}
