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
use crate::limits::{FTE_MAX, ROW_FTE_PLAUSIBLE, count, number};
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

/// What a set of deliveries is checked against beyond its format.
#[derive(Debug, Clone, Copy, Default)]
pub struct Expect {
    /// The year asked for: every row's reference date must be 1 January of it.
    pub year: Option<i32>,
    /// Accept rows above [`ROW_FTE_PLAUSIBLE`] FTE (still at most [`FTE_MAX`]).
    pub accept_outliers: bool,
}

impl Expect {
    /// Deliveries for 1 January of `year`.
    pub fn year(year: i32, accept_outliers: bool) -> Expect {
        Expect {
            year: Some(year),
            accept_outliers,
        }
    }
}

/// Reads and validates delivery files into one baseline; every problem goes into `diags`. One
/// problem anywhere rejects the whole set: a baseline with a unit missing would shift the shares
/// of every province without a trace.
pub fn ingest(
    paths: &[&Path],
    world: &World,
    expect: Expect,
    diags: &mut Diagnostics,
) -> Option<Baseline> {
    let mut files = Vec::new();
    for path in paths {
        if let Some(text) = read_text(path, diags) {
            files.push((path.display().to_string(), text));
        }
    }
    let names: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
    if files.len() < paths.len() {
        return None;
    }
    ingest_texts(&files, &names, world, expect, diags)
}

/// Validates deliveries given as (shown name, text) into one baseline; `names` are the files the
/// baseline says it came from.
pub fn ingest_texts(
    files: &[(String, String)],
    names: &[String],
    world: &World,
    expect: Expect,
    diags: &mut Diagnostics,
) -> Option<Baseline> {
    let before = diags.0.len();
    let mut d = Delivery {
        world,
        expect,
        wrong_year: None,
        diags,
        rows: Vec::new(),
        date: None,
        seen: BTreeMap::new(),
    };
    for (shown, text) in files {
        d.file(shown, text);
    }
    let Delivery { rows, date, .. } = d;
    if diags.0.len() > before {
        return None;
    }
    let Some((reference_date, _, _)) = date else {
        diags.push(
            Diagnostic::file("invalid-csv", &names.join(", "), "no delivery rows")
                .expected("at least one row"),
        );
        return None;
    };
    let mut rows = rows;
    rows.sort_by(|a, b| {
        (&a.ministry, &a.unit, &a.gemeente).cmp(&(&b.ministry, &b.unit, &b.gemeente))
    });
    Some(Baseline {
        year: reference_date[..4].parse().unwrap_or(0),
        reference_date,
        rows,
        origin: Origin::Deliveries {
            files: names.to_vec(),
        },
    })
}

/// A set of delivery files being read: the rows accepted so far, the set's reference date and
/// where each (ministry, unit, gemeente) was first seen.
struct Delivery<'a> {
    world: &'a World,
    expect: Expect,
    /// The first row of the current file whose year is not the one asked for: its problem's
    /// index in `diags` and how many rows of the file share that date.
    wrong_year: Option<(usize, String, usize)>,
    diags: &'a mut Diagnostics,
    rows: Vec<Row>,
    /// (date, file, line) of the first row.
    date: Option<(String, String, usize)>,
    seen: BTreeMap<(String, String, String), (String, usize)>,
}

/// One record of a delivery file: where it is and its trimmed fields.
struct Record<'r> {
    file: &'r str,
    line: usize,
    rec: &'r csv::StringRecord,
    fields: Vec<&'r str>,
}

impl Record<'_> {
    /// A problem at field `i` (0-based).
    fn at(&self, i: usize, code: &'static str, msg: String) -> Diagnostic {
        // Column (1-based, in characters) where field `i` starts.
        let col = self
            .rec
            .iter()
            .take(i)
            .map(|x| x.chars().count() + 1)
            .sum::<usize>()
            + 1;
        at(self.file, self.line, col, code, msg)
    }
}

