//! `advise <case.toml>`: rank candidate locations for a case and render the advice.

use std::path::PathBuf;

use super::{EXIT_INCOMPLETE, EXIT_INFEASIBLE, EXIT_INVALID, Format, out, world_or_report};
use crate::advice;
use crate::advice::RunOptions;
use crate::advice::letter::LetterView;
use crate::advice::robustness::RobustnessOverrides;
use crate::config::{SourceOptions, load_case};
use crate::diag::Diagnostics;
use crate::render::Lang;

/// Arguments of `advise`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The case file (TOML).
    pub case: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Language of the text and Markdown advice: `nl` (default) or `en`.
    #[arg(long, default_value = "nl", value_parser = ["nl", "en"])]
    pub lang: String,
    /// Number of ranked and excluded locations shown in text and Markdown.
    #[arg(long, default_value_t = 10)]
    pub top: usize,
    /// Show every ranked and excluded location in text output.
    #[arg(long)]
    pub all: bool,
    /// Switch a principle off for this run (repeatable); see `explain --list`.
    #[arg(long = "disable-principle", value_name = "ID")]
    pub disable: Vec<String>,
    /// Skip the robustness analysis (SMAA, stability intervals, cross-check).
    #[arg(long)]
    pub no_robustness: bool,
    /// Number of SMAA samples (default: rules/settings.toml).
    #[arg(long, value_parser = clap::value_parser!(u64).range(1..=10_000_000))]
    pub samples: Option<u64>,
    /// Seed of the SMAA draws (default: rules/settings.toml).
    #[arg(long)]
    pub seed: Option<u64>,
    /// Weight sampling: `band` around the weights or the whole `simplex`.
    #[arg(long, value_parser = ["band", "simplex"])]
    pub weight_sampling: Option<String>,
    /// Relative band around each weight, 0 to 1 (implies band sampling).
    #[arg(long, value_parser = unit_interval)]
    pub weight_band: Option<f64>,
    /// Relative band of the figures marked as estimates, 0 to 1.
    #[arg(long, value_parser = unit_interval)]
    pub estimate_band: Option<f64>,
}

/// Parses a number from 0 to 1.
fn unit_interval(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(x) if (0.0..=1.0).contains(&x) => Ok(x),
        _ => Err(format!("`{s}` is not a number from 0 to 1")),
    }
}

/// Runs `advise`.
pub fn run(args: &Args, opts: &SourceOptions) -> u8 {
    let world = match world_or_report(opts) {
        Ok(w) => w,
        Err(code) => return code,
    };
    let mut diags = Diagnostics::default();
    check_disabled(&world, &args.disable, &mut diags);
    let case = load_case(&args.case, &world, &mut diags);
    let case = match case {
        Some(c) if diags.is_empty() => c,
        _ => {
            eprint!("{}", diags.render());
            return EXIT_INVALID;
        }
    };
    let engine = match super::engine(world, opts) {
        Ok(e) => e,
        Err(code) => return code,
    };
    let run = run_options(args);
    let samples = run
        .robustness
        .apply(&engine.world.settings.robustness)
        .samples;
    let bar = progress_bar(samples as u64, args.no_robustness);
    let advice = engine.advise_with_progress(&case, &run, &|n| bar.inc(n));
    bar.finish_and_clear();
    if let Err(code) = super::words_problems(&engine) {
        return code;
    }
    let text = match render_advice(args, opts, &advice) {
        Ok(t) => t,
        Err(code) => return code,
    };
    let code = out(&text);
    if code != 0 {
        return code;
    }
    match advice.status.as_str() {
        "complete" => 0,
        "infeasible" => EXIT_INFEASIBLE,
        _ => EXIT_INCOMPLETE,
    }
}

/// Every principle set aside with `--disable-principle` must exist.
fn check_disabled(world: &crate::model::World, ids: &[String], diags: &mut Diagnostics) {
    for id in ids {
        if world.principle(id).is_none() {
            let mut d = crate::diag::Diagnostic::file(
                "unknown-principle",
                "--disable-principle",
                format!("unknown principle `{id}`"),
            )
            .expected("a principle id (see `locatieadvies explain --list`)");
            d = d.suggest(id, world.principles.iter().map(|p| p.id.as_str()));
            diags.push(d);
        }
    }
}

/// The engine's options from the command line.
fn run_options(args: &Args) -> RunOptions {
    RunOptions {
        disable: args.disable.clone(),
        robustness: RobustnessOverrides {
            off: args.no_robustness,
            samples: args.samples.map(|x| x as usize),
            seed: args.seed,
            simplex: args.weight_sampling.as_deref().map(|x| x == "simplex"),
            weight_band: args.weight_band,
            estimate_band: args.estimate_band,
        },
    }
}

/// The advice as JSON, or rendered with the letter's or the text's template in the reader's
/// language; a template error is exit code 2.
fn render_advice(
    args: &Args,
    opts: &SourceOptions,
    advice: &advice::model::Advice,
) -> Result<String, u8> {
    let lang = if args.lang == "en" {
        Lang::En
    } else {
        Lang::Nl
    };
    Ok(match args.format {
        Format::Json => advice::model::json(advice),
        Format::Text | Format::Markdown => {
            let top = if args.all { usize::MAX } else { args.top };
            let view = LetterView::new(advice, lang, top);
            let name = match (args.format, lang) {
                (Format::Markdown, Lang::Nl) => "advice/letter.nl.md",
                (Format::Markdown, Lang::En) => "advice/letter.en.md",
                (_, Lang::Nl) => "advice/text.nl.txt",
                (_, Lang::En) => "advice/text.en.txt",
            };
            super::render(
                opts,
                name,
                &serde_json::json!({ "v": view, "lang": view.lang }),
            )?
        }
    })
}

/// A progress bar for the robustness samples on stderr, hidden when stderr is not a terminal.
fn progress_bar(samples: u64, off: bool) -> indicatif::ProgressBar {
    use std::io::IsTerminal;
    if off || !std::io::stderr().is_terminal() {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(samples);
    bar.set_style(
        indicatif::ProgressStyle::with_template("robustness {bar:30} {pos}/{len} samples ({eta})")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    bar
}
