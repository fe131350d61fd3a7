//! The annual state of spreading (`report --year Y`): totals on 1 January, year on year, per
//! province, sector and ministry, the growth inside and outside the Randstad and the cases of the
//! year; rendered as text, JSON, CSV, Markdown or a self-contained HTML page with inline SVG
//! charts and a province map.
//!
//! Published figures are shown as published, with their source. Figures from the model estimate
//! are labelled as estimates wherever they appear.

use std::fmt::Write as _;

use serde::Serialize;

use super::num;
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
            province: p.province.clone(),
            value: p.fte,
            approximate: p.approximate,
            source: p.source.clone(),
            evidence: p.evidence.clone(),
        }
    }
}

/// One line of a year-on-year table.
#[derive(Debug, Clone, Serialize)]
pub struct YearLine {
    pub key: String,
    pub name: String,
    pub previous: f64,
    pub current: f64,
    pub delta: f64,
    /// Percent change; absent when the previous value is 0.
    pub percent: Option<f64>,
    /// FTE per 1,000 inhabitants (provinces only).
    pub per_thousand: Option<f64>,
    pub per_thousand_previous: Option<f64>,
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
    pub origin: Origin,
    pub previous_origin: Origin,
    /// Published national totals of this year and the previous one.
    pub published_total: Option<PublishedRef>,
    pub published_previous: Option<PublishedRef>,
    /// Change of the published totals.
    pub published_delta: Option<f64>,
    pub published_percent: Option<f64>,
    /// Totals of the baselines used (equal to the published totals for the model estimate).
    pub total: f64,
    pub total_previous: f64,
    pub growth_inside_randstad: f64,
    pub growth_outside_randstad: f64,
    /// Share of the growth inside the Randstad, from the baselines.
    pub randstad_share_of_growth: Option<f64>,
    /// The published share of growth inside the Randstad, when there is one.
    pub published_randstad_share_of_growth: Option<PublishedRef>,
    pub randstad_share: f64,
    pub randstad_share_previous: f64,
    pub theil: f64,
    pub theil_previous: f64,
    pub provinces: Vec<YearLine>,
    pub sectors: Vec<YearLine>,
    pub ministries: Vec<YearLine>,
    /// Provincial figures published for this year or the previous one, as a reference.
    pub published_provinces: Vec<PublishedRef>,
    pub cases: Vec<CaseLine>,
    pub notes: Vec<String>,
}

fn lines(world: &World, prev: &Baseline, cur: &Baseline, level: Level) -> Vec<YearLine> {
    let a = aggregate(world, &prev.rows, level);
    let b = aggregate(world, &cur.rows, level);
    let (pa, pb) = if level == Level::Province {
        (
            Some(per_thousand(world, &prev.rows)),
            Some(per_thousand(world, &cur.rows)),
        )
    } else {
        (None, None)
    };
    b.iter()
        .map(|(k, v)| {
            let p = a.get(k).copied().unwrap_or(0.0);
            YearLine {
                key: k.clone(),
                name: if level == Level::Province {
                    world.province(k).map_or(k.clone(), |x| x.name.clone())
                } else {
                    k.clone()
                },
                previous: p,
                current: *v,
                delta: v - p,
                percent: (p != 0.0).then(|| (v - p) / p * 100.0),
                per_thousand: pb.as_ref().and_then(|m| m.get(k).copied()),
                per_thousand_previous: pa.as_ref().and_then(|m| m.get(k).copied()),
            }
        })
        .collect()
}

