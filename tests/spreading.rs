//! Deliveries, scenarios and the annual report: conservation, exact cuts, the Randstad-first
//! policy, and the published totals and growth percentages.

use std::path::Path;
use std::sync::OnceLock;

use locatieadvies::config::{SourceOptions, Sources, load_world};
use locatieadvies::diag::Diagnostics;
use locatieadvies::model::World;
use locatieadvies::spreading::annual;
use locatieadvies::spreading::baseline::fit::{Fitted, fit};
use locatieadvies::spreading::baseline::ingest::{Expect, ingest};
use locatieadvies::spreading::baseline::{Baseline, Level, aggregate};
use locatieadvies::spreading::scenario::{CutAmount, Mutation, Policy, Scenario, apply};
use proptest::prelude::*;

fn world() -> &'static World {
    static W: OnceLock<World> = OnceLock::new();
    W.get_or_init(|| {
        let mut d = Diagnostics::default();
        let s = Sources::load(&SourceOptions::default(), &mut d);
        load_world(&s, &mut d).expect("shipped world is valid")
    })
}

fn fitted() -> &'static Fitted {
    static F: OnceLock<Fitted> = OnceLock::new();
    F.get_or_init(|| fit(world()).expect("the shipped figures can be fitted"))
}

/// The model baseline of a year, fitted to the published figures.
fn estimate(w: &World, year: i32) -> Result<Baseline, String> {
    locatieadvies::spreading::baseline::estimate(w, fitted(), year)
}

fn scenario(mutations: Vec<Mutation>) -> Scenario {
    Scenario {
        id: "t".into(),
        title: "t".into(),
        description: None,
        baseline_year: 2024,
        mutations,
        file: "test".into(),
    }
}

/// IenW's FTE in the model's split: what the cut tests state as the ministry's own figure.
fn ienw_modelled() -> f64 {
    estimate(world(), 2024)
        .unwrap()
        .rows
        .iter()
        .filter(|r| r.ministry == "IenW")
        .map(|r| r.fte)
        .sum()
}

fn cut(percent: f64, policy: Policy) -> Scenario {
    scenario(vec![Mutation::Cut {
        ministry: "IenW".into(),
        amount: CutAmount::Percent(percent),
        policy,
        current_fte: Some(ienw_modelled()),
    }])
}

#[test]
fn the_estimate_adds_up_to_the_published_total() {
    for year in [2021, 2022, 2023, 2024] {
        let b = estimate(world(), year).unwrap();
        let published = world().published.total(year).unwrap().value;
        assert!(
            (b.total() - published).abs() < 1e-6,
            "{year}: {} vs {published}",
            b.total()
        );
        assert!(b.is_estimate());
    }
    assert!(estimate(world(), 2019).is_err());
}

#[test]
fn cuts_are_exact_under_every_policy() {
    let base = estimate(world(), 2024).unwrap();
    let have: f64 = base
        .rows
        .iter()
        .filter(|r| r.ministry == "IenW")
        .map(|r| r.fte)
        .sum();
    let expected = (have * 0.22).round();
    for policy in [
        Policy::Proportional,
        Policy::RandstadFirst,
        Policy::ProtectUnderServed,
    ] {
        let o = apply(world(), None, &base, &cut(22.0, policy)).unwrap();
        let removed = o.total_before - o.total_after;
        assert!(
            (removed - expected).abs() < 1e-6,
            "{policy:?}: {removed} vs {expected}"
        );
        assert_eq!(o.mutations[0].fte, expected);
        // No figures per ministry on a model estimate; only IenW's sectors change.
        assert!(o.by_ministry.is_empty());
        let sector_cut: f64 = o.by_sector.iter().map(|l| l.delta).sum();
        assert!((sector_cut + expected).abs() < 1e-6);
        for l in &o.by_sector {
            if ["defensie", "politie", "rechtspraak", "gevangeniswezen"].contains(&l.key.as_str()) {
                assert_eq!(l.delta, 0.0, "{} belongs to DEF or JenV", l.key);
            }
        }
    }
}

