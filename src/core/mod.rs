//! The pure core: everything that can be decided without a browser.
//!
//! Nothing in here does I/O, reads a clock or touches `web-sys`/`js-sys`; time is always a
//! `now_ms: f64` argument (milliseconds since the Unix epoch, like JavaScript's `Date.now()`).
//! HTTP requests are built as plain data ([`http::HttpRequest`]) and responses are parsed from
//! plain data ([`http::HttpResponse`]), so every byte on the wire is covered by native tests.
//! The core has no dependencies besides `std`, which keeps the WebAssembly small.

pub mod config;
pub mod error;
pub mod http;
pub mod json;
pub mod jwt;
pub mod requests;
pub mod responses;
pub mod scheduler;
pub mod secret;
pub mod session;
pub mod time;
pub mod url;

pub use config::{Config, ConfigInput};
pub use error::{CoreError, ErrorCode};
pub use http::{HttpRequest, HttpResponse, Method};
pub use scheduler::{Phase, RefreshOutcome, Scheduler, SchedulerConfig};
pub use secret::{AccessToken, OneTimeToken, Password, RefreshToken};
pub use session::{RebillySession, Session};
pub use url::BaseUrl;
