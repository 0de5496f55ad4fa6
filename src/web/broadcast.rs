//! Cross-tab messages over a `BroadcastChannel`. Messages are short strings: a one-letter kind
//! followed by an encoded stored session, so no JSON library is needed here.

use gloo_events::EventListener;
use wasm_bindgen::JsCast;
use web_sys::{BroadcastChannel, MessageEvent};

/// What one tab tells the others.
pub enum Message {
    /// A sign-in happened; the stored-session encoding follows.
    SignedIn(String),
    /// A refresh happened; the stored-session encoding follows.
    Refreshed(String),
    /// The session was signed out.
    SignedOut,
}

impl Message {
    fn encode(&self) -> String {
        match self {
            Message::SignedIn(s) => ["I", s].concat(),
            Message::Refreshed(s) => ["R", s].concat(),
            Message::SignedOut => "O".into(),
        }
    }

    fn decode(raw: &str) -> Option<Message> {
        let rest = raw.get(1..).unwrap_or_default().to_string();
        match raw.as_bytes().first()? {
            b'I' => Some(Message::SignedIn(rest)),
            b'R' => Some(Message::Refreshed(rest)),
            b'O' => Some(Message::SignedOut),
            _ => None,
        }
    }
}

/// An open channel with its message listener; closed when dropped.
pub struct Channel {
    channel: BroadcastChannel,
    _listener: EventListener,
}

impl Channel {
    /// Opens channel `name`, calling `on_message` for every well-formed message from other tabs.
    pub fn open(name: &str, mut on_message: impl FnMut(Message) + 'static) -> Option<Channel> {
        let channel = BroadcastChannel::new(name).ok()?;
        let listener = EventListener::new(&channel, "message", move |event| {
            let data = event.unchecked_ref::<MessageEvent>().data();
            if let Some(message) = data.as_string().as_deref().and_then(Message::decode) {
                on_message(message);
            }
        });
        Some(Channel {
            channel,
            _listener: listener,
        })
    }

    /// Tells the other tabs.
    pub fn post(&self, message: &Message) {
        let _ = self.channel.post_message(&message.encode().into());
    }
}

impl Drop for Channel {
    fn drop(&mut self) {
        self.channel.close();
    }
}
