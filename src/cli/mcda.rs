//! `mcda`: the analyst's general multi-criteria tools on a plain decision matrix (CSV):
//! `mcda rank` (weighted sum, TOPSIS, PROMETHEE II), `mcda weights` (entropy, CRITIC) and
//! `mcda ahp` (weights and consistency ratio from a pairwise comparison matrix).
//!
//! Matrix CSV: a header row whose first cell names the alternatives column and whose other cells
//! name the criteria; then one row per alternative. Ties are broken by input order and reported.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use toml::Spanned;

use super::{EXIT_INVALID, PlainFormat, out};
use crate::config::{SourceFile, SourceOptions, read_text};
use crate::diag::{Diagnostic, Diagnostics};
use crate::limits::{
    AHP_MAX, MATRIX_MAX, PROMETHEE_MAX_ROWS, WEIGHT_MAX, count, number as number_text,
};
use crate::mcda::ahp::{AhpMethod, RandomIndex, ahp};
use crate::mcda::promethee::{Preference, promethee_ii};
use crate::mcda::topsis::{TopsisNormalisation, topsis};
use crate::mcda::weights::{critic, entropy};
use crate::mcda::wsm::{Normalisation, wsm};
use crate::mcda::{Direction, rank};

/// Arguments of `mcda`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    pub command: McdaCommand,
}

/// The `mcda` subcommands.
#[derive(Debug, clap::Subcommand)]
pub enum McdaCommand {
    /// Rank the alternatives of a decision matrix.
    Rank(RankArgs),
    /// Objective weights from a decision matrix.
    Weights(WeightsArgs),
    /// Weights and consistency ratio from a pairwise comparison matrix (CSV).
    Ahp(AhpArgs),
}

/// Arguments of `mcda rank`.
#[derive(Debug, clap::Args)]
pub struct RankArgs {
    /// Decision matrix (CSV): alternatives by criteria.
    pub matrix: PathBuf,
    /// Model file (TOML): method, normalisation, and per criterion direction, weight and
    /// preference function. Command-line options override it.
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// `wsm`, `topsis` or `promethee`.
    #[arg(long, value_parser = ["wsm", "topsis", "promethee"])]
    pub method: Option<String>,
    /// Normalisation: `minmax`, `vector`, `sum` or `max` for wsm; `vector` or `minmax` for topsis.
    #[arg(long)]
    pub normalisation: Option<String>,
    /// Weights, comma-separated, one per criterion (normalised to sum 1).
    #[arg(long, value_delimiter = ',')]
    pub weights: Option<Vec<f64>>,
    /// Derive the weights from the matrix: `entropy` or `critic`.
    #[arg(long, value_parser = ["entropy", "critic"], conflicts_with = "weights")]
    pub weights_from: Option<String>,
    /// Directions, comma-separated: `max` or `min` per criterion (default: all max).
    #[arg(long, value_delimiter = ',')]
    pub directions: Option<Vec<String>>,
    /// PROMETHEE preference function for every criterion without one in the model file:
    /// `usual`, `u-shape:q`, `v-shape:p`, `level:q:p`, `linear:q:p` or `gaussian:s`.
    #[arg(long)]
    pub preference: Option<String>,
    #[arg(long, value_enum, default_value_t = PlainFormat::Text)]
    pub format: PlainFormat,
}

/// Arguments of `mcda weights`.
#[derive(Debug, clap::Args)]
pub struct WeightsArgs {
    /// Decision matrix (CSV).
    pub matrix: PathBuf,
    /// `entropy` or `critic`.
    #[arg(long, value_parser = ["entropy", "critic"])]
    pub method: String,
    /// Directions for CRITIC, comma-separated (default: all max).
    #[arg(long, value_delimiter = ',')]
    pub directions: Option<Vec<String>>,
    #[arg(long, value_enum, default_value_t = PlainFormat::Text)]
    pub format: PlainFormat,
}

