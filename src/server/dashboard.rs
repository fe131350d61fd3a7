//! The dashboard at `/`: Dutch pages rendered from `templates/dashboard/` with the same template
//! machinery as the reports, over the shared state. Overview (map, trend, filters), drill-down
//! province -> COROP -> gemeente, the register of cases, the deliveries, the advice page with
//! weight sliders (a small script of our own, `assets/dashboard.js`) and scenarios side by side.
//! Every figure carries its label: published, fitted, estimated or delivered.

use std::collections::BTreeMap;

use axum::Router;
use axum::extract::{Path, Query, RawQuery, State};
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::api::{annual_report, case_detail, run_scenarios, year_of};
use super::{AppState, Problem, Shared, blocking};
use crate::config::embedded::EXAMPLES;
use crate::render::map::{Layer, outline};
use crate::spreading::baseline::{Level, Row, aggregate};

/// The routes of the dashboard and its assets.
pub fn routes() -> Router<Shared> {
    Router::new()
        .route("/", get(overview))
        .route("/provincie/{code}", get(province))
        .route("/corop/{code}", get(corop))
        .route("/gemeente/{code}", get(gemeente))
        .route("/zaken", get(cases))
        .route("/zaken/{number}", get(case))
        .route("/leveringen", get(deliveries))
        .route("/advies", get(advise))
        .route("/scenario", get(scenario))
        .route("/assets/dashboard.css", get(css))
        .route("/assets/dashboard.js", get(js))
        .route("/voorbeelden/{*path}", get(example))
}

async fn css() -> Response {
    static CSS: &str = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/assets/dashboard.css"));
    ([(header::CONTENT_TYPE, "text/css; charset=utf-8")], CSS).into_response()
}

async fn js() -> Response {
    static JS: &str = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/assets/dashboard.js"));
    (
        [(header::CONTENT_TYPE, "text/javascript; charset=utf-8")],
        JS,
    )
        .into_response()
}

/// A shipped example file (a case or a scenario) as text, for the advice and scenario pages.
async fn example(Path(path): Path<String>) -> Result<Response, Problem> {
    let key = format!("cases/{path}");
    EXAMPLES
        .iter()
        .find(|(k, _)| *k == key)
        .map(|(_, text)| {
            ([(header::CONTENT_TYPE, "text/plain; charset=utf-8")], *text).into_response()
        })
        .ok_or_else(|| Problem::not_found(format!("no example `{path}`")))
}

/// A page built on the blocking pool; a problem becomes the error page with its status.
async fn page_response(
    s: Shared,
    build: impl FnOnce(&AppState) -> Result<Html<String>, Problem> + Send + 'static,
) -> Response {
    let answer = blocking(&s, move |s| {
        Ok(match build(s) {
            Ok(html) => html.into_response(),
            Err(p) => error_page(s, p),
        })
    })
    .await;
    answer.unwrap_or_else(IntoResponse::into_response)
}

/// The error page: the problem in the dashboard's layout with its status (a template that fails
/// here leaves the problem as JSON).
fn error_page(s: &AppState, p: Problem) -> Response {
    let status = StatusCode::from_u16(p.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    match page(s, "error", serde_json::json!({ "p": p, "page": "" })) {
        Ok(html) => (status, html).into_response(),
        Err(_) => p.into_response(),
    }
}

/// Renders page `name` with `ctx`; a template problem is a 500 page naming the template line.
fn page(s: &AppState, name: &str, ctx: serde_json::Value) -> Result<Html<String>, Problem> {
    s.templates
        .render(&format!("dashboard/{name}.nl.html"), &ctx)
        .map(Html)
        .map_err(|d| {
            let mut p = Problem::internal("a dashboard template failed");
            p.problems.push(*d);
            p
        })
}

/// The filters of the overview and the drill-down pages.
#[derive(Debug, Default, Clone, Deserialize, Serialize, JsonSchema)]
pub struct Filters {
    /// The year; default the latest with data.
    pub year: Option<i32>,
    /// `province` (default), `corop` or `gemeente`.
    pub level: Option<String>,
    /// Only the areas within this province or COROP code.
    pub within: Option<String>,
    /// Only this sector.
    pub sector: Option<String>,
    /// Only this ministry.
    pub ministry: Option<String>,
    /// The map's measure: `fte` or `per1000` (default).
    pub measure: Option<String>,
}

impl Filters {
    /// Whether the map shows FTE per 1,000 inhabitants (the default) rather than FTE.
    fn per_thousand(&self) -> bool {
        self.measure.as_deref() != Some("fte")
    }

    /// These filters for `year`, the areas of `level` within `code`.
    fn within(&self, year: i32, level: &str, code: &str) -> Filters {
        Filters {
            year: Some(year),
            level: Some(level.into()),
            within: Some(code.into()),
            ..self.clone()
        }
    }
}

/// FTE of the areas of one level, filtered, each figure labelled.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Spreading {
    pub year: i32,
    pub level: String,
    pub within: Option<String>,
    pub sector: Option<String>,
    pub ministry: Option<String>,
    /// False when no figures exist at this level: below the province, or per ministry, while the
    /// baseline is a model estimate (the areas then carry no FTE, and `note` says so).
    pub figures: bool,
    /// The FTE of the areas together; `None` without figures.
    pub total: Option<f64>,
    /// What the figures are: `estimated`, `fitted`, `published` or `delivered` (per area).
    pub areas: Vec<AreaFigure>,
    /// How the figures were made.
    pub note: String,
}

