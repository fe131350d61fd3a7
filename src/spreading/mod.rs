//! The state of spreading: the distribution of FTE over gemeenten ([`baseline`]: deliveries or
//! the fitted estimate), what changes do to it ([`scenario`]), and the annual report
//! ([`annual`]).

pub mod annual;
pub mod baseline;
pub mod scenario;
