//! The checker every loader of phase two shares: it keeps every problem as it goes, and the
//! small readers of required files and CSV tables with located problems.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;

use super::raw::S;
use super::{SourceFile, Sources};
use crate::diag::{Diagnostic, Diagnostics};
use crate::limits::{WEIGHT_MAX, count, number};

/// Checks as it goes and keeps every problem.
pub(crate) struct Checker<'a> {
    pub diags: &'a mut Diagnostics,
}

impl Checker<'_> {
    pub fn err(
        &mut self,
        code: &'static str,
        file: &SourceFile,
        span: Range<usize>,
        message: impl Into<String>,
    ) -> &mut Diagnostic {
        self.diags.push(Diagnostic::at(
            code,
            &file.display,
            &file.text,
            span,
            message,
        ));
        self.diags.0.last_mut().expect("just pushed")
    }

    /// Checks that a reference names a known id; reports with a suggestion otherwise.
    pub fn known(
        &mut self,
        code: &'static str,
        what: &str,
        file: &SourceFile,
        given: &S<String>,
        known: &BTreeSet<String>,
    ) -> bool {
        if known.contains(given.get_ref()) {
            return true;
        }
        let d = Diagnostic::at(
            code,
            &file.display,
            &file.text,
            given.span(),
            format!("unknown {what} `{}`", given.get_ref()),
        )
        .expected(format!("a known {what}"))
        .suggest(given.get_ref(), known.iter().map(String::as_str));
        self.diags.push(d);
        false
    }

    /// Checks that an id is kebab-case; `what` names the kind of id, `example` shows one.
    pub fn kebab_id(
        &mut self,
        file: &SourceFile,
        id: &S<String>,
        what: &str,
        example: &str,
    ) -> bool {
        if is_kebab(id.get_ref()) {
            return true;
        }
        self.err(
            "invalid-id",
            file,
            id.span(),
            format!("invalid {what} id `{}`", id.get_ref()),
        )
        .expected = Some(format!("a kebab-case id such as `{example}`"));
        false
    }

    /// Checks that a number is finite and within `lo..=hi`.
    pub fn range(&mut self, file: &SourceFile, v: &S<f64>, lo: f64, hi: f64, what: &str) -> bool {
        let x = *v.get_ref();
        if x.is_finite() && x >= lo && x <= hi {
            return true;
        }
        self.err(
            "out-of-range",
            file,
            v.span(),
            format!("{what} `{}` is out of range", number(x)),
        )
        .expected = Some(format!(
            "a finite number from {} to {}",
            number(lo),
            number(hi)
        ));
        false
    }

    /// Checks that a status field says exactly `expected`.
    pub fn status(&mut self, file: &SourceFile, v: &S<String>, expected: &str, message: &str) {
        if v.get_ref() != expected {
            self.err("invalid-value", file, v.span(), message).expected =
                Some(format!("`{expected}`"));
        }
    }

    /// Checks a weight: finite, at least 0 and at most [`WEIGHT_MAX`].
    pub fn weight(&mut self, file: &SourceFile, v: &S<f64>) -> bool {
        let x = *v.get_ref();
        if x.is_finite() && (0.0..=WEIGHT_MAX).contains(&x) {
            return true;
        }
        let why = if x.is_finite() && x > 0.0 {
            "is too large"
        } else {
            "is negative or not finite"
        };
        self.err(
            "invalid-weight",
            file,
            v.span(),
            format!("weight `{}` {why}", number(x)),
        )
        .expected = Some(format!(
            "a finite number from 0 to {} (weights are relative)",
            count(WEIGHT_MAX as usize)
        ));
        false
    }

    /// Maps a string to one of a fixed set of options; reports an unknown one with the options
    /// and a suggestion.
    pub fn choice<T: Copy>(
        &mut self,
        file: &SourceFile,
        given: &S<String>,
        what: &str,
        options: &[(&str, T)],
    ) -> Option<T> {
        if let Some((_, v)) = options.iter().find(|(name, _)| name == given.get_ref()) {
            return Some(*v);
        }
        let names: Vec<&str> = options.iter().map(|(n, _)| *n).collect();
        let d = Diagnostic::at(
            "invalid-value",
            &file.display,
            &file.text,
            given.span(),
            format!("unknown {what} `{}`", given.get_ref()),
        )
        .expected(format!(
            "one of {}",
            names
                .iter()
                .map(|n| format!("`{n}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ))
        .suggest(given.get_ref(), names.iter().copied());
        self.diags.push(d);
        None
    }

    /// Reports duplicate ids.
    pub fn unique<'s>(
        &mut self,
        file: &SourceFile,
        what: &str,
        ids: impl IntoIterator<Item = &'s S<String>>,
    ) {
        let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
        for id in ids {
            if let Some(first) = seen.get(id.get_ref().as_str()) {
                let (line, _, _) = crate::diag::locate(&file.text, *first);
                self.err(
                    "duplicate-id",
                    file,
                    id.span(),
                    format!("duplicate {what} `{}`", id.get_ref()),
                )
                .help = Some(format!("first defined on line {line}"));
            } else {
                seen.insert(id.get_ref(), id.span().start);
            }
        }
    }
}

pub(super) fn missing_file(diags: &mut Diagnostics, key: &str) {
    diags.push(
        Diagnostic::file(
            "missing-file",
            key,
            format!("required file `{key}` is missing"),
        )
        .expected("the file laid out as in the shipped defaults"),
    );
}

/// The file `key`, or a `missing-file` problem.
pub(super) fn required<'s>(
    ck: &mut Checker,
    sources: &'s Sources,
    key: &str,
) -> Option<&'s SourceFile> {
    let f = sources.get(key);
    if f.is_none() {
        missing_file(ck.diags, key);
    }
    f
}

