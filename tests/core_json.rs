#![cfg(not(target_arch = "wasm32"))]
//! The tiny JSON reader/writer, checked against serde_json as an oracle.

use nexudus_auth::core::json::{parse, write_num, write_str, ObjectWriter, Value, MAX_DEPTH};

fn to_serde(v: &Value) -> serde_json::Value {
    match v {
        Value::Null => serde_json::Value::Null,
        Value::Bool(b) => (*b).into(),
        Value::Num(n) => serde_json::Number::from_f64(*n).unwrap().into(),
        Value::Str(s) => s.clone().into(),
        Value::Arr(a) => a.iter().map(to_serde).collect::<Vec<_>>().into(),
        Value::Obj(m) => {
            let mut o = serde_json::Map::new();
            for (k, v) in m {
                o.insert(k.clone(), to_serde(v));
            }
            o.into()
        }
    }
}

#[test]
fn parses_scalars_and_containers() {
    assert_eq!(parse("null"), Some(Value::Null));
    assert_eq!(parse(" true "), Some(Value::Bool(true)));
    assert_eq!(parse("false"), Some(Value::Bool(false)));
    assert_eq!(parse("0"), Some(Value::Num(0.0)));
    assert_eq!(parse("-0"), Some(Value::Num(-0.0)));
    assert_eq!(parse("3600"), Some(Value::Num(3600.0)));
    assert_eq!(parse("1763881200000"), Some(Value::Num(1763881200000.0)));
    assert_eq!(parse("-12.5e2"), Some(Value::Num(-1250.0)));
    assert_eq!(parse("0.1"), Some(Value::Num(0.1)));
    assert_eq!(parse("1E-3"), Some(Value::Num(0.001)));
    assert_eq!(
        parse("9007199254740993"),
        Some(Value::Num(9007199254740992.0))
    );
    assert_eq!(
        parse(r#""a\"b\\c\/d\b\f\n\r\t""#),
        Some(Value::Str("a\"b\\c/d\u{8}\u{c}\n\r\t".into()))
    );
    assert_eq!(parse(r#""\u00e9\u20AC""#), Some(Value::Str("é€".into())));
    assert_eq!(parse(r#""\ud83d\ude00""#), Some(Value::Str("😀".into())));
    assert_eq!(parse("\"é😀\""), Some(Value::Str("é😀".into())));
    assert_eq!(parse("[]"), Some(Value::Arr(vec![])));
    assert_eq!(parse("{}"), Some(Value::Obj(vec![])));
    assert_eq!(
        parse(r#" { "a" : [ 1 , { "b" : null } , [] ] , "c" : {} } "#),
        Some(Value::Obj(vec![
            (
                "a".into(),
                Value::Arr(vec![
                    Value::Num(1.0),
                    Value::Obj(vec![("b".into(), Value::Null)]),
                    Value::Arr(vec![])
                ])
            ),
            ("c".into(), Value::Obj(vec![])),
        ]))
    );
}

#[test]
fn rejects_invalid_json() {
    for bad in [
        "",
        " ",
        "nul",
        "nulls",
        "tru",
        "True",
        "01",
        "-",
        "1.",
        ".5",
        "1e",
        "1e+",
        "+1",
        "0x10",
        "NaN",
        "Infinity",
        "1e999",
        "-1e999",
        "\"abc",
        "\"\\x\"",
        "\"\\u12\"",
        "\"\\uZZZZ\"",
        "\"\\ud800\"",
        "\"\\ud800\\u0041\"",
        "\"\\udc00\"",
        "\"a\nb\"",
        "\"\t\"",
        "[1,]",
        "[,1]",
        "[1 2]",
        "{\"a\":1,}",
        "{\"a\"}",
        "{\"a\" 1}",
        "{a:1}",
        "{'a':1}",
        "{\"a\":1",
        "[",
        "]",
        "{",
        "}",
        "[1]]",
        "{}{}",
        "1 2",
        "[1] x",
        "\u{feff}1",
        "// c\n1",
        "<html>",
    ] {
        assert_eq!(parse(bad), None, "accepted {bad:?}");
        assert!(
            serde_json::from_str::<serde_json::Value>(bad).is_err() || bad.contains("1e999"),
            "{bad:?}"
        );
    }
}

#[test]
fn depth_limit_is_64_and_deep_input_does_not_overflow() {
    let ok = format!("{}{}", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
    assert!(parse(&ok).is_some());
    let too_deep = format!("{}{}", "[".repeat(MAX_DEPTH + 1), "]".repeat(MAX_DEPTH + 1));
    assert_eq!(parse(&too_deep), None);
    let objs = format!("{}1{}", "{\"a\":".repeat(MAX_DEPTH), "}".repeat(MAX_DEPTH));
    assert!(parse(&objs).is_some());
    let objs = format!(
        "{}1{}",
        "{\"a\":".repeat(MAX_DEPTH + 1),
        "}".repeat(MAX_DEPTH + 1)
    );
    assert_eq!(parse(&objs), None);
    // A million open brackets: rejected quickly, no stack overflow.
    assert_eq!(parse(&"[".repeat(1_000_000)), None);
}

#[test]
fn agrees_with_serde_json_on_a_corpus() {
    for s in [
        r#"{"access_token":"eyJ.a.b","token_type":"bearer","expires_in":3600,"refresh_token":"r"}"#,
        r#"{"WasSuccessful":false,"Value":null,"Status":400,"Message":"x","Errors":[{"PropertyName":"Password","Message":"too short"}]}"#,
        r#"[1.5, -2, 3e10, 1e-7, 123456789012345678901234567890, 0.000001, 2.5e-300]"#,
        r#"{"k":"\u0000\u001f\u007f\u2028"}"#,
        r#"{"a":{"b":{"c":[true,false,null,"x"]}}}"#,
    ] {
        let ours = parse(s).unwrap();
        let theirs: serde_json::Value = serde_json::from_str(s).unwrap();
        let ours = to_serde(&ours);
        // Numbers may differ in the last ulp for long mantissas; compare with tolerance.
        assert_json_close(&ours, &theirs);
    }
}

fn assert_json_close(a: &serde_json::Value, b: &serde_json::Value) {
    match (a, b) {
        (serde_json::Value::Number(x), serde_json::Value::Number(y)) => {
            let (x, y) = (x.as_f64().unwrap(), y.as_f64().unwrap());
            assert!((x - y).abs() <= y.abs() * 1e-15, "{x} vs {y}");
        }
        (serde_json::Value::Array(x), serde_json::Value::Array(y)) => {
            assert_eq!(x.len(), y.len());
            x.iter().zip(y).for_each(|(a, b)| assert_json_close(a, b));
        }
        (serde_json::Value::Object(x), serde_json::Value::Object(y)) => {
            assert_eq!(x.len(), y.len());
            for (k, v) in x {
                assert_json_close(v, &y[k]);
            }
        }
        _ => assert_eq!(a, b),
    }
}

#[test]
fn accessors() {
    let v = parse(r#"{"s":"x","n":2,"b":true,"a":[1],"z":null,"d":1,"d":2}"#).unwrap();
    assert_eq!(v.get("s").and_then(Value::as_str), Some("x"));
    assert_eq!(v.get("n").and_then(Value::as_f64), Some(2.0));
    assert_eq!(v.get("b").and_then(Value::as_bool), Some(true));
    assert_eq!(
        v.get("a").and_then(Value::as_array).map(|a| a.len()),
        Some(1)
    );
    assert!(v.get("z").unwrap().is_null());
    assert_eq!(
        v.get("d").and_then(Value::as_f64),
        Some(2.0),
        "last duplicate wins"
    );
    assert!(v.get("missing").is_none());
    assert!(v.get("s").unwrap().as_f64().is_none());
    assert!(Value::Num(1.0).get("x").is_none());
    assert_eq!(v.as_object().map(|o| o.len()), Some(7));
}

#[test]
fn write_str_escapes_and_round_trips() {
    for s in [
        "",
        "plain",
        "q\"b\\s/",
        "\n\r\t\u{8}\u{c}\u{0}\u{1f}\u{7f}",
        "é😀\u{2028}",
    ] {
        let mut out = String::new();
        write_str(&mut out, s);
        assert_eq!(serde_json::from_str::<String>(&out).unwrap(), s);
        assert_eq!(parse(&out), Some(Value::Str(s.into())));
    }
    let mut out = String::new();
    write_str(&mut out, "a\"\u{1}");
    assert_eq!(out, r#""a\"\u0001""#);
}

#[test]
fn write_num_formats() {
    let f = |x: f64| {
        let mut s = String::new();
        write_num(&mut s, x);
        s
    };
    assert_eq!(f(0.0), "0");
    assert_eq!(f(-0.0), "0");
    assert_eq!(f(42.0), "42");
    assert_eq!(f(-7.0), "-7");
    assert_eq!(f(1763881200000.0), "1763881200000");
    assert_eq!(f(9007199254740992.0), "9007199254740992");
    assert_eq!(f(1.5), "1.5");
    assert_eq!(f(-0.25), "-0.25");
    assert_eq!(f(1763881200000.5), "1763881200000.5");
    assert_eq!(f(0.1), "0.1");
    assert_eq!(f(f64::NAN), "null");
    assert_eq!(f(f64::INFINITY), "null");
    assert!(parse(&f(1e300)).is_some());
}

#[test]
fn object_writer() {
    let mut w = ObjectWriter::new();
    w.str("a", "x\"y")
        .num("n", 1440.0)
        .num("f", 2.5)
        .bool("t", true)
        .bool("f2", false)
        .null("z")
        .raw("r", "[1,2]");
    let s = w.finish();
    assert_eq!(
        s,
        r#"{"a":"x\"y","n":1440,"f":2.5,"t":true,"f2":false,"z":null,"r":[1,2]}"#
    );
    assert!(serde_json::from_str::<serde_json::Value>(&s).is_ok());
    assert_eq!(ObjectWriter::default().finish(), "{}");
}
