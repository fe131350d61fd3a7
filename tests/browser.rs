//! The dashboard in a real browser: Debian's chromium driven through chromedriver (WebDriver,
//! fantoccini). Loads the overview, drills down into a province and a COROP area, moves a weight
//! slider with the keyboard and sees the ranking change, registers a case and sees it in the
//! list, takes it up and advises on it from its page, and saves screenshots under
//! `target/tmp/browser/`.
//!
//! Needs `chromedriver` and `chromium` (`apt-get install chromium chromium-driver`; `.ci/run`
//! installs them). Without them the test says so and passes, unless
//! `LOCATIEADVIES_BROWSER_TESTS=required` (as in `.ci/run`), when it fails.

mod common;

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::server::{TOKEN, start};
use fantoccini::{Client, ClientBuilder, Locator};

/// A chromedriver process, killed when dropped.
struct Driver(Child, u16);

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn binary(var: &str, default: &str) -> Option<PathBuf> {
    let p = std::env::var_os(var).map_or_else(|| PathBuf::from(default), PathBuf::from);
    p.is_file().then_some(p)
}

/// Starts chromedriver on a free port and waits until it listens; `None` when it is not there.
fn driver() -> Option<Driver> {
    let required = std::env::var("LOCATIEADVIES_BROWSER_TESTS").is_ok_and(|v| v == "required");
    let (Some(cd), Some(_)) = (
        binary("CHROMEDRIVER", "/usr/bin/chromedriver"),
        binary("CHROMIUM", "/usr/bin/chromium"),
    ) else {
        assert!(
            !required,
            "chromedriver or chromium is missing (apt-get install chromium chromium-driver)"
        );
        eprintln!("note: the browser tests did not run: chromedriver or chromium is missing");
        return None;
    };
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let child = Command::new(cd)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("chromedriver starts");
    let d = Driver(child, port);
    let start = Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "chromedriver did not listen"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    Some(d)
}

async fn browser(d: &Driver, profile: &std::path::Path) -> Client {
    let chromium = binary("CHROMIUM", "/usr/bin/chromium").unwrap();
    let caps = serde_json::json!({
        "goog:chromeOptions": {
            "binary": chromium,
            "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--window-size=1200,1400", format!("--user-data-dir={}", profile.display())]
        }
    });
    let caps = caps.as_object().unwrap().clone().into_iter().collect();
    ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(caps)
        .connect(&format!("http://127.0.0.1:{}", d.1))
        .await
        .expect("a browser session")
}

