//! The engine's words: every flag, exclusion reason, finding and assumption the engine states is
//! a [`Remark`] (which message, with which figures), and the message catalogues
//! `templates/advice/remarks.{en,nl}.j2` hold the words, one macro per message. Rewording a
//! reason, or a catalogue for another language, needs no Rust: replace the catalogue with
//! `--templates DIR` like any other template.
//!
//! The advice's JSON carries each remark in English (`message`) and Dutch (`message_nl`), so
//! [`Words::say`] renders both.

use std::path::Path;
use std::sync::Mutex;

use minijinja::Captured;
use minijinja::value::Value;
use serde::Serialize;

use super::Lang;
use super::templates::Templates;
use crate::diag::{Diagnostic, Diagnostics};
use crate::rules::PredicateWords;

/// A remark of the engine as data: the id of its message in the catalogues and its arguments
/// (figures, names, thresholds). Arguments are language-neutral: a criterion passes its Dutch
/// `title` and its `title_en`, and each catalogue picks its own.
#[derive(Debug, Clone)]
pub struct Remark {
    pub id: &'static str,
    pub args: Vec<(&'static str, Value)>,
}

impl Remark {
    /// A remark without arguments yet.
    pub fn new(id: &'static str) -> Remark {
        Remark {
            id,
            args: Vec::new(),
        }
    }

    /// Adds argument `name`.
    pub fn arg(mut self, name: &'static str, value: impl Serialize) -> Remark {
        self.args
            .push((name, Value::from(minijinja::value::Serde(value))));
        self
    }
}

/// The catalogues, one per language, with the problems met while rendering from them.
pub struct Words {
    /// The catalogues live as long as the program: their evaluated macros borrow them. One
    /// `Words` is made per engine (once per command; the tests make a few dozen), and it holds
    /// only the two small catalogues.
    templates: &'static Templates,
    problems: Mutex<Vec<Diagnostic>>,
    nl: Catalogue,
    en: Catalogue,
}

/// One language's catalogue, evaluated once: its macros ready to call, and its predicate words.
struct Catalogue {
    name: String,
    evaluated: Mutex<Captured<'static>>,
    predicate: PredicateWords,
}

impl std::fmt::Debug for Words {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Words").finish_non_exhaustive()
    }
}

/// The catalogue of a language.
fn catalogue(lang: &str) -> String {
    format!("advice/remarks.{lang}.j2")
}

/// The catalogue of `lang`, evaluated, with its `predicate_words` checked to name every
/// attribute and operator.
fn load_catalogue(
    templates: &'static Templates,
    lang: Lang,
    diags: &mut Diagnostics,
) -> Option<Catalogue> {
    let code = match lang {
        Lang::Nl => "nl",
        Lang::En => "en",
    };
    let name = catalogue(code);
    let evaluated = match templates.capture(&name, code) {
        Ok(c) => c,
        Err(d) => {
            diags.push(*d);
            return None;
        }
    };
    let global = evaluated
        .state()
        .lookup("predicate_words")
        .filter(|v| !v.is_undefined());
    let predicate = predicate_words(templates, &name, global, diags)?;
    Some(Catalogue {
        predicate: PredicateWords { lang, ..predicate },
        evaluated: Mutex::new(evaluated),
        name,
    })
}

/// The `predicate_words` a catalogue sets (`value`), checked to name every attribute and
/// operator.
fn predicate_words(
    templates: &Templates,
    name: &str,
    value: Option<Value>,
    diags: &mut Diagnostics,
) -> Option<PredicateWords> {
    let problem = |message: String| {
        Diagnostic::file("template-error", &templates.display(name), message).expected(
            "`{% set predicate_words = {\"attributes\": {...}, \"operators\": {...}, \"and\": ..., \"or\": ..., \"not\": ..., \"asked\": ..., \"unknown\": ..., \"not_allowed\": ...} %}` as in the shipped catalogue",
        )
    };
    let Some(value) = value else {
        diags.push(problem("the catalogue sets no `predicate_words`".into()));
        return None;
    };
    let words = serde_json::to_value(&value)
        .map_err(|e| e.to_string())
        .and_then(|v| serde_json::from_value::<PredicateWords>(v).map_err(|e| e.to_string()));
    let words = match words {
        Ok(w) => w,
        Err(e) => {
            diags.push(problem(format!(
                "`predicate_words` is not as expected: {e}"
            )));
            return None;
        }
    };
    let missing = words.missing();
    if !missing.is_empty() {
        diags.push(problem(format!(
            "`predicate_words` has no words for {}",
            missing
                .iter()
                .map(|n| format!("`{n}`"))
                .collect::<Vec<_>>()
                .join(", ")
        )));
        return None;
    }
    Some(words)
}

/// True for the name of a catalogue.
fn is_catalogue(name: &str) -> bool {
    name.starts_with("advice/remarks.")
}

impl Words {
    /// The catalogues among `templates` (the embedded ones, or a user's in their place), with
    /// their predicate words; a catalogue without complete predicate words is a problem in
    /// `diags`.
    pub fn new(templates: Templates, diags: &mut Diagnostics) -> Option<Words> {
        let templates: &'static Templates = Box::leak(Box::new(templates));
        let nl = load_catalogue(templates, Lang::Nl, diags);
        let en = load_catalogue(templates, Lang::En, diags);
        Some(Words {
            nl: nl?,
            en: en?,
            templates,
            problems: Mutex::new(Vec::new()),
        })
    }

    /// The catalogues: the shipped ones, with those in `dir` (`--templates`) in their place.
    /// Problems in the user's files go to `diags`.
    pub fn load(dir: Option<&Path>, diags: &mut Diagnostics) -> Option<Words> {
        let templates = Templates::load_some(dir, is_catalogue, diags)?;
        Words::new(templates, diags)
    }

    /// The words predicates are written in, in `lang`.
    pub fn predicate(&self, lang: Lang) -> &PredicateWords {
        match lang {
            Lang::Nl => &self.nl.predicate,
            Lang::En => &self.en.predicate,
        }
    }

    /// The shipped catalogues.
    pub fn embedded() -> Words {
        Words::load(None, &mut Diagnostics::default())
            .expect("the embedded catalogues parse (tested by the template tests)")
    }

    /// The remark in English and in Dutch. A catalogue that fails (a user's catalogue with a
    /// missing macro or an unknown argument) gives an empty text and a problem kept for
    /// [`Words::take_problems`].
    pub fn say(&self, r: &Remark) -> (String, String) {
        (self.say_in(r, Lang::En), self.say_in(r, Lang::Nl))
    }

    /// The remark in one language.
    pub fn say_in(&self, r: &Remark, lang: Lang) -> String {
        let c = match lang {
            Lang::Nl => &self.nl,
            Lang::En => &self.en,
        };
        let said = match c.evaluated.lock() {
            Ok(mut evaluated) => self
                .templates
                .call_macro(&mut evaluated, &c.name, r.id, &r.args),
            Err(_) => Err(Box::new(Diagnostic::file(
                "template-error",
                &c.name,
                "the catalogue is unusable after an earlier failure",
            ))),
        };
        match said {
            Ok(s) => s,
            Err(d) => {
                if let Ok(mut p) = self.problems.lock()
                    && !p.contains(&d)
                {
                    p.push(*d);
                }
                String::new()
            }
        }
    }

    /// The problems met so far, emptied.
    pub fn take_problems(&self) -> Vec<Diagnostic> {
        self.problems
            .lock()
            .map(|mut p| std::mem::take(&mut *p))
            .unwrap_or_default()
    }
}
