#![cfg(not(target_arch = "wasm32"))]
//! The list of `AuthError` codes is written in several places: `ErrorCode::as_str` in
//! `src/core/error.rs` (what the wasm throws), the `AuthErrorCode` union of the package's
//! TypeScript types (`pkg-template/index.d.ts`), the
//! `ContractCode` union the type test `tests/e2e/types/usage.ts` checks it against, the "Error
//! codes" table of `docs/CONTRACT.md`, and the demo's messages in `www/js/errors.js`.
//! This test reads those files as text (it does not use the crate's API) and fails, naming the
//! file and the codes, when a code is added to or removed from one place only.

use std::collections::BTreeSet;
use std::path::Path;

type Codes = BTreeSet<String>;

fn read(rel: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(rel);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

/// Collects `items` into a set; duplicates are an error of their own.
fn to_set(source: &str, items: Vec<String>) -> Result<Codes, String> {
    let mut set = Codes::new();
    for item in items {
        if !set.insert(item.clone()) {
            return Err(format!("{source}: the code `{item}` is listed twice"));
        }
    }
    if set.is_empty() {
        return Err(format!(
            "{source}: no error codes found; the file's shape changed, update tests/codes_in_sync.rs"
        ));
    }
    Ok(set)
}

/// The text of the `{ … }` block that starts at the first `{` at or after `from`.
fn braced(text: &str, from: usize) -> Option<&str> {
    let open = from + text.get(from..)?.find('{')?;
    let mut depth = 0usize;
    for (i, c) in text.get(open..)?.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => {
                depth -= 1;
                if depth == 0 {
                    return text.get(open + 1..open + i);
                }
            }
            _ => {}
        }
    }
    None
}

/// Every string literal after a `=>` in the body of `ErrorCode`'s `fn as_str`.
fn rust_codes(error_rs: &str) -> Vec<String> {
    let Some(imp) = error_rs.find("impl ErrorCode") else {
        return Vec::new();
    };
    let Some(f) = error_rs.get(imp..).and_then(|t| t.find("fn as_str")) else {
        return Vec::new();
    };
    let Some(body) = braced(error_rs, imp + f) else {
        return Vec::new();
    };
    body.split("=>")
        .skip(1)
        .filter_map(|arm| {
            let arm = arm.trim_start().strip_prefix('"')?;
            Some(arm.get(..arm.find('"')?)?.to_string())
        })
        .collect()
}

/// The quoted members of `type <name> = 'a' | 'b' …;`, or `None` when the file does not declare
/// that union (it may only re-export it).
fn ts_union(dts: &str, name: &str) -> Option<Vec<String>> {
    let decl = format!("type {name}");
    let start = dts.find(&decl)?;
    let rest = dts.get(start + decl.len()..)?.trim_start();
    let rest = rest.strip_prefix('=')?;
    let union = rest.get(..rest.find(';')?)?;
    let mut out = Vec::new();
    let mut parts = union.split(['\'', '"']);
    parts.next();
    while let Some(code) = parts.next() {
        out.push(code.to_string());
        parts.next();
    }
    Some(out)
}

/// The first column (a code in backticks) of the table under the `## Error codes` heading.
fn contract_codes(md: &str) -> Vec<String> {
    md.lines()
        .skip_while(|l| l.trim() != "## Error codes")
        .skip(1)
        .take_while(|l| !l.starts_with("## "))
        .filter_map(|l| {
            let cell = l.strip_prefix("| `")?;
            Some(cell.get(..cell.find('`')?)?.to_string())
        })
        .collect()
}

/// The keys of the demo's `const MESSAGES = { key: {…}, … }`.
fn demo_codes(js: &str) -> Vec<String> {
    let Some(start) = js.find("const MESSAGES") else {
        return Vec::new();
    };
    let Some(body) = braced(js, start) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut depth = 0usize;
    for line in body.lines() {
        if depth == 0 {
            if let Some((key, _)) = line.split_once(':') {
                let key = key.trim().trim_matches(['\'', '"']);
                if !key.is_empty() && !key.starts_with("//") {
                    out.push(key.to_string());
                }
            }
        }
        for c in line.chars() {
            match c {
                '{' => depth += 1,
                '}' => depth = depth.saturating_sub(1),
                _ => {}
            }
        }
    }
    out
}

