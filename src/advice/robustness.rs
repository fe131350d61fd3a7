//! How sure is the advice: SMAA-2 over the weights and the estimated figures, exact weight
//! stability intervals of the top location, and a cross-check by TOPSIS and PROMETHEE II.
//!
//! Alternatives are the feasible locations in gemeente-code order, so that SMAA's tie rule (lower
//! index first) is the ranking's tie rule (lower code first).

use rand::RngExt;
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
#[derive(Clone, Copy)]
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
    /// Every estimated cell (the linear ones first), for bounds and restriction.
    cells: Vec<Cell<'a>>,
    /// The linear cells as plain arrays (where, value at the middle, slope), drawn first: the
    /// hot loop of the sampling, kept free of branches.
    linear: Vec<(usize, f64, f64)>,
    /// The other cells: the value function over the band as a piecewise linear function of
    /// the draw `x` in -1..1, written `a + b * x + sum c * max(0, x - k)` with a hinge `(k, c)`
    /// at each breakpoint inside the band (no branch, no division, whatever the draw).
    kinked: Vec<Kinked>,
    band: f64,
    invert: bool,
}

impl<'a> Estimates<'a> {
    /// The model over `base` with `cells` estimated.
    fn new(base: Vec<f64>, mut cells: Vec<Cell<'a>>, band: f64, invert: bool) -> Estimates<'a> {
        cells.sort_by_key(|c| (!matches!(c.draw, Draw::Linear { .. }), c.at));
        let linear = cells
            .iter()
            .filter_map(|c| match c.draw {
                Draw::Linear { v0, slope } => Some((c.at, v0, slope)),
                Draw::General { .. } => None,
            })
            .collect();
        let mut e = Estimates {
            base,
            cells,
            linear,
            kinked: Vec::new(),
            band,
            invert,
        };
        e.kinked = e
            .cells
            .iter()
            .filter_map(|c| match c.draw {
                Draw::General { raw, criterion } => {
                    Some(Kinked::new(c.at, &e.knots(raw, criterion)))
                }
                Draw::Linear { .. } => None,
            })
            .collect();
        e
    }

    /// The knots in `x` of a figure `raw` whose band crosses breakpoints of the value function.
    fn knots(&self, raw: f64, criterion: &Criterion) -> Vec<(f64, f64)> {
        let mut xs = vec![-1.0, 1.0];
        for &(p, _) in &criterion.value_function.points {
            // raw * (1 + band * x) = p
            let x = (p / raw - 1.0) / self.band;
            if x > -1.0 && x < 1.0 {
                xs.push(x);
            }
        }
        xs.sort_by(f64::total_cmp);
        xs.into_iter()
            .map(|x| (x, self.general(raw, criterion, x)))
            .collect()
    }
}

/// A cell whose band crosses breakpoints, as `a + b * x + sum c * max(0, x - k)`.
struct Kinked {
    at: usize,
    a: f64,
    b: f64,
    hinges: Vec<(f64, f64)>,
}

impl Kinked {
    /// The hinge form of the piecewise linear function through `knots` (ascending in `x`,
    /// from -1 to 1).
    fn new(at: usize, knots: &[(f64, f64)]) -> Kinked {
        let slopes: Vec<f64> = knots
            .windows(2)
            .map(|w| {
                let ((x0, y0), (x1, y1)) = (w[0], w[1]);
                if x1 > x0 { (y1 - y0) / (x1 - x0) } else { 0.0 }
            })
            .collect();
        let b = slopes.first().copied().unwrap_or(0.0);
        let (x0, y0) = knots[0];
        let hinges = (1..slopes.len())
            .map(|j| (knots[j].0, slopes[j] - slopes[j - 1]))
            .collect();
        Kinked {
            at,
            a: y0 - b * x0,
            b,
            hinges,
        }
    }

    fn value(&self, x: f64) -> f64 {
        self.hinges
            .iter()
            .fold(self.a + self.b * x, |v, &(k, c)| v + c * (x - k).max(0.0))
    }
}

/// Random words drawn at a time when resampling estimates.
const WORDS: usize = 256;

/// Two uniform draws in -1..1 from a word (its low and its high 16 bits).
fn halves(w: u32) -> (f64, f64) {
    const SCALE: f64 = 2.0 / 65_536.0;
    (
        (w & 0xffff) as f64 * SCALE - 1.0,
        (w >> 16) as f64 * SCALE - 1.0,
    )
}

/// Two uniform draws in -1..1 from each word (its low and its high 16 bits).
fn uniforms(words: &[u32]) -> impl Iterator<Item = f64> + '_ {
    words.iter().flat_map(|&w| {
        let (lo, hi) = halves(w);
        [lo, hi]
    })
}

