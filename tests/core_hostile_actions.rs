#![cfg(not(target_arch = "wasm32"))]
//! ActionConfirmation answers (`{WasSuccessful, Value, Status, Message, Errors}` of the one-time
//! token and the two password-reset calls) against a model written from the contract alone: it
//! reads the generated document with serde_json and shares no code with
//! `src/core/responses.rs` (neither `parse_action` nor `collect_errors`).
//!
//! Measured with the fixed seed of tests/native/mod.rs over 2,000 samples
//! (`generators_reach_success_often`): `OneTimeToken` succeeds in 44.5 % of the cases, and
//! 6.7 % are `password_policy` failures carrying `Errors` messages (the test requires a third
//! and a twentieth).

use nexudus_auth::core::error::ErrorCode;
use nexudus_auth::core::responses::{collect_errors, parse_action, ActionCall};
use nexudus_auth::core::value::MAX_DEPTH;
use proptest::prelude::*;
use serde_json::{json, Map, Value as J};

mod native;

use native::gen::*;
use native::{cfg, fraction, sample, value};

const CALLS: [ActionCall; 3] = [
    ActionCall::OneTimeToken,
    ActionCall::StartPasswordReset,
    ActionCall::CompletePasswordReset,
];

/// The messages an `Errors` member carries, per the contract: a list of strings or of
/// `{PropertyName, Message}` objects, or an object of `field → [messages]` / `field → message`.
/// An object's message is its first string among `Message`, `ErrorMessage`, `message`.
/// Empty strings carry nothing.
fn errors_model(errors: Option<&J>) -> Vec<String> {
    fn message(item: &J) -> Option<String> {
        match item {
            J::String(s) => Some(s.clone()),
            J::Object(o) => ["Message", "ErrorMessage", "message"]
                .iter()
                .find_map(|k| o.get(*k).and_then(J::as_str))
                .map(String::from),
            _ => None,
        }
    }
    let items: Vec<&J> = match errors {
        Some(J::Array(list)) => list.iter().collect(),
        Some(J::Object(fields)) => fields
            .values()
            .flat_map(|f| match f {
                J::Array(list) => list.iter().collect::<Vec<_>>(),
                other => vec![other],
            })
            .collect(),
        _ => Vec::new(),
    };
    items
        .into_iter()
        .filter_map(message)
        .filter(|m| !m.is_empty())
        .collect()
}

/// What the contract answers: the `Value`, or the code, the description and the messages.
#[derive(Debug, PartialEq)]
enum Want {
    Value(Option<String>),
    Failure(ErrorCode, Option<String>, Vec<String>),
}

fn failure(code: ErrorCode) -> Want {
    Want::Failure(code, None, Vec::new())
}

fn action_model(a: &Answer, call: ActionCall) -> Want {
    let st = a.status;
    if is_transient(st) {
        return failure(ErrorCode::Server);
    }
    if st == 401 {
        return failure(ErrorCode::Unauthorized);
    }
    let may_be_empty = call == ActionCall::StartPasswordReset;
    if is_2xx(st) && may_be_empty && a.text().trim().is_empty() {
        return Want::Value(None);
    }
    let Some(doc) = a.readable().filter(|d| d.is_object()) else {
        return failure(ErrorCode::BadResponse);
    };
    let success = match doc.get("WasSuccessful") {
        Some(J::Bool(b)) => *b,
        None | Some(J::Null) => is_2xx(st),
        Some(_) => return failure(ErrorCode::BadResponse),
    };
    if success && is_2xx(st) {
        let value = text_member(Some(doc), "Value");
        return match value {
            None if !may_be_empty => failure(ErrorCode::BadResponse),
            v => Want::Value(v),
        };
    }
    let errors = errors_model(doc.get("Errors"));
    let code = if !errors.is_empty() {
        ErrorCode::PasswordPolicy
    } else if call == ActionCall::CompletePasswordReset {
        ErrorCode::TokenInvalid
    } else {
        ErrorCode::Server
    };
    Want::Failure(code, shown(Some(doc), "Message"), errors)
}

/// An `Errors` member in every shape the contract names, and some it does not.
fn errors() -> BoxedStrategy<J> {
    let msg = || prop_oneof![4 => text(10), 1 => Just(String::new())];
    prop_oneof![
        prop::collection::vec(msg().prop_map(J::String), 0..4).prop_map(J::Array),
        prop::collection::vec(
            (
                msg(),
                prop::sample::select(vec!["Message", "ErrorMessage", "message", "Text"])
            ),
            0..4
        )
        .prop_map(|v| J::Array(
            v.into_iter()
                .map(|(m, k)| {
                    let mut o = Map::new();
                    o.insert("PropertyName".into(), json!("Password"));
                    o.insert(k.into(), J::String(m));
                    J::Object(o)
                })
                .collect()
        )),
        prop::collection::vec(
            (ascii(b"abcXYZ", 1..6), prop::collection::vec(msg(), 0..3)),
            0..3
        )
        .prop_map(|v| J::Object(v.into_iter().map(|(k, m)| (k, json!(m))).collect())),
        prop::collection::vec((ascii(b"abcXYZ", 1..6), msg()), 0..3)
            .prop_map(|v| J::Object(v.into_iter().map(|(k, m)| (k, J::String(m))).collect())),
        any_json(),
    ]
    .boxed()
}

