//! Fitting the travel model's in-train parameters to measured journeys, and the
//! leave-stations-out cross-validation that says how well it predicts stations it has not seen.
//!
//! The fit minimises the mean absolute relative error of the model alone (no measured journeys
//! in the prediction) over the measured pairs between the training stations, by Nelder-Mead
//! (argmin) on the logarithms of the parameters, so that every parameter stays positive. It
//! starts from a stated plain prior ([`prior`]) and is deterministic.
//!
//! The cross-validation splits the measured stations into folds (a seeded shuffle); for each fold
//! it fits on the pairs between the other stations, then predicts every measured pair with at
//! least one end in the fold the way the product would for a station without measurements: the
//! model, with the measured journeys between the training stations used where the route passes
//! them.

use argmin::core::{CostFunction, Error as ArgminError, Executor};
use argmin::solver::neldermead::NelderMead;
use rand::SeedableRng;
use rand::seq::SliceRandom;
use rand_chacha::ChaCha8Rng;
use serde::Serialize;

use super::network::{Heap, Network};
use crate::model::{FitStats, RailNetwork, RailParams};

/// The starting point of the fit: stopping trains at 60 km/h with 1 minute per stop, intercity
/// trains at 100 km/h with 2 minutes per link, 5 minutes per transfer, extra links at the
/// intercity speed. A plain prior, not data; the fit moves away from it.
pub fn prior(rail: &RailNetwork) -> RailParams {
    RailParams {
        local_speed_kmh: 60.0,
        local_stop_minutes: 1.0,
        intercity_speed_kmh: 100.0,
        intercity_stop_minutes: 2.0,
        transfer_minutes: 5.0,
        extra_minutes: rail
            .extra_links
            .iter()
            .map(|x| x.km / 100.0 * 60.0 + 2.0)
            .collect(),
    }
}

fn to_vec(p: &RailParams) -> Vec<f64> {
    let mut v = vec![
        p.local_speed_kmh,
        p.local_stop_minutes,
        p.intercity_speed_kmh,
        p.intercity_stop_minutes,
        p.transfer_minutes,
    ];
    v.extend(&p.extra_minutes);
    v.iter().map(|x| x.ln()).collect()
}

fn from_vec(v: &[f64]) -> RailParams {
    let e: Vec<f64> = v.iter().map(|x| x.exp()).collect();
    RailParams {
        local_speed_kmh: e[0],
        local_stop_minutes: e[1],
        intercity_speed_kmh: e[2],
        intercity_stop_minutes: e[3],
        transfer_minutes: e[4],
        extra_minutes: e[5..].to_vec(),
    }
}

/// The measured pairs between stations in `stations` (all measured pairs when `None`).
fn pairs_within(rail: &RailNetwork, stations: Option<&[bool]>) -> Vec<(usize, usize, f64)> {
    rail.measured
        .iter()
        .copied()
        .filter(|&(a, b, _)| stations.is_none_or(|s| s[a] && s[b]))
        .collect()
}

/// Pairs grouped by origin, for one shortest-path tree per origin.
struct Grouped {
    sources: Vec<(usize, Vec<usize>, Vec<f64>)>,
}

impl Grouped {
    fn new(pairs: &[(usize, usize, f64)]) -> Grouped {
        let mut sorted = pairs.to_vec();
        sorted.sort_by_key(|x| (x.0, x.1));
        let mut sources: Vec<(usize, Vec<usize>, Vec<f64>)> = Vec::new();
        for (a, b, m) in sorted {
            match sources.last_mut() {
                Some((s, bs, ms)) if *s == a => {
                    bs.push(b);
                    ms.push(m);
                }
                _ => sources.push((a, vec![b], vec![m])),
            }
        }
        Grouped { sources }
    }
}

/// Errors of predictions against measurements.
fn stats(errors: impl IntoIterator<Item = (f64, f64)>, stations: usize) -> FitStats {
    let (mut n, mut abs, mut bias, mut abs_rel, mut rel) = (0usize, 0.0, 0.0, 0.0, 0.0);
    for (pred, obs) in errors {
        let e = pred - obs;
        n += 1;
        abs += e.abs();
        bias += e;
        abs_rel += e.abs() / obs;
        rel += e / obs;
    }
    let d = n.max(1) as f64;
    FitStats {
        pairs: n,
        stations,
        mae_minutes: abs / d,
        bias_minutes: bias / d,
        mae_percent: abs_rel / d * 100.0,
        bias_percent: rel / d * 100.0,
    }
}

