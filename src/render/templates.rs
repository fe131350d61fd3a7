//! The templates every document is rendered from (`templates/`): embedded defaults, any of which
//! a user replaces at run time with `--templates DIR`, and the filters they use to write numbers,
//! lists and figures the way the reader's language does. A broken template is bad input: a
//! diagnostic with the file and line, exit code 2.

use std::collections::BTreeMap;
use std::path::Path;

use minijinja::value::{Kwargs, Serde, Value};
use minijinja::{Captured, Environment, Error, State, UndefinedBehavior};
use serde::Serialize;

use super::Lang;
use super::format;
use crate::config::embedded::TEMPLATES;
use crate::diag::{Diagnostic, Diagnostics};

/// The loaded templates, ready to render.
pub struct Templates {
    env: Environment<'static>,
    /// Per template name: where it came from (for messages) and its text.
    files: BTreeMap<String, (String, String)>,
}

impl std::fmt::Debug for Templates {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Templates")
            .field("files", &self.files.keys().collect::<Vec<_>>())
            .finish()
    }
}

/// The reader's language as the templates see it (`lang` in the context).
fn lang_of(state: &State) -> Lang {
    match state.lookup("lang").as_ref().and_then(Value::as_str) {
        Some("en") => Lang::En,
        _ => Lang::Nl,
    }
}

/// The language in a template's name: `nl` for `advice/letter.nl.md`.
fn lang_of_name(name: &str) -> Option<&'static str> {
    let mut parts = name.rsplit('.');
    parts.next()?;
    match parts.next()? {
        "nl" => Some("nl"),
        "en" => Some("en"),
        _ => None,
    }
}

impl Templates {
    /// The embedded templates, with those in `dir` (same relative paths) in their place.
    pub fn load(dir: Option<&Path>, diags: &mut Diagnostics) -> Option<Templates> {
        Templates::load_some(dir, |_| true, diags)
    }

    /// As [`Templates::load`], but only the templates whose name `wanted` accepts are parsed
    /// (a file in `dir` is still checked against every template name).
    pub fn load_some(
        dir: Option<&Path>,
        wanted: impl Fn(&str) -> bool,
        diags: &mut Diagnostics,
    ) -> Option<Templates> {
        let before = diags.0.len();
        let mut files: BTreeMap<String, (String, String)> = TEMPLATES
            .iter()
            .map(|(key, text)| {
                let name = key.trim_start_matches("templates/").to_string();
                (name, (format!("<embedded>/{key}"), text.to_string()))
            })
            .collect();
        if let Some(dir) = dir {
            overlay(dir, &mut files, diags);
        }
        files.retain(|name, _| wanted(name));
        let mut env = environment();
        for (name, (display, text)) in &files {
            if let Err(e) = env.add_template_owned(name.clone(), text.clone()) {
                diags.push(diagnostic(&e, display, text));
            }
        }
        (diags.0.len() == before).then_some(Templates { env, files })
    }

    /// Renders template `name` with `ctx`; an error in the template becomes a diagnostic that
    /// names the template file and line.
    pub fn render<S: Serialize>(&self, name: &str, ctx: &S) -> Result<String, Box<Diagnostic>> {
        let located = |e: Error| self.located(&e, name);
        let t = self.env.get_template(name).map_err(located)?;
        // The reader's language follows the template's name (`letter.nl.md`), so that its
        // numbers and lists are written that language's way.
        let ctx = Value::from(Serde(ctx));
        let ctx = match lang_of_name(name) {
            Some(lang) => minijinja::context! { lang => lang, ..ctx },
            None => ctx,
        };
        t.render(ctx).map_err(located)
    }

    /// Where template `name` came from, for messages: the user's file or `<embedded>/...`.
    pub fn display(&self, name: &str) -> String {
        self.files
            .get(name)
            .map_or_else(|| name.to_string(), |(display, _)| display.clone())
    }

