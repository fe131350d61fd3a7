//! SMAA-2 (Lahdelma and Salminen, 2001) for an additive value model: rank acceptability indices,
//! central weight vectors and confidence factors, by seeded Monte Carlo sampling.
//!
//! Weights are drawn uniformly within a relative band around given weights (then renormalised),
//! or uniformly from the whole simplex. Values can be resampled per draw through a
//! [`ValueModel`] (figures that are estimates). Samples are split into a fixed number of chunks,
//! each with its own ChaCha8 stream of the seed, and merged in chunk order: the result depends on
//! the seed only, not on the number of threads.

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::McdaError;

/// Number of independent chunks (and RNG streams) of a run.
const CHUNKS: usize = 16;

/// How weights are sampled.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum WeightSampling {
    /// Each weight uniformly within `w * (1 - band) .. w * (1 + band)`, then renormalised.
    Band(f64),
    /// Uniformly from the whole simplex (no preference information).
    Simplex,
}

/// Options of a run.
#[derive(Debug, Clone, PartialEq)]
pub struct SmaaOptions {
    pub samples: usize,
    pub seed: u64,
    /// Ranks 1..=ranks are counted.
    pub ranks: usize,
    pub weights: WeightSampling,
    /// Value draws per alternative for its confidence factor (when values are uncertain).
    pub confidence_samples: usize,
}

/// Values of the alternatives, possibly uncertain. Values are column-major: `v[c * n + i]` is
/// alternative `i` on criterion `c`.
pub trait ValueModel: Sync {
    /// The deterministic values.
    fn base(&self) -> &[f64];
    /// True when [`ValueModel::sample`] draws anything.
    fn uncertain(&self) -> bool;
    /// Writes one draw of the values into `out` (same layout as `base`).
    fn sample(&self, rng: &mut ChaCha8Rng, out: &mut [f64]);
    /// The lowest and the highest value each entry takes in any draw (layout of `base`).
    fn bounds(&self) -> (Vec<f64>, Vec<f64>);
    /// The model of the alternatives `keep` only (ascending indices among `n`), in that order.
    fn restrict(&self, n: usize, keep: &[usize]) -> Box<dyn ValueModel + '_>;
}

/// The columns of a column-major `m x n` matrix at rows `keep`.
pub fn restrict_matrix(values: &[f64], n: usize, keep: &[usize]) -> Vec<f64> {
    values
        .chunks(n)
        .flat_map(|col| keep.iter().map(move |&i| col[i]))
        .collect()
}

/// Certain values.
pub struct Fixed(pub Vec<f64>);

impl ValueModel for Fixed {
    fn base(&self) -> &[f64] {
        &self.0
    }
    fn uncertain(&self) -> bool {
        false
    }
    fn sample(&self, _: &mut ChaCha8Rng, out: &mut [f64]) {
        out.copy_from_slice(&self.0);
    }
    fn bounds(&self) -> (Vec<f64>, Vec<f64>) {
        (self.0.clone(), self.0.clone())
    }
    fn restrict(&self, n: usize, keep: &[usize]) -> Box<dyn ValueModel + '_> {
        Box::new(Fixed(restrict_matrix(&self.0, n, keep)))
    }
}

/// The result of a run.
#[derive(Debug, Clone, PartialEq)]
pub struct Smaa {
    /// `acceptability[i][r]`: share of samples in which alternative `i` holds rank `r + 1`.
    pub acceptability: Vec<Vec<f64>>,
    /// Mean weight vector of the samples in which the alternative ranks first, when it ever does.
    pub central_weights: Vec<Option<Vec<f64>>>,
    /// Share of value draws in which the alternative ranks first with its central weights.
    pub confidence: Vec<Option<f64>>,
}

struct Partial {
    counts: Vec<u64>,
    wsum: Vec<f64>,
}

/// Draws a weight vector into `w`.
fn draw_weights(rng: &mut ChaCha8Rng, base: &[f64], how: WeightSampling, w: &mut [f64]) {
    match how {
        WeightSampling::Band(b) => {
            for (x, &b0) in w.iter_mut().zip(base) {
                *x = b0 * (1.0 + b * (2.0 * rng.random::<f64>() - 1.0));
            }
        }
        WeightSampling::Simplex => {
            for x in w.iter_mut() {
                *x = -(1.0 - rng.random::<f64>()).ln();
            }
        }
    }
    let s: f64 = w.iter().sum();
    w.iter_mut().for_each(|x| *x /= s);
}

