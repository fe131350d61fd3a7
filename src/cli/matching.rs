//! `match <pipeline.toml>`: place several services at once, exactly, under capacities.

use std::path::PathBuf;
use std::time::Duration;

use super::{EXIT_INCOMPLETE, EXIT_INVALID, out, world_or_report};
use crate::config::SourceOptions;
use crate::diag::Diagnostics;
use crate::matching::Solver;
use crate::matching::pipeline::{MatchOptions, load, run as run_match};

/// Output format of `match`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum MatchFormat {
    Text,
    Json,
    Markdown,
}

/// Arguments of `match`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The pipeline file (TOML).
    pub pipeline: PathBuf,
    /// Stop the solver after this many seconds and report the best assignment found with its
    /// gap to the best bound (0 or less: no limit).
    #[arg(long, default_value_t = 60.0)]
    pub time_limit: f64,
    #[arg(long, value_enum, default_value_t = MatchFormat::Text)]
    pub format: MatchFormat,
    /// The solver: `builtin` (pure Rust, always there), `highs` (when built with the feature
    /// `highs`) or `auto` (HiGHS when compiled in, else builtin).
    #[arg(long, default_value = "auto", value_parser = Solver::parse)]
    pub solver: Solver,
    /// Add the wall times of the advices and of the solve to the output (they differ from run
    /// to run, so the output is no longer byte-identical).
    #[arg(long)]
    pub timing: bool,
}

/// The solver, its time limit (none at 0 or less) and whether to report wall times.
fn match_options(args: &Args) -> MatchOptions {
    MatchOptions {
        solver: args.solver,
        limit: (args.time_limit.is_finite() && args.time_limit > 0.0)
            .then(|| Duration::from_secs_f64(args.time_limit)),
        timing: args.timing,
    }
}

/// Runs `match`. Exit code 1 when the pipeline has no feasible assignment.
pub fn run(args: &Args, opts: &SourceOptions) -> u8 {
    let world = match world_or_report(opts) {
        Ok(w) => w,
        Err(c) => return c,
    };
    let mut diags = Diagnostics::default();
    let Some(p) = load(&args.pipeline, &world, &mut diags) else {
        eprint!("{}", diags.render());
        return EXIT_INVALID;
    };
    let engine = match super::engine(world, opts) {
        Ok(e) => e,
        Err(code) => return code,
    };
    let result = run_match(&engine, &p, match_options(args));
    if let Err(code) = super::words_problems(&engine) {
        return code;
    }
    let (name, ctx, code) = match result {
        Ok(o) => {
            let name = match args.format {
                MatchFormat::Json => {
                    return out(&(serde_json::to_string_pretty(&o).expect("serialises") + "\n"));
                }
                MatchFormat::Text => "match/pipeline.en.txt",
                MatchFormat::Markdown => "match/pipeline.nl.md",
            };
            (name, serde_json::json!({ "o": o }), 0)
        }
        Err(e) => {
            let e = serde_json::json!({
                "id": e.id,
                "feasible": if e.timed_out { None } else { Some(false) },
                "timed_out": e.timed_out,
                "reasons": e.reasons,
            });
            if args.format == MatchFormat::Json {
                let code = out(&(serde_json::to_string_pretty(&e).expect("serialises") + "\n"));
                return if code == 0 { EXIT_INCOMPLETE } else { code };
            }
            (
                "match/infeasible.en.txt",
                serde_json::json!({ "e": e }),
                EXIT_INCOMPLETE,
            )
        }
    };
    match super::render(opts, name, &ctx) {
        Ok(text) => {
            let written = out(&text);
            if written == 0 { code } else { written }
        }
        Err(c) => c,
    }
}
