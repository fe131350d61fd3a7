//! locatieadvies: decision support for the spreading of central-government jobs
//! (spreiding van rijkswerkgelegenheid).
//!
//! Regional profiles and a case (a service that is new, grows, shrinks or moves) are scored
//! against configurable criteria and guiding principles to rank candidate locations, with every
//! number explained. The CLI (`src/main.rs`, [`cli`]) and the HTTP server ([`server`]) share this library.
//! See `ARCHITECTURE.md` for the map of modules.

pub mod advice;
pub mod cli;
pub mod config;
pub mod diag;
pub mod fuzz;
pub mod generate;
pub mod limits;
pub mod matching;
pub mod mcda;
pub mod model;
pub mod rail;
pub mod register;
pub mod render;
pub mod rules;
pub mod server;
pub mod spreading;
