//! `generate-profiles`: regenerate `profiles/` from the source data in `data/`, or check that
//! the committed files are up to date.

use std::path::PathBuf;

use super::{EXIT_FAILURE, EXIT_INVALID};
use crate::generate;

/// Arguments of `generate-profiles`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Directory with the source CSV files.
    #[arg(long, default_value = "data")]
    pub data: PathBuf,
    /// Directory to write the profiles to.
    #[arg(long, default_value = "profiles")]
    pub out: PathBuf,
    /// Only check that the files in --out are up to date (exit code 1 when not).
    #[arg(long)]
    pub check: bool,
}

/// Runs `generate-profiles`.
pub fn run(args: &Args) -> u8 {
    let files = match generate::generate(&args.data) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("error: {e}");
            return EXIT_INVALID;
        }
    };
    if args.check {
        let stale: Vec<&String> = files
            .iter()
            .filter(|(rel, text)| {
                std::fs::read_to_string(args.out.join(rel)).ok().as_deref() != Some(text.as_str())
            })
            .map(|(rel, _)| rel)
            .collect();
        for s in &stale {
            eprintln!("out of date: {}", args.out.join(s).display());
        }
        return u8::from(!stale.is_empty());
    }
    match generate::write(&files, &args.out) {
        Ok(paths) => {
            for p in paths {
                println!("wrote {p}");
            }
            0
        }
        Err(e) => {
            eprintln!("error: cannot write profiles: {e}");
            EXIT_FAILURE
        }
    }
}
