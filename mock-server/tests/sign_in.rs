//! `/api/token` (password and refresh grants, TOTP, lifetimes) and the customer profile.

mod common;

use common::{start, start_with, JSON};
use nexudus_mock::Config;
use serde_json::json;

#[tokio::test]
async fn password_sign_in_and_customer_profile() {
    let m = start().await;
    let t = m.signed_in("Alice@Example.com", Some("c1")).await;
    assert_eq!(t["token_type"], "bearer");
    assert_eq!(t["expires_in"], 3600);
    let access = t["access_token"].as_str().unwrap();
    assert_eq!(access.split('.').count(), 3);
    assert!(t["refresh_token"].as_str().unwrap().len() >= 32);
    let bearer = format!("Bearer {access}");
    let r = m
        .get_with(
            "/api/public/billing/customer",
            &[("authorization", &bearer)],
        )
        .await;
    assert_eq!(r.status, 200);
    assert_eq!(
        r.json(),
        json!({"Id": 1, "FullName": "Alice Martin", "Email": "alice@example.com"})
    );
    assert_eq!(m.get("/api/public/billing/customer").await.status, 401);
}

#[tokio::test]
async fn grant_errors() {
    let m = start().await;
    let json_body =
        r#"{"grant_type":"password","username":"alice@example.com","password":"Passw0rd!"}"#;
    let r = m.post("/api/token", &[JSON], json_body).await;
    assert_eq!(
        (r.status, r.json()["error"].clone()),
        (400, json!("unsupported_grant_type"))
    );
    let r = m
        .post_form("/api/token", None, &[("username", "alice@example.com")])
        .await;
    assert_eq!(r.json()["error"], "unsupported_grant_type");
    let r = m
        .post_form("/api/token", None, &[("grant_type", "client_credentials")])
        .await;
    assert_eq!(r.json()["error"], "unsupported_grant_type");
    let form = [
        ("grant_type", "password"),
        ("username", "alice@example.com"),
        ("password", "nope"),
    ];
    let r = m.post_form("/api/token", None, &form).await;
    assert_eq!(
        (r.status, r.json()["error"].clone()),
        (400, json!("invalid_grant"))
    );
    let r = m.sign_in("nobody@example.com", None).await;
    assert_eq!(r.json()["error"], "invalid_grant");
    let r = m.sign_in("dave@example.com", None).await;
    assert_eq!(r.json()["error"], "invalid_grant");
    assert!(r.json()["error_description"]
        .as_str()
        .unwrap()
        .contains("suspended"));
    let s = m.stats().await;
    assert_eq!(
        (s["password"].clone(), s["failedPassword"].clone()),
        (json!(3), json!(3))
    );
}

#[tokio::test]
async fn bob_needs_totp() {
    let m = start().await;
    let r = m.sign_in("bob@example.com", None).await;
    assert_eq!(
        (r.status, r.json()["error"].clone()),
        (400, json!("two_factor_auth_check"))
    );
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let stale = nexudus_mock::totp::code_at("JBSWY3DPEHPK3PXP", now - 3600).unwrap();
    let base = [
        ("grant_type", "password"),
        ("username", "bob@example.com"),
        ("password", "Passw0rd!"),
    ];
    let with = |code: &str| {
        let mut f = base.to_vec();
        f.push(("totp", Box::leak(code.to_owned().into_boxed_str())));
        f
    };
    let r = m.post_form("/api/token", None, &with(&stale)).await;
    assert_eq!(r.json()["error"], "two_factor_auth_check");
    let code = m.get("/mock/totp/bob@example.com").await.json()["code"]
        .as_str()
        .unwrap()
        .to_owned();
    let users = m.get("/mock/users").await.json();
    assert_eq!(users[1]["kind"], "totp");
    assert!(users[1]["totp"].as_str().unwrap().len() == 6);
    let r = m.post_form("/api/token", None, &with(&code)).await;
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(m.get("/mock/totp/alice@example.com").await.status, 404);
}

