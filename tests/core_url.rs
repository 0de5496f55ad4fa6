#![cfg(not(target_arch = "wasm32"))]
//! Percent-encoding parity with JS, BaseUrl validation, URL builders and redirect checks.

use nexudus_auth::core::error::{CoreError, ErrorCode};
use nexudus_auth::core::url::{
    authenticated_link_url, check_redirect, encode_component, encode_form, exchange_path,
    normalize_origin, portal_login_url, BaseUrl, ONE_TIME_TOKEN_PATH,
};

#[test]
fn encode_component_matches_js() {
    // Expected values are what `encodeURIComponent` returns in a browser.
    let cases = [
        ("", ""),
        ("abcXYZ019", "abcXYZ019"),
        ("-_.!~*'()", "-_.!~*'()"),
        ("a b&c=d/e?f#g", "a%20b%26c%3Dd%2Fe%3Ff%23g"),
        (
            "+%@:;,$[]{}|^`\"<>\\",
            "%2B%25%40%3A%3B%2C%24%5B%5D%7B%7D%7C%5E%60%22%3C%3E%5C",
        ),
        ("é", "%C3%A9"),
        ("€", "%E2%82%AC"),
        ("😀", "%F0%9F%98%80"),
        ("\u{0}\n\u{7f}", "%00%0A%7F"),
        ("eyJhbGciOi.eyJzdWIi.sig-_=", "eyJhbGciOi.eyJzdWIi.sig-_%3D"),
        (
            "https://x.com/p?q=1&r=2#f",
            "https%3A%2F%2Fx.com%2Fp%3Fq%3D1%26r%3D2%23f",
        ),
    ];
    for (input, expected) in cases {
        assert_eq!(encode_component(input), expected, "{input:?}");
    }
}

#[test]
fn encode_form_matches_url_search_params() {
    // new URLSearchParams([["a b","*-._~!'()"],["é","+&="]]).toString()
    assert_eq!(
        encode_form(&[("a b", "*-._~!'()"), ("é", "+&=")]),
        "a+b=*-._%7E%21%27%28%29&%C3%A9=%2B%26%3D"
    );
    assert_eq!(encode_form(&[]), "");
    assert_eq!(encode_form(&[("k", "")]), "k=");
    assert_eq!(encode_form(&[("p", "Passw0rd!")]), "p=Passw0rd%21");
}

fn cfg_err(r: Result<BaseUrl, CoreError>) -> &'static str {
    match r {
        Err(CoreError::InvalidConfig(m)) => m,
        other => panic!("expected InvalidConfig, got {other:?}"),
    }
}

#[test]
fn base_url_accepts_and_normalises() {
    let cases = [
        (
            "https://acme.spaces.nexudus.com",
            "https://acme.spaces.nexudus.com",
            "https://acme.spaces.nexudus.com",
        ),
        (
            "https://acme.spaces.nexudus.com/",
            "https://acme.spaces.nexudus.com",
            "https://acme.spaces.nexudus.com",
        ),
        (
            "HTTPS://ACME.Spaces.nexudus.com:443//",
            "https://acme.spaces.nexudus.com",
            "https://acme.spaces.nexudus.com",
        ),
        (
            "https://api.rebilly.com/organizations/org-1/",
            "https://api.rebilly.com/organizations/org-1",
            "https://api.rebilly.com",
        ),
        (
            "https://x.com:8443/base",
            "https://x.com:8443/base",
            "https://x.com:8443",
        ),
        ("  https://x.com  ", "https://x.com", "https://x.com"),
        (
            "http://localhost:8787",
            "http://localhost:8787",
            "http://localhost:8787",
        ),
        (
            "http://127.0.0.1:18787/",
            "http://127.0.0.1:18787",
            "http://127.0.0.1:18787",
        ),
        ("http://127.1.2.3", "http://127.1.2.3", "http://127.1.2.3"),
        (
            "http://[::1]:8080/x",
            "http://[::1]:8080/x",
            "http://[::1]:8080",
        ),
        (
            "http://localhost:80",
            "http://localhost",
            "http://localhost",
        ),
        (
            "https://[2001:db8::1]",
            "https://[2001:db8::1]",
            "https://[2001:db8::1]",
        ),
    ];
    for (input, url, origin) in cases {
        let b = BaseUrl::parse(input).unwrap_or_else(|e| panic!("{input}: {e:?}"));
        assert_eq!(b.as_str(), url, "{input}");
        assert_eq!(b.origin(), origin, "{input}");
    }
    let b = BaseUrl::parse("https://x.com/base/").unwrap();
    assert_eq!(b.join("/api/token"), "https://x.com/base/api/token");
    assert_eq!(b.join("api/token"), "https://x.com/base/api/token");
}

