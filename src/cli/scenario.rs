//! `scenario <file.toml...>`: apply mutations to a baseline and compare scenarios side by side.

use std::path::PathBuf;

use super::{EXIT_INVALID, out, world_or_report};
use crate::advice::Engine;
use crate::config::SourceOptions;
use crate::diag::{Diagnostic, Diagnostics};
use crate::model::World;
use crate::spreading::baseline::fit::{Fitted, fit};
use crate::spreading::baseline::ingest::{Expect, ingest};
use crate::spreading::baseline::{Baseline, estimate};
use crate::spreading::scenario::{Outcome, Scenario, apply, diagnostic, load};

/// Output format of `scenario`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ScenarioFormat {
    Text,
    Json,
    Markdown,
}

/// Arguments of `scenario`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Scenario files (TOML); several are compared side by side.
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// Delivery files to use as the baseline instead of the model estimate of the scenario's
    /// `baseline_year`.
    #[arg(long)]
    pub deliveries: Vec<PathBuf>,
    /// Accept delivery rows above 10,000 FTE (one unit in one gemeente); without it such a row
    /// is an error, as it is more often a typing error than a real unit.
    #[arg(long)]
    pub accept_outliers: bool,
    #[arg(long, value_enum, default_value_t = ScenarioFormat::Text)]
    pub format: ScenarioFormat,
}

/// Runs `scenario`.
pub fn run(args: &Args, opts: &SourceOptions) -> u8 {
    let world = match world_or_report(opts) {
        Ok(w) => w,
        Err(c) => return c,
    };
    let mut diags = Diagnostics::default();
    let (scenarios, delivered) = load_inputs(args, &world, &mut diags);
    if !diags.is_empty() {
        eprint!("{}", diags.render());
        return EXIT_INVALID;
    }
    // The advice engine is built only when a scenario applies an advice.
    let engine = match needs_engine(&scenarios).then(|| super::engine(world.clone(), opts)) {
        Some(Err(code)) => return code,
        built => built.and_then(Result::ok),
    };
    // The model baseline is fitted once, when a scenario needs it.
    let fitted = if delivered.is_none() && !scenarios.is_empty() {
        match fit(&world) {
            Ok(f) => Some(f),
            Err(e) => {
                eprintln!("error: {e}");
                return super::EXIT_FAILURE;
            }
        }
    } else {
        None
    };
    let outcomes = apply_all(
        &world,
        engine.as_ref(),
        &scenarios,
        delivered.as_ref(),
        fitted.as_ref(),
        &mut diags,
    );
    if !diags.is_empty() {
        eprint!("{}", diags.render());
        return EXIT_INVALID;
    }
    if let Some(Err(code)) = engine.as_ref().map(super::words_problems) {
        return code;
    }
    let name = match args.format {
        ScenarioFormat::Json => {
            return out(&(serde_json::to_string_pretty(
                &serde_json::json!({ "scenarios": outcomes }),
            )
            .expect("serialises")
                + "\n"));
        }
        ScenarioFormat::Text => "scenario/scenarios.en.txt",
        ScenarioFormat::Markdown => "scenario/scenarios.nl.md",
    };
    match super::render(opts, name, &serde_json::json!({ "outcomes": outcomes })) {
        Ok(text) => out(&text),
        Err(code) => code,
    }
}

/// The scenario files and, when given, the deliveries they start from. Problems go to `diags`.
fn load_inputs(
    args: &Args,
    world: &World,
    diags: &mut Diagnostics,
) -> (Vec<Scenario>, Option<Baseline>) {
    let scenarios: Vec<_> = args
        .files
        .iter()
        .filter_map(|f| load(f, world, diags))
        .collect();
    let delivered: Option<Baseline> = if args.deliveries.is_empty() {
        None
    } else {
        let paths: Vec<&std::path::Path> = args.deliveries.iter().map(PathBuf::as_path).collect();
        let expect = Expect {
            year: None,
            accept_outliers: args.accept_outliers,
        };
        ingest(&paths, world, expect, diags)
    };
    (scenarios, delivered)
}

/// Whether any scenario applies an advice (and so needs the advice engine).
fn needs_engine(scenarios: &[Scenario]) -> bool {
    scenarios.iter().any(|s| {
        s.mutations
            .iter()
            .any(|m| matches!(m, crate::spreading::scenario::Mutation::Advice { .. }))
    })
}

/// Each scenario applied to its baseline: the deliveries when given, else the fitted estimate
/// of its baseline year. Problems go to `diags`.
fn apply_all(
    world: &World,
    engine: Option<&Engine>,
    scenarios: &[Scenario],
    delivered: Option<&Baseline>,
    fitted: Option<&Fitted>,
    diags: &mut Diagnostics,
) -> Vec<Outcome> {
    let mut outcomes = Vec::new();
    for s in scenarios {
        let base = match (delivered, fitted) {
            (Some(b), _) if b.year != s.baseline_year => {
                diags.push(
                    Diagnostic::file(
                        "wrong-year",
                        &s.file,
                        format!(
                            "the scenario starts from {}, the deliveries are for {}",
                            s.baseline_year, b.year
                        ),
                    )
                    .expected(format!(
                        "deliveries with reference date `{}-01-01`",
                        s.baseline_year
                    )),
                );
                continue;
            }
            (Some(b), _) => b.clone(),
            (None, None) => continue,
            (None, Some(f)) => match estimate(world, f, s.baseline_year) {
                Ok(b) => b,
                Err(e) => {
                    diags.push(Diagnostic::file("invalid-scenario", &s.file, e));
                    continue;
                }
            },
        };
        match apply(world, engine, &base, s) {
            Ok(o) => outcomes.push(o),
            Err(e) => diags.push(diagnostic(&e)),
        }
    }
    outcomes
}