/// The model's minutes alone for grouped pairs, as `(predicted, measured)`.
fn model_predictions(net: &Network, g: &Grouped) -> Vec<(f64, f64)> {
    let mut heap = Heap::default();
    let mut out = Vec::new();
    for (a, bs, ms) in &g.sources {
        let mins = net.model_minutes(*a, bs, &mut heap);
        out.extend(mins.into_iter().zip(ms.iter().copied()));
    }
    out
}

struct Objective {
    /// The graph; each evaluation sets its own parameters on a copy.
    base: Network,
    pairs: Grouped,
}

impl CostFunction for Objective {
    type Param = Vec<f64>;
    type Output = f64;

    fn cost(&self, v: &Vec<f64>) -> Result<f64, ArgminError> {
        let mut net = self.base.clone();
        net.set_params(&from_vec(v));
        let preds = model_predictions(&net, &self.pairs);
        let s = stats(preds, 0);
        // An unreachable pair gives an infinite error; Nelder-Mead moves away from it.
        Ok(if s.mae_percent.is_finite() {
            s.mae_percent
        } else {
            f64::MAX
        })
    }
}

/// The result of a fit.
#[derive(Debug, Clone)]
pub struct Fit {
    pub params: RailParams,
    /// The model alone against the pairs it was fitted to.
    pub stats: FitStats,
}

/// Relative size of the first simplex around the prior, on the log scale.
const SIMPLEX_STEP: f64 = 0.2;
/// Stops when the errors at the simplex's corners differ by less than this (percent).
const SD_TOLERANCE: f64 = 1e-6;
/// At most this many Nelder-Mead iterations.
const MAX_ITERS: u64 = 3000;

/// Fits the parameters on the measured pairs between `stations` (every measured pair when
/// `None`), starting from [`prior`].
pub fn fit(rail: &RailNetwork, stations: Option<&[bool]>) -> Fit {
    let pairs = pairs_within(rail, stations);
    let x0 = to_vec(&prior(rail));
    let mut simplex = vec![x0.clone()];
    for i in 0..x0.len() {
        let mut x = x0.clone();
        x[i] += SIMPLEX_STEP;
        simplex.push(x);
    }
    let obj = Objective {
        base: Network::new(rail, &prior(rail), None),
        pairs: Grouped::new(&pairs),
    };
    let solver = NelderMead::new(simplex)
        .with_sd_tolerance(SD_TOLERANCE)
        .expect("a non-negative tolerance");
    let best = Executor::new(obj, solver)
        .configure(|s| s.max_iters(MAX_ITERS))
        .run()
        .ok()
        .and_then(|r| r.state.best_param)
        .unwrap_or(x0);
    let params = from_vec(&best);
    let stats = evaluate(rail, &params, stations);
    Fit { params, stats }
}

/// The model alone (no measured journeys in the prediction) against the measured pairs between
/// `stations` (every measured pair when `None`).
pub fn evaluate(rail: &RailNetwork, params: &RailParams, stations: Option<&[bool]>) -> FitStats {
    let pairs = pairs_within(rail, stations);
    let net = Network::new(rail, params, None);
    let n_stations = measured_stations(rail)
        .into_iter()
        .filter(|&s| stations.is_none_or(|m| m[s]))
        .count();
    stats(model_predictions(&net, &Grouped::new(&pairs)), n_stations)
}

/// The stations with measured journeys, ascending.
pub fn measured_stations(rail: &RailNetwork) -> Vec<usize> {
    let mut has = vec![false; rail.stations.len()];
    for &(a, b, _) in &rail.measured {
        has[a] = true;
        has[b] = true;
    }
    (0..has.len()).filter(|&s| has[s]).collect()
}

/// One fold of the cross-validation.
#[derive(Debug, Clone, Serialize)]
pub struct Fold {
    /// Codes of the held-out stations.
    pub held_out: Vec<String>,
    /// Parameters fitted without them.
    pub local_speed_kmh: f64,
    pub local_stop_minutes: f64,
    pub intercity_speed_kmh: f64,
    pub intercity_stop_minutes: f64,
    pub transfer_minutes: f64,
    /// Errors on the pairs with at least one held-out end.
    pub pairs: usize,
    pub mae_minutes: f64,
    pub bias_minutes: f64,
    pub mae_percent: f64,
    pub bias_percent: f64,
}

