//! Starting assignments for the exact search: the greedy start with moves and swaps, and the
//! neighbourhood search that frees two regions at a time. They only make the search prune
//! faster; the proof of optimality does not depend on them.

// Loops over (service, location) indices read more clearly than zipped iterators here.
#![allow(clippy::needless_range_loop)]

use std::time::Instant;

use microlp::SolveOptions;

use super::bound::Dual;
use super::model::{Run, run, warm_start};
use super::{Loads, Pairs, Placement, Problem, below, search_model};

/// Branch-and-bound nodes per neighbourhood in [`improve`].
pub(super) const NEIGHBOURHOOD_NODES: u64 = 1_000;

/// Large neighbourhood search: for each pair of regions, the services placed there are freed
/// (all others stay where they are) and the small problem that remains is searched exactly
/// within a node budget, starting from the incumbent; a better assignment replaces it. Uses at
/// most a third of the time left. Deterministic: fixed order, node budgets.
pub(super) fn improve(
    p: &Problem,
    eligible: &Pairs,
    dual: &Dual,
    mut best: Run,
    deadline: Option<Instant>,
) -> Run {
    let until = deadline.map(|d| {
        let now = Instant::now();
        now + d.saturating_duration_since(now) / 3
    });
    let regions = p.region_cap.len();
    for r1 in 0..regions {
        for r2 in r1..regions {
            if until.is_some_and(|u| Instant::now() >= u) {
                return best;
            }
            let floor = below(best.objective);
            let Some(pairs) = neighbourhood(p, eligible, dual, &best, (r1, r2), floor) else {
                continue;
            };
            let m = search_model(p, &pairs, dual, floor);
            let mut o = SolveOptions::default();
            o.node_limit = Some(NEIGHBOURHOOD_NODES);
            if let Some(u) = until {
                o.time_limit = Some(u.saturating_duration_since(Instant::now()));
            }
            o.warm_start = Some(warm_start(&m, &best));
            if let Some(r) = run(&m, p, o)
                && r.objective > best.objective + 1e-9 * best.objective.abs().max(1.0)
            {
                best = r;
            }
        }
    }
    best
}

/// The pairs of the neighbourhood of regions `r1` and `r2`: a service placed wholly in either
/// may go to any eligible location that can still reach `floor`, every other service stays
/// where it is. `None` when fewer than two services would be freed.
fn neighbourhood(
    p: &Problem,
    eligible: &Pairs,
    dual: &Dual,
    best: &Run,
    (r1, r2): (usize, usize),
    floor: f64,
) -> Option<Pairs> {
    let at: Vec<Option<usize>> = best
        .placed
        .iter()
        .map(|pl| match pl.as_slice() {
            [(l, v)] if *v == 1.0 => Some(*l),
            _ => None,
        })
        .collect();
    let free: Vec<bool> = at
        .iter()
        .map(|l| l.is_some_and(|l| p.region[l] == r1 || p.region[l] == r2))
        .collect();
    if free.iter().filter(|f| **f).count() < 2 {
        return None;
    }
    Some(
        (0..p.services.len())
            .map(|s| {
                (0..p.n())
                    .map(|l| {
                        if free[s] {
                            eligible[s][l] && dual.reaches(s, l, floor)
                        } else {
                            at[s] == Some(l)
                        }
                    })
                    .collect()
            })
            .collect(),
    )
}

