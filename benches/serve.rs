//! Load on the HTTP server, on loopback: 1,000 `POST /api/advise` (with robustness, as the
//! dashboard's second request) at 50 concurrent, which must all succeed; the ranking update
//! after a slider move (robustness off, the dashboard's first request) and the overview page,
//! one at a time. Prints p50/p95/p99 and exits non-zero when a request fails.
//!
//! `cargo bench --bench serve` (release build). The server runs in this process on a free port
//! with a register in a temporary folder, the client over real TCP connections.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use locatieadvies::advice::Engine;
use locatieadvies::config::{SourceOptions, Sources, load_world};
use locatieadvies::diag::Diagnostics;
use locatieadvies::render::templates::Templates;
use locatieadvies::server::{AppState, Config, serve};

const CASE: &str = include_str!("../cases/nieuwe-zbo-energie.toml");

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i].as_secs_f64() * 1000.0
}

fn report(what: &str, mut t: Vec<Duration>, target: Option<(&str, f64, f64)>) {
    t.sort();
    let (p50, p95, p99) = (
        percentile(&t, 0.5),
        percentile(&t, 0.95),
        percentile(&t, 0.99),
    );
    print!(
        "{what}: n = {}, p50 {p50:.1} ms, p95 {p95:.1} ms, p99 {p99:.1} ms, max {:.1} ms",
        t.len(),
        percentile(&t, 1.0)
    );
    if let Some((name, p, limit)) = target {
        let v = percentile(&t, p);
        print!(
            " (target {name} < {limit} ms: {})",
            if v < limit { "met" } else { "NOT met" }
        );
    }
    println!();
}

async fn start() -> String {
    let dir = std::env::temp_dir().join(format!("locatieadvies-bench-{}", std::process::id()));
    let mut diags = Diagnostics::default();
    let sources = Sources::load(&SourceOptions::default(), &mut diags);
    let world = load_world(&sources, &mut diags).expect("the shipped world loads");
    let templates = Templates::load(None, &mut diags).expect("the shipped templates load");
    let config = Config {
        db: dir.join("register.sqlite"),
        token: None,
        timeout: Duration::from_secs(120),
        max_body: 1 << 20,
    };
    let state = tokio::task::spawn_blocking(move || {
        AppState::new(Engine::new(world), templates, config).expect("state")
    })
    .await
    .unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(serve(listener, Arc::new(state)));
    base
}

/// One POST; its time, or the reason it failed.
async fn advise(
    c: &reqwest::Client,
    base: &str,
    body: &serde_json::Value,
) -> Result<Duration, String> {
    let t = Instant::now();
    let r = c
        .post(format!("{base}/api/advise"))
        .header("content-type", "application/json")
        .body(serde_json::to_vec(body).unwrap())
        .send()
        .await
        .map_err(|e| e.to_string())?;
    let status = r.status();
    let bytes = r.bytes().await.map_err(|e| e.to_string())?;
    if !status.is_success() {
        return Err(format!("{status}: {}", String::from_utf8_lossy(&bytes)));
    }
    Ok(t.elapsed())
}

async fn load(base: &str) -> usize {
    let (total, workers) = (1000, 50);
    let next = Arc::new(AtomicUsize::new(0));
    let c = reqwest::Client::new();
    let body = Arc::new(serde_json::json!({ "case": CASE, "top": 15 }));
    let started = Instant::now();
    let tasks: Vec<_> = (0..workers)
        .map(|_| {
            let (next, c, body, base) = (next.clone(), c.clone(), body.clone(), base.to_string());
            tokio::spawn(async move {
                let mut out = Vec::new();
                while next.fetch_add(1, Ordering::SeqCst) < total {
                    out.push(advise(&c, &base, &body).await);
                }
                out
            })
        })
        .collect();
    let mut times = Vec::new();
    let mut errors = Vec::new();
    for t in tasks {
        for r in t.await.unwrap() {
            match r {
                Ok(d) => times.push(d),
                Err(e) => errors.push(e),
            }
        }
    }
    let wall = started.elapsed().as_secs_f64();
    println!(
        "load: {total} advise requests with robustness at {workers} concurrent in {wall:.1} s ({:.0} per second), {} errors",
        total as f64 / wall,
        errors.len()
    );
    for e in errors.iter().take(3) {
        println!("  error: {e}");
    }
    report("load latency", times, None);
    errors.len()
}

async fn sliders(base: &str) {
    let c = reqwest::Client::new();
    let mut times = Vec::new();
    for i in 0..200 {
        let body = serde_json::json!({ "case": CASE, "robustness": false, "top": 15,
            "weights": { "rail-minutes-den-haag": i % 100, "labour-reach": 13, "thematic-fit": 15 } });
        times.push(advise(&c, base, &body).await.expect("a ranking"));
    }
    report(
        "slider move (ranking, robustness off)",
        times,
        Some(("p95", 0.95, 100.0)),
    );
}

async fn overview(base: &str) {
    let c = reqwest::Client::new();
    let mut times = Vec::new();
    for i in 0..100 {
        let t = Instant::now();
        let path = if i % 2 == 0 {
            "/"
        } else {
            "/?year=2023&measure=fte"
        };
        let r = c.get(format!("{base}{path}")).send().await.unwrap();
        assert!(r.status().is_success());
        r.bytes().await.unwrap();
        times.push(t.elapsed());
    }
    report("overview page", times, Some(("p95", 0.95, 300.0)));
}

fn main() {
    // `cargo test --benches` runs benchmarks with `--bench` absent: nothing to do then.
    if !std::env::args().any(|a| a == "--bench") {
        return;
    }
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let errors = rt.block_on(async {
        let base = start().await;
        sliders(&base).await;
        overview(&base).await;
        load(&base).await
    });
    if errors > 0 {
        std::process::exit(1);
    }
}
