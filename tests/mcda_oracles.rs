//! The reference results (oracles O1, O2, O3, O5, O7, O8, O9, O13, O14 of the MCDA reference) and
//! properties of SMAA-2 and the stability intervals.

use locatieadvies::mcda::ahp::{AhpMethod, RandomIndex, ahp};
use locatieadvies::mcda::promethee::{Preference, promethee_ii};
use locatieadvies::mcda::smaa::{Fixed, SmaaOptions, WeightSampling, score, smaa};
use locatieadvies::mcda::stability::{rescaled, stability};
use locatieadvies::mcda::topsis::{TopsisNormalisation, topsis};
use locatieadvies::mcda::weights::{critic, entropy};
use locatieadvies::mcda::wsm::{Normalisation, wsm};
use locatieadvies::mcda::{Direction, McdaError, rank};
use proptest::prelude::*;

use Direction::{Max, Min};

fn close(a: &[f64], b: &[f64], tol: f64) {
    assert_eq!(a.len(), b.len());
    for (x, y) in a.iter().zip(b) {
        assert!((x - y).abs() <= tol, "{a:?} vs {b:?}");
    }
}

/// Rounds to the number of decimals the reference prints.
fn round(x: f64, d: i32) -> f64 {
    let f = 10f64.powi(d);
    (x * f).round() / f
}

#[test]
fn o1_topsis_hwang_yoon_fighter_aircraft() {
    let x = vec![
        vec![2.0, 1500.0, 20000.0, 5.5, 5.0, 9.0],
        vec![2.5, 2700.0, 18000.0, 6.5, 3.0, 5.0],
        vec![1.8, 2000.0, 21000.0, 4.5, 7.0, 7.0],
        vec![2.2, 1800.0, 20000.0, 5.0, 5.0, 5.0],
    ];
    let t = topsis(
        &x,
        &[0.2, 0.1, 0.1, 0.1, 0.2, 0.3],
        &[Max, Max, Max, Min, Max, Max],
        TopsisNormalisation::Vector,
    )
    .unwrap();
    close(
        &t.closeness,
        &[0.643277, 0.268384, 0.613542, 0.312291],
        5e-7,
    );
    // The book works with rounded intermediate values: its D+ of A1 (0.0545) is one unit in the
    // last printed digit below the exact 0.05456; the distances are checked to that unit.
    close(&t.d_plus, &[0.0545, 0.1197, 0.0580, 0.1009], 1.0e-4);
    close(&t.d_minus, &[0.0983, 0.0439, 0.0920, 0.0458], 1.0e-4);
    assert_eq!(rank(&t.closeness, false).order, vec![0, 2, 3, 1]);
}

#[test]
fn o2_topsis_tzeng_huang() {
    let x = vec![
        vec![5.0, 8.0, 4.0],
        vec![7.0, 6.0, 8.0],
        vec![8.0, 8.0, 6.0],
        vec![7.0, 4.0, 6.0],
    ];
    let t = topsis(
        &x,
        &[0.3, 0.4, 0.3],
        &[Max, Max, Max],
        TopsisNormalisation::Vector,
    )
    .unwrap();
    close(
        &t.closeness.iter().map(|x| round(*x, 4)).collect::<Vec<_>>(),
        &[0.5037, 0.6581, 0.7482, 0.3340],
        1e-12,
    );
    assert_eq!(rank(&t.closeness, false).ranks, vec![3, 2, 1, 4]);
}

#[test]
fn o3_topsis_opricovic_tzeng_minmax_and_vector() {
    let x = vec![vec![1.0, 3000.0], vec![2.0, 3750.0], vec![5.0, 4500.0]];
    let mm = topsis(&x, &[0.5, 0.5], &[Min, Max], TopsisNormalisation::MinMax).unwrap();
    close(
        &mm.closeness
            .iter()
            .map(|x| round(*x, 3))
            .collect::<Vec<_>>(),
        &[0.500, 0.617, 0.500],
        1e-12,
    );
    let v = topsis(&x, &[0.5, 0.5], &[Min, Max], TopsisNormalisation::Vector).unwrap();
    close(
        &v.closeness.iter().map(|x| round(*x, 4)).collect::<Vec<_>>(),
        &[0.7621, 0.7222, 0.2379],
        1e-12,
    );
}

#[test]
fn o5_promethee_ii_usual_zhao() {
    let x = vec![
        vec![4.0, 3.0, 2.0],
        vec![3.0, 2.0, 4.0],
        vec![5.0, 1.0, 3.0],
    ];
    let f = promethee_ii(
        &x,
        &[0.5, 0.3, 0.2],
        &[Max, Max, Max],
        &[Preference::Usual; 3],
    )
    .unwrap();
    close(&f.positive, &[0.55, 0.35, 0.60], 1e-12);
    close(&f.negative, &[0.45, 0.65, 0.40], 1e-12);
    close(&f.net, &[0.1, -0.3, 0.2], 1e-12);
}

