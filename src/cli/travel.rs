//! `travel FROM TO`: rail minutes between two gemeenten or stations with their breakdown; and
//! `travel --cross-validate`: how well the fitted model predicts stations it has not seen.

use super::{EXIT_INVALID, out, world_or_report};
use crate::config::SourceOptions;
use crate::rail::fit::{self, CV_FOLDS, CV_SEED};
use crate::rail::travel::{self, Place};

/// Output format of `travel`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum TravelFormat {
    Text,
    Json,
    /// The cross-validation table as Markdown (with --cross-validate).
    Markdown,
}

/// Arguments of `travel`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Where the trip starts: a station code (`UT`), a gemeente code (`GM0344`) or a gemeente
    /// name (`Utrecht`), tried in that order.
    #[arg(required_unless_present = "cross_validate")]
    pub from: Option<String>,
    /// Where the trip ends, as FROM.
    #[arg(required_unless_present = "cross_validate")]
    pub to: Option<String>,
    /// Instead of a trip: the leave-stations-out cross-validation of the rail model.
    #[arg(long, conflicts_with_all = ["from", "to"])]
    pub cross_validate: bool,
    /// Number of folds of the cross-validation.
    #[arg(long, default_value_t = CV_FOLDS, requires = "cross_validate")]
    pub folds: usize,
    /// Seed of the shuffle that splits the stations into folds.
    #[arg(long, default_value_t = CV_SEED, requires = "cross_validate")]
    pub seed: u64,
    #[arg(long, value_enum, default_value_t = TravelFormat::Text)]
    pub format: TravelFormat,
}

/// Runs `travel`.
pub fn run(args: &Args, opts: &SourceOptions) -> u8 {
    let world = match world_or_report(opts) {
        Ok(w) => w,
        Err(c) => return c,
    };
    if args.cross_validate {
        let cv = fit::cross_validate(&world.rail, args.folds, args.seed);
        let name = match args.format {
            TravelFormat::Json => {
                return out(&(serde_json::to_string_pretty(&cv).expect("serialises") + "\n"));
            }
            TravelFormat::Text => "travel/cross-validation.en.txt",
            TravelFormat::Markdown => "travel/cross-validation.en.md",
        };
        return match super::render(opts, name, &serde_json::json!({ "cv": cv })) {
            Ok(text) => out(&text),
            Err(code) => code,
        };
    }
    let (Some(from), Some(to)) = (&args.from, &args.to) else {
        eprintln!("error: give FROM and TO, or --cross-validate");
        return EXIT_INVALID;
    };
    let mut places = Vec::new();
    for given in [from, to] {
        match Place::resolve(&world, given) {
            Ok(p) => places.push(p),
            Err(e) => {
                eprintln!(
                    "error: {}\n  expected: {}{}",
                    e.message(),
                    e.expected(),
                    e.suggestion
                        .as_ref()
                        .map(|s| format!("\n  help: did you mean `{s}`?"))
                        .unwrap_or_default()
                );
                return EXIT_INVALID;
            }
        }
    }
    let Some(r) = travel::build(&world, places[0], places[1]) else {
        let unknown: Vec<String> = places
            .iter()
            .filter_map(|p| travel::unknown_crossing(&world, *p))
            .collect();
        if unknown.is_empty() {
            eprintln!("error: no rail route from `{from}` to `{to}`");
        } else {
            eprintln!(
                "error: the minutes from `{from}` to `{to}` are unknown\n  {}",
                unknown.join("\n  ")
            );
        }
        return super::EXIT_FAILURE;
    };
    match args.format {
        TravelFormat::Json => out(&(serde_json::to_string_pretty(&r).expect("serialises") + "\n")),
        TravelFormat::Text | TravelFormat::Markdown => {
            match super::render(
                opts,
                "travel/journey.en.txt",
                &serde_json::json!({ "r": r, "lang": "en" }),
            ) {
                Ok(text) => out(&text),
                Err(code) => code,
            }
        }
    }
}
