//! `nexudus-mock` binary: parses arguments, binds loopback, prints the banner, serves until
//! SIGINT/SIGTERM.

use std::io::Write as _;
use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::process::ExitCode;

use nexudus_mock::state::{BOB_TOTP_SECRET, PASSWORD};
use nexudus_mock::Config;

const USAGE: &str = "usage: nexudus-mock [--port N (default 8787, env NEXUDUS_MOCK_PORT)] \
[--host 127.0.0.1] [--www DIR (default www)] [--pkg DIR (default pkg)] [--access-ttl SECS (default 3600)]";

struct Args {
    host: IpAddr,
    port: u16,
    config: Config,
}

fn parse_args() -> Result<Args, String> {
    let mut port: u16 = match std::env::var("NEXUDUS_MOCK_PORT") {
        Ok(p) if !p.trim().is_empty() => p
            .trim()
            .parse()
            .map_err(|_| format!("NEXUDUS_MOCK_PORT={p:?} is not a port"))?,
        _ => 8787,
    };
    let mut host: IpAddr = [127, 0, 0, 1].into();
    let mut config = Config {
        www: Some(PathBuf::from("www")),
        pkg: Some(PathBuf::from("pkg")),
        ..Config::default()
    };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        let (name, inline) = match arg.split_once('=') {
            Some((n, v)) if n.starts_with("--") => (n.to_owned(), Some(v.to_owned())),
            _ => (arg.clone(), None),
        };
        if name == "-h" || name == "--help" {
            return Err(String::new());
        }
        let mut value = || {
            inline
                .clone()
                .or_else(|| it.next())
                .ok_or(format!("{name} needs a value"))
        };
        match name.as_str() {
            "--port" => {
                port = value()?
                    .parse()
                    .map_err(|_| "--port must be 0-65535".to_owned())?
            }
            "--host" => {
                host = value()?
                    .parse()
                    .map_err(|_| "--host must be an IP address".to_owned())?
            }
            "--www" => config.www = Some(PathBuf::from(value()?)),
            "--pkg" => config.pkg = Some(PathBuf::from(value()?)),
            "--access-ttl" => {
                config.access_ttl = value()?
                    .parse()
                    .ok()
                    .filter(|n| *n >= 1)
                    .ok_or("--access-ttl must be an integer >= 1")?;
            }
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    if !host.is_loopback() {
        return Err(format!(
            "--host {host} is not a loopback address; the mock binds loopback only"
        ));
    }
    Ok(Args { host, port, config })
}

fn banner(addr: SocketAddr) -> String {
    let mut s = format!("nexudus-mock listening on http://{addr}\n");
    s.push_str(&format!("Demo users (password for all: {PASSWORD}):\n"));
    let rows = [
        ("alice@example.com", "plain password user (Alice Martin)"),
        (
            "bob@example.com",
            "TOTP 2FA; current code on /mock/users and in the demo page",
        ),
        (
            "carol@example.com",
            "must reset password; the reset link lands in /mock/outbox",
        ),
        ("dave@example.com", "suspended: sign-in always fails"),
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
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            if !e.is_empty() {
                eprintln!("nexudus-mock: {e}");
            }
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
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
    for (flag, dir) in [("--www", &args.config.www), ("--pkg", &args.config.pkg)] {
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
    match nexudus_mock::serve_with_shutdown(listener, args.config, shutdown_signal()).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("nexudus-mock: {e}");
            ExitCode::from(1)
        }
    }
}
