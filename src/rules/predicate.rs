//! Typed predicates over attributes, and their evaluation.

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
