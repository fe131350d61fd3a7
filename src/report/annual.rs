//! The annual state of spreading (`report --year Y`): totals on 1 January, year on year, per
//! province, sector and ministry, the growth inside and outside the Randstad and the cases of the
//! year; rendered as text, JSON, CSV, Markdown or a self-contained HTML page with inline SVG
//! charts and a province map.
//!
//! Every figure says what it is: `published` (as published, with its source), `fitted` (the model
//! estimate fitted to the published figures), `estimated` (split by a stated key that no published
//! figure constrains) or `delivered` (the ministries' deliveries). Each province, sector and
//! ministry line carries its label and, where a figure for it is published, the published value
//! and the difference. The first year with data is reported without a year-on-year comparison.

use std::fmt::Write as _;

use serde::Serialize;

use super::num;
use crate::baseline::fit::{Conflict, FigureCheck, Fitted};
use crate::baseline::{Baseline, Level, Origin, aggregate, per_thousand, randstad_share, theil};
use crate::model::{Published, World};

/// A published figure as shown in the report.
#[derive(Debug, Clone, Serialize)]
pub struct PublishedRef {
    pub year: i32,
    /// Province code, for a provincial figure.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub province: Option<String>,
    pub value: f64,
    pub approximate: bool,
    pub source: String,
    pub evidence: String,
}

impl From<&Published> for PublishedRef {
    fn from(p: &Published) -> PublishedRef {
        PublishedRef {
            year: p.year,
            province: p.province().map(String::from),
            value: p.value,
            approximate: p.approximate,
            source: p.source.clone(),
            evidence: p.evidence.clone(),
        }
    }
}

/// A published figure beside the report's own figure for the same thing.
#[derive(Debug, Clone, Serialize)]
pub struct Comparison {
    pub published: f64,
    /// The interval its wording allows.
    pub range: [f64; 2],
    /// The report's figure minus the published one.
    pub difference: f64,
    /// True when the report's figure lies within the published interval (to the FTE).
    pub within: bool,
    pub source: String,
    pub evidence: String,
}

/// One line of a year-on-year table.
#[derive(Debug, Clone, Serialize)]
pub struct YearLine {
    pub key: String,
    pub name: String,
    /// `published`, `fitted`, `estimated` or `delivered`: what the current figure is.
    pub label: &'static str,
    /// The year before; absent for the first year with data.
    pub previous: Option<f64>,
    pub current: f64,
    pub delta: Option<f64>,
    /// Percent change; absent when the previous value is 0 or unknown.
    pub percent: Option<f64>,
    /// FTE per 1,000 inhabitants (provinces only).
    pub per_thousand: Option<f64>,
    pub per_thousand_previous: Option<f64>,
    /// The published figure of this key and year, when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub published: Option<Comparison>,
}

/// A case of the year.
#[derive(Debug, Clone, Serialize)]
pub struct CaseLine {
    pub id: String,
    pub title: String,
    pub kind: String,
    pub fte: f64,
    /// The advice's first location (or, for shrinkage, where to shrink first).
    pub first: Option<String>,
}

/// The annual report.
#[derive(Debug, Clone, Serialize)]
pub struct AnnualReport {
    pub year: i32,
    pub reference_date: String,
    /// True when the provincial, sector and ministry figures are the model estimate.
    pub estimate: bool,
    /// What the derived figures (Randstad share, growth inside and outside the Randstad, Theil
    /// index, map colours) rest on: `fitted` (the model estimate fitted to the published figures)
    /// or `delivered`.
    pub derived_label: &'static str,
    pub origin: Origin,
    /// The baseline of the year before; absent for the first year with data.
    pub previous_origin: Option<Origin>,
    /// Published national totals of this year and the previous one.
    pub published_total: Option<PublishedRef>,
    pub published_previous: Option<PublishedRef>,
    /// Change of the published totals.
    pub published_delta: Option<f64>,
    pub published_percent: Option<f64>,
    /// Totals of the baselines used (equal to the published totals for the model estimate).
    pub total: f64,
    pub total_previous: Option<f64>,
    pub growth_inside_randstad: Option<f64>,
    pub growth_outside_randstad: Option<f64>,
    /// Share of the growth inside the Randstad, from the baselines.
    pub randstad_share_of_growth: Option<f64>,
    /// The published share of growth inside the Randstad, when there is one.
    pub published_randstad_share_of_growth: Option<PublishedRef>,
    pub randstad_share: f64,
    pub randstad_share_previous: Option<f64>,
    pub theil: f64,
    pub theil_previous: Option<f64>,
    pub provinces: Vec<YearLine>,
    pub sectors: Vec<YearLine>,
    pub ministries: Vec<YearLine>,
    /// Every published figure about this year or the change into it, with the fitted value, the
    /// difference and whether it is met (model estimate only).
    pub published_figures: Vec<FigureCheck>,
    /// Published figures that cannot all hold, and the one that gave way (model estimate only).
    pub conflicts: Vec<Conflict>,
    pub cases: Vec<CaseLine>,
    pub notes: Vec<String>,
}

