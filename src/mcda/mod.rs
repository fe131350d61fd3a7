//! General multi-criteria decision methods on a plain decision matrix (alternatives by criteria):
//! weighted sum, TOPSIS, PROMETHEE II, AHP weights, entropy and CRITIC weights, SMAA-2 rank
//! acceptability, exact weight stability intervals and Kendall's tau.
//!
//! These are the analyst's tools (`locatieadvies mcda`) and the advice's cross-check and
//! robustness analysis. The main advice method stays the absolute value-function model in
//! [`crate::advice`]: TOPSIS and PROMETHEE are relative methods and can reverse ranks when
//! alternatives are added or removed.
//!
//! Degenerate input (an empty matrix, a single alternative where a method needs two, a constant
//! column where a method divides by the range, negative or all-zero weights, a non-finite cell)
//! is an error, never a panic or a silent NaN.

pub mod ahp;
pub mod promethee;
pub mod smaa;
pub mod stability;
pub mod topsis;
pub mod weights;
pub mod wsm;

use thiserror::Error;

/// Whether a criterion is to be maximised or minimised.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Max,
    Min,
}

impl Direction {
    /// Parses `max` or `min`.
    pub fn parse(s: &str) -> Option<Direction> {
        match s {
            "max" => Some(Direction::Max),
            "min" => Some(Direction::Min),
            _ => None,
        }
    }
}

