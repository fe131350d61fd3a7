//! Exact matching: the O15 oracle and its tie case, brute force on random small instances,
//! infeasible instances and determinism.

use locatieadvies::matching::{Family, Problem, Service, Status, solve, solve_plain};
use proptest::prelude::*;

fn o15(capacity_r1: usize) -> Problem {
    let scores = [[0.90, 0.85, 0.10], [0.88, 0.20, 0.10], [0.50, 0.50, 0.50]];
    Problem {
        services: scores
            .iter()
            .map(|r| Service {
                fte: 1.0,
                scores: r.iter().map(|x| Some(*x)).collect(),
                split: false,
            })
            .collect(),
        capacity: vec![Some(capacity_r1 as f64), Some(1.0), Some(1.0)],
        region: vec![0, 1, 2],
        region_cap: vec![None, None, None],
        randstad: vec![false, false, false],
        max_per_location: None,
        min_outside_share: None,
    }
}

fn at(a: &locatieadvies::matching::Assignment) -> Vec<usize> {
    a.placed.iter().map(|p| p[0].0).collect()
}

#[test]
fn o15_optimum_beats_greedy() {
    let a = solve(&o15(1), None).unwrap();
    assert!((a.objective - 2.23).abs() < 1e-9, "{}", a.objective);
    assert_eq!(at(&a), vec![1, 0, 2], "S1 -> R2, S2 -> R1, S3 -> R3");
    assert_eq!(a.status, Status::Optimal);
    // Greedy by highest pair gives 1.60: the optimum is strictly better.
    assert!(a.objective > 1.60 + 0.5);
}

#[test]
fn o15_tie_case_goes_to_the_lower_location() {
    let a = solve(&o15(2), None).unwrap();
    assert!((a.objective - 2.28).abs() < 1e-9, "{}", a.objective);
    assert_eq!(at(&a)[..2], [0, 0], "S1 and S2 -> R1");
    assert_eq!(
        at(&a)[2],
        1,
        "S3 could go to R2 or R3: the tie rule picks the lower index"
    );
}

#[test]
fn infeasible_instances_are_explained() {
    // Three services of 1 FTE, one workplace in all.
    let mut p = o15(1);
    p.capacity = vec![Some(1.0), Some(0.0), Some(0.0)];
    let e = solve(&p, None).unwrap_err();
    assert!(e.culprits.contains(&Family::Capacity), "{e:?}");
    assert!(e.reasons.iter().any(|r| r.contains("workplaces")), "{e:?}");
    // A service with no feasible location.
    let mut p = o15(1);
    p.services[2].scores = vec![None, None, None];
    let e = solve(&p, None).unwrap_err();
    assert_eq!(e.services[0].0, 2);
    // Outside-the-Randstad share that cannot be met.
    let mut p = o15(1);
    p.randstad = vec![true, true, false];
    p.min_outside_share = Some(0.9);
    let e = solve(&p, None).unwrap_err();
    assert!(e.culprits.contains(&Family::OutsideShare), "{e:?}");
    // Only splitting would help: 2 FTE into two locations of 1 workplace each.
    let p = Problem {
        services: vec![Service {
            fte: 2.0,
            scores: vec![Some(1.0), Some(0.5)],
            split: false,
        }],
        capacity: vec![Some(1.0), Some(1.0)],
        region: vec![0, 0],
        region_cap: vec![None],
        randstad: vec![false, false],
        max_per_location: None,
        min_outside_share: None,
    };
    let e = solve(&p, None).unwrap_err();
    assert!(
        !e.services.is_empty() || e.culprits.contains(&Family::Integrality),
        "{e:?}"
    );
    let mut split = p.clone();
    split.services[0].split = true;
    let a = solve(&split, None).unwrap();
    // Half of 2 FTE at score 1.0 and half at 0.5: 2 * (0.5 * 1.0 + 0.5 * 0.5) = 1.5.
    assert!((a.objective - 1.5).abs() < 1e-9, "{}", a.objective);
    assert_eq!(a.placed[0].len(), 2);
}

#[test]
fn solving_is_deterministic() {
    let a = solve(&o15(2), None).unwrap();
    let b = solve(&o15(2), None).unwrap();
    assert_eq!(a.placed, b.placed);
}

/// Every assignment of unsplittable services, by brute force.
fn brute(p: &Problem) -> Option<f64> {
    let n = p.capacity.len();
    let k = p.services.len();
    let mut best: Option<f64> = None;
    let mut idx = vec![0usize; k];
    loop {
        let ok_scores = (0..k).all(|s| p.services[s].scores[idx[s]].is_some());
        if ok_scores {
            let feasible = feasible(p, &idx);
            if feasible {
                let obj: f64 = (0..k)
                    .map(|s| p.services[s].fte * p.services[s].scores[idx[s]].unwrap())
                    .sum();
                best = Some(best.map_or(obj, |b: f64| b.max(obj)));
            }
        }
        let mut i = 0;
        loop {
            if i == k {
                return best;
            }
            idx[i] += 1;
            if idx[i] < n {
                break;
            }
            idx[i] = 0;
            i += 1;
        }
    }
}