/// Arguments of `mcda ahp`.
#[derive(Debug, clap::Args)]
pub struct AhpArgs {
    /// Pairwise comparison matrix (CSV with names in the header and first column; entries may be
    /// fractions such as `1/3`).
    pub matrix: PathBuf,
    /// `eigenvector`, `approximate` (normalised column average) or `geometric`.
    #[arg(long, default_value = "eigenvector", value_parser = ["eigenvector", "approximate", "geometric"])]
    pub method: String,
    /// Random-index table for the consistency ratio: `saaty` or `tummala-ling`.
    #[arg(long, default_value = "saaty", value_parser = ["saaty", "tummala-ling"])]
    pub ri: String,
    #[arg(long, value_enum, default_value_t = PlainFormat::Text)]
    pub format: PlainFormat,
}

/// A decision matrix read from CSV.
struct Matrix {
    alternatives: Vec<String>,
    criteria: Vec<String>,
    rows: Vec<Vec<f64>>,
}

/// Whether a matrix value (or, with `fractions`, an AHP comparison) is within its documented
/// range ([`MATRIX_MAX`], [`AHP_MAX`]).
fn in_range(x: f64, fractions: bool) -> bool {
    if fractions {
        x.is_finite() && (1.0 / AHP_MAX..=AHP_MAX).contains(&x)
    } else {
        x.is_finite() && x.abs() <= MATRIX_MAX
    }
}

/// Parses a number or a fraction `a/b`.
fn number(s: &str, fractions: bool) -> Option<f64> {
    let s = s.trim();
    if fractions && let Some((a, b)) = s.split_once('/') {
        let (a, b) = (a.trim().parse::<f64>().ok()?, b.trim().parse::<f64>().ok()?);
        return (b != 0.0).then(|| a / b);
    }
    s.parse::<f64>().ok()
}

fn read_matrix(path: &Path, fractions: bool, diags: &mut Diagnostics) -> Option<Matrix> {
    let text = read_text(path, diags)?;
    let file = SourceFile {
        key: path.display().to_string(),
        display: path.display().to_string(),
        text,
    };
    parse_matrix(&file, fractions, diags)
}

/// A decision matrix (or, with `fractions`, an AHP comparison matrix) given as text.
fn parse_matrix(file: &SourceFile, fractions: bool, diags: &mut Diagnostics) -> Option<Matrix> {
    let file = file.clone();
    let mut rdr = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(file.text.as_bytes());
    let header = match rdr.headers() {
        Ok(h) => h.clone(),
        Err(e) => {
            diags.push(at(&file, 1, 1, "invalid-csv", e.to_string()));
            return None;
        }
    };
    let mut m = Matrix {
        alternatives: Vec::new(),
        criteria: matrix_criteria(&file, &header, diags)?,
        rows: Vec::new(),
    };
    read_rows(&file, &mut rdr, header.len(), fractions, &mut m, diags);
    if m.rows.is_empty() {
        diags.push(
            Diagnostic::file("invalid-csv", &file.display, "the matrix has no rows")
                .expected("one row per alternative"),
        );
    }
    Some(m)
}

/// The matrix's rows: each alternative once, every row as long as the header.
fn read_rows(
    file: &SourceFile,
    rdr: &mut csv::Reader<&[u8]>,
    columns: usize,
    fractions: bool,
    m: &mut Matrix,
    diags: &mut Diagnostics,
) {
    let mut names = BTreeSet::new();
    for rec in rdr.records() {
        let rec = match rec {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line() as usize);
                diags.push(at(file, line, 1, "invalid-csv", e.to_string()));
                continue;
            }
        };
        let line = rec.position().map_or(0, |p| p.line() as usize);
        if rec.len() != columns {
            diags.push(at(
                file,
                line,
                1,
                "invalid-csv",
                format!("{} fields, expected {columns}", rec.len()),
            ));
            continue;
        }
        let name = rec[0].trim().to_string();
        if !names.insert(name.clone()) {
            diags.push(at(
                file,
                line,
                1,
                "duplicate-id",
                format!("duplicate alternative `{name}`"),
            ));
        }
        let row = matrix_row(file, line, &rec, &m.criteria, fractions, diags);
        m.alternatives.push(name);
        m.rows.push(row);
    }
}