prop_compose! {
    /// A success: 2xx, `WasSuccessful` true or absent, a one-time token in `Value`.
    fn success()(
        status in prop::sample::select(vec![200u16, 200, 201]),
        flag in prop::sample::select(vec![Some(json!(true)), Some(json!(true)), None, Some(J::Null)]),
        value in secret(),
        message in prop::option::of(text(10).prop_map(J::String)),
        extra in extras(),
    ) -> Answer {
        let mut m: Map<String, J> = extra.into_iter().collect();
        put(&mut m, "WasSuccessful", flag);
        m.insert("Value".into(), J::String(value));
        m.insert("Status".into(), json!(status));
        put(&mut m, "Message", message);
        m.insert("Errors".into(), J::Null);
        Answer::new(status, J::Object(m))
    }
}

prop_compose! {
    /// A refusal: `WasSuccessful: false` (or a 4xx), a `Message`, and `Errors` of any shape.
    fn refusal()(
        status in prop::sample::select(vec![200u16, 400, 400, 404, 409]),
        flag in prop::sample::select(vec![Some(json!(false)), Some(json!(false)), None, Some(json!("no"))]),
        message in prop::option::of(prop_oneof![text(20).prop_map(J::String), Just(json!(" "))]),
        errs in prop::option::weighted(0.8, errors()),
        value in prop::option::of(secret().prop_map(J::String)),
        w in wire(),
    ) -> Answer {
        let mut m = Map::new();
        put(&mut m, "WasSuccessful", flag);
        put(&mut m, "Value", value);
        put(&mut m, "Message", message);
        put(&mut m, "Errors", errs);
        Answer { wire: w, ..Answer::new(status, J::Object(m)) }
    }
}

/// A success with one thing wrong.
fn defective() -> BoxedStrategy<Answer> {
    let other_status = prop::sample::select(vec![204u16, 302, 401, 403, 500]);
    (success(), 0u8..6, any_json(), wire(), other_status)
        .prop_map(|(mut a, defect, junk, w, other_status)| {
            let m = a.doc.as_object_mut().unwrap();
            match defect {
                0 => {
                    m.remove("Value");
                }
                1 => {
                    m.insert("Value".into(), junk);
                }
                2 => {
                    m.insert("WasSuccessful".into(), junk);
                }
                3 => a.wire = w,
                4 => {
                    m.insert("x_deep".into(), deep(MAX_DEPTH + 1));
                }
                _ => a.status = other_status,
            }
            a
        })
        .boxed()
}

fn action_answer() -> impl Strategy<Value = Answer> {
    prop_oneof![
        5 => success(),
        4 => refusal(),
        2 => defective(),
        1 => (status(), any_json(), wire()).prop_map(|(s, doc, w)| Answer { wire: w, ..Answer::new(s, doc) }),
    ]
}

proptest! {
    #![proptest_config(cfg())]

    #[test]
    fn action_confirmations_follow_the_contract(a in action_answer()) {
        let resp = a.response();
        // The one-time token in `Value` is a secret: no error may show it.
        let secret: Vec<String> = text_member(Some(&a.doc), "Value").into_iter().filter(|s| s.starts_with("SEC")).collect();
        for call in CALLS {
            let want = action_model(&a, call);
            match parse_action(&resp, call) {
                Ok(v) => prop_assert_eq!(Want::Value(v), want, "{:?} {:?}", call, a),
                Err(e) => {
                    let got = Want::Failure(e.code(), e.description().map(String::from), e.errors().to_vec());
                    prop_assert_eq!(got, want, "{:?} {:?}", call, a);
                    prop_assert_eq!(e.status(), Some(a.status).filter(|s| *s != 0));
                    assert_no_secret(&format!("{} {e:?}", e.message()), &secret)?;
                }
            }
        }
    }

    #[test]
    fn collect_errors_agrees_with_the_model(errs in errors()) {
        prop_assert_eq!(collect_errors(Some(&value(errs.clone()))), errors_model(Some(&errs)));
    }
}

#[test]
fn generators_reach_success_often() {
    let answers = sample(action_answer(), 2000);
    let ok = fraction(&answers, |a| {
        matches!(
            action_model(a, ActionCall::OneTimeToken),
            Want::Value(Some(_))
        )
    });
    let policy = fraction(&answers, |a| {
        matches!(
            action_model(a, ActionCall::CompletePasswordReset),
            Want::Failure(ErrorCode::PasswordPolicy, _, _)
        )
    });
    println!("action answers: success {ok:.3}, password policy {policy:.3}");
    assert!(ok >= 1.0 / 3.0, "successes in {ok}");
    assert!(policy >= 0.05, "policy failures in {policy}");
}
