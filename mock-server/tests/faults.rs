//! Fault injection: every kind, the path filter, the count, and "a faulted request changes nothing".

mod common;

use std::time::{Duration, Instant};

use common::{start, FORM};
use serde_json::json;

#[tokio::test]
async fn drop_closes_the_connection_without_answer() {
    let m = start().await;
    m.fault(json!({"kind": "drop", "path": "/api/token"})).await;
    let form = "grant_type=password&username=alice%40example.com&password=Passw0rd%21";
    // /mock/* and other API paths are not affected.
    assert_eq!(m.get("/mock/stats").await.status, 200);
    assert_eq!(m.get("/api/public/billing/customer").await.status, 401);
    let err = m.try_send("POST", "/api/token", &[FORM], form).await;
    assert!(err.is_err(), "expected a transport error, got {err:?}");
    let ok = m
        .try_send("POST", "/api/token", &[FORM], form)
        .await
        .unwrap();
    assert_eq!(ok.status, 200, "the fault applied once");
    assert_eq!(ok.header("connection"), None);
    let log = m.get("/mock/requests").await.json();
    let dropped = &log.as_array().unwrap()[1];
    assert_eq!(
        (dropped["fault"].clone(), dropped["status"].clone()),
        (json!("drop"), json!(null))
    );
}

#[tokio::test]
async fn drop_pending_makes_answers_close_the_connection() {
    let m = start().await;
    m.fault(json!({"kind": "drop", "path": "/rebilly/"})).await;
    let r = m.get("/mock/faults").await;
    assert_eq!(r.header("connection"), Some("close"));
    assert_eq!(r.json()[0]["kind"], "drop");
    // The preflight of a cross-origin request too: the request itself would reuse its connection.
    let preflight = [
        ("origin", "http://app.test"),
        ("access-control-request-method", "POST"),
    ];
    let r = m.send("OPTIONS", "/rebilly/x", &preflight, "").await;
    assert_eq!((r.status, r.header("connection")), (200, Some("close")));
    assert_eq!(m.send("DELETE", "/mock/faults", &[], "").await.status, 200);
    assert_eq!(m.get("/mock/faults").await.json(), json!([]));
}

#[tokio::test]
async fn stall_then_504() {
    let m = start().await;
    m.fault(json!({"kind": "stall", "stallMs": 300})).await;
    let t0 = Instant::now();
    let r = m
        .send("POST", "/api/sys/users/token/refresh", &[], "")
        .await;
    assert_eq!(r.status, 504);
    assert!(t0.elapsed() >= Duration::from_millis(300));
    assert_eq!(
        r.header("access-control-allow-origin"),
        Some("*"),
        "CORS on faults"
    );
}

#[tokio::test]
async fn status_faults_and_retry_after() {
    let m = start().await;
    m.fault(json!([{"kind": "500"}, {"kind": 502}, {"kind": "503"}, {"kind": "429"}, {"kind": "429", "retryAfter": 7}]))
        .await;
    let mut seen = Vec::new();
    for _ in 0..5 {
        let r = m
            .get_with(
                "/api/public/billing/customer",
                &[("origin", "http://app.test")],
            )
            .await;
        assert_eq!(
            r.header("access-control-allow-origin"),
            Some("http://app.test")
        );
        seen.push((r.status, r.header("retry-after").map(str::to_owned)));
    }
    let two = Some("2".to_owned());
    assert_eq!(
        seen,
        [
            (500, None),
            (502, None),
            (503, None),
            (429, two),
            (429, Some("7".into()))
        ]
    );
    assert_eq!(
        m.get("/api/public/billing/customer").await.status,
        401,
        "faults used up"
    );
}

