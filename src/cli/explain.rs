//! `explain [ID]` and `explain --list`: the documentation of principles, criteria and the
//! attributes that predicates may use, in text or JSON.

use std::fmt::Write as _;

use super::{EXIT_INVALID, PlainFormat, out, world_or_report};
use crate::config::SourceOptions;
use crate::rules::docs::{Entry, entries};

/// Arguments of `explain`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// A principle id, criterion id or attribute name.
    pub id: Option<String>,
    /// List every principle, criterion and attribute.
    #[arg(long)]
    pub list: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t = PlainFormat::Text)]
    pub format: PlainFormat,
}

/// Runs `explain`.
pub fn run(args: &Args, opts: &SourceOptions) -> u8 {
    let world = match world_or_report(opts) {
        Ok(w) => w,
        Err(c) => return c,
    };
    let all = entries(&world);
    let chosen: Vec<&Entry> = match (&args.id, args.list) {
        (Some(id), _) => match all.iter().find(|e| &e.id == id) {
            Some(e) => vec![e],
            None => {
                let mut msg = format!("error[unknown-id]: nothing is called `{id}`\n");
                if let Some(s) = crate::diag::did_you_mean(id, all.iter().map(|e| e.id.as_str())) {
                    let _ = writeln!(msg, "  = help: did you mean `{s}`?");
                }
                msg.push_str("  = help: `locatieadvies explain --list` lists every id\n");
                eprint!("{msg}");
                return EXIT_INVALID;
            }
        },
        (None, _) => all.iter().collect(),
    };
    let text = match (args.format, args.id.is_some()) {
        (PlainFormat::Json, true) => {
            serde_json::to_string_pretty(chosen[0]).expect("serialises") + "\n"
        }
        (PlainFormat::Json, false) => {
            serde_json::to_string_pretty(&chosen).expect("serialises") + "\n"
        }
        (PlainFormat::Text, true) => {
            let ctx = serde_json::json!({ "e": chosen[0], "lang": "en" });
            match super::render(opts, "explain/entry.en.txt", &ctx) {
                Ok(t) => t,
                Err(code) => return code,
            }
        }
        (PlainFormat::Text, false) => {
            let ctx = serde_json::json!({ "entries": chosen, "lang": "en" });
            match super::render(opts, "explain/list.en.txt", &ctx) {
                Ok(t) => t,
                Err(code) => return code,
            }
        }
    };
    out(&text)
}
