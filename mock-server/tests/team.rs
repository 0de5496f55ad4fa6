//! Team-admin impersonation: profiles, the impersonation one-time JWT, and its exchange.

mod common;

use common::{claims_of, enc, start, Mock};
use serde_json::json;

const PROFILES: &str = "/api/public/coworkers/profiles";
const CUSTOMER: &str = "/api/public/billing/customer";

fn impersonate(id: &str) -> String {
    format!("/api/public/coworkers/{id}/impersonate")
}

async fn exchange(m: &Mock, token: &str, client_id: &str) -> common::Resp {
    let path = format!(
        "/api/sys/users/exchange?token={}&validForInMinutes=60",
        enc(token)
    );
    m.send("POST", &path, &[("client_id", client_id)], "").await
}

#[tokio::test]
async fn profiles_list_the_admins_team_only() {
    let m = start().await;
    let alice = m.access_token("alice@example.com", None).await;
    let r = m.get_bearer(PROFILES, &alice).await;
    assert_eq!(r.status, 200);
    assert_eq!(
        r.json(),
        json!({"Profiles": [
            {"Id": 5, "FullName": "Erin Walsh", "Email": "erin@example.com"},
            {"Id": 6, "FullName": "Frank Osei", "Email": "frank@example.com"},
        ]})
    );
    let erin = m.access_token("erin@example.com", None).await;
    assert_eq!(
        m.get_bearer(PROFILES, &erin).await.json(),
        json!({"Profiles": []})
    );
    assert_eq!(m.get(PROFILES).await.status, 401);
    assert_eq!(m.get_bearer(PROFILES, "x.y.z").await.status, 401);
}

#[tokio::test]
async fn the_admin_acts_for_a_member_through_a_single_use_token() {
    let m = start().await;
    let alice = m.access_token("alice@example.com", Some("admin-tab")).await;
    let r = m.get_bearer(&impersonate("5"), &alice).await;
    assert_eq!(r.status, 200, "{}", r.text());
    let token = r.json()["token"].as_str().unwrap().to_owned();
    let c = claims_of(&token);
    assert_eq!(
        (
            c["typ"].clone(),
            c["email"].clone(),
            c["aud"].clone(),
            c["act"].clone()
        ),
        (
            json!("one-time"),
            json!("erin@example.com"),
            json!("mock-space"),
            json!({"sub": "alice@example.com"})
        )
    );

    let ex = exchange(&m, &token, "member-tab").await;
    assert_eq!(ex.status, 200, "{}", ex.text());
    let session = ex.json();
    let member = session["token"].as_str().unwrap();
    assert_eq!(session["expires_in"], 3600);
    assert_eq!(
        m.get_bearer(CUSTOMER, member).await.json(),
        json!({"Id": 5, "FullName": "Erin Walsh", "Email": "erin@example.com"})
    );
    assert_eq!(
        m.get_bearer(CUSTOMER, &alice).await.json()["Id"],
        1,
        "the admin's own session is untouched"
    );

    let again = exchange(&m, &token, "member-tab").await;
    assert_eq!(again.status, 400);
    assert_eq!(again.json()["Message"], "The token has already been used.");

    // The member session refreshes on its own client_id, and stays the member.
    let refreshed = m
        .refresh(
            session["refresh_token"].as_str().unwrap(),
            Some("member-tab"),
        )
        .await;
    assert_eq!(refreshed.status, 200);
    let access = refreshed.json()["access_token"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(
        m.get_bearer(CUSTOMER, &access).await.json()["Email"],
        "erin@example.com"
    );
    // Acting as the member gives no admin rights.
    let r = m.get_bearer(&impersonate("6"), &access).await;
    assert_eq!(r.status, 403);

    let frank = m.get_bearer(&impersonate("6"), &alice).await.json()["token"].clone();
    let ex = exchange(&m, frank.as_str().unwrap(), "frank-tab").await;
    let frank_access = ex.json()["token"].as_str().unwrap().to_owned();
    assert_eq!(m.get_bearer(CUSTOMER, &frank_access).await.json()["Id"], 6);
    assert_eq!(m.stats().await["impersonate"], 2);
}

#[tokio::test]
async fn refusals() {
    let m = start().await;
    let alice = m.access_token("alice@example.com", None).await;
    let bob = {
        let code = m.get("/mock/totp/bob@example.com").await.json()["code"].clone();
        let form = [
            ("grant_type", "password"),
            ("username", "bob@example.com"),
            ("password", "Passw0rd!"),
            ("totp", code.as_str().unwrap()),
        ];
        let r = m.post_form("/api/token", None, &form).await;
        r.json()["access_token"].as_str().unwrap().to_owned()
    };
    let erin = m.access_token("erin@example.com", None).await;
    let message = |r: &common::Resp| r.json()["Message"].clone();

    assert_eq!(m.get(&impersonate("5")).await.status, 401, "no bearer");
    assert_eq!(m.get_bearer(&impersonate("5"), "nope").await.status, 401);
    let r = m.get_bearer(&impersonate("5"), &bob).await;
    assert_eq!(
        (r.status, message(&r)),
        (
            403,
            json!("Only a team administrator can act for other coworkers.")
        )
    );
    let r = m.get_bearer(&impersonate("6"), &erin).await;
    assert_eq!(r.status, 403, "a member is not an admin");
    for outside in ["2", "1", "999"] {
        let r = m.get_bearer(&impersonate(outside), &alice).await;
        assert_eq!(
            (r.status, message(&r)),
            (403, json!("This coworker is not a member of your team.")),
            "{outside}"
        );
    }
    let r = m.get_bearer(&impersonate("erin"), &alice).await;
    assert_eq!(r.status, 404);
    assert_eq!(m.stats().await["impersonate"], 0);
    // A refusal leaves the admin's session as it was.
    assert_eq!(
        m.get_bearer(CUSTOMER, &alice).await.json()["Email"],
        "alice@example.com"
    );
}
