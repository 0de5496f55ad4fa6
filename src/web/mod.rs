//! The thin browser layer around [`crate::core`]: fetch, storage, timers, Web Locks, cross-tab
//! broadcast and DOM listeners. Every decision (what to send, how to read an answer, when to
//! refresh) is made by the pure core; this layer only moves bytes and events.

pub mod authorized_fetch;
pub mod broadcast;
pub mod calls;
pub mod client;
pub mod clock;
pub mod error;
pub mod events;
pub mod fetch;
pub mod flows;
pub mod ledger;
pub mod listener;
pub mod lock;
pub mod options;
pub mod rebilly;
pub mod refresh;
pub mod storage;
pub mod timer;