/// The published level of a province or sector (all of it) in a year, from the fit's checks.
fn published_level<'a>(
    checks: &'a [FigureCheck],
    year: i32,
    province: Option<&str>,
    sector: Option<&str>,
) -> Option<&'a FigureCheck> {
    checks.iter().find(|c| {
        c.used
            && c.kind == "level"
            && c.year == year
            && c.province.as_deref() == province
            && c.sector.as_deref() == sector
    })
}

fn lines(
    world: &World,
    prev: Option<&Baseline>,
    cur: &Baseline,
    fitted: Option<&Fitted>,
    level: Level,
) -> Vec<YearLine> {
    let a = prev.map(|p| aggregate(world, &p.rows, level));
    let b = aggregate(world, &cur.rows, level);
    let (pa, pb) = if level == Level::Province {
        (
            prev.map(|p| per_thousand(world, &p.rows)),
            Some(per_thousand(world, &cur.rows)),
        )
    } else {
        (None, None)
    };
    let checks: &[FigureCheck] = fitted.map_or(&[], |f| &f.checks);
    b.iter()
        .map(|(k, v)| {
            let p = a.as_ref().map(|a| a.get(k).copied().unwrap_or(0.0));
            let published = match level {
                Level::Province => published_level(checks, cur.year, Some(k), None),
                Level::Sector => published_level(checks, cur.year, None, Some(k)),
                _ => None,
            }
            .filter(|_| cur.is_estimate());
            let label = if !cur.is_estimate() {
                "delivered"
            } else if published.is_some() {
                "published"
            } else if matches!(level, Level::Province | Level::Sector) {
                "fitted"
            } else {
                "estimated"
            };
            YearLine {
                key: k.clone(),
                name: if level == Level::Province {
                    world.province(k).map_or(k.clone(), |x| x.name.clone())
                } else {
                    k.clone()
                },
                label,
                previous: p,
                current: *v,
                delta: p.map(|p| v - p),
                percent: p.filter(|p| *p != 0.0).map(|p| (v - p) / p * 100.0),
                per_thousand: pb.as_ref().and_then(|m| m.get(k).copied()),
                per_thousand_previous: pa.as_ref().and_then(|m| m.get(k).copied()),
                published: published.map(|c| Comparison {
                    published: c.published,
                    range: c.range,
                    difference: v - c.published,
                    within: *v >= c.range[0] - 0.5 && *v <= c.range[1] + 0.5,
                    source: c.source.clone(),
                    evidence: c.evidence.clone(),
                }),
            }
        })
        .collect()
}

