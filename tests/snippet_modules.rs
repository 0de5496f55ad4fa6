#![cfg(not(target_arch = "wasm32"))]
//! Keeps the number of wasm-bindgen JavaScript snippet modules small. wasm-bindgen emits every
//! `#[wasm_bindgen(module = "...")]` file and every `inline_js` as its own ES module. The browser
//! fetches them in parallel, and wasm-bindgen-test-runner's server never answers a page that opens
//! a fifth connection for them (docs/PLATFORM.md#test-runner-connections). A wasm test binary
//! loads the library's snippets plus its own `inline_js`. This test reads the sources as text and
//! fails when one binary would load more than [`MAX_PER_TEST_PAGE`] modules.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// The most snippet modules one wasm-bindgen-test page may load. Three passed 20 of 20 runs in
/// Chromium; five hung in 9 of 22 (docs/PLATFORM.md#test-runner-connections).
const MAX_PER_TEST_PAGE: usize = 3;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let entries = std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    for entry in entries {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The distinct `module = "..."` paths in `text`.
fn modules(text: &str) -> BTreeSet<String> {
    text.match_indices("wasm_bindgen(module = \"")
        .filter_map(|(at, m)| {
            let rest = &text[at + m.len()..];
            rest.find('"').map(|end| rest[..end].to_string())
        })
        .collect()
}

fn inline_snippets(text: &str) -> usize {
    text.matches("wasm_bindgen(inline_js").count()
}

/// The distinct snippet module paths and the `inline_js` count of the `.rs` files under `dir`.
fn snippets_under(dir: &Path) -> (BTreeSet<String>, usize) {
    let mut files = Vec::new();
    rust_files(dir, &mut files);
    let mut found = BTreeSet::new();
    let mut inline = 0;
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        found.extend(modules(&text));
        inline += inline_snippets(&text);
    }
    (found, inline)
}

fn library() -> (BTreeSet<String>, usize) {
    snippets_under(&root().join("src"))
}

#[test]
fn the_library_imports_one_snippet_module() {
    // The I/O is the package's JavaScript shell (pkg-template/shell/), not wasm imports: the wasm
    // imports only the AuthError class it throws.
    let (found, inline) = library();
    let expected: BTreeSet<String> = ["/src/js/auth_error.js"].map(String::from).into();
    assert_eq!(
        (&found, inline),
        (&expected, 0),
        "the library's snippet modules changed; I/O belongs in the shell (pkg-template/shell/), \
         and every snippet is a request of its own (docs/PLATFORM.md#test-runner-connections)"
    );
    for module in &found {
        assert!(
            root().join(&module[1..]).is_file(),
            "{module} does not exist"
        );
    }
}

#[test]
fn each_wasm_test_page_loads_at_most_three_snippet_modules() {
    // Every test page loads the library's snippets and those of the shared tests/support module.
    let (mut shared, mut shared_inline) = library();
    let support = root().join("tests/support");
    if support.is_dir() {
        let (found, inline) = snippets_under(&support);
        shared.extend(found);
        shared_inline += inline;
    }
    let mut pages = 0;
    for entry in std::fs::read_dir(root().join("tests")).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if !(name.starts_with("web_") && name.ends_with(".rs")) {
            continue;
        }
        pages += 1;
        let text = std::fs::read_to_string(&path).unwrap();
        let mut all = shared.clone();
        all.extend(modules(&text));
        let count = all.len() + shared_inline + inline_snippets(&text);
        assert!(
            count <= MAX_PER_TEST_PAGE,
            "{name}: its page loads {count} snippet modules, more than {MAX_PER_TEST_PAGE} \
             (docs/PLATFORM.md#test-runner-connections)"
        );
    }
    assert!(
        pages >= 1,
        "found {pages} tests/web_*.rs files; did they move?"
    );
}

#[test]
fn the_counter_sees_modules_and_inline_snippets() {
    let text = "#[wasm_bindgen(module = \"/a.js\")]\n#[wasm_bindgen(module = \"/a.js\")]\n\
                #[wasm_bindgen(module = \"/b.js\")]\n#[wasm_bindgen(inline_js = \"x\")]";
    assert_eq!(modules(text), ["/a.js", "/b.js"].map(String::from).into());
    assert_eq!(inline_snippets(text), 1);
}
