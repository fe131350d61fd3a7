//! Benchmarks: the all-pairs rail computation; SMAA-2 with 100,000 weight samples over 342
//! alternatives and 10 criteria (rank acceptability for ranks 1..10); SMAA-2 as the advice runs
//! it, 100,000 samples over every gemeente with known rail minutes (339) and the shipped criteria with the default
//! resampling of weights and of the figures that are estimates, measured in CPU time (all
//! threads; target under 200 ms); and `advise` end to end (loading the embedded profiles and
//! rules, validating, the rail computation, scoring all 342 gemeenten, the default robustness
//! analysis and rendering JSON), with and without robustness (target under 100 ms).
//! Run with `cargo bench --bench advise`.

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use locatieadvies::advice::robustness::{self, RobustnessOverrides};
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

/// The shipped zbo case, validated against the engine's world.
fn zbo_case(engine: &Engine) -> locatieadvies::model::Case {
    let mut d = Diagnostics::default();
    let file = SourceFile {
        key: "case".into(),
        display: "case".into(),
        text: CASE.into(),
    };
    check_case(&file, &engine.world, &mut d).expect("valid case")
}

fn advise_end_to_end(opts: &RunOptions) -> String {
    let engine = Engine::new(world());
    let case = zbo_case(&engine);
    locatieadvies::advice::model::json(&engine.advise(&case, opts))
}

/// CPU time of this process so far (user and system, every thread), from `/proc/self/stat`.
fn cpu_time() -> Duration {
    let stat = std::fs::read_to_string("/proc/self/stat").expect("Linux /proc");
    // The fields after the command name, which is in parentheses.
    let fields: Vec<&str> = stat[stat.rfind(')').unwrap() + 2..].split(' ').collect();
    let ticks: u64 = fields[11].parse::<u64>().unwrap() + fields[12].parse::<u64>().unwrap();
    // USER_HZ is 100 on Linux.
    Duration::from_millis(ticks * 10)
}

/// The advice's ranking of every gemeente with known rail minutes for the shipped zbo case (the
/// principle that excludes places too small for the service switched off, so that only a missing
/// travel time keeps a gemeente out: 339 of 342 with the shipped ferry table), with its criteria
/// weights in criterion order.
fn all_locations() -> (Engine, Vec<locatieadvies::advice::model::Ranked>, Vec<f64>) {
    let engine = Engine::new(world());
    let case = zbo_case(&engine);
    let opts = RunOptions {
        disable: vec!["schaal-voor-de-dienst".into()],
        robustness: RobustnessOverrides {
            off: true,
            ..Default::default()
        },
    };
    let advice = engine.advise(&case, &opts);
    assert_eq!(
        advice.ranking.len() + advice.excluded.len(),
        342,
        "every gemeente is ranked or excluded"
    );
    for e in &advice.excluded {
        assert!(
            e.reasons.iter().all(|r| r.by.starts_with("rail-minutes-")),
            "{} is excluded only for unknown rail minutes",
            e.name
        );
    }
    let weights = engine
        .world
        .criteria
        .iter()
        .map(|c| {
            advice
                .weights
                .iter()
                .find(|w| w.criterion == c.id)
                .map_or(0.0, |w| w.weight)
        })
        .collect();
    (engine, advice.ranking, weights)
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
    let (engine, ranking, weights) = all_locations();
    let mut settings = engine.world.settings.robustness.clone();
    settings.samples = 100_000;
    let as_advised = format!(
        "SMAA-2 as advised, 100,000 samples, {} gemeenten x {} criteria, weights and estimates resampled (CPU time)",
        ranking.len(),
        engine.world.criteria.len()
    );
    group.bench_function(as_advised, |b| {
        b.iter_custom(|iters| {
            let start = cpu_time();
            for _ in 0..iters {
                black_box(robustness::sample(
                    &ranking,
                    &engine.world.criteria,
                    &weights,
                    false,
                    &settings,
                    &|_| {},
                ));
            }
            cpu_time() - start
        })
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
