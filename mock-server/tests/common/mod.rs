//! Test harness: starts the mock in-process on an ephemeral port and talks to it with a minimal
//! hyper HTTP/1.1 client (one connection per request, so a dropped connection is visible).
#![allow(dead_code)]

use std::net::SocketAddr;

use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper::{HeaderMap, Request};
use hyper_util::rt::TokioIo;
use nexudus_mock::Config;
use serde_json::Value;

/// A running mock.
pub struct Mock {
    pub addr: SocketAddr,
}

/// A buffered response.
#[derive(Debug)]
pub struct Resp {
    pub status: u16,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
}

impl Resp {
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&self.body)))
    }
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

pub async fn start() -> Mock {
    start_with(Config::default()).await
}

pub async fn start_with(config: Config) -> Mock {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(nexudus_mock::serve(listener, config));
    Mock { addr }
}

pub const FORM: (&str, &str) = ("content-type", "application/x-www-form-urlencoded");
pub const JSON: (&str, &str) = ("content-type", "application/json");

impl Mock {
    /// Sends one request on a fresh connection; `Err` on a transport failure.
    pub async fn try_send(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: impl Into<Vec<u8>>,
    ) -> Result<Resp, String> {
        let stream = tokio::net::TcpStream::connect(self.addr)
            .await
            .map_err(|e| e.to_string())?;
        let (mut sender, conn) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
            .await
            .map_err(|e| e.to_string())?;
        tokio::spawn(conn);
        let mut req = Request::builder()
            .method(method)
            .uri(path)
            .header("host", self.addr.to_string());
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        let req = req.body(Full::new(Bytes::from(body.into()))).unwrap();
        let resp = sender.send_request(req).await.map_err(|e| e.to_string())?;
        let status = resp.status().as_u16();
        let headers = resp.headers().clone();
        let body = resp
            .into_body()
            .collect()
            .await
            .map_err(|e| e.to_string())?
            .to_bytes()
            .to_vec();
        Ok(Resp {
            status,
            headers,
            body,
        })
    }

    pub async fn send(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: impl Into<Vec<u8>>,
    ) -> Resp {
        self.try_send(method, path, headers, body)
            .await
            .unwrap_or_else(|e| panic!("{method} {path}: {e}"))
    }

    pub async fn get(&self, path: &str) -> Resp {
        self.send("GET", path, &[], Vec::new()).await
    }

    pub async fn get_with(&self, path: &str, headers: &[(&str, &str)]) -> Resp {
        self.send("GET", path, headers, Vec::new()).await
    }

    /// `GET` with `Authorization: Bearer <token>`.
    pub async fn get_bearer(&self, path: &str, token: &str) -> Resp {
        let auth = format!("Bearer {token}");
        self.get_with(path, &[("authorization", &auth)]).await
    }

    /// Signs `email` in and returns the access token.
    pub async fn access_token(&self, email: &str, client_id: Option<&str>) -> String {
        let t = self.signed_in(email, client_id).await;
        t["access_token"].as_str().unwrap().to_owned()
    }

    pub async fn post(&self, path: &str, headers: &[(&str, &str)], body: &str) -> Resp {
        self.send("POST", path, headers, body.as_bytes().to_vec())
            .await
    }

    pub async fn post_json(&self, path: &str, body: &Value) -> Resp {
        self.post(path, &[JSON], &body.to_string()).await
    }

    pub async fn post_form(
        &self,
        path: &str,
        client_id: Option<&str>,
        form: &[(&str, &str)],
    ) -> Resp {
        let body: String = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(form)
            .finish();
        let mut headers = vec![FORM];
        if let Some(c) = client_id {
            headers.push(("client_id", c));
        }
        self.post(path, &headers, &body).await
    }

    /// Password grant.
    pub async fn sign_in(&self, email: &str, client_id: Option<&str>) -> Resp {
        let form = [
            ("grant_type", "password"),
            ("username", email),
            ("password", "Passw0rd!"),
        ];
        self.post_form("/api/token", client_id, &form).await
    }

    /// Password grant that must succeed; returns the token response.
    pub async fn signed_in(&self, email: &str, client_id: Option<&str>) -> Value {
        let r = self.sign_in(email, client_id).await;
        assert_eq!(r.status, 200, "{}", r.text());
        r.json()
    }

    /// Refresh grant.
    pub async fn refresh(&self, refresh_token: &str, client_id: Option<&str>) -> Resp {
        let form = [
            ("grant_type", "refresh_token"),
            ("refresh_token", refresh_token),
        ];
        self.post_form("/api/token", client_id, &form).await
    }

    pub async fn stats(&self) -> Value {
        self.get("/mock/stats").await.json()
    }

    pub async fn fault(&self, fault: Value) {
        let r = self.post_json("/mock/faults", &fault).await;
        assert_eq!(r.status, 200, "{}", r.text());
    }

    pub async fn one_time_jwt(&self, email: &str, variant: &str) -> String {
        let r = self
            .post_json(
                "/mock/one-time-jwt",
                &serde_json::json!({"email": email, "variant": variant}),
            )
            .await;
        assert_eq!(r.status, 200, "{}", r.text());
        r.json()["token"].as_str().unwrap().to_owned()
    }
}

/// `application/x-www-form-urlencoded` encoding of one component.
pub fn enc(s: &str) -> String {
    form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

/// The claims of a JWT, read without checking its signature (to look at what the mock issued).
pub fn claims_of(token: &str) -> Value {
    jsonwebtoken::dangerous::insecure_decode::<Value>(token)
        .unwrap_or_else(|e| panic!("not a JWT ({e}): {token}"))
        .claims
}