/// A problem with the input of a method.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum McdaError {
    #[error("the decision matrix has no alternatives or no criteria")]
    Empty,
    #[error("{method} needs at least two alternatives")]
    SingleAlternative { method: &'static str },
    #[error("row {row}, column {column}: the value is not a finite number")]
    NonFinite { row: usize, column: usize },
    #[error("row {row} has {found} values, expected {expected}")]
    Ragged {
        row: usize,
        found: usize,
        expected: usize,
    },
    #[error("{what}: expected {expected}, found {found}")]
    Dimension {
        what: &'static str,
        expected: usize,
        found: usize,
    },
    #[error("criterion {column} is constant, so {method} cannot scale it (its range is zero)")]
    ConstantColumn { column: usize, method: &'static str },
    #[error("criterion {column} has a value of zero or below, which {method} cannot use")]
    NotPositive { column: usize, method: &'static str },
    #[error("weight {index} is negative or not finite")]
    NegativeWeight { index: usize },
    #[error("every weight is zero")]
    ZeroWeights,
    #[error("the pairwise matrix is invalid: {reason}")]
    Pairwise { reason: String },
    #[error("{0}")]
    Invalid(String),
}

/// Checks a decision matrix: not empty, rectangular, finite.
pub fn check_matrix(rows: &[Vec<f64>]) -> Result<usize, McdaError> {
    let m = rows.first().map_or(0, Vec::len);
    if rows.is_empty() || m == 0 {
        return Err(McdaError::Empty);
    }
    for (i, r) in rows.iter().enumerate() {
        if r.len() != m {
            return Err(McdaError::Ragged {
                row: i + 1,
                found: r.len(),
                expected: m,
            });
        }
        if let Some(j) = r.iter().position(|x| !x.is_finite()) {
            return Err(McdaError::NonFinite {
                row: i + 1,
                column: j + 1,
            });
        }
    }
    Ok(m)
}

/// Checks weights (finite, at least 0, not all 0, one per criterion) and normalises them to sum 1.
pub fn normalise_weights(w: &[f64], m: usize) -> Result<Vec<f64>, McdaError> {
    if w.len() != m {
        return Err(McdaError::Dimension {
            what: "number of weights",
            expected: m,
            found: w.len(),
        });
    }
    if let Some(i) = w.iter().position(|x| !x.is_finite() || *x < 0.0) {
        return Err(McdaError::NegativeWeight { index: i + 1 });
    }
    let max = w.iter().copied().fold(0.0, f64::max);
    if max <= 0.0 {
        return Err(McdaError::ZeroWeights);
    }
    let total: f64 = w.iter().sum();
    if total.is_finite() {
        return Ok(w.iter().map(|x| x / total).collect());
    }
    // A sum that overflows (weights near f64::MAX): scaled by the largest weight first.
    let total: f64 = w.iter().map(|x| x / max).sum();
    Ok(w.iter().map(|x| (x / max) / total).collect())
}

/// The Euclidean norm `sqrt(sum x^2)`, computed on the values scaled by the largest magnitude
/// so that squares neither overflow (1e200) nor vanish (1e-200).
pub(crate) fn euclidean_norm(xs: impl Iterator<Item = f64> + Clone) -> f64 {
    let max = xs.clone().fold(0.0_f64, |m, x| m.max(x.abs()));
    if max == 0.0 || !max.is_finite() {
        return max;
    }
    max * xs.map(|x| (x / max) * (x / max)).sum::<f64>().sqrt()
}

/// A column of the matrix.
pub(crate) fn column(rows: &[Vec<f64>], j: usize) -> Vec<f64> {
    rows.iter().map(|r| r[j]).collect()
}

/// A ranking derived from scores.
#[derive(Debug, Clone, PartialEq)]
pub struct Ranking {
    /// Alternative indices, best first.
    pub order: Vec<usize>,
    /// Rank of each alternative (1 is best), in input order; tied alternatives get consecutive
    /// ranks in input order.
    pub ranks: Vec<usize>,
    /// Groups of alternatives with equal scores (each group in input order).
    pub ties: Vec<Vec<usize>>,
}

/// Ranks scores (higher is better unless `lower_is_better`). Tie rule: equal scores (within
/// 1e-12, relative to the larger magnitude) keep the input order, and every tie is reported.
pub fn rank(scores: &[f64], lower_is_better: bool) -> Ranking {
    let mut order: Vec<usize> = (0..scores.len()).collect();
    let key = |i: usize| {
        if lower_is_better {
            -scores[i]
        } else {
            scores[i]
        }
    };
    order.sort_by(|&a, &b| key(b).total_cmp(&key(a)).then(a.cmp(&b)));
    let equal = |a: f64, b: f64| (a - b).abs() <= 1e-12 * a.abs().max(b.abs()).max(1.0);
    let mut ranks = vec![0; scores.len()];
    let mut ties: Vec<Vec<usize>> = Vec::new();
    let mut group: Vec<usize> = Vec::new();
    for (pos, &i) in order.iter().enumerate() {
        ranks[i] = pos + 1;
        match group.last() {
            Some(&g) if equal(scores[g], scores[i]) => group.push(i),
            _ => {
                if group.len() > 1 {
                    ties.push(std::mem::take(&mut group));
                }
                group = vec![i];
            }
        }
    }
    if group.len() > 1 {
        ties.push(group);
    }
    // Within a tie the order is the input order; the sort already guarantees it.
    Ranking { order, ranks, ties }
}

/// Kendall's tau-b between two score vectors over the same alternatives (both higher-is-better).
/// Returns 1 for identical orders, -1 for reversed ones; pairs tied in both count in neither.
/// With fewer than two alternatives, or when one side is entirely tied, the result is 1 when the
/// orders cannot disagree.
pub fn kendall_tau_b(a: &[f64], b: &[f64]) -> f64 {
    let n = a.len().min(b.len());
    let (mut conc, mut disc, mut ties_a, mut ties_b) = (0f64, 0f64, 0f64, 0f64);
    for i in 0..n {
        for j in (i + 1)..n {
            let da = a[i] - a[j];
            let db = b[i] - b[j];
            match (da == 0.0, db == 0.0) {
                (true, true) => {}
                (true, false) => ties_a += 1.0,
                (false, true) => ties_b += 1.0,
                (false, false) => {
                    if (da > 0.0) == (db > 0.0) {
                        conc += 1.0
                    } else {
                        disc += 1.0
                    }
                }
            }
        }
    }
    let denom = ((conc + disc + ties_a) * (conc + disc + ties_b)).sqrt();
    if denom == 0.0 {
        1.0
    } else {
        (conc - disc) / denom
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rank_reports_ties_in_input_order() {
        let r = rank(&[0.5, 0.7, 0.5, 0.1], false);
        assert_eq!(r.order, vec![1, 0, 2, 3]);
        assert_eq!(r.ranks, vec![2, 1, 3, 4]);
        assert_eq!(r.ties, vec![vec![0, 2]]);
        let low = rank(&[3.0, 1.0, 2.0], true);
        assert_eq!(low.order, vec![1, 2, 0]);
    }

    #[test]
    fn kendall_tau_extremes() {
        assert_eq!(kendall_tau_b(&[1.0, 2.0, 3.0], &[10.0, 20.0, 30.0]), 1.0);
        assert_eq!(kendall_tau_b(&[1.0, 2.0, 3.0], &[3.0, 2.0, 1.0]), -1.0);
        // One discordant pair of three: (2 - 1) / 3.
        let t = kendall_tau_b(&[1.0, 2.0, 3.0], &[1.0, 3.0, 2.0]);
        assert!((t - 1.0 / 3.0).abs() < 1e-12);
    }

    #[test]
    fn degenerate_inputs_are_errors() {
        assert_eq!(check_matrix(&[]), Err(McdaError::Empty));
        assert!(matches!(
            check_matrix(&[vec![1.0], vec![f64::NAN]]),
            Err(McdaError::NonFinite { row: 2, column: 1 })
        ));
        assert_eq!(
            normalise_weights(&[0.0, 0.0], 2),
            Err(McdaError::ZeroWeights)
        );
        assert_eq!(
            normalise_weights(&[1.0, -1.0], 2),
            Err(McdaError::NegativeWeight { index: 2 })
        );
    }
}
