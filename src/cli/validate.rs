//! `validate [FILES or DIRS]`: check the profiles, the rules and case files, and print every
//! problem with file, line and column.

use std::path::PathBuf;

use super::{EXIT_INVALID, PlainFormat, out};
use crate::config::{SourceOptions, load_case};
use crate::diag::Diagnostics;

/// Arguments of `validate`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Case files, or directories whose `.toml` files are cases.
    pub cases: Vec<PathBuf>,
    /// Output format of the problem list.
    #[arg(long, value_enum, default_value_t = PlainFormat::Text)]
    pub format: PlainFormat,
}

/// Runs `validate`.
pub fn run(args: &Args, opts: &SourceOptions) -> u8 {
    let mut diags = Diagnostics::default();
    let (sources, world) = super::load_sources(opts, &mut diags);
    let files = case_files(&args.cases);
    let mut checked = 0;
    if let Some(w) = &world {
        for f in &files {
            load_case(f, w, &mut diags);
            checked += 1;
        }
    } else if !files.is_empty() {
        eprintln!(
            "note: the case files were not checked because the profiles or rules have problems"
        );
    }
    let problems = match diags.0.len() {
        0 => "no problems".to_string(),
        n => format!("{} problem(s)", crate::limits::count(n)),
    };
    let summary = format!(
        "checked {} profile and rule files and {checked} case file(s): {problems}\n",
        sources.files.len()
    );
    let coverage = world.as_ref().map(coverage);
    let summary = match (&coverage, diags.is_empty()) {
        (Some(c), true) => format!(
            "{summary}gemeenten: {}, each with a CBS population and a location point ({} main place, {} polygon centroid); {} with a WOZ value\nrail: {} stations, {} measured journeys\n",
            c["gemeenten"],
            c["point_from_main_place"],
            c["point_from_centroid"],
            c["with_woz"],
            c["stations"],
            c["measured_journeys"]
        ),
        _ => summary,
    };
    match args.format {
        PlainFormat::Json => {
            let mut s = serde_json::to_string_pretty(&serde_json::json!({
                "ok": diags.is_empty(),
                "problems": diags.0,
                "coverage": coverage,
            }))
            .expect("diagnostics serialise");
            s.push('\n');
            out(&s);
        }
        PlainFormat::Text => {
            if diags.is_empty() {
                out(&summary);
            } else {
                eprint!("{}", diags.render());
            }
        }
    }
    if diags.is_empty() { 0 } else { EXIT_INVALID }
}

/// The case files named, a folder standing for its `.toml` files in name order.
fn case_files(given: &[PathBuf]) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for p in given {
        if p.is_dir() {
            let mut found: Vec<PathBuf> = std::fs::read_dir(p)
                .map(|rd| {
                    rd.flatten()
                        .map(|e| e.path())
                        .filter(|x| x.extension().is_some_and(|e| e == "toml"))
                        .collect()
                })
                .unwrap_or_default();
            found.sort();
            files.extend(found);
        } else {
            files.push(p.clone());
        }
    }
    files
}

/// What the world covers: every gemeente has a population and a location point by
/// construction (both are required), so this says how many and where the points come from.
fn coverage(w: &crate::model::World) -> serde_json::Value {
    let centroid = w
        .gemeenten
        .iter()
        .filter(|g| g.point_source == crate::model::PointSource::Centroid)
        .count();
    let with_woz = w.gemeenten.iter().filter(|g| g.woz.is_some()).count();
    serde_json::json!({
        "gemeenten": w.gemeenten.len(),
        "with_population": w.gemeenten.len(),
        "with_point": w.gemeenten.len(),
        "point_from_main_place": w.gemeenten.len() - centroid,
        "point_from_centroid": centroid,
        "with_woz": with_woz,
        "stations": w.rail.stations.len(),
        "measured_journeys": w.rail.measured.len(),
    })
}