#[test]
fn randstad_first_touches_the_rest_only_when_the_randstad_is_empty() {
    let w = world();
    let base = estimate(w, 2024).unwrap();
    let randstad_of = |o: &locatieadvies::spreading::scenario::Outcome| -> (f64, f64) {
        let inside: f64 = o
            .by_province
            .iter()
            .filter(|l| w.in_randstad(&l.key))
            .map(|l| l.delta)
            .sum();
        let outside: f64 = o
            .by_province
            .iter()
            .filter(|l| !w.in_randstad(&l.key))
            .map(|l| l.delta)
            .sum();
        (inside, outside)
    };
    // 22% fits inside the Randstad (about 60% of IenW there): nothing outside moves.
    let o = apply(w, None, &base, &cut(22.0, Policy::RandstadFirst)).unwrap();
    let (inside, outside) = randstad_of(&o);
    assert!(inside < 0.0 && outside == 0.0, "{inside} {outside}");
    // 80% does not fit: the Randstad is emptied of IenW, and only the rest comes from outside.
    let o = apply(w, None, &base, &cut(80.0, Policy::RandstadFirst)).unwrap();
    let ienw_randstad: f64 = base
        .rows
        .iter()
        .filter(|r| {
            r.ministry == "IenW"
                && w.in_randstad(&w.gemeenten[w.gemeente_index(&r.gemeente).unwrap()].province)
        })
        .map(|r| r.fte)
        .sum();
    let (inside, outside) = randstad_of(&o);
    assert!(
        (inside + ienw_randstad).abs() < 1e-6,
        "the Randstad share of IenW is cut entirely"
    );
    assert!(outside < 0.0);
    let have: f64 = base
        .rows
        .iter()
        .filter(|r| r.ministry == "IenW")
        .map(|r| r.fte)
        .sum();
    assert!(
        (inside + outside + (have * 0.8).round()).abs() < 1e-6,
        "{inside} {outside} {have}"
    );
}

#[test]
fn protecting_under_served_provinces_spares_them() {
    let w = world();
    let base = estimate(w, 2024).unwrap();
    let o = apply(w, None, &base, &cut(22.0, Policy::ProtectUnderServed)).unwrap();
    for l in &o.by_province {
        if w.settings.under_served.contains(&l.key) {
            assert_eq!(l.delta, 0.0, "{} is spared", l.name);
        }
    }
}

#[test]
fn a_cut_larger_than_the_ministry_is_an_error_that_names_it() {
    let base = estimate(world(), 2024).unwrap();
    let s = scenario(vec![Mutation::Cut {
        ministry: "IenW".into(),
        amount: CutAmount::Fte(1e9),
        policy: Policy::Proportional,
        current_fte: Some(20_000.0),
    }]);
    let e = apply(world(), None, &base, &s).unwrap_err();
    assert!(e.message.contains("`IenW`"), "{}", e.message);
}

