//! How sure is the advice: SMAA-2 over the weights and the estimated figures, exact weight
//! stability intervals of the top location, and a cross-check by TOPSIS and PROMETHEE II.
//!
//! Alternatives are the feasible locations in gemeente-code order, so that SMAA's tie rule (lower
//! index first) is the ranking's tie rule (lower code first).

use rand::Rng;
use rand_chacha::ChaCha8Rng;

use crate::advice::model::{
    Acceptability, CrossCheck, CrossMethod, Ranked, Robustness, StabilityInterval, WeightShare,
};
use crate::mcda::promethee::promethee_ii;
use crate::mcda::smaa::{SmaaOptions, ValueModel, WeightSampling, smaa};
use crate::mcda::stability::{Interval, stability};
use crate::mcda::topsis::{TopsisNormalisation, topsis};
use crate::mcda::{Direction, kendall_tau_b, rank};
use crate::model::{Criterion, RobustnessSettings};

/// Overrides of the `[robustness]` settings for one run.
#[derive(Debug, Clone, Default)]
pub struct RobustnessOverrides {
    /// Skip the analysis.
    pub off: bool,
    pub samples: Option<usize>,
    pub seed: Option<u64>,
    /// Sample the whole simplex (`true`) or a band around the weights (`false`).
    pub simplex: Option<bool>,
    /// Relative weight band; implies band sampling.
    pub weight_band: Option<f64>,
    pub estimate_band: Option<f64>,
}

impl RobustnessOverrides {
    /// The settings with the overrides applied.
    pub fn apply(&self, s: &RobustnessSettings) -> RobustnessSettings {
        let mut out = s.clone();
        if let Some(x) = self.samples {
            out.samples = x;
        }
        if let Some(x) = self.seed {
            out.seed = x;
        }
        if let Some(b) = self.weight_band {
            out.weight_band = b;
            out.weight_sampling = WeightSampling::Band(b);
        }
        match self.simplex {
            Some(true) => out.weight_sampling = WeightSampling::Simplex,
            Some(false) => out.weight_sampling = WeightSampling::Band(out.weight_band),
            None => {}
        }
        if let Some(x) = self.estimate_band {
            out.estimate_band = x;
        }
        out
    }
}

/// One figure that is an estimate: where its value sits and how its value varies with the draw.
struct Cell<'a> {
    at: usize,
    draw: Draw<'a>,
}

/// How a cell's value follows a uniform draw `x` in -1..1 (raw figure `raw * (1 + band * x)`).
enum Draw<'a> {
    /// The whole band lies on one linear piece of the value function: `value = v0 + slope * x`.
    Linear { v0: f64, slope: f64 },
    /// The band crosses a breakpoint: evaluate the value function.
    General { raw: f64, criterion: &'a Criterion },
}

impl<'a> Cell<'a> {
    fn new(at: usize, raw: f64, criterion: &'a Criterion, band: f64, invert: bool) -> Cell<'a> {
        let vf = &criterion.value_function;
        let (lo, hi) = {
            let (a, b) = (raw * (1.0 - band), raw * (1.0 + band));
            (a.min(b), a.max(b))
        };
        // The band stays on one piece when no breakpoint lies strictly inside it.
        let one_piece = !vf.points.iter().any(|&(x, _)| x > lo && x < hi);
        let draw = if one_piece {
            let v0 = vf.eval(raw);
            let slope = (vf.eval(raw * (1.0 + band)) - vf.eval(raw * (1.0 - band))) / 2.0;
            if invert {
                Draw::Linear {
                    v0: 1.0 - v0,
                    slope: -slope,
                }
            } else {
                Draw::Linear { v0, slope }
            }
        } else {
            Draw::General { raw, criterion }
        };
        Cell { at, draw }
    }
}

/// The value matrix with the estimated figures drawn within a relative band.
struct Estimates<'a> {
    base: Vec<f64>,
    cells: Vec<Cell<'a>>,
    band: f64,
    invert: bool,
}

impl ValueModel for Estimates<'_> {
    fn base(&self) -> &[f64] {
        &self.base
    }

    fn uncertain(&self) -> bool {
        self.band > 0.0 && !self.cells.is_empty()
    }

    fn sample(&self, rng: &mut ChaCha8Rng, out: &mut [f64]) {
        for c in &self.cells {
            // 24 random bits are plenty for a band of a few per cent, and half the cost of 53.
            let x = (rng.next_u32() >> 8) as f64 * (2.0 / 16_777_216.0) - 1.0;
            out[c.at] = match c.draw {
                Draw::Linear { v0, slope } => v0 + slope * x,
                Draw::General { raw, criterion } => {
                    let v = criterion.value_function.eval(raw * (1.0 + self.band * x));
                    if self.invert { 1.0 - v } else { v }
                }
            };
        }
    }
}

/// The distance between tiers in the robustness analysis's scores.
const TIER_GAP: f64 = 100.0;