impl Delivery<'_> {
    /// One file: its header, then every record.
    fn file(&mut self, shown: &str, text: &str) {
        let mut rdr = csv::ReaderBuilder::new()
            .flexible(true)
            .from_reader(text.as_bytes());
        match rdr.headers() {
            Ok(h) if h.iter().map(str::trim).eq(HEADER.iter().copied()) => {}
            Ok(h) => {
                self.diags.push(header_problem(shown, h));
                return;
            }
            Err(e) => {
                let msg = format!("unreadable header: {e}");
                let d = at(shown, 1, 1, "invalid-csv", msg).expected(HEADER.join(","));
                self.diags.push(d);
                return;
            }
        }
        self.wrong_year = None;
        let mut rows = 0;
        for rec in rdr.records() {
            rows += 1;
            match rec {
                Ok(rec) => self.row(shown, &rec),
                Err(e) => {
                    let line = e.position().map_or(0, |p| p.line() as usize);
                    self.diags
                        .push(at(shown, line, 1, "invalid-csv", e.to_string()));
                }
            }
        }
        self.end_of_file(shown, text, rows);
    }

    /// One row of a file: as long as the header, then its record checked.
    fn row(&mut self, shown: &str, rec: &csv::StringRecord) {
        let line = rec.position().map_or(0, |p| p.line() as usize);
        if rec.len() != HEADER.len() {
            let msg = format!("{} fields, expected {}", rec.len(), HEADER.len());
            let mut d = at(shown, line, 1, "invalid-csv", msg).expected(HEADER.join(","));
            if rec.len() == HEADER.len() + 1 && decimal_comma(rec) {
                d = d.help(
                    "a decimal comma splits the FTE in two fields: write `120.5`, not `120,5`",
                );
            }
            self.diags.push(d);
            return;
        }
        let r = Record {
            file: shown,
            line,
            rec,
            fields: rec.iter().map(str::trim).collect(),
        };
        self.record(&r);
    }

    /// After a file's last row: a file without rows says so; the first row of another year
    /// says how many rows share its date.
    fn end_of_file(&mut self, shown: &str, text: &str, rows: usize) {
        if rows == 0 {
            let line = text.lines().count().max(1);
            let msg = "the file has a header but no rows".to_string();
            self.diags.push(
                at(shown, line, 1, "invalid-csv", msg)
                    .expected("one row per unit and gemeente below the header"),
            );
        }
        if let Some((i, date, n)) = self.wrong_year.take()
            && n > 1
        {
            self.diags.0[i].help = Some(format!(
                "{} rows of this file have the reference date `{date}`",
                crate::limits::count(n)
            ));
        }
    }

    /// One record: every field checked (all problems reported), the row kept when all hold.
    fn record(&mut self, r: &Record) {
        let f = &r.fields;
        let (ministry, unit, sector, gemeente) = (f[0], f[1], f[2], f[3]);
        let mut ok = self.check_ministry(r, ministry);
        if unit.is_empty() {
            self.diags.push(
                r.at(1, "missing-key", "the unit is empty".into())
                    .expected("the organisation unit's name"),
            );
            ok = false;
        }
        ok &= self.check_sector(r, sector, ministry);
        ok &= self.check_gemeente(r, gemeente);
        let fte = self.fte(r, f[4]);
        ok &= fte.is_some();
        ok &= self.check_date(r, f[5]);
        ok &= self.check_unique(r, ministry, unit, gemeente);
        if ok {
            self.rows.push(Row {
                ministry: ministry.into(),
                unit: unit.into(),
                sector: sector.into(),
                gemeente: gemeente.into(),
                fte: fte.unwrap_or(0.0),
            });
        }
    }

    fn check_ministry(&mut self, r: &Record, ministry: &str) -> bool {
        let s = &self.world.settings;
        if s.ministries.iter().any(|m| m == ministry) {
            return true;
        }
        self.diags.push(
            r.at(
                0,
                "unknown-ministry",
                format!("unknown ministry `{ministry}`"),
            )
            .expected("a ministry of rules/settings.toml")
            .suggest(ministry, s.ministries.iter().map(String::as_str)),
        );
        false
    }

    /// A known sector, and the ministry it belongs to.
    fn check_sector(&mut self, r: &Record, sector: &str, ministry: &str) -> bool {
        let s = &self.world.settings;
        if !s.sectors.iter().any(|x| x == sector) {
            self.diags.push(
                r.at(2, "unknown-sector", format!("unknown sector `{sector}`"))
                    .expected("one of the six sectors")
                    .suggest(sector, s.sectors.iter().map(String::as_str)),
            );
            return false;
        }
        if let Some(bound) = s.sector_ministries.get(sector)
            && bound != ministry
        {
            self.diags.push(
                r.at(
                    2,
                    "sector-ministry",
                    format!("sector `{sector}` belongs to ministry `{bound}`, not `{ministry}`"),
                )
                .expected(format!("ministry `{bound}` for sector `{sector}`")),
            );
            return false;
        }
        true
    }

    fn check_gemeente(&mut self, r: &Record, gemeente: &str) -> bool {
        let w = self.world;
        if w.gemeente_index(gemeente).is_some() {
            return true;
        }
        self.diags.push(
            r.at(
                3,
                "unknown-gemeente",
                format!("unknown gemeente `{gemeente}`"),
            )
            .expected("a CBS gemeente code such as `GM0106`")
            .suggest(gemeente, w.gemeenten.iter().map(|g| g.code.as_str())),
        );
        false
    }

    /// The FTE: a finite number of at least 0.
    fn fte(&mut self, r: &Record, text: &str) -> Option<f64> {
        let x = match text.parse::<f64>() {
            Ok(x) if x.is_finite() => x,
            _ => {
                let mut d = r
                    .at(4, "wrong-type", format!("fte `{text}` is not a number"))
                    .expected("a finite number such as `12.5`");
                if text.contains(',') && text.replacen(',', ".", 1).parse::<f64>().is_ok() {
                    d = d.help(format!(
                        "use a decimal point: `{}`",
                        text.replacen(',', ".", 1)
                    ));
                }
                self.diags.push(d);
                return None;
            }
        };
        let problem = if x < 0.0 {
            Some(("invalid-fte", "is negative", None))
        } else if x > FTE_MAX {
            Some((
                "out-of-range",
                "is more than all central-government jobs together",
                None,
            ))
        } else if x > ROW_FTE_PLAUSIBLE && !self.expect.accept_outliers {
            Some((
                "implausible-fte",
                "is implausibly large for one unit in one gemeente",
                Some(
                    "check the figure (a missing decimal point, hours instead of FTE?); \
                     when it is right, run again with `--accept-outliers`",
                ),
            ))
        } else {
            None
        };
        let Some((code, why, help)) = problem else {
            return Some(x);
        };
        let mut d = r
            .at(4, code, format!("fte `{}` {why}", number(x)))
            .expected(format!(
                "a number from 0 to {} per row (up to {} with `--accept-outliers`)",
                count(ROW_FTE_PLAUSIBLE as usize),
                count(FTE_MAX as usize)
            ));
        if let Some(h) = help {
            d = d.help(h);
        }
        self.diags.push(d);
        None
    }

    /// 1 January of a year, the same for the whole set.
    fn check_date(&mut self, r: &Record, ref_date: &str) -> bool {
        let date_ok = ref_date.len() == 10
            && ref_date.ends_with("-01-01")
            && ref_date.is_ascii()
            && ref_date[..4].bytes().all(|b| b.is_ascii_digit());
        if !date_ok {
            self.diags.push(
                r.at(
                    5,
                    "invalid-date",
                    format!("reference date `{ref_date}` is not 1 January of a year"),
                )
                .expected("`YYYY-01-01`"),
            );
            return false;
        }
        if let Some(year) = self.expect.year
            && ref_date.get(..4) != Some(format!("{year:04}").as_str())
        {
            match &mut self.wrong_year {
                Some((_, d, n)) if d == ref_date => *n += 1,
                Some(_) => {}
                None => {
                    self.wrong_year = Some((self.diags.0.len(), ref_date.to_string(), 1));
                    self.diags.push(
                        r.at(
                            5,
                            "wrong-year",
                            format!("reference date `{ref_date}` is not of the year asked for"),
                        )
                        .expected(format!("`{year:04}-01-01` (the year given with `--year`)")),
                    );
                }
            }
            return false;
        }
        match &self.date {
            None => {
                self.date = Some((ref_date.to_string(), r.file.to_string(), r.line));
                true
            }
            Some((d, f0, l0)) if d != ref_date => {
                let help = format!("the set's reference date comes from {f0} line {l0}");
                self.diags.push(
                    r.at(
                        5,
                        "inconsistent-date",
                        format!("reference date `{ref_date}` differs from `{d}`"),
                    )
                    .help(help),
                );
                false
            }
            Some(_) => true,
        }
    }

    /// Each unit of a ministry delivered once per gemeente.
    fn check_unique(&mut self, r: &Record, ministry: &str, unit: &str, gemeente: &str) -> bool {
        let key = (ministry.to_string(), unit.to_string(), gemeente.to_string());
        if let Some((f0, l0)) = self.seen.get(&key) {
            self.diags.push(
                at(
                    r.file,
                    r.line,
                    1,
                    "duplicate-row",
                    format!("unit `{unit}` of `{ministry}` in `{gemeente}` is delivered twice"),
                )
                .help(format!("first at {f0} line {l0}")),
            );
            return false;
        }
        self.seen.insert(key, (r.file.to_string(), r.line));
        true
    }
}