/// Scores every alternative: `adjust[i] + sum_c w[c] * v[c * n + i]`.
pub fn score(values: &[f64], n: usize, w: &[f64], adjust: &[f64], scores: &mut [f64]) {
    scores.copy_from_slice(adjust);
    for (c, &wc) in w.iter().enumerate() {
        if wc == 0.0 {
            continue;
        }
        let col = &values[c * n..(c + 1) * n];
        for (s, v) in scores.iter_mut().zip(col) {
            *s += wc * v;
        }
    }
}

/// Indices of the best `k` scores, best first; equal scores go to the lower index. Alternatives
/// are visited in `visit` order (any permutation gives the same result; visiting likely winners
/// first makes later insertions rare).
fn top_k(scores: &[f64], visit: &[usize], k: usize, out: &mut Vec<usize>) {
    let better = |a: usize, b: usize| scores[a] > scores[b] || (scores[a] == scores[b] && a < b);
    out.clear();
    let (first, rest) = visit.split_at(k.min(visit.len()));
    for &i in first {
        let mut pos = out.len();
        while pos > 0 && better(i, out[pos - 1]) {
            pos -= 1;
        }
        out.insert(pos, i);
    }
    // The score to beat (the k-th best so far); most alternatives fall below it at once.
    let mut bar = out.last().map_or(f64::NEG_INFINITY, |&j| scores[j]);
    for &i in rest {
        let s = scores[i];
        if s < bar || (s == bar && !better(i, out[k - 1])) {
            continue;
        }
        out.pop();
        // Insert from the end: a newcomer rarely goes far up.
        let mut pos = out.len();
        while pos > 0 && better(i, out[pos - 1]) {
            pos -= 1;
        }
        out.insert(pos, i);
        bar = scores[out[k - 1]];
    }
}

/// Runs SMAA-2. `base_weights` need not sum to 1. `adjust` is added to every score (principle
/// adjustments). `progress` is called with the number of samples done, now and then.
pub fn smaa(
    model: &dyn ValueModel,
    n: usize,
    base_weights: &[f64],
    adjust: &[f64],
    opts: &SmaaOptions,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<Smaa, McdaError> {
    let m = base_weights.len();
    check_sizes(model, n, m, adjust)?;
    let base = super::normalise_weights(base_weights, m)?;
    check_options(opts)?;
    let k = opts.ranks.clamp(1, n);
    let keep = contenders(model, n, &base, adjust, opts.weights, k);
    tracing::debug!(
        "SMAA over {} of {n} alternatives (the others reach none of the first {k} ranks)",
        keep.len()
    );
    if keep.len() < n {
        // Only the contenders are sampled; the others can reach none of the ranks counted.
        let sub = model.restrict(n, &keep);
        let sub_adjust: Vec<f64> = keep.iter().map(|&i| adjust[i]).collect();
        let r = smaa_all(sub.as_ref(), keep.len(), base, &sub_adjust, opts, progress);
        return Ok(expand(r, n, &keep, k));
    }
    Ok(smaa_all(model, n, base, adjust, opts, progress))
}

/// The alternatives that can reach one of the first `k` ranks in some draw. An alternative is
/// left out when `k` others beat it in every draw: at every weight vector the sampling can give
/// (and so at every central weight vector, an average of such) and with its own values at their
/// highest and theirs at their lowest. Ascending.
fn contenders(
    model: &dyn ValueModel,
    n: usize,
    base: &[f64],
    adjust: &[f64],
    how: WeightSampling,
    k: usize,
) -> Vec<usize> {
    let m = base.len();
    let (vlo, vhi) = model.bounds();
    // Candidates to beat the others: best first by their score at the base weights and their
    // lowest values; only the first few are tried against each alternative.
    let mut low = vec![0.0; n];
    score(&vlo, n, base, adjust, &mut low);
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&a, &b| low[b].total_cmp(&low[a]).then(a.cmp(&b)));
    order.truncate((4 * k).max(k + 1));
    let mut d = vec![0.0; m];
    let mut by = Vec::with_capacity(m);
    (0..n)
        .filter(|&i| {
            let mut beaten = 0;
            for &j in order.iter().filter(|&&j| j != i) {
                for (c, x) in d.iter_mut().enumerate() {
                    *x = vlo[c * n + j] - vhi[c * n + i];
                }
                let least = adjust[j] - adjust[i] + least_weighted(&d, base, how, &mut by);
                if least > 1e-9 * (1.0 + adjust[j].abs() + adjust[i].abs()) {
                    beaten += 1;
                    if beaten == k {
                        return false;
                    }
                }
            }
            true
        })
        .collect()
}