/// Runs the analysis on the feasible locations of an advice. `ranking` is best first; `weights`
/// are the normalised weights in criterion order. Returns `None` when nothing is feasible.
pub fn analyse(
    ranking: &[Ranked],
    criteria: &[Criterion],
    weights: &[f64],
    shrink: bool,
    settings: &RobustnessSettings,
    progress: &(dyn Fn(u64) + Sync),
) -> Option<Robustness> {
    if ranking.is_empty() {
        return None;
    }
    // Alternatives in gemeente-code order.
    let mut alts: Vec<&Ranked> = ranking.iter().collect();
    alts.sort_by(|a, b| a.location.cmp(&b.location));
    let n = alts.len();
    let adjust: Vec<f64> = alts.iter().map(|r| adjustment(r)).collect();
    let model = value_model(&alts, criteria, settings, shrink);
    let result = smaa(
        &model,
        n,
        weights,
        &adjust,
        &smaa_options(settings),
        progress,
    )
    .ok()?;
    // `alts` is sorted by code, so a location's index is a binary search away.
    let index_of = |code: &str| {
        alts.binary_search_by(|a| a.location.as_str().cmp(code))
            .expect("ranked location")
    };
    let k = settings.ranks.min(n);
    let rank_acceptability = ranking
        .iter()
        .filter_map(|r| acceptability(r, index_of(&r.location), &result, criteria))
        .collect();
    let top = index_of(&ranking[0].location);
    let stability_intervals = stability(&model.base, n, weights, &adjust, top)
        .into_iter()
        .map(|iv| stability_interval(iv, &alts, criteria))
        .collect();
    let (weight_sampling, weight_band) = match settings.weight_sampling {
        WeightSampling::Band(b) => ("band", Some(b)),
        WeightSampling::Simplex => ("simplex", None),
    };
    Some(Robustness {
        samples: settings.samples,
        seed: settings.seed,
        weight_sampling: weight_sampling.into(),
        weight_band,
        estimate_band: settings.estimate_band,
        ranks: k,
        rank_acceptability,
        stability_intervals,
        cross_check: cross_check(&alts, &model.base, n, weights, criteria, settings),
    })
}

/// What SMAA adds to a location's weighted value: its principle adjustments, and its tier.
/// Tiers come before the score: a lower tier sits far below any score a higher tier can reach
/// (values are 0..1, adjustments at most 0.5 each), so weights only reorder a tier.
fn adjustment(r: &Ranked) -> f64 {
    r.adjustments.iter().fold(0.0, |s, a| s + a.delta) - TIER_GAP * r.tier as f64
}

/// The SMAA run the settings ask for.
fn smaa_options(settings: &RobustnessSettings) -> SmaaOptions {
    SmaaOptions {
        samples: settings.samples,
        seed: settings.seed,
        ranks: settings.ranks,
        weights: settings.weight_sampling,
        confidence_samples: settings.confidence_samples,
    }
}

/// A criterion's stability interval with its locations named by code.
fn stability_interval(iv: Interval, alts: &[&Ranked], criteria: &[Criterion]) -> StabilityInterval {
    StabilityInterval {
        criterion: criteria[iv.criterion].id.clone(),
        weight: iv.weight,
        lower: iv.lower,
        upper: iv.upper,
        below: iv.below.map(|a| alts[a].location.clone()),
        above: iv.above.map(|a| alts[a].location.clone()),
    }
}

/// The value matrix (criterion-major) of the locations in `alts`, with the estimated figures
/// that SMAA draws within the estimate band.
fn value_model<'a>(
    alts: &[&Ranked],
    criteria: &'a [Criterion],
    settings: &RobustnessSettings,
    shrink: bool,
) -> Estimates<'a> {
    let n = alts.len();
    let m = criteria.len();
    let mut base = vec![0.0; n * m];
    let mut cells = Vec::new();
    for (i, r) in alts.iter().enumerate() {
        for (c, contribution) in r.contributions.iter().enumerate() {
            base[c * n + i] = contribution.value;
            if contribution.estimate
                && let Some(raw) = contribution.raw
                && raw != 0.0
                && settings.estimate_band > 0.0
            {
                let cell = Cell::new(c * n + i, raw, &criteria[c], settings.estimate_band, shrink);
                // A cell on a flat piece never changes.
                if !matches!(cell.draw, Draw::Linear { slope, .. } if slope == 0.0) {
                    cells.push(cell);
                }
            }
        }
    }
    Estimates {
        base,
        cells,
        band: settings.estimate_band,
        invert: shrink,
    }
}

