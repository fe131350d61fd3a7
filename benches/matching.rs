//! Benchmark of `match`: 50 services over all 342 gemeenten with workplace capacities, at most
//! two services per gemeente, a cap on FTE added per province (0.5% of its labour force) and
//! 70% of the FTE outside the Randstad, solved to proven optimality. The 50 services are SYNTHETIC (drawn from a seeded
//! generator: size, kind, ministry, themes, weights and some hard requirements), so that the
//! benchmark has many different score profiles, as a real pipeline would. Their advice scores
//! come from the real engine. Run with `cargo bench --bench matching`.

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use locatieadvies::advice::Engine;
use locatieadvies::config::{SourceFile, SourceOptions, Sources, check_case, load_world};
use locatieadvies::diag::Diagnostics;
use locatieadvies::matching::pipeline::{self, Pipeline};
use locatieadvies::matching::{Problem, Status, solve};
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

const THEMES: [&str; 15] = [
    "energie",
    "water",
    "landbouw-voedsel",
    "logistiek",
    "onderwijs-onderzoek",
    "zorg",
    "veiligheid",
    "ict-data",
    "financiele-dienstverlening",
    "justitie",
    "mobiliteit",
    "hightech",
    "natuur-ruimte",
    "cultuur-erfgoed",
    "grensregio",
];
const MINISTRIES: [&str; 10] = [
    "BZK", "EZ", "FIN", "IenW", "KGG", "LVVN", "OCW", "SZW", "VRO", "VWS",
];
const CRITERIA: [&str; 10] = [
    "rail-minutes-den-haag",
    "rail-minutes-utrecht",
    "station-class",
    "labour-reach",
    "unemployment",
    "higher-educated",
    "office-cost",
    "regional-need",
    "thematic-fit",
    "government-presence",
];

/// One synthetic case as TOML text.
fn synthetic_case(rng: &mut ChaCha8Rng, i: usize) -> String {
    let fte = 100 + 10 * rng.random_range(0..=30u32);
    let kind = if rng.random_bool(0.7) {
        "new"
    } else {
        "growth"
    };
    let ministry = MINISTRIES[rng.random_range(0..MINISTRIES.len())];
    let sector = if rng.random_bool(0.5) {
        "zbo"
    } else {
        "ministeries"
    };
    let a = rng.random_range(0..THEMES.len());
    let b = (a + 1 + rng.random_range(0..THEMES.len() - 1)) % THEMES.len();
    let mut text = format!(
        "[case]\nid = \"synthetisch-{i:02}\"\ntitle = \"Synthetische dienst {i}\"\nministry = \"{ministry}\"\nsector = \"{sector}\"\nkind = \"{kind}\"\nfte = {fte}\nthemes = [\"{}\", \"{}\"]\n",
        THEMES[a], THEMES[b]
    );
    if rng.random_bool(0.3) {
        let minutes = 60 + 15 * rng.random_range(0..5u32);
        text += &format!("\n[requirements]\nmax_rail_minutes = {{ GM0518 = {minutes} }}\n");
    }
    text += "\n[weights]\n";
    for c in CRITERIA {
        text += &format!("{c} = {:.2}\n", rng.random_range(0.2..1.0f64));
    }
    text
}

/// The synthetic pipeline as a matching problem. Capacities are EXAMPLES (150, 250, 400 or 600
/// workplaces per gemeente, drawn); the province cap is 0.5% of its labour force (CBS 2023),
/// a multi-year pipeline of about 12,000 FTE.
fn synthetic_problem(engine: &Engine, services: usize) -> Problem {
    let mut rng = ChaCha8Rng::seed_from_u64(2024);
    let mut cases = Vec::new();
    for i in 0..services {
        let mut d = Diagnostics::default();
        let file = SourceFile {
            key: format!("synthetic {i}"),
            display: format!("synthetic {i}"),
            text: synthetic_case(&mut rng, i),
        };
        let case = check_case(&file, &engine.world, &mut d)
            .unwrap_or_else(|| panic!("synthetic case {i} is valid: {d:?}"));
        cases.push((case, false));
    }
    let p = Pipeline {
        id: "synthetisch-50".into(),
        title: "Synthetische pijplijn".into(),
        description: None,
        cases,
        capacities: engine
            .world
            .gemeenten
            .iter()
            .map(|g| {
                (
                    g.code.clone(),
                    [150.0, 250.0, 400.0, 600.0][rng.random_range(0..4)],
                )
            })
            .collect(),
        default_capacity: None,
        capacity_note: None,
        min_outside_share: Some(0.7),
        max_per_location: Some(2),
        region_cap_share: Some(0.005),
    };
    pipeline::problem(engine, &p)
}

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
