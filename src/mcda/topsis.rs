//! TOPSIS (Hwang and Yoon, 1981): closeness to the ideal point.

use super::wsm::{Normalisation, normalise};
use super::{Direction, McdaError, check_matrix, normalise_weights};

/// Which normalisation TOPSIS uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TopsisNormalisation {
    /// `x / sqrt(sum x^2)`, as Hwang and Yoon; the ideal takes the maximum of a maximised and the
    /// minimum of a minimised criterion.
    Vector,
    /// Min-max scaling to 0..1 with minimised criteria inverted (the pymcdm default).
    MinMax,
}

/// The result of TOPSIS.
#[derive(Debug, Clone, PartialEq)]
pub struct Topsis {
    /// Relative closeness `D- / (D+ + D-)`, higher is better.
    pub closeness: Vec<f64>,
    /// Distance to the ideal point.
    pub d_plus: Vec<f64>,
    /// Distance to the anti-ideal point.
    pub d_minus: Vec<f64>,
}

/// The weighted, scaled matrix and, per column, whether larger is better in it.
fn weighted(
    rows: &[Vec<f64>],
    w: &[f64],
    directions: &[Direction],
    how: TopsisNormalisation,
) -> Result<(Vec<Vec<f64>>, Vec<bool>), McdaError> {
    let m = w.len();
    Ok(match how {
        TopsisNormalisation::MinMax => {
            let n = normalise(rows, directions, Normalisation::MinMax)?;
            (
                n.iter()
                    .map(|r| r.iter().zip(w).map(|(x, w)| x * w).collect())
                    .collect(),
                vec![true; m],
            )
        }
        TopsisNormalisation::Vector => {
            let norms: Vec<f64> = (0..m)
                .map(|j| super::euclidean_norm(rows.iter().map(|r| r[j])))
                .collect();
            if let Some(j) = norms.iter().position(|n| *n == 0.0) {
                return Err(McdaError::ConstantColumn {
                    column: j + 1,
                    method: "TOPSIS vector normalisation",
                });
            }
            let v = rows
                .iter()
                .map(|r| {
                    r.iter()
                        .enumerate()
                        .map(|(j, x)| w[j] * (x / norms[j]))
                        .collect()
                })
                .collect();
            (v, directions.iter().map(|d| *d == Direction::Max).collect())
        }
    })
}

/// Ranks alternatives by TOPSIS. Weights are normalised to sum 1.
pub fn topsis(
    rows: &[Vec<f64>],
    weights: &[f64],
    directions: &[Direction],
    how: TopsisNormalisation,
) -> Result<Topsis, McdaError> {
    let m = check_matrix(rows)?;
    if rows.len() < 2 {
        return Err(McdaError::SingleAlternative { method: "TOPSIS" });
    }
    let w = normalise_weights(weights, m)?;
    if directions.len() != m {
        return Err(McdaError::Dimension {
            what: "number of directions",
            expected: m,
            found: directions.len(),
        });
    }
    // Weighted, scaled matrix, and for each column whether larger is better in it.
    let (v, larger_better) = weighted(rows, &w, directions, how)?;
    let mut ideal = vec![0.0; m];
    let mut anti = vec![0.0; m];
    for j in 0..m {
        let (lo, hi) = v
            .iter()
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), r| {
                (a.min(r[j]), b.max(r[j]))
            });
        (ideal[j], anti[j]) = if larger_better[j] { (hi, lo) } else { (lo, hi) };
    }
    let dist = |r: &Vec<f64>, p: &Vec<f64>| {
        r.iter()
            .zip(p)
            .map(|(a, b)| (a - b) * (a - b))
            .sum::<f64>()
            .sqrt()
    };
    let d_plus: Vec<f64> = v.iter().map(|r| dist(r, &ideal)).collect();
    let d_minus: Vec<f64> = v.iter().map(|r| dist(r, &anti)).collect();
    let closeness = d_plus
        .iter()
        .zip(&d_minus)
        .map(|(p, m)| if p + m == 0.0 { 0.5 } else { m / (p + m) })
        .collect();
    Ok(Topsis {
        closeness,
        d_plus,
        d_minus,
    })
}
