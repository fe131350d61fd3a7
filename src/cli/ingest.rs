//! `ingest <deliveries...>`: validate the ministries' delivery files and aggregate them to a
//! baseline per province, COROP, gemeente, sector and ministry.

use std::path::PathBuf;

use serde_json::json;

use super::{EXIT_INVALID, PlainFormat, out, world_or_report};
use crate::config::SourceOptions;
use crate::diag::Diagnostics;
use crate::spreading::baseline::{
    Level, aggregate,
    ingest::{Expect, ingest},
    randstad_share, theil,
};

/// Arguments of `ingest`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Delivery CSV files (see the format in `locatieadvies ingest --help` and the README).
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// The year asked for: every row's reference date must be 1 January of it.
    #[arg(long, value_name = "YEAR", value_parser = clap::value_parser!(i32).range(1900..=2200))]
    pub year: i32,
    /// Accept rows above 10,000 FTE (one unit in one gemeente); without it such a row is an
    /// error, as it is more often a typing error than a real unit.
    #[arg(long)]
    pub accept_outliers: bool,
    /// Levels to aggregate to (repeatable); default province, sector and ministry.
    #[arg(long, value_parser = ["province", "corop", "gemeente", "sector", "ministry"])]
    pub level: Vec<String>,
    #[arg(long, value_enum, default_value_t = PlainFormat::Text)]
    pub format: PlainFormat,
    /// Keep the validated delivery in the register (per ministry and year; a new delivery of the
    /// same ministry and year replaces the old one).
    #[arg(long)]
    pub store: bool,
    /// The register file (SQLite) for `--store`; default as for `case`.
    #[arg(long, value_name = "PATH", requires = "store")]
    pub db: Option<PathBuf>,
}

/// Runs `ingest`.
pub fn run(args: &Args, opts: &SourceOptions) -> u8 {
    let world = match world_or_report(opts) {
        Ok(w) => w,
        Err(c) => return c,
    };
    let mut diags = Diagnostics::default();
    let paths: Vec<&std::path::Path> = args.files.iter().map(PathBuf::as_path).collect();
    let expect = Expect::year(args.year, args.accept_outliers);
    let Some(b) = ingest(&paths, &world, expect, &mut diags) else {
        eprint!("{}", diags.render());
        return EXIT_INVALID;
    };
    if args.store
        && let Err(code) = store(args, &b)
    {
        return code;
    }
    let levels = levels(args);
    // The delivery in brief, for the JSON and the text alike.
    let mut d = json!({
        "reference_date": b.reference_date,
        "year": b.year,
        "rows": b.rows.len(),
        "total_fte": b.total(),
        "randstad_share": randstad_share(&world, &b.rows),
        "theil": theil(&world, &b.rows),
        "origin": b.origin,
    });
    match args.format {
        PlainFormat::Json => {
            let tables: serde_json::Map<String, serde_json::Value> = levels
                .iter()
                .map(|l| (l.name().to_string(), json!(aggregate(&world, &b.rows, *l))))
                .collect();
            d["aggregates"] = json!(tables);
            out(&(serde_json::to_string_pretty(&d).expect("serialises") + "\n"))
        }
        PlainFormat::Text => {
            let tables: Vec<_> = levels
                .iter()
                .map(|l| {
                    let rows: Vec<(String, f64)> =
                        aggregate(&world, &b.rows, *l).into_iter().collect();
                    json!({
                        "name": l.name(),
                        "rows": rows,
                        "all": matches!(l, Level::Province | Level::Sector),
                    })
                })
                .collect();
            let ctx = json!({ "d": d, "levels": tables, "lang": "en" });
            match super::render(opts, "ingest/summary.en.txt", &ctx) {
                Ok(text) => out(&text),
                Err(code) => code,
            }
        }
    }
}

/// The levels asked for, in their own order; by default province, sector and ministry.
fn levels(args: &Args) -> Vec<Level> {
    if args.level.is_empty() {
        vec![Level::Province, Level::Sector, Level::Ministry]
    } else {
        Level::ALL
            .into_iter()
            .filter(|l| args.level.iter().any(|x| x == l.name()))
            .collect()
    }
}

/// Keeps the validated delivery in the register and says so on stderr.
fn store(args: &Args, b: &crate::spreading::baseline::Baseline) -> Result<(), u8> {
    use crate::register::{Register, default_path, today};
    let path = args.db.clone().unwrap_or_else(default_path);
    let files: Vec<String> = args.files.iter().map(|f| f.display().to_string()).collect();
    let stored = Register::open(&path)
        .and_then(|mut r| r.store_delivery(b.year, &b.rows, &files.join(", "), today()));
    match stored {
        Ok(ministries) => {
            eprintln!(
                "stored the delivery of {} for {} in {}",
                b.year,
                ministries.join(", "),
                path.display()
            );
            Ok(())
        }
        Err(e) => {
            eprintln!("error: {e}");
            Err(super::EXIT_FAILURE)
        }
    }
}
