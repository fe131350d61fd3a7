//! Entry points for fuzzing: each takes arbitrary bytes, loads them as one kind of input against
//! the shipped profiles and rules, and runs what a valid input leads to (the advice, the
//! scenario, the ranking). None of them may panic, whatever the bytes.
//!
//! The coverage-guided harnesses in `fuzz/` (cargo-fuzz, libFuzzer) call these, and
//! `tests/fuzz_regressions.rs` runs every committed corpus file and reproducer through them in
//! `cargo test`, so a crash found once stays fixed.

use std::sync::OnceLock;

use crate::advice::{Engine, RunOptions};
use crate::config::{SourceFile, SourceOptions, Sources, check_case, load_world};
use crate::diag::Diagnostics;
use crate::model::World;
use crate::spreading::baseline::estimate;
use crate::spreading::baseline::fit::{Fitted, fit};

/// The fuzz targets, by name (the names of `fuzz/fuzz_targets/*.rs`).
pub const TARGETS: [&str; 9] = [
    "case",
    "scenario",
    "pipeline",
    "deliveries",
    "matrix",
    "ahp",
    "rules",
    "profiles",
    "baseline",
];

/// Runs target `name` on `data`; `false` for an unknown name.
pub fn run(name: &str, data: &[u8]) -> bool {
    match name {
        "case" => case(data),
        "scenario" => scenario(data),
        "pipeline" => pipeline(data),
        "deliveries" => deliveries(data),
        "matrix" => matrix(data),
        "ahp" => ahp(data),
        "rules" => replaced("rules/", data),
        "profiles" => replaced("profiles/", data),
        "baseline" => replaced("baseline/", data),
        _ => return false,
    }
    true
}

/// The shipped sources, loaded once.
fn sources() -> &'static Sources {
    static SOURCES: OnceLock<Sources> = OnceLock::new();
    SOURCES.get_or_init(|| {
        let mut diags = Diagnostics::default();
        Sources::load(&SourceOptions::default(), &mut diags)
    })
}

/// The shipped world and engine, loaded once.
fn engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| {
        let mut diags = Diagnostics::default();
        let world = load_world(sources(), &mut diags).expect("the shipped world loads");
        Engine::new(world)
    })
}

fn world() -> &'static World {
    &engine().world
}

/// The model baseline, fitted once.
fn fitted() -> &'static Fitted {
    static FITTED: OnceLock<Fitted> = OnceLock::new();
    FITTED.get_or_init(|| fit(world()).expect("the shipped model fits"))
}

/// `data` as the text of a file named `name`, when it is UTF-8.
fn file(name: &str, data: &[u8]) -> Option<SourceFile> {
    let text = std::str::from_utf8(data).ok()?.to_string();
    Some(SourceFile {
        key: name.into(),
        display: name.into(),
        text,
    })
}

/// Few robustness samples: the fuzzer looks for crashes, not for a stable ranking.
fn quick() -> RunOptions {
    let mut o = RunOptions::default();
    o.robustness.samples = Some(50);
    o
}

/// A case file, advised when valid.
pub fn case(data: &[u8]) {
    let Some(f) = file("case.toml", data) else {
        return;
    };
    let mut diags = Diagnostics::default();
    if let Some(case) = check_case(&f, world(), &mut diags) {
        let _ = engine().advise(&case, &quick());
    }
    let _ = diags.render();
}

/// A scenario file, applied to the model baseline of its year when valid (an `advice` mutation
/// has no directory to find its case in, so it is an error here).
pub fn scenario(data: &[u8]) {
    let Some(f) = file("scenario.toml", data) else {
        return;
    };
    let mut diags = Diagnostics::default();
    if let Some(s) = crate::spreading::scenario::check(f, None, world(), &mut diags)
        && let Ok(base) = estimate(world(), fitted(), s.baseline_year)
    {
        let _ = crate::spreading::scenario::apply(world(), Some(engine()), &base, &s);
    }
    let _ = diags.render();
}

/// A pipeline file (its cases inline), checked; solving is left to the matching tests.
pub fn pipeline(data: &[u8]) {
    let Some(f) = file("pipeline.toml", data) else {
        return;
    };
    let mut diags = Diagnostics::default();
    let _ = crate::matching::pipeline::check(&f, None, world(), &mut diags);
    let _ = diags.render();
}

/// A delivery file, aggregated when valid.
pub fn deliveries(data: &[u8]) {
    let Some(f) = file("delivery.csv", data) else {
        return;
    };
    let mut diags = Diagnostics::default();
    let names = vec![f.display.clone()];
    let files = vec![(f.display, f.text)];
    if let Some(b) = crate::spreading::baseline::ingest::ingest_texts(
        &files,
        &names,
        world(),
        crate::spreading::baseline::ingest::Expect::default(),
        &mut diags,
    ) {
        use crate::spreading::baseline::Level;
        for level in [
            Level::Gemeente,
            Level::Corop,
            Level::Province,
            Level::Sector,
            Level::Ministry,
        ] {
            let _ = crate::spreading::baseline::aggregate(world(), &b.rows, level);
        }
        let _ = crate::spreading::baseline::theil(world(), &b.rows);
    }
    let _ = diags.render();
}

/// A decision matrix, and after a NUL byte an optional model file, ranked when valid.
pub fn matrix(data: &[u8]) {
    let (m, model) = match data.iter().position(|&b| b == 0) {
        Some(i) => (&data[..i], Some(&data[i + 1..])),
        None => (data, None),
    };
    let Some(m) = file("matrix.csv", m) else {
        return;
    };
    let model = match model {
        Some(bytes) => match file("model.toml", bytes) {
            Some(f) => Some(f),
            None => return,
        },
        None => None,
    };
    crate::cli::mcda::fuzz_rank(&m, model.as_ref());
}

/// An AHP comparison matrix, weighed by every method when valid.
pub fn ahp(data: &[u8]) {
    if let Some(m) = file("ahp.csv", data) {
        crate::cli::mcda::fuzz_ahp(&m);
    }
}

/// The shipped sources with one file under `prefix` replaced: the first byte picks the file,
/// the rest is its new text; the world is loaded from them.
fn replaced(prefix: &str, data: &[u8]) {
    let Some((&pick, rest)) = data.split_first() else {
        return;
    };
    let mut s = sources().clone();
    let under: Vec<usize> = (0..s.files.len())
        .filter(|&i| s.files[i].key.starts_with(prefix))
        .collect();
    let Some(text) = std::str::from_utf8(rest).ok() else {
        return;
    };
    let i = under[pick as usize % under.len()];
    s.files[i].text = text.to_string();
    let mut diags = Diagnostics::default();
    let _ = load_world(&s, &mut diags);
    let _ = diags.render();
}