/// One area's figures.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct AreaFigure {
    pub code: String,
    pub name: String,
    /// `None` where no figures exist (below the province, or per ministry, without deliveries).
    pub fte: Option<f64>,
    /// Inhabitants (CBS): the province figure for provinces, the sum of gemeenten (1 January
    /// 2024) below.
    pub population: f64,
    pub per_thousand: Option<f64>,
    /// `published`, `fitted`, `estimated`, `delivered`, or `none` where no figures exist.
    pub label: String,
}

fn bad_filter(field: &str, given: &str, expected: String) -> Problem {
    let mut p = Problem::new(
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid-input",
        format!("`{given}` is not a {field}"),
    );
    p.problems.push(
        crate::diag::Diagnostic::file(
            "invalid-value",
            &format!("<request>/{field}"),
            format!("unknown {field} `{given}`"),
        )
        .expected(expected),
    );
    p
}

/// The rows of a year's baseline that pass the sector and ministry filters.
fn filtered<'a>(s: &'a AppState, f: &Filters, year: i32) -> Result<Vec<&'a Row>, Problem> {
    let st = &s.engine.world.settings;
    if let Some(x) = f
        .sector
        .as_deref()
        .filter(|x| !st.sectors.iter().any(|y| y == x))
    {
        return Err(bad_filter(
            "sector",
            x,
            format!("one of {}", st.sectors.join(", ")),
        ));
    }
    if let Some(x) = f
        .ministry
        .as_deref()
        .filter(|x| !st.ministries.iter().any(|y| y == x))
    {
        return Err(bad_filter(
            "ministry",
            x,
            format!("one of {}", st.ministries.join(", ")),
        ));
    }
    Ok(s.baselines[&year]
        .rows
        .iter()
        .filter(|r| f.sector.as_ref().is_none_or(|x| &r.sector == x))
        .filter(|r| f.ministry.as_ref().is_none_or(|x| &r.ministry == x))
        .collect())
}

/// An area of a level: code, name, the codes it lies in (province, COROP) and inhabitants.
type AreaOf = (String, String, Vec<String>, f64);

/// The areas of `level` (`province`, `corop`, `gemeente`), or a problem naming the level.
fn areas_of(w: &crate::model::World, level: &str) -> Result<(Level, Vec<AreaOf>), Problem> {
    let gemeenten_in = |corop: &str| -> f64 {
        w.gemeenten
            .iter()
            .filter(|g| g.corop == corop)
            .map(|g| g.population)
            .sum()
    };
    Ok(match level {
        "province" => (
            Level::Province,
            w.provinces
                .iter()
                .map(|p| (p.code.clone(), p.name.clone(), vec![], p.population.value))
                .collect(),
        ),
        "corop" => (
            Level::Corop,
            w.corops
                .iter()
                .map(|c| {
                    (
                        c.code.clone(),
                        c.name.clone(),
                        vec![c.province.clone()],
                        gemeenten_in(&c.code),
                    )
                })
                .collect(),
        ),
        "gemeente" => (
            Level::Gemeente,
            w.gemeenten
                .iter()
                .map(|g| {
                    (
                        g.code.clone(),
                        g.name.clone(),
                        vec![g.province.clone(), g.corop.clone()],
                        g.population,
                    )
                })
                .collect(),
        ),
        other => {
            return Err(bad_filter(
                "level",
                other,
                "province, corop or gemeente".into(),
            ));
        }
    })
}