#[test]
fn promethee_preference_functions() {
    assert_eq!(Preference::UShape { q: 10.0 }.eval(10.0), 0.0);
    assert_eq!(Preference::UShape { q: 10.0 }.eval(10.5), 1.0);
    assert_eq!(Preference::VShape { p: 30.0 }.eval(15.0), 0.5);
    assert_eq!(Preference::Level { q: 10.0, p: 60.0 }.eval(30.0), 0.5);
    assert_eq!(Preference::Linear { q: 50.0, p: 500.0 }.eval(275.0), 0.5);
    assert!((Preference::Gaussian { s: 5.0 }.eval(5.0) - (1.0 - (-0.5f64).exp())).abs() < 1e-15);
    assert_eq!(Preference::Usual.eval(-1.0), 0.0);
    assert!(Preference::Linear { q: 5.0, p: 1.0 }.check().is_err());
}

#[test]
fn o7_ahp_approximate_eigenvector_and_consistency() {
    let m = vec![
        vec![1.0, 3.0, 3.0],
        vec![1.0 / 3.0, 1.0, 2.0],
        vec![1.0 / 3.0, 0.5, 1.0],
    ];
    let a = ahp(&m, AhpMethod::Approximate, RandomIndex::Saaty).unwrap();
    close(
        &a.weights.iter().map(|x| round(*x, 4)).collect::<Vec<_>>(),
        &[0.5889, 0.2519, 0.1593],
        1e-12,
    );
    assert_eq!(round(a.lambda_max, 5), 3.05390);
    assert_eq!(round(a.ci, 6), 0.026952);
    assert_eq!(round(a.cr, 5), 0.04647);
    let e = ahp(&m, AhpMethod::Eigenvector, RandomIndex::Saaty).unwrap();
    close(&e.weights, &[0.593634, 0.249311, 0.157056], 5e-7);
    assert_eq!(round(e.lambda_max, 6), 3.053622);
    assert_eq!(round(e.cr, 4), 0.0462);
    let g = ahp(&m, AhpMethod::GeometricMean, RandomIndex::Saaty).unwrap();
    close(&g.weights, &e.weights, 5e-7);
    // The full hierarchy: alternatives under each criterion, approximate method.
    let under = [
        vec![
            vec![1.0, 5.0, 3.0],
            vec![0.2, 1.0, 1.0 / 3.0],
            vec![1.0 / 3.0, 3.0, 1.0],
        ],
        vec![
            vec![1.0, 1.0 / 9.0, 1.0 / 3.0],
            vec![9.0, 1.0, 5.0],
            vec![3.0, 0.2, 1.0],
        ],
        vec![
            vec![1.0, 2.0, 0.2],
            vec![0.5, 1.0, 1.0 / 7.0],
            vec![5.0, 7.0, 1.0],
        ],
    ];
    for (method, expected) in [
        (AhpMethod::Approximate, [0.4177, 0.2660, 0.3164]),
        (AhpMethod::Eigenvector, [0.4219, 0.2642, 0.3139]),
    ] {
        let cw = ahp(&m, method, RandomIndex::Saaty).unwrap().weights;
        let local: Vec<Vec<f64>> = under
            .iter()
            .map(|u| ahp(u, method, RandomIndex::Saaty).unwrap().weights)
            .collect();
        let scores: Vec<f64> = (0..3)
            .map(|i| (0..3).map(|c| cw[c] * local[c][i]).sum::<f64>())
            .collect();
        close(
            &scores.iter().map(|x| round(*x, 4)).collect::<Vec<_>>(),
            &expected,
            1e-12,
        );
    }
}

#[test]
fn o7_ahp_seven_by_seven_is_inconsistent() {
    let t = 1.0 / 3.0;
    let m = vec![
        vec![1.0, t, 0.2, 1.0, 0.25, 0.5, 3.0],
        vec![3.0, 1.0, 0.5, 2.0, t, 3.0, 3.0],
        vec![5.0, 2.0, 1.0, 4.0, 5.0, 6.0, 5.0],
        vec![1.0, 0.5, 0.25, 1.0, 0.25, 1.0, 2.0],
        vec![4.0, 3.0, 0.2, 4.0, 1.0, 3.0, 2.0],
        vec![2.0, t, 1.0 / 6.0, 1.0, t, 1.0, t],
        vec![t, t, 0.2, 0.5, 0.5, 3.0, 1.0],
    ];
    let a = ahp(&m, AhpMethod::Eigenvector, RandomIndex::Saaty).unwrap();
    close(
        &a.weights.iter().map(|x| round(*x, 4)).collect::<Vec<_>>(),
        &[0.0699, 0.1449, 0.3839, 0.0706, 0.2025, 0.0602, 0.0678],
        1e-12,
    );
    assert_eq!(round(a.lambda_max, 4), 7.8629);
    assert_eq!(round(a.cr, 3), 0.109);
    assert!(!a.acceptable);
}