prop_compose! {
    fn small_problem()(k in 1usize..=5, n in 1usize..=5)
        (scores in prop::collection::vec(prop::option::weighted(0.85, 0.0f64..1.0), k * n),
         fte in prop::collection::vec(1u8..6, k),
         capacity in prop::collection::vec(prop::option::weighted(0.6, 0u8..12), n),
         region in prop::collection::vec(0usize..2, n),
         region_cap in prop::collection::vec(prop::option::weighted(0.3, 0u8..15), 2),
         randstad in prop::collection::vec(any::<bool>(), n),
         max_per in prop::option::weighted(0.3, 1usize..3),
         outside in prop::option::weighted(0.3, 0.0f64..0.8),
         k in Just(k), n in Just(n)) -> Problem {
        Problem {
            services: (0..k).map(|s| Service { fte: f64::from(fte[s]), scores: scores[s * n..(s + 1) * n].to_vec(), split: false }).collect(),
            capacity: capacity.iter().map(|c| c.map(f64::from)).collect(),
            region,
            region_cap: region_cap.iter().map(|c| c.map(f64::from)).collect(),
            randstad,
            max_per_location: max_per,
            min_outside_share: outside,
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    /// On random small instances the solver's optimum equals brute-force enumeration, and it
    /// reports infeasibility exactly when enumeration finds nothing.
    #[test]
    fn equals_brute_force(p in small_problem()) {
        let expected = brute(&p);
        match (solve(&p, None), expected) {
            (Ok(a), Some(b)) => prop_assert!((a.objective - b).abs() < 1e-6, "solver {} brute force {}", a.objective, b),
            (Err(_), None) => {}
            (Ok(a), None) => prop_assert!(false, "solver found {} where none exists", a.objective),
            (Err(e), Some(b)) => prop_assert!(false, "solver says infeasible ({e:?}) but {b} exists"),
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(100))]

    /// When every service may be split (and no maximum per location needs indicators), the
    /// problem is a linear program: the optimum must equal the bound from the dual, which is
    /// computed independently (strong duality). This checks the dual behind the fixing.
    #[test]
    fn split_services_reach_the_dual_bound(mut p in small_problem()) {
        for s in &mut p.services {
            s.split = true;
        }
        p.max_per_location = None;
        match solve(&p, None) {
            Ok(a) => {
                prop_assert_eq!(&a.status, &Status::Optimal);
                prop_assert!((a.objective - a.bound).abs() <= 1e-6 * a.bound.abs().max(1.0), "objective {} bound {}", a.objective, a.bound);
            }
            // Infeasible: then it must be explained.
            Err(e) => prop_assert!(!e.services.is_empty() || !e.culprits.is_empty() || !e.reasons.is_empty(), "{:?}", e),
        }
    }
}

/// Random medium instances: 12 services of 100-400 FTE over 40 locations with capacities of
/// 150-600, at most two per location, province-like regions with caps and a share outside the
/// Randstad. Every service at its own best is infeasible here, so the search has work to do.
fn medium(seed: u64) -> Problem {
    use rand::{RngExt, SeedableRng};
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
    let n = 40;
    Problem {
        services: (0..12)
            .map(|_| Service {
                fte: f64::from(100 + 10 * rng.random_range(0..=30u32)),
                scores: (0..n)
                    .map(|_| rng.random_bool(0.9).then(|| rng.random_range(0.3..0.8f64)))
                    .collect(),
                split: false,
            })
            .collect(),
        capacity: (0..n)
            .map(|_| Some([150.0, 250.0, 400.0, 600.0][rng.random_range(0..4)]))
            .collect(),
        region: (0..n).map(|l| l % 6).collect(),
        region_cap: (0..6)
            .map(|_| Some(f64::from(rng.random_range(500..1500u32))))
            .collect(),
        randstad: (0..n).map(|l| l % 6 < 2).collect(),
        max_per_location: Some(2),
        min_outside_share: Some(0.7),
    }
}

/// On medium instances the reduced solve equals the plain pair model solved without any
/// reduction, the bound is an upper bound, no single move improves the optimum, and two solves
/// agree byte for byte.
#[test]
fn medium_instances_equal_the_plain_model() {
    for seed in 0..5 {
        let p = medium(seed);
        let a = solve(&p, None).unwrap();
        assert_eq!(a.status, Status::Optimal);
        let plain = solve_plain(&p, 200_000).expect("the plain model finishes");
        assert!(
            (a.objective - plain).abs() <= 1e-6 * plain.abs(),
            "seed {seed}: reduced {} plain {plain}",
            a.objective
        );
        let own_best: f64 = p
            .services
            .iter()
            .map(|s| s.fte * s.scores.iter().flatten().fold(0.0, |m: f64, x| m.max(*x)))
            .sum();
        assert!(
            a.objective < own_best - 1e-6,
            "seed {seed}: the constraints bind"
        );
        assert!(a.objective <= a.bound + 1e-6, "seed {seed}");
        assert!(a.pairs_kept <= a.pairs_eligible);
        let b = solve(&p, None).unwrap();
        assert_eq!(a.placed, b.placed, "seed {seed}: deterministic");
        // No single service can move to a better feasible location.
        let at: Vec<usize> = a.placed.iter().map(|x| x[0].0).collect();
        for s in 0..p.services.len() {
            for l in 0..p.capacity.len() {
                let Some(score) = p.services[s].scores[l] else {
                    continue;
                };
                let mut moved = at.clone();
                moved[s] = l;
                if feasible(&p, &moved) {
                    assert!(
                        p.services[s].fte * score
                            <= p.services[s].fte * p.services[s].scores[at[s]].unwrap() + 1e-9,
                        "seed {seed}: moving service {s} to {l} would improve the optimum"
                    );
                }
            }
        }
    }
}

fn feasible(p: &Problem, at: &[usize]) -> bool {
    let n = p.capacity.len();
    let mut load = vec![0.0; n];
    let mut count = vec![0usize; n];
    for (s, &l) in at.iter().enumerate() {
        load[l] += p.services[s].fte;
        count[l] += 1;
    }
    let mut region = vec![0.0; p.region_cap.len()];
    for l in 0..n {
        region[p.region[l]] += load[l];
    }
    let total: f64 = p.services.iter().map(|s| s.fte).sum();
    let outside: f64 = (0..n).filter(|&l| !p.randstad[l]).map(|l| load[l]).sum();
    (0..n).all(|l| p.capacity[l].is_none_or(|c| load[l] <= c + 1e-9))
        && p.max_per_location
            .is_none_or(|m| count.iter().all(|c| *c <= m))
        && region
            .iter()
            .zip(&p.region_cap)
            .all(|(x, c)| c.is_none_or(|c| *x <= c + 1e-9))
        && p.min_outside_share
            .is_none_or(|m| outside >= m * total - 1e-9)
}

/// A time limit that has already passed never claims that the pipeline is infeasible.
#[test]
fn a_spent_time_limit_is_not_infeasibility() {
    let p = medium(1);
    match solve(&p, Some(std::time::Duration::ZERO)) {
        // No search could run: the starting assignment comes back, feasible, with its gap.
        Ok(a) => {
            let Status::TimeLimit { gap } = a.status else {
                panic!("nothing can be proven in no time: {:?}", a.status)
            };
            assert!(gap >= 0.0 && a.objective <= a.bound + 1e-6);
            let at: Vec<usize> = a.placed.iter().map(|x| x[0].0).collect();
            assert!(feasible(&p, &at));
        }
        Err(e) => assert!(e.timed_out, "{e:?}"),
    }
}

/// Both solvers on the same seeded instances (feature `highs`): equal optima, or both find
/// none. Medium instances without and with split services, and random small ones.
#[cfg(feature = "highs")]
mod differential {
    use super::*;
    use locatieadvies::matching::{Solver, solve_with};

    fn same_optimum(p: &Problem, what: &str) {
        let a = solve_with(p, None, Solver::Builtin);
        let b = solve_with(p, None, Solver::Highs);
        match (a, b) {
            (Ok(a), Ok(b)) => {
                assert_eq!(a.status, Status::Optimal, "{what}: builtin");
                assert_eq!(b.status, Status::Optimal, "{what}: highs");
                let tol = 1e-7 * a.objective.abs().max(1.0);
                assert!(
                    (a.objective - b.objective).abs() <= tol,
                    "{what}: builtin {} highs {}",
                    a.objective,
                    b.objective
                );
                if b.placed.iter().all(|pl| pl.len() == 1) {
                    let at: Vec<usize> = b.placed.iter().map(|pl| pl[0].0).collect();
                    assert!(
                        feasible(p, &at),
                        "{what}: HiGHS's assignment keeps every constraint"
                    );
                }
            }
            (Err(_), Err(_)) => {}
            (a, b) => panic!(
                "{what}: builtin {:?}, highs {:?}",
                a.map(|x| x.objective),
                b.map(|x| x.objective)
            ),
        }
    }

    #[test]
    fn both_solvers_reach_the_same_optimum_on_medium_instances() {
        for seed in 0..12 {
            let mut p = medium(seed);
            same_optimum(&p, &format!("medium {seed}"));
            for s in p.services.iter_mut().step_by(3) {
                s.split = true;
            }
            same_optimum(&p, &format!("medium {seed}, every third service split"));
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]

        #[test]
        fn both_solvers_reach_the_same_optimum_on_small_instances(p in small_problem()) {
            same_optimum(&p, "small");
        }
    }
}
