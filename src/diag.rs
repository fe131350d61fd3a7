//! Diagnostics: problems found in input files, each with file, line, column, what was expected
//! and, for misspelt names, a "did you mean" suggestion.
//!
//! Loading collects every problem into a [`Diagnostics`] list instead of stopping at the first;
//! the CLI renders them (rustc-like text with the offending line quoted) and exits with code 2.

use std::fmt::Write as _;
use std::ops::Range;

use serde::Serialize;

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
    /// The offending source line, for display.
    #[serde(skip)]
    pub snippet: Option<(String, usize)>,
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
            snippet: Some((snippet, width)),
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
        if let Some((src, width)) = &self.snippet {
            let num = self.line.to_string();
            let pad = " ".repeat(num.len());
            let _ = writeln!(out, "{pad} |");
            let _ = writeln!(out, "{num} | {src}");
            let _ = writeln!(
                out,
                "{pad} | {}{}",
                " ".repeat(self.column.saturating_sub(1)),
                "^".repeat(*width)
            );
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

    /// True when no problem was found.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Renders all problems with a closing count line.
    pub fn render(&self) -> String {
        let mut out = String::new();
        for d in &self.0 {
            out.push_str(&d.render());
            out.push('\n');
        }
        let n = self.0.len();
        let _ = writeln!(out, "{n} problem{} found", if n == 1 { "" } else { "s" });
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
    fn suggestion_finds_near_names_only() {
        let c = ["GM0518", "GM0344", "advice_fte"];
        assert_eq!(did_you_mean("GM0581", c), Some("GM0518".into()));
        assert_eq!(did_you_mean("advise_fte", c), Some("advice_fte".into()));
        assert_eq!(did_you_mean("zzzz", c), None);
    }
}
