//! The session as the tabs share it: the chosen storage, the IndexedDB refresh ledger, and the
//! BroadcastChannel (plus `storage` events) that keep every tab's [`TabState`] in step.

use super::broadcast::{Channel, Message};
use super::error::WebError;
use super::json;
use super::ledger;
use super::storage::Store;
use super::tab_state::TabState;
use crate::core::session::Session;
use crate::core::sync::AuthEvent;
use gloo_events::EventListener;
use std::cell::RefCell;
use std::rc::{Rc, Weak};
use wasm_bindgen::JsCast;
use web_sys::StorageEvent;

/// The stored text of a session.
pub fn encode(session: &Session) -> String {
    json::stringify(&session.to_value())
}

/// A stored session, or `None` when the text is unreadable (never trusted, never a panic).
pub fn decode(raw: &str) -> Option<Session> {
    Session::from_value(&json::parse(raw)?).ok()
}

/// Storage, ledger and broadcast of one client.
pub struct SessionStore {
    store: Store,
    /// The team admin's own session while they act for a member (`<storageKey>:admin`).
    aside: Store,
    state: Rc<TabState>,
    channel: RefCell<Option<Channel>>,
    storage_events: RefCell<Option<EventListener>>,
}

impl SessionStore {
    /// Keeps `state`'s session in `store`, and an admin's own session in `aside` while they
    /// impersonate a team member.
    pub fn new(store: Store, aside: Store, state: Rc<TabState>) -> SessionStore {
        SessionStore {
            store,
            aside,
            state,
            channel: RefCell::new(None),
            storage_events: RefCell::new(None),
        }
    }

    /// Reads the stored session into the tab state. Returns whether an unreadable one was
    /// discarded, and a storage warning.
    pub async fn restore(&self) -> (bool, Option<WebError>) {
        let (stored, warning) = self.store.read().await;
        let Some(raw) = stored else {
            return (false, warning);
        };
        match decode(&raw) {
            Some(session) => {
                self.state.set(Some(Rc::new(session)));
                (false, warning)
            }
            None => {
                self.store.remove();
                (true, warning)
            }
        }
    }

    /// Whether other tabs see this storage, so cross-tab sync applies.
    pub fn shared(&self) -> bool {
        self.store.shared_across_tabs()
    }

    /// The storage key.
    pub fn key(&self) -> &str {
        self.store.key()
    }

    /// Stores a new session (and commits it to the ledger before a refresh lock is released),
    /// makes it this tab's, tells the other tabs and fires `event`.
    pub async fn establish(&self, session: Rc<Session>, event: AuthEvent) -> Rc<Session> {
        let encoded = encode(&session);
        if let Some(w) = self.store.write(&encoded).await {
            self.state.warn(&w);
        }
        if self.shared() {
            ledger::write(self.key(), Some(encoded.clone())).await;
        }
        self.state.set(Some(session.clone()));
        self.post(&match event {
            AuthEvent::TokenRefreshed => Message::Refreshed(encoded),
            _ => Message::SignedIn(encoded),
        });
        self.state.emit(event);
        session
    }

    /// Clears session, storage and ledger, tells the other tabs, fires `SIGNED_OUT` (if signed in).
    pub fn sign_out(&self) {
        let was_signed_in = self.state.current().is_some();
        if let Some(w) = self.store.remove() {
            self.state.warn(&w);
        }
        if self.shared() {
            ledger::forget(self.key());
        }
        self.aside.remove();
        self.state.set(None);
        self.post(&Message::SignedOut);
        if was_signed_in {
            self.state.emit(AuthEvent::SignedOut);
        }
    }

    /// Keeps the admin's own session aside while they act for a team member.
    pub async fn set_aside(&self, admin: &Session) {
        if let Some(w) = self.aside.write(&encode(admin)).await {
            self.state.warn(&w);
        }
    }

    /// The admin's session kept aside, if any.
    pub async fn aside(&self) -> Option<Session> {
        self.aside.read().await.0.and_then(|raw| decode(&raw))
    }

    /// Forgets the admin's session kept aside.
    pub fn clear_aside(&self) {
        self.aside.remove();
    }

    /// The copies other tabs may have written: the stored one and the last lock holder's ledger
    /// entry (never stale after a lock hand-off, unlike `localStorage`).
    pub async fn copies(&self) -> Vec<Session> {
        if !self.shared() {
            return Vec::new();
        }
        let (stored, _) = self.store.read().await;
        let ledger = ledger::read(self.key()).await;
        [stored, ledger]
            .into_iter()
            .flatten()
            .filter_map(|raw| decode(&raw))
            .collect()
    }

    fn post(&self, message: &Message) {
        if let Some(channel) = &*self.channel.borrow() {
            channel.post(message);
        }
    }

    /// Follows the other tabs: their BroadcastChannel messages and, for `localStorage`, the
    /// `storage` events. Nothing to follow for a storage only this tab sees.
    pub fn listen(self: &Rc<Self>) {
        if !self.shared() {
            return;
        }
        if self.store.is_local_storage() {
            if let Some(window) = web_sys::window() {
                let me = Rc::downgrade(self);
                *self.storage_events.borrow_mut() =
                    Some(EventListener::new(&window, "storage", move |event| {
                        let event: &StorageEvent = event.unchecked_ref();
                        if let Some(me) = me.upgrade() {
                            if event.key().as_deref() != Some(me.key()) {
                                return;
                            }
                            // Removed, or unreadable (what a reload would discard too) → signed out.
                            let remote = event.new_value().and_then(|v| decode(&v));
                            me.state.adopt(remote, AuthEvent::SignedIn);
                        }
                    }));
            }
        }
        let me: Weak<Self> = Rc::downgrade(self);
        let name = ["nexudus-auth:", self.key()].concat();
        *self.channel.borrow_mut() = Channel::open(&name, move |message| {
            let Some(me) = me.upgrade() else { return };
            let (remote, hint) = match message {
                Message::SignedIn(s) => (decode(&s), AuthEvent::SignedIn),
                Message::Refreshed(s) => (decode(&s), AuthEvent::TokenRefreshed),
                Message::SignedOut => (None, AuthEvent::SignedOut),
            };
            me.state.adopt(remote, hint);
        });
    }

    /// Stops following the other tabs.
    pub fn close(&self) {
        self.channel.borrow_mut().take();
        self.storage_events.borrow_mut().take();
    }
}
