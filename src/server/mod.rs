//! `serve`: the HTTP API (`/api/`) and the dashboard (`/`) over the same library calls as the
//! command line. The world, the advice engine, the fit of the published figures and the
//! estimated baseline of every year are built once at start and shared by every request; the
//! register is one SQLite connection behind a mutex. Reads are open; every write needs the
//! bearer token, and without a configured token every write is refused.

mod api;
mod dashboard;
pub mod openapi;
mod problem;

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::extract::{FromRequest, Request, State as AxumState};
use axum::http::{HeaderMap, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::Response;
use serde::de::DeserializeOwned;

pub use problem::Problem;

use crate::advice::Engine;
use crate::register::Register;
use crate::render::templates::Templates;
use crate::spreading::annual;
use crate::spreading::baseline::fit::{Fitted, fit};
use crate::spreading::baseline::{Baseline, estimate};

/// How the server runs.
#[derive(Debug, Clone)]
pub struct Config {
    /// The register file.
    pub db: PathBuf,
    /// The bearer token every write needs; `None` refuses every write.
    pub token: Option<String>,
    /// Longest time a request may take before it is answered with 503.
    pub timeout: Duration,
    /// Largest request body in bytes (413 above it).
    pub max_body: usize,
}

/// What every request shares.
pub struct AppState {
    pub engine: Engine,
    pub templates: Templates,
    pub fitted: Fitted,
    /// The estimated baseline of every year with a published national total.
    pub baselines: BTreeMap<i32, Baseline>,
    /// Per year, the label of each province's figure (published or fitted), from the annual
    /// report of the baselines: the same for every request, so made once.
    pub province_labels: BTreeMap<i32, BTreeMap<String, &'static str>>,
    pub register: Mutex<Register>,
    pub config: Config,
}

/// The shared state of the handlers.
pub type Shared = Arc<AppState>;

impl AppState {
    /// Builds the state: fits the published figures and estimates every year with a published
    /// national total, and opens (or creates) the register.
    pub fn new(engine: Engine, templates: Templates, config: Config) -> Result<AppState, String> {
        let fitted = fit(&engine.world)?;
        let mut baselines = BTreeMap::new();
        for year in engine.world.published.total_years() {
            baselines.insert(year, estimate(&engine.world, &fitted, year)?);
        }
        let province_labels = baselines
            .iter()
            .map(|(year, cur)| {
                let prev = baselines.get(&(year - 1));
                let r = annual::build(&engine.world, prev, cur, Some(&fitted), Vec::new());
                let labels = r
                    .provinces
                    .iter()
                    .map(|l| (l.key.clone(), l.label))
                    .collect();
                (*year, labels)
            })
            .collect();
        let register = Register::open(&config.db).map_err(|e| e.to_string())?;
        Ok(AppState {
            engine,
            templates,
            fitted,
            baselines,
            province_labels,
            register: Mutex::new(register),
            config,
        })
    }

    /// Runs `f` with the register locked; a poisoned lock (a panic in another request) is a
    /// server error rather than a second panic.
    pub fn with_register<T>(
        &self,
        f: impl FnOnce(&mut Register) -> Result<T, Problem>,
    ) -> Result<T, Problem> {
        let mut r = self.register.lock().map_err(|_| {
            Problem::internal("the register is unavailable after an earlier failure")
        })?;
        f(&mut r)
    }

    /// Checks the bearer token of a write: 401 without or with a wrong token, 403 when the
    /// server has no token configured (writes are then refused altogether).
    pub fn authorise(&self, headers: &HeaderMap) -> Result<(), Problem> {
        let Some(token) = &self.config.token else {
            return Err(Problem::new(
                StatusCode::FORBIDDEN,
                "writes-disabled",
                "writes are refused: the server was started without a token (LOCATIEADVIES_TOKEN or --token-file)",
            ));
        };
        let given = headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "));
        match given {
            Some(g) if same(g.as_bytes(), token.as_bytes()) => Ok(()),
            Some(_) => Err(Problem::new(
                StatusCode::UNAUTHORIZED,
                "unauthorised",
                "the bearer token is not the server's write token",
            )),
            None => Err(Problem::new(
                StatusCode::UNAUTHORIZED,
                "unauthorised",
                "a write needs the header `Authorization: Bearer <token>`",
            )),
        }
    }
}

/// A write's authorisation, checked before the body is read: a handler that takes it runs only
/// with the right bearer token.
pub struct Authorised;

impl axum::extract::FromRequestParts<Shared> for Authorised {
    type Rejection = Problem;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &Shared,
    ) -> Result<Self, Problem> {
        state.authorise(&parts.headers).map(|_| Authorised)
    }
}

/// Compares two byte strings in time that depends on their lengths only.
fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Runs `f` on the blocking pool (the engine and the register are synchronous).
pub async fn blocking<T: Send + 'static>(
    state: &Shared,
    f: impl FnOnce(&AppState) -> Result<T, Problem> + Send + 'static,
) -> Result<T, Problem> {
    let state = state.clone();
    tokio::task::spawn_blocking(move || f(&state))
        .await
        .map_err(|e| Problem::internal(format!("the request failed: {e}")))?
}

/// A JSON request body, read up to the configured size (413 above it) and parsed with its
/// errors located (400 with line and column).
pub struct Body<T>(pub T);

impl<T: DeserializeOwned> FromRequest<Shared> for Body<T> {
    type Rejection = Problem;

    async fn from_request(req: Request, state: &Shared) -> Result<Self, Problem> {
        let limit = state.config.max_body;
        let bytes = axum::body::to_bytes(req.into_body(), limit)
            .await
            .map_err(|_| {
                Problem::new(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    "too-large",
                    format!("the request body is larger than the limit of {limit} bytes (serve --max-body)"),
                )
            })?;
        serde_json::from_slice(&bytes)
            .map(Body)
            .map_err(|e| Problem::bad_json(&e))
    }
}

/// Answers 503 with a problem when a request takes longer than the configured time.
async fn time_limit(AxumState(state): AxumState<Shared>, req: Request, next: Next) -> Response {
    use axum::response::IntoResponse;
    let limit = state.config.timeout;
    match tokio::time::timeout(limit, next.run(req)).await {
        Ok(r) => r,
        Err(_) => Problem::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "timeout",
            format!(
                "the request took longer than the limit of {} s (serve --timeout)",
                limit.as_secs_f64()
            ),
        )
        .into_response(),
    }
}

/// The whole application: the API under `/api/`, the dashboard at `/`.
pub fn router(state: Shared) -> Router {
    Router::new()
        .merge(api::routes())
        .merge(dashboard::routes())
        .layer(middleware::from_fn_with_state(state.clone(), time_limit))
        .with_state(state)
}

/// Serves on `listener` until Ctrl-C (or SIGTERM), finishing the requests in flight.
pub async fn serve(listener: tokio::net::TcpListener, state: Shared) -> std::io::Result<()> {
    axum::serve(
        listener,
        router(state).into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown())
    .await
}

async fn shutdown() {
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
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
}
