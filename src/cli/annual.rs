//! `report --year Y`: the annual state of spreading, from deliveries or the model estimate.

use std::path::{Path, PathBuf};

use super::{EXIT_FAILURE, EXIT_INVALID, out, world_or_report};
use crate::advice::robustness::RobustnessOverrides;
use crate::advice::{Engine, RunOptions};
use crate::config::{SourceOptions, load_case};
use crate::diag::{Diagnostic, Diagnostics};
use crate::model::World;
use crate::spreading::annual::{self, CaseLine};
use crate::spreading::baseline::fit::{Fitted, fit};
use crate::spreading::baseline::ingest::{Expect, ingest};
use crate::spreading::baseline::{Baseline, estimate};

/// Output format of `report`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ReportFormat {
    Text,
    Json,
    Csv,
    Markdown,
    Html,
}

/// Arguments of `report`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The year (1 January) to report on.
    #[arg(long)]
    pub year: i32,
    /// Deliveries for the year (default: the model estimate from the published total).
    #[arg(long)]
    pub deliveries: Vec<PathBuf>,
    /// Deliveries for the year before (default: the model estimate).
    #[arg(long)]
    pub previous_deliveries: Vec<PathBuf>,
    /// Accept delivery rows above 10,000 FTE (one unit in one gemeente); without it such a row
    /// is an error, as it is more often a typing error than a real unit.
    #[arg(long)]
    pub accept_outliers: bool,
    /// A folder of the case files worked on in the year, listed with their advice.
    #[arg(long, conflicts_with = "db")]
    pub cases: Option<PathBuf>,
    /// Take the cases worked on in the year (received, advised or decided in it) from this
    /// register of cases, with their last stored advice and the decision.
    #[arg(long, value_name = "PATH")]
    pub db: Option<PathBuf>,
    #[arg(long, value_enum, default_value_t = ReportFormat::Text)]
    pub format: ReportFormat,
    /// Write to this file instead of stdout.
    #[arg(long, short)]
    pub output: Option<PathBuf>,
}

/// Runs `report`.
pub fn run(args: &Args, opts: &SourceOptions) -> u8 {
    let world = match world_or_report(opts) {
        Ok(w) => w,
        Err(c) => return c,
    };
    let mut diags = Diagnostics::default();
    let fitted = match fitted(args, &world) {
        Ok(f) => f,
        Err(code) => return code,
    };
    let cur = baseline(
        &world,
        fitted.as_ref(),
        &args.deliveries,
        Expect::year(args.year, args.accept_outliers),
        &mut diags,
    );
    // The year before: its deliveries, else the model estimate when a national total of that year
    // is published; without either the year is the first with data and has no comparison.
    let first_year = args.previous_deliveries.is_empty()
        && world.published.total(args.year - 1).is_none()
        && world.published.total(args.year).is_some();
    let prev = if first_year {
        None
    } else {
        baseline(
            &world,
            fitted.as_ref(),
            &args.previous_deliveries,
            Expect::year(args.year - 1, args.accept_outliers),
            &mut diags,
        )
    };
    let cases = match cases(args, &world, &mut diags) {
        Ok(c) => c,
        Err(code) => return code,
    };
    let Some(cur) = cur else {
        eprint!("{}", diags.render());
        return EXIT_INVALID;
    };
    if (prev.is_none() && !first_year) || !diags.is_empty() {
        eprint!("{}", diags.render());
        return EXIT_INVALID;
    }
    let mut r = annual::build(&world, prev.as_ref(), &cur, fitted.as_ref(), cases);
    if let Some(db) = &args.db {
        match delivery_status(db, args.year, &world) {
            Ok(status) => r.deliveries = Some(status),
            Err(code) => return code,
        }
    }
    match render_report(args, opts, &r) {
        Ok(text) => write(args.output.as_deref(), text),
        Err(code) => code,
    }
}

/// The report in the format asked for: through its template, or as CSV or JSON.
fn render_report(
    args: &Args,
    opts: &SourceOptions,
    r: &annual::AnnualReport,
) -> Result<String, u8> {
    let template = match args.format {
        ReportFormat::Text => Some("report/annual.en.txt"),
        ReportFormat::Markdown => Some("report/annual.nl.md"),
        ReportFormat::Html => Some("report/annual.nl.html"),
        ReportFormat::Json | ReportFormat::Csv => None,
    };
    Ok(match (template, args.format) {
        (Some(name), _) => super::render(opts, name, &annual::ReportView::new(r))?,
        (None, ReportFormat::Csv) => annual::csv(r),
        (None, _) => serde_json::to_string_pretty(r).expect("serialises") + "\n",
    })
}