#[test]
fn ahp_rejects_a_non_reciprocal_matrix() {
    let m = vec![vec![1.0, 3.0], vec![3.0, 1.0]];
    assert!(matches!(
        ahp(&m, AhpMethod::Eigenvector, RandomIndex::Saaty),
        Err(McdaError::Pairwise { .. })
    ));
}

#[test]
fn o8_entropy_weights() {
    close(
        &entropy(&[vec![1.0, 2.0], vec![4.0, 16.0]]).unwrap(),
        &[0.358889, 0.641111],
        5e-7,
    );
    assert!(
        entropy(&[vec![1.0, 1.0], vec![1.0, 1.0]]).is_err(),
        "uniform columns carry no information"
    );
}

#[test]
fn o9_critic_diakoulaki() {
    let x = vec![
        vec![61.0, 1.08, 4.33],
        vec![20.7, 0.26, 4.34],
        vec![16.3, 1.98, 2.53],
        vec![9.0, 3.29, 1.65],
        vec![5.4, 2.77, 2.33],
        vec![4.0, 4.12, 1.21],
        vec![-6.1, 3.52, 2.10],
        vec![-34.6, 3.31, 0.98],
    ];
    close(
        &critic(&x, &[Max, Max, Max]).unwrap(),
        &[0.20222554, 0.48090173, 0.31687273],
        5e-9,
    );
    let constant = vec![vec![1.0, 2.0], vec![1.0, 3.0]];
    assert!(matches!(
        critic(&constant, &[Max, Max]),
        Err(McdaError::ConstantColumn { column: 1, .. })
    ));
}

#[test]
fn o14_rank_reversal_belton_gear() {
    let x = vec![
        vec![1.0, 9.0, 8.0],
        vec![9.0, 1.0, 9.0],
        vec![1.0, 1.0, 1.0],
    ];
    let w = [1.0, 1.0, 1.0];
    let d = [Max, Max, Max];
    let sum = wsm(&x, &w, &d, Normalisation::Sum).unwrap();
    close(
        &sum.iter().map(|v| round(*v, 4)).collect::<Vec<_>>(),
        &[0.4512, 0.4697, 0.0791],
        1e-12,
    );
    let mut y = x.clone();
    y.push(x[1].clone());
    let sum2 = wsm(&y, &w, &d, Normalisation::Sum).unwrap();
    close(
        &sum2.iter().map(|v| round(*v, 4)).collect::<Vec<_>>(),
        &[0.3654, 0.2889, 0.0568, 0.2889],
        1e-12,
    );
    assert!(
        sum[1] > sum[0] && sum2[0] > sum2[1],
        "sum normalisation reverses A and B"
    );
    let max = wsm(&y, &w, &d, Normalisation::Max).unwrap();
    close(
        &max.iter().map(|v| round(*v, 4)).collect::<Vec<_>>(),
        &[0.6667, 0.7037, 0.1111, 0.7037],
        1e-12,
    );
}

fn o13_model() -> (Fixed, Vec<f64>) {
    // Column-major values of A = (1, 0), B = (0, 1), C = (.6, .6).
    (Fixed(vec![1.0, 0.0, 0.6, 0.0, 1.0, 0.6]), vec![0.0; 3])
}

#[test]
fn o13_smaa_rank_acceptability_and_central_weights() {
    let (model, adjust) = o13_model();
    let opts = SmaaOptions {
        samples: 400_000,
        seed: 13,
        ranks: 3,
        weights: WeightSampling::Simplex,
        confidence_samples: 1,
    };
    let r = smaa(&model, 3, &[0.5, 0.5], &adjust, &opts, &|_| {}).unwrap();
    let expected = [[0.4, 0.1, 0.5], [0.4, 0.1, 0.5], [0.2, 0.8, 0.0]];
    for (i, row) in expected.iter().enumerate() {
        for (k, e) in row.iter().enumerate() {
            assert!(
                (r.acceptability[i][k] - e).abs() < 0.004,
                "alt {i} rank {}: {}",
                k + 1,
                r.acceptability[i][k]
            );
            assert_eq!(round(r.acceptability[i][k], 1), *e);
        }
    }
    let central = [[0.8, 0.2], [0.2, 0.8], [0.5, 0.5]];
    for (i, c) in central.iter().enumerate() {
        let got = r.central_weights[i].as_ref().unwrap();
        close(
            &got.iter().map(|x| round(*x, 1)).collect::<Vec<_>>(),
            c,
            1e-12,
        );
        assert_eq!(r.confidence[i], Some(1.0));
    }
}