/// The label of each province's figure without filters (made at start from the annual report:
/// published or fitted); every other figure is estimated.
fn province_labels<'a>(
    s: &'a AppState,
    year: i32,
    level: Level,
    f: &Filters,
) -> Option<&'a BTreeMap<String, &'static str>> {
    let unfiltered = f.sector.is_none() && f.ministry.is_none();
    (level == Level::Province && unfiltered)
        .then(|| s.province_labels.get(&year))
        .flatten()
}

/// The areas of a level with their figures.
pub(super) fn spreading(s: &AppState, f: &Filters) -> Result<Spreading, Problem> {
    let w = &s.engine.world;
    let year = year_of(s, f.year)?;
    let rows: Vec<Row> = filtered(s, f, year)?.into_iter().cloned().collect();
    let level = f.level.clone().unwrap_or_else(|| "province".into());
    let (lvl, names) = areas_of(w, &level)?;
    let totals = aggregate(w, &rows, lvl);
    let labels = province_labels(s, year, lvl, f);
    let within = f.within.clone();
    // Below the province and per ministry the model only splits a fitted figure by a key
    // (inhabitants, equal parts): that is not data, so no figure is shown there.
    let figures =
        !(s.baselines[&year].is_estimate() && (level != "province" || f.ministry.is_some()));
    let areas: Vec<AreaFigure> = names
        .into_iter()
        .filter(|(code, _, parents, _)| {
            within
                .as_ref()
                .is_none_or(|x| parents.contains(x) || code == x)
        })
        .map(|(code, name, _, population)| {
            let fte = figures.then(|| totals.get(&code).copied().unwrap_or(0.0));
            AreaFigure {
                label: if figures {
                    // A province's figure without filters is labelled as the report labels it;
                    // with a sector filter it is the fitted province-by-sector figure.
                    labels
                        .and_then(|m| m.get(&code))
                        .map_or(
                            if level == "province" {
                                "fitted"
                            } else {
                                "estimated"
                            },
                            |l| *l,
                        )
                        .to_string()
                } else {
                    "none".into()
                },
                per_thousand: fte.map(|v| {
                    if population > 0.0 {
                        v / population * 1000.0
                    } else {
                        0.0
                    }
                }),
                code,
                name,
                fte,
                population,
            }
        })
        .collect();
    if let Some(x) = within.as_deref().filter(|_| areas.is_empty()) {
        return Err(bad_filter(
            "within",
            x,
            "a province (PV20) or COROP code (CR01) of this level".into(),
        ));
    }
    Ok(Spreading {
        year,
        level,
        within,
        sector: f.sector.clone(),
        ministry: f.ministry.clone(),
        total: figures.then(|| areas.iter().filter_map(|a| a.fte).sum()),
        figures,
        areas,
        note: if figures {
            "ESTIMATE: model figures (baseline/estimate.toml) fitted to the published figures; a province's total without filters is fitted, a sector filter gives the fitted province-by-sector figures.".into()
        } else {
            NO_FIGURES.into()
        },
    })
}

pub(super) async fn spreading_api(
    State(s): State<Shared>,
    Query(f): Query<Filters>,
) -> Result<axum::Json<Spreading>, Problem> {
    blocking(&s, move |s| spreading(s, &f).map(axum::Json)).await
}

/// What the dashboard and the API say where the model would only split a province figure.
pub const NO_FIGURES: &str = "No figures are available below the province or per ministry: the spreading is published per province and sector, and no ministry has delivered figures per gemeente or per ministry. A split of the province figure by inhabitants or in equal parts would look like data without being data, so none is shown.";

/// Five classes between the lowest and the highest value (ColorBrewer Blues).
const COLOURS: [&str; 5] = ["#eff3ff", "#bdd7e7", "#6baed6", "#3182bd", "#08519c"];

