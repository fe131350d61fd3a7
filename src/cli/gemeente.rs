//! `gemeente <name or code>`: look up a gemeente by its CBS code, its name or a name in common
//! use, and print its profile with the source of every figure.

use super::{EXIT_INVALID, PlainFormat, out, world_or_report};
use crate::advice::Engine;
use crate::advice::gemeente;
use crate::config::SourceOptions;

/// Arguments of `gemeente`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// A CBS gemeente code (`GM0014`), a name (`Groningen`) or a name in common use (`Den Haag`).
    pub query: String,
    #[arg(long, value_enum, default_value_t = PlainFormat::Text)]
    pub format: PlainFormat,
}

/// Runs `gemeente`.
pub fn run(args: &Args, opts: &SourceOptions) -> u8 {
    let world = match world_or_report(opts) {
        Ok(w) => w,
        Err(c) => return c,
    };
    let found = world.find_gemeenten(&args.query);
    if found.is_empty() {
        let hint = world
            .similar_gemeente(&args.query)
            .map(|i| {
                let g = &world.gemeenten[i];
                format!("\n  help: did you mean `{}` ({})?", g.name, g.code)
            })
            .unwrap_or_default();
        eprintln!(
            "error: no gemeente `{}`\n  expected: a CBS gemeente code (`GM0014`), a gemeente name (`Groningen`) or a name in common use (`Den Haag`){hint}",
            args.query
        );
        return EXIT_INVALID;
    }
    if found.len() > 1 {
        let list: Vec<String> = found
            .iter()
            .map(|&i| format!("\n  - {}", world.gemeente_label(i)))
            .collect();
        eprintln!(
            "error: `{}` names {} gemeenten:{}\n  expected: one of their codes (or the full name with the province suffix)",
            args.query,
            found.len(),
            list.concat()
        );
        return EXIT_INVALID;
    }
    let engine = Engine::new(world);
    let profiles: Vec<gemeente::GemeenteProfile> =
        found.iter().map(|&i| engine.profile(i)).collect();
    match args.format {
        PlainFormat::Json => {
            out(&(serde_json::to_string_pretty(&profiles).expect("serialises") + "\n"))
        }
        PlainFormat::Text => match super::render(
            opts,
            "gemeente/profile.en.txt",
            &serde_json::json!({ "profiles": profiles, "lang": "en" }),
        ) {
            Ok(text) => out(&text),
            Err(code) => code,
        },
    }
}