/// A problem at a line and column of a matrix file.
fn at(file: &SourceFile, line: usize, col: usize, code: &'static str, msg: String) -> Diagnostic {
    let mut d = Diagnostic::file(code, &file.display, msg);
    d.line = line;
    d.column = col;
    d
}

/// The criteria of the header (all columns but the first), each named once.
fn matrix_criteria(
    file: &SourceFile,
    header: &csv::StringRecord,
    diags: &mut Diagnostics,
) -> Option<Vec<String>> {
    if header.len() < 2 {
        diags.push(
            at(
                file,
                1,
                1,
                "invalid-csv",
                "the header has no criteria".into(),
            )
            .expected("`alternative,criterion 1,criterion 2,...`"),
        );
        return None;
    }
    let criteria: Vec<String> = header
        .iter()
        .skip(1)
        .map(|s| s.trim().to_string())
        .collect();
    let mut seen = BTreeSet::new();
    for c in &criteria {
        if !seen.insert(c.clone()) {
            diags.push(at(
                file,
                1,
                1,
                "duplicate-id",
                format!("duplicate criterion `{c}`"),
            ));
        }
    }
    Some(criteria)
}

/// One alternative's values; a cell that is not a finite number is a problem at its column.
fn matrix_row(
    file: &SourceFile,
    line: usize,
    rec: &csv::StringRecord,
    criteria: &[String],
    fractions: bool,
    diags: &mut Diagnostics,
) -> Vec<f64> {
    let mut row = Vec::new();
    for (j, cell) in rec.iter().enumerate().skip(1) {
        let column = rec
            .iter()
            .take(j)
            .map(|c| c.chars().count() + 1)
            .sum::<usize>()
            + 1;
        let what = format!("`{}` in column `{}`", cell.trim(), criteria[j - 1]);
        match number(cell, fractions) {
            Some(x) if in_range(x, fractions) => row.push(x),
            Some(x) if x.is_finite() => {
                diags.push(out_of_range(file, line, column, &what, fractions));
                row.push(0.0);
            }
            _ => {
                let msg = format!("{what} is not a finite number");
                diags.push(
                    at(file, line, column, "wrong-type", msg).expected(if fractions {
                        "a number or a fraction such as `1/3`"
                    } else {
                        "a finite number"
                    }),
                );
            }
        }
    }
    row
}

/// A matrix value (or, with `fractions`, an AHP comparison) outside its documented range.
fn out_of_range(
    file: &SourceFile,
    line: usize,
    column: usize,
    what: &str,
    fractions: bool,
) -> Diagnostic {
    let (lo, hi, help) = if fractions {
        let max = count(AHP_MAX as usize);
        (format!("1/{max}"), max, "Saaty's scale runs from 1/9 to 9")
    } else {
        (
            number_text(-MATRIX_MAX),
            number_text(MATRIX_MAX),
            "rescale the column (thousands, millions) to keep its values in range",
        )
    };
    let msg = format!("{what} is out of range");
    at(file, line, column, "out-of-range", msg)
        .expected(format!("a number from {lo} to {hi}"))
        .help(help)
}

/// The model file of `mcda rank`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ModelFile {
    method: Option<Spanned<String>>,
    normalisation: Option<Spanned<String>>,
    weights_from: Option<Spanned<String>>,
    #[serde(default)]
    criterion: Vec<CriterionSpec>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CriterionSpec {
    name: Spanned<String>,
    direction: Option<Spanned<String>>,
    weight: Option<Spanned<f64>>,
    preference: Option<Spanned<crate::config::PreferenceRaw>>,
}

