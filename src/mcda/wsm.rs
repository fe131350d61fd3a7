//! Normalisations and the weighted sum (WSM).

use super::{Direction, McdaError, check_matrix, column, normalise_weights};

/// How a column is scaled before weighting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Normalisation {
    /// `(x - min) / (max - min)`; for a minimised criterion `(max - x) / (max - min)`.
    MinMax,
    /// `x / sqrt(sum x^2)`; a minimised criterion becomes `1 - x / sqrt(sum x^2)`.
    Vector,
    /// `x / sum x`; for a minimised criterion `(1/x) / sum(1/x)` (positive values only).
    Sum,
    /// `x / max`; for a minimised criterion `min / x` (positive values only).
    Max,
}

impl Normalisation {
    /// Parses `minmax`, `vector`, `sum` or `max`.
    pub fn parse(s: &str) -> Option<Normalisation> {
        match s {
            "minmax" | "min-max" => Some(Normalisation::MinMax),
            "vector" => Some(Normalisation::Vector),
            "sum" => Some(Normalisation::Sum),
            "max" => Some(Normalisation::Max),
            _ => None,
        }
    }

    /// The name used on the command line and in output.
    pub fn name(self) -> &'static str {
        match self {
            Normalisation::MinMax => "minmax",
            Normalisation::Vector => "vector",
            Normalisation::Sum => "sum",
            Normalisation::Max => "max",
        }
    }
}

/// Scales every column so that higher is better; returns the scaled rows.
pub fn normalise(
    rows: &[Vec<f64>],
    directions: &[Direction],
    how: Normalisation,
) -> Result<Vec<Vec<f64>>, McdaError> {
    let m = check_matrix(rows)?;
    if directions.len() != m {
        return Err(McdaError::Dimension {
            what: "number of directions",
            expected: m,
            found: directions.len(),
        });
    }
    let mut out = rows.to_vec();
    for (j, dir) in directions.iter().enumerate() {
        let col = column(rows, j);
        let scaled = scale_column(&col, j, *dir, how)?;
        for (r, v) in out.iter_mut().zip(scaled) {
            r[j] = v;
        }
    }
    Ok(out)
}

/// Column `j` (`col`) scaled so that higher is better.
fn scale_column(
    col: &[f64],
    j: usize,
    dir: Direction,
    how: Normalisation,
) -> Result<Vec<f64>, McdaError> {
    let method = match how {
        Normalisation::MinMax => "min-max normalisation",
        Normalisation::Vector => "vector normalisation",
        Normalisation::Sum => "sum normalisation",
        Normalisation::Max => "max normalisation",
    };
    let column = j + 1;
    match how {
        Normalisation::MinMax => {
            min_max(col, dir).ok_or(McdaError::ConstantColumn { column, method })
        }
        Normalisation::Vector => {
            vector(col, dir).ok_or(McdaError::ConstantColumn { column, method })
        }
        Normalisation::Sum | Normalisation::Max => ratio(col, dir, how == Normalisation::Sum)
            .ok_or(McdaError::NotPositive { column, method }),
    }
}

/// `(x - min) / (max - min)` (or from the top for a cost); `None` for a constant column.
fn min_max(col: &[f64], dir: Direction) -> Option<Vec<f64>> {
    let (lo, hi) = col
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &x| {
            (a.min(x), b.max(x))
        });
    if hi - lo <= 0.0 {
        return None;
    }
    Some(
        col.iter()
            .map(|&x| match dir {
                Direction::Max => (x - lo) / (hi - lo),
                Direction::Min => (hi - x) / (hi - lo),
            })
            .collect(),
    )
}

/// `x / ||col||` (one minus that for a cost); `None` for a column of zeros.
fn vector(col: &[f64], dir: Direction) -> Option<Vec<f64>> {
    let norm = super::euclidean_norm(col.iter().copied());
    if norm == 0.0 {
        return None;
    }
    Some(
        col.iter()
            .map(|&x| match dir {
                Direction::Max => x / norm,
                Direction::Min => 1.0 - x / norm,
            })
            .collect(),
    )
}

/// `x / sum` (`sum`) or `x / max`, of `1 / x` for a cost; `None` unless every value is
/// positive.
fn ratio(col: &[f64], dir: Direction, sum: bool) -> Option<Vec<f64>> {
    if col.iter().any(|&x| x <= 0.0) {
        return None;
    }
    let base: Vec<f64> = match dir {
        Direction::Max => col.to_vec(),
        Direction::Min => col.iter().map(|x| 1.0 / x).collect(),
    };
    let d = if sum {
        base.iter().sum::<f64>()
    } else {
        base.iter().fold(f64::NEG_INFINITY, |a, &b| a.max(b))
    };
    Some(base.iter().map(|x| x / d).collect())
}

/// Weighted sum of the normalised matrix; weights are normalised to sum 1.
pub fn wsm(
    rows: &[Vec<f64>],
    weights: &[f64],
    directions: &[Direction],
    how: Normalisation,
) -> Result<Vec<f64>, McdaError> {
    let m = check_matrix(rows)?;
    let w = normalise_weights(weights, m)?;
    let n = normalise(rows, directions, how)?;
    Ok(n.iter()
        .map(|r| r.iter().zip(&w).map(|(x, w)| x * w).sum())
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn constant_column_is_an_error_for_minmax() {
        let rows = vec![vec![1.0, 5.0], vec![2.0, 5.0]];
        let r = wsm(
            &rows,
            &[0.5, 0.5],
            &[Direction::Max, Direction::Max],
            Normalisation::MinMax,
        );
        assert_eq!(
            r,
            Err(McdaError::ConstantColumn {
                column: 2,
                method: "min-max normalisation"
            })
        );
    }
}
