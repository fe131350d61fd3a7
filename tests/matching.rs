//! Exact matching: the O15 oracle and its tie case, brute force on random small instances,
//! infeasible instances and determinism.

use locatieadvies::matching::{Family, Problem, Service, Status, solve};
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
    let total: f64 = p.services.iter().map(|s| s.fte).sum();
    let mut best: Option<f64> = None;
    let mut idx = vec![0usize; k];
    loop {
        let ok_scores = (0..k).all(|s| p.services[s].scores[idx[s]].is_some());
        if ok_scores {
            let mut load = vec![0.0; n];
            let mut count = vec![0usize; n];
            for s in 0..k {
                load[idx[s]] += p.services[s].fte;
                count[idx[s]] += 1;
            }
            let mut region = vec![0.0; p.region_cap.len()];
            for l in 0..n {
                region[p.region[l]] += load[l];
            }
            let outside: f64 = (0..n).filter(|&l| !p.randstad[l]).map(|l| load[l]).sum();
            let feasible = (0..n).all(|l| p.capacity[l].is_none_or(|c| load[l] <= c + 1e-9))
                && p.max_per_location
                    .is_none_or(|m| count.iter().all(|c| *c <= m))
                && region
                    .iter()
                    .zip(&p.region_cap)
                    .all(|(x, c)| c.is_none_or(|c| *x <= c + 1e-9))
                && p.min_outside_share
                    .is_none_or(|m| outside >= m * total - 1e-9);
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
    fn small_problem()(k in 1usize..5, n in 1usize..5)
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
    #![proptest_config(ProptestConfig::with_cases(200))]

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
