//! `profiles/banen_corop.csv`: CBS employee jobs per SBI-A10 sector and COROP region (StatLine
//! 83582NED, the latest year), the basis of thematic fit.

use std::collections::{BTreeMap, BTreeSet};

use super::Sources;
use super::checker::{Checker, csv_err, csv_num, csv_rows, required};
use crate::generate::A10;
use crate::model::{SectorJobs, ValueFunction};

const COLUMNS: [&str; 7] = [
    "corop",
    "a10",
    "year",
    "jobs_thousands",
    "region_jobs_thousands",
    "national_share",
    "location_quotient",
];

/// Loads the jobs of `profiles/banen_corop.csv`; `corops` are the known COROP codes, `fit` the
/// value function and source of `rules/themes.toml [fit]`.
pub(super) fn load_sector_jobs(
    ck: &mut Checker,
    sources: &Sources,
    corops: &BTreeSet<String>,
    fit: Option<(ValueFunction, String)>,
) -> Option<SectorJobs> {
    let f = required(ck, sources, "profiles/banen_corop.csv")?;
    let mut jobs = BTreeMap::new();
    let mut region_jobs = BTreeMap::new();
    let mut national_share = BTreeMap::new();
    let mut year: Option<i64> = None;
    for (line, rec) in csv_rows(ck, f, &COLUMNS) {
        if !corops.contains(&rec[0]) {
            csv_err(
                ck,
                f,
                line,
                "unknown-corop",
                format!("unknown COROP region `{}`", rec[0]),
                Some("a COROP code of profiles/corop.toml (CR01..CR40)"),
            );
            continue;
        }
        if !A10.contains(&rec[1].as_str()) {
            csv_err(
                ck,
                f,
                line,
                "invalid-value",
                format!("unknown sector `{}`", rec[1]),
                Some(&format!("an SBI-A10 code: {}", A10.join(", "))),
            );
            continue;
        }
        let y = csv_num(ck, f, line, &rec[2], "year");
        let nonneg = |ck: &mut Checker, s: &str, col: &str| -> Option<Option<f64>> {
            if s.is_empty() {
                return Some(None);
            }
            let v = csv_num(ck, f, line, s, col)?;
            if v < 0.0 {
                csv_err(
                    ck,
                    f,
                    line,
                    "out-of-range",
                    format!("column `{col}`: {v} is negative"),
                    Some("a number of at least 0"),
                );
                return None;
            }
            Some(Some(v))
        };
        let (Some(j), Some(Some(total)), Some(Some(share))) = (
            nonneg(ck, &rec[3], "jobs_thousands"),
            nonneg(ck, &rec[4], "region_jobs_thousands"),
            nonneg(ck, &rec[5], "national_share"),
        ) else {
            continue;
        };
        if let Some(y) = y {
            let y = y as i64;
            if year.is_some_and(|known| known != y) {
                csv_err(
                    ck,
                    f,
                    line,
                    "inconsistent-reference",
                    format!("year {y} differs from the file's other rows"),
                    Some("one year for the whole file"),
                );
                continue;
            }
            year = Some(y);
        }
        if let Some(j) = j {
            jobs.insert((rec[0].clone(), rec[1].clone()), j);
        }
        region_jobs.insert(rec[0].clone(), total);
        national_share.insert(rec[1].clone(), share);
    }
    let (value_function, source) = fit?;
    Some(SectorJobs {
        value_function,
        source,
        year: year.unwrap_or(0),
        jobs,
        region_jobs,
        national_share,
    })
}