/// A map of the areas of `sp`: each shape coloured by the measure, linked to its drill-down.
fn choropleth(sp: &Spreading, layer: Layer, per_thousand: bool, query: &str) -> serde_json::Value {
    if !sp.figures {
        return serde_json::Value::Null;
    }
    let value = |a: &AreaFigure| if per_thousand { a.per_thousand } else { a.fte }.unwrap_or(0.0);
    let (lo, hi) = sp.areas.iter().fold((f64::MAX, f64::MIN), |(l, h), a| {
        (l.min(value(a)), h.max(value(a)))
    });
    let class = |v: f64| {
        if hi > lo {
            (((v - lo) / (hi - lo) * 5.0).floor() as usize).min(4)
        } else {
            2
        }
    };
    let by_code: BTreeMap<&str, &AreaFigure> =
        sp.areas.iter().map(|a| (a.code.as_str(), a)).collect();
    let o = outline(layer, 560.0, |c| by_code.contains_key(c));
    let link = match layer {
        Layer::Province => "provincie",
        Layer::Corop => "corop",
        Layer::Gemeente => "gemeente",
    };
    let shapes: Vec<serde_json::Value> = o
        .shapes
        .iter()
        .map(|sh| {
            let a = by_code[sh.code.as_str()];
            serde_json::json!({
                "d": sh.d, "code": sh.code, "name": sh.name, "fte": a.fte, "per_thousand": a.per_thousand,
                "label": a.label, "fill": COLOURS[class(value(a))],
                "href": format!("/{link}/{}{query}", sh.code),
            })
        })
        .collect();
    let legend: Vec<serde_json::Value> = (0..5)
        .map(|i| serde_json::json!({ "colour": COLOURS[i], "from": lo + (hi - lo) * i as f64 / 5.0, "to": lo + (hi - lo) * (i + 1) as f64 / 5.0 }))
        .collect();
    serde_json::json!({ "width": o.width, "height": o.height, "shapes": shapes, "legend": legend, "per_thousand": per_thousand })
}

/// The trend over every year with data: the filtered total and, when published, the national
/// total; with the chart's geometry.
fn trend(s: &AppState, f: &Filters) -> Result<serde_json::Value, Problem> {
    if f.ministry.is_some() && s.baselines.values().any(|b| b.is_estimate()) {
        return Ok(serde_json::Value::Null);
    }
    let mut points = Vec::new();
    for &year in s.baselines.keys() {
        let total: f64 = filtered(s, f, year)?.iter().map(|r| r.fte).sum();
        let published = s
            .engine
            .world
            .published
            .total(year)
            .filter(|_| f.sector.is_none() && f.ministry.is_none());
        let randstad =
            crate::spreading::baseline::randstad_share(&s.engine.world, &s.baselines[&year].rows);
        points.push((
            year,
            total,
            published.map(|p| (p.value, p.source.clone())),
            randstad,
        ));
    }
    let (lo, hi) = points
        .iter()
        .fold((f64::MAX, f64::MIN), |(l, h), p| (l.min(p.1), h.max(p.1)));
    let (lo, hi) = (lo * 0.97, hi * 1.01);
    let n = points.len().max(2) as f64 - 1.0;
    let x = |i: usize| 60.0 + i as f64 * 460.0 / n;
    let y = |v: f64| 20.0 + (hi - v) / (hi - lo).max(1.0) * 160.0;
    let line: Vec<String> = points
        .iter()
        .enumerate()
        .map(|(i, p)| format!("{:.1},{:.1}", x(i), y(p.1)))
        .collect();
    let rows: Vec<serde_json::Value> = points
        .iter()
        .enumerate()
        .map(|(i, (year, total, published, randstad))| serde_json::json!({
            "year": year, "total": total, "x": x(i), "y": y(*total),
            "published": published.as_ref().map(|p| p.0), "source": published.as_ref().map(|p| p.1.clone()),
            "randstad_share": randstad,
            "label": if published.is_some() { "published" } else { "fitted" },
        }))
        .collect();
    let ticks: Vec<serde_json::Value> = (0..=4)
        .map(|k| {
            let v = lo + (hi - lo) * k as f64 / 4.0;
            serde_json::json!({ "value": v, "y": y(v) })
        })
        .collect();
    Ok(serde_json::json!({ "points": rows, "line": line.join(" "), "ticks": ticks }))
}