fn parse_preference(s: &str) -> Result<Preference, String> {
    let parts: Vec<&str> = s.split(':').collect();
    let nums: Result<Vec<f64>, _> = parts[1..].iter().map(|x| x.parse::<f64>()).collect();
    let nums = nums.map_err(|_| format!("`{s}`: thresholds must be numbers"))?;
    let p = match (parts[0], nums.as_slice()) {
        ("usual", []) => Preference::Usual,
        ("u-shape", [q]) => Preference::UShape { q: *q },
        ("v-shape", [p]) => Preference::VShape { p: *p },
        ("level", [q, p]) => Preference::Level { q: *q, p: *p },
        ("linear", [q, p]) => Preference::Linear { q: *q, p: *p },
        ("gaussian", [s]) => Preference::Gaussian { s: *s },
        _ => {
            return Err(format!(
                "`{s}` is not a preference function; expected usual, u-shape:q, v-shape:p, level:q:p, linear:q:p or gaussian:s"
            ));
        }
    };
    p.check().map_err(|e| e.to_string())
}

/// A criterion's weight in the output.
#[derive(Debug, Serialize)]
struct WeightOut {
    criterion: String,
    weight: f64,
}

/// A ranked alternative in the output.
#[derive(Debug, Serialize)]
struct RankedAlt {
    rank: usize,
    alternative: String,
    score: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    details: Option<serde_json::Value>,
}

#[derive(Debug, Serialize)]
struct RankOutput {
    method: String,
    settings: String,
    weights: Vec<WeightOut>,
    weights_origin: String,
    ranking: Vec<RankedAlt>,
    /// Groups of alternatives with equal scores, each in input order (the tie rule).
    ties: Vec<Vec<String>>,
    tie_rule: String,
}

fn report(diags: &Diagnostics) -> u8 {
    eprint!("{}", diags.render());
    EXIT_INVALID
}

fn fail(file: &Path, e: impl std::fmt::Display) -> u8 {
    let mut d = Diagnostics::default();
    d.push(Diagnostic::file(
        "invalid-input",
        &file.display().to_string(),
        e.to_string(),
    ));
    report(&d)
}

/// Runs `mcda`.
pub fn run(args: &Args, opts: &SourceOptions) -> u8 {
    match &args.command {
        McdaCommand::Rank(a) => run_rank(a, opts),
        McdaCommand::Weights(a) => run_weights(a, opts),
        McdaCommand::Ahp(a) => run_ahp(a, opts),
    }
}

fn directions(given: Option<&Vec<String>>, m: usize, diags: &mut Diagnostics) -> Vec<Direction> {
    match given {
        None => vec![Direction::Max; m],
        Some(v) => {
            if v.len() != m {
                diags.push(Diagnostic::file(
                    "invalid-input",
                    "--directions",
                    format!("{} directions for {m} criteria", v.len()),
                ));
            }
            v.iter()
                .map(|d| {
                    Direction::parse(d.trim()).unwrap_or_else(|| {
                        diags.push(
                            Diagnostic::file(
                                "invalid-input",
                                "--directions",
                                format!("unknown direction `{d}`"),
                            )
                            .expected("`max` or `min`"),
                        );
                        Direction::Max
                    })
                })
                .collect()
        }
    }
}

/// How `mcda rank` ranks: the model file's choices, overridden by the command line.
struct RankSettings {
    method: String,
    normalisation: Option<String>,
    weights_from: Option<String>,
    dirs: Vec<Direction>,
    weights: Option<Vec<f64>>,
    /// Per criterion, a PROMETHEE preference function from the model file.
    prefs: Vec<Option<Preference>>,
    /// The preference function of every other criterion (`--preference`).
    default_pref: Preference,
}

impl RankSettings {
    fn new(m: usize) -> RankSettings {
        RankSettings {
            method: "wsm".to_string(),
            normalisation: None,
            weights_from: None,
            dirs: vec![Direction::Max; m],
            weights: None,
            prefs: vec![None; m],
            default_pref: Preference::Usual,
        }
    }
}

