//! `serve`: the HTTP API and the dashboard on one address (default 127.0.0.1:8080). The write
//! token comes from `LOCATIEADVIES_TOKEN` or `--token-file`; without one every write is refused.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use super::{EXIT_FAILURE, EXIT_INVALID, world_or_report};
use crate::config::SourceOptions;
use crate::diag::Diagnostics;
use crate::register::default_path;
use crate::render::templates::Templates;
use crate::server::{AppState, Config, serve};

/// Arguments of `serve`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The address to listen on; port 0 picks a free port (printed at start).
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub bind: SocketAddr,
    /// The register file (SQLite), as for `case --db`.
    #[arg(long, value_name = "PATH")]
    pub db: Option<PathBuf>,
    /// A file whose first line is the write token (instead of `LOCATIEADVIES_TOKEN`).
    #[arg(long, value_name = "FILE")]
    pub token_file: Option<PathBuf>,
    /// The longest a request may take, in seconds (503 after it).
    #[arg(long, default_value_t = 30.0, value_parser = positive)]
    pub timeout: f64,
    /// The largest request body, in bytes (413 above it).
    #[arg(long, default_value_t = 1_048_576)]
    pub max_body: usize,
}

fn positive(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(x) if x.is_finite() && x > 0.0 && x <= 86_400.0 => Ok(x),
        _ => Err(format!("`{s}` is not a number of seconds from 0 to 86400")),
    }
}

/// The write token: `--token-file` (its first line), else `LOCATIEADVIES_TOKEN`; an empty token
/// is no token. A token file that cannot be read is an error.
fn token(args: &Args) -> Result<Option<String>, String> {
    let raw = match &args.token_file {
        Some(f) => std::fs::read_to_string(f)
            .map_err(|e| format!("cannot read the token file {}: {e}", f.display()))?
            .lines()
            .next()
            .unwrap_or("")
            .to_string(),
        None => std::env::var("LOCATIEADVIES_TOKEN").unwrap_or_default(),
    };
    let t = raw.trim().to_string();
    if !t.is_empty() && t.len() < 16 {
        return Err("the write token is shorter than 16 characters; use a long random one (for example `openssl rand -hex 32`)".into());
    }
    Ok((!t.is_empty()).then_some(t))
}

/// Runs `serve`.
pub fn run(args: &Args, opts: &SourceOptions) -> u8 {
    let token = match token(args) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("error: {e}");
            return EXIT_INVALID;
        }
    };
    let world = match world_or_report(opts) {
        Ok(w) => w,
        Err(code) => return code,
    };
    let engine = match super::engine(world, opts) {
        Ok(e) => e,
        Err(code) => return code,
    };
    let mut diags = Diagnostics::default();
    let Some(templates) = Templates::load(opts.templates.as_deref(), &mut diags) else {
        eprint!("{}", diags.render());
        return EXIT_INVALID;
    };
    let config = Config {
        db: args.db.clone().unwrap_or_else(default_path),
        token,
        timeout: Duration::from_secs_f64(args.timeout),
        max_body: args.max_body,
    };
    let writes = config.token.is_some();
    let state = match AppState::new(engine, templates, config) {
        Ok(s) => Arc::new(s),
        Err(e) => {
            eprintln!("error: {e}");
            return EXIT_FAILURE;
        }
    };
    match runtime_serve(args.bind, state, writes) {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("error: {e}");
            EXIT_FAILURE
        }
    }
}

fn runtime_serve(bind: SocketAddr, state: Arc<AppState>, writes: bool) -> std::io::Result<()> {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    rt.block_on(async move {
        let listener = tokio::net::TcpListener::bind(bind)
            .await
            .map_err(|e| std::io::Error::new(e.kind(), format!("cannot listen on {bind}: {e}")))?;
        let addr = listener.local_addr()?;
        // The first line on stdout is the address, so that scripts and tests can find the port.
        println!("listening on http://{addr}");
        if !writes {
            eprintln!(
                "note: no write token (LOCATIEADVIES_TOKEN or --token-file): every write is refused"
            );
        }
        serve(listener, state).await
    })
}
