//! Deliveries (aanleveringen): the ministries' CSV files of FTE per organisation unit and
//! gemeente, validated with file and line for every problem, and merged into one baseline.
//!
//! Format (UTF-8, comma-separated, header required):
//!
//! ```text
//! ministry,unit,sector,gemeente,fte,reference_date
//! IenW,Rijkswaterstaat Zee en Delta,ministeries,GM0687,412.5,2025-01-01
//! ```
//!
//! `ministry` and `sector` come from `rules/settings.toml`; a sector bound to one ministry
//! (`[sector_ministries]`) must be delivered under that ministry. `gemeente` is a CBS gemeente
//! code, `fte` a finite number of at least 0, `reference_date` the 1 January of the year, the same
//! in every row of every file. A unit appears once per gemeente.

use std::collections::BTreeMap;
use std::path::Path;

use super::{Baseline, Origin, Row};
use crate::config::read_text;
use crate::diag::{Diagnostic, Diagnostics};
use crate::model::World;

/// The header every delivery starts with.
pub const HEADER: [&str; 6] = [
    "ministry",
    "unit",
    "sector",
    "gemeente",
    "fte",
    "reference_date",
];

fn at(file: &str, line: usize, column: usize, code: &'static str, msg: String) -> Diagnostic {
    let mut d = Diagnostic::file(code, file, msg);
    d.line = line;
    d.column = column;
    d
}

