//! Rules as data: the attributes that predicates and criteria may refer to, typed predicates
//! (attribute, operator, value; all/any/not), and their evaluation.
//!
//! Predicates are validated when rules load: an unknown attribute, an operator that does not fit
//! the attribute's type, or a value of the wrong type is a load error, never a silent `false`.

mod attr;
pub mod docs;
mod predicate;
mod words;

pub use attr::{Attr, AttrType, Facts, Scope, Value};
pub use predicate::{Op, Predicate};
pub use words::PredicateWords;
