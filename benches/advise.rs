//! Benchmarks: the all-pairs rail computation; SMAA-2 with 100,000 weight samples over 342
//! alternatives and 10 criteria (rank acceptability for ranks 1..10); and `advise` end to end
//! (loading the embedded profiles and rules, validating, the rail computation, scoring all 342
//! gemeenten, the default robustness analysis and rendering JSON), with and without robustness.
//! Run with `cargo bench --bench advise`.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use locatieadvies::advice::robustness::RobustnessOverrides;
use locatieadvies::advice::{Engine, RunOptions};
use locatieadvies::config::{SourceFile, SourceOptions, Sources, check_case, load_world};
use locatieadvies::diag::Diagnostics;
use locatieadvies::mcda::smaa::{Fixed, SmaaOptions, WeightSampling, smaa};
use locatieadvies::rail;
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

const CASE: &str = include_str!("../cases/nieuwe-zbo-energie.toml");

fn world() -> locatieadvies::model::World {
    let mut d = Diagnostics::default();
    let s = Sources::load(&SourceOptions::default(), &mut d);
    load_world(&s, &mut d).expect("shipped world is valid")
}

fn advise_end_to_end(opts: &RunOptions) -> String {
    let engine = Engine::new(world());
    let mut d = Diagnostics::default();
    let file = SourceFile {
        key: "case".into(),
        display: "case".into(),
        text: CASE.into(),
    };
    let case = check_case(&file, &engine.world, &mut d).expect("valid case");
    locatieadvies::advice::model::json(&engine.advise(&case, opts))
}

/// A 342 x 10 value matrix (column-major) from a seeded generator.
fn synthetic_values() -> Vec<f64> {
    let mut rng = ChaCha8Rng::seed_from_u64(42);
    (0..342 * 10).map(|_| rng.random::<f64>()).collect()
}

fn benches(c: &mut Criterion) {
    let w = world();
    c.bench_function("rail all-pairs (342 gemeenten, 399 stations)", |b| {
        b.iter(|| black_box(rail::compute(black_box(&w))))
    });
    c.bench_function("load profiles and rules", |b| b.iter(|| black_box(world())));
    let values = Fixed(synthetic_values());
    let weights = [0.1, 0.08, 0.07, 0.12, 0.05, 0.08, 0.1, 0.15, 0.15, 0.1];
    let adjust = vec![0.0; 342];
    let opts = SmaaOptions {
        samples: 100_000,
        seed: 1,
        ranks: 10,
        weights: WeightSampling::Band(0.25),
        confidence_samples: 1000,
    };
    let mut group = c.benchmark_group("smaa");
    group.sample_size(20);
    group.bench_function("SMAA-2 100,000 samples, 342 x 10, ranks 1..10", |b| {
        b.iter(|| black_box(smaa(&values, 342, &weights, &adjust, &opts, &|_| {}).unwrap()))
    });
    group.finish();
    c.bench_function(
        "advise end to end (342 candidates, robustness 10,000 samples, JSON)",
        |b| b.iter(|| black_box(advise_end_to_end(&RunOptions::default()))),
    );
    let off = RunOptions {
        robustness: RobustnessOverrides {
            off: true,
            ..Default::default()
        },
        ..Default::default()
    };
    c.bench_function(
        "advise end to end (342 candidates, no robustness, JSON)",
        |b| b.iter(|| black_box(advise_end_to_end(&off))),
    );
}

criterion_group!(advise, benches);
criterion_main!(advise);