#[test]
fn on_a_model_estimate_a_scenario_states_the_figures_below_the_province() {
    let base = estimate(world(), 2024).unwrap();
    let moved = scenario(vec![Mutation::Move {
        unit: "IenW ministeries".into(),
        from: "GM0518".into(),
        to: "GM0687".into(),
        fte: 120.0,
        current_fte: None,
    }]);
    let e = apply(world(), None, &base, &moved).unwrap_err();
    assert!(
        e.message.contains("no figures exist below the province")
            && e.message.contains("current_fte"),
        "{}",
        e.message
    );
    let cut = scenario(vec![Mutation::Cut {
        ministry: "IenW".into(),
        amount: CutAmount::Percent(22.0),
        policy: Policy::Proportional,
        current_fte: None,
    }]);
    let e = apply(world(), None, &base, &cut).unwrap_err();
    assert!(
        e.message.contains("no figures exist per ministry"),
        "{}",
        e.message
    );
    // Stated, the move leaves Zuid-Holland's fitted figure and reaches Zeeland's.
    let moved = scenario(vec![Mutation::Move {
        unit: "IenW ministeries".into(),
        from: "GM0518".into(),
        to: "GM0687".into(),
        fte: 120.0,
        current_fte: Some(500.0),
    }]);
    let o = apply(world(), None, &base, &moved).unwrap();
    let delta = |k: &str| o.by_province.iter().find(|l| l.key == k).unwrap().delta;
    assert!((delta("PV28") + 120.0).abs() < 1e-6 && (delta("PV29") - 120.0).abs() < 1e-6);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]

    /// Moves never create or lose FTE.
    #[test]
    fn moves_conserve_fte(moves in prop::collection::vec((0usize..10_000, 0usize..342, 0.0f64..1.0), 1..40)) {
        let w = world();
        let base = estimate(w, 2024).unwrap();
        let mut mutations = Vec::new();
        let mut held: std::collections::BTreeMap<(String, String), f64> = base.rows.iter().map(|r| ((r.unit.clone(), r.gemeente.clone()), r.fte)).collect();
        for (row, to, share) in moves {
            let r = &base.rows[row % base.rows.len()];
            let have = held[&(r.unit.clone(), r.gemeente.clone())];
            let fte = (have * share).floor();
            if fte <= 0.0 {
                continue;
            }
            let to = w.gemeenten[to].code.clone();
            *held.get_mut(&(r.unit.clone(), r.gemeente.clone())).unwrap() -= fte;
            *held.entry((r.unit.clone(), to.clone())).or_insert(0.0) += fte;
            mutations.push(Mutation::Move { unit: r.unit.clone(), from: r.gemeente.clone(), to, fte, current_fte: Some(have) });
        }
        let o = apply(w, None, &base, &scenario(mutations)).unwrap();
        prop_assert!((o.total_after - o.total_before).abs() < 1e-6);
        let sum: f64 = o.by_province.iter().map(|l| l.delta).sum();
        prop_assert!(sum.abs() < 1e-6);
    }
}

#[test]
fn the_report_reproduces_the_published_totals_and_growth() {
    // Published: 2022 +3.2%, 2023 +4.6%, 2024 +5.2%.
    for (year, total, pct) in [
        (2022, 321_396.0, 3.2),
        (2023, 336_270.0, 4.6),
        (2024, 353_797.0, 5.2),
    ] {
        let w = world();
        let r = annual::build(
            w,
            Some(&estimate(w, year - 1).unwrap()),
            &estimate(w, year).unwrap(),
            Some(fitted()),
            Vec::new(),
        );
        assert_eq!(r.published_total.as_ref().unwrap().value, total);
        assert!((r.total - total).abs() < 1e-6);
        let p = r.published_percent.unwrap();
        assert_eq!((p * 10.0).round() / 10.0, pct, "{year}: {p}");
        assert!(r.estimate);
        let sum: f64 = r.provinces.iter().map(|l| l.current).sum();
        assert!((sum - total).abs() < 1e-6);
    }
    let w = world();
    let r = annual::build(
        w,
        Some(&estimate(w, 2023).unwrap()),
        &estimate(w, 2024).unwrap(),
        Some(fitted()),
        Vec::new(),
    );
    assert_eq!(r.published_randstad_share_of_growth.unwrap().value, 0.74);
    assert_eq!(r.published_delta.unwrap(), 17_527.0);
}

#[test]
fn the_example_deliveries_aggregate() {
    let w = world();
    let mut d = Diagnostics::default();
    let path = Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/cases/deliveries/voorbeeld-fictief-2025.csv"
    ));
    let expect = Expect {
        year: Some(2025),
        accept_outliers: false,
    };
    let b = ingest(&[path], w, expect, &mut d).expect("valid deliveries");
    assert!(!b.is_estimate());
    assert_eq!(b.year, 2025);
    assert!((b.total() - 1395.75).abs() < 1e-9);
    let by_province = aggregate(w, &b.rows, Level::Province);
    assert_eq!(by_province["PV22"], 540.0);
    let by_sector = aggregate(w, &b.rows, Level::Sector);
    assert_eq!(by_sector["ministeries"], 450.5);
}

