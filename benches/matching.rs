//! Benchmark of `match`: 50 services over all 342 gemeenten with workplace capacities, at most
//! two services per gemeente, a cap on FTE added per province (0.5% of its labour force) and
//! 70% of the FTE outside the Randstad, solved to proven optimality by the builtin solver. The
//! 50 services are SYNTHETIC (`benches/common/synthetic.rs`: size, kind, ministry, themes,
//! weights and some hard requirements drawn from a seeded generator), so that the benchmark has
//! many different score profiles, as a real pipeline would. Their advice scores come from the
//! real engine. Run with `cargo bench --bench matching`.

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use locatieadvies::advice::Engine;
use locatieadvies::config::{SourceOptions, Sources, load_world};
use locatieadvies::diag::Diagnostics;
use locatieadvies::matching::{Status, solve};

#[path = "common/synthetic.rs"]
mod synthetic;
use synthetic::synthetic_problem;

fn benches(c: &mut Criterion) {
    let mut d = Diagnostics::default();
    let s = Sources::load(&SourceOptions::default(), &mut d);
    let engine = Engine::new(load_world(&s, &mut d).expect("shipped world is valid"));
    let problem = synthetic_problem(&engine, 50);
    let first = solve(&problem, Some(Duration::from_secs(120))).expect("feasible");
    eprintln!(
        "50 services: objective {:.4}, bound {:.4}, status {:?}, {} of {} pairs kept, {} nodes, {:.2} s",
        first.objective,
        first.bound,
        first.status,
        first.pairs_kept,
        first.pairs_eligible,
        first.nodes,
        first.seconds
    );
    assert_eq!(first.status, Status::Optimal, "solved to proven optimality");
    let mut group = c.benchmark_group("match");
    group.sample_size(10);
    group.bench_function("50 services x 342 gemeenten, to proven optimality", |b| {
        b.iter(|| black_box(solve(black_box(&problem), None).expect("feasible")))
    });
    group.finish();
}

criterion_group!(matching, benches);
criterion_main!(matching);
