//! Token exchange, the one-time server token with the portal pages, and the password-reset flow.

mod common;

use common::{enc, start};
use serde_json::{json, Value};

#[tokio::test]
async fn exchange_one_time_jwt() {
    let m = start().await;
    let jwt = m.one_time_jwt("alice@example.com", "ok").await;
    let path = format!(
        "/api/sys/users/exchange?token={}&validForInMinutes=30",
        enc(&jwt)
    );
    let r = m.send("POST", &path, &[("client_id", "cx")], "").await;
    assert_eq!(r.status, 200, "{}", r.text());
    let v = r.json();
    let keys: Vec<&String> = v.as_object().unwrap().keys().collect();
    assert_eq!(keys, ["token", "token_type", "expires_in", "refresh_token"]);
    assert_eq!(v["expires_in"], 1800);
    let r = m
        .refresh(v["refresh_token"].as_str().unwrap(), Some("cx"))
        .await;
    assert_eq!(
        r.status, 200,
        "exchange refresh token bound to the client_id header"
    );
    let r = m.send("POST", &path, &[], "").await;
    assert_eq!(r.status, 400, "single use");
    assert!(r.json()["Message"].is_string());
    for (variant, status) in [
        ("expired", 400),
        ("bad_signature", 401),
        ("other_space", 401),
    ] {
        let jwt = m.one_time_jwt("alice@example.com", variant).await;
        let path = format!(
            "/api/sys/users/exchange?token={}&validForInMinutes=1440",
            enc(&jwt)
        );
        let r = m.send("POST", &path, &[], "").await;
        assert_eq!(r.status, status, "{variant}: {}", r.text());
        assert!(r.json()["Message"].is_string());
    }
    assert_eq!(
        m.send(
            "POST",
            "/api/sys/users/exchange?validForInMinutes=5",
            &[],
            ""
        )
        .await
        .status,
        400
    );
    assert_eq!(
        m.send("POST", "/api/sys/users/exchange?token=abc", &[], "")
            .await
            .status,
        400
    );
    let t = m.signed_in("alice@example.com", None).await;
    let path = format!(
        "/api/sys/users/exchange?token={}",
        enc(t["access_token"].as_str().unwrap())
    );
    assert_eq!(
        m.send("POST", &path, &[], "").await.status,
        401,
        "an access token is not for this space"
    );
    let s = m.stats().await;
    assert_eq!(
        (s["exchange"].clone(), s["failedExchange"].clone()),
        (json!(8), json!(7))
    );
}

#[tokio::test]
async fn server_token_and_portal_pages() {
    let m = start().await;
    let t = m.signed_in("alice@example.com", None).await;
    assert_eq!(
        m.send("POST", "/api/sys/users/token/refresh", &[], "")
            .await
            .status,
        401
    );
    let bad = [("authorization", "Bearer not.a.jwt")];
    assert_eq!(
        m.send("POST", "/api/sys/users/token/refresh", &bad, "")
            .await
            .status,
        401
    );
    let bearer = format!("Bearer {}", t["access_token"].as_str().unwrap());
    let r = m
        .send(
            "POST",
            "/api/sys/users/token/refresh",
            &[("authorization", &bearer)],
            "",
        )
        .await;
    let v = r.json();
    assert_eq!(
        (v["WasSuccessful"].clone(), v["Status"].clone()),
        (json!(true), json!(200))
    );
    assert_eq!(
        (v["Message"].clone(), v["Errors"].clone()),
        (Value::Null, Value::Null)
    );
    let tok = v["Value"].as_str().unwrap().to_owned();
    assert_eq!(m.stats().await["oneTime"], 1);

    let no_server = m
        .get(&format!("/user/login?t={tok}&redirectUrl=%2Fportal%2Fx"))
        .await;
    assert_eq!(no_server.status, 400);
    let r = m
        .get(&format!(
            "/user/login?server=true&t={tok}&redirectUrl=%2Fportal%2Finvoices"
        ))
        .await;
    assert_eq!(r.status, 302);
    assert_eq!(r.header("location"), Some("/portal/invoices"));
    let cookie = r
        .header("set-cookie")
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_owned();
    let again = m
        .get(&format!(
            "/user/login?server=true&t={tok}&redirectUrl=%2Fportal%2Finvoices"
        ))
        .await;
    assert_eq!(again.status, 401);
    assert!(again
        .text()
        .contains("This link has expired or was already used"));
    let page = m.get_with("/portal/invoices", &[("cookie", &cookie)]).await;
    assert_eq!(page.status, 200);
    assert!(page
        .text()
        .contains("signed in as alice@example.com via one-time token"));

    let v = m
        .send(
            "POST",
            "/api/sys/users/token/refresh",
            &[("authorization", &bearer)],
            "",
        )
        .await
        .json();
    let r = m
        .get(&format!("/login?t={}", v["Value"].as_str().unwrap()))
        .await;
    assert_eq!(
        (r.status, r.header("location")),
        (302, Some("/portal/home"))
    );
}

