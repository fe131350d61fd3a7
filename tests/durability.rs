//! Register writes under `kill -9`: the server binary is started, cases are registered and taken
//! up as fast as it answers, and the process is killed (SIGKILL) after a seeded random time, in a
//! loop. After each restart every write the server acknowledged before the kill must be there.

#![cfg(unix)]

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use rand::{RngExt, SeedableRng};
use serde_json::json;

const TOKEN: &str = "durability-token-0123456789";
const CASE: &str = include_str!("../cases/nieuwe-zbo-energie.toml");

/// Starts `serve` on a free port with the register `db`; returns the process and its address.
fn serve(db: &std::path::Path) -> (Child, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_locatieadvies"))
        .args(["serve", "--bind", "127.0.0.1:0", "--db"])
        .arg(db)
        .env("LOCATIEADVIES_TOKEN", TOKEN)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("the server starts");
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let addr = line
        .trim()
        .strip_prefix("listening on ")
        .unwrap_or_else(|| panic!("the first line names the address: {line:?}"))
        .to_string();
    (child, addr)
}

async fn post(c: &reqwest::Client, url: String, body: serde_json::Value) -> Option<u16> {
    let r = c
        .post(url)
        .header("authorization", format!("Bearer {TOKEN}"))
        .header("content-type", "application/json")
        .body(serde_json::to_vec(&body).unwrap())
        .send()
        .await
        .ok()?;
    let status = r.status().as_u16();
    // Acknowledged means the whole answer arrived.
    r.bytes().await.ok()?;
    Some(status)
}

/// Registers and starts cases until the server dies; returns the numbers acknowledged as
/// registered and those acknowledged as taken up.
async fn write_until_killed(addr: &str, round: usize) -> (Vec<String>, Vec<String>) {
    let c = reqwest::Client::new();
    let (mut added, mut started) = (Vec::new(), Vec::new());
    for i in 0.. {
        let number = format!("R{round:02}-{i:04}");
        let body = json!({ "number": number, "received": "2026-03-02", "case": CASE });
        match post(&c, format!("{addr}/api/cases"), body).await {
            Some(201) => added.push(number.clone()),
            Some(s) => panic!("registering {number} answered {s}"),
            None => break,
        }
        match post(&c, format!("{addr}/api/cases/{number}/start"), json!({})).await {
            Some(200) => started.push(number),
            Some(s) => panic!("taking up {number} answered {s}"),
            None => break,
        }
    }
    (added, started)
}

async fn statuses(addr: &str) -> std::collections::BTreeMap<String, String> {
    let text = reqwest::get(format!("{addr}/api/cases"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    v["cases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["number"].as_str().unwrap().to_string(),
                c["status"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn acknowledged_writes_survive_kill_9() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("register.sqlite");
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(13);
    let (mut added, mut started) = (Vec::new(), Vec::new());
    let rounds = 8;
    for round in 0..rounds {
        let (mut child, addr) = serve(&db);
        // Everything acknowledged before the earlier kills is there, with its status.
        let found = statuses(&addr).await;
        for n in &added {
            assert!(
                found.contains_key(n),
                "round {round}: case {n} was acknowledged but is gone"
            );
        }
        for n in &started {
            assert_eq!(
                found[n], "in behandeling",
                "round {round}: case {n} lost its status"
            );
        }
        let delay = Duration::from_millis(rng.random_range(150..600));
        let killer = tokio::spawn(async move {
            tokio::time::sleep(delay).await;
            child.kill().unwrap(); // SIGKILL
            child.wait().unwrap();
        });
        let (a, s) = write_until_killed(&addr, round).await;
        killer.await.unwrap();
        assert!(
            !a.is_empty(),
            "round {round}: no write was acknowledged in {delay:?}"
        );
        added.extend(a);
        started.extend(s);
    }
    let (mut child, addr) = serve(&db);
    let found = statuses(&addr).await;
    child.kill().unwrap();
    child.wait().unwrap();
    for n in &added {
        assert!(
            found.contains_key(n),
            "case {n} was acknowledged but is gone"
        );
    }
    println!(
        "{rounds} kills: {} registrations and {} status changes acknowledged, all found after restart ({} cases in the register)",
        added.len(),
        started.len(),
        found.len()
    );
}
