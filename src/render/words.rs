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

use minijinja::value::Value;
use serde::Serialize;

use super::templates::Templates;
use crate::diag::{Diagnostic, Diagnostics};

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
    templates: Templates,
    problems: Mutex<Vec<Diagnostic>>,
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

/// True for the name of a catalogue.
fn is_catalogue(name: &str) -> bool {
    name.starts_with("advice/remarks.")
}

impl Words {
    /// The catalogues among `templates` (the embedded ones, or a user's in their place).
    pub fn new(templates: Templates) -> Words {
        Words {
            templates,
            problems: Mutex::new(Vec::new()),
        }
    }

    /// The catalogues: the shipped ones, with those in `dir` (`--templates`) in their place.
    /// Problems in the user's files go to `diags`.
    pub fn load(dir: Option<&Path>, diags: &mut Diagnostics) -> Option<Words> {
        Templates::load_some(dir, is_catalogue, diags).map(Words::new)
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
        (self.say_in(r, "en"), self.say_in(r, "nl"))
    }

    /// The remark in one language (`en`, `nl`).
    pub fn say_in(&self, r: &Remark, lang: &str) -> String {
        match self
            .templates
            .call_macro(&catalogue(lang), lang, r.id, &r.args)
        {
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