/// The query string of the filters, for links that keep them (`?year=..&sector=..`).
fn keep(f: &Filters) -> String {
    let mut parts = Vec::new();
    if let Some(y) = f.year {
        parts.push(format!("year={y}"));
    }
    for (k, v) in [
        ("sector", &f.sector),
        ("ministry", &f.ministry),
        ("measure", &f.measure),
    ] {
        if let Some(v) = v {
            parts.push(format!("{k}={}", v.replace(' ', "+")));
        }
    }
    if parts.is_empty() {
        String::new()
    } else {
        format!("?{}", parts.join("&"))
    }
}

/// What every page with filters shows: the choices and the current ones.
fn filter_context(s: &AppState, f: &Filters, year: i32) -> serde_json::Value {
    let st = &s.engine.world.settings;
    serde_json::json!({
        "year": year, "years": s.baselines.keys().collect::<Vec<_>>(),
        "sector": f.sector, "ministry": f.ministry, "sectors": st.sectors, "ministries": st.ministries,
        "measure": f.measure.clone().unwrap_or_else(|| "per1000".into()),
        "query": keep(f),
    })
}

async fn overview(State(s): State<Shared>, Query(f): Query<Filters>) -> Response {
    page_response(s, move |s| {
        let year = year_of(s, f.year)?;
        let per = f.per_thousand();
        let gemeenten = f.level.as_deref() == Some("gemeente");
        let sp = spreading(
            s,
            &Filters {
                year: Some(year),
                level: Some("province".into()),
                within: None,
                ..f.clone()
            },
        )?;
        let map = if gemeenten {
            let g = spreading(
                s,
                &Filters {
                    year: Some(year),
                    level: Some("gemeente".into()),
                    within: None,
                    ..f.clone()
                },
            )?;
            choropleth(&g, Layer::Gemeente, per, &keep(&f))
        } else {
            choropleth(&sp, Layer::Province, per, &keep(&f))
        };
        let report = annual_report(s, year)?;
        page(
            s,
            "overview",
            serde_json::json!({
                "f": filter_context(s, &f, year), "sp": sp, "map": map, "gemeenten": gemeenten,
                "trend": trend(s, &f)?, "r": report, "page": "overzicht",
            }),
        )
    })
    .await
}

async fn province(
    State(s): State<Shared>,
    Path(code): Path<String>,
    Query(f): Query<Filters>,
) -> Response {
    page_response(s, move |s| {
        let year = year_of(s, f.year)?;
        let Some(p) = s.engine.world.provinces.iter().find(|p| p.code == code) else {
            return Err(Problem::not_found(format!("no province `{code}`")));
        };
        let corops = spreading(s, &f.within(year, "corop", &code))?;
        let gemeenten = spreading(s, &f.within(year, "gemeente", &code))?;
        let own = spreading(s, &f.within(year, "province", &code))?;
        let per = f.per_thousand();
        page(s, "area", serde_json::json!({
            "f": filter_context(s, &f, year), "kind": "provincie", "code": code, "name": p.name,
            "own": own.areas.first(),
            "parent": serde_json::Value::Null,
            "children": corops, "children_kind": "COROP-gebieden", "child_link": "corop",
            "gemeenten": gemeenten, "map": choropleth(&corops, Layer::Corop, per, &keep(&f)), "page": "overzicht",
        }))
    })
    .await
}

async fn corop(
    State(s): State<Shared>,
    Path(code): Path<String>,
    Query(f): Query<Filters>,
) -> Response {
    page_response(s, move |s| {
        let year = year_of(s, f.year)?;
        let w = &s.engine.world;
        let Some(c) = w.corops.iter().find(|c| c.code == code) else {
            return Err(Problem::not_found(format!("no COROP area `{code}`")));
        };
        let province = w.provinces.iter().find(|p| p.code == c.province).map(|p| p.name.clone()).unwrap_or_default();
        let gemeenten = spreading(s, &f.within(year, "gemeente", &code))?;
        let per = f.per_thousand();
        page(s, "area", serde_json::json!({
            "f": filter_context(s, &f, year), "kind": "COROP-gebied", "code": code, "name": c.name, "own": serde_json::Value::Null,
            "parent": { "code": c.province, "name": province, "link": "provincie" },
            "children": gemeenten, "children_kind": "gemeenten", "child_link": "gemeente",
            "gemeenten": serde_json::Value::Null, "map": choropleth(&gemeenten, Layer::Gemeente, per, &keep(&f)), "page": "overzicht",
        }))
    })
    .await
}