fn run_rank(a: &RankArgs, opts: &SourceOptions) -> u8 {
    let mut diags = Diagnostics::default();
    let Some(matrix) = read_matrix(&a.matrix, false, &mut diags) else {
        return report(&diags);
    };
    if !diags.is_empty() {
        return report(&diags);
    }
    let mut settings = RankSettings::new(matrix.criteria.len());
    if let Some(path) = &a.config {
        read_model(path, &matrix, &mut settings, &mut diags);
        if !diags.is_empty() {
            return report(&diags);
        }
    }
    command_line(a, &mut settings, &mut diags);
    if !diags.is_empty() {
        return report(&diags);
    }
    let output = match rank_matrix(&matrix, &settings) {
        Ok(o) => o,
        Err(e) => return fail(&a.matrix, e),
    };
    match a.format {
        PlainFormat::Json => {
            out(&(serde_json::to_string_pretty(&output).expect("serialises") + "\n"))
        }
        PlainFormat::Text => text(opts, "mcda/rank.en.txt", &output),
    }
}

/// The model file (`--config`): method, normalisation, weights and per criterion its direction,
/// weight and preference function. Problems go to `diags`.
fn read_model(path: &Path, matrix: &Matrix, s: &mut RankSettings, diags: &mut Diagnostics) {
    let Some(text) = read_text(path, diags) else {
        return;
    };
    let file = SourceFile {
        key: path.display().to_string(),
        display: path.display().to_string(),
        text,
    };
    parse_model(&file, matrix, s, diags);
}

/// The model file given as text.
fn parse_model(file: &SourceFile, matrix: &Matrix, s: &mut RankSettings, diags: &mut Diagnostics) {
    let file = file.clone();
    let Some(model) = crate::config::parse_toml::<ModelFile>(&file, diags) else {
        return;
    };
    let mut ck = crate::config::Checker { diags };
    if let Some(x) = &model.method {
        s.method = ck
            .choice(
                &file,
                x,
                "method",
                &[
                    ("wsm", "wsm"),
                    ("topsis", "topsis"),
                    ("promethee", "promethee"),
                ],
            )
            .unwrap_or("wsm")
            .to_string();
    }
    s.normalisation = model.normalisation.as_ref().map(|x| x.get_ref().clone());
    s.weights_from = model.weights_from.as_ref().map(|x| x.get_ref().clone());
    if !model.criterion.is_empty() {
        model_criteria(&mut ck, &file, &model.criterion, matrix, s);
    }
}

/// The `[[criterion]]` tables of a model file: a weight for every criterion or none.
fn model_criteria(
    ck: &mut crate::config::Checker,
    file: &SourceFile,
    specs: &[CriterionSpec],
    matrix: &Matrix,
    s: &mut RankSettings,
) {
    let m = matrix.criteria.len();
    let known: BTreeSet<String> = matrix.criteria.iter().cloned().collect();
    let mut w = vec![0.0; m];
    let mut given = 0;
    for c in specs {
        if !ck.known("unknown-criterion", "criterion", file, &c.name, &known) {
            continue;
        }
        let j = matrix
            .criteria
            .iter()
            .position(|x| x == c.name.get_ref())
            .expect("known");
        if let Some(d) = &c.direction {
            s.dirs[j] = ck
                .choice(
                    file,
                    d,
                    "direction",
                    &[("max", Direction::Max), ("min", Direction::Min)],
                )
                .unwrap_or(Direction::Max);
        }
        if let Some(x) = &c.weight {
            ck.weight(file, x);
            w[j] = *x.get_ref();
            given += 1;
        }
        if let Some(p) = &c.preference {
            s.prefs[j] = crate::config::preference(ck, file, p);
        }
    }
    if given > 0 {
        if given < m {
            ck.diags.push(
                Diagnostic::file(
                    "missing-key",
                    &file.display,
                    format!("weights are given for {given} of {m} criteria"),
                )
                .expected("a weight for every criterion, or none"),
            );
        }
        s.weights = Some(w);
    }
}