/// Builds the report from the baselines of a year and the year before.
pub fn build(world: &World, prev: &Baseline, cur: &Baseline, cases: Vec<CaseLine>) -> AnnualReport {
    let year = cur.year;
    let pt = world.published.totals.get(&year).map(PublishedRef::from);
    let pp = world
        .published
        .totals
        .get(&(year - 1))
        .map(PublishedRef::from);
    let (pd, ppct) = match (&pt, &pp) {
        (Some(a), Some(b)) => (
            Some(a.value - b.value),
            Some((a.value - b.value) / b.value * 100.0),
        ),
        _ => (None, None),
    };
    let provinces = lines(world, prev, cur, Level::Province);
    let inside: f64 = provinces
        .iter()
        .filter(|l| world.in_randstad(&l.key))
        .map(|l| l.delta)
        .sum();
    let outside: f64 = provinces
        .iter()
        .filter(|l| !world.in_randstad(&l.key))
        .map(|l| l.delta)
        .sum();
    let growth = inside + outside;
    let estimate = cur.is_estimate() || prev.is_estimate();
    let mut notes = Vec::new();
    if estimate {
        notes.push("ESTIMATE: the figures per province, sector and ministry come from the model in baseline/estimate.toml (the published national total split by stated keys), not from deliveries. Only the national totals and the figures marked as published are published figures.".into());
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
    notes.push("Theil index: sum over provinces of s ln(s / q), s the province's share of FTE and q its share of population (CBS, 1 January 2024); 0 means FTE are spread exactly like the population.".into());
    let published_provinces: Vec<PublishedRef> = world
        .published
        .provinces
        .iter()
        .filter(|(p, _)| p.year == year || p.year == year - 1)
        .map(|(p, _)| PublishedRef::from(p))
        .collect();
    AnnualReport {
        year,
        reference_date: cur.reference_date.clone(),
        estimate,
        origin: cur.origin.clone(),
        previous_origin: prev.origin.clone(),
        published_total: pt,
        published_previous: pp,
        published_delta: pd,
        published_percent: ppct,
        total: cur.total(),
        total_previous: prev.total(),
        growth_inside_randstad: inside,
        growth_outside_randstad: outside,
        randstad_share_of_growth: (growth.abs() > 1e-9).then(|| inside / growth),
        published_randstad_share_of_growth: world
            .published
            .randstad_growth
            .get(&year)
            .map(PublishedRef::from),
        randstad_share: randstad_share(world, &cur.rows),
        randstad_share_previous: randstad_share(world, &prev.rows),
        theil: theil(world, &cur.rows),
        theil_previous: theil(world, &prev.rows),
        provinces,
        sectors: lines(world, prev, cur, Level::Sector),
        ministries: lines(world, prev, cur, Level::Ministry),
        published_provinces,
        cases,
        notes,
    }
}

fn pct(x: Option<f64>) -> String {
    x.map_or("-".into(), |p| format!("{p:+.1}%"))
}

fn est(r: &AnnualReport) -> &'static str {
    if r.estimate { " (estimate)" } else { "" }
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
    if let (Some(d), Some(pc)) = (r.published_delta, r.published_percent) {
        let _ = writeln!(
            o,
            "change     {d:+.0} FTE ({pc:+.1}%) against 1 January {} (published totals)",
            r.year - 1
        );
    }
    let _ = writeln!(
        o,
        "growth     inside the Randstad {} FTE, outside {} FTE{}; Randstad share of growth {}",
        num(r.growth_inside_randstad, 0),
        num(r.growth_outside_randstad, 0),
        est(r),
        r.randstad_share_of_growth
            .map_or("-".into(), |s| format!("{:.0}%", s * 100.0))
    );
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
        "Randstad   {:.1}% of FTE ({:.1}% a year before){}",
        r.randstad_share * 100.0,
        r.randstad_share_previous * 100.0,
        est(r)
    );
    let _ = writeln!(
        o,
        "Theil      {:.4} ({:.4} a year before){}",
        r.theil,
        r.theil_previous,
        est(r)
    );
    for (title, rows) in [
        ("Per province", &r.provinces),
        ("Per sector", &r.sectors),
        ("Per ministry", &r.ministries),
    ] {
        let _ = writeln!(o, "\n{title}{}:", est(r));
        let _ = writeln!(
            o,
            "  {:<18} {:>10} {:>10} {:>9} {:>8} {:>10}",
            "",
            r.year - 1,
            r.year,
            "change",
            "%",
            "per 1,000"
        );
        for l in rows.iter() {
            let _ = writeln!(
                o,
                "  {:<18} {:>10} {:>10} {:>+9.0} {:>8} {:>10}",
                l.name.chars().take(18).collect::<String>(),
                num(l.previous, 0),
                num(l.current, 0),
                l.delta,
                pct(l.percent),
                l.per_thousand.map_or(String::new(), |x| num(x, 1))
            );
        }
    }
    if !r.published_provinces.is_empty() {
        o.push_str("\nPublished provincial figures (for reference):\n");
        for p in &r.published_provinces {
            let _ = writeln!(
                o,
                "  {} {}: {}{} FTE (evidence {}: {})",
                p.province.as_deref().unwrap_or("-"),
                p.year,
                if p.approximate { "about " } else { "" },
                num(p.value, 0),
                p.evidence,
                p.source
            );
        }
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

/// CSV tables: one row per table line, with a `table` column; every estimated value is marked.
pub fn csv(r: &AnnualReport) -> String {
    let mut o =
        String::from("table,key,name,previous,current,delta,percent,per_thousand,estimate\n");
    let q = |s: &str| {
        if s.contains(',') || s.contains('"') {
            format!("\"{}\"", s.replace('"', "\"\""))
        } else {
            s.to_string()
        }
    };
    if let (Some(a), Some(b)) = (&r.published_total, &r.published_previous) {
        let _ = writeln!(
            o,
            "national,NL,Nederland,{},{},{},{:.2},,false",
            b.value,
            a.value,
            a.value - b.value,
            (a.value - b.value) / b.value * 100.0
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
                "{table},{},{},{:.1},{:.1},{:.1},{},{},{}",
                q(&l.key),
                q(&l.name),
                l.previous,
                l.current,
                l.delta,
                l.percent.map_or(String::new(), |p| format!("{p:.2}")),
                l.per_thousand.map_or(String::new(), |p| format!("{p:.2}")),
                r.estimate
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
        o.push_str("> **Schatting.** De cijfers per provincie, sector en ministerie zijn een modelschatting (baseline/estimate.toml), geen aanleveringen. Alleen de landelijke totalen en de als gepubliceerd gemarkeerde cijfers zijn gepubliceerd.\n\n");
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
    if let (Some(d), Some(pc)) = (r.published_delta, r.published_percent) {
        let _ = writeln!(
            o,
            "- Verandering: {d:+.0} fte ({pc:+.1}%) ten opzichte van 1 januari {}",
            r.year - 1
        );
    }
    let _ = writeln!(
        o,
        "- Groei binnen de Randstad {} fte, daarbuiten {} fte{}",
        num(r.growth_inside_randstad, 0),
        num(r.growth_outside_randstad, 0),
        if r.estimate { " (schatting)" } else { "" }
    );
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
        "- Theil-index {:.4} (vorig jaar {:.4}){}\n",
        r.theil,
        r.theil_previous,
        if r.estimate { " (schatting)" } else { "" }
    );
    for (title, rows) in [
        ("Per provincie", &r.provinces),
        ("Per sector", &r.sectors),
        ("Per ministerie", &r.ministries),
    ] {
        let _ = writeln!(
            o,
            "## {title}{}\n",
            if r.estimate { " (schatting)" } else { "" }
        );
        let _ = writeln!(
            o,
            "| | {} | {} | verschil | % | per 1.000 inw. |\n|---|---:|---:|---:|---:|---:|",
            r.year - 1,
            r.year
        );
        for l in rows.iter() {
            let _ = writeln!(
                o,
                "| {} | {} | {} | {:+.0} | {} | {} |",
                l.name,
                num(l.previous, 0),
                num(l.current, 0),
                l.delta,
                pct(l.percent),
                l.per_thousand.map_or(String::new(), |x| num(x, 1))
            );
        }
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
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 520 620\" width=\"520\" height=\"620\" role=\"img\" aria-label=\"FTE per 1,000 inhabitants per province\">",
    );
    for f in g["features"].as_array().into_iter().flatten() {
        let code = f["properties"]["statcode"].as_str().unwrap_or("");
        let name = f["properties"]["statnaam"].as_str().unwrap_or("");
        let v = values.iter().find(|(c, _)| c == code).map(|(_, v)| *v);
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
            v.map_or("no data".to_string(), |v| format!(
                "{} FTE per 1,000 inhabitants",
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
        "<text x=\"370\" y=\"445\" font-size=\"12\" font-weight=\"bold\">FTE per 1,000 inhabitants</text><text x=\"370\" y=\"460\" font-size=\"12\">{}</text>",
        if r.estimate { " (estimate)" } else { "" }
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
        o.push_str("<p class=\"est\"><strong>Schatting.</strong> De cijfers per provincie, sector en ministerie zijn een modelschatting (baseline/estimate.toml), geen aanleveringen van de ministeries. Alleen de landelijke totalen en de als gepubliceerd gemarkeerde cijfers zijn gepubliceerd.</p>");
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
    if let (Some(d), Some(pc)) = (r.published_delta, r.published_percent) {
        let _ = write!(
            o,
            "<li>Verandering: {d:+.0} fte ({pc:+.1}%) ten opzichte van 1 januari {}</li>",
            r.year - 1
        );
    }
    let _ = write!(
        o,
        "<li>Groei binnen de Randstad {} fte, daarbuiten {} fte{}</li>",
        num(r.growth_inside_randstad, 0),
        num(r.growth_outside_randstad, 0),
        if r.estimate { " (schatting)" } else { "" }
    );
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
        "<li>Theil-index {:.4} (vorig jaar {:.4})</li></ul>",
        r.theil, r.theil_previous
    );
    o.push_str("<div class=\"charts\"><figure>");
    o.push_str(&map(r));
    o.push_str("<figcaption>Fte per 1.000 inwoners per provincie</figcaption></figure><figure>");
    let prov: Vec<(String, f64)> = r
        .provinces
        .iter()
        .map(|l| (l.name.clone(), l.current))
        .collect();
    o.push_str(&bars(&prov, "FTE per province"));
    let _ = write!(
        o,
        "<figcaption>Fte per provincie{}</figcaption></figure><figure>",
        if r.estimate { " (schatting)" } else { "" }
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
        if r.estimate { " (schatting)" } else { "" }
    );
    for (title, rows) in [
        ("Per provincie", &r.provinces),
        ("Per sector", &r.sectors),
        ("Per ministerie", &r.ministries),
    ] {
        let _ = write!(
            o,
            "<h2>{title}{}</h2><table><tr><th></th><th>{}</th><th>{}</th><th>verschil</th><th>%</th><th>per 1.000 inw.</th></tr>",
            if r.estimate { " (schatting)" } else { "" },
            r.year - 1,
            r.year
        );
        for l in rows.iter() {
            let _ = write!(
                o,
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{:+.0}</td><td>{}</td><td>{}</td></tr>",
                esc(&l.name),
                num(l.previous, 0),
                num(l.current, 0),
                l.delta,
                pct(l.percent),
                l.per_thousand.map_or(String::new(), |x| num(x, 1))
            );
        }
        o.push_str("</table>");
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
