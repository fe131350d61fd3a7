//! PROMETHEE II (Brans and Vincke, 1985): net outranking flows with six preference functions.

use super::{Direction, McdaError, check_matrix, normalise_weights};
use crate::limits::MATRIX_MAX;

/// A preference function of a criterion: the preference for `a` over `b` as a function of the
/// difference `d` (already oriented so that a positive `d` favours `a`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Preference {
    /// 1 when `d > 0`.
    Usual,
    /// 1 when `d > q`.
    UShape { q: f64 },
    /// `d / p` up to `p`, then 1.
    VShape { p: f64 },
    /// 0 up to `q`, 1/2 up to `p`, then 1.
    Level { q: f64, p: f64 },
    /// 0 up to `q`, linear to 1 at `p`.
    Linear { q: f64, p: f64 },
    /// `1 - exp(-d^2 / (2 s^2))` for `d > 0`.
    Gaussian { s: f64 },
}

impl Preference {
    /// The preference for a difference `d`.
    pub fn eval(self, d: f64) -> f64 {
        if d <= 0.0 {
            return 0.0;
        }
        match self {
            Preference::Usual => 1.0,
            Preference::UShape { q } => f64::from(d > q),
            Preference::VShape { p } => (d / p).min(1.0),
            Preference::Level { q, p } => {
                if d <= q {
                    0.0
                } else if d <= p {
                    0.5
                } else {
                    1.0
                }
            }
            Preference::Linear { q, p } => {
                if d <= q {
                    0.0
                } else if d <= p {
                    (d - q) / (p - q)
                } else {
                    1.0
                }
            }
            Preference::Gaussian { s } => 1.0 - (-d * d / (2.0 * s * s)).exp(),
        }
    }

    /// The thresholds it has (q, p or s).
    fn thresholds(self) -> Vec<f64> {
        match self {
            Preference::Usual => vec![],
            Preference::UShape { q } => vec![q],
            Preference::VShape { p } => vec![p],
            Preference::Level { q, p } | Preference::Linear { q, p } => vec![q, p],
            Preference::Gaussian { s } => vec![s],
        }
    }

    /// Checks the thresholds: finite, `q >= 0`, `p > 0`, `p > q`, `s > 0`, none above
    /// [`MATRIX_MAX`].
    pub fn check(self) -> Result<Preference, McdaError> {
        let ok = match self {
            Preference::Usual => true,
            Preference::UShape { q } => q.is_finite() && q >= 0.0,
            Preference::VShape { p } => p.is_finite() && p > 0.0,
            Preference::Level { q, p } | Preference::Linear { q, p } => {
                q.is_finite() && p.is_finite() && q >= 0.0 && p > q
            }
            Preference::Gaussian { s } => s.is_finite() && s > 0.0,
        } && self.thresholds().iter().all(|t| *t <= MATRIX_MAX);
        if ok {
            Ok(self)
        } else {
            Err(McdaError::Invalid(format!(
                "invalid thresholds for preference function {}: need q >= 0, p > q and s > 0, none above 1e15",
                self.describe()
            )))
        }
    }

    /// A readable name with its thresholds.
    pub fn describe(self) -> String {
        let n = crate::limits::number;
        match self {
            Preference::Usual => "usual".into(),
            Preference::UShape { q } => format!("u-shape (q = {})", n(q)),
            Preference::VShape { p } => format!("v-shape (p = {})", n(p)),
            Preference::Level { q, p } => format!("level (q = {}, p = {})", n(q), n(p)),
            Preference::Linear { q, p } => format!("linear (q = {}, p = {})", n(q), n(p)),
            Preference::Gaussian { s } => format!("gaussian (s = {})", n(s)),
        }
    }
}

/// The flows of PROMETHEE II, divided by `n - 1`.
#[derive(Debug, Clone, PartialEq)]
pub struct Flows {
    pub positive: Vec<f64>,
    pub negative: Vec<f64>,
    /// Net flow `positive - negative`, higher is better.
    pub net: Vec<f64>,
}

/// Computes the PROMETHEE II flows. Weights are normalised to sum 1.
pub fn promethee_ii(
    rows: &[Vec<f64>],
    weights: &[f64],
    directions: &[Direction],
    preferences: &[Preference],
) -> Result<Flows, McdaError> {
    let m = check_matrix(rows)?;
    let n = rows.len();
    if n < 2 {
        return Err(McdaError::SingleAlternative {
            method: "PROMETHEE II",
        });
    }
    let w = normalise_weights(weights, m)?;
    for (what, len) in [
        ("number of directions", directions.len()),
        ("number of preference functions", preferences.len()),
    ] {
        if len != m {
            return Err(McdaError::Dimension {
                what,
                expected: m,
                found: len,
            });
        }
    }
    for p in preferences {
        p.check()?;
    }
    let mut positive = vec![0.0; n];
    let mut negative = vec![0.0; n];
    for a in 0..n {
        for b in 0..n {
            if a == b {
                continue;
            }
            let mut pi = 0.0;
            for j in 0..m {
                let d = match directions[j] {
                    Direction::Max => rows[a][j] - rows[b][j],
                    Direction::Min => rows[b][j] - rows[a][j],
                };
                pi += w[j] * preferences[j].eval(d);
            }
            positive[a] += pi;
            negative[b] += pi;
        }
    }
    let k = (n - 1) as f64;
    positive.iter_mut().for_each(|x| *x /= k);
    negative.iter_mut().for_each(|x| *x /= k);
    let net = positive.iter().zip(&negative).map(|(p, q)| p - q).collect();
    Ok(Flows {
        positive,
        negative,
        net,
    })
}
