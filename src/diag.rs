//! Diagnostics: problems found in input files, each with file, line, column, what was expected
//! and, for misspelt names, a "did you mean" suggestion.
//!
//! Loading collects every problem into a [`Diagnostics`] list instead of stopping at the first;
//! the CLI renders them (rustc-like text with the offending line quoted) and exits with code 2.

use std::fmt::Write as _;
use std::ops::Range;

use serde::Serialize;

use crate::limits::{MAX_PROBLEMS_SHOWN, SNIPPET_WIDTH, count};

/// One problem in one input file.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Diagnostic {
    /// Stable kebab-case code, for example `unknown-gemeente`.
    pub code: &'static str,
    /// The file as the user named it (or `<embedded>/rules/...` for the built-in defaults).
    pub file: String,
    /// 1-based line, 0 when the problem concerns the whole file.
    pub line: usize,
    /// 1-based column in characters, 0 when the problem concerns the whole file.
    pub column: usize,
    /// What is wrong, lowercase, user input in backticks.
    pub message: String,
    /// What was expected instead.
    pub expected: Option<String>,
    /// A suggestion, for example "did you mean `GM0518`?".
    pub help: Option<String>,
    /// The offending source line for display (shortened around the column when long), the
    /// characters before the caret and the caret's width.
    #[serde(skip)]
    pub snippet: Option<(String, usize, usize)>,
}

impl Diagnostic {
    /// A problem that concerns a whole file (unreadable, not UTF-8 before any line, ...).
    pub fn file(code: &'static str, file: &str, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            code,
            file: file.to_string(),
            line: 0,
            column: 0,
            message: message.into(),
            expected: None,
            help: None,
            snippet: None,
        }
    }

    /// A problem at a byte span of a source text.
    pub fn at(
        code: &'static str,
        file: &str,
        text: &str,
        span: Range<usize>,
        message: impl Into<String>,
    ) -> Diagnostic {
        let (line, column, snippet) = locate(text, span.start.min(text.len()));
        let width = text
            .get(span.clone())
            .map(|s| s.lines().next().unwrap_or("").chars().count().max(1))
            .unwrap_or(1);
        Diagnostic {
            code,
            file: file.to_string(),
            line,
            column,
            message: message.into(),
            expected: None,
            help: None,
            snippet: Some(shorten(&snippet, column, width)),
        }
    }

    /// Adds what was expected.
    pub fn expected(mut self, expected: impl Into<String>) -> Diagnostic {
        self.expected = Some(expected.into());
        self
    }

    /// Adds a help line.
    pub fn help(mut self, help: impl Into<String>) -> Diagnostic {
        self.help = Some(help.into());
        self
    }

    /// Adds "did you mean" when a near name exists among `candidates`.
    pub fn suggest<'a>(
        self,
        given: &str,
        candidates: impl IntoIterator<Item = &'a str>,
    ) -> Diagnostic {
        match did_you_mean(given, candidates) {
            Some(s) => self.help(format!("did you mean `{s}`?")),
            None => self,
        }
    }

    /// Renders the diagnostic as human-readable text (no colour).
    pub fn render(&self) -> String {
        let mut out = format!("error[{}]: {}\n", self.code, self.message);
        if self.line > 0 {
            let _ = writeln!(out, "  --> {}:{}:{}", self.file, self.line, self.column);
        } else {
            let _ = writeln!(out, "  --> {}", self.file);
        }
        if let Some((src, offset, width)) = &self.snippet {
            let num = self.line.to_string();
            let pad = " ".repeat(num.len());
            let _ = writeln!(out, "{pad} |");
            let _ = writeln!(out, "{num} | {src}");
            let _ = writeln!(out, "{pad} | {}{}", " ".repeat(*offset), "^".repeat(*width));
        }
        if let Some(e) = &self.expected {
            let _ = writeln!(out, "  = expected: {e}");
        }
        if let Some(h) = &self.help {
            let _ = writeln!(out, "  = help: {h}");
        }
        out
    }
}

