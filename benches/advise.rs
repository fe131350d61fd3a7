//! Benchmarks: the all-pairs rail computation, and `advise` end to end (loading the embedded
//! profiles and rules, validating, the rail computation, scoring all 342 gemeenten and rendering
//! JSON). Run with `cargo bench --bench advise`.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use locatieadvies::config::{SourceFile, SourceOptions, Sources, check_case, load_world};
use locatieadvies::diag::Diagnostics;
use locatieadvies::engine::{Engine, RunOptions, rail};
use locatieadvies::report;

const CASE: &str = include_str!("../cases/nieuwe-zbo-energie.toml");

fn world() -> locatieadvies::model::World {
    let mut d = Diagnostics::default();
    let s = Sources::load(&SourceOptions::default(), &mut d);
    load_world(&s, &mut d).expect("shipped world is valid")
}

fn advise_end_to_end() -> String {
    let engine = Engine::new(world());
    let mut d = Diagnostics::default();
    let file = SourceFile {
        key: "case".into(),
        display: "case".into(),
        text: CASE.into(),
    };
    let case = check_case(&file, &engine.world, &mut d).expect("valid case");
    report::json(&engine.advise(&case, &RunOptions::default()))
}

fn benches(c: &mut Criterion) {
    let w = world();
    c.bench_function("rail all-pairs (342 gemeenten, 399 stations)", |b| {
        b.iter(|| black_box(rail::compute(black_box(&w))))
    });
    c.bench_function("load profiles and rules", |b| b.iter(|| black_box(world())));
    c.bench_function("advise end to end (342 candidates, JSON)", |b| {
        b.iter(|| black_box(advise_end_to_end()))
    });
}

criterion_group!(advise, benches);
criterion_main!(advise);
