//! What a user of a command-line tool expects around it: `completions SHELL` (shell completion
//! scripts), `manpage` (the roff man page) and the long `--version` naming the versions of the
//! rules and data the binary carries. All generated from the clap definitions in `cli/mod.rs`.

use std::fmt::Write as _;

use clap::CommandFactory;

use super::{Cli, EXIT_FAILURE, out};
use crate::config::{SourceOptions, Sources};
use crate::diag::Diagnostics;

/// Arguments of `completions`.
#[derive(Debug, clap::Args)]
pub struct CompletionArgs {
    /// The shell to write the completion script for.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

/// Writes the completion script for a shell on stdout.
pub fn completions(args: &CompletionArgs) -> u8 {
    let mut cmd = Cli::command();
    let mut buf = Vec::new();
    clap_complete::generate(args.shell, &mut cmd, "locatieadvies", &mut buf);
    match String::from_utf8(buf) {
        Ok(text) => out(&text),
        Err(e) => {
            eprintln!("error: the completion script is not UTF-8: {e}");
            EXIT_FAILURE
        }
    }
}

/// Writes the man page (roff) on stdout.
pub fn manpage() -> u8 {
    let cmd = Cli::command();
    let mut buf = Vec::new();
    if let Err(e) = clap_mangen::Man::new(cmd).render(&mut buf) {
        eprintln!("error: cannot render the man page: {e}");
        return EXIT_FAILURE;
    }
    out(&String::from_utf8_lossy(&buf))
}

/// The long `--version`: the program's version, then per shipped directory (the embedded
/// `rules/`, `profiles/` and `baseline/`, or the directories given with `--rules`, ...) the
/// SHA-256 prefix of its files, which an advice records as its input digest, and the vintage of
/// the data: the reference date of the gemeente figures and the last year with a published
/// national total.
pub fn long_version(opts: &SourceOptions) -> String {
    let mut diags = Diagnostics::default();
    let (sources, world) = super::load_sources(opts, &mut diags);
    let mut text = format!("{}\n", env!("CARGO_PKG_VERSION"));
    for (root, given) in [
        ("rules", &opts.rules),
        ("profiles", &opts.profiles),
        ("baseline", &opts.baseline),
    ] {
        let part = Sources {
            files: sources.under(&format!("{root}/")).cloned().collect(),
        };
        let from = given
            .as_ref()
            .map_or("embedded".to_string(), |d| d.display().to_string());
        let _ = writeln!(
            text,
            "{root:<9} {} files, sha256 {} ({from})",
            part.files.len(),
            &part.digest()[..12]
        );
    }
    match world {
        Some(w) if diags.is_empty() => {
            if let Some(f) = w.gemeente_provenance.get("population") {
                let _ = writeln!(
                    text,
                    "data      gemeente population {} ({})",
                    f.reference_date, f.source
                );
            }
            if let Some(y) = w.published.total_years().last() {
                let _ = writeln!(
                    text,
                    "data      published national total up to 1 January {y}"
                );
            }
        }
        _ => text.push_str("data      the rules or profiles do not load (run `validate`)\n"),
    }
    text.trim_end().to_string()
}
