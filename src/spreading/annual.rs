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

use crate::model::{Published, World};
use crate::spreading::baseline::fit::{Conflict, FigureCheck, Fitted};
use crate::spreading::baseline::{
    Baseline, Level, Origin, aggregate, per_thousand, randstad_share, theil,
};

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
    /// True for a figure read from "bijna", "ruim" or "rond": a published range, not a number.
    pub approximate: bool,
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
    /// `published`, `published-range`, `fitted`, `estimated` or `delivered`: what the current
    /// figure is.
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
    /// From the register: the case's number, status and the minister's decision.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub register: Option<RegisterLine>,
}

/// What the register of cases adds to a case of the year.
#[derive(Debug, Clone, Serialize)]
pub struct RegisterLine {
    pub number: String,
    pub status: String,
    pub received: String,
    pub decision: Option<String>,
    pub followed: Option<bool>,
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
    /// Which ministries have delivered their figures for the year (from the register; absent
    /// without one).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deliveries: Option<DeliveryStatus>,
    pub notes: Vec<String>,
}

/// The deliveries of a year as the register holds them.
#[derive(Debug, Clone, Serialize)]
pub struct DeliveryStatus {
    /// The ministries that delivered, with rows, FTE and the date stored.
    pub delivered: Vec<crate::register::DeliveryRecord>,
    /// The ministries of `rules/settings.toml` without a delivery.
    pub missing: Vec<String>,
    /// True when every ministry delivered.
    pub complete: bool,
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

/// What a line's figure is: delivered by the ministries, a published figure the fit meets,
/// a published range (a figure read from "bijna", "ruim" or "rond": the fit's value lies in the
/// interval the wording allows, it is not the published number itself), fitted (provinces and
/// sectors) or estimated from the fit (gemeenten, ministries).
fn line_label(estimate: bool, published: Option<&FigureCheck>, level: Level) -> &'static str {
    if !estimate {
        "delivered"
    } else if let Some(c) = published {
        if c.approximate {
            "published-range"
        } else {
            "published"
        }
    } else if matches!(level, Level::Province | Level::Sector) {
        "fitted"
    } else {
        "estimated"
    }
}

/// A line's value `v` against the published figure it is checked with (within half an FTE of
/// the published interval counts as within).
fn comparison(c: &FigureCheck, v: f64) -> Comparison {
    Comparison {
        published: c.published,
        range: c.range,
        approximate: c.approximate,
        difference: v - c.published,
        within: v >= c.range[0] - 0.5 && v <= c.range[1] + 0.5,
        source: c.source.clone(),
        evidence: c.evidence.clone(),
    }
}

/// The report's lines at one level (province, sector, ministry), with the year before where
/// there is one.
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
            let label = line_label(cur.is_estimate(), published, level);
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
                published: published.map(|c| comparison(c, *v)),
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
    let (pd, ppct) = published_change(pt.as_ref(), pp.as_ref());
    let provinces = lines(world, prev, cur, fitted, Level::Province);
    let (inside, outside) = (
        growth(world, &provinces, true),
        growth(world, &provinces, false),
    );
    let estimate = cur.is_estimate() || prev.is_some_and(Baseline::is_estimate);
    let notes = report_notes(world, year, estimate, prev.is_none());
    let (published_figures, conflicts) = match fitted {
        Some(f) if estimate => published_checks(f, year, prev.is_some()),
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
        randstad_share_of_growth: share_of_growth(inside, outside),
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
        // Per ministry the model only splits sectors in equal parts: no figures unless delivered.
        ministries: if cur.is_estimate() {
            Vec::new()
        } else {
            lines(world, prev, cur, fitted, Level::Ministry)
        },
        published_figures,
        conflicts,
        cases,
        deliveries: None,
        notes,
    }
}

/// The change in the published national total from the year before: FTE and per cent.
fn published_change(
    cur: Option<&PublishedRef>,
    prev: Option<&PublishedRef>,
) -> (Option<f64>, Option<f64>) {
    match (cur, prev) {
        (Some(a), Some(b)) => (
            Some(a.value - b.value),
            Some((a.value - b.value) / b.value * 100.0),
        ),
        _ => (None, None),
    }
}

/// The growth of the provinces inside (or outside) the Randstad; `None` when a province's
/// change is unknown.
fn growth(world: &World, provinces: &[YearLine], inside: bool) -> Option<f64> {
    provinces
        .iter()
        .filter(|l| world.in_randstad(&l.key) == inside)
        .map(|l| l.delta)
        .sum()
}

