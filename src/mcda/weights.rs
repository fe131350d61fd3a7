//! Objective weights from the decision matrix: entropy and CRITIC.

use super::wsm::{Normalisation, normalise};
use super::{Direction, McdaError, check_matrix, column};

/// Entropy weights (Shannon): `p = x / sum x` per column, `e = -sum p ln p / ln n`, weights in
/// proportion to `1 - e`. Values must be at least 0 and every column must have a positive sum;
/// when every column is perfectly uniform there is no information and the result is an error.
pub fn entropy(rows: &[Vec<f64>]) -> Result<Vec<f64>, McdaError> {
    let m = check_matrix(rows)?;
    let n = rows.len();
    if n < 2 {
        return Err(McdaError::SingleAlternative {
            method: "entropy weighting",
        });
    }
    let mut d = Vec::with_capacity(m);
    for j in 0..m {
        let col = column(rows, j);
        if col.iter().any(|&x| x < 0.0) {
            return Err(McdaError::Invalid(format!(
                "criterion {} has a negative value; entropy weighting needs values of at least 0",
                j + 1
            )));
        }
        let s: f64 = col.iter().sum();
        if s <= 0.0 {
            return Err(McdaError::Invalid(format!(
                "criterion {} sums to zero; entropy weighting needs a positive column sum",
                j + 1
            )));
        }
        let e: f64 = -col
            .iter()
            .map(|x| x / s)
            .filter(|p| *p > 0.0)
            .map(|p| p * p.ln())
            .sum::<f64>()
            / (n as f64).ln();
        d.push(1.0 - e);
    }
    let total: f64 = d.iter().sum();
    if total <= 1e-15 {
        return Err(McdaError::Invalid(
            "every column is uniform, so entropy weighting carries no information".into(),
        ));
    }
    Ok(d.iter().map(|x| x / total).collect())
}

/// CRITIC weights (Diakoulaki et al., 1995): min-max scaled columns (minimised criteria
/// inverted), sample standard deviation `s`, Pearson correlation `r`; weights in proportion to
/// `s_j * sum_k (1 - r_jk)`.
pub fn critic(rows: &[Vec<f64>], directions: &[Direction]) -> Result<Vec<f64>, McdaError> {
    let m = check_matrix(rows)?;
    let n = rows.len();
    if n < 2 {
        return Err(McdaError::SingleAlternative {
            method: "CRITIC weighting",
        });
    }
    let scaled = normalise(rows, directions, Normalisation::MinMax)?;
    let cols: Vec<Vec<f64>> = (0..m).map(|j| column(&scaled, j)).collect();
    let mean: Vec<f64> = cols
        .iter()
        .map(|c| c.iter().sum::<f64>() / n as f64)
        .collect();
    let sd: Vec<f64> = cols
        .iter()
        .zip(&mean)
        .map(|(c, mu)| {
            (c.iter().map(|x| (x - mu) * (x - mu)).sum::<f64>() / (n as f64 - 1.0)).sqrt()
        })
        .collect();
    let corr = |a: usize, b: usize| {
        let cov: f64 = cols[a]
            .iter()
            .zip(&cols[b])
            .map(|(x, y)| (x - mean[a]) * (y - mean[b]))
            .sum::<f64>()
            / (n as f64 - 1.0);
        cov / (sd[a] * sd[b])
    };
    let c: Vec<f64> = (0..m)
        .map(|j| sd[j] * (0..m).map(|k| 1.0 - corr(j, k)).sum::<f64>())
        .collect();
    let total: f64 = c.iter().sum();
    if total <= 0.0 || !total.is_finite() {
        return Err(McdaError::Invalid(
            "the CRITIC information measure is zero for every criterion".into(),
        ));
    }
    Ok(c.iter().map(|x| x / total).collect())
}
