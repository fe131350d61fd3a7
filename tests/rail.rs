//! The rail travel model against the measured NS journeys: measurements are used as they are,
//! the model's shortest paths agree with an independent Dijkstra, the in-sample statistics in
//! `profiles/rail/model.toml` are those of its parameters, and the leave-stations-out
//! cross-validation stays within its target and matches the table in `docs/rail-model.md`.

use std::sync::OnceLock;

use locatieadvies::config::{SourceOptions, Sources, load_world};
use locatieadvies::diag::Diagnostics;
use locatieadvies::model::World;
use locatieadvies::rail::{self, Network, fit};
use locatieadvies::render::templates::Templates;

fn world() -> &'static World {
    static W: OnceLock<World> = OnceLock::new();
    W.get_or_init(|| {
        let mut d = Diagnostics::default();
        let s = Sources::load(&SourceOptions::default(), &mut d);
        let w = load_world(&s, &mut d).expect("shipped world is valid");
        assert!(d.is_empty(), "{}", d.render());
        w
    })
}

fn station(code: &str) -> usize {
    world()
        .rail
        .stations
        .iter()
        .position(|s| s.code == code)
        .unwrap()
}

#[test]
fn every_measured_journey_is_used_as_measured() {
    let w = world();
    let net = rail::network(w);
    let sm = net.matrix();
    for &(a, b, m) in &w.rail.measured {
        assert_eq!(
            sm.minutes(a, b),
            Some(m),
            "{} -> {}",
            w.rail.stations[a].code,
            w.rail.stations[b].code
        );
    }
    // Utrecht Centraal - Amsterdam Centraal: 26 minutes in the journey planner (27 in the 2024
    // timetable the issue quotes).
    assert_eq!(sm.minutes(station("UT"), station("ASD")), Some(26.0));
}

#[test]
fn the_model_agrees_with_an_independent_dijkstra() {
    use petgraph::graph::{NodeIndex, UnGraph};
    let w = world();
    let p = &w.rail_model.params;
    let n = w.rail.stations.len();
    // The layered graph built again from its definition: stopping-train nodes 0..n, intercity
    // nodes n..2n, a transfer edge at every station on an intercity or extra link.
    let mut g: UnGraph<(), f64> = UnGraph::new_undirected();
    for _ in 0..2 * n {
        g.add_node(());
    }
    let node = NodeIndex::new;
    for &(a, b, km) in &w.rail.links {
        g.add_edge(
            node(a),
            node(b),
            km / p.local_speed_kmh * 60.0 + p.local_stop_minutes,
        );
    }
    let mut ic = vec![false; n];
    for &(a, b, km) in &w.rail.ic_links {
        g.add_edge(
            node(n + a),
            node(n + b),
            km / p.intercity_speed_kmh * 60.0 + p.intercity_stop_minutes,
        );
        ic[a] = true;
        ic[b] = true;
    }
    for (x, m) in w.rail.extra_links.iter().zip(&p.extra_minutes) {
        g.add_edge(node(n + x.a), node(n + x.b), *m);
        ic[x.a] = true;
        ic[x.b] = true;
    }
    for (s, _) in ic.iter().enumerate().filter(|(_, on)| **on) {
        g.add_edge(node(s), node(n + s), p.transfer_minutes);
    }
    // The model alone: no station lends its measurements.
    let net = Network::new(&w.rail, p, Some(&vec![false; n]));
    let sm = net.matrix();
    for s in (0..n).step_by(23) {
        let mut best = vec![f64::INFINITY; n];
        for start in [s, n + s] {
            if start >= n && !ic[s] {
                continue;
            }
            for (v, d) in petgraph::algo::dijkstra(&g, node(start), None, |e| *e.weight()) {
                let t = v.index() % n;
                best[t] = best[t].min(d);
            }
        }
        for (t, reference) in best.iter().enumerate() {
            let ours = sm.minutes(s, t).unwrap();
            assert!(
                (ours - reference).abs() < 1e-9,
                "{s} -> {t}: {ours} against {reference}"
            );
        }
    }
    // The model alone obeys the triangle inequality up to one transfer: a trip may start and end
    // in either layer, so joining two trips at a station may need a change there (measured
    // journeys need not obey it at all).
    for a in (0..n).step_by(37) {
        for b in (0..n).step_by(41) {
            for c in (0..n).step_by(43) {
                let d = |x: usize, y: usize| sm.minutes(x, y).unwrap();
                assert!(d(a, c) <= d(a, b) + p.transfer_minutes + d(b, c) + 1e-9);
            }
        }
    }
}

#[test]
fn the_shipped_fit_statistics_are_those_of_the_shipped_parameters() {
    let w = world();
    let s = fit::evaluate(&w.rail, &w.rail_model.params, None);
    let f = &w.rail_model.fit;
    assert_eq!((s.pairs, s.stations), (f.pairs, f.stations));
    for (a, b) in [
        (s.mae_minutes, f.mae_minutes),
        (s.bias_minutes, f.bias_minutes),
        (s.mae_percent, f.mae_percent),
        (s.bias_percent, f.bias_percent),
    ] {
        assert!((a - b).abs() < 0.0005 + 1e-9, "{a} against {b}");
    }
}

/// The target of the model: on stations it has not seen, a mean absolute error of at most 10%
/// and a bias within 5% of the measured minutes.
#[test]
fn held_out_stations_are_predicted_within_the_target_and_the_docs_are_current() {
    let cv = fit::cross_validate(&world().rail, fit::CV_FOLDS, fit::CV_SEED);
    assert_eq!(cv.stations, 100);
    assert_eq!(cv.folds.len(), 10);
    assert_eq!(
        cv.pairs, 18888,
        "every pair with a held-out end, once per fold it is in"
    );
    assert!(
        cv.mae_percent <= 10.0,
        "held-out MAE {:.2}% above 10%",
        cv.mae_percent
    );
    assert!(
        cv.bias_percent.abs() <= 5.0,
        "held-out bias {:.2}% outside 5%",
        cv.bias_percent
    );
    let mut diags = Diagnostics::default();
    let table = Templates::load(None, &mut diags)
        .expect("the shipped templates load")
        .render(
            "travel/cross-validation.en.md",
            &serde_json::json!({ "cv": cv }),
        )
        .expect("the table renders");
    let docs = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/rail-model.md"))
        .expect("docs/rail-model.md");
    assert!(
        docs.contains(&table),
        "docs/rail-model.md does not hold the current cross-validation table; run `cargo run --release -- travel --cross-validate --format markdown` and paste it:\n{table}"
    );
}
