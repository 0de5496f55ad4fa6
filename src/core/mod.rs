//! The pure core: everything that can be decided without a browser.
//!
//! Nothing in here does I/O, reads a clock or touches `web-sys`/`js-sys`; time is always a
//! `now_ms: f64` argument (milliseconds since the Unix epoch, like JavaScript's `Date.now()`).
//! HTTP requests are built as plain data ([`http::HttpRequest`]) and responses are validated
//! from plain data ([`http::HttpResponse`], JSON as a [`value::Value`] the browser layer filled
//! with `JSON.parse`), so every byte on the wire is covered by native tests. Which session to
//! keep and which event to fire when tabs disagree is decided in [`sync`].

pub mod client;
pub mod config;
pub mod error;
pub mod http;
pub mod jwt;
pub mod requests;
pub mod responses;
pub mod scheduler;
pub mod secret;
pub mod session;
pub mod sync;
pub mod url;
pub mod value;

pub use config::{Config, ConfigInput};
pub use error::{CoreError, ErrorCode};
pub use http::{HttpRequest, HttpResponse, Method, RequestBody, ResponseBody};
pub use scheduler::{Phase, RefreshOutcome, Scheduler, SchedulerConfig};
pub use secret::{AccessToken, OneTimeToken, Password, RefreshToken};
pub use session::{Lifetime, RebillySession, Session};
pub use sync::AuthEvent;
pub use url::BaseUrl;
pub use value::Value;