/// Builds the report from the baseline of a year and, when there is one, of the year before;
/// `fitted` is the fit behind model-estimated baselines.
pub fn build(
    world: &World,
    prev: Option<&Baseline>,
    cur: &Baseline,
    fitted: Option<&Fitted>,
    cases: Vec<CaseLine>,
) -> AnnualReport {
    let year = cur.year;
    let pt = world.published.total(year).map(PublishedRef::from);
    let pp = world.published.total(year - 1).map(PublishedRef::from);
    let (pd, ppct) = match (&pt, &pp) {
        (Some(a), Some(b)) => (
            Some(a.value - b.value),
            Some((a.value - b.value) / b.value * 100.0),
        ),
        _ => (None, None),
    };
    let provinces = lines(world, prev, cur, fitted, Level::Province);
    let growth = |inside: bool| -> Option<f64> {
        provinces
            .iter()
            .filter(|l| world.in_randstad(&l.key) == inside)
            .map(|l| l.delta)
            .sum()
    };
    let (inside, outside) = (growth(true), growth(false));
    let estimate = cur.is_estimate() || prev.is_some_and(Baseline::is_estimate);
    let mut notes = Vec::new();
    if estimate {
        notes.push("ESTIMATE: the figures per province, sector and ministry come from the model in baseline/estimate.toml, fitted to every published figure in baseline/published.toml, not from deliveries. Each line says what it is: published (a published figure, reproduced within its rounding), fitted (constrained by published figures), estimated (split by a stated key only).".into());
        notes.push("Per ministry: ESTIMATED. No published split per ministry exists; the sectors ministeries and zbo are split in equal parts over the ministries, so every ministry other than JenV and DEF has the same figure by construction.".into());
        notes.push(format!(
            "Model: {}",
            world
                .estimate
                .method
                .replace('\n', " ")
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        ));
    }
    if prev.is_none() {
        notes.push(format!(
            "{year} is the first year with data: no national total for 1 January {} is published in a comparable definition, so there is no year-on-year comparison.",
            year - 1
        ));
    }
    notes.push("Theil index: sum over provinces of s ln(s / q), s the province's share of FTE and q its share of population (CBS, 1 January 2024); 0 means FTE are spread exactly like the population.".into());
    let (published_figures, conflicts) = match fitted {
        Some(f) if estimate => (
            f.checks
                .iter()
                .filter(|c| c.year == year || (prev.is_some() && c.year == year - 1))
                .cloned()
                .collect(),
            f.conflicts.clone(),
        ),
        _ => (Vec::new(), Vec::new()),
    };
    AnnualReport {
        year,
        reference_date: cur.reference_date.clone(),
        estimate,
        derived_label: if estimate { "fitted" } else { "delivered" },
        origin: cur.origin.clone(),
        previous_origin: prev.map(|p| p.origin.clone()),
        published_total: pt,
        published_previous: pp.filter(|_| prev.is_some()),
        published_delta: pd.filter(|_| prev.is_some()),
        published_percent: ppct.filter(|_| prev.is_some()),
        total: cur.total(),
        total_previous: prev.map(Baseline::total),
        growth_inside_randstad: inside,
        growth_outside_randstad: outside,
        randstad_share_of_growth: match (inside, outside) {
            (Some(i), Some(o)) if (i + o).abs() > 1e-9 => Some(i / (i + o)),
            _ => None,
        },
        published_randstad_share_of_growth: world
            .published
            .randstad_growth(year)
            .map(PublishedRef::from),
        randstad_share: randstad_share(world, &cur.rows),
        randstad_share_previous: prev.map(|p| randstad_share(world, &p.rows)),
        theil: theil(world, &cur.rows),
        theil_previous: prev.map(|p| theil(world, &p.rows)),
        provinces,
        sectors: lines(world, prev, cur, fitted, Level::Sector),
        ministries: lines(world, prev, cur, fitted, Level::Ministry),
        published_figures,
        conflicts,
        cases,
        notes,
    }
}

/// Rounds to `digits` decimals without a negative zero (`-0.0` prints as `-0`).
fn tidy(x: f64, digits: i32) -> f64 {
    let f = 10f64.powi(digits);
    (x * f).round() / f + 0.0
}

fn pct(x: Option<f64>) -> String {
    x.map_or("-".into(), |p| format!("{:+.1}%", tidy(p, 1)))
}

/// A number with `digits` decimals, or `-` when unknown.
fn opt(x: Option<f64>, digits: usize) -> String {
    x.map_or("-".into(), |v| num(v, digits))
}

/// A change with a sign, or `-` when unknown.
fn signed(x: Option<f64>) -> String {
    x.map_or("-".into(), |v| format!("{:+.0}", tidy(v, 0)))
}

/// The marker of the derived figures in English text.
fn est(r: &AnnualReport) -> &'static str {
    if r.estimate {
        " (ESTIMATE: fitted to published figures)"
    } else {
        ""
    }
}

/// The marker of the derived figures in Dutch text.
fn est_nl(r: &AnnualReport) -> &'static str {
    if r.estimate {
        " (schatting, gekalibreerd op gepubliceerde cijfers)"
    } else {
        ""
    }
}

/// A line's label in Dutch.
fn label_nl(label: &str) -> &'static str {
    match label {
        "published" => "gepubliceerd",
        "fitted" => "gekalibreerd",
        "estimated" => "geschat",
        _ => "aangeleverd",
    }
}

/// The published comparison of a line, for a table cell.
fn comparison(l: &YearLine) -> String {
    l.published.as_ref().map_or(String::new(), |c| {
        format!(
            "{} ({:+.0}{})",
            num(c.published, 0),
            tidy(c.difference, 0),
            if c.within {
                ""
            } else {
                ", OUTSIDE its rounding"
            }
        )
    })
}

