//! Typed predicates over attributes, and their evaluation.

use super::PredicateWords;
use super::attr::{Attr, Facts, Value};

/// A comparison operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    In,
    NotIn,
}

impl Op {
    /// Every operator with its name in rules files.
    pub const ALL: [(Op, &'static str); 8] = [
        (Op::Eq, "eq"),
        (Op::Ne, "ne"),
        (Op::Lt, "lt"),
        (Op::Le, "le"),
        (Op::Gt, "gt"),
        (Op::Ge, "ge"),
        (Op::In, "in"),
        (Op::NotIn, "not-in"),
    ];

    /// Looks an operator up by name.
    pub fn parse(s: &str) -> Option<Op> {
        Op::ALL.iter().find(|(_, n)| *n == s).map(|(o, _)| *o)
    }

    /// The name in rules files.
    pub fn name(self) -> &'static str {
        Op::ALL
            .iter()
            .find(|(o, _)| *o == self)
            .map_or("", |(_, n)| n)
    }
}

/// A predicate: a comparison, or a combination of predicates.
#[derive(Debug, Clone, PartialEq)]
pub enum Predicate {
    All(Vec<Predicate>),
    Any(Vec<Predicate>),
    Not(Box<Predicate>),
    /// `attr op value`; for `in` and `not-in` the value is a list.
    Cmp {
        attr: Attr,
        op: Op,
        values: Vec<Value>,
    },
}

impl Predicate {
    /// Evaluates the predicate. A comparison on an unknown (missing) figure is false, and so is
    /// its negation by `ne`/`not-in`: a missing figure never satisfies a predicate.
    pub fn eval(&self, facts: &Facts) -> bool {
        match self {
            Predicate::All(ps) => ps.iter().all(|p| p.eval(facts)),
            Predicate::Any(ps) => ps.iter().any(|p| p.eval(facts)),
            Predicate::Not(p) => !p.eval(facts),
            Predicate::Cmp { attr, op, values } => {
                let Some(v) = facts.get(*attr) else {
                    return false;
                };
                match op {
                    Op::Eq => values.first() == Some(v),
                    Op::Ne => values.first() != Some(v),
                    Op::In => values.contains(v),
                    Op::NotIn => !values.contains(v),
                    Op::Lt | Op::Le | Op::Gt | Op::Ge => {
                        let (Value::Number(a), Some(Value::Number(b))) = (v, values.first()) else {
                            return false;
                        };
                        match op {
                            Op::Lt => a < b,
                            Op::Le => a <= b,
                            Op::Gt => a > b,
                            _ => a >= b,
                        }
                    }
                }
            }
        }
    }

    /// True when any comparison in the predicate refers to an attribute of this scope.
    pub fn mentions(&self, scope: super::Scope) -> bool {
        match self {
            Predicate::All(ps) | Predicate::Any(ps) => ps.iter().any(|p| p.mentions(scope)),
            Predicate::Not(p) => p.mentions(scope),
            Predicate::Cmp { attr, .. } => attr.scope() == scope,
        }
    }