/// Reads and validates delivery files into one baseline; every problem goes into `diags`.
pub fn ingest(paths: &[&Path], world: &World, diags: &mut Diagnostics) -> Option<Baseline> {
    let before = diags.0.len();
    let mut rows = Vec::new();
    let mut date: Option<(String, String, usize)> = None;
    // (ministry, unit, gemeente) -> where first seen.
    let mut seen: BTreeMap<(String, String, String), (String, usize)> = BTreeMap::new();
    let s = &world.settings;
    for path in paths {
        let shown = path.display().to_string();
        let Some(text) = read_text(path, diags) else {
            continue;
        };
        let mut rdr = csv::ReaderBuilder::new()
            .flexible(true)
            .from_reader(text.as_bytes());
        match rdr.headers() {
            Ok(h) if h.iter().map(str::trim).eq(HEADER.iter().copied()) => {}
            Ok(_) | Err(_) => {
                diags.push(
                    at(&shown, 1, 1, "invalid-csv", "unexpected header".into())
                        .expected(HEADER.join(",")),
                );
                continue;
            }
        }
        for rec in rdr.records() {
            let rec = match rec {
                Ok(r) => r,
                Err(e) => {
                    let line = e.position().map_or(0, |p| p.line() as usize);
                    diags.push(at(&shown, line, 1, "invalid-csv", e.to_string()));
                    continue;
                }
            };
            let line = rec.position().map_or(0, |p| p.line() as usize);
            if rec.len() != HEADER.len() {
                diags.push(
                    at(
                        &shown,
                        line,
                        1,
                        "invalid-csv",
                        format!("{} fields, expected {}", rec.len(), HEADER.len()),
                    )
                    .expected(HEADER.join(",")),
                );
                continue;
            }
            let f: Vec<&str> = rec.iter().map(str::trim).collect();
            // Column (1-based, in characters) where field `i` starts.
            let col = |i: usize| {
                rec.iter()
                    .take(i)
                    .map(|x| x.chars().count() + 1)
                    .sum::<usize>()
                    + 1
            };
            let mut ok = true;
            let (ministry, unit, sector, gemeente, fte_text, ref_date) =
                (f[0], f[1], f[2], f[3], f[4], f[5]);
            if !s.ministries.iter().any(|m| m == ministry) {
                diags.push(
                    at(
                        &shown,
                        line,
                        col(0),
                        "unknown-ministry",
                        format!("unknown ministry `{ministry}`"),
                    )
                    .expected("a ministry of rules/settings.toml")
                    .suggest(ministry, s.ministries.iter().map(String::as_str)),
                );
                ok = false;
            }
            if unit.is_empty() {
                diags.push(
                    at(
                        &shown,
                        line,
                        col(1),
                        "missing-key",
                        "the unit is empty".into(),
                    )
                    .expected("the organisation unit's name"),
                );
                ok = false;
            }
            if !s.sectors.iter().any(|x| x == sector) {
                diags.push(
                    at(
                        &shown,
                        line,
                        col(2),
                        "unknown-sector",
                        format!("unknown sector `{sector}`"),
                    )
                    .expected("one of the six sectors")
                    .suggest(sector, s.sectors.iter().map(String::as_str)),
                );
                ok = false;
            } else if let Some(bound) = s.sector_ministries.get(sector)
                && bound != ministry
            {
                diags.push(
                    at(
                        &shown,
                        line,
                        col(2),
                        "sector-ministry",
                        format!(
                            "sector `{sector}` belongs to ministry `{bound}`, not `{ministry}`"
                        ),
                    )
                    .expected(format!("ministry `{bound}` for sector `{sector}`")),
                );
                ok = false;
            }
            if world.gemeente_index(gemeente).is_none() {
                diags.push(
                    at(
                        &shown,
                        line,
                        col(3),
                        "unknown-gemeente",
                        format!("unknown gemeente `{gemeente}`"),
                    )
                    .expected("a CBS gemeente code such as `GM0106`")
                    .suggest(gemeente, world.gemeenten.iter().map(|g| g.code.as_str())),
                );
                ok = false;
            }
            let fte = match fte_text.parse::<f64>() {
                Ok(x) if x.is_finite() && x >= 0.0 => x,
                Ok(x) if x.is_finite() => {
                    diags.push(
                        at(
                            &shown,
                            line,
                            col(4),
                            "invalid-fte",
                            format!("fte `{x}` is negative"),
                        )
                        .expected("a number of at least 0"),
                    );
                    ok = false;
                    0.0
                }
                _ => {
                    diags.push(
                        at(
                            &shown,
                            line,
                            col(4),
                            "wrong-type",
                            format!("fte `{fte_text}` is not a number"),
                        )
                        .expected("a finite number such as `12.5`"),
                    );
                    ok = false;
                    0.0
                }
            };
            let date_ok = ref_date.len() == 10
                && ref_date.ends_with("-01-01")
                && ref_date[..4].bytes().all(|b| b.is_ascii_digit());
            if !date_ok {
                diags.push(
                    at(
                        &shown,
                        line,
                        col(5),
                        "invalid-date",
                        format!("reference date `{ref_date}` is not 1 January of a year"),
                    )
                    .expected("`YYYY-01-01`"),
                );
                ok = false;
            } else {
                match &date {
                    None => date = Some((ref_date.to_string(), shown.clone(), line)),
                    Some((d, f0, l0)) if d != ref_date => {
                        diags.push(
                            at(
                                &shown,
                                line,
                                col(5),
                                "inconsistent-date",
                                format!("reference date `{ref_date}` differs from `{d}`"),
                            )
                            .help(format!(
                                "the set's reference date comes from {f0} line {l0}"
                            )),
                        );
                        ok = false;
                    }
                    Some(_) => {}
                }
            }
            let key = (ministry.to_string(), unit.to_string(), gemeente.to_string());
            if let Some((f0, l0)) = seen.get(&key) {
                diags.push(
                    at(
                        &shown,
                        line,
                        1,
                        "duplicate-row",
                        format!("unit `{unit}` of `{ministry}` in `{gemeente}` is delivered twice"),
                    )
                    .help(format!("first at {f0} line {l0}")),
                );
                ok = false;
            } else {
                seen.insert(key, (shown.clone(), line));
            }
            if ok {
                rows.push(Row {
                    ministry: ministry.into(),
                    unit: unit.into(),
                    sector: sector.into(),
                    gemeente: gemeente.into(),
                    fte,
                });
            }
        }
    }
    if diags.0.len() > before {
        return None;
    }
    let Some((reference_date, _, _)) = date else {
        diags.push(
            Diagnostic::file(
                "invalid-csv",
                &paths
                    .iter()
                    .map(|p| p.display().to_string())
                    .collect::<Vec<_>>()
                    .join(", "),
                "no delivery rows",
            )
            .expected("at least one row"),
        );
        return None;
    };
    rows.sort_by(|a, b| {
        (&a.ministry, &a.unit, &a.gemeente).cmp(&(&b.ministry, &b.unit, &b.gemeente))
    });
    Some(Baseline {
        year: reference_date[..4].parse().unwrap_or(0),
        reference_date,
        rows,
        origin: Origin::Deliveries {
            files: paths.iter().map(|p| p.display().to_string()).collect(),
        },
    })
}