/// Plain text.
pub fn text(r: &AnnualReport) -> String {
    let mut o = String::new();
    let _ = writeln!(
        o,
        "State of spreading of rijkswerkgelegenheid, 1 January {}",
        r.year
    );
    if let Some(p) = &r.published_total {
        let _ = writeln!(
            o,
            "total      {} FTE (published, evidence {}: {})",
            num(p.value, 0),
            p.evidence,
            p.source
        );
    }
    match (r.published_delta, r.published_percent) {
        (Some(d), Some(pc)) => {
            let _ = writeln!(
                o,
                "change     {d:+.0} FTE ({pc:+.1}%) against 1 January {} (published totals)",
                r.year - 1
            );
        }
        _ => {
            let _ = writeln!(
                o,
                "change     - (no comparable figure for 1 January {})",
                r.year - 1
            );
        }
    }
    if let (Some(i), Some(x)) = (r.growth_inside_randstad, r.growth_outside_randstad) {
        let _ = writeln!(
            o,
            "growth     inside the Randstad {} FTE, outside {} FTE; Randstad share of growth {}{}",
            num(i, 0),
            num(x, 0),
            r.randstad_share_of_growth
                .map_or("-".into(), |s| format!("{:.1}%", s * 100.0)),
            est(r),
        );
    }
    if let Some(p) = &r.published_randstad_share_of_growth {
        let _ = writeln!(
            o,
            "           published: {:.0}% of the growth in the Randstad (evidence {}: {})",
            p.value * 100.0,
            p.evidence,
            p.source
        );
    }
    let _ = writeln!(
        o,
        "Randstad   {:.1}% of FTE{}{}",
        r.randstad_share * 100.0,
        r.randstad_share_previous.map_or(String::new(), |p| format!(
            " ({:.1}% a year before)",
            p * 100.0
        )),
        est(r)
    );
    let _ = writeln!(
        o,
        "Theil      {:.4}{}{}",
        r.theil,
        r.theil_previous
            .map_or(String::new(), |p| format!(" ({p:.4} a year before)")),
        est(r)
    );
    for (title, rows) in [
        ("Per province", &r.provinces),
        ("Per sector", &r.sectors),
        ("Per ministry", &r.ministries),
    ] {
        let _ = writeln!(o, "\n{title}:");
        let _ = writeln!(
            o,
            "  {:<18} {:>10} {:>10} {:>9} {:>8} {:>10}  {:<10} {}",
            "",
            r.year - 1,
            r.year,
            "change",
            "%",
            "per 1,000",
            "figure",
            if r.estimate {
                "published (difference)"
            } else {
                ""
            }
        );
        for l in rows.iter() {
            let _ = writeln!(
                o,
                "  {:<18} {:>10} {:>10} {:>9} {:>8} {:>10}  {:<10} {}",
                l.name.chars().take(18).collect::<String>(),
                opt(l.previous, 0),
                num(l.current, 0),
                signed(l.delta),
                pct(l.percent),
                l.per_thousand.map_or(String::new(), |x| num(x, 1)),
                l.label,
                comparison(l)
            );
        }
    }
    if !r.published_figures.is_empty() {
        o.push_str("\nPublished figures and the fitted baseline:\n");
        for c in &r.published_figures {
            let _ = writeln!(
                o,
                "  {:<5} {}: published {}, fitted {}{} (evidence {}: {})",
                if !c.used {
                    "GAVE"
                } else if c.within {
                    "met"
                } else {
                    "NOT"
                },
                c.figure,
                figure_value(c.kind, c.published),
                figure_value(c.kind, c.fitted),
                if c.used {
                    ""
                } else {
                    "; gave way in a conflict"
                },
                c.evidence,
                c.source
            );
        }
    }
    for c in &r.conflicts {
        let _ = writeln!(
            o,
            "  CONFLICT: {} cannot all hold; {} gave way",
            c.figures.join("; "),
            c.gave_way
        );
    }
    if !r.cases.is_empty() {
        o.push_str("\nCases:\n");
        for c in &r.cases {
            let _ = writeln!(
                o,
                "  {} ({}, {} FTE): {}{}",
                c.title,
                c.kind,
                num(c.fte, 0),
                c.id,
                c.first
                    .as_ref()
                    .map(|f| format!(", first: {f}"))
                    .unwrap_or_default()
            );
        }
    }
    o.push('\n');
    for n in &r.notes {
        let _ = writeln!(o, "{n}");
    }
    o
}

/// A published figure as text: a direction as its word, anything else as its quantity.
fn published_value(c: &FigureCheck) -> String {
    match c.kind {
        "change-direction" if c.published > 0.0 => "up".into(),
        "change-direction" => "down".into(),
        _ => figure_value(c.kind, c.published),
    }
}

/// A published or fitted quantity as text, by the kind of figure.
fn figure_value(kind: &str, v: f64) -> String {
    match kind {
        "change-percent" => format!("{v:+.2}%"),
        "randstad-share-of-growth" | "share" => format!("{:.2}%", v * 100.0),
        "order" => format!("{v:.0} out of place"),
        "change-fte" => format!("{v:+.1} FTE"),
        "change-direction" => format!("{v:+.1} FTE"),
        _ => format!("{v:.1} FTE"),
    }
}

