//! Generators shared by the property tests: text, secrets, numbers (floats, tiny and huge),
//! arbitrary JSON, deep nesting, and server answers written to the wire (intact or mangled).

use super::{resp, to_value};
use nexudus_auth::core::http::HttpResponse;
use nexudus_auth::core::value::MAX_DEPTH;
use proptest::prelude::*;
use serde_json::{json, Map, Value as J};

/// A string of bytes from `set` (regex strategies are ~5x slower in a debug build).
pub fn ascii(set: &'static [u8], len: std::ops::Range<usize>) -> BoxedStrategy<String> {
    prop::collection::vec(prop::sample::select(set), len)
        .prop_map(|v| v.into_iter().map(char::from).collect())
        .boxed()
}

/// Printable ASCII with JSON's and URLs' special characters, or any Unicode scalar values.
pub fn text(max: usize) -> BoxedStrategy<String> {
    prop_oneof![
        ascii(b" !\"#%&'()*+,-./:;<>?@[\\]^_`{|}~azAZ09\t\n", 0..max),
        prop::collection::vec(any::<char>(), 0..max).prop_map(String::from_iter),
    ]
    .boxed()
}

/// A distinctive secret: never produced by any other generator, so a leak probe can search for it.
pub fn secret() -> BoxedStrategy<String> {
    ascii(b"ABCXYZabcxyz0189._~-", 10..40)
        .prop_map(|s| format!("SEC{s}"))
        .boxed()
}

/// Finite numbers: ordinary integers and fractions, any `f64` bit pattern that is finite, and
/// the edges: zeros, subnormals, the smallest normal, integers past 2^53 and the largest values.
pub fn number() -> BoxedStrategy<f64> {
    prop_oneof![
        3 => (-100_000i64..100_000).prop_map(|n| n as f64),
        2 => -1e7f64..1e7,
        2 => any::<f64>().prop_filter("finite", |x| x.is_finite()),
        2 => prop::sample::select(vec![
            0.0, -0.0, 5e-324, -5e-324, 1e-310, f64::MIN_POSITIVE, 1e-300, 1e-9, 0.5, 1.5,
            9_007_199_254_740_993.0, 1e21, 1e300, 1.7e305, 1.8e305, f64::MAX, -f64::MAX,
        ]),
    ]
    .boxed()
}

/// A JSON number (serde_json writes the shortest text that reads back to the same `f64`).
pub fn num(x: f64) -> J {
    json!(x)
}

/// Any JSON value, a few levels deep.
pub fn any_json() -> BoxedStrategy<J> {
    let leaf = prop_oneof![
        Just(J::Null),
        any::<bool>().prop_map(J::Bool),
        number().prop_map(num),
        any::<u64>().prop_map(|n| json!(n)),
        text(12).prop_map(J::String),
        Just(J::String(String::new())),
    ];
    leaf.prop_recursive(3, 16, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(J::Array),
            prop::collection::vec((ascii(b"abcdefgXYZ_", 1..8), inner), 0..4)
                .prop_map(|kv| J::Object(kv.into_iter().collect())),
        ]
    })
    .boxed()
}

/// Members no parser reads (their keys are never a field of the contract), some nested deeply.
pub fn extras() -> BoxedStrategy<Vec<(String, J)>> {
    let key = ascii(b"abcdfgXYZ_", 1..8).prop_map(|k| format!("x_{k}"));
    let value = prop_oneof![6 => any_json(), 1 => (1usize..MAX_DEPTH).prop_map(deep)];
    prop::collection::vec((key, value), 0..4).boxed()
}

/// `n` containers (arrays and objects by turns) around the number 1.
pub fn deep(n: usize) -> J {
    (0..n).fold(json!(1), |v, i| {
        if i % 2 == 0 {
            J::Array(vec![v])
        } else {
            json!({ "a": v })
        }
    })
}

/// How deep `v` nests: 0 for a scalar or an empty container, else one more than its deepest
/// child. The browser layer refuses a document whose height is over `MAX_DEPTH`.
pub fn height(v: &J) -> usize {
    let children: Box<dyn Iterator<Item = &J>> = match v {
        J::Array(a) => Box::new(a.iter()),
        J::Object(m) => Box::new(m.values()),
        _ => return 0,
    };
    children.map(|c| height(c) + 1).max().unwrap_or(0)
}

/// Puts `v` under `k` when it is `Some` (an absent field).
pub fn put(m: &mut Map<String, J>, k: &str, v: Option<J>) {
    if let Some(v) = v {
        m.insert(k.into(), v);
    }
}

/// How an answer's body travels.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Wire {
    /// The document, compact.
    Intact,
    /// Cut half way (a proxy closed the connection).
    Truncated,
    /// Wrapped in an HTML error page.
    Html,
    /// Nothing but whitespace.
    Blank,
}