/// A starting assignment for the exact search: services that may not be split, the most
/// constrained first,
/// each at its best location that still fits, then improved by moves and swaps while that
/// raises the score. `None` when this fails to place every service; the exact search does not
/// need it, it only prunes faster with it.
pub(super) fn heuristic(p: &Problem, pairs: &Pairs, cost: &[Vec<f64>]) -> Option<Placement> {
    if p.services.iter().any(|s| s.split) {
        return None;
    }
    let k = p.services.len();
    let ranked: Vec<Vec<usize>> = (0..k)
        .map(|s| {
            let mut ls: Vec<usize> = (0..p.n()).filter(|&l| pairs[s][l]).collect();
            ls.sort_by(|&a, &b| cost[s][a].total_cmp(&cost[s][b]).then(a.cmp(&b)));
            ls
        })
        .collect();
    // The most constrained services first (fewest locations), then the largest.
    let mut order: Vec<usize> = (0..k).collect();
    order.sort_by(|&a, &b| {
        ranked[a]
            .len()
            .cmp(&ranked[b].len())
            .then(p.services[b].fte.total_cmp(&p.services[a].fte))
            .then(a.cmp(&b))
    });
    let (mut at, mut loads) = greedy(p, &ranked, &order)?;
    // Improve by single moves and pairwise swaps until neither helps.
    for _ in 0..100 {
        let moved = improve_moves(p, &ranked, &mut at, &mut loads);
        let swapped = improve_swaps(p, pairs, &mut at, &mut loads);
        if !moved && !swapped {
            break;
        }
    }
    Some(at.iter().map(|&l| vec![(l, 1.0)]).collect())
}

/// Each service in `order` at the first location in its `ranked` list that still fits.
fn greedy(p: &Problem, ranked: &[Vec<usize>], order: &[usize]) -> Option<(Vec<usize>, Loads)> {
    let mut at = vec![usize::MAX; ranked.len()];
    let mut loads = Loads::new(p);
    let mut rest = p.total_fte();
    for &s in order {
        let f = p.services[s].fte;
        rest -= f;
        let l = ranked[s].iter().copied().find(|&l| {
            loads.add(p, l, f, 1.0);
            let ok = loads.ok_at(p, l) && loads.outside_ok(p, rest);
            loads.add(p, l, f, -1.0);
            ok
        })?;
        loads.add(p, l, f, 1.0);
        at[s] = l;
    }
    Some((at, loads))
}

/// Whether the loads at `ls` and the share outside the Randstad are within their limits.
fn feasible_at(p: &Problem, loads: &Loads, ls: &[usize]) -> bool {
    ls.iter().all(|&l| loads.ok_at(p, l)) && loads.outside_ok(p, 0.0)
}

/// Moves each service to a better location that still fits; whether any moved.
fn improve_moves(p: &Problem, ranked: &[Vec<usize>], at: &mut [usize], loads: &mut Loads) -> bool {
    let mut better = false;
    for s in 0..at.len() {
        let f = p.services[s].fte;
        let from = at[s];
        for &l in &ranked[s] {
            if p.value(s, l) <= p.value(s, from) + 1e-12 {
                continue;
            }
            loads.add(p, from, f, -1.0);
            loads.add(p, l, f, 1.0);
            if feasible_at(p, loads, &[l, from]) {
                at[s] = l;
                better = true;
                break;
            }
            loads.add(p, l, f, -1.0);
            loads.add(p, from, f, 1.0);
        }
    }
    better
}

/// Swaps the locations of two services where that scores higher and still fits; whether any
/// swapped.
fn improve_swaps(p: &Problem, pairs: &Pairs, at: &mut [usize], loads: &mut Loads) -> bool {
    let k = at.len();
    let mut better = false;
    for s in 0..k {
        for t in s + 1..k {
            let (ls, lt) = (at[s], at[t]);
            if ls == lt || !pairs[s][lt] || !pairs[t][ls] {
                continue;
            }
            let gain = p.value(s, lt) + p.value(t, ls) - p.value(s, ls) - p.value(t, lt);
            if gain <= 1e-12 {
                continue;
            }
            let (fs, ft) = (p.services[s].fte, p.services[t].fte);
            loads.add(p, ls, fs, -1.0);
            loads.add(p, lt, ft, -1.0);
            loads.add(p, lt, fs, 1.0);
            loads.add(p, ls, ft, 1.0);
            if feasible_at(p, loads, &[ls, lt]) {
                at.swap(s, t);
                better = true;
            } else {
                loads.add(p, ls, ft, -1.0);
                loads.add(p, lt, fs, -1.0);
                loads.add(p, lt, ft, 1.0);
                loads.add(p, ls, fs, 1.0);
            }
        }
    }
    better
}