#[test]
fn base_url_rejects() {
    for bad in [
        "",
        "acme.spaces.nexudus.com",
        "//acme.com",
        "ftp://acme.com",
        "javascript:alert(1)",
        "http://acme.com",
        "http://128.0.0.1",
        "http://127.0.0.1.evil.com",
        "http://localhost.evil.com",
        "http://[::2]",
        "https://",
        "https:///path",
        "https://acme.com?x=1",
        "https://acme.com/p?x=1",
        "https://acme.com#f",
        "https://user:pw@acme.com",
        "https://@acme.com",
        "https://acme.com:",
        "https://acme.com:99999",
        "https://acme.com:8a",
        "https://ac me.com",
        "https://acme.com\\@evil.com",
        "https://acmé.com",
        "https://acme..com",
        "https://.acme.com",
        "https://acme.com/a b",
        "https://acme.com/a\nb",
        "https://[::1",
    ] {
        let m = cfg_err(BaseUrl::parse(bad));
        assert!(!m.is_empty(), "{bad}");
    }
}

#[test]
fn builders() {
    assert_eq!(
        exchange_path("a.b+c/d=", 1440),
        "/api/sys/users/exchange?token=a.b%2Bc%2Fd%3D&validForInMinutes=1440"
    );
    assert_eq!(ONE_TIME_TOKEN_PATH, "/api/sys/users/token/refresh");
    assert_eq!(
        authenticated_link_url("https://portal.x.com/", "t+1", "/invoices?id=2&x=é"),
        "https://portal.x.com/user/login?server=true&t=t%2B1&redirectUrl=%2Finvoices%3Fid%3D2%26x%3D%C3%A9"
    );
    assert_eq!(
        portal_login_url("https://portal.x.com//", "abc", None),
        "https://portal.x.com/login?t=abc"
    );
    assert_eq!(
        portal_login_url(
            "https://portal.x.com",
            "abc",
            Some("https://portal.x.com/a b")
        ),
        "https://portal.x.com/login?t=abc&redirectUrl=https%3A%2F%2Fportal.x.com%2Fa%20b"
    );
}

#[test]
fn redirect_checks() {
    let portal = BaseUrl::parse("https://Portal.Example.com/members").unwrap();
    let allowed = vec![
        String::from("https://shop.example.com/"),
        String::from("http://localhost:3000"),
        String::from("not a url"),
    ];
    for ok in [
        "/",
        "/portal/home",
        "/a?b=c#d",
        "/a//b",
        "/with space",
        "https://portal.example.com",
        "https://PORTAL.example.com:443/x?y#z",
        "HTTPS://portal.example.com/",
        "https://portal.example.com#@evil.com",
        "https://shop.example.com/cart",
        "http://localhost:3000/cb",
    ] {
        assert!(check_redirect(&portal, &allowed, ok).is_ok(), "{ok}");
    }
    for bad in [
        "",
        "//evil.com",
        "/\\evil.com",
        "\\\\evil.com",
        "/\t/evil.com",
        "/a\nb",
        " /x",
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        "data:text/html,<script>",
        "https://evil.com",
        "https://portal.example.com.evil.com",
        "https://portal.example.com@evil.com",
        "https://user@portal.example.com",
        "https://portal.example.com:8443",
        "http://portal.example.com",
        "https:evil.com",
        "https:/evil.com",
        "https:\\\\evil.com",
        "portal/home",
        "evil.com",
        "ftp://portal.example.com",
        "http://localhost:3001",
        "https://not a url",
    ] {
        match check_redirect(&portal, &allowed, bad) {
            Err(e @ CoreError::InvalidConfig(m)) => {
                assert_eq!(m, "redirectUrl must stay on the portal's origin");
                assert_eq!(e.code(), ErrorCode::InvalidConfig);
            }
            other => panic!("{bad:?} → {other:?}"),
        }
    }
}

#[test]
fn normalize_origin_cases() {
    assert_eq!(
        normalize_origin("HTTPS://A.com:443/").as_deref(),
        Some("https://a.com")
    );
    assert_eq!(
        normalize_origin("https://a.com:444").as_deref(),
        Some("https://a.com:444")
    );
    assert_eq!(normalize_origin("https://a.com/path"), None);
    assert_eq!(normalize_origin("http://a.com"), None);
}