/// A source line cut to about [`SNIPPET_WIDTH`] characters around `column` (1-based), with `…`
/// where text was left out; returns the text, the characters before the caret and the caret's
/// width (cut to the text shown).
fn shorten(line: &str, column: usize, width: usize) -> (String, usize, usize) {
    let chars: Vec<char> = line.chars().collect();
    let col = column.saturating_sub(1).min(chars.len());
    if chars.len() <= SNIPPET_WIDTH {
        return (line.to_string(), col, width);
    }
    let start = col.saturating_sub(SNIPPET_WIDTH / 3);
    let end = (start + SNIPPET_WIDTH).min(chars.len());
    let mut text: String = chars[start..end].iter().collect();
    let mut offset = col - start;
    if start > 0 {
        text.insert(0, '…');
        offset += 1;
    }
    if end < chars.len() {
        text.push('…');
    }
    let width = width.min(end.saturating_sub(col)).max(1);
    (text, offset, width)
}

/// Line (1-based), column (1-based, in characters) and the text of the line at byte `offset`.
pub fn locate(text: &str, offset: usize) -> (usize, usize, String) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let start = before.rfind('\n').map_or(0, |i| i + 1);
    let end = text[offset..].find('\n').map_or(text.len(), |i| offset + i);
    let column = text[start..offset].chars().count() + 1;
    (
        line,
        column,
        text[start..end].trim_end_matches('\r').to_string(),
    )
}

/// The nearest candidate to `given` by Jaro-Winkler similarity, when it is close enough.
///
/// ```
/// use locatieadvies::diag::did_you_mean;
/// let ids = ["groei-buiten-randstad", "krimp-in-randstad"];
/// assert_eq!(did_you_mean("krimp-in-randstadt", ids).as_deref(), Some("krimp-in-randstad"));
/// assert_eq!(did_you_mean("onzin", ids), None);
/// ```
pub fn did_you_mean<'a>(
    given: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<String> {
    let lower = given.to_lowercase();
    let mut best: Option<(f64, &str)> = None;
    for c in candidates {
        let score = strsim::jaro_winkler(&lower, &c.to_lowercase());
        // Ties go to the alphabetically first candidate, so the suggestion is deterministic.
        let better = match best {
            None => true,
            Some((b, bc)) => score > b || (score == b && c < bc),
        };
        if better {
            best = Some((score, c));
        }
    }
    best.filter(|(s, _)| *s >= 0.8).map(|(_, c)| c.to_string())
}

/// All problems of one load, in the order found. Never empty when returned as an error.
#[derive(Debug, Default, Clone)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    /// Adds one problem.
    pub fn push(&mut self, d: Diagnostic) {
        self.0.push(d);
    }

    /// Groups follow-on problems under their root: a problem with one of the `defines` codes
    /// (a reference to something unknown) is dropped when the file that defines such things
    /// (its path ends with the paired suffix, or contains it when the suffix ends with `/`)
    /// has a problem of its own, which then says how many problems elsewhere follow from it.
    /// Only problems from index `from` on are considered.
    pub fn group_follow_ons(&mut self, from: usize, defines: &[(&str, &str)]) {
        let defines_it = |file: &str, suffix: &str| {
            if suffix.ends_with('/') {
                file.contains(suffix)
            } else {
                file.ends_with(suffix)
            }
        };
        let broken = |d: &Diagnostic, suffix: &str| {
            defines_it(&d.file, suffix) && !defines.iter().any(|(c, _)| *c == d.code)
        };
        let tail = self.0.split_off(from.min(self.0.len()));
        // Per `defines` entry, the first problem of the file that defines its things, once.
        let roots: Vec<Option<usize>> = defines
            .iter()
            .map(|(_, suffix)| tail.iter().position(|r| broken(r, suffix)))
            .collect();
        let mut kept: Vec<Diagnostic> = Vec::new();
        let mut follow: Vec<(usize, &'static str, usize)> = Vec::new();
        for d in tail.iter() {
            let root = defines
                .iter()
                .zip(&roots)
                .filter(|((c, suffix), _)| *c == d.code && !defines_it(&d.file, suffix))
                .find_map(|(_, root)| *root);
            match root {
                Some(r) => match follow.iter_mut().find(|(i, c, _)| *i == r && *c == d.code) {
                    Some((_, _, n)) => *n += 1,
                    None => follow.push((r, d.code, 1)),
                },
                None => kept.push(d.clone()),
            }
        }
        for (r, code, n) in follow {
            let root = &tail[r];
            if let Some(k) = kept.iter_mut().find(|k| *k == root) {
                let note = format!(
                    "{} [{code}] problem{} in other files follow from this one and are not shown",
                    count(n),
                    if n == 1 { "" } else { "s" }
                );
                k.help = Some(match k.help.take() {
                    Some(h) => format!("{h}; {note}"),
                    None => note,
                });
            }
        }
        self.0.extend(kept);
    }

    /// True when no problem was found.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Renders the problems with a closing count line: the first [`MAX_PROBLEMS_SHOWN`] in
    /// full, the rest counted per kind ("and 9,990 more problems like this").
    pub fn render(&self) -> String {
        let mut out = String::new();
        for d in self.0.iter().take(MAX_PROBLEMS_SHOWN) {
            out.push_str(&d.render());
            out.push('\n');
        }
        // The problems not shown, per code in the order first met, with the first of each.
        let mut hidden: Vec<(&str, usize, &Diagnostic)> = Vec::new();
        for d in self.0.iter().skip(MAX_PROBLEMS_SHOWN) {
            match hidden.iter_mut().find(|(c, _, _)| *c == d.code) {
                Some((_, n, _)) => *n += 1,
                None => hidden.push((d.code, 1, d)),
            }
        }
        for (code, n, first) in &hidden {
            let (s, like) = if *n == 1 {
                ("", "")
            } else {
                ("s", " like this")
            };
            let place = match first.line {
                0 => first.file.clone(),
                l => format!("{}:{l}", first.file),
            };
            let _ = writeln!(
                out,
                "... and {} more problem{s}{like} [{code}], the first at {place}",
                count(*n)
            );
        }
        if !hidden.is_empty() {
            out.push('\n');
        }
        let n = self.0.len();
        let _ = writeln!(
            out,
            "{} problem{} found",
            count(n),
            if n == 1 { "" } else { "s" }
        );
        out
    }
}