/// A location's rank acceptability, central weights and confidence; none when it reaches none
/// of the ranks counted.
fn acceptability(
    r: &Ranked,
    i: usize,
    result: &crate::mcda::smaa::Smaa,
    criteria: &[Criterion],
) -> Option<Acceptability> {
    let acc = &result.acceptability[i];
    acc.iter().any(|x| *x > 0.0).then(|| Acceptability {
        location: r.location.clone(),
        name: r.name.clone(),
        ranks: acc.clone(),
        central_weights: result.central_weights[i].as_ref().map(|cw| {
            criteria
                .iter()
                .zip(cw)
                .map(|(c, w)| WeightShare {
                    criterion: c.id.clone(),
                    weight: *w,
                })
                .collect()
        }),
        confidence_factor: result.confidence[i],
    })
}

/// Ranks the value matrix (criteria only) by TOPSIS and PROMETHEE II and compares each with the
/// main method's criteria-only ranking.
fn cross_check(
    alts: &[&Ranked],
    values: &[f64],
    n: usize,
    weights: &[f64],
    criteria: &[Criterion],
    settings: &RobustnessSettings,
) -> CrossCheck {
    let m = criteria.len();
    let rows: Vec<Vec<f64>> = (0..n)
        .map(|i| (0..m).map(|c| values[c * n + i]).collect())
        .collect();
    let main: Vec<f64> = rows
        .iter()
        .map(|r| r.iter().zip(weights).map(|(v, w)| v * w).sum())
        .collect();
    let main_rank = rank(&main, false);
    let main_top = alts[main_rank.order[0]].location.clone();
    let method = |name: &str, label: String, scores: Result<Vec<f64>, String>| {
        cross_method(alts, &main, &main_top, name, label, scores)
    };
    let (topsis_scores, varying) = topsis_scores(&rows, weights, settings);
    let promethee_scores = if n < 2 {
        Err("needs at least two feasible locations".to_string())
    } else {
        promethee_ii(
            &rows,
            weights,
            &vec![Direction::Max; m],
            &vec![settings.promethee; m],
        )
        .map(|f| f.net)
        .map_err(|e| e.to_string())
    };
    let dropped = m - varying;
    CrossCheck {
        basis: "criterion values after the value functions (0..1), with the weights used; principle adjustments left out".into(),
        main_top: Some(main_top.clone()),
        methods: vec![
            method(
                "topsis",
                format!(
                    "{} normalisation{}",
                    match settings.topsis {
                        TopsisNormalisation::Vector => "vector",
                        TopsisNormalisation::MinMax => "min-max",
                    },
                    if dropped > 0 { format!("; {dropped} constant criterion column(s) left out") } else { String::new() }
                ),
                topsis_scores,
            ),
            method("promethee-ii", settings.promethee.describe(), promethee_scores),
        ],
        note: "TOPSIS and PROMETHEE II are relative methods: their ranking can change when a candidate is added or removed (rank reversal). The main method scores each location on absolute value functions and cannot reverse ranks.".into(),
    }
}

/// One relative method's ranking compared with the main method's (`main` scores, `main_top`
/// first), or why it was skipped.
fn cross_method(
    alts: &[&Ranked],
    main: &[f64],
    main_top: &str,
    name: &str,
    label: String,
    scores: Result<Vec<f64>, String>,
) -> CrossMethod {
    match scores {
        Ok(s) => {
            let r = rank(&s, false);
            CrossMethod {
                method: name.into(),
                settings: label,
                top_differs: alts[r.order[0]].location != main_top,
                ranking: r.order.iter().map(|&i| alts[i].location.clone()).collect(),
                kendall_tau: kendall_tau_b(main, &s),
                skipped: None,
            }
        }
        Err(why) => CrossMethod {
            method: name.into(),
            settings: label,
            ranking: Vec::new(),
            kendall_tau: 0.0,
            top_differs: false,
            skipped: Some(why),
        },
    }
}

/// TOPSIS closeness on the columns that vary (columns that are the same for every location carry
/// no information, and TOPSIS with vector normalisation cannot scale an all-zero one); returns
/// the scores or why there are none, and the number of columns used.
fn topsis_scores(
    rows: &[Vec<f64>],
    weights: &[f64],
    settings: &RobustnessSettings,
) -> (Result<Vec<f64>, String>, usize) {
    let (n, m) = (rows.len(), weights.len());
    let varying: Vec<usize> = (0..m)
        .filter(|&c| rows.iter().any(|r| r[c] != rows[0][c]))
        .collect();
    let scores = if n < 2 {
        Err("needs at least two feasible locations".to_string())
    } else if varying.is_empty() {
        Err("every criterion has the same value for every location".to_string())
    } else {
        let sub: Vec<Vec<f64>> = rows
            .iter()
            .map(|r| varying.iter().map(|&c| r[c]).collect())
            .collect();
        let w: Vec<f64> = varying.iter().map(|&c| weights[c]).collect();
        if w.iter().all(|x| *x == 0.0) {
            Err("every varying criterion has weight zero".to_string())
        } else {
            topsis(
                &sub,
                &w,
                &vec![Direction::Max; varying.len()],
                settings.topsis,
            )
            .map(|t| t.closeness)
            .map_err(|e| e.to_string())
        }
    };
    (scores, varying.len())
}