/// CSV tables: one row per table line, with a `table` column; every line carries its label.
pub fn csv(r: &AnnualReport) -> String {
    let mut o = String::from(
        "table,key,name,previous,current,delta,percent,per_thousand,label,published,difference\n",
    );
    let q = |s: &str| {
        if s.contains(',') || s.contains('"') {
            format!("\"{}\"", s.replace('"', "\"\""))
        } else {
            s.to_string()
        }
    };
    if let Some(a) = &r.published_total {
        let b = r.published_previous.as_ref();
        let _ = writeln!(
            o,
            "national,NL,Nederland,{},{},{},{},,published,{},0",
            b.map_or(String::new(), |b| b.value.to_string()),
            a.value,
            b.map_or(String::new(), |b| (a.value - b.value).to_string()),
            b.map_or(String::new(), |b| format!(
                "{:.2}",
                (a.value - b.value) / b.value * 100.0
            )),
            a.value
        );
    }
    for (table, rows) in [
        ("province", &r.provinces),
        ("sector", &r.sectors),
        ("ministry", &r.ministries),
    ] {
        for l in rows.iter() {
            let _ = writeln!(
                o,
                "{table},{},{},{},{:.1},{},{},{},{},{},{}",
                q(&l.key),
                q(&l.name),
                l.previous.map_or(String::new(), |p| format!("{p:.1}")),
                l.current,
                l.delta.map_or(String::new(), |p| format!("{p:.1}")),
                l.percent.map_or(String::new(), |p| format!("{p:.2}")),
                l.per_thousand.map_or(String::new(), |p| format!("{p:.2}")),
                l.label,
                l.published
                    .as_ref()
                    .map_or(String::new(), |c| c.published.to_string()),
                l.published
                    .as_ref()
                    .map_or(String::new(), |c| format!("{:.1}", c.difference)),
            );
        }
    }
    o
}

