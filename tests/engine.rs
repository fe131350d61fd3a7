//! Engine properties: value functions stay in 0..1 and are monotone; a candidate's score does not
//! depend on the other candidates; input order does not change the output; two runs give
//! byte-identical JSON; the rail graph and travel matrix are complete and plausible.

mod common;
use common::{case, engine, shipped};

use locatieadvies::advice::RunOptions;
use locatieadvies::model::{Case, ValueFunction};
use proptest::prelude::*;

fn growth_case(candidates: &[&str]) -> Case {
    let list = candidates
        .iter()
        .map(|c| format!("\"{c}\""))
        .collect::<Vec<_>>()
        .join(", ");
    case(&format!(
        "[case]\nid = \"t\"\ntitle = \"t\"\nministry = \"BZK\"\nsector = \"zbo\"\nkind = \"growth\"\nfte = 150\nthemes = [\"energie\"]\ncandidates = [{list}]\n"
    ))
}

#[test]
fn shipped_world_has_the_expected_size() {
    let w = &engine().world;
    assert_eq!(w.provinces.len(), 12);
    assert_eq!(w.corops.len(), 40);
    assert_eq!(w.gemeenten.len(), 342);
    assert_eq!(w.rail.stations.len(), 399);
    assert_eq!(w.rail.links.len(), 430);
    assert_eq!(w.rail.measured.len(), 9894);
    assert_eq!(
        w.rail.extra_links.len(),
        2,
        "HSL-Zuid: Schiphol-Rotterdam, Rotterdam-Breda"
    );
    assert!(w.principles.len() >= 8);
}

#[test]
fn every_gemeente_has_a_point_and_a_cbs_population() {
    let w = &engine().world;
    // The CBS populations of 1 January 2024 add up to the published national population.
    let total: f64 = w.gemeenten.iter().map(|g| g.population).sum();
    assert_eq!(total, 17_942_942.0);
    // Oostzaan and West Maas en Waal have no main place; their polygon centroid stands in.
    let centroids: Vec<&str> = w
        .gemeenten
        .iter()
        .filter(|g| g.point_source == locatieadvies::model::PointSource::Centroid)
        .map(|g| g.name.as_str())
        .collect();
    assert_eq!(centroids, ["Oostzaan", "West Maas en Waal"]);
    assert!(w.gemeenten.iter().all(|g| g.woz.is_some()));
}

#[test]
fn travel_matrix_is_complete_and_plausible() {
    let e = engine();
    let w = &e.world;
    let idx = |c: &str| w.gemeente_index(c).unwrap();
    // Every gemeente reaches every other one, except those across water without a sourced
    // crossing (Terschelling, Terneuzen, Hulst): their minutes are unknown, never guessed.
    let n = w.gemeenten.len();
    let unknown = ["GM0093", "GM0715", "GM0677"];
    for a in 0..n {
        for b in 0..n {
            let cut_off = a != b
                && (unknown.contains(&w.gemeenten[a].code.as_str())
                    || unknown.contains(&w.gemeenten[b].code.as_str()));
            assert_eq!(e.travel.minutes(a, b).is_none(), cut_off, "{a} -> {b}");
        }
    }
    let (gn, mt, ut, ad, dh) = (
        idx("GM0014"),
        idx("GM0935"),
        idx("GM0344"),
        idx("GM0363"),
        idx("GM0518"),
    );
    // Between main stations with measured journeys the minutes are the measurements (NS journey
    // planner, 30 September 2019): Utrecht Centraal - Amsterdam Centraal 26, Den Haag Centraal -
    // Utrecht Centraal 37.
    assert_eq!(e.travel.minutes(ut, ad), Some(26.0));
    assert!(e.travel.measured(ut, ad));
    assert_eq!(e.travel.minutes(dh, ut), Some(37.0));
    // Groningen-Maastricht runs about 332 km by rail; the fare shortcut in the raw tariff
    // matrix (233 km) must not appear.
    let km = e.travel.km(gn, mt).unwrap();
    assert!((300.0..360.0).contains(&km), "{km}");
    assert!(e.travel.minutes(ut, ad).unwrap() < e.travel.minutes(ut, gn).unwrap());
}

prop_compose! {
    fn monotone_function()(raw in prop::collection::btree_set(-1000i32..1000, 2..8),
                           ys in prop::collection::vec(0.0f64..=1.0, 8),
                           up in any::<bool>()) -> ValueFunction {
        let xs: Vec<f64> = raw.into_iter().map(f64::from).collect();
        let mut ys: Vec<f64> = ys[..xs.len()].to_vec();
        ys.sort_by(f64::total_cmp);
        if !up { ys.reverse(); }
        ValueFunction { points: xs.into_iter().zip(ys).collect() }
    }
}

