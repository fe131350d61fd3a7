//! Benchmarks of the state of spreading: the fit of the model baseline to the published figures,
//! a scenario of 10,000 mutations over the model baseline (342 gemeenten, 6 sectors, 14
//! ministries), and the annual report as an HTML page.
//! Run with `cargo bench --bench spreading`.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use locatieadvies::config::{SourceOptions, Sources, load_world};
use locatieadvies::diag::Diagnostics;
use locatieadvies::render::templates::Templates;
use locatieadvies::spreading::annual;
use locatieadvies::spreading::baseline::estimate;
use locatieadvies::spreading::baseline::fit::fit;
use locatieadvies::spreading::scenario::{CutAmount, Mutation, Policy, Scenario, apply};
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

fn benches(c: &mut Criterion) {
    let mut d = Diagnostics::default();
    let s = Sources::load(&SourceOptions::default(), &mut d);
    let world = load_world(&s, &mut d).expect("shipped world is valid");
    c.bench_function("fit of the model baseline to every published figure", |b| {
        b.iter(|| black_box(fit(black_box(&world)).unwrap()))
    });
    let fitted = fit(&world).unwrap();
    let base = estimate(&world, &fitted, 2024).unwrap();
    // 10,000 mutations: moves, growth and shrinkage of 1 FTE between seeded rows, and cuts.
    let mut rng = ChaCha8Rng::seed_from_u64(4);
    let mut mutations = Vec::with_capacity(10_000);
    for i in 0..10_000 {
        let r = &base.rows[rng.random_range(0..base.rows.len())];
        let to = world.gemeenten[rng.random_range(0..world.gemeenten.len())]
            .code
            .clone();
        mutations.push(match i % 100 {
            0 => Mutation::Cut {
                ministry: r.ministry.clone(),
                amount: CutAmount::Percent(1.0),
                policy: Policy::RandstadFirst,
                // The model's split stands in for the ministry's stated figure.
                current_fte: Some(
                    base.rows
                        .iter()
                        .filter(|x| x.ministry == r.ministry)
                        .map(|x| x.fte)
                        .sum(),
                ),
            },
            1..=9 => Mutation::Grow {
                unit: r.unit.clone(),
                gemeente: to,
                fte: 1.0,
            },
            10..=19 if r.fte >= 2.0 => Mutation::Shrink {
                unit: r.unit.clone(),
                gemeente: r.gemeente.clone(),
                fte: 0.5,
                current_fte: Some(r.fte),
            },
            _ => Mutation::Grow {
                unit: r.unit.clone(),
                gemeente: r.gemeente.clone(),
                fte: 0.5,
            },
        });
        if i % 3 == 0 && r.fte >= 2.0 {
            mutations.push(Mutation::Move {
                unit: r.unit.clone(),
                from: r.gemeente.clone(),
                to: world.gemeenten[rng.random_range(0..world.gemeenten.len())]
                    .code
                    .clone(),
                fte: 0.25,
                current_fte: Some(r.fte),
            });
        }
    }
    mutations.truncate(10_000);
    let scenario = Scenario {
        id: "bench".into(),
        title: "bench".into(),
        description: None,
        baseline_year: 2024,
        mutations,
        file: "bench".into(),
    };
    c.bench_function(
        "scenario: 10,000 mutations over the 2024 model baseline",
        |b| b.iter(|| black_box(apply(&world, None, &base, &scenario).unwrap())),
    );
    let prev = estimate(&world, &fitted, 2023).unwrap();
    let mut diags = locatieadvies::diag::Diagnostics::default();
    let templates = Templates::load(None, &mut diags).expect("the shipped templates load");
    c.bench_function("annual report 2024 as HTML (estimates, map, charts)", |b| {
        b.iter(|| {
            let r = annual::build(&world, Some(&prev), &base, Some(&fitted), Vec::new());
            black_box(
                templates
                    .render("report/annual.nl.html", &annual::ReportView::new(&r))
                    .unwrap(),
            )
        })
    });
}

criterion_group!(spreading, benches);
criterion_main!(spreading);