/// The text to stdout, or to the file `--output` names.
fn write(output: Option<&Path>, text: String) -> u8 {
    match output {
        None => out(&text),
        Some(p) => match std::fs::write(p, text) {
            Ok(()) => 0,
            Err(e) => {
                eprintln!("error: cannot write `{}`: {e}", p.display());
                EXIT_FAILURE
            }
        },
    }
}

/// A year's baseline: its deliveries when given (for that year), else the fitted estimate.
fn baseline(
    world: &World,
    fitted: Option<&Fitted>,
    files: &[PathBuf],
    expect: Expect,
    diags: &mut Diagnostics,
) -> Option<Baseline> {
    let year = expect.year.expect("a report asks for its year");
    if files.is_empty() {
        let f = fitted.expect("fitted when deliveries are missing");
        return match estimate(world, f, year) {
            Ok(b) => Some(b),
            Err(e) => {
                diags.push(
                    Diagnostic::file("no-baseline", "--year", e)
                        .help("give the year's deliveries with --deliveries"),
                );
                None
            }
        };
    }
    let paths: Vec<&std::path::Path> = files.iter().map(PathBuf::as_path).collect();
    ingest(&paths, world, expect, diags)
}

/// The case files in `dir`, each with the first location of its advice.
fn case_lines(world: &World, dir: &Path, diags: &mut Diagnostics) -> Vec<CaseLine> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.flatten()
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|x| x == "toml"))
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    if files.is_empty() {
        diags.push(
            Diagnostic::file(
                "unreadable-file",
                &dir.display().to_string(),
                "no case files found",
            )
            .expected("a folder with case files (.toml)"),
        );
    }
    let engine = Engine::new(world.clone());
    let run = RunOptions {
        robustness: RobustnessOverrides {
            off: true,
            ..Default::default()
        },
        ..Default::default()
    };
    let mut cases = Vec::new();
    for f in files {
        if let Some(c) = load_case(&f, world, diags) {
            let a = engine.advise(&c, &run);
            cases.push(CaseLine {
                id: c.id.clone(),
                title: c.title.clone(),
                kind: c.kind.as_str().into(),
                fte: c.fte,
                first: a
                    .ranking
                    .first()
                    .map(|r| format!("{} ({})", r.name, r.location)),
                register: None,
            });
        }
    }
    cases
}

/// The model baseline, fitted to the published figures, when a year lacks deliveries.
fn fitted(args: &Args, world: &World) -> Result<Option<Fitted>, u8> {
    if !args.deliveries.is_empty() && !args.previous_deliveries.is_empty() {
        return Ok(None);
    }
    fit(world).map(Some).map_err(|e| {
        eprintln!("error: {e}");
        EXIT_FAILURE
    })
}

/// The cases of the year: from a folder of case files (`--cases`), from the register (`--db`),
/// or none. A register that cannot be read is exit 3.
fn cases(args: &Args, world: &World, diags: &mut Diagnostics) -> Result<Vec<CaseLine>, u8> {
    match (&args.cases, &args.db) {
        (Some(dir), _) => Ok(case_lines(world, dir, diags)),
        (None, Some(db)) => register_lines(db, args.year).map_err(|e| super::register::fail(&e)),
        (None, None) => Ok(Vec::new()),
    }
}

/// The cases of the register worked on in `year`.
fn register_lines(
    db: &std::path::Path,
    year: i32,
) -> Result<Vec<CaseLine>, crate::register::RegisterError> {
    let register = crate::register::Register::open_existing(db)?;
    annual::register_lines(&register, year)
}

/// Which ministries of `world` have a delivery for `year` in the register, and which not; a
/// register that cannot be read is printed on stderr (its exit code in `Err`).
fn delivery_status(db: &Path, year: i32, world: &World) -> Result<annual::DeliveryStatus, u8> {
    crate::register::Register::open_existing(db)
        .and_then(|r| annual::delivery_status(&r, year, world))
        .map_err(|e| super::register::fail(&e))
}
