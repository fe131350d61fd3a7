//! The documented ranges of the numbers an input may hold, by meaning, and the bounds on what
//! is read: the largest input file and the number of problems printed in full.
//!
//! Every loader checks its numbers against these ranges and reports a number outside them as a
//! located `out-of-range` error, so no later arithmetic sees an infinite or astronomically
//! large value. The table in the README ("Input limits") lists the same values; a test
//! (`readme_input_limits_match_the_code` in `tests/repository.rs`) keeps the two in step.

/// The largest FTE figure of one service, one delivery row or one scenario step. More than
/// all central-government jobs together (353,797 FTE on 1 January 2024, Kamerstuk 31490
/// nr. 347), so no real figure reaches it.
pub const FTE_MAX: f64 = 400_000.0;

/// The largest FTE of one delivery row (one unit in one gemeente) accepted without
/// `--accept-outliers`. A judgement, not a published figure: the largest single sites of the
/// central government are a few thousand FTE, so a row above this is more likely a typing
/// error (a missing decimal point, FTE in hours) than a real unit.
pub const ROW_FTE_PLAUSIBLE: f64 = 10_000.0;

/// The largest weight of a criterion (weights are relative; they are normalised to sum 1).
pub const WEIGHT_MAX: f64 = 1_000_000.0;

/// The largest number of minutes (a day) in a travel-time requirement.
pub const MINUTES_MAX: f64 = 1_440.0;

/// The largest magnitude of a value in a decision matrix (`mcda rank`) and of a preference
/// threshold; rescale the unit (thousands, millions) for larger values.
pub const MATRIX_MAX: f64 = 1e15;

/// The largest entry of an AHP comparison matrix (its reciprocal is the smallest). Saaty's
/// scale runs from 1/9 to 9; wider scales are allowed up to this ratio.
pub const AHP_MAX: f64 = 1_000.0;

/// The largest number of alternatives `mcda rank --method promethee` compares: PROMETHEE
/// compares every pair, so its work grows with the square of the rows (5,000 rows are 25
/// million pairs per criterion: 0.74 s for 5 criteria on a 2-core machine; 50,000 rows would
/// take over a minute).
pub const PROMETHEE_MAX_ROWS: usize = 5_000;

/// The default largest input file, in bytes (`--max-input-size` changes it). The largest
/// shipped input (`profiles/gemeenten.toml`) is below 100 KB; a delivery of every unit of a
/// ministry is a few hundred KB.
pub const DEFAULT_MAX_INPUT_BYTES: u64 = 16 * 1024 * 1024;

/// Problems printed in full; the rest are counted per kind ("and 9,990 more problems like
/// this").
pub const MAX_PROBLEMS_SHOWN: usize = 50;

/// Characters of a source line shown around the column of a problem.
pub const SNIPPET_WIDTH: usize = 160;

static MAX_INPUT_BYTES: std::sync::atomic::AtomicU64 =
    std::sync::atomic::AtomicU64::new(DEFAULT_MAX_INPUT_BYTES);

/// The largest input file read, in bytes.
pub fn max_input_bytes() -> u64 {
    MAX_INPUT_BYTES.load(std::sync::atomic::Ordering::Relaxed)
}

/// Sets the largest input file read (the CLI's `--max-input-size`).
pub fn set_max_input_bytes(bytes: u64) {
    MAX_INPUT_BYTES.store(bytes, std::sync::atomic::Ordering::Relaxed);
}

/// A number as a person writes it: plain for everyday magnitudes, in exponent notation for
/// very large or very small ones (`1e308`, not 309 digits), and the shortest form that reads
/// back to the same value.
///
/// ```
/// use locatieadvies::limits::number;
/// assert_eq!(number(120.5), "120.5");
/// assert_eq!(number(1e308), "1e308");
/// assert_eq!(number(-2.5e-9), "-2.5e-9");
/// assert_eq!(number(f64::INFINITY), "inf");
/// ```
pub fn number(x: f64) -> String {
    let a = x.abs();
    if x.is_finite() && a != 0.0 && !(1e-4..1e15).contains(&a) {
        format!("{x:e}")
    } else {
        format!("{x}")
    }
}

/// A whole count with thousands separators: `9990` is "9,990".
pub fn count(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_back_and_stay_short() {
        for x in [
            0.0,
            1.0,
            0.1,
            120.5,
            1e-5,
            1e14,
            1e15,
            1e200,
            1e308,
            f64::MIN_POSITIVE,
        ] {
            let s = number(x);
            assert!(s.len() <= 24, "{s}");
            assert_eq!(s.parse::<f64>().unwrap(), x);
        }
    }

    #[test]
    fn counts_get_separators() {
        assert_eq!(count(0), "0");
        assert_eq!(count(999), "999");
        assert_eq!(count(9990), "9,990");
        assert_eq!(count(1_234_567), "1,234,567");
    }
}