/// The problem with a header that is not [`HEADER`]: the `;` separator, the columns missing or
/// unexpected, or their order.
fn header_problem(file: &str, h: &csv::StringRecord) -> Diagnostic {
    let found: Vec<&str> = h.iter().map(str::trim).collect();
    let d = at(file, 1, 1, "invalid-csv", String::new()).expected(HEADER.join(","));
    if found.len() == 1 && found[0].contains(';') {
        return Diagnostic {
            message: "the header is separated by `;`".into(),
            ..d
        }
        .help("deliveries are comma-separated: save as \"CSV UTF-8 (comma delimited)\"");
    }
    let missing: Vec<String> = HEADER
        .iter()
        .filter(|c| !found.contains(c))
        .map(|c| format!("`{c}`"))
        .collect();
    let unknown: Vec<&str> = found
        .iter()
        .copied()
        .filter(|c| !HEADER.contains(c))
        .collect();
    let mut parts = Vec::new();
    if !missing.is_empty() {
        let s = if missing.len() == 1 { "" } else { "s" };
        parts.push(format!("missing column{s} {}", missing.join(", ")));
    }
    if !unknown.is_empty() {
        let s = if unknown.len() == 1 { "" } else { "s" };
        let list: Vec<String> = unknown.iter().map(|c| format!("`{c}`")).collect();
        parts.push(format!("unexpected column{s} {}", list.join(", ")));
    }
    let message = if parts.is_empty() {
        "the columns are in the wrong order".to_string()
    } else {
        parts.join("; ")
    };
    let mut d = Diagnostic { message, ..d };
    if let Some(u) = unknown.first() {
        d = d.suggest(u, HEADER);
    }
    d
}

/// Whether a row one field too long holds a number split by a decimal comma (`120,5`): two
/// neighbouring fields of digits where the FTE belongs.
fn decimal_comma(rec: &csv::StringRecord) -> bool {
    let digits = |s: &str| !s.trim().is_empty() && s.trim().bytes().all(|b| b.is_ascii_digit());
    let f: Vec<&str> = rec.iter().collect();
    f.len() > 5 && digits(f[4]) && digits(f[5])
}