#[tokio::test]
async fn password_reset_flow() {
    let m = start().await;
    let r = m.sign_in("carol@example.com", None).await;
    assert_eq!(r.json()["error"], "must_reset_password");
    let reset = r.json()["error_description"].as_str().unwrap().to_owned();
    let outbox = m.get("/mock/outbox.json").await.json();
    assert_eq!(outbox[0]["token"], reset.as_str());
    assert!(outbox[0]["link"]
        .as_str()
        .unwrap()
        .contains(&format!("/?resetToken={reset}&email=carol%40example.com")));

    let r = m
        .post_json(
            "/api/sys/users/startPasswordReset",
            &json!({"email": "nobody@example.com", "businessId": 1}),
        )
        .await;
    assert_eq!(
        (r.status, r.json()["WasSuccessful"].clone()),
        (200, json!(true))
    );
    let r = m
        .post_json(
            "/api/sys/users/startPasswordReset",
            &json!({"email": "alice@example.com", "businessId": 1}),
        )
        .await;
    assert_eq!(r.status, 200);
    let outbox = m.get("/mock/outbox.json").await.json();
    assert_eq!(
        outbox.as_array().unwrap().len(),
        2,
        "no email for an unknown address"
    );
    assert_eq!(outbox[0]["to"], "alice@example.com", "newest first");
    let link = outbox[0]["link"].as_str().unwrap();
    assert!(
        link.starts_with(&format!("http://{}/?resetToken=", m.addr)),
        "{link}"
    );
    let form = m
        .post_form(
            "/api/sys/users/startPasswordReset",
            None,
            &[("email", "alice@example.com")],
        )
        .await;
    assert_eq!(form.status, 400, "JSON only");

    let complete = |token: &str, password: &str| json!({"Token": token, "Password": password, "BusinessId": 1});
    let r = m
        .post_json(
            "/api/sys/users/completePasswordReset",
            &complete(&reset, "weak"),
        )
        .await;
    assert_eq!(r.status, 400);
    let v = r.json();
    assert_eq!(
        (v["WasSuccessful"].clone(), v["Status"].clone()),
        (json!(false), json!(400))
    );
    let errors = v["Errors"].as_array().unwrap();
    assert_eq!(errors.len(), 3);
    assert_eq!(errors[0]["PropertyName"], "Password");
    let camel = json!({"token": reset, "password": "N3wPassword", "businessId": 1});
    let r = m
        .post_json("/api/sys/users/completePasswordReset", &camel)
        .await;
    assert_eq!(
        r.json()["Message"],
        "The token is invalid or has expired",
        "PascalCase only"
    );
    let r = m
        .post_json(
            "/api/sys/users/completePasswordReset",
            &complete(&reset, "N3wPassword"),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text());
    let jwt = r.json()["Value"].as_str().unwrap().to_owned();
    let r = m
        .post_json(
            "/api/sys/users/completePasswordReset",
            &complete(&reset, "N3wPassword"),
        )
        .await;
    assert_eq!(
        (r.status, r.json()["Message"].clone()),
        (400, json!("The token is invalid or has expired"))
    );
    let path = format!(
        "/api/sys/users/exchange?token={}&validForInMinutes=1440",
        enc(&jwt)
    );
    assert_eq!(m.send("POST", &path, &[], "").await.status, 200);
    assert_eq!(
        m.sign_in("carol@example.com", None).await.json()["error"],
        "invalid_grant",
        "old password"
    );
    let form = [
        ("grant_type", "password"),
        ("username", "carol@example.com"),
        ("password", "N3wPassword"),
    ];
    assert_eq!(
        m.post_form("/api/token", None, &form).await.status,
        200,
        "must-reset cleared"
    );
    m.post("/mock/reset", &[], "").await;
    assert_eq!(
        m.sign_in("carol@example.com", None).await.json()["error"],
        "must_reset_password"
    );
}