#[test]
fn smaa_is_deterministic_for_a_seed() {
    let (model, adjust) = o13_model();
    let opts = SmaaOptions {
        samples: 10_000,
        seed: 7,
        ranks: 3,
        weights: WeightSampling::Simplex,
        confidence_samples: 1,
    };
    let a = smaa(&model, 3, &[0.5, 0.5], &adjust, &opts, &|_| {}).unwrap();
    let b = smaa(&model, 3, &[0.5, 0.5], &adjust, &opts, &|_| {}).unwrap();
    assert_eq!(a, b);
    let c = smaa(
        &model,
        3,
        &[0.5, 0.5],
        &adjust,
        &SmaaOptions { seed: 8, ..opts },
        &|_| {},
    )
    .unwrap();
    assert_ne!(a.acceptability, c.acceptability);
}

prop_compose! {
    fn problem()(n in 2usize..9, m in 1usize..5)
        (values in prop::collection::vec(0.0f64..1.0, n * m),
         weights in prop::collection::vec(0.05f64..1.0, m),
         adjust in prop::collection::vec(-0.05f64..0.05, n),
         n in Just(n)) -> (Vec<f64>, Vec<f64>, Vec<f64>, usize) {
        (values, weights, adjust, n)
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// The acceptabilities of each rank sum to 1 over the alternatives.
    #[test]
    fn rank_acceptabilities_sum_to_one((values, weights, adjust, n) in problem(), band in 0.0f64..1.0) {
        let opts = SmaaOptions { samples: 500, seed: 1, ranks: n, weights: WeightSampling::Band(band), confidence_samples: 1 };
        let r = smaa(&Fixed(values), n, &weights, &adjust, &opts, &|_| {}).unwrap();
        for k in 0..n {
            let s: f64 = r.acceptability.iter().map(|row| row[k]).sum();
            prop_assert!((s - 1.0).abs() < 1e-9);
        }
    }

    /// With a zero-width band SMAA gives the deterministic ranking with certainty.
    #[test]
    fn zero_band_gives_the_deterministic_ranking((values, weights, adjust, n) in problem()) {
        let opts = SmaaOptions { samples: 64, seed: 3, ranks: n, weights: WeightSampling::Band(0.0), confidence_samples: 1 };
        let r = smaa(&Fixed(values.clone()), n, &weights, &adjust, &opts, &|_| {}).unwrap();
        let total: f64 = weights.iter().sum();
        let w: Vec<f64> = weights.iter().map(|x| x / total).collect();
        let mut scores = vec![0.0; n];
        score(&values, n, &w, &adjust, &mut scores);
        let order = rank(&scores, false).order;
        for (pos, &i) in order.iter().enumerate() {
            prop_assert_eq!(r.acceptability[i][pos], 1.0);
        }
    }

    /// The ends of a stability interval are exactly where the top alternative changes.
    #[test]
    fn stability_interval_ends_are_where_the_top_changes((values, weights, adjust, n) in problem()) {
        let total: f64 = weights.iter().sum();
        let w: Vec<f64> = weights.iter().map(|x| x / total).collect();
        let mut scores = vec![0.0; n];
        score(&values, n, &w, &adjust, &mut scores);
        let top = rank(&scores, false).order[0];
        let top_at = |wj: &[f64]| {
            let mut s = vec![0.0; n];
            score(&values, n, wj, &adjust, &mut s);
            rank(&s, false).order[0]
        };
        for iv in stability(&values, n, &w, &adjust, top) {
            let j = iv.criterion;
            prop_assert!(iv.lower <= iv.weight + 1e-12 && iv.weight <= iv.upper + 1e-12);
            let eps = 1e-7;
            // Inside the interval the top stays.
            for t in [iv.lower + eps, iv.upper - eps, iv.weight] {
                if t > iv.lower && t < iv.upper {
                    prop_assert_eq!(top_at(&rescaled(&w, j, t)), top);
                }
            }
            // Just beyond a finite end the top changes, to the reported alternative.
            if iv.lower > eps {
                let other = top_at(&rescaled(&w, j, iv.lower - eps));
                prop_assert_ne!(other, top);
                prop_assert_eq!(Some(other), iv.below);
            }
            if iv.upper < 1.0 - eps {
                let other = top_at(&rescaled(&w, j, iv.upper + eps));
                prop_assert_ne!(other, top);
                prop_assert_eq!(Some(other), iv.above);
            }
        }
    }
}