pub(super) fn csv_err(
    ck: &mut Checker,
    f: &SourceFile,
    line: usize,
    code: &'static str,
    msg: String,
    expected: Option<&str>,
) {
    let mut d = Diagnostic::file(code, &f.display, msg);
    d.line = line;
    d.column = 1;
    if let Some(e) = expected {
        d = d.expected(e);
    }
    ck.diags.push(d);
}

pub(super) fn csv_num(
    ck: &mut Checker,
    f: &SourceFile,
    line: usize,
    s: &str,
    col: &str,
) -> Option<f64> {
    match s.parse::<f64>() {
        Ok(x) if x.is_finite() => Some(x),
        _ => {
            csv_err(
                ck,
                f,
                line,
                "wrong-type",
                format!("column `{col}`: `{s}` is not a number"),
                Some("a finite number"),
            );
            None
        }
    }
}

/// Reads CSV rows with the expected header; returns `(line, fields)`.
pub(super) fn csv_rows(
    ck: &mut Checker,
    f: &SourceFile,
    header: &[&str],
) -> Vec<(usize, Vec<String>)> {
    let mut rdr = csv::ReaderBuilder::new().from_reader(f.text.as_bytes());
    let mut out = Vec::new();
    match rdr.headers() {
        Ok(h) if h.iter().eq(header.iter().copied()) => {}
        _ => {
            csv_err(
                ck,
                f,
                1,
                "invalid-csv",
                "unexpected header".into(),
                Some(&header.join(",")),
            );
            return out;
        }
    }
    for rec in rdr.records() {
        match rec {
            Ok(r) => {
                let line = r.position().map_or(0, |p| p.line() as usize);
                out.push((line, r.iter().map(String::from).collect()));
            }
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line() as usize);
                csv_err(
                    ck,
                    f,
                    line,
                    "invalid-csv",
                    e.to_string(),
                    Some(&format!("{} columns", header.len())),
                );
            }
        }
    }
    out
}

/// An id in kebab case: lower-case letters, digits and inner hyphens.
pub(crate) fn is_kebab(s: &str) -> bool {
    !s.is_empty()
        && !s.starts_with('-')
        && !s.ends_with('-')
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}