/// Markdown.
pub fn markdown(r: &AnnualReport) -> String {
    let mut o = format!(
        "# Stand van de spreiding van rijkswerkgelegenheid, 1 januari {}\n\n",
        r.year
    );
    if r.estimate {
        o.push_str("> **Schatting.** De cijfers per provincie, sector en ministerie zijn een modelschatting (baseline/estimate.toml), gekalibreerd op alle gepubliceerde cijfers (baseline/published.toml); geen aanleveringen. Elke regel zegt wat het cijfer is: *gepubliceerd* (een gepubliceerd cijfer, binnen zijn afronding gereproduceerd), *gekalibreerd* (door gepubliceerde cijfers begrensd), *geschat* (alleen met een verdeelsleutel).\n\n");
    }
    if let Some(p) = &r.published_total {
        let _ = writeln!(
            o,
            "- Totaal: **{} fte** (gepubliceerd; {}, {})",
            num(p.value, 0),
            p.source,
            p.evidence
        );
    }
    match (r.published_delta, r.published_percent) {
        (Some(d), Some(pc)) => {
            let _ = writeln!(
                o,
                "- Verandering: {d:+.0} fte ({pc:+.1}%) ten opzichte van 1 januari {}",
                r.year - 1
            );
        }
        _ => {
            let _ = writeln!(
                o,
                "- Verandering: geen vergelijking; voor 1 januari {} is geen vergelijkbaar cijfer gepubliceerd",
                r.year - 1
            );
        }
    }
    if let (Some(i), Some(x)) = (r.growth_inside_randstad, r.growth_outside_randstad) {
        let _ = writeln!(
            o,
            "- Groei binnen de Randstad {} fte, daarbuiten {} fte{}",
            num(i, 0),
            num(x, 0),
            est_nl(r)
        );
    }
    if let Some(p) = &r.published_randstad_share_of_growth {
        let _ = writeln!(
            o,
            "- Gepubliceerd: {:.0}% van de groei landde in de Randstad ({})",
            p.value * 100.0,
            p.source
        );
    }
    let _ = writeln!(
        o,
        "- Aandeel Randstad {:.1}%{}{}",
        r.randstad_share * 100.0,
        r.randstad_share_previous.map_or(String::new(), |p| format!(
            " (vorig jaar {:.1}%)",
            p * 100.0
        )),
        est_nl(r)
    );
    let _ = writeln!(
        o,
        "- Theil-index {:.4}{}{}\n",
        r.theil,
        r.theil_previous
            .map_or(String::new(), |p| format!(" (vorig jaar {p:.4})")),
        est_nl(r)
    );
    for (title, rows) in [
        ("Per provincie", &r.provinces),
        ("Per sector", &r.sectors),
        ("Per ministerie", &r.ministries),
    ] {
        let _ = writeln!(o, "## {title}\n");
        let _ = writeln!(
            o,
            "| | {} | {} | verschil | % | per 1.000 inw. | cijfer | gepubliceerd (verschil) |\n|---|---:|---:|---:|---:|---:|---|---:|",
            r.year - 1,
            r.year
        );
        for l in rows.iter() {
            let _ = writeln!(
                o,
                "| {} | {} | {} | {} | {} | {} | {} | {} |",
                l.name,
                opt(l.previous, 0),
                num(l.current, 0),
                signed(l.delta),
                pct(l.percent),
                l.per_thousand.map_or(String::new(), |x| num(x, 1)),
                label_nl(l.label),
                comparison(l)
            );
        }
        o.push('\n');
    }
    if !r.published_figures.is_empty() {
        o.push_str("## Gepubliceerde cijfers en de gekalibreerde schatting\n\n| cijfer | gepubliceerd | gekalibreerd | gehaald | bron |\n|---|---:|---:|---|---|\n");
        for c in &r.published_figures {
            let _ = writeln!(
                o,
                "| {} | {} | {} | {} | {} ({}) |",
                c.figure,
                published_value(c),
                figure_value(c.kind, c.fitted),
                if !c.used {
                    "week bij een tegenstrijdigheid"
                } else if c.within {
                    "ja"
                } else {
                    "NEE"
                },
                c.source,
                c.evidence
            );
        }
        o.push('\n');
    }
    for c in &r.conflicts {
        let _ = writeln!(
            o,
            "- **Tegenstrijdig:** {} kunnen niet alle tegelijk gelden; {} week.",
            c.figures.join("; "),
            c.gave_way
        );
    }
    if !r.conflicts.is_empty() {
        o.push('\n');
    }
    if !r.cases.is_empty() {
        o.push_str("## Casussen\n\n");
        for c in &r.cases {
            let _ = writeln!(
                o,
                "- {} ({}, {} fte){}",
                c.title,
                c.kind,
                num(c.fte, 0),
                c.first
                    .as_ref()
                    .map(|f| format!(": eerste locatie {f}"))
                    .unwrap_or_default()
            );
        }
        o.push('\n');
    }
    for n in &r.notes {
        let _ = writeln!(o, "{n}\n");
    }
    o
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Horizontal bars as inline SVG.
fn bars(rows: &[(String, f64)], label: &str) -> String {
    let max = rows.iter().map(|r| r.1).fold(0.0, f64::max).max(1.0);
    let h = 22.0;
    let height = rows.len() as f64 * h + 30.0;
    let mut s = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 640 {height}\" width=\"640\" height=\"{height}\" role=\"img\" aria-label=\"{}\">",
        esc(label)
    );
    for (i, (name, v)) in rows.iter().enumerate() {
        let y = i as f64 * h + 10.0;
        let w = v / max * 380.0;
        let _ = write!(
            s,
            "<text x=\"150\" y=\"{:.1}\" text-anchor=\"end\" font-size=\"13\">{}</text><rect x=\"160\" y=\"{:.1}\" width=\"{w:.1}\" height=\"{:.1}\" fill=\"#1f5f8b\"/><text x=\"{:.1}\" y=\"{:.1}\" font-size=\"12\">{}</text>",
            y + 14.0,
            esc(name),
            y + 2.0,
            h - 6.0,
            165.0 + w,
            y + 14.0,
            num(*v, 0)
        );
    }
    s.push_str("</svg>");
    s
}