/// The leave-stations-out cross-validation.
#[derive(Debug, Clone, Serialize)]
pub struct CrossValidation {
    pub folds_count: usize,
    pub seed: u64,
    pub stations: usize,
    pub folds: Vec<Fold>,
    /// Over every held-out pair of every fold.
    pub pairs: usize,
    pub mae_minutes: f64,
    pub bias_minutes: f64,
    pub mae_percent: f64,
    pub bias_percent: f64,
}

/// The default number of folds and seed of the cross-validation.
pub const CV_FOLDS: usize = 10;
pub const CV_SEED: u64 = 20190930;

/// Holds out whole stations in `folds` seeded folds, fits on the rest and predicts the held-out
/// stations' pairs. Folds run on the available cores; each is computed the same way whichever
/// thread runs it.
pub fn cross_validate(rail: &RailNetwork, folds: usize, seed: u64) -> CrossValidation {
    let mut stations = measured_stations(rail);
    stations.shuffle(&mut ChaCha8Rng::seed_from_u64(seed));
    let k = folds.clamp(2, stations.len().max(2));
    // Fold i takes a contiguous slice of the shuffled stations; sizes differ by at most one.
    let groups: Vec<Vec<usize>> = (0..k)
        .map(|i| {
            let lo = i * stations.len() / k;
            let hi = (i + 1) * stations.len() / k;
            let mut g = stations[lo..hi].to_vec();
            g.sort_unstable();
            g
        })
        .collect();
    let threads = std::thread::available_parallelism()
        .map_or(1, |p| p.get())
        .clamp(1, k);
    let mut results: Vec<Option<FoldResult>> = vec![None; k];
    std::thread::scope(|scope| {
        for (t, slot) in results.chunks_mut(k.div_ceil(threads)).enumerate() {
            let groups = &groups;
            scope.spawn(move || {
                for (j, out) in slot.iter_mut().enumerate() {
                    let i = t * k.div_ceil(threads) + j;
                    *out = Some(one_fold(rail, &groups[i]));
                }
            });
        }
    });
    let mut all = Vec::new();
    let mut out_folds = Vec::new();
    for (fold, errs) in results.into_iter().flatten() {
        all.extend(errs);
        out_folds.push(fold);
    }
    let s = stats(all, stations.len());
    CrossValidation {
        folds_count: k,
        seed,
        stations: stations.len(),
        folds: out_folds,
        pairs: s.pairs,
        mae_minutes: s.mae_minutes,
        bias_minutes: s.bias_minutes,
        mae_percent: s.mae_percent,
        bias_percent: s.bias_percent,
    }
}

/// A fold and its `(predicted, measured)` pairs.
type FoldResult = (Fold, Vec<(f64, f64)>);

fn one_fold(rail: &RailNetwork, held: &[usize]) -> FoldResult {
    let n = rail.stations.len();
    let mut train = vec![true; n];
    for &s in held {
        train[s] = false;
    }
    let fit = fit(rail, Some(&train));
    let net = Network::new(rail, &fit.params, Some(&train));
    let mut errs = Vec::new();
    let mut by_source: Vec<Vec<(usize, f64)>> = vec![Vec::new(); n];
    for &(a, b, m) in &rail.measured {
        if !train[a] || !train[b] {
            by_source[a].push((b, m));
        }
    }
    for (a, targets) in by_source.iter().enumerate() {
        if targets.is_empty() {
            continue;
        }
        let js = net.journeys_from(a);
        for &(b, m) in targets {
            let pred = js[b].as_ref().map_or(f64::INFINITY, |j| j.minutes);
            errs.push((pred, m));
        }
    }
    let s = stats(errs.iter().copied(), held.len());
    let p = &fit.params;
    (
        Fold {
            held_out: held
                .iter()
                .map(|&s| rail.stations[s].code.clone())
                .collect(),
            local_speed_kmh: p.local_speed_kmh,
            local_stop_minutes: p.local_stop_minutes,
            intercity_speed_kmh: p.intercity_speed_kmh,
            intercity_stop_minutes: p.intercity_stop_minutes,
            transfer_minutes: p.transfer_minutes,
            pairs: s.pairs,
            mae_minutes: s.mae_minutes,
            bias_minutes: s.bias_minutes,
            mae_percent: s.mae_percent,
            bias_percent: s.bias_percent,
        },
        errs,
    )
}