/// The least `sum w[c] * d[c]` over the normalised weight vectors the sampling can give: over
/// the simplex the least `d[c]`; within a band, a ratio `sum r d / sum r` over the box of raw
/// weights `base * (1 +- band)`, least at a vertex that puts the lower criteria at their top
/// and the others at their bottom (so one pass over `d` in ascending order finds it).
fn least_weighted(d: &[f64], base: &[f64], how: WeightSampling, by: &mut Vec<usize>) -> f64 {
    match how {
        WeightSampling::Simplex => d.iter().copied().fold(f64::INFINITY, f64::min),
        WeightSampling::Band(b) => {
            let (mut num, mut den) = (0.0, 0.0);
            for (&x, &w) in d.iter().zip(base) {
                num += w * (1.0 - b) * x;
                den += w * (1.0 - b);
            }
            let mut best = if den > 0.0 { num / den } else { f64::INFINITY };
            by.clear();
            by.extend(0..d.len());
            by.sort_by(|&p, &q| d[p].total_cmp(&d[q]));
            for &c in by.iter() {
                num += base[c] * 2.0 * b * d[c];
                den += base[c] * 2.0 * b;
                if den > 0.0 {
                    best = best.min(num / den);
                }
            }
            best
        }
    }
}

/// A result over the contenders `keep` laid out for all `n` alternatives.
fn expand(r: Smaa, n: usize, keep: &[usize], k: usize) -> Smaa {
    let mut out = Smaa {
        acceptability: vec![vec![0.0; k]; n],
        central_weights: vec![None; n],
        confidence: vec![None; n],
    };
    for ((j, &i), ((acc, cw), conf)) in keep.iter().enumerate().zip(
        r.acceptability
            .into_iter()
            .zip(r.central_weights)
            .zip(r.confidence),
    ) {
        debug_assert_eq!(keep[j], i);
        out.acceptability[i] = acc;
        out.central_weights[i] = cw;
        out.confidence[i] = conf;
    }
    out
}

/// SMAA-2 over every alternative given.
fn smaa_all(
    model: &dyn ValueModel,
    n: usize,
    base: Vec<f64>,
    adjust: &[f64],
    opts: &SmaaOptions,
    progress: &(dyn Fn(u64) + Sync),
) -> Smaa {
    let m = base.len();
    let sampler = Sampler {
        model,
        n,
        m,
        k: opts.ranks.clamp(1, n),
        visit: visit_order(model, n, &base, adjust),
        base,
        adjust,
        opts,
    };
    let (counts, wsum) = sampler.sample_all(progress);
    let k = sampler.k;
    let total = opts.samples as f64;
    let acceptability: Vec<Vec<f64>> = (0..n)
        .map(|i| (0..k).map(|r| counts[i * k + r] as f64 / total).collect())
        .collect();
    let central_weights: Vec<Option<Vec<f64>>> = (0..n)
        .map(|i| {
            let firsts = counts[i * k];
            (firsts > 0).then(|| {
                wsum[i * m..(i + 1) * m]
                    .iter()
                    .map(|x| x / firsts as f64)
                    .collect()
            })
        })
        .collect();
    let confidence = sampler.confidence(&central_weights);
    Smaa {
        acceptability,
        central_weights,
        confidence,
    }
}

/// Checks the sizes of the value matrix and the adjustments against `n` alternatives and `m`
/// criteria.
fn check_sizes(
    model: &dyn ValueModel,
    n: usize,
    m: usize,
    adjust: &[f64],
) -> Result<(), McdaError> {
    if n == 0 || m == 0 {
        return Err(McdaError::Empty);
    }
    if model.base().len() != n * m || adjust.len() != n {
        return Err(McdaError::Dimension {
            what: "size of the value matrix",
            expected: n * m,
            found: model.base().len(),
        });
    }
    Ok(())
}

/// Checks the weight band and the number of samples.
fn check_options(opts: &SmaaOptions) -> Result<(), McdaError> {
    if let WeightSampling::Band(b) = opts.weights
        && !(0.0..=1.0).contains(&b)
    {
        return Err(McdaError::Invalid(format!(
            "the weight band {b} is outside 0..1"
        )));
    }
    if opts.samples == 0 {
        return Err(McdaError::Invalid("the number of samples is zero".into()));
    }
    Ok(())
}