/// The fitted baseline reproduces every published figure within its rounding, at its best
/// reading where the other figures allow; the two conflicting figures give way and are named.
#[test]
fn the_fit_reproduces_every_published_figure() {
    let f = fitted();
    assert_eq!(f.checks.len(), world().published.figures.len());
    for c in &f.checks {
        if c.used {
            assert!(
                c.within,
                "{}: fitted {} against {:?}",
                c.figure, c.fitted, c.range
            );
        }
    }
    let gave: Vec<&str> = f
        .checks
        .iter()
        .filter(|c| !c.used)
        .map(|c| c.figure.as_str())
        .collect();
    assert_eq!(
        gave,
        [
            "Limburg (PV31), 1 January 2023: 12692 FTE",
            "Fryslân (PV21), change 2021 to 2022: -2.3%"
        ]
    );
    assert_eq!(f.conflicts.len(), 2);
    // Limburg 12,691 on 1 January 2023, exactly, with its published sector split.
    let limburg: f64 = world()
        .settings
        .sectors
        .iter()
        .map(|s| f.cell(2023, "PV31", s).unwrap())
        .sum();
    assert!((limburg - 12_691.0).abs() < 1e-3, "{limburg}");
    assert!((f.cell(2023, "PV31", "politie").unwrap() - 3362.0).abs() < 1e-3);
    // "Bijna 95.000" is held at the middle of its interval, 94,500.
    let zh: f64 = world()
        .settings
        .sectors
        .iter()
        .map(|s| f.cell(2022, "PV28", s).unwrap())
        .sum();
    assert!((zh - 94_500.0).abs() < 1e-3, "{zh}");
}

/// The fit is deterministic and provinces keep their share from year to year where nothing is
/// published: no province's FTE jumps by more than 10% a year.
#[test]
fn the_fit_is_deterministic_and_smooth() {
    let again = fit(world()).unwrap();
    assert_eq!(again.cells, fitted().cells);
    let f = fitted();
    for p in &f.grid.provinces {
        let total = |y: i32| -> f64 {
            f.grid
                .sectors
                .iter()
                .map(|s| f.cell(y, p, s).unwrap())
                .sum()
        };
        for y in 2022..=2024 {
            let change = total(y) / total(y - 1) - 1.0;
            assert!(change.abs() < 0.10, "{p} {y}: {:+.1}%", change * 100.0);
        }
    }
}

/// Every province line of the report says what its figure is; a published province shows the
/// published value and the difference; ministries are estimated and the report says why.
#[test]
fn report_lines_carry_their_label_and_published_difference() {
    let w = world();
    let r = annual::build(
        w,
        Some(&estimate(w, 2022).unwrap()),
        &estimate(w, 2023).unwrap(),
        Some(fitted()),
        Vec::new(),
    );
    let limburg = r.provinces.iter().find(|l| l.key == "PV31").unwrap();
    assert_eq!(limburg.label, "published");
    let c = limburg.published.as_ref().unwrap();
    assert_eq!(c.published, 12_691.0);
    assert!(c.within && c.difference.abs() < 1e-3);
    assert!(
        r.provinces
            .iter()
            .filter(|l| l.key != "PV31")
            .all(|l| l.label == "fitted")
    );
    assert!(r.ministries.iter().all(|l| l.label == "estimated"));
    assert!(
        r.notes
            .iter()
            .any(|n| n.contains("same figure by construction"))
    );
    assert_eq!(r.derived_label, "fitted");
    // The first year has no year before to compare with.
    let first = annual::build(
        w,
        None,
        &estimate(w, 2021).unwrap(),
        Some(fitted()),
        Vec::new(),
    );
    assert!(
        first
            .provinces
            .iter()
            .all(|l| l.previous.is_none() && l.delta.is_none())
    );
    assert!(first.published_delta.is_none() && first.theil_previous.is_none());
}