proptest! {
    #[test]
    fn value_functions_stay_in_range_and_monotone(vf in monotone_function(), a in -2000.0f64..2000.0, b in -2000.0f64..2000.0) {
        let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
        let (vlo, vhi) = (vf.eval(lo), vf.eval(hi));
        prop_assert!((0.0..=1.0).contains(&vlo) && (0.0..=1.0).contains(&vhi));
        let up = vf.points.last().unwrap().1 >= vf.points[0].1;
        if up { prop_assert!(vlo <= vhi + 1e-12) } else { prop_assert!(vlo + 1e-12 >= vhi) }
    }

    #[test]
    fn shipped_value_functions_stay_in_range(x in -1e7f64..1e7) {
        for c in &engine().world.criteria {
            let v = c.value_function.eval(x);
            prop_assert!((0.0..=1.0).contains(&v), "{} gives {v} at {x}", c.id);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    /// A candidate's score does not change when other candidates are added or removed.
    #[test]
    fn score_is_independent_of_other_candidates(picks in prop::collection::btree_set(0usize..342, 2..12)) {
        let w = &engine().world;
        let codes: Vec<&str> = picks.iter().map(|&i| w.gemeenten[i].code.as_str()).collect();
        let full = engine().advise(&growth_case(&codes), &RunOptions::default());
        let fewer = engine().advise(&growth_case(&codes[1..]), &RunOptions::default());
        for r in &fewer.ranking {
            let same = full.ranking.iter().find(|x| x.location == r.location).unwrap();
            prop_assert_eq!(same.score.to_bits(), r.score.to_bits());
        }
    }

    /// The order of the candidates in the case file does not change the output.
    #[test]
    fn input_order_does_not_change_output(picks in prop::collection::vec(0usize..342, 2..12)) {
        let w = &engine().world;
        let mut codes: Vec<&str> = picks.iter().map(|&i| w.gemeenten[i].code.as_str()).collect();
        codes.sort();
        codes.dedup();
        let a = engine().advise(&growth_case(&codes), &RunOptions::default());
        codes.reverse();
        let b = engine().advise(&growth_case(&codes), &RunOptions::default());
        let (mut ja, mut jb) = (serde_json::to_value(&a).unwrap(), serde_json::to_value(&b).unwrap());
        // The case file differs in its text, so its digest differs; everything else is equal.
        ja["input_digest"] = serde_json::Value::Null;
        jb["input_digest"] = serde_json::Value::Null;
        prop_assert_eq!(ja, jb);
    }
}

#[test]
fn score_is_the_sum_of_contributions_and_adjustments() {
    let a = engine().advise(&shipped("nieuwe-zbo-energie"), &RunOptions::default());
    assert_eq!(a.ranking.len() + a.excluded.len(), 342);
    for r in &a.ranking {
        let sum: f64 = r.contributions.iter().map(|c| c.contribution).sum::<f64>()
            + r.adjustments.iter().map(|x| x.delta).sum::<f64>();
        assert!((sum - r.score).abs() < 1e-12);
        for c in &r.contributions {
            assert!((0.0..=1.0).contains(&c.value));
        }
    }
    let total: f64 = a.weights.iter().map(|w| w.weight).sum();
    assert!((total - 1.0).abs() < 1e-12);
    // Ordered by tier first, then by score, then by code.
    for w in a.ranking.windows(2) {
        assert!(
            w[0].tier < w[1].tier
                || (w[0].tier == w[1].tier
                    && (w[0].score > w[1].score
                        || (w[0].score == w[1].score && w[0].location < w[1].location)))
        );
    }
}

#[test]
fn weights_in_the_case_override_the_rules() {
    let base = "[case]\nid = \"t\"\ntitle = \"t\"\nministry = \"BZK\"\nsector = \"zbo\"\nkind = \"new\"\nfte = 150\n";
    let only_cost = format!(
        "{base}[weights]\n{}",
        engine()
            .world
            .criteria
            .iter()
            .map(|c| format!("{} = {}\n", c.id, if c.id == "office-cost" { 1 } else { 0 }))
            .collect::<String>()
    );
    let a = engine().advise(
        &case(&only_cost),
        &RunOptions {
            disable: engine()
                .world
                .principles
                .iter()
                .map(|p| p.id.clone())
                .collect(),
            ..Default::default()
        },
    );
    // With only the cost criterion and no principles, the ranking follows the WOZ value alone
    // (equal scores, where the value function is flat, are ordered by code).
    let woz = |code: &str| {
        let g = &engine().world.gemeenten[engine().world.gemeente_index(code).unwrap()];
        g.woz.unwrap()
    };
    for w in a.ranking.windows(2) {
        assert!(w[0].score >= w[1].score);
        if w[0].score > w[1].score {
            assert!(woz(&w[0].location) <= woz(&w[1].location));
        }
    }
    // Most of the 342 gemeenten differ in WOZ value: the test compares many pairs.
    let steps = a
        .ranking
        .windows(2)
        .filter(|w| w[0].score > w[1].score)
        .count();
    assert!(steps > 150, "{steps} of {}", a.ranking.len());
    assert_eq!(
        a.weights
            .iter()
            .find(|w| w.criterion == "office-cost")
            .unwrap()
            .origin,
        "case"
    );
}

#[test]
fn two_runs_give_byte_identical_json() {
    for name in ["nieuwe-zbo-energie", "krimp-taakstelling-rijkswaterstaat"] {
        let c = shipped(name);
        let a = locatieadvies::advice::model::json(&engine().advise(&c, &RunOptions::default()));
        let b = locatieadvies::advice::model::json(&engine().advise(&c, &RunOptions::default()));
        assert_eq!(a, b);
    }
}

#[test]
fn shrink_split_is_exact_and_capped() {
    let a = engine().advise(
        &shipped("krimp-taakstelling-rijkswaterstaat"),
        &RunOptions::default(),
    );
    assert_eq!(a.ranking_meaning, "shrink-priority");
    let split = a.shrink_split.unwrap();
    let total: f64 = split.parts.iter().map(|p| p.reduction_fte).sum();
    assert!((total - 120.0).abs() < 1e-9, "{total}");
    for p in &split.parts {
        assert!(p.reduction_fte <= p.current_fte.unwrap());
    }
    // Shrinkage lands in the Randstad first.
    assert!(a.ranking[0].randstad && a.ranking[1].randstad);
}