/// Polls `f` until it gives `Some`, for at most 30 s.
async fn until<T, F, Fut>(what: &str, mut f: F) -> T
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Option<T>>,
{
    let start = Instant::now();
    loop {
        if let Some(x) = f().await {
            return x;
        }
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "timed out waiting for {what}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn text(c: &Client, css: &str) -> Option<String> {
    c.find(Locator::Css(css)).await.ok()?.text().await.ok()
}

async fn screenshot(c: &Client, name: &str) {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("browser");
    std::fs::create_dir_all(&dir).unwrap();
    let png = c.screenshot().await.expect("a screenshot");
    assert!(png.starts_with(b"\x89PNG"), "a PNG");
    std::fs::write(dir.join(name), png).unwrap();
    println!("screenshot: {}", dir.join(name).display());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_dashboard_in_a_browser() {
    let Some(d) = driver() else { return };
    let s = start(Some(TOKEN)).await;
    let profile = tempfile::tempdir().unwrap();
    let c = browser(&d, profile.path()).await;
    overview_and_drill_down(&c, &s.base).await;
    slider_changes_the_ranking(&c, &s.base).await;
    add_a_case(&c, &s.base).await;
    c.close().await.unwrap();
}

async fn overview_and_drill_down(c: &Client, base: &str) {
    c.goto(&format!("{base}/")).await.unwrap();
    let h1 = text(c, "h1").await.unwrap();
    assert!(h1.contains("Spreiding van rijkswerkgelegenheid"), "{h1}");
    let total = text(c, ".key li").await.unwrap();
    assert!(total.contains("353.797"), "{total}");
    screenshot(c, "overview.png").await;
    // Drill down: the province on the map, then a COROP area in its table, then a gemeente.
    c.find(Locator::Css("svg a[data-code='PV22']"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    until("the province page", || async {
        text(c, "h1").await.filter(|t| t.contains("Drenthe"))
    })
    .await;
    assert!(
        c.current_url()
            .await
            .unwrap()
            .path()
            .ends_with("/provincie/PV22")
    );
    c.find(Locator::Css(
        "#tabel ~ div a[href^='/corop/CR07'], section a[href^='/corop/CR07']",
    ))
    .await
    .unwrap()
    .click()
    .await
    .unwrap();
    until("the COROP page", || async {
        text(c, "h1").await.filter(|t| t.contains("Noord-Drenthe"))
    })
    .await;
    c.find(Locator::Css("table a[href^='/gemeente/GM0106']"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    until("the gemeente page", || async {
        text(c, "h1").await.filter(|t| t.contains("Assen"))
    })
    .await;
    screenshot(c, "gemeente.png").await;
}

async fn first_row(c: &Client) -> Option<String> {
    text(c, "#ranking tbody tr").await.filter(|t| !t.is_empty())
}

async fn slider_changes_the_ranking(c: &Client, base: &str) {
    c.goto(&format!("{base}/advies")).await.unwrap();
    until("the robustness", || async {
        text(c, "#advise-status")
            .await
            .filter(|t| t.contains("robuustheid bijgewerkt"))
    })
    .await;
    let before = first_row(c).await.unwrap();
    assert!(before.contains("'s-Hertogenbosch"), "{before}");
    // With the keyboard: End puts all weight the slider can give on rail minutes to Den Haag.
    let slider = c
        .find(Locator::Css("#w-rail-minutes-den-haag"))
        .await
        .unwrap();
    slider
        .send_keys(&char::from(fantoccini::key::Key::End).to_string())
        .await
        .unwrap();
    let after = until("a new ranking", || async {
        first_row(c).await.filter(|t| *t != before)
    })
    .await;
    assert!(!after.contains("'s-Hertogenbosch"), "{after}");
    assert_eq!(text(c, "#o-rail-minutes-den-haag").await.unwrap(), "100");
    until("the robustness after the move", || async {
        text(c, "#advise-status")
            .await
            .filter(|t| t.contains("robuustheid bijgewerkt"))
    })
    .await;
    screenshot(c, "advies.png").await;
}

async fn add_a_case(c: &Client, base: &str) {
    c.goto(&format!("{base}/zaken")).await.unwrap();
    c.find(Locator::Id("token"))
        .await
        .unwrap()
        .send_keys(TOKEN)
        .await
        .unwrap();
    c.find(Locator::Id("number"))
        .await
        .unwrap()
        .send_keys("2026-021")
        .await
        .unwrap();
    c.execute(
        "document.getElementById('received').value = '2026-03-02';",
        vec![],
    )
    .await
    .unwrap();
    c.find(Locator::Id("example"))
        .await
        .unwrap()
        .select_by_value("nieuwe-zbo-energie.toml")
        .await
        .unwrap();
    until("the example case text", || async {
        c.find(Locator::Id("case"))
            .await
            .ok()?
            .prop("value")
            .await
            .ok()?
            .filter(|v| v.contains("[case]"))
    })
    .await;
    c.find(Locator::Css("#zaak-form button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let status = until("the registration", || async {
        text(c, "#zaak-status")
            .await
            .filter(|t| t.contains("geregistreerd"))
    })
    .await;
    assert!(status.contains("2026-021"), "{status}");
    assert!(text(c, "#zaken tbody").await.unwrap().contains("2026-021"));
    // The list the server renders has it too.
    c.refresh().await.unwrap();
    let list = until("the list", || async { text(c, "#zaken tbody").await }).await;
    assert!(
        list.contains("2026-021") && list.contains("ontvangen"),
        "{list}"
    );
    screenshot(c, "zaken.png").await;
    // The case's page: take it up and advise, with the token the list page kept.
    c.find(Locator::Css("a[href='/zaken/2026-021']"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    until("the case page", || async {
        text(c, "#status").await.filter(|t| t == "ontvangen")
    })
    .await;
    c.find(Locator::Css("button[data-action='start']"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    until("taken up", || async {
        text(c, "#status").await.filter(|t| t == "in behandeling")
    })
    .await;
    c.find(Locator::Css("button[data-action='advise']"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    until("the advice", || async {
        text(c, "#status")
            .await
            .filter(|t| t == "advies uitgebracht")
    })
    .await;
    let advice = text(c, "main").await.unwrap();
    assert!(
        advice.contains("Advies 1 van") && advice.contains("'s-Hertogenbosch"),
        "{advice}"
    );
    screenshot(c, "zaak.png").await;
}