    /// A compact, readable form, for explanations.
    pub fn describe(&self) -> String {
        match self {
            Predicate::All(ps) => format!(
                "all({})",
                ps.iter()
                    .map(|p| p.describe())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            Predicate::Any(ps) => format!(
                "any({})",
                ps.iter()
                    .map(|p| p.describe())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            Predicate::Not(p) => format!("not({})", p.describe()),
            Predicate::Cmp { attr, op, values } => {
                let vals: Vec<String> = values
                    .iter()
                    .map(|v| match v {
                        Value::Bool(b) => b.to_string(),
                        Value::Number(n) => n.to_string(),
                        Value::Text(t) => format!("\"{t}\""),
                    })
                    .collect();
                let shown = if matches!(op, Op::In | Op::NotIn) {
                    format!("[{}]", vals.join(", "))
                } else {
                    vals.join(", ")
                };
                format!("{} {} {}", attr.name(), op.name(), shown)
            }
        }
    }
}

/// Names for values in words: a gemeente or province code becomes its name.
pub type Namer<'a> = &'a dyn Fn(Attr, &Value) -> String;

/// A yes/no attribute's phrase for `value`.
fn phrase(w: &PredicateWords, attr: Attr, value: bool) -> &str {
    let words = w.attr(attr);
    let mut parts = words.split('|');
    let yes = parts.next().unwrap_or(words);
    let no = parts.next().unwrap_or(yes);
    if value { yes } else { no }
}

/// A number with its unit, the way the words' language writes it.
fn amount(x: f64, unit: &str, w: &PredicateWords) -> String {
    use crate::render::format;
    let digits = if x.fract() == 0.0 || x.abs() >= 1000.0 {
        0
    } else {
        1
    };
    let n = format::number(x, digits, w.lang);
    match unit {
        "" => n,
        "%" => format!("{n}%"),
        unit => format!("{n} {unit}"),
    }
}

/// A known value of an attribute in words: its phrase, its amount, or its name.
fn value_words(w: &PredicateWords, attr: Attr, v: &Value, name: Namer) -> String {
    match v {
        Value::Bool(b) => phrase(w, attr, *b).to_string(),
        Value::Number(x) => format!("{} {}", w.attr(attr), amount(*x, attr.unit(), w)),
        other => format!("{} {}", w.attr(attr), name(attr, other)),
    }
}

impl Predicate {
    /// What the predicate asks, in words, without rule syntax: "reistijd per trein naar Den Haag
    /// ten hoogste 45 min", "ligt buiten de Randstad".
    pub fn words(&self, w: &PredicateWords, name: Namer) -> String {
        let join = |ps: &Vec<Predicate>, word: &str| {
            ps.iter()
                .map(|p| p.words(w, name))
                .collect::<Vec<_>>()
                .join(&format!(" {word} "))
        };
        match self {
            Predicate::All(ps) => join(ps, &w.and),
            Predicate::Any(ps) => join(ps, &w.or),
            Predicate::Not(p) => format!("{} ({})", w.not, p.words(w, name)),
            Predicate::Cmp { attr, op, values } => {
                if attr.ty() == super::AttrType::Bool
                    && let (Op::Eq | Op::Ne, Some(Value::Bool(b))) = (op, values.first())
                {
                    return phrase(w, *attr, (*op == Op::Eq) == *b).to_string();
                }
                let shown: Vec<String> = values
                    .iter()
                    .map(|v| match v {
                        Value::Number(x) => amount(*x, attr.unit(), w),
                        other => name(*attr, other),
                    })
                    .collect();
                format!("{} {} {}", w.attr(*attr), w.op(*op), shown.join(", "))
            }
        }
    }

    /// Why `facts` fail the predicate, in words: each failing comparison with the location's own
    /// figure ("reistijd per trein naar Den Haag 153 min, ten hoogste 45 min gevraagd").
    pub fn failure(&self, w: &PredicateWords, facts: &Facts, name: Namer) -> String {
        match self {
            Predicate::All(ps) => ps
                .iter()
                .filter(|p| !p.eval(facts))
                .map(|p| p.failure(w, facts, name))
                .collect::<Vec<_>>()
                .join("; "),
            Predicate::Any(_) => format!(
                "{} ({}: {})",
                self.facts_words(w, facts, name),
                w.asked,
                self.words(w, name)
            ),
            Predicate::Not(p) => format!("{} {}", p.words(w, name), w.not_allowed),
            Predicate::Cmp { attr, .. } => {
                let wanted = self.words(w, name);
                match facts.get(*attr) {
                    Some(Value::Bool(b)) => phrase(w, *attr, *b).to_string(),
                    Some(v) => {
                        format!("{} ({}: {wanted})", value_words(w, *attr, v, name), w.asked)
                    }
                    None => format!("{} {}", w.attr(*attr), w.unknown),
                }
            }
        }
    }

    /// How `facts` meet the predicate, in words: the location's own figures, and what was asked
    /// when that is not already said by them ("stationsklasse 3 en rijksaanwezigheidsklasse 2
    /// (gevraagd: ...)", "ligt buiten de Randstad").
    pub fn shown(&self, w: &PredicateWords, facts: &Facts, name: Namer) -> String {
        let own = self.facts_words(w, facts, name);
        if self.only_flags() {
            own
        } else {
            format!("{own} ({}: {})", w.asked, self.words(w, name))
        }
    }

    /// True when every comparison is on a yes/no attribute (whose phrase says it all).
    fn only_flags(&self) -> bool {
        match self {
            Predicate::All(ps) | Predicate::Any(ps) => ps.iter().all(Predicate::only_flags),
            Predicate::Not(p) => p.only_flags(),
            Predicate::Cmp { attr, .. } => attr.ty() == super::AttrType::Bool,
        }
    }

    /// The location's own figure for every attribute the predicate compares, once each:
    /// "stationsklasse 0 en rijksaanwezigheidsklasse 0".
    fn facts_words(&self, w: &PredicateWords, facts: &Facts, name: Namer) -> String {
        let mut attrs: Vec<Attr> = Vec::new();
        self.attrs(&mut attrs);
        let parts: Vec<String> = attrs
            .into_iter()
            .map(|attr| match facts.get(attr) {
                Some(v) => value_words(w, attr, v, name),
                None => format!("{} {}", w.attr(attr), w.unknown),
            })
            .collect();
        match parts.as_slice() {
            [] => String::new(),
            [one] => one.clone(),
            [init @ .., last] => format!("{} {} {last}", init.join(", "), w.and),
        }
    }

    /// The attributes compared, in order of first appearance.
    fn attrs(&self, out: &mut Vec<Attr>) {
        match self {
            Predicate::All(ps) | Predicate::Any(ps) => ps.iter().for_each(|p| p.attrs(out)),
            Predicate::Not(p) => p.attrs(out),
            Predicate::Cmp { attr, .. } => {
                if !out.contains(attr) {
                    out.push(*attr);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts() -> Facts {
        let mut f = Facts::default();
        f.set(Attr::CaseKind, Value::Text("growth".into()));
        f.set(Attr::LocRandstad, Value::Bool(false));
        f.set(Attr::LocMinutesDenHaag, Value::Number(50.0));
        f
    }

    #[test]
    fn comparisons_and_combinators() {
        let f = facts();
        let kind_in = Predicate::Cmp {
            attr: Attr::CaseKind,
            op: Op::In,
            values: vec![Value::Text("new".into()), Value::Text("growth".into())],
        };
        let near = Predicate::Cmp {
            attr: Attr::LocMinutesDenHaag,
            op: Op::Le,
            values: vec![Value::Number(45.0)],
        };
        assert!(kind_in.eval(&f));
        assert!(!near.eval(&f));
        assert!(Predicate::Any(vec![kind_in.clone(), near.clone()]).eval(&f));
        assert!(!Predicate::All(vec![kind_in, near.clone()]).eval(&f));
        assert!(Predicate::Not(Box::new(near)).eval(&f));
    }

    #[test]
    fn missing_figures_never_satisfy() {
        let f = Facts::default();
        for op in [Op::Eq, Op::Ne, Op::Lt, Op::Ge, Op::In, Op::NotIn] {
            let p = Predicate::Cmp {
                attr: Attr::LocMinutesUtrecht,
                op,
                values: vec![Value::Number(1.0)],
            };
            assert!(!p.eval(&f), "{op:?} on a missing figure must be false");
        }
    }
}

#[cfg(test)]
mod words {
    use super::*;
    use crate::render::Lang;
    use crate::render::words::Words;

    /// The shipped catalogues' words for predicates.
    fn nl() -> PredicateWords {
        Words::embedded().predicate(Lang::Nl).clone()
    }

    fn en() -> PredicateWords {
        Words::embedded().predicate(Lang::En).clone()
    }

    fn plain(_: Attr, v: &Value) -> String {
        match v {
            Value::Text(t) => t.clone(),
            other => format!("{other:?}"),
        }
    }

    #[test]
    fn predicates_read_as_words() {
        let near = Predicate::Cmp {
            attr: Attr::LocMinutesDenHaag,
            op: Op::Le,
            values: vec![Value::Number(45.0)],
        };
        assert_eq!(
            near.words(&nl(), &plain),
            "reistijd per trein naar Den Haag ten hoogste 45 min"
        );
        assert_eq!(
            near.words(&en(), &plain),
            "rail minutes to Den Haag at most 45 min"
        );
        let mut f = Facts::default();
        f.set(Attr::LocMinutesDenHaag, Value::Number(152.5));
        assert_eq!(
            near.failure(&nl(), &f, &plain),
            "reistijd per trein naar Den Haag 152,5 min (gevraagd: reistijd per trein naar Den Haag ten hoogste 45 min)"
        );
        let outside = Predicate::Cmp {
            attr: Attr::LocRandstad,
            op: Op::Eq,
            values: vec![Value::Bool(false)],
        };
        assert_eq!(outside.words(&nl(), &plain), "ligt buiten de Randstad");
        f.set(Attr::LocRandstad, Value::Bool(true));
        assert_eq!(outside.failure(&nl(), &f, &plain), "ligt in de Randstad");
        assert!(!near.words(&nl(), &plain).contains("location."));
    }
}