/// The Randstad's share of the growth, when there was growth (or shrinkage) to share.
fn share_of_growth(inside: Option<f64>, outside: Option<f64>) -> Option<f64> {
    match (inside, outside) {
        (Some(i), Some(o)) if (i + o).abs() > 1e-9 => Some(i / (i + o)),
        _ => None,
    }
}

/// The report's notes: what an estimate is made of, a first year without comparison, the Theil
/// index.
fn report_notes(world: &World, year: i32, estimate: bool, first_year: bool) -> Vec<String> {
    let mut notes = Vec::new();
    if estimate {
        notes.push("ESTIMATE: the figures per province and sector come from the model in baseline/estimate.toml, fitted to every published figure in baseline/published.toml, not from deliveries. Each line says what it is: published (a published figure, reproduced within its rounding), published-range (published as 'bijna', 'ruim' or 'rond': the fitted value lies in the interval the wording allows), fitted (constrained by published figures).".into());
        notes.push("Per ministry: NO FIGURES AVAILABLE. No split per ministry is published and no ministry has delivered its figures; the model could only split the sectors ministeries and zbo in equal parts over the ministries, which would look like data without being data, so the report shows none. Below the province (COROP region, gemeente) no figures are available either: the model's steps 3 to 5 below serve the arithmetic of scenarios and are not shown as figures.".into());
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
    if first_year {
        notes.push(format!(
            "{year} is the first year with data: no national total for 1 January {} is published in a comparable definition, so there is no year-on-year comparison.",
            year - 1
        ));
    }
    notes.push("Theil index: sum over provinces of s ln(s / q), s the province's share of FTE and q its share of population (CBS, 1 January 2024); 0 means FTE are spread exactly like the population.".into());
    notes
}

/// The fit's check of every published figure of the year (and the year before, when compared),
/// and its conflicts.
fn published_checks(
    f: &Fitted,
    year: i32,
    with_previous: bool,
) -> (Vec<FigureCheck>, Vec<Conflict>) {
    (
        f.checks
            .iter()
            .filter(|c| c.year == year || (with_previous && c.year == year - 1))
            .cloned()
            .collect(),
        f.conflicts.clone(),
    )
}

/// The cases of the register worked on in `year` (received, advised or decided in it), each with
/// the first location of its last stored advice.
pub fn register_lines(
    register: &crate::register::Register,
    year: i32,
) -> Result<Vec<CaseLine>, crate::register::RegisterError> {
    let y = format!("{year:04}-");
    let mut lines = Vec::new();
    for c in register.list(None)? {
        let dates = [Some(&c.received), c.advised.as_ref(), c.decided.as_ref()];
        if !dates.iter().flatten().any(|d| d.starts_with(&y)) {
            continue;
        }
        let last = register.advices(&c.number)?.pop();
        let first = last
            .and_then(|a| serde_json::from_str::<serde_json::Value>(&a.output_json).ok())
            .and_then(|v| {
                let r = v["ranking"].get(0)?;
                Some(format!(
                    "{} ({})",
                    r["name"].as_str()?,
                    r["location"].as_str()?
                ))
            });
        lines.push(CaseLine {
            id: c.id,
            title: c.title,
            kind: c.kind,
            fte: c.fte,
            first,
            register: Some(RegisterLine {
                number: c.number,
                status: c.status,
                received: c.received,
                decision: c.decision,
                followed: c.followed,
            }),
        });
    }
    Ok(lines)
}

/// Which ministries of `world` have a delivery for `year` in the register, and which not.
pub fn delivery_status(
    register: &crate::register::Register,
    year: i32,
    world: &World,
) -> Result<DeliveryStatus, crate::register::RegisterError> {
    let delivered = register.deliveries(year)?;
    let missing: Vec<String> = world
        .settings
        .ministries
        .iter()
        .filter(|m| !delivered.iter().any(|d| &d.ministry == *m))
        .cloned()
        .collect();
    Ok(DeliveryStatus {
        complete: missing.is_empty(),
        delivered,
        missing,
    })
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

/// The report as its templates see it (`templates/report/`): the report itself and, for the HTML
/// page, the geometry of its charts (the words of the charts are in the template).
#[derive(Debug, Clone, Serialize)]
pub struct ReportView<'a> {
    pub r: &'a AnnualReport,
    pub map: Option<MapView>,
    pub province_bars: BarsView,
    pub sector_bars: BarsView,
}

/// The province map: one path per province, coloured by FTE per 1,000 inhabitants in five
/// classes between the lowest and the highest value.
#[derive(Debug, Clone, Serialize)]
pub struct MapView {
    pub paths: Vec<MapPath>,
    pub legend: Vec<LegendItem>,
}

/// A province on the map.
#[derive(Debug, Clone, Serialize)]
pub struct MapPath {
    /// SVG path data in the map's coordinates.
    pub d: String,
    pub fill: &'static str,
    pub name: String,
    pub value: Option<f64>,
    /// The province line's label (`published`, `fitted`, `estimated`, `delivered`), if any.
    pub label: Option<&'static str>,
}

/// A colour class of the map's legend.
#[derive(Debug, Clone, Serialize)]
pub struct LegendItem {
    pub colour: &'static str,
    pub from: f64,
    pub to: f64,
}

/// Horizontal bars: each bar's row position and length in the chart's coordinates.
#[derive(Debug, Clone, Serialize)]
pub struct BarsView {
    pub height: f64,
    pub bars: Vec<Bar>,
}

/// One bar.
#[derive(Debug, Clone, Serialize)]
pub struct Bar {
    pub name: String,
    pub value: f64,
    pub y: f64,
    pub width: f64,
}

impl<'a> ReportView<'a> {
    /// The view of `r`.
    pub fn new(r: &'a AnnualReport) -> ReportView<'a> {
        let bars_of = |rows: &[YearLine]| {
            bars(
                &rows
                    .iter()
                    .map(|l| (l.name.clone(), l.current))
                    .collect::<Vec<_>>(),
            )
        };
        ReportView {
            r,
            map: map(r),
            province_bars: bars_of(&r.provinces),
            sector_bars: bars_of(&r.sectors),
        }
    }
}

/// Bar geometry: rows of 22 units, the longest bar 380 units.
fn bars(rows: &[(String, f64)]) -> BarsView {
    let max = rows.iter().map(|r| r.1).fold(0.0, f64::max).max(1.0);
    let h = 22.0;
    BarsView {
        height: rows.len() as f64 * h + 30.0,
        bars: rows
            .iter()
            .enumerate()
            .map(|(i, (name, v))| Bar {
                name: name.clone(),
                value: *v,
                y: i as f64 * h + 10.0,
                width: v / max * 380.0,
            })
            .collect(),
    }
}

/// An SVG path of a multipolygon's rings, each point placed by `px` (longitude, latitude).
fn svg_path(coordinates: &serde_json::Value, px: &dyn Fn(f64, f64) -> (f64, f64)) -> String {
    let mut d = String::new();
    for poly in coordinates.as_array().into_iter().flatten() {
        for ring in poly.as_array().into_iter().flatten() {
            for (i, pt) in ring.as_array().into_iter().flatten().enumerate() {
                let (x, y) = px(pt[0].as_f64().unwrap_or(0.0), pt[1].as_f64().unwrap_or(0.0));
                let _ = write!(d, "{}{x:.1},{y:.1}", if i == 0 { "M" } else { "L" });
            }
            d.push('Z');
        }
    }
    d
}

/// The province map's geometry from the shipped boundaries (equirectangular around 52.2 N).
fn map(r: &AnnualReport) -> Option<MapView> {
    static GEOJSON: &str = include_str!(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/data/provincie_2025.geojson"
    ));
    let g = serde_json::from_str::<serde_json::Value>(GEOJSON).ok()?;
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
    const COLOURS: [&str; 5] = ["#eff3ff", "#bdd7e7", "#6baed6", "#3182bd", "#08519c"];
    let colour = |v: f64| {
        let t = if hi > lo { (v - lo) / (hi - lo) } else { 0.5 };
        COLOURS[((t * 5.0).floor() as usize).min(4)]
    };
    let k = 52.2f64.to_radians().cos();
    let (x0, y1, scale) = (3.3, 53.6, 190.0);
    let px = |lon: f64, lat: f64| ((lon - x0) * k * scale, (y1 - lat) * scale);
    let paths = g["features"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|f| {
            let code = f["properties"]["statcode"].as_str().unwrap_or("");
            let value = values.iter().find(|(c, _)| c == code).map(|(_, v)| *v);
            MapPath {
                d: svg_path(&f["geometry"]["coordinates"], &px),
                fill: value.map_or("#ddd", colour),
                name: f["properties"]["statnaam"]
                    .as_str()
                    .unwrap_or("")
                    .to_string(),
                value,
                label: r.provinces.iter().find(|l| l.key == code).map(|l| l.label),
            }
        })
        .collect();
    let legend = COLOURS
        .iter()
        .enumerate()
        .map(|(i, c)| LegendItem {
            colour: c,
            from: lo + (hi - lo) * i as f64 / 5.0,
            to: lo + (hi - lo) * (i + 1) as f64 / 5.0,
        })
        .collect();
    Some(MapView { paths, legend })
}
