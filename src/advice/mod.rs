//! The location advice for one case: the engine that scores and ranks candidate locations
//! ([`advise`]: facts, requirements, criteria, principles, ranking, shortlist), the principles'
//! tiers and requirements ([`principles`]), a shrinking service's split ([`shrink`]), the
//! robustness analysis ([`robustness`]), the ministry's request judged ([`request`]), why no
//! location is feasible (`feasibility`), the advice as data ([`model`], also the JSON output), the
//! letter's view ([`letter`]) and a gemeente's profile ([`profile`], [`gemeente`]).

pub mod advise;
mod feasibility;
pub mod gemeente;
pub mod letter;
pub mod model;
pub mod principles;
pub mod profile;
pub mod request;
pub mod robustness;
pub mod shrink;

pub use advise::{Engine, RunOptions};
