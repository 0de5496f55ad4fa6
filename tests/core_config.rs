#![cfg(not(target_arch = "wasm32"))]
//! Config validation: defaults and one specific message per failure.

use nexudus_auth::core::config::{Config, ConfigInput};
use nexudus_auth::core::error::CoreError;

fn input() -> ConfigInput {
    ConfigInput {
        base_url: Some("https://acme.spaces.nexudus.com/".into()),
        ..ConfigInput::default()
    }
}

fn err(i: ConfigInput) -> &'static str {
    match Config::new(i) {
        Err(CoreError::InvalidConfig(m)) => m,
        Err(other) => panic!("expected InvalidConfig, got {other:?}"),
        Ok(_) => panic!("expected an error"),
    }
}

#[test]
fn defaults() {
    let c = Config::new(input()).unwrap();
    assert_eq!(c.base_url.as_str(), "https://acme.spaces.nexudus.com");
    assert_eq!(c.portal_url.as_str(), "https://acme.spaces.nexudus.com");
    assert_eq!(c.client_id, None);
    assert_eq!(c.business_id, None);
    assert_eq!(c.storage_key, "nexudus-auth");
    assert_eq!(c.token_lifetime_minutes, 1440);
    assert_eq!(c.refresh_leeway_ms, 60_000.0);
    assert!(c.auto_refresh);
    assert_eq!(c.timeout_ms, 15_000);
    assert!(c.allowed_redirect_origins.is_empty());
}

#[test]
fn everything_set() {
    let c = Config::new(ConfigInput {
        base_url: Some("http://127.0.0.1:18787".into()),
        portal_url: Some("https://portal.example.com/".into()),
        client_id: Some("my-app".into()),
        business_id: Some(12.0),
        storage_key: Some("k".into()),
        token_lifetime_minutes: Some(43_200.0),
        refresh_leeway_seconds: Some(0.5),
        auto_refresh: Some(false),
        timeout_ms: Some(100.0),
        allowed_redirect_origins: vec!["HTTPS://Shop.example.com:443/".into()],
    })
    .unwrap();
    assert_eq!(c.base_url.as_str(), "http://127.0.0.1:18787");
    assert_eq!(c.portal_url.origin(), "https://portal.example.com");
    assert_eq!(c.client_id.as_deref(), Some("my-app"));
    assert_eq!(c.business_id, Some(12.0));
    assert_eq!(c.storage_key, "k");
    assert_eq!(c.token_lifetime_minutes, 43_200);
    assert_eq!(c.refresh_leeway_ms, 500.0);
    assert!(!c.auto_refresh);
    assert_eq!(c.timeout_ms, 100);
    assert_eq!(c.allowed_redirect_origins, ["https://shop.example.com"]);
}

#[test]
fn failures_name_the_option() {
    let m = err(ConfigInput::default());
    assert_eq!(m, "baseUrl is required");
    let m = err(ConfigInput {
        base_url: Some("  ".into()),
        ..input()
    });
    assert_eq!(m, "baseUrl is required");
    for bad in [
        "http://acme.com",
        "acme.com",
        "https://a.com?x",
        "https://u@a.com",
    ] {
        assert!(err(ConfigInput {
            base_url: Some(bad.into()),
            ..input()
        })
        .starts_with("baseUrl "));
    }
    assert!(err(ConfigInput {
        portal_url: Some("ftp://x".into()),
        ..input()
    })
    .starts_with("portalUrl "));
    for c in ["", "  ", "a\nb"] {
        assert!(err(ConfigInput {
            client_id: Some(c.into()),
            ..input()
        })
        .starts_with("clientId "));
    }
    for b in [0.0, -1.0, 1.5, f64::NAN, f64::INFINITY, 1e300] {
        assert_eq!(
            err(ConfigInput {
                business_id: Some(b),
                ..input()
            }),
            "businessId must be a positive integer"
        );
    }
    assert!(err(ConfigInput {
        storage_key: Some(String::new()),
        ..input()
    })
    .starts_with("storageKey "));
    for l in [0.0, 43_201.0, 1.5, -5.0, f64::NAN] {
        assert!(err(ConfigInput {
            token_lifetime_minutes: Some(l),
            ..input()
        })
        .starts_with("tokenLifetimeMinutes "));
    }
    for l in [-1.0, 3600.5, f64::NAN, f64::INFINITY] {
        assert!(err(ConfigInput {
            refresh_leeway_seconds: Some(l),
            ..input()
        })
        .starts_with("refreshLeewaySeconds "));
    }
    for t in [99.0, 120_001.0, 1000.5, f64::NAN] {
        assert!(err(ConfigInput {
            timeout_ms: Some(t),
            ..input()
        })
        .starts_with("timeoutMs "));
    }
    for o in [
        "shop.example.com",
        "https://shop.example.com/path",
        "javascript:x",
    ] {
        assert!(err(ConfigInput {
            allowed_redirect_origins: vec![o.into()],
            ..input()
        })
        .starts_with("allowedRedirectOrigins "));
    }
    // Edges that are fine.
    assert!(Config::new(ConfigInput {
        refresh_leeway_seconds: Some(3600.0),
        timeout_ms: Some(120_000.0),
        token_lifetime_minutes: Some(1.0),
        ..input()
    })
    .is_ok());
}
