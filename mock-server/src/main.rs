//! `nexudus-mock` binary: parses arguments, binds loopback, prints the banner, serves until
//! SIGINT/SIGTERM.

use std::io::Write as _;
use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;
use nexudus_mock::users::{BOB_TOTP_SECRET, PASSWORD};
use nexudus_mock::Config;

/// Local mock of the Nexudus and Rebilly HTTP APIs for the nexudus-auth demo and tests.
#[derive(Parser, Debug)]
#[command(name = "nexudus-mock", version)]
struct Args {
    /// Port to listen on (0 picks a free one).
    #[arg(long, env = "NEXUDUS_MOCK_PORT", default_value_t = 8787)]
    port: u16,
    /// Loopback address to bind (the mock refuses any other).
    #[arg(long, default_value = "127.0.0.1", value_parser = loopback)]
    host: IpAddr,
    /// Directory served at `/` (the demo page).
    #[arg(long, default_value = "www")]
    www: PathBuf,
    /// Directory served at `/pkg/` (the built npm package).
    #[arg(long, default_value = "pkg")]
    pkg: PathBuf,
    /// Default access-token lifetime in seconds.
    #[arg(long, default_value_t = 3600, value_parser = clap::value_parser!(u64).range(1..))]
    access_ttl: u64,
}

fn loopback(s: &str) -> Result<IpAddr, String> {
    let host: IpAddr = s
        .parse()
        .map_err(|_| format!("{s:?} is not an IP address"))?;
    if host.is_loopback() {
        Ok(host)
    } else {
        Err(format!(
            "{host} is not a loopback address; the mock binds loopback only"
        ))
    }
}

fn banner(addr: SocketAddr) -> String {
    let mut s = format!("nexudus-mock listening on http://{addr}\n");
    s.push_str(&format!("Demo users (password for all: {PASSWORD}):\n"));
    let rows = [
        (
            "alice@example.com",
            "plain password user (Alice Martin); team admin of erin and frank",
        ),
        (
            "bob@example.com",
            "TOTP 2FA; current code on /mock/users and in the demo page",
        ),
        (
            "carol@example.com",
            "must reset password; the reset link lands in /mock/outbox",
        ),
        ("dave@example.com", "suspended: sign-in always fails"),
        ("erin@example.com", "plain password; member of alice's team"),
        (
            "frank@example.com",
            "plain password; member of alice's team",
        ),
    ];
    s.push_str(&format!(
        "  {:<19} {:<10} {}\n",
        "email", "password", "note"
    ));
    for (email, note) in rows {
        s.push_str(&format!("  {email:<19} {PASSWORD:<10} {note}\n"));
    }
    s.push_str(&format!(
        "  (bob's TOTP secret: {BOB_TOTP_SECRET}, SHA1, 6 digits, 30 s)\n"
    ));
    s.push_str(&format!("Outbox: http://{addr}/mock/outbox\n"));
    s
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = Args::parse();
    let config = Config {
        www: Some(args.www),
        pkg: Some(args.pkg),
        access_ttl: args.access_ttl,
    };
    let listener = match tokio::net::TcpListener::bind((args.host, args.port)).await {
        Ok(l) => l,
        Err(e) => {
            eprintln!("nexudus-mock: cannot bind {}:{}: {e}", args.host, args.port);
            return ExitCode::from(1);
        }
    };
    let addr = listener
        .local_addr()
        .unwrap_or(SocketAddr::new(args.host, args.port));
    for (flag, dir) in [("--www", &config.www), ("--pkg", &config.pkg)] {
        if let Some(d) = dir.as_ref().filter(|d| !d.is_dir()) {
            eprintln!(
                "nexudus-mock: note: {flag} {} does not exist (yet)",
                d.display()
            );
        }
    }
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(banner(addr).as_bytes());
    let _ = out.flush();
    drop(out);
    match nexudus_mock::serve_with_shutdown(listener, config, shutdown_signal()).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("nexudus-mock: {e}");
            ExitCode::from(1)
        }
    }
}