impl std::fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.render())
    }
}

impl std::error::Error for Diagnostics {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locate_counts_lines_and_characters() {
        let text = "a = 1\nnäme = 2\n";
        let off = text.find('2').unwrap();
        let (line, col, snippet) = locate(text, off);
        assert_eq!((line, col), (2, 8));
        assert_eq!(snippet, "näme = 2");
    }

    #[test]
    fn problems_beyond_the_first_fifty_are_counted_per_kind() {
        let text = "x = 1\n";
        let mut d = Diagnostics::default();
        for i in 0..60 {
            d.push(Diagnostic::at(
                "unknown-gemeente",
                "a.toml",
                text,
                0..1,
                format!("p{i}"),
            ));
        }
        for _ in 0..3 {
            d.push(Diagnostic::file("unreadable-file", "b.toml", "gone"));
        }
        let out = d.render();
        assert_eq!(out.matches("error[").count(), 50);
        assert!(out.contains(
            "... and 10 more problems like this [unknown-gemeente], the first at a.toml:1"
        ));
        assert!(out.contains(
            "... and 3 more problems like this [unreadable-file], the first at b.toml\n"
        ));
        assert!(out.ends_with("63 problems found\n"));
    }

    #[test]
    fn a_long_line_is_shown_around_the_column() {
        let line = format!("{}needle{}", "a".repeat(500), "b".repeat(500));
        let start = line.find("needle").unwrap();
        let d = Diagnostic::at("x", "f", &line, start..start + 6, "m");
        let (shown, offset, width) = d.snippet.clone().unwrap();
        assert!(shown.chars().count() <= SNIPPET_WIDTH + 2);
        assert!(shown.starts_with('…') && shown.ends_with('…'));
        let chars: Vec<char> = shown.chars().collect();
        assert_eq!(
            chars[offset..offset + width].iter().collect::<String>(),
            "needle"
        );
    }

    #[test]
    fn suggestion_finds_near_names_only() {
        let c = ["GM0518", "GM0344", "advice_fte"];
        assert_eq!(did_you_mean("GM0581", c), Some("GM0518".into()));
        assert_eq!(did_you_mean("advise_fte", c), Some("advice_fte".into()));
        assert_eq!(did_you_mean("zzzz", c), None);
    }
}
