//! AHP (Saaty): weights from a pairwise comparison matrix, with the consistency ratio.

use super::McdaError;
use crate::limits::AHP_MAX;

/// How the priority vector is derived.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AhpMethod {
    /// The principal eigenvector (power iteration).
    Eigenvector,
    /// The average of the normalised columns (Saaty's approximation).
    Approximate,
    /// The normalised geometric means of the rows.
    GeometricMean,
}

/// Which table of random consistency indices (RI) the consistency ratio uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RandomIndex {
    /// Saaty's table, n = 1..15: 0, 0, .58, .90, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49, 1.51, 1.48,
    /// 1.56, 1.57, 1.59.
    Saaty,
    /// Tummala and Ling (1998), n = 1..15.
    TummalaLing,
}

impl RandomIndex {
    /// The table's name for output.
    pub fn name(self) -> &'static str {
        match self {
            RandomIndex::Saaty => "Saaty",
            RandomIndex::TummalaLing => "Tummala and Ling (1998)",
        }
    }

    /// RI for an `n` by `n` matrix, when the table has it.
    pub fn value(self, n: usize) -> Option<f64> {
        const SAATY: [f64; 15] = [
            0.0, 0.0, 0.58, 0.90, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49, 1.51, 1.48, 1.56, 1.57, 1.59,
        ];
        const TL: [f64; 15] = [
            0.0, 0.0, 0.5799, 0.8921, 1.1159, 1.2358, 1.3322, 1.3952, 1.4537, 1.4882, 1.5117,
            1.5356, 1.5571, 1.5714, 1.5831,
        ];
        let t = match self {
            RandomIndex::Saaty => &SAATY,
            RandomIndex::TummalaLing => &TL,
        };
        n.checked_sub(1).and_then(|i| t.get(i)).copied()
    }
}

/// The result of AHP.
#[derive(Debug, Clone, PartialEq)]
pub struct Ahp {
    pub weights: Vec<f64>,
    /// Principal eigenvalue estimate: the mean of `(M w)_i / w_i`.
    pub lambda_max: f64,
    /// Consistency index `(lambda_max - n) / (n - 1)`.
    pub ci: f64,
    /// Consistency ratio `CI / RI`; 0 for n <= 2, where every matrix is consistent.
    pub cr: f64,
    /// The RI used.
    pub ri: f64,
    /// True when CR <= 0.10.
    pub acceptable: bool,
}

/// Checks a pairwise matrix: square, positive, finite, ones on the diagonal, reciprocal within
/// 1e-6 relative.
pub fn check_pairwise(m: &[Vec<f64>]) -> Result<usize, McdaError> {
    let n = m.len();
    if n == 0 {
        return Err(McdaError::Pairwise {
            reason: "it is empty".into(),
        });
    }
    for (i, r) in m.iter().enumerate() {
        if r.len() != n {
            return Err(McdaError::Pairwise {
                reason: format!("row {} has {} entries, expected {n}", i + 1, r.len()),
            });
        }
        for (j, &x) in r.iter().enumerate() {
            if !x.is_finite() || x <= 0.0 {
                return Err(McdaError::Pairwise {
                    reason: format!("entry ({}, {}) is not a positive number", i + 1, j + 1),
                });
            }
            if !(1.0 / AHP_MAX..=AHP_MAX).contains(&x) {
                return Err(McdaError::Pairwise {
                    reason: format!(
                        "entry ({}, {}) is outside 1/{max} to {max}",
                        i + 1,
                        j + 1,
                        max = AHP_MAX
                    ),
                });
            }
        }
        if (r[i] - 1.0).abs() > 1e-9 {
            return Err(McdaError::Pairwise {
                reason: format!("diagonal entry ({0}, {0}) is not 1", i + 1),
            });
        }
    }
    for (i, row) in m.iter().enumerate() {
        for (j, other) in m.iter().enumerate().skip(i + 1) {
            if (row[j] * other[i] - 1.0).abs() > 1e-6 {
                return Err(McdaError::Pairwise {
                    reason: format!(
                        "entries ({}, {}) and ({}, {}) are not reciprocal",
                        i + 1,
                        j + 1,
                        j + 1,
                        i + 1
                    ),
                });
            }
        }
    }
    Ok(n)
}

/// Derives weights and the consistency ratio from a pairwise comparison matrix.
pub fn ahp(m: &[Vec<f64>], method: AhpMethod, table: RandomIndex) -> Result<Ahp, McdaError> {
    let n = check_pairwise(m)?;
    let weights: Vec<f64> = match method {
        AhpMethod::Approximate => {
            let colsum: Vec<f64> = (0..n).map(|j| m.iter().map(|r| r[j]).sum()).collect();
            (0..n)
                .map(|i| (0..n).map(|j| m[i][j] / colsum[j]).sum::<f64>() / n as f64)
                .collect()
        }
        AhpMethod::GeometricMean => {
            let g: Vec<f64> = m
                .iter()
                .map(|r| r.iter().map(|x| x.ln()).sum::<f64>() / n as f64)
                .map(f64::exp)
                .collect();
            let s: f64 = g.iter().sum();
            g.iter().map(|x| x / s).collect()
        }
        AhpMethod::Eigenvector => {
            let mut w = vec![1.0 / n as f64; n];
            for _ in 0..10_000 {
                let mut next: Vec<f64> = (0..n)
                    .map(|i| (0..n).map(|j| m[i][j] * w[j]).sum())
                    .collect();
                let s: f64 = next.iter().sum();
                next.iter_mut().for_each(|x| *x /= s);
                let diff: f64 = next.iter().zip(&w).map(|(a, b)| (a - b).abs()).sum();
                w = next;
                if diff < 1e-15 {
                    break;
                }
            }
            w
        }
    };
    let lambda_max = (0..n)
        .map(|i| (0..n).map(|j| m[i][j] * weights[j]).sum::<f64>() / weights[i])
        .sum::<f64>()
        / n as f64;
    let ci = if n > 1 {
        (lambda_max - n as f64) / (n as f64 - 1.0)
    } else {
        0.0
    };
    let ri = table.value(n).ok_or_else(|| McdaError::Pairwise {
        reason: format!(
            "the {} table has no random index for n = {n} (1 to 15)",
            table.name()
        ),
    })?;
    let cr = if ri > 0.0 { ci / ri } else { 0.0 };
    Ok(Ahp {
        weights,
        lambda_max,
        ci,
        cr,
        ri,
        acceptable: cr <= 0.10,
    })
}