impl ValueModel for Estimates<'_> {
    fn base(&self) -> &[f64] {
        &self.base
    }

    fn uncertain(&self) -> bool {
        self.band > 0.0 && !self.cells.is_empty()
    }

    fn sample(&self, rng: &mut ChaCha8Rng, out: &mut [f64]) {
        // 16 random bits per figure (a grid of 65,536 points across the band, far finer than
        // the figures themselves); the words come in blocks, two draws to a word.
        let mut words = [0u32; WORDS];
        for block in self.linear.chunks(2 * WORDS) {
            let words = &mut words[..block.len().div_ceil(2)];
            rng.fill(words);
            for (pair, &w) in block.chunks(2).zip(words.iter()) {
                let (lo, hi) = halves(w);
                let (at, v0, slope) = pair[0];
                out[at] = v0 + slope * lo;
                if let Some(&(at, v0, slope)) = pair.get(1) {
                    out[at] = v0 + slope * hi;
                }
            }
        }
        for block in self.kinked.chunks(2 * WORDS) {
            let words = &mut words[..block.len().div_ceil(2)];
            rng.fill(words);
            for (k, x) in block.iter().zip(uniforms(words)) {
                out[k.at] = k.value(x);
            }
        }
    }

    fn bounds(&self) -> (Vec<f64>, Vec<f64>) {
        let mut lo = self.base.clone();
        let mut hi = self.base.clone();
        for c in &self.cells {
            let (a, b) = match c.draw {
                Draw::Linear { v0, slope } => (v0 - slope.abs(), v0 + slope.abs()),
                // Value functions are monotone: the ends of the band are the extremes.
                Draw::General { raw, criterion } => {
                    let (a, b) = (
                        self.general(raw, criterion, -1.0),
                        self.general(raw, criterion, 1.0),
                    );
                    (a.min(b), a.max(b))
                }
            };
            lo[c.at] = lo[c.at].min(a);
            hi[c.at] = hi[c.at].max(b);
        }
        (lo, hi)
    }

    fn restrict(&self, n: usize, keep: &[usize]) -> Box<dyn ValueModel + '_> {
        let mut index = vec![usize::MAX; n];
        for (j, &i) in keep.iter().enumerate() {
            index[i] = j;
        }
        let cells = self
            .cells
            .iter()
            .filter(|c| index[c.at % n] != usize::MAX)
            .map(|c| Cell {
                at: (c.at / n) * keep.len() + index[c.at % n],
                draw: c.draw,
            })
            .collect();
        Box::new(Estimates::new(
            crate::mcda::smaa::restrict_matrix(&self.base, n, keep),
            cells,
            self.band,
            self.invert,
        ))
    }
}

impl Estimates<'_> {
    /// The value of a figure drawn at `x` (in -1..1) across a breakpoint.
    fn general(&self, raw: f64, criterion: &Criterion, x: f64) -> f64 {
        let v = criterion.value_function.eval(raw * (1.0 + self.band * x));
        if self.invert { 1.0 - v } else { v }
    }
}

/// The distance between tiers in the robustness analysis's scores.
const TIER_GAP: f64 = 100.0;

/// The SMAA step of [`analyse`]: the locations in gemeente-code order and the result over them,
/// with the weights and the figures that are estimates resampled as `settings` say.
pub fn sample<'r>(
    ranking: &'r [Ranked],
    criteria: &[Criterion],
    weights: &[f64],
    shrink: bool,
    settings: &RobustnessSettings,
    progress: &(dyn Fn(u64) + Sync),
) -> Option<(Vec<&'r Ranked>, crate::mcda::smaa::Smaa)> {
    let inputs = Inputs::new(ranking, criteria, settings, shrink);
    let result = inputs.smaa(weights, settings, progress)?;
    Some((inputs.alts, result))
}

/// What the analysis works on: the locations in gemeente-code order, their principle
/// adjustments and their values with the estimated figures that may vary.
struct Inputs<'r, 'c> {
    alts: Vec<&'r Ranked>,
    adjust: Vec<f64>,
    model: Estimates<'c>,
}

impl<'r, 'c> Inputs<'r, 'c> {
    fn new(
        ranking: &'r [Ranked],
        criteria: &'c [Criterion],
        settings: &RobustnessSettings,
        shrink: bool,
    ) -> Inputs<'r, 'c> {
        let mut alts: Vec<&Ranked> = ranking.iter().collect();
        alts.sort_by(|a, b| a.location.cmp(&b.location));
        let adjust = alts.iter().map(|r| adjustment(r)).collect();
        let model = value_model(&alts, criteria, settings, shrink);
        Inputs {
            alts,
            adjust,
            model,
        }
    }

    /// SMAA-2 over these locations.
    fn smaa(
        &self,
        weights: &[f64],
        settings: &RobustnessSettings,
        progress: &(dyn Fn(u64) + Sync),
    ) -> Option<crate::mcda::smaa::Smaa> {
        let opts = smaa_options(settings);
        smaa(
            &self.model,
            self.alts.len(),
            weights,
            &self.adjust,
            &opts,
            progress,
        )
        .ok()
    }
}

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
    let inputs = Inputs::new(ranking, criteria, settings, shrink);
    let result = inputs.smaa(weights, settings, progress)?;
    let Inputs {
        alts,
        adjust,
        model,
    } = inputs;
    let n = alts.len();
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
    Estimates::new(base, cells, settings.estimate_band, shrink)
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
