//! `advise <case.toml>`: rank candidate locations for a case and render the advice.

use std::path::PathBuf;

use super::{EXIT_INCOMPLETE, EXIT_INVALID, Format, out, world_or_report};
use crate::config::{SourceOptions, load_case};
use crate::diag::Diagnostics;
use crate::engine::{Engine, RunOptions};
use crate::report::{self, Lang};

/// Arguments of `advise`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The case file (TOML).
    pub case: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Language of the Markdown advice: `nl` (default) or `en`.
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
}

/// Runs `advise`.
pub fn run(args: &Args, opts: &SourceOptions) -> u8 {
    let world = match world_or_report(opts) {
        Ok(w) => w,
        Err(code) => return code,
    };
    let mut diags = Diagnostics::default();
    for id in &args.disable {
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
    let case = load_case(&args.case, &world, &mut diags);
    let case = match case {
        Some(c) if diags.is_empty() => c,
        _ => {
            eprint!("{}", diags.render());
            return EXIT_INVALID;
        }
    };
    let engine = Engine::new(world);
    let advice = engine.advise(
        &case,
        &RunOptions {
            disable: args.disable.clone(),
        },
    );
    let lang = if args.lang == "en" {
        Lang::En
    } else {
        Lang::Nl
    };
    let text = match args.format {
        Format::Json => report::json(&advice),
        Format::Text => report::text::render(&advice, (!args.all).then_some(args.top)),
        Format::Markdown => {
            report::markdown::render(&advice, lang, if args.all { usize::MAX } else { args.top })
        }
    };
    let code = out(&text);
    if code != 0 {
        return code;
    }
    if advice.complete { 0 } else { EXIT_INCOMPLETE }
}