#[cfg(test)]
mod tests {
    use super::super::bound::pattern_dual;
    use super::super::{Service, objective, solve};
    use super::*;
    use microlp::TerminationReason;
    use rand::{RngExt, SeedableRng};
    use rand_chacha::ChaCha8Rng;

    /// 10 services over 24 locations in 4 regions, with capacities, a maximum of two per
    /// location, region caps and a share outside the Randstad.
    fn instance(seed: u64) -> Problem {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let n = 24;
        Problem {
            services: (0..10)
                .map(|_| Service {
                    fte: f64::from(100 + 10 * rng.random_range(0..=30u32)),
                    scores: (0..n)
                        .map(|_| Some(rng.random_range(0.3..0.8f64)))
                        .collect(),
                    split: false,
                })
                .collect(),
            capacity: (0..n)
                .map(|_| Some([250.0, 400.0, 600.0][rng.random_range(0..3)]))
                .collect(),
            region: (0..n).map(|l| l % 4).collect(),
            region_cap: (0..4).map(|_| Some(1200.0)).collect(),
            randstad: (0..n).map(|l| l % 4 == 0).collect(),
            max_per_location: Some(2),
            min_outside_share: Some(0.7),
        }
    }

    fn feasible(p: &Problem, placed: &Placement) -> bool {
        let mut loads = Loads::new(p);
        for (s, pl) in placed.iter().enumerate() {
            let [(l, 1.0)] = pl.as_slice() else {
                return false;
            };
            loads.add(p, *l, p.services[s].fte, 1.0);
        }
        (0..p.n()).all(|l| loads.ok_at(p, l)) && loads.outside_ok(p, 0.0)
    }

    /// Each service in turn at its worst-scoring location that still fits: a poor start.
    fn worst_fit(p: &Problem, eligible: &Pairs) -> Option<Placement> {
        let mut loads = Loads::new(p);
        let mut rest = p.total_fte();
        let mut placed = Vec::new();
        for s in 0..p.services.len() {
            let f = p.services[s].fte;
            rest -= f;
            let mut ls: Vec<usize> = (0..p.n()).filter(|&l| eligible[s][l]).collect();
            ls.sort_by(|&a, &b| p.value(s, a).total_cmp(&p.value(s, b)));
            let l = ls.into_iter().find(|&l| {
                loads.add(p, l, f, 1.0);
                let ok = loads.ok_at(p, l) && loads.outside_ok(p, rest);
                loads.add(p, l, f, -1.0);
                ok
            })?;
            loads.add(p, l, f, 1.0);
            placed.push(vec![(l, 1.0)]);
        }
        Some(placed)
    }

    /// The neighbourhood search starts from a poor assignment (each service led to its worst
    /// locations first): it returns a feasible assignment, never worse and never above the
    /// optimum, and it improves most starts.
    #[test]
    fn neighbourhood_search_improves_a_poor_start() {
        let mut improved = 0;
        for seed in 0..8 {
            let p = instance(seed);
            let eligible = p.eligible();
            let dual = pattern_dual(&p, &eligible).expect("bounded");
            let placed = worst_fit(&p, &eligible).expect("a start exists");
            assert!(feasible(&p, &placed), "seed {seed}: the start is feasible");
            let start = Run {
                objective: objective(&p, &placed),
                placed,
                reason: TerminationReason::NodeLimit,
                gap: f64::INFINITY,
                nodes: 0,
            };
            let better = improve(&p, &eligible, &dual, start.clone(), None);
            assert!(feasible(&p, &better.placed), "seed {seed}: still feasible");
            let exact = solve(&p, None).expect("feasible");
            assert!(better.objective <= exact.objective + 1e-6, "seed {seed}");
            assert!(
                better.objective >= start.objective,
                "seed {seed}: never worse"
            );
            if better.objective > start.objective + 1e-6 {
                improved += 1;
            }
        }
        assert_eq!(improved, 8, "every poor start is improved");
    }
}
