//! A server on a free loopback port, in the test's runtime, over the shipped profiles and rules
//! and a register in a temporary directory; and a small JSON client.

use std::sync::Arc;
use std::time::Duration;

use locatieadvies::advice::Engine;
use locatieadvies::config::{SourceOptions, Sources, load_world};
use locatieadvies::diag::Diagnostics;
use locatieadvies::render::templates::Templates;
use locatieadvies::server::{AppState, Config, serve};

/// The write token of the test servers.
pub const TOKEN: &str = "test-token-0123456789abcdef";

/// A running server: its base address and register folder.
pub struct TestServer {
    pub base: String,
    pub dir: tempfile::TempDir,
    pub client: reqwest::Client,
}

/// Starts a server with `token` (None: writes refused) and a body limit of 64 KiB.
pub async fn start(token: Option<&str>) -> TestServer {
    let dir = tempfile::tempdir().unwrap();
    let mut diags = Diagnostics::default();
    let sources = Sources::load(&SourceOptions::default(), &mut diags);
    let world = load_world(&sources, &mut diags).expect("the shipped world loads");
    let templates = Templates::load(None, &mut diags).expect("the shipped templates load");
    let config = Config {
        db: dir.path().join("register.sqlite"),
        token: token.map(str::to_string),
        timeout: Duration::from_secs(60),
        max_body: 64 * 1024,
    };
    let state = tokio::task::spawn_blocking(move || {
        AppState::new(Engine::new(world), templates, config).expect("the state builds")
    })
    .await
    .unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(serve(listener, Arc::new(state)));
    TestServer {
        base,
        dir,
        client: reqwest::Client::new(),
    }
}

/// A response's status, content type and body as JSON (`Null` when it is not JSON) and as text.
pub struct Answer {
    pub status: u16,
    pub content_type: String,
    pub json: serde_json::Value,
    pub text: String,
}

impl TestServer {
    async fn answer(&self, rb: reqwest::RequestBuilder) -> Answer {
        let r = rb.send().await.unwrap();
        let status = r.status().as_u16();
        let content_type = r
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string();
        let text = r.text().await.unwrap();
        Answer {
            status,
            content_type,
            json: serde_json::from_str(&text).unwrap_or(serde_json::Value::Null),
            text,
        }
    }

    /// GET `path`.
    pub async fn get(&self, path: &str) -> Answer {
        self.answer(self.client.get(format!("{}{path}", self.base)))
            .await
    }

    /// POST a raw body to `path`, with the bearer token when given.
    pub async fn post_raw(&self, path: &str, body: Vec<u8>, token: Option<&str>) -> Answer {
        let mut rb = self
            .client
            .post(format!("{}{path}", self.base))
            .header("content-type", "application/json")
            .body(body);
        if let Some(t) = token {
            rb = rb.header("authorization", format!("Bearer {t}"));
        }
        self.answer(rb).await
    }

    /// POST `body` as JSON to `path`, with the bearer token when given.
    pub async fn post(&self, path: &str, body: &serde_json::Value, token: Option<&str>) -> Answer {
        self.post_raw(path, serde_json::to_vec(body).unwrap(), token)
            .await
    }
}