/// The command line's options over the model file's: weights given replace weights derived.
fn command_line(a: &RankArgs, s: &mut RankSettings, diags: &mut Diagnostics) {
    if let Some(x) = &a.method {
        s.method = x.clone();
    }
    if a.normalisation.is_some() {
        s.normalisation = a.normalisation.clone();
    }
    if a.weights_from.is_some() {
        s.weights_from = a.weights_from.clone();
        s.weights = None;
    }
    if let Some(w) = &a.weights {
        if let Some((i, x)) = w
            .iter()
            .enumerate()
            .find(|(_, x)| !(x.is_finite() && (0.0..=WEIGHT_MAX).contains(*x)))
        {
            let why = if x.is_finite() && *x > 0.0 {
                "is too large"
            } else {
                "is negative or not finite"
            };
            diags.push(
                Diagnostic::file(
                    "invalid-weight",
                    "--weights",
                    format!("weight {} (`{}`) {why}", i + 1, number_text(*x)),
                )
                .expected(format!(
                    "finite weights from 0 to {} (weights are relative)",
                    count(WEIGHT_MAX as usize)
                )),
            );
        }
        s.weights = Some(w.clone());
        s.weights_from = None;
    }
    if a.directions.is_some() {
        s.dirs = directions(a.directions.as_ref(), s.dirs.len(), diags);
    }
    match a.preference.as_deref().map(parse_preference) {
        Some(Ok(p)) => s.default_pref = p,
        Some(Err(e)) => diags.push(Diagnostic::file("invalid-input", "--preference", e)),
        None => {}
    }
}

/// The weights (given, derived from the matrix or equal) normalised, and where they come from.
fn rank_weights(matrix: &Matrix, s: &RankSettings) -> Result<(Vec<f64>, String), String> {
    let m = matrix.criteria.len();
    let (w, origin) = match (&s.weights, s.weights_from.as_deref()) {
        (Some(w), _) => (w.clone(), "given".to_string()),
        (None, Some("entropy")) => (
            entropy(&matrix.rows).map_err(|e| e.to_string())?,
            "entropy".into(),
        ),
        (None, Some("critic")) => (
            critic(&matrix.rows, &s.dirs).map_err(|e| e.to_string())?,
            "CRITIC".into(),
        ),
        (None, Some(other)) => {
            return Err(format!(
                "unknown weights_from `{other}`; expected `entropy` or `critic`"
            ));
        }
        (None, None) => (vec![1.0; m], "equal".into()),
    };
    let w = crate::mcda::normalise_weights(&w, m).map_err(|e| e.to_string())?;
    Ok((w, origin))
}

/// A method's scores, a description of its settings and per alternative its details.
type Scored = (Vec<f64>, String, Vec<Option<serde_json::Value>>);

/// Ranks the matrix as the settings say; an error is a message about the matrix.
fn rank_matrix(matrix: &Matrix, s: &RankSettings) -> Result<RankOutput, String> {
    let (w, origin) = rank_weights(matrix, s)?;
    let (scores, settings, details) = match s.method.as_str() {
        "topsis" => score_topsis(matrix, &w, s)?,
        "promethee" => score_promethee(matrix, &w, s)?,
        _ => score_wsm(matrix, &w, s)?,
    };
    let r = rank(&scores, false);
    Ok(RankOutput {
        method: s.method.clone(),
        settings,
        weights: matrix
            .criteria
            .iter()
            .zip(&w)
            .map(|(c, w)| WeightOut {
                criterion: c.clone(),
                weight: *w,
            })
            .collect(),
        weights_origin: origin,
        ranking: r
            .order
            .iter()
            .map(|&i| RankedAlt {
                rank: r.ranks[i],
                alternative: matrix.alternatives[i].clone(),
                score: scores[i],
                details: details[i].clone(),
            })
            .collect(),
        ties: r
            .ties
            .iter()
            .map(|g| g.iter().map(|&i| matrix.alternatives[i].clone()).collect())
            .collect(),
        tie_rule: "equal scores (within 1e-12 relative) keep the input order".into(),
    })
}