/// How a body is mangled: mostly intact.
pub fn wire() -> BoxedStrategy<Wire> {
    prop_oneof![
        12 => Just(Wire::Intact),
        1 => Just(Wire::Truncated),
        1 => Just(Wire::Html),
        1 => Just(Wire::Blank),
    ]
    .boxed()
}

/// A generated server answer.
#[derive(Clone, Debug)]
pub struct Answer {
    /// The HTTP status.
    pub status: u16,
    /// The document the server meant to send.
    pub doc: J,
    /// How it travelled.
    pub wire: Wire,
    /// The `Retry-After` header.
    pub retry_after: Option<String>,
}

impl Answer {
    /// An intact answer without headers.
    pub fn new(status: u16, doc: J) -> Answer {
        Answer {
            status,
            doc,
            wire: Wire::Intact,
            retry_after: None,
        }
    }

    /// The body text on the wire.
    pub fn text(&self) -> String {
        let t = self.doc.to_string();
        match self.wire {
            Wire::Intact => t,
            Wire::Truncated => t.get(..t.len() / 2).unwrap_or("").to_string(),
            Wire::Html => format!("<html><body>{t}</body></html>"),
            Wire::Blank => String::from(" \n"),
        }
    }

    /// The document as the client can read it: `None` when it did not arrive intact or nests
    /// deeper than `MAX_DEPTH` (decided from [`height`], not from the converter).
    pub fn readable(&self) -> Option<&J> {
        (self.wire == Wire::Intact && height(&self.doc) <= MAX_DEPTH).then_some(&self.doc)
    }

    /// The response the parsers get.
    pub fn response(&self) -> HttpResponse {
        let mut r = resp(self.status, &self.text());
        r.retry_after = self.retry_after.clone();
        r
    }
}

/// Statuses: the ones of the contract, often; any three-digit-or-less number, sometimes.
pub fn status() -> BoxedStrategy<u16> {
    prop_oneof![
        3 => prop::sample::select(vec![200u16, 201, 204, 400, 401, 403, 404, 422, 429, 500, 502, 503]),
        1 => 0u16..700,
    ]
    .boxed()
}

/// A `Retry-After` header: none, whole seconds (maybe padded), or not seconds at all.
pub fn retry_after() -> BoxedStrategy<Option<String>> {
    prop_oneof![
        3 => Just(None),
        2 => (0u32..100_000).prop_map(|n| Some(n.to_string())),
        1 => (0u32..1000).prop_map(|n| Some(format!(" {n}\t"))),
        1 => prop::sample::select(vec!["Wed, 21 Oct 2015 07:28:00 GMT", "-5", "soon", "", "1e3", "+5"])
            .prop_map(|s| Some(String::from(s))),
    ]
    .boxed()
}

/// The `Retry-After` the contract reads: delay-seconds (RFC 9110: digits), trimmed; else none.
pub fn retry_after_model(h: Option<&str>) -> Option<f64> {
    let h = h?.trim();
    let digits = !h.is_empty() && h.bytes().all(|b| b.is_ascii_digit());
    digits.then(|| h.parse::<u32>().map(f64::from).unwrap())
}

/// `true` when the status is 2xx.
pub fn is_2xx(s: u16) -> bool {
    (200..300).contains(&s)
}

/// `true` for the statuses every parser hands back as a transient `server` error.
pub fn is_transient(s: u16) -> bool {
    s == 429 || (500..600).contains(&s)
}

/// The non-empty string member `k` of an object (absent, empty or of another type → `None`).
pub fn text_member(doc: Option<&J>, k: &str) -> Option<String> {
    doc?.get(k)?
        .as_str()
        .filter(|s| !s.is_empty())
        .map(String::from)
}

/// `text_member`, then blank (whitespace-only) descriptions dropped, as `AuthError` shows them.
pub fn shown(doc: Option<&J>, k: &str) -> Option<String> {
    text_member(doc, k).filter(|s| !s.trim().is_empty())
}

/// Asserts `text` contains none of `secrets`.
pub fn assert_no_secret(text: &str, secrets: &[String]) -> Result<(), TestCaseError> {
    for s in secrets {
        prop_assert!(
            !text.contains(s.as_str()),
            "secret {:?} leaked in {:?}",
            s,
            text
        );
    }
    Ok(())
}

/// Every secret-looking string anywhere in `v`.
pub fn secrets_in(v: &J) -> Vec<String> {
    match v {
        J::String(s) if s.starts_with("SEC") => vec![s.clone()],
        J::Array(a) => a.iter().flat_map(secrets_in).collect(),
        J::Object(m) => m.values().flat_map(secrets_in).collect(),
        _ => Vec::new(),
    }
}

/// `to_value` agrees with [`height`] on whether a document is readable.
pub fn converter_agrees(v: &J) -> bool {
    to_value(v).is_some() == (height(v) <= MAX_DEPTH)
}
