//! `profiles/rail/ferries.csv`: the gemeenten across water (the Wadden islands, Zeeuws-Vlaanderen)
//! and the ferry crossing their trips use, each with its source. A gemeente listed without a
//! crossing has no known rail minutes: it is never reached in a straight line over water.

use std::collections::BTreeSet;

use super::Sources;
use super::checker::{Checker, csv_err, csv_num, csv_rows, required};
use crate::model::Ferry;

const COLUMNS: [&str; 9] = [
    "gemeente",
    "port",
    "crossing_minutes",
    "operator",
    "service",
    "source",
    "source_date",
    "evidence",
    "note",
];

/// Loads the ferries; `gemeenten` are the known gemeente codes.
pub(super) fn load_ferries(
    ck: &mut Checker,
    sources: &Sources,
    gemeenten: &BTreeSet<String>,
) -> Vec<Ferry> {
    let Some(f) = required(ck, sources, "profiles/rail/ferries.csv") else {
        return Vec::new();
    };
    let mut out: Vec<Ferry> = Vec::new();
    for (line, rec) in csv_rows(ck, f, &COLUMNS) {
        let known = |ck: &mut Checker, code: &str, col: &str| {
            let ok = gemeenten.contains(code);
            if !ok {
                csv_err(
                    ck,
                    f,
                    line,
                    "unknown-gemeente",
                    format!("column `{col}`: unknown gemeente `{code}`"),
                    Some("a CBS gemeente code such as `GM0014`"),
                );
            }
            ok
        };
        if !known(ck, &rec[0], "gemeente") {
            continue;
        }
        if out.iter().any(|x| x.gemeente == rec[0]) {
            csv_err(
                ck,
                f,
                line,
                "duplicate-id",
                format!("gemeente `{}` is listed twice", rec[0]),
                None,
            );
            continue;
        }
        let port = (!rec[1].is_empty()).then(|| rec[1].clone());
        if port.as_deref().is_some_and(|p| !known(ck, p, "port")) {
            continue;
        }
        let minutes = if rec[2].is_empty() {
            None
        } else {
            match csv_num(ck, f, line, &rec[2], "crossing_minutes") {
                Some(m) if m > 0.0 => Some(m),
                Some(m) => {
                    csv_err(
                        ck,
                        f,
                        line,
                        "out-of-range",
                        format!("column `crossing_minutes`: {m} is not a positive number"),
                        Some("a positive number of minutes"),
                    );
                    continue;
                }
                None => continue,
            }
        };
        if port.is_some() != minutes.is_some() {
            csv_err(
                ck,
                f,
                line,
                "inconsistent-reference",
                "a crossing needs both its port and its minutes".into(),
                Some("both `port` and `crossing_minutes`, or neither (crossing time unknown)"),
            );
            continue;
        }
        if minutes.is_some() && rec[5].trim().is_empty() {
            csv_err(
                ck,
                f,
                line,
                "missing-source",
                format!("the crossing to `{}` has no source", rec[0]),
                Some("the document the crossing time was read from"),
            );
            continue;
        }
        out.push(Ferry {
            gemeente: rec[0].clone(),
            port,
            minutes,
            operator: rec[3].clone(),
            service: rec[4].clone(),
            source: rec[5].clone(),
            source_date: rec[6].clone(),
            evidence: rec[7].clone(),
            note: rec[8].clone(),
        });
    }
    out
}
