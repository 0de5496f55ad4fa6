//! Protected files: the media token (`GET /api/auth/media/customer`) and the invoice PDF it opens.

mod common;

use std::time::Duration;

use common::{claims_of, start, Mock};
use jsonwebtoken::{encode, EncodingKey, Header};
use serde_json::{json, Value};

const MEDIA: &str = "/api/auth/media/customer";

fn pdf_path(id: &str, t: &str) -> String {
    format!("/api/public/billing/invoices/{id}/pdf?t={}", common::enc(t))
}

async fn media_jwt(m: &Mock, access: &str) -> String {
    let r = m.get_bearer(MEDIA, access).await;
    assert_eq!(r.status, 200, "{}", r.text());
    r.json()["jwt"].as_str().unwrap().to_owned()
}

/// The text of page 1 of a PDF (parsed with lopdf, so the file is structurally valid).
fn pdf_text(body: &[u8]) -> String {
    assert!(body.starts_with(b"%PDF-"), "not a PDF");
    let doc = lopdf::Document::load_mem(body).expect("a parseable PDF");
    assert_eq!(doc.get_pages().len(), 1);
    doc.extract_text(&[1]).unwrap()
}

#[tokio::test]
async fn media_token_opens_the_invoice_pdf() {
    let m = start().await;
    let access = m.access_token("alice@example.com", None).await;
    let jwt = media_jwt(&m, &access).await;
    let c = claims_of(&jwt);
    assert_eq!(
        (c["typ"].as_str(), c["sub"].as_str()),
        (Some("media"), Some("alice@example.com"))
    );
    let life = c["exp"].as_u64().unwrap() - c["iat"].as_u64().unwrap();
    assert!(
        (60..=61).contains(&life),
        "60 s by default (whole seconds): {life}"
    );
    assert!(c["jti"].is_string());

    let r = m.get(&pdf_path("INV-42", &jwt)).await;
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.header("content-type"), Some("application/pdf"));
    assert_eq!(
        r.header("content-disposition"),
        Some("inline; filename=\"invoice-INV-42.pdf\"")
    );
    assert_eq!(r.header("cache-control"), Some("no-store"));
    let text = pdf_text(&r.body);
    assert!(
        text.contains("Invoice INV-42 for alice@example.com"),
        "{text}"
    );
    assert!(text.contains("Alice Martin"), "{text}");
    assert_eq!(
        m.get(&pdf_path("7", &jwt)).await.status,
        200,
        "reusable until it expires"
    );

    let erin = m.access_token("erin@example.com", Some("erin-tab")).await;
    let r = m.get(&pdf_path("43", &media_jwt(&m, &erin).await)).await;
    assert!(pdf_text(&r.body).contains("Invoice 43 for erin@example.com"));

    let s = m.stats().await;
    assert_eq!(
        (s["media"].clone(), s["mediaFile"].clone()),
        (json!(2), json!(3))
    );
    let log = m.get("/mock/requests").await.json();
    let logged = log
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["path"] == "/api/public/billing/invoices/INV-42/pdf");
    assert_eq!(
        logged.unwrap()["query"],
        "t=***",
        "the media token is masked in the log"
    );
}

#[tokio::test]
async fn media_token_needs_a_valid_bearer() {
    let m = start().await;
    assert_eq!(m.get(MEDIA).await.status, 401);
    assert_eq!(m.get_bearer(MEDIA, "not-a-jwt").await.status, 401);
    let one_time = m.one_time_jwt("alice@example.com", "ok").await;
    let r = m.get_bearer(MEDIA, &one_time).await;
    assert_eq!(r.status, 401, "a one-time JWT is not a bearer");
    assert_eq!(
        r.json()["Message"],
        "Authorization has been denied for this request."
    );
    assert_eq!(m.stats().await["media"], 0);
}

#[tokio::test]
async fn the_file_refuses_a_missing_foreign_or_wrong_type_token() {
    let m = start().await;
    let access = m.access_token("alice@example.com", None).await;
    let jwt = media_jwt(&m, &access).await;
    assert_eq!(
        m.get("/api/public/billing/invoices/1/pdf").await.status,
        401,
        "no t"
    );
    assert_eq!(m.get(&pdf_path("1", "")).await.status, 401, "empty t");
    assert_eq!(
        m.get(&pdf_path("1", &access)).await.status,
        401,
        "an access token is not a media token"
    );
    let one_time = m.one_time_jwt("alice@example.com", "ok").await;
    assert_eq!(
        m.get(&pdf_path("1", &one_time)).await.status,
        401,
        "typ one-time"
    );
    // The same claims signed with another key.
    let forged = encode(
        &Header::default(),
        &claims_of(&jwt),
        &EncodingKey::from_secret(b"guess"),
    )
    .unwrap();
    assert_eq!(
        m.get(&pdf_path("1", &forged)).await.status,
        401,
        "foreign signature"
    );
    let mut tampered: Value = claims_of(&jwt);
    tampered["sub"] = json!("bob@example.com");
    let parts: Vec<&str> = jwt.split('.').collect();
    let body = encode(
        &Header::default(),
        &tampered,
        &EncodingKey::from_secret(b"x"),
    )
    .unwrap();
    let spliced = format!(
        "{}.{}.{}",
        parts[0],
        body.split('.').nth(1).unwrap(),
        parts[2]
    );
    assert_eq!(
        m.get(&pdf_path("1", &spliced)).await.status,
        401,
        "tampered payload"
    );
    for bad_id in ["a.b", "%2e%2e", "x%20y", &"9".repeat(33)] {
        let r = m.get(&pdf_path(bad_id, &jwt)).await;
        assert_eq!(r.status, 404, "{bad_id}");
    }
    assert_eq!(
        m.get(&pdf_path("1", &jwt)).await.status,
        200,
        "the real one still works"
    );
    assert_eq!(m.post_json("/mock/reset", &json!({})).await.status, 200);
    assert_eq!(
        m.get(&pdf_path("1", &jwt)).await.status,
        401,
        "a new key after /mock/reset"
    );
    assert_eq!(m.stats().await["mediaFile"], 0);
}

#[tokio::test]
async fn an_expired_media_token_is_refused() {
    let m = start().await;
    let r = m
        .post_json("/mock/config", &json!({"mediaTokenTtlSeconds": 1}))
        .await;
    assert_eq!(r.json()["mediaTokenTtlSeconds"], 1);
    let access = m.access_token("alice@example.com", None).await;
    let jwt = media_jwt(&m, &access).await;
    let exp = claims_of(&jwt)["exp"].as_u64().unwrap();
    assert!(exp - claims_of(&jwt)["iat"].as_u64().unwrap() <= 2);
    assert_eq!(m.get(&pdf_path("1", &jwt)).await.status, 200);
    let now = || {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs_f64()
    };
    let wait = (exp as f64 - now()).max(0.0) + 0.05;
    tokio::time::sleep(Duration::from_secs_f64(wait)).await;
    let r = m.get(&pdf_path("1", &jwt)).await;
    assert_eq!(r.status, 401, "dead from its exp second on");
    assert_eq!(
        r.json()["Message"],
        "Authorization has been denied for this request."
    );
}