/// Compares every other list with the Rust one; the error lists every difference.
fn compare(lists: &[(String, Result<Codes, String>)]) -> Result<(), String> {
    let mut problems = Vec::new();
    let (reference_name, reference) = match lists.first() {
        Some((name, Ok(set))) => (name, set),
        Some((_, Err(e))) => return Err(e.clone()),
        None => return Err("nothing to compare".into()),
    };
    for (name, list) in &lists[1..] {
        match list {
            Err(e) => problems.push(e.clone()),
            Ok(set) => {
                let missing: Vec<_> = reference.difference(set).collect();
                let extra: Vec<_> = set.difference(reference).collect();
                if !missing.is_empty() {
                    problems.push(format!("{name} lacks {missing:?} (in {reference_name})"));
                }
                if !extra.is_empty() {
                    problems.push(format!("{name} has {extra:?}, not in {reference_name}"));
                }
            }
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("\n"))
    }
}

#[test]
fn error_codes_are_the_same_everywhere() {
    let mut lists = vec![
        (
            "src/core/error.rs (ErrorCode::as_str)".to_string(),
            to_set("src/core/error.rs", rust_codes(&read("src/core/error.rs"))),
        ),
        (
            "docs/CONTRACT.md (\"Error codes\" table)".to_string(),
            to_set(
                "docs/CONTRACT.md",
                contract_codes(&read("docs/CONTRACT.md")),
            ),
        ),
        (
            "www/js/errors.js (MESSAGES)".to_string(),
            to_set("www/js/errors.js", demo_codes(&read("www/js/errors.js"))),
        ),
    ];
    let dts = "pkg-template/index.d.ts";
    let union = ts_union(&read(dts), "AuthErrorCode");
    let unions = usize::from(union.is_some());
    if let Some(codes) = union {
        lists.push((format!("{dts} (AuthErrorCode)"), to_set(dts, codes)));
    }
    let usage = "tests/e2e/types/usage.ts";
    lists.push((
        format!("{usage} (ContractCode)"),
        to_set(
            usage,
            ts_union(&read(usage), "ContractCode").unwrap_or_default(),
        ),
    ));
    assert!(
        unions > 0,
        "no `type AuthErrorCode = …;` union found in pkg-template/index.d.ts"
    );
    if let Err(problems) = compare(&lists) {
        panic!(
            "the AuthError codes differ between files; add or remove the code in every one of them:\n{problems}"
        );
    }
}

// The readers and the comparison on small samples: they find what they should, and a code added
// in one place only is reported.

const ERROR_RS: &str = r#"
impl ErrorCode {
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::Network => "network",
            ErrorCode::Timeout => "timeout",
        }
    }
    pub fn default_message(self) -> &'static str {
        match self { ErrorCode::Network => "No network", ErrorCode::Timeout => "Too slow" }
    }
}"#;

fn set(items: &[&str]) -> Codes {
    items.iter().map(|s| s.to_string()).collect()
}

#[test]
fn readers_find_the_codes_of_each_format() {
    assert_eq!(rust_codes(ERROR_RS), ["network", "timeout"]);
    assert_eq!(
        ts_union(
            "/** x */\nexport type AuthErrorCode =\n  | 'network' | \"timeout\";\nexport interface X { a: 'no'; }",
            "AuthErrorCode"
        ),
        Some(vec!["network".to_string(), "timeout".to_string()])
    );
    assert_eq!(
        ts_union(
            "export type { AuthErrorCode } from './x.js';",
            "AuthErrorCode"
        ),
        None
    );
    let md = "## Error codes\n\n| code | when |\n|---|---|\n| `network` | offline |\n| `timeout` | slow |\n\n## Wire format\n| `not_a_code` | x |\n";
    assert_eq!(contract_codes(md), ["network", "timeout"]);
    let js = "const MESSAGES = {\n  network: {\n    title: 'Offline.',\n    detail: 'x',\n  },\n  'timeout': { title: 'Slow.' },\n};\nconst other = { nope: 1 };\n";
    assert_eq!(demo_codes(js), ["network", "timeout"]);
}

#[test]
fn a_code_in_one_place_only_is_reported() {
    let ok = |name: &str, items: &[&str]| (name.to_string(), Ok(set(items)));
    assert_eq!(
        compare(&[
            ok("rust", &["network", "timeout"]),
            ok("ts", &["timeout", "network"])
        ]),
        Ok(())
    );
    let err = compare(&[
        ok("rust", &["network", "timeout"]),
        ok("ts", &["network", "timeout", "offline"]),
        ok("md", &["network"]),
    ])
    .unwrap_err();
    assert!(err.contains("ts has [\"offline\"]"), "{err}");
    assert!(err.contains("md lacks [\"timeout\"]"), "{err}");
    assert!(to_set("x", vec!["a".into(), "a".into()]).is_err());
    assert!(to_set("x", Vec::new()).is_err());
}
