//! The words predicates are written in, for one language: what each attribute and operator is
//! called and the few joining words. They come from the message catalogues
//! (`predicate_words` in `templates/advice/remarks.{en,nl}.j2`), so that rewording a requirement
//! or adding a language needs no Rust.

use std::collections::BTreeMap;

use serde::Deserialize;

use super::{Attr, Op};
use crate::render::Lang;

/// One language's words for predicates.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PredicateWords {
    /// Per attribute name: a noun for a number or a name; for a yes/no attribute the phrase for
    /// yes and the phrase for no, separated by `|` ("ligt in de Randstad|ligt buiten de
    /// Randstad").
    pub attributes: BTreeMap<String, String>,
    /// Per operator name (`eq`, `le`, `not-in`, ...): its words ("ten hoogste").
    pub operators: BTreeMap<String, String>,
    pub and: String,
    pub or: String,
    pub not: String,
    /// Before what a requirement asked ("gevraagd").
    pub asked: String,
    /// A figure that is not known ("onbekend").
    pub unknown: String,
    /// After a combination that must not hold ("(mag niet)").
    pub not_allowed: String,
    /// How numbers are written.
    #[serde(skip)]
    pub lang: Lang,
}

impl PredicateWords {
    /// The words of an attribute (its name when the catalogue lacks it; [`Self::missing`]
    /// reports that at load).
    pub fn attr(&self, attr: Attr) -> &str {
        self.attributes
            .get(attr.name())
            .map_or(attr.name(), String::as_str)
    }

    /// The words of an operator.
    pub fn op(&self, op: Op) -> &str {
        self.operators
            .get(op.name())
            .map_or(op.name(), String::as_str)
    }

    /// The attributes and operators the words lack, by name.
    pub fn missing(&self) -> Vec<&'static str> {
        let attrs = Attr::ALL
            .iter()
            .map(|a| a.name())
            .filter(|n| !self.attributes.contains_key(*n));
        let ops = Op::ALL
            .iter()
            .map(|(_, n)| *n)
            .filter(|n| !self.operators.contains_key(*n));
        attrs.chain(ops).collect()
    }
}