/// The province map coloured by FTE per 1,000 inhabitants, as inline SVG.
fn map(r: &AnnualReport) -> String {
    static GEOJSON: &str = include_str!(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/data/provincie_2025.geojson"
    ));
    let Ok(g) = serde_json::from_str::<serde_json::Value>(GEOJSON) else {
        return String::new();
    };
    let values: Vec<(String, f64)> = r
        .provinces
        .iter()
        .filter_map(|l| l.per_thousand.map(|v| (l.key.clone(), v)))
        .collect();
    let (lo, hi) = values
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), (_, v)| {
            (a.min(*v), b.max(*v))
        });
    let colours = ["#eff3ff", "#bdd7e7", "#6baed6", "#3182bd", "#08519c"];
    let colour = |v: f64| {
        let t = if hi > lo { (v - lo) / (hi - lo) } else { 0.5 };
        colours[((t * 5.0).floor() as usize).min(4)]
    };
    // Equirectangular projection around 52.2 N.
    let k = 52.2f64.to_radians().cos();
    let (x0, y1, scale) = (3.3, 53.6, 190.0);
    let px = |lon: f64, lat: f64| ((lon - x0) * k * scale, (y1 - lat) * scale);
    let mut s = String::from(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 520 620\" width=\"520\" height=\"620\" role=\"img\" aria-label=\"fte per 1.000 inwoners per provincie\">",
    );
    for f in g["features"].as_array().into_iter().flatten() {
        let code = f["properties"]["statcode"].as_str().unwrap_or("");
        let name = f["properties"]["statnaam"].as_str().unwrap_or("");
        let v = values.iter().find(|(c, _)| c == code).map(|(_, v)| *v);
        let label = r
            .provinces
            .iter()
            .find(|l| l.key == code)
            .map_or("", |l| label_nl(l.label));
        let mut d = String::new();
        for poly in f["geometry"]["coordinates"]
            .as_array()
            .into_iter()
            .flatten()
        {
            for ring in poly.as_array().into_iter().flatten() {
                for (i, pt) in ring.as_array().into_iter().flatten().enumerate() {
                    let (x, y) = px(pt[0].as_f64().unwrap_or(0.0), pt[1].as_f64().unwrap_or(0.0));
                    let _ = write!(d, "{}{x:.1},{y:.1}", if i == 0 { "M" } else { "L" });
                }
                d.push('Z');
            }
        }
        let _ = write!(
            s,
            "<path d=\"{d}\" fill=\"{}\" stroke=\"#333\" stroke-width=\"0.8\"><title>{}: {}</title></path>",
            v.map_or("#ddd", colour),
            esc(name),
            v.map_or("geen gegevens".to_string(), |v| format!(
                "{} fte per 1.000 inwoners ({label})",
                num(v, 1)
            ))
        );
    }
    // Legend.
    for (i, c) in colours.iter().enumerate() {
        let a = lo + (hi - lo) * i as f64 / 5.0;
        let b = lo + (hi - lo) * (i + 1) as f64 / 5.0;
        let _ = write!(
            s,
            "<rect x=\"370\" y=\"{}\" width=\"18\" height=\"14\" fill=\"{c}\" stroke=\"#333\" stroke-width=\"0.5\"/><text x=\"394\" y=\"{}\" font-size=\"12\">{} - {}</text>",
            470 + i * 20,
            482 + i * 20,
            num(a, 1),
            num(b, 1)
        );
    }
    let _ = write!(
        s,
        "<text x=\"370\" y=\"445\" font-size=\"12\" font-weight=\"bold\">Fte per 1.000 inwoners</text><text x=\"370\" y=\"460\" font-size=\"12\">{}</text>",
        if r.estimate {
            "schatting, gekalibreerd"
        } else {
            "aangeleverd"
        }
    );
    s.push_str("</svg>");
    s
}

