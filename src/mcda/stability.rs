//! Exact weight stability intervals for an additive value model: for each criterion, the range
//! of its weight (the other weights rescaled proportionally) within which the top alternative
//! stays on top.
//!
//! With weight `t` on criterion `j` and the others scaled by `(1 - t) / (1 - w_j)`, every score is
//! linear in `t`: `S_a(t) = adj_a + t v_aj + (1 - t) R_a`. The top alternative `T` stays on top
//! while `S_T(t) - S_a(t) >= 0` for every `a` (strictly `> 0` where `a` wins ties, that is where
//! `a` has the lower index). Each condition is a half-line in `t`; their intersection with
//! `[0, 1]` is the interval. No sampling is involved.

/// The stability interval of one criterion.
#[derive(Debug, Clone, PartialEq)]
pub struct Interval {
    pub criterion: usize,
    /// The weight in the analysed ranking (normalised).
    pub weight: f64,
    /// The smallest weight at which the top alternative is still on top (0 when it always is).
    pub lower: f64,
    /// The largest such weight (1 when it always is).
    pub upper: f64,
    /// The alternative that takes the top just below `lower`, if any.
    pub below: Option<usize>,
    /// The alternative that takes the top just above `upper`, if any.
    pub above: Option<usize>,
}

/// Computes the interval of every criterion. `values` is column-major (`v[c * n + i]`),
/// `weights` sum to 1, `top` is the alternative on top at these weights.
pub fn stability(
    values: &[f64],
    n: usize,
    weights: &[f64],
    adjust: &[f64],
    top: usize,
) -> Vec<Interval> {
    (0..weights.len())
        .map(|j| interval(values, n, weights, adjust, top, j))
        .collect()
}

/// R_a: the weighted value of alternative `a` on the criteria other than `j`, with their
/// weights rescaled to sum to 1 (equal weights when `j` carries all the weight).
fn others_value(values: &[f64], n: usize, weights: &[f64], j: usize, a: usize) -> f64 {
    let m = weights.len();
    let v = |c: usize, i: usize| values[c * n + i];
    let rest = 1.0 - weights[j];
    if rest > 1e-12 {
        (0..m)
            .filter(|&k| k != j)
            .map(|k| weights[k] * v(k, a))
            .sum::<f64>()
            / rest
    } else {
        (0..m).filter(|&k| k != j).map(|k| v(k, a)).sum::<f64>() / (m.max(2) - 1) as f64
    }
}

/// The interval of criterion `j`: each other alternative's condition for staying below `top`
/// is linear in `j`'s weight `t`, so the interval is where all of them hold.
fn interval(
    values: &[f64],
    n: usize,
    weights: &[f64],
    adjust: &[f64],
    top: usize,
    j: usize,
) -> Interval {
    let v = |c: usize, i: usize| values[c * n + i];
    let r = |a: usize| others_value(values, n, weights, j, a);
    let rt = r(top);
    let (mut lower, mut upper) = (0.0f64, 1.0f64);
    // The binding alternative at each end, with the slope of its condition.
    let mut below: Option<(usize, f64)> = None;
    let mut above: Option<(usize, f64)> = None;
    for a in 0..n {
        if a == top {
            continue;
        }
        let ra = r(a);
        let alpha = adjust[top] - adjust[a] + rt - ra;
        let beta = v(j, top) - v(j, a) - (rt - ra);
        if beta > 0.0 {
            // D_a(t) >= 0 for t >= -alpha / beta.
            let t = -alpha / beta;
            if t > lower
                || (t == lower
                    && t > 0.0
                    && below.is_some_and(|(b, bb)| beta > bb || (beta == bb && a < b)))
            {
                lower = t;
                below = Some((a, beta));
            }
        } else if beta < 0.0 {
            let t = -alpha / beta;
            if t < upper
                || (t == upper
                    && t < 1.0
                    && above.is_some_and(|(b, bb)| beta < bb || (beta == bb && a < b)))
            {
                upper = t;
                above = Some((a, beta));
            }
        }
    }
    Interval {
        criterion: j,
        weight: weights[j],
        lower: lower.clamp(0.0, 1.0),
        upper: upper.clamp(0.0, 1.0),
        below: below.filter(|_| lower > 0.0).map(|(a, _)| a),
        above: above.filter(|_| upper < 1.0).map(|(a, _)| a),
    }
}

/// The weights with criterion `j` set to `t` and the others rescaled proportionally.
pub fn rescaled(weights: &[f64], j: usize, t: f64) -> Vec<f64> {
    let rest = 1.0 - weights[j];
    let m = weights.len();
    (0..m)
        .map(|k| {
            if k == j {
                t
            } else if rest > 1e-12 {
                weights[k] * (1.0 - t) / rest
            } else {
                (1.0 - t) / (m.max(2) - 1) as f64
            }
        })
        .collect()
}