async fn gemeente(
    State(s): State<Shared>,
    Path(code): Path<String>,
    Query(f): Query<Filters>,
) -> Response {
    page_response(s, move |s| {
        let year = year_of(s, f.year)?;
        let w = &s.engine.world;
        let Some(i) = w.gemeente_index(&code) else {
            return Err(Problem::not_found(format!("no gemeente `{code}`")));
        };
        let g = &w.gemeenten[i];
        let sp = spreading(s, &f.within(year, "gemeente", &code))?;
        let corop = w.corops.iter().find(|c| c.code == g.corop).map(|c| c.name.clone()).unwrap_or_default();
        page(s, "gemeente", serde_json::json!({
            "f": filter_context(s, &f, year), "g": sp.areas.first(), "corop": { "code": g.corop, "name": corop },
            "profile": s.engine.profile(i), "page": "overzicht",
        }))
    })
    .await
}

async fn cases(State(s): State<Shared>) -> Response {
    page_response(s, move |s| {
        let cases = s.with_register(|r| Ok(r.list(None)?))?;
        let examples: Vec<&str> = EXAMPLES
            .iter()
            .map(|(k, _)| *k)
            .filter(|k| !k.contains("/scenarios/"))
            .collect();
        page(
            s,
            "cases",
            serde_json::json!({
                "cases": cases, "examples": examples, "writes": s.config.token.is_some(),
                "statuses": crate::register::STATUSES, "page": "zaken",
            }),
        )
    })
    .await
}

async fn case(State(s): State<Shared>, Path(number): Path<String>) -> Response {
    page_response(s, move |s| {
        let d = case_detail(s, &number)?;
        page(s, "case", serde_json::json!({ "d": d, "page": "zaken" }))
    })
    .await
}

async fn deliveries(State(s): State<Shared>, Query(f): Query<Filters>) -> Response {
    page_response(s, move |s| {
        let year = f
            .year
            .unwrap_or_else(|| s.baselines.keys().last().copied().unwrap_or(0));
        let st = s.with_register(|r| {
            Ok(crate::spreading::annual::delivery_status(
                r,
                year,
                &s.engine.world,
            )?)
        })?;
        let years: Vec<i32> = (2021..=year.max(2021) + 1).collect();
        page(
            s,
            "deliveries",
            serde_json::json!({ "year": year, "years": years, "st": st, "page": "leveringen" }),
        )
    })
    .await
}

async fn advise(State(s): State<Shared>) -> Response {
    page_response(s, move |s| {
        let w = &s.engine.world;
        let criteria: Vec<serde_json::Value> = w
            .criteria
            .iter()
            .map(|c| serde_json::json!({ "id": c.id, "name": c.title, "weight": c.weight }))
            .collect();
        let examples: Vec<&str> = EXAMPLES
            .iter()
            .map(|(k, _)| *k)
            .filter(|k| !k.contains("/scenarios/"))
            .collect();
        page(
            s,
            "advise",
            serde_json::json!({ "criteria": criteria, "examples": examples, "page": "advies" }),
        )
    })
    .await
}

async fn scenario(State(s): State<Shared>, RawQuery(q): RawQuery) -> Response {
    let chosen: Vec<String> = q
        .unwrap_or_default()
        .split('&')
        .filter_map(|kv| kv.strip_prefix("s="))
        .map(|v| v.replace("%2F", "/"))
        .collect();
    page_response(s, move |s| {
        let available: Vec<&str> = EXAMPLES
            .iter()
            .map(|(k, _)| *k)
            .filter(|k| k.contains("/scenarios/"))
            .collect();
        let texts: Vec<String> = EXAMPLES
            .iter()
            .filter(|(k, _)| chosen.iter().any(|c| c == k))
            .map(|(_, t)| t.to_string())
            .collect();
        let outcomes = if texts.is_empty() {
            Vec::new()
        } else {
            run_scenarios(s, &texts)?
        };
        page(
            s,
            "scenario",
            serde_json::json!({
                "available": available, "chosen": chosen, "outcomes": outcomes, "page": "scenario",
            }),
        )
    })
    .await
}
