//! Ending sessions from the server side: `/mock/revoke` (refresh tokens), `/mock/revoke-access`
//! (access tokens), and `/mock/reset-user`.

mod common;

use common::start;
use serde_json::json;

#[tokio::test]
async fn revoke_kills_a_clients_refresh_tokens_and_reset_user_restores_a_user() {
    let m = start().await;
    let t = m.signed_in("alice@example.com", Some("portal-a")).await;
    let other = m.signed_in("alice@example.com", Some("portal-b")).await;
    let r = m
        .post_json("/mock/revoke", &json!({"clientId": "portal-a"}))
        .await;
    assert_eq!(r.json()["revoked"], 1);
    let dead = m
        .refresh(t["refresh_token"].as_str().unwrap(), Some("portal-a"))
        .await;
    assert_eq!(dead.status, 400);
    assert_eq!(dead.json()["error"], "invalid_grant");
    let alive = m
        .refresh(other["refresh_token"].as_str().unwrap(), Some("portal-b"))
        .await;
    assert_eq!(alive.status, 200, "other clients keep their tokens");

    let carol = "grant_type=password&username=carol%40example.com&password=Passw0rd%21";
    let form = [("content-type", "application/x-www-form-urlencoded")];
    let must = m.post("/api/token", &form, carol).await.json();
    assert_eq!(must["error"], "must_reset_password");
    let reset =
        json!({"Token": must["error_description"], "Password": "N3wPassword!", "BusinessId": null});
    assert_eq!(
        m.post_json("/api/sys/users/completePasswordReset", &reset)
            .await
            .status,
        200
    );
    let new_pw = "grant_type=password&username=carol%40example.com&password=N3wPassword%21";
    assert_eq!(
        m.post("/api/token", &form, new_pw).await.status,
        200,
        "carol has reset"
    );
    let ok = m
        .post_json("/mock/reset-user", &json!({"email": "carol@example.com"}))
        .await;
    assert_eq!(ok.status, 200);
    assert_eq!(
        m.post("/api/token", &form, carol).await.json()["error"],
        "must_reset_password"
    );
    let missing = m
        .post_json("/mock/reset-user", &json!({"email": "x@y.z"}))
        .await;
    assert_eq!(missing.status, 404);
}

#[tokio::test]
async fn revoke_access_kills_a_clients_access_tokens_but_not_its_refresh_tokens() {
    let m = start().await;
    let a = m.signed_in("alice@example.com", Some("portal-a")).await;
    let b = m.access_token("alice@example.com", Some("portal-b")).await;
    let a_access = a["access_token"].as_str().unwrap();
    let path = "/api/public/billing/customer";
    assert_eq!(m.get_bearer(path, a_access).await.status, 200);
    let r = m
        .post_json("/mock/revoke-access", &json!({"clientId": "portal-a"}))
        .await;
    assert_eq!(r.json(), json!({"revoked": 1}));
    let dead = m.get_bearer(path, a_access).await;
    assert_eq!(dead.status, 401);
    assert_eq!(
        dead.json()["Message"],
        "Authorization has been denied for this request."
    );
    assert_eq!(
        m.send(
            "POST",
            "/api/sys/users/token/refresh",
            &[("authorization", &format!("Bearer {a_access}"))],
            ""
        )
        .await
        .status,
        401
    );
    assert_eq!(
        m.get_bearer(path, &b).await.status,
        200,
        "other clients keep theirs"
    );
    let refreshed = m
        .refresh(a["refresh_token"].as_str().unwrap(), Some("portal-a"))
        .await;
    assert_eq!(refreshed.status, 200, "the refresh token survives");
    let fresh = refreshed.json()["access_token"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(m.get_bearer(path, &fresh).await.status, 200);
    let r = m.post_json("/mock/revoke-access", &json!({})).await;
    assert_eq!(r.status, 400);
}