/// A self-contained HTML page: no external scripts, styles or fonts.
pub fn html(r: &AnnualReport) -> String {
    let mut o = String::from("<!DOCTYPE html>\n<html lang=\"nl\"><head><meta charset=\"utf-8\">");
    let _ = write!(
        o,
        "<title>Stand van de spreiding van rijkswerkgelegenheid {}</title>",
        r.year
    );
    o.push_str("<style>body{font-family:sans-serif;margin:2em;max-width:1100px;color:#222}table{border-collapse:collapse;margin:1em 0}td,th{border-bottom:1px solid #ccc;padding:2px 8px;text-align:right}td:first-child,th:first-child{text-align:left}.est{background:#fff4d6;border-left:4px solid #e0a800;padding:.5em 1em}.charts{display:flex;flex-wrap:wrap;gap:2em}</style></head><body>");
    let _ = write!(
        o,
        "<h1>Stand van de spreiding van rijkswerkgelegenheid, 1 januari {}</h1>",
        r.year
    );
    if r.estimate {
        o.push_str("<p class=\"est\"><strong>Schatting.</strong> De cijfers per provincie, sector en ministerie zijn een modelschatting (baseline/estimate.toml), gekalibreerd op alle gepubliceerde cijfers (baseline/published.toml); geen aanleveringen van de ministeries. Elke regel zegt wat het cijfer is: gepubliceerd, gekalibreerd of geschat.</p>");
    }
    o.push_str("<ul>");
    if let Some(p) = &r.published_total {
        let _ = write!(
            o,
            "<li>Totaal: <strong>{} fte</strong> (gepubliceerd: {}, {})</li>",
            num(p.value, 0),
            esc(&p.source),
            esc(&p.evidence)
        );
    }
    match (r.published_delta, r.published_percent) {
        (Some(d), Some(pc)) => {
            let _ = write!(
                o,
                "<li>Verandering: {d:+.0} fte ({pc:+.1}%) ten opzichte van 1 januari {}</li>",
                r.year - 1
            );
        }
        _ => {
            let _ = write!(
                o,
                "<li>Verandering: geen vergelijking; voor 1 januari {} is geen vergelijkbaar cijfer gepubliceerd</li>",
                r.year - 1
            );
        }
    }
    if let (Some(i), Some(x)) = (r.growth_inside_randstad, r.growth_outside_randstad) {
        let _ = write!(
            o,
            "<li>Groei binnen de Randstad {} fte, daarbuiten {} fte{}</li>",
            num(i, 0),
            num(x, 0),
            esc(est_nl(r))
        );
    }
    if let Some(p) = &r.published_randstad_share_of_growth {
        let _ = write!(
            o,
            "<li>Gepubliceerd: {:.0}% van de groei landde in de Randstad ({})</li>",
            p.value * 100.0,
            esc(&p.source)
        );
    }
    let _ = write!(
        o,
        "<li>Aandeel Randstad {:.1}%{}{}</li>",
        r.randstad_share * 100.0,
        r.randstad_share_previous.map_or(String::new(), |p| format!(
            " (vorig jaar {:.1}%)",
            p * 100.0
        )),
        esc(est_nl(r))
    );
    let _ = write!(
        o,
        "<li>Theil-index {:.4}{}{}</li></ul>",
        r.theil,
        r.theil_previous
            .map_or(String::new(), |p| format!(" (vorig jaar {p:.4})")),
        esc(est_nl(r))
    );
    o.push_str("<div class=\"charts\"><figure>");
    o.push_str(&map(r));
    let _ = write!(
        o,
        "<figcaption>Fte per 1.000 inwoners per provincie{}</figcaption></figure><figure>",
        esc(est_nl(r))
    );
    let prov: Vec<(String, f64)> = r
        .provinces
        .iter()
        .map(|l| (l.name.clone(), l.current))
        .collect();
    o.push_str(&bars(&prov, "FTE per province"));
    let _ = write!(
        o,
        "<figcaption>Fte per provincie{}</figcaption></figure><figure>",
        esc(est_nl(r))
    );
    let sec: Vec<(String, f64)> = r
        .sectors
        .iter()
        .map(|l| (l.name.clone(), l.current))
        .collect();
    o.push_str(&bars(&sec, "FTE per sector"));
    let _ = write!(
        o,
        "<figcaption>Fte per sector{}</figcaption></figure></div>",
        esc(est_nl(r))
    );
    for (title, rows) in [
        ("Per provincie", &r.provinces),
        ("Per sector", &r.sectors),
        ("Per ministerie", &r.ministries),
    ] {
        let _ = write!(
            o,
            "<h2>{title}</h2><table><tr><th></th><th>{}</th><th>{}</th><th>verschil</th><th>%</th><th>per 1.000 inw.</th><th>cijfer</th><th>gepubliceerd (verschil)</th></tr>",
            r.year - 1,
            r.year
        );
        for l in rows.iter() {
            let _ = write!(
                o,
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                esc(&l.name),
                opt(l.previous, 0),
                num(l.current, 0),
                signed(l.delta),
                pct(l.percent),
                l.per_thousand.map_or(String::new(), |x| num(x, 1)),
                label_nl(l.label),
                esc(&comparison(l))
            );
        }
        o.push_str("</table>");
    }
    if !r.published_figures.is_empty() {
        o.push_str("<h2>Gepubliceerde cijfers en de gekalibreerde schatting</h2><table><tr><th>cijfer</th><th>gepubliceerd</th><th>gekalibreerd</th><th>gehaald</th><th>bron</th></tr>");
        for c in &r.published_figures {
            let _ = write!(
                o,
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{} ({})</td></tr>",
                esc(&c.figure),
                published_value(c),
                figure_value(c.kind, c.fitted),
                if !c.used {
                    "week bij een tegenstrijdigheid"
                } else if c.within {
                    "ja"
                } else {
                    "NEE"
                },
                esc(&c.source),
                esc(&c.evidence)
            );
        }
        o.push_str("</table>");
    }
    for c in &r.conflicts {
        let _ = write!(
            o,
            "<p><strong>Tegenstrijdig:</strong> {} kunnen niet alle tegelijk gelden; {} week.</p>",
            esc(&c.figures.join("; ")),
            esc(&c.gave_way)
        );
    }
    if !r.cases.is_empty() {
        o.push_str("<h2>Casussen</h2><ul>");
        for c in &r.cases {
            let _ = write!(
                o,
                "<li>{} ({}, {} fte){}</li>",
                esc(&c.title),
                esc(&c.kind),
                num(c.fte, 0),
                c.first
                    .as_ref()
                    .map(|f| format!(": eerste locatie {}", esc(f)))
                    .unwrap_or_default()
            );
        }
        o.push_str("</ul>");
    }
    for n in &r.notes {
        let _ = write!(o, "<p><small>{}</small></p>", esc(n));
    }
    o.push_str("<p><small>Bronnen: CBS (CC BY 4.0), grenzen CBS/Kadaster via cartomap/nl; gepubliceerde cijfers met hun Kamerstukken in baseline/published.toml.</small></p></body></html>\n");
    o
}
