//! The demo, package and example files (tower-http `ServeDir`): content types, `no-store`,
//! client-side routes of an example, and no way out of a root.

mod common;

use common::{start, start_with};
use nexudus_mock::Config;

#[tokio::test]
async fn static_files() {
    let dir = std::env::temp_dir().join(format!("nexudus-mock-test-{}", std::process::id()));
    let (www, pkg) = (dir.join("www"), dir.join("pkg"));
    std::fs::create_dir_all(&www).unwrap();
    std::fs::create_dir_all(pkg.join("snippets")).unwrap();
    std::fs::write(www.join("index.html"), "<h1>demo</h1>").unwrap();
    std::fs::write(www.join("app.css"), "body{}").unwrap();
    std::fs::write(pkg.join("nexudus_auth_bg.wasm"), b"\0asm").unwrap();
    std::fs::write(pkg.join("snippets").join("a.js"), "export {}").unwrap();
    std::fs::write(dir.join("secret.txt"), "no").unwrap();
    let dist = dir.join("examples").join("shop").join("dist");
    std::fs::create_dir_all(dist.join("assets")).unwrap();
    std::fs::write(dist.join("index.html"), "<h1>shop</h1>").unwrap();
    std::fs::write(dist.join("assets").join("app.js"), "export {}").unwrap();
    let m = start_with(Config {
        www: Some(www),
        pkg: Some(pkg),
        ..Config::default()
    })
    .await;
    let r = m.get("/").await;
    assert_eq!((r.status, r.text().as_str()), (200, "<h1>demo</h1>"));
    assert_eq!(r.header("cache-control"), Some("no-store"));
    assert_eq!(
        m.get("/app.css").await.header("content-type"),
        Some("text/css; charset=utf-8")
    );
    let wasm = m.get("/pkg/nexudus_auth_bg.wasm").await;
    assert_eq!(
        (wasm.status, wasm.header("content-type")),
        (200, Some("application/wasm"))
    );
    let js = m.get("/pkg/snippets/a.js").await;
    assert_eq!(
        js.header("content-type"),
        Some("text/javascript; charset=utf-8")
    );
    assert_eq!(m.get("/pkg/missing.js").await.status, 404);
    for evil in [
        "/../secret.txt",
        "/pkg/../secret.txt",
        "/%2e%2e/secret.txt",
        "/pkg/..%2fsecret.txt",
    ] {
        assert_eq!(m.get(evil).await.status, 404, "{evil}");
    }
    let shop = m.get("/examples/shop/").await;
    assert_eq!((shop.status, shop.text().as_str()), (200, "<h1>shop</h1>"));
    let route = m.get("/examples/shop/orders/7?tab=1").await;
    assert_eq!(
        (route.status, route.text().as_str()),
        (200, "<h1>shop</h1>"),
        "client-side route"
    );
    let asset = m.get("/examples/shop/assets/app.js").await;
    assert_eq!((asset.status, asset.text().as_str()), (200, "export {}"));
    assert_eq!(asset.header("cache-control"), Some("no-store"));
    assert_eq!(m.get("/examples/shop/assets/gone.js").await.status, 404);
    assert_eq!(m.get("/examples/nope/").await.status, 404);
    assert_eq!(m.send("POST", "/app.css", &[], "").await.status, 405);
    let bare = start().await;
    let r = bare.get("/").await;
    assert_eq!(r.status, 200);
    assert!(r.text().contains("/mock/users"));
    let _ = std::fs::remove_dir_all(dir);
}
