//! The seeded synthetic pipeline of the matching benchmarks: 50 SYNTHETIC services (size, kind,
//! ministry, themes, weights and some hard requirements drawn from a seeded generator) over all
//! 342 gemeenten, scored by the real engine; EXAMPLE capacities of 300, 500, 800 or 1,200
//! workplaces per gemeente; at most two services per gemeente; no service split.
//!
//! The capacities were 150, 250, 400 or 600 until the principle `schaal-voor-de-dienst` (station
//! class at least 2 or some government presence) left these services 34 gemeenten outside the
//! Randstad: with those capacities no assignment exists (`match` names the workplace capacities
//! as the culprit), so they are doubled.

#![allow(dead_code)]

use locatieadvies::advice::Engine;
use locatieadvies::config::{SourceFile, check_case};
use locatieadvies::diag::Diagnostics;
use locatieadvies::matching::Problem;
use locatieadvies::matching::pipeline::{self, Pipeline};
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
pub fn synthetic_problem(engine: &Engine, services: usize) -> Problem {
    synthetic_problem_with(engine, services, 0.005, 0.7)
}

/// The synthetic pipeline with a province cap of `region_cap_share` of the labour force and at
/// least `min_outside` of the FTE outside the Randstad; no service may be split.
pub fn synthetic_problem_with(
    engine: &Engine,
    services: usize,
    region_cap_share: f64,
    min_outside: f64,
) -> Problem {
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
                    [300.0, 500.0, 800.0, 1200.0][rng.random_range(0..4)],
                )
            })
            .collect(),
        default_capacity: None,
        capacity_note: None,
        min_outside_share: Some(min_outside),
        max_per_location: Some(2),
        region_cap_share: Some(region_cap_share),
    };
    pipeline::problem(engine, &p)
}