#[tokio::test]
async fn malformed_success_bodies() {
    let m = start().await;
    let kinds = ["html", "truncated", "wrong_type", "missing_field", "huge"];
    let faults: Vec<_> = kinds
        .iter()
        .map(|k| json!({"kind": k, "path": "/api/token"}))
        .collect();
    m.fault(json!(faults)).await;
    let r = m.sign_in("alice@example.com", None).await;
    assert_eq!(r.status, 200);
    assert!(r.header("content-type").unwrap().starts_with("text/html"));
    let r = m.sign_in("alice@example.com", None).await;
    assert_eq!(r.status, 200);
    assert!(
        serde_json::from_slice::<serde_json::Value>(&r.body).is_err(),
        "truncated"
    );
    let v = m.sign_in("alice@example.com", None).await.json();
    assert!(v["access_token"].is_number() && v["expires_in"].is_string());
    let v = m.sign_in("alice@example.com", None).await.json();
    assert!(v.get("access_token").is_none() && v.get("refresh_token").is_none());
    let r = m.sign_in("alice@example.com", None).await;
    assert!(r.body.len() >= 5 * 1024 * 1024);
    assert!(r.json()["padding"].is_string());
    assert_eq!(
        m.stats().await["password"],
        0,
        "faulted requests never reach the endpoint"
    );
    assert_eq!(
        m.sign_in("alice@example.com", None).await.json()["token_type"],
        "bearer"
    );
}

#[tokio::test]
async fn faulted_refresh_keeps_the_token_and_counts_only_requests() {
    let m = start().await;
    let t = m.signed_in("alice@example.com", Some("c")).await;
    let rt = t["refresh_token"].as_str().unwrap();
    m.fault(json!({"kind": "503", "count": 2, "path": "/api/token"}))
        .await;
    assert_eq!(m.refresh(rt, Some("c")).await.status, 503);
    assert_eq!(m.refresh(rt, Some("c")).await.status, 503);
    let s = m.stats().await;
    assert_eq!(
        (s["refresh"].clone(), s["requests"].clone()),
        (json!(0), json!(3))
    );
    assert_eq!(
        m.refresh(rt, Some("c")).await.status,
        200,
        "token survived the faults"
    );
}

#[tokio::test]
async fn path_prefix_and_validation() {
    let m = start().await;
    m.fault(json!({"kind": "500", "path": "/api/sys/"})).await;
    assert_eq!(m.sign_in("alice@example.com", None).await.status, 200);
    assert_eq!(
        m.send("POST", "/api/sys/users/token/refresh", &[], "")
            .await
            .status,
        500
    );
    m.fault(json!({"kind": "500", "path": "/rebilly/"})).await;
    let r = m.post_json("/mock/rebilly/token", &json!({})).await;
    assert_eq!(r.status, 200, "/mock is never faulted");
    let r = m
        .post_json("/mock/faults", &json!({"kind": "teapot"}))
        .await;
    assert_eq!(r.status, 400);
    let r = m.post_json("/mock/faults", &json!({"count": 1})).await;
    assert_eq!(r.status, 400);
}

#[tokio::test]
async fn delay_gives_the_real_answer_late() {
    let m = start().await;
    m.fault(json!({"kind": "delay", "stallMs": 300, "path": "/api/token"}))
        .await;
    let t0 = Instant::now();
    let r = m.sign_in("alice@example.com", None).await;
    assert_eq!(r.status, 200, "the real sign-in answer");
    assert!(r.json()["access_token"].is_string());
    assert!(t0.elapsed() >= Duration::from_millis(300));
}

#[tokio::test]
async fn fault_401_denies_a_valid_bearer_count_times() {
    let m = start().await;
    let token = m.access_token("alice@example.com", None).await;
    let path = "/api/public/billing/customer";
    m.fault(json!({"kind": 401, "path": path, "count": 2}))
        .await;
    for _ in 0..2 {
        let r = m.get_bearer(path, &token).await;
        assert_eq!(r.status, 401);
        assert_eq!(
            r.json(),
            json!({"Message": "Authorization has been denied for this request."})
        );
        assert_eq!(r.header("access-control-allow-origin"), Some("*"));
    }
    let r = m.get_bearer(path, &token).await;
    assert_eq!(
        (r.status, r.json()["Email"].clone()),
        (200, json!("alice@example.com"))
    );
    let log = m.get("/mock/requests").await.json();
    let faults: Vec<_> = log
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["fault"].clone())
        .collect();
    assert_eq!(
        faults,
        [json!(null), json!("401"), json!("401"), json!(null)]
    );
}
