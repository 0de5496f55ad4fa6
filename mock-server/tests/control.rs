//! CORS, request log masking, exact counters under concurrency, reset, outbox, users, Rebilly.

mod common;

use common::{enc, start, JSON};
use serde_json::json;

#[tokio::test]
async fn cors_preflight_and_headers() {
    let m = start().await;
    for path in [
        "/api/token",
        "/api/sys/users/exchange",
        "/rebilly/organizations/o/authentication-tokens/x/exchange",
    ] {
        let r = m
            .send(
                "OPTIONS",
                path,
                &[
                    ("origin", "http://localhost:9000"),
                    ("access-control-request-headers", "client_id"),
                ],
                "",
            )
            .await;
        assert_eq!((r.status, r.body.len()), (200, 0), "preflight: empty 200");
        assert_eq!(
            r.header("access-control-allow-origin"),
            Some("http://localhost:9000")
        );
        assert_eq!(
            list(r.header("access-control-allow-headers")),
            ["content-type", "authorization", "client_id"]
        );
        assert_eq!(
            list(r.header("access-control-allow-methods")),
            ["GET", "POST", "DELETE", "OPTIONS"]
        );
        assert_eq!(r.header("access-control-max-age"), Some("600"));
        assert_eq!(list(r.header("vary")), ["origin"]);
        assert_eq!(r.header("access-control-allow-credentials"), None);
    }
    let r = m.sign_in("nobody@example.com", None).await;
    assert_eq!(r.header("access-control-allow-origin"), Some("*"));
    let from_page = m
        .get_with("/mock/users", &[("origin", "http://127.0.0.1:9")])
        .await;
    assert_eq!(
        from_page.header("access-control-allow-origin"),
        Some("http://127.0.0.1:9")
    );
    assert_eq!(
        list(r.header("access-control-expose-headers")),
        ["retry-after"]
    );
    assert_eq!(
        m.get("/nope.js")
            .await
            .header("access-control-allow-origin"),
        Some("*")
    );
    assert_eq!(m.stats().await["requests"], 1, "preflights are not counted");
}

/// A comma-separated header as trimmed, lower-cased items (methods keep their case).
fn list(value: Option<&str>) -> Vec<String> {
    value
        .unwrap_or("")
        .split(',')
        .map(|s| s.trim())
        .map(|s| {
            if s.chars().all(|c| c.is_ascii_uppercase()) {
                s.to_owned()
            } else {
                s.to_ascii_lowercase()
            }
        })
        .collect()
}

