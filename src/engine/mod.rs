//! The engine: the rail graph and travel model, and the advice pipeline that scores and ranks
//! candidate locations for a case.

pub mod advise;
pub mod principles;
pub mod profile;
pub mod rail;
pub mod robustness;
pub mod shrink;

pub use advise::{Engine, RunOptions};