/// Alternatives best first at the base weights and values.
fn visit_order(model: &dyn ValueModel, n: usize, base: &[f64], adjust: &[f64]) -> Vec<usize> {
    let mut s = vec![0.0; n];
    score(model.base(), n, base, adjust, &mut s);
    let mut v: Vec<usize> = (0..n).collect();
    v.sort_by(|&a, &b| s[b].total_cmp(&s[a]).then(a.cmp(&b)));
    v
}

/// One SMAA run's fixed inputs.
struct Sampler<'a> {
    model: &'a dyn ValueModel,
    /// Alternatives, criteria, ranks counted.
    n: usize,
    m: usize,
    k: usize,
    base: Vec<f64>,
    adjust: &'a [f64],
    opts: &'a SmaaOptions,
    visit: Vec<usize>,
}

impl Sampler<'_> {
    /// Every chunk of samples, spread over the threads and merged in chunk order (so the result
    /// does not depend on the number of threads): rank counts and weight sums of first places.
    fn sample_all(&self, progress: &(dyn Fn(u64) + Sync)) -> (Vec<u64>, Vec<f64>) {
        let threads = std::thread::available_parallelism()
            .map_or(1, |p| p.get())
            .clamp(1, CHUNKS);
        let mut parts: Vec<Option<Partial>> = (0..CHUNKS).map(|_| None).collect();
        std::thread::scope(|scope| {
            let handles: Vec<_> = (0..threads)
                .map(|t| {
                    scope.spawn(move || {
                        (t..CHUNKS)
                            .step_by(threads)
                            .map(|c| (c, self.chunk(c, progress)))
                            .collect::<Vec<_>>()
                    })
                })
                .collect();
            for h in handles {
                for (c, p) in h.join().expect("a sampling thread panicked") {
                    parts[c] = Some(p);
                }
            }
        });
        let mut counts = vec![0u64; self.n * self.k];
        let mut wsum = vec![0.0; self.n * self.m];
        for p in parts.into_iter().flatten() {
            counts.iter_mut().zip(&p.counts).for_each(|(a, b)| *a += b);
            wsum.iter_mut().zip(&p.wsum).for_each(|(a, b)| *a += b);
        }
        (counts, wsum)
    }

    /// The samples of chunk `c`, from its own ChaCha8 stream.
    fn chunk(&self, c: usize, progress: &(dyn Fn(u64) + Sync)) -> Partial {
        let (n, m, k, opts) = (self.n, self.m, self.k, self.opts);
        let start = opts.samples * c / CHUNKS;
        let end = opts.samples * (c + 1) / CHUNKS;
        let mut rng = ChaCha8Rng::seed_from_u64(opts.seed);
        rng.set_stream(c as u64);
        let mut p = Partial {
            counts: vec![0; n * k],
            wsum: vec![0.0; n * m],
        };
        let mut w = vec![0.0; m];
        let mut values = self.model.base().to_vec();
        let mut scores = vec![0.0; n];
        let mut top = Vec::with_capacity(k + 1);
        for s in start..end {
            draw_weights(&mut rng, &self.base, opts.weights, &mut w);
            if self.model.uncertain() {
                self.model.sample(&mut rng, &mut values);
            }
            score(&values, n, &w, self.adjust, &mut scores);
            top_k(&scores, &self.visit, k, &mut top);
            for (r, &i) in top.iter().enumerate() {
                p.counts[i * k + r] += 1;
            }
            let first = top[0];
            for (acc, x) in p.wsum[first * m..(first + 1) * m].iter_mut().zip(&w) {
                *acc += x;
            }
            if (s - start + 1).is_multiple_of(2048) {
                progress(2048);
            }
        }
        progress(((end - start) % 2048) as u64);
        p
    }

    /// Per alternative, how often it comes first at its central weights (over the value
    /// samples when values are uncertain).
    fn confidence(&self, central_weights: &[Option<Vec<f64>>]) -> Vec<Option<f64>> {
        let (n, model) = (self.n, self.model);
        let mut scores = vec![0.0; n];
        let mut top = Vec::with_capacity(2);
        central_weights
            .iter()
            .enumerate()
            .map(|(i, cw)| {
                let cw = cw.as_ref()?;
                if !model.uncertain() {
                    score(model.base(), n, cw, self.adjust, &mut scores);
                    top_k(&scores, &self.visit, 1, &mut top);
                    return Some(f64::from(top[0] == i));
                }
                let mut rng = ChaCha8Rng::seed_from_u64(self.opts.seed);
                rng.set_stream((CHUNKS + i) as u64);
                let mut values = model.base().to_vec();
                let draws = self.opts.confidence_samples.max(1);
                let mut wins = 0usize;
                for _ in 0..draws {
                    model.sample(&mut rng, &mut values);
                    score(&values, n, cw, self.adjust, &mut scores);
                    top_k(&scores, &self.visit, 1, &mut top);
                    wins += usize::from(top[0] == i);
                }
                Some(wins as f64 / draws as f64)
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Values drawn uniformly within `spread` of a base (every cell uncertain).
    struct Jitter {
        base: Vec<f64>,
        spread: f64,
    }

    impl ValueModel for Jitter {
        fn base(&self) -> &[f64] {
            &self.base
        }
        fn uncertain(&self) -> bool {
            true
        }
        fn sample(&self, rng: &mut ChaCha8Rng, out: &mut [f64]) {
            for (o, b) in out.iter_mut().zip(&self.base) {
                *o = b + self.spread * (2.0 * rng.random::<f64>() - 1.0);
            }
        }
        fn bounds(&self) -> (Vec<f64>, Vec<f64>) {
            let lo = self.base.iter().map(|b| b - self.spread).collect();
            let hi = self.base.iter().map(|b| b + self.spread).collect();
            (lo, hi)
        }
        fn restrict(&self, n: usize, keep: &[usize]) -> Box<dyn ValueModel + '_> {
            Box::new(Jitter {
                base: restrict_matrix(&self.base, n, keep),
                spread: self.spread,
            })
        }
    }

    fn matrix(n: usize, m: usize, seed: u64) -> Vec<f64> {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        (0..n * m).map(|_| rng.random::<f64>()).collect()
    }

    fn opts(weights: WeightSampling) -> SmaaOptions {
        SmaaOptions {
            samples: 4000,
            seed: 7,
            ranks: 3,
            weights,
            confidence_samples: 50,
        }
    }

    /// With certain values only the weights are drawn, from the same streams with or without
    /// the pruning: the result over the contenders is the very same, and the others get zero.
    #[test]
    fn leaving_out_what_cannot_rank_changes_nothing() {
        let (n, m) = (80, 5);
        let values = Fixed(matrix(n, m, 3));
        let w = [0.3, 0.2, 0.2, 0.2, 0.1];
        let adjust = vec![0.0; n];
        for how in [WeightSampling::Band(0.25), WeightSampling::Simplex] {
            let o = opts(how);
            let keep = contenders(&values, n, &w, &adjust, how, 3);
            if matches!(how, WeightSampling::Band(_)) {
                assert!(keep.len() < n / 2, "the bound prunes: {} kept", keep.len());
            }
            let pruned = smaa(&values, n, &w, &adjust, &o, &|_| {}).unwrap();
            let base = super::super::normalise_weights(&w, m).unwrap();
            let full = smaa_all(&values, n, base, &adjust, &o, &|_| {});
            assert_eq!(pruned, full, "{how:?}");
        }
    }

    /// With uncertain values the draws differ, but no alternative left out ever ranks.
    #[test]
    fn no_alternative_left_out_ever_ranks() {
        let (n, m) = (80, 5);
        let values = Jitter {
            base: matrix(n, m, 5),
            spread: 0.05,
        };
        let w = [0.3, 0.2, 0.2, 0.2, 0.1];
        let adjust = vec![0.0; n];
        let how = WeightSampling::Band(0.25);
        let keep = contenders(&values, n, &w, &adjust, how, 3);
        assert!(keep.len() < n);
        let full = smaa_all(&values, n, w.to_vec(), &adjust, &opts(how), &|_| {});
        for i in (0..n).filter(|i| !keep.contains(i)) {
            assert!(full.acceptability[i].iter().all(|&a| a == 0.0), "{i} ranks");
        }
    }

    #[test]
    fn top_k_breaks_ties_by_index() {
        let mut out = Vec::new();
        let scores = [0.5, 0.9, 0.5, 0.9, 0.1];
        for visit in [[0, 1, 2, 3, 4], [4, 3, 2, 1, 0], [3, 0, 4, 1, 2]] {
            top_k(&scores, &visit, 3, &mut out);
            assert_eq!(out, vec![1, 3, 0], "visit order {visit:?}");
        }
        top_k(&[0.2], &[0], 3, &mut out);
        assert_eq!(out, vec![0]);
    }
}
