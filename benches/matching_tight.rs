//! `match` on tightly capped pipelines: the seeded family of 50 SYNTHETIC services over 342
//! gemeenten that may not be split (`benches/common/synthetic.rs`), with province caps of 0.5%,
//! 0.2% and 0.15% of the labour force (70% outside the Randstad), and with 90% required outside
//! the Randstad (cap 0.5%). Each is solved by every solver compiled in (the builtin one; HiGHS
//! with `--features highs`) with a limit of 120 s; prints status, objective, bound, gap, nodes and
//! seconds, or that no assignment exists. Target: each feasible one proven optimal in under 30 s.
//!
//! `cargo bench --bench matching_tight` (add `--features highs` for HiGHS); words after `--`
//! keep the instances and solvers whose name contains one of them, e.g.
//! `cargo bench --bench matching_tight -- 0.2% builtin`.

use std::time::Duration;

use locatieadvies::advice::Engine;
use locatieadvies::config::{SourceOptions, Sources, load_world};
use locatieadvies::diag::Diagnostics;
use locatieadvies::matching::{Solver, Status, solve_with};

#[path = "common/synthetic.rs"]
mod synthetic;

fn main() {
    if !std::env::args().any(|a| a == "--bench") {
        return;
    }
    let filters: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    // A word that names a solver picks solvers; any other word picks instances.
    let names: Vec<&str> = Solver::available().iter().map(|s| s.name()).collect();
    let (by_solver, by_instance): (Vec<&String>, Vec<&String>) =
        filters.iter().partition(|f| names.contains(&f.as_str()));
    let keep = |words: &[&String], name: &str| {
        words.is_empty() || words.iter().any(|w| name.contains(w.as_str()))
    };
    let mut d = Diagnostics::default();
    let s = Sources::load(&SourceOptions::default(), &mut d);
    let engine = Engine::new(load_world(&s, &mut d).expect("shipped world is valid"));
    let family = [
        ("cap 0.5%, 70% outside", 0.005, 0.7),
        ("cap 0.2%, 70% outside", 0.002, 0.7),
        ("cap 0.15%, 70% outside", 0.0015, 0.7),
        ("cap 0.5%, 90% outside", 0.005, 0.9),
    ];
    let limit = Duration::from_secs(120);
    let mut all_proven = true;
    for (name, cap, outside) in family {
        if !keep(&by_instance, name) {
            continue;
        }
        let p = synthetic::synthetic_problem_with(&engine, 50, cap, outside);
        for solver in Solver::available() {
            if !keep(&by_solver, solver.name()) {
                continue;
            }
            match solve_with(&p, Some(limit), solver) {
                // No assignment exists: every solver must say so (the caps are too tight).
                Err(e) if !e.timed_out => println!(
                    "{name:<24} {:<8} infeasible, as proven: {}",
                    solver.name(),
                    e.culprits
                        .iter()
                        .map(|f| f.name())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                Ok(a) => {
                    let proven = a.status == Status::Optimal;
                    all_proven &= proven && a.seconds < 30.0;
                    println!(
                        "{name:<24} {:<8} {:<10} objective {:.6} bound {:.6} gap {:.4}% nodes {:>7} {:.2} s",
                        solver.name(),
                        if proven { "optimal" } else { "stopped" },
                        a.objective,
                        a.bound,
                        a.gap() * 100.0,
                        a.nodes,
                        a.seconds
                    );
                }
                Err(_) => {
                    all_proven = false;
                    println!(
                        "{name:<24} {:<8} stopped before any assignment",
                        solver.name()
                    );
                }
            }
        }
    }
    println!(
        "every feasible instance proven optimal in under 30 s by every solver: {}",
        if all_proven { "yes" } else { "no" }
    );
}