#[tokio::test]
async fn refresh_rotates_and_is_bound_to_client_id() {
    let m = start().await;
    let t = m
        .signed_in(
            "alice@example.com",
            Some("nexudus.portal.alice@example.com"),
        )
        .await;
    let cid = Some("nexudus.portal.alice@example.com");
    let first = t["refresh_token"].as_str().unwrap();
    let r = m.refresh(first, cid).await;
    assert_eq!(r.status, 200, "{}", r.text());
    let second = r.json()["refresh_token"].as_str().unwrap().to_owned();
    assert_ne!(first, second);
    assert_eq!(r.json()["token_type"], "bearer");
    let r = m.refresh(first, cid).await;
    assert_eq!(
        (r.status, r.json()["error"].clone()),
        (400, json!("invalid_grant")),
        "old token dies"
    );
    assert_eq!(
        m.refresh(&second, Some("other")).await.json()["error"],
        "invalid_grant"
    );
    assert_eq!(
        m.refresh(&second, None).await.json()["error"],
        "invalid_grant"
    );
    assert_eq!(
        m.refresh(&second, cid).await.status,
        200,
        "a mismatch does not burn the token"
    );
    assert_eq!(m.refresh("", cid).await.json()["error"], "invalid_grant");
    let s = m.stats().await;
    assert_eq!(s["refresh"], 6);
    assert_eq!(s["failedRefresh"], 4);
    assert_eq!(
        s["refreshByClientId"],
        json!({"(none)": 1, "nexudus.portal.alice@example.com": 4, "other": 1})
    );

    // Without a client_id header at sign-in, the token is bound to the email.
    let t = m.signed_in("alice@example.com", None).await;
    let rt = t["refresh_token"].as_str().unwrap();
    assert_eq!(m.refresh(rt, None).await.status, 400);
    assert_eq!(m.refresh(rt, Some("alice@example.com")).await.status, 200);
}

#[tokio::test]
async fn access_and_refresh_lifetimes() {
    let m = start_with(Config {
        access_ttl: 7200,
        ..Config::default()
    })
    .await;
    assert_eq!(
        m.signed_in("alice@example.com", None).await["expires_in"],
        7200
    );
    let r = m
        .post_json(
            "/mock/config",
            &json!({"accessTtlSeconds": 3, "clientId": "short"}),
        )
        .await;
    assert_eq!(r.status, 200);
    let r = m
        .post_json("/mock/config", &json!({"refreshTtlSeconds": 3}))
        .await;
    assert_eq!(r.json()["refreshTtlSeconds"], 3);
    // 3 s tokens: valid for the call right after sign-in even on a busy machine, expired 4.1 s later.
    let t = m.signed_in("alice@example.com", Some("short")).await;
    assert_eq!(t["expires_in"], 3);
    assert_eq!(
        m.signed_in("alice@example.com", Some("long")).await["expires_in"],
        7200
    );
    let bearer = format!("Bearer {}", t["access_token"].as_str().unwrap());
    let auth = [("authorization", bearer.as_str())];
    assert_eq!(
        m.send("POST", "/api/sys/users/token/refresh", &auth, "")
            .await
            .status,
        200
    );
    tokio::time::sleep(std::time::Duration::from_millis(4100)).await;
    assert_eq!(
        m.get_with("/api/public/billing/customer", &auth)
            .await
            .status,
        401,
        "expired access"
    );
    let r = m
        .send("POST", "/api/sys/users/token/refresh", &auth, "")
        .await;
    assert_eq!(r.status, 401);
    assert_eq!(
        r.json()["Message"],
        "Authorization has been denied for this request."
    );
    let r = m
        .refresh(t["refresh_token"].as_str().unwrap(), Some("short"))
        .await;
    assert_eq!(r.json()["error"], "invalid_grant", "refresh token expired");
}