fn score_topsis(matrix: &Matrix, w: &[f64], s: &RankSettings) -> Result<Scored, String> {
    let how = match s.normalisation.as_deref().unwrap_or("vector") {
        "vector" => TopsisNormalisation::Vector,
        "minmax" | "min-max" => TopsisNormalisation::MinMax,
        other => {
            return Err(format!(
                "TOPSIS normalisation `{other}` is not `vector` or `minmax`"
            ));
        }
    };
    let t = topsis(&matrix.rows, w, &s.dirs, how).map_err(|e| e.to_string())?;
    Ok((
        t.closeness.clone(),
        format!(
            "{} normalisation; score = relative closeness D- / (D+ + D-)",
            if how == TopsisNormalisation::Vector {
                "vector"
            } else {
                "min-max"
            }
        ),
        t.d_plus
            .iter()
            .zip(&t.d_minus)
            .map(|(p, q)| Some(serde_json::json!({"d_plus": p, "d_minus": q})))
            .collect(),
    ))
}

fn score_promethee(matrix: &Matrix, w: &[f64], s: &RankSettings) -> Result<Scored, String> {
    let p: Vec<Preference> = s
        .prefs
        .iter()
        .map(|p| p.unwrap_or(s.default_pref))
        .collect();
    if matrix.rows.len() > PROMETHEE_MAX_ROWS {
        return Err(format!(
            "PROMETHEE compares every pair of alternatives and this matrix has {} rows, more than \
             the {} it takes (the work grows with the square of the rows); rank it with \
             `--method topsis` or `--method wsm`, or split it",
            count(matrix.rows.len()),
            count(PROMETHEE_MAX_ROWS)
        ));
    }
    let f = promethee_ii(&matrix.rows, w, &s.dirs, &p).map_err(|e| e.to_string())?;
    Ok((
        f.net.clone(),
        format!(
            "PROMETHEE II net flow, flows divided by n - 1; preference functions: {}",
            p.iter()
                .zip(&matrix.criteria)
                .map(|(p, c)| format!("{c} {}", p.describe()))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        f.positive
            .iter()
            .zip(&f.negative)
            .map(|(p, q)| Some(serde_json::json!({"phi_plus": p, "phi_minus": q})))
            .collect(),
    ))
}

fn score_wsm(matrix: &Matrix, w: &[f64], s: &RankSettings) -> Result<Scored, String> {
    let Some(how) = s
        .normalisation
        .as_deref()
        .map_or(Some(Normalisation::MinMax), Normalisation::parse)
    else {
        return Err(format!(
            "normalisation `{}` is not `minmax`, `vector`, `sum` or `max`",
            s.normalisation.clone().unwrap_or_default()
        ));
    };
    let scores = wsm(&matrix.rows, w, &s.dirs, how).map_err(|e| e.to_string())?;
    Ok((
        scores,
        format!("weighted sum after {} normalisation", how.name()),
        vec![None; matrix.rows.len()],
    ))
}

/// `r` rendered with the template `name`.
fn text(opts: &SourceOptions, name: &str, r: &impl Serialize) -> u8 {
    match super::render(opts, name, &serde_json::json!({ "r": r, "lang": "en" })) {
        Ok(t) => out(&t),
        Err(code) => code,
    }
}

fn run_weights(a: &WeightsArgs, opts: &SourceOptions) -> u8 {
    let mut diags = Diagnostics::default();
    let Some(matrix) = read_matrix(&a.matrix, false, &mut diags) else {
        return report(&diags);
    };
    let dirs = directions(a.directions.as_ref(), matrix.criteria.len(), &mut diags);
    if !diags.is_empty() {
        return report(&diags);
    }
    let w = match a.method.as_str() {
        "entropy" => entropy(&matrix.rows),
        _ => critic(&matrix.rows, &dirs),
    };
    let w = match w {
        Ok(w) => w,
        Err(e) => return fail(&a.matrix, e),
    };
    let method = if a.method == "entropy" {
        "entropy (Shannon, p = x / column sum)"
    } else {
        "CRITIC (min-max scaled, sample standard deviation, Pearson correlation)"
    };
    let result = serde_json::json!({
        "method": method,
        "weights": matrix.criteria.iter().zip(&w).map(|(c, w)| serde_json::json!({"criterion": c, "weight": w})).collect::<Vec<_>>(),
    });
    match a.format {
        PlainFormat::Json => {
            out(&(serde_json::to_string_pretty(&result).expect("serialises") + "\n"))
        }
        PlainFormat::Text => text(opts, "mcda/weights.en.txt", &result),
    }
}

fn run_ahp(a: &AhpArgs, opts: &SourceOptions) -> u8 {
    let mut diags = Diagnostics::default();
    let Some(matrix) = read_matrix(&a.matrix, true, &mut diags) else {
        return report(&diags);
    };
    if !diags.is_empty() {
        return report(&diags);
    }
    if matrix.alternatives != matrix.criteria {
        return fail(
            &a.matrix,
            "the first column must list the same names, in the same order, as the header",
        );
    }
    let method = match a.method.as_str() {
        "approximate" => AhpMethod::Approximate,
        "geometric" => AhpMethod::GeometricMean,
        _ => AhpMethod::Eigenvector,
    };
    let table = if a.ri == "tummala-ling" {
        RandomIndex::TummalaLing
    } else {
        RandomIndex::Saaty
    };
    let r = match ahp(&matrix.rows, method, table) {
        Ok(r) => r,
        Err(e) => return fail(&a.matrix, e),
    };
    let result = serde_json::json!({
        "method": a.method,
        "weights": matrix.criteria.iter().zip(&r.weights).map(|(c, w)| serde_json::json!({"criterion": c, "weight": w})).collect::<Vec<_>>(),
        "lambda_max": r.lambda_max,
        "consistency_index": r.ci,
        "random_index": r.ri,
        "random_index_table": table.name(),
        "consistency_ratio": r.cr,
        "acceptable": r.acceptable,
    });
    match a.format {
        PlainFormat::Json => {
            out(&(serde_json::to_string_pretty(&result).expect("serialises") + "\n"))
        }
        PlainFormat::Text => text(opts, "mcda/ahp.en.txt", &result),
    }
}

/// Fuzzing entry of `mcda rank`: a matrix and an optional model file, both as text, loaded and,
/// when valid, ranked by the model's method (see [`crate::fuzz`]).
pub(crate) fn fuzz_rank(matrix: &SourceFile, model: Option<&SourceFile>) {
    let mut diags = Diagnostics::default();
    let Some(m) = parse_matrix(matrix, false, &mut diags) else {
        return;
    };
    if !diags.is_empty() {
        return;
    }
    let mut settings = RankSettings::new(m.criteria.len());
    if let Some(model) = model {
        parse_model(model, &m, &mut settings, &mut diags);
    }
    if diags.is_empty() {
        let _ = rank_matrix(&m, &settings);
    }
    let _ = diags.render();
}

/// Fuzzing entry of `mcda ahp`: a comparison matrix as text, loaded and, when valid, weighed by
/// every method.
pub(crate) fn fuzz_ahp(matrix: &SourceFile) {
    let mut diags = Diagnostics::default();
    let Some(m) = parse_matrix(matrix, true, &mut diags) else {
        return;
    };
    let _ = diags.render();
    if !diags.is_empty() || m.alternatives != m.criteria {
        return;
    }
    for method in [
        AhpMethod::Approximate,
        AhpMethod::GeometricMean,
        AhpMethod::Eigenvector,
    ] {
        let _ = ahp(&m.rows, method, RandomIndex::Saaty);
    }
}