#[tokio::test]
async fn request_log_masks_secrets_but_keeps_shape() {
    let m = start().await;
    let t = m.signed_in("alice@example.com", Some("cid")).await;
    m.refresh(t["refresh_token"].as_str().unwrap(), Some("cid"))
        .await;
    let jwt = m.one_time_jwt("alice@example.com", "ok").await;
    m.send(
        "POST",
        &format!(
            "/api/sys/users/exchange?token={}&validForInMinutes=1440",
            enc(&jwt)
        ),
        &[],
        "",
    )
    .await;
    m.post_json(
        "/api/sys/users/completePasswordReset",
        &json!({"Token": "abc", "Password": "x", "BusinessId": 3}),
    )
    .await;
    let bearer = format!("Bearer {}", t["access_token"].as_str().unwrap());
    m.send(
        "POST",
        "/api/sys/users/token/refresh",
        &[("authorization", &bearer)],
        "",
    )
    .await;
    let text = m.get("/mock/requests").await.text();
    for secret in [
        t["access_token"].as_str().unwrap(),
        t["refresh_token"].as_str().unwrap(),
        &jwt,
        "Passw0rd",
    ] {
        assert!(!text.contains(secret), "log leaks a secret");
    }
    let log: serde_json::Value = serde_json::from_str(&text).unwrap();
    let log = log.as_array().unwrap();
    assert_eq!(log.len(), 5);
    assert_eq!(
        log[0]["body"],
        "grant_type=password&username=alice%40example.com&password=***"
    );
    assert_eq!(log[0]["contentType"], "application/x-www-form-urlencoded");
    assert_eq!(log[0]["clientId"], "cid");
    assert_eq!(log[1]["body"], "grant_type=refresh_token&refresh_token=***");
    assert_eq!(log[2]["query"], "token=***&validForInMinutes=1440");
    assert_eq!(
        (log[2]["body"].clone(), log[2]["method"].clone()),
        (json!(""), json!("POST"))
    );
    assert_eq!(
        log[3]["body"],
        r#"{"Token":"***","Password":"***","BusinessId":3}"#
    );
    assert_eq!(
        (log[4]["authorization"].clone(), log[4]["status"].clone()),
        (json!(true), json!(200))
    );
    assert_eq!(log[0]["authorization"], false);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn counters_are_exact_under_concurrency() {
    let m = std::sync::Arc::new(start().await);
    let t = m.signed_in("alice@example.com", Some("tab")).await;
    let rt = t["refresh_token"].as_str().unwrap().to_owned();
    let tasks: Vec<_> = (0..10)
        .map(|_| {
            let (m, rt) = (m.clone(), rt.clone());
            tokio::spawn(async move { m.refresh(&rt, Some("tab")).await.status })
        })
        .collect();
    let mut ok = 0;
    for t in tasks {
        ok += usize::from(t.await.unwrap() == 200);
    }
    assert_eq!(ok, 1, "exactly one of ten racing refreshes wins");
    let s = m.stats().await;
    assert_eq!(s["refresh"], 10);
    assert_eq!(s["failedRefresh"], 9);
    assert_eq!(s["refreshByClientId"], json!({"tab": 10}));
    assert_eq!(s["password"], 1);
    assert_eq!(s["requests"], 11);
    let r = m.post("/mock/reset", &[], "").await;
    assert_eq!(r.status, 200);
    let s = m.stats().await;
    assert_eq!(
        (s["refresh"].clone(), s["requests"].clone()),
        (json!(0), json!(0))
    );
    assert_eq!(m.get("/mock/requests").await.json(), json!([]));
    let bearer = format!("Bearer {}", t["access_token"].as_str().unwrap());
    let r = m
        .get_with(
            "/api/public/billing/customer",
            &[("authorization", &bearer)],
        )
        .await;
    assert_eq!(r.status, 401, "reset rotates the signing key");
}

#[tokio::test]
async fn rebilly_exchange() {
    let m = start().await;
    let tok = m
        .post_json("/mock/rebilly/token", &json!({"customerId": "cus_42"}))
        .await
        .json()["token"]
        .as_str()
        .unwrap()
        .to_owned();
    let path = format!("/rebilly/organizations/org_1/authentication-tokens/{tok}/exchange");
    let auth = ("authorization", "pk_sandbox_x");
    let r = m.post(&path, &[JSON], "{}").await;
    assert_eq!(r.status, 401, "publishable key required");
    assert_eq!(r.header("content-type"), Some("application/problem+json"));
    let p = r.json();
    for k in ["type", "title", "status", "detail", "instance"] {
        assert!(p.get(k).is_some(), "{k}");
    }
    assert!(!p["instance"].as_str().unwrap().contains(&tok));
    let r = m
        .post(&path, &[JSON, auth], r#"{"oneTimePassword":"12ab"}"#)
        .await;
    assert_eq!(r.status, 400);
    let r = m
        .post(
            &path,
            &[JSON, auth],
            r#"{"invalidate":false,"oneTimePassword":"123456"}"#,
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text());
    let v = r.json();
    assert_eq!(
        (v["type"].clone(), v["customerId"].clone()),
        (json!("customer"), json!("cus_42"))
    );
    assert_eq!(v["acl"], json!([{"scope": {}, "permissions": ["*"]}]));
    assert_eq!(v["token"].as_str().unwrap().split('.').count(), 3);
    let created = v["createdTime"].as_str().unwrap();
    let expired = v["expiredTime"].as_str().unwrap();
    assert!(created.ends_with('Z') && expired > created);
    assert_eq!(
        m.post(&path, &[JSON, auth], "{}").await.status,
        201,
        "invalidate:false kept it"
    );
    assert_eq!(
        m.post(&path, &[JSON, auth], "{}").await.status,
        401,
        "default invalidates"
    );
    assert_eq!(m.stats().await["rebillyExchange"], 3);
}

#[tokio::test]
async fn outbox_magic_link_and_users() {
    let m = start().await;
    let r = m
        .post_json("/mock/magic-link", &json!({"email": "alice@example.com"}))
        .await;
    assert_eq!(r.status, 200);
    let html = m.get("/mock/outbox").await;
    assert!(html
        .header("content-type")
        .unwrap()
        .starts_with("text/html"));
    let body = html.text();
    assert!(
        body.contains(&format!("href=\"http://{}/?token=", m.addr)),
        "{body}"
    );
    let mail = &m.get("/mock/outbox.json").await.json()[0];
    let path = format!(
        "/api/sys/users/exchange?token={}&validForInMinutes=60",
        enc(mail["token"].as_str().unwrap())
    );
    assert_eq!(m.send("POST", &path, &[], "").await.status, 200);
    let users = m.get("/mock/users").await.json();
    let kinds: Vec<_> = users
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        [
            "password",
            "totp",
            "must_reset",
            "suspended",
            "password",
            "password"
        ]
    );
    let admins: Vec<_> = users
        .as_array()
        .unwrap()
        .iter()
        .filter(|u| u["teamAdmin"] == true)
        .map(|u| (u["email"].as_str().unwrap(), u["team"].clone()))
        .collect();
    assert_eq!(
        admins,
        [(
            "alice@example.com",
            json!(["erin@example.com", "frank@example.com"])
        )]
    );
    assert_eq!(users[4]["id"], 5);
    assert_eq!(users[1]["teamAdmin"], false);
}