    /// A template error as a diagnostic at the file and line it names (else at `template`).
    fn located(&self, e: &Error, template: &str) -> Box<Diagnostic> {
        let at = e.name().unwrap_or(template);
        Box::new(match self.files.get(at) {
            Some((display, text)) => diagnostic(e, display, text),
            None => Diagnostic::file("template-error", at, e.to_string()),
        })
    }

    /// Template `template` (a catalogue of macros) evaluated once for a reader of language
    /// `lang`: its macros and top-level values, ready for [`Templates::call_macro`] any number
    /// of times.
    pub fn capture(
        &'static self,
        template: &str,
        lang: &str,
    ) -> Result<Captured<'static>, Box<Diagnostic>> {
        let located = |e: Error| self.located(&e, template);
        let t = self.env.get_template(template).map_err(located)?;
        t.render_captured(minijinja::context! { lang => lang })
            .map_err(located)
    }

    /// Calls macro `name` of an evaluated catalogue (`template`, from [`Templates::capture`])
    /// with keyword arguments; an error becomes a diagnostic at the catalogue's line.
    pub fn call_macro(
        &self,
        captured: &mut Captured<'static>,
        template: &str,
        name: &str,
        args: &[(&'static str, Value)],
    ) -> Result<String, Box<Diagnostic>> {
        let located = |e: Error| self.located(&e, template);
        let kwargs: Kwargs = args.iter().map(|(k, v)| (*k, v.clone())).collect();
        captured
            .with_state_mut(|state| {
                if state.lookup(name).is_none() {
                    return Err(Error::new(
                        minijinja::ErrorKind::UnknownFunction,
                        format!("the catalogue has no macro `{name}`"),
                    ));
                }
                state.call_macro(name, &[Value::from(kwargs)])
            })
            .map_err(located)
    }
}

/// Puts the files of `dir` in place of the embedded templates with the same relative path.
fn overlay(dir: &Path, files: &mut BTreeMap<String, (String, String)>, diags: &mut Diagnostics) {
    if !dir.is_dir() {
        diags.push(crate::config::not_a_directory(dir, "templates"));
        return;
    }
    let mut found = Vec::new();
    crate::config::collect_with(dir, dir, None, &mut found);
    found.sort();
    for rel in found {
        let path = dir.join(&rel);
        let display = path.display().to_string();
        if !files.contains_key(&rel) {
            diags.push(
                Diagnostic::file(
                    "unknown-template",
                    &display,
                    format!("`{rel}` is not a template this program renders"),
                )
                .expected("a file named like one under the shipped `templates/`")
                .suggest(&rel, files.keys().map(String::as_str)),
            );
            continue;
        }
        if let Some(text) = crate::config::read_text(&path, diags) {
            files.insert(rel, (display, text));
        }
    }
}

/// A template error as a diagnostic at the template's file and line.
fn diagnostic(e: &Error, display: &str, text: &str) -> Diagnostic {
    let message = match e.detail() {
        Some(d) => format!("{}: {d}", e.kind()),
        None => e.kind().to_string(),
    };
    let span = e.range().or_else(|| {
        // Without a byte range, point at the start of the line.
        let line = e.line()?;
        let start: usize = text
            .split_inclusive('\n')
            .take(line - 1)
            .map(str::len)
            .sum();
        Some(start..start)
    });
    match span {
        Some(span) => Diagnostic::at("template-error", display, text, span, message),
        None => Diagnostic::file("template-error", display, message),
    }
    .expected("a valid MiniJinja template (see the shipped templates/ for the data it receives)")
}

/// The filters: numbers, percentages, figures and lists the reader's way; fixed and signed
/// decimals for tables; text helpers for columns.
fn add_filters(env: &mut Environment<'static>) {
    env.add_filter("num", |state: &State, x: f64, digits: Option<usize>| {
        format::number(x, digits.unwrap_or(0), lang_of(state))
    });
    env.add_filter("pct", |state: &State, x: f64| {
        format::percent(x, lang_of(state))
    });
    env.add_filter("figure", |state: &State, raw: Option<f64>, unit: String| {
        format::figure(raw, &unit, lang_of(state))
    });
    env.add_filter("listing", |state: &State, items: Vec<String>| {
        format::list(&items, lang_of(state))
    });
    env.add_filter("amount", |state: &State, x: f64| {
        format::amount(x, lang_of(state))
    });
    env.add_filter("shortest", |state: &State, x: f64| {
        format::shortest(x, lang_of(state))
    });
    env.add_filter("plus", |state: &State, x: f64| {
        format::plus(x, lang_of(state))
    });
    env.add_filter("dec", |state: &State, x: f64, digits: usize| {
        format::decimal(x, digits, lang_of(state))
    });
    env.add_filter(
        "dec_signed",
        |state: &State, x: f64, digits: usize, tidy: Option<bool>| {
            format::decimal_signed(x, digits, tidy.unwrap_or(true), lang_of(state))
        },
    );
    env.add_filter("fixed", |x: f64, digits: usize| format::fixed(x, digits));
    env.add_filter("signed", |x: f64, digits: usize, tidy: Option<bool>| {
        format::signed(x, digits, tidy.unwrap_or(true))
    });
    env.add_filter("display", |x: f64| x.to_string());
    add_text_filters(env);
}

/// The text helpers: lines, first letter, columns cut, padded and wrapped.
fn add_text_filters(env: &mut Environment<'static>) {
    env.add_filter("truncate_chars", |s: String, n: usize| {
        s.chars().take(n).collect::<String>()
    });
    env.add_filter("lines", |s: String| {
        s.lines().map(str::to_string).collect::<Vec<_>>()
    });
    env.add_filter("lower_first", |s: String| format::lower_first(&s));
    env.add_filter("capitalised", |s: String| format::capitalised(&s));
    env.add_filter("cut", |s: String, n: usize| format::cut(&s, n));
    env.add_filter("ljust", |s: String, n: usize| {
        let pad = n.saturating_sub(s.chars().count());
        format!("{s}{}", " ".repeat(pad))
    });
    env.add_filter("rjust", |s: String, n: usize| {
        let pad = n.saturating_sub(s.chars().count());
        format!("{}{s}", " ".repeat(pad))
    });
    env.add_filter(
        "wrap",
        |s: String, width: usize, first: Option<String>, rest: Option<String>| {
            let first = first.unwrap_or_default();
            let rest = rest.unwrap_or_else(|| first.clone());
            format::wrap(&s, width, &first, &rest)
        },
    );
}

/// The environment: strict about unknown variables (a typo is an error, not an empty string),
/// block tags on their own lines leave no blank lines, and the filters below.
fn environment() -> Environment<'static> {
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    // Keep the detail that names an undefined value (`c.titel` is undefined) in release builds
    // too; MiniJinja keeps it only in debug builds by default.
    env.set_debug(true);
    env.set_syntax(
        minijinja::syntax::SyntaxConfig::builder()
            .trim_blocks(true)
            .lstrip_blocks(true)
            .keep_trailing_newline(true)
            .build()
            .expect("the default delimiters are valid"),
    );
    // HTML escaping of values: the five characters that matter in text and attributes, no more
    // (MiniJinja's default also escapes `/`, which makes sources hard to read in the page).
    env.set_formatter(|out, state, value| {
        if *state.auto_escape() == minijinja::AutoEscape::Html
            && !value.is_safe()
            && !value.is_none()
            && !value.is_undefined()
        {
            let s = value.to_string();
            let escaped = s
                .replace('&', "&amp;")
                .replace('<', "&lt;")
                .replace('>', "&gt;")
                .replace('"', "&quot;");
            out.write_str(&escaped).map_err(Error::from)
        } else {
            minijinja::escape_formatter(out, state, value)
        }
    });
    env.set_auto_escape_callback(|name| {
        if name.ends_with(".html") {
            minijinja::AutoEscape::Html
        } else {
            minijinja::AutoEscape::None
        }
    });
    add_filters(&mut env);
    env
}
