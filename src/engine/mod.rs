//! The engine: the rail graph and travel model, and the advice pipeline that scores and ranks
//! candidate locations for a case.

pub mod advise;
pub mod rail;
pub mod robustness;

pub use advise::{Engine, RunOptions};
