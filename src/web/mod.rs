//! The thin browser layer around [`crate::core`]. Every decision (what to send, how to read an
//! answer, when to refresh, which tab's session wins) is made by the pure core; this layer only
//! moves bytes and events. Its parts, each owning one thing (docs/ARCHITECTURE.md):
//!
//! * [`client`]: the public verbs of `NexudusAuth`; [`rebilly`]: those of `RebillyAuth`.
//! * [`tab_state`]: this tab's session, refresh schedule and subscribers.
//! * [`session_store`]: storage, refresh ledger and cross-tab broadcast of the session.
//! * [`refresher`]: single flight, Web Lock and back-off of refreshes.
//! * [`wakeup`]: the refresh timer and the wake-up listeners.
//! * I/O edges: [`fetch`] (gloo-net), [`authorized_fetch`], [`json`] (the engine's JSON),
//!   [`storage`], [`ledger`], [`lock`], [`broadcast`], [`events`], [`options`], [`error`].
//! * [`calls`]: every async call of the JS API as data, run by one function.

pub mod authorized_fetch;
pub mod broadcast;
pub mod calls;
pub mod client;
pub mod error;
pub mod events;
pub mod fetch;
pub mod json;
pub mod ledger;
pub mod lock;
pub mod options;
pub mod rebilly;
pub mod refresher;
pub mod session_store;
pub mod storage;
pub mod tab_state;
pub mod wakeup;
