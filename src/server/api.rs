//! The JSON API under `/api/`: the same library calls as the command line (advise, validate,
//! explain, gemeente, travel, report, scenario, match), the register of cases and the deliveries.
//! Request and response types derive their JSON schemas for the OpenAPI description.

use std::collections::BTreeMap;
use std::time::Duration;

use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{AppState, Authorised, Body, Problem, Shared, blocking};
use crate::advice::RunOptions;
use crate::advice::letter::LetterView;
use crate::advice::robustness::RobustnessOverrides;
use crate::config::{SourceFile, check_case};
use crate::diag::{Diagnostic, Diagnostics};
use crate::model::Case;
use crate::register::{CaseRecord, DeliveryRecord, parse_date, today};
use crate::render::Lang;

/// The routes of the API.
pub fn routes() -> Router<Shared> {
    Router::new()
        .route("/api/health", get(health))
        .route("/api/openapi.json", get(openapi))
        .route("/api/advise", post(advise))
        .route("/api/validate", post(validate))
        .route("/api/explain", get(explain_list))
        .route("/api/explain/{id}", get(explain_one))
        .route("/api/gemeenten/{query}", get(gemeente))
        .route("/api/travel", get(travel))
        .route("/api/report", get(report))
        .route("/api/spreading", get(super::dashboard::spreading_api))
        .route("/api/scenario", post(scenario))
        .route("/api/match", post(matching))
        .route("/api/cases", get(cases).post(add_case))
        .route("/api/cases/{number}", get(case))
        .route("/api/cases/{number}/start", post(start_case))
        .route("/api/cases/{number}/advise", post(advise_case))
        .route("/api/cases/{number}/decision", post(decide_case))
        .route("/api/cases/{number}/verify", get(verify_case))
        .route("/api/deliveries", get(deliveries))
        .fallback(not_found)
}

async fn not_found() -> Problem {
    Problem::not_found("no such page or endpoint; the API is described at /api/openapi.json")
}

/// The server's state.
#[derive(Debug, Serialize, JsonSchema)]
pub struct Health {
    pub status: &'static str,
    pub engine_version: &'static str,
    /// SHA-256 over the profile and rule files the server loaded.
    pub rules_digest: String,
    /// The years with an estimated baseline.
    pub years: Vec<i32>,
    /// Whether writes are possible (a token is configured).
    pub writes: bool,
}

async fn health(State(s): State<Shared>) -> Json<Health> {
    Json(Health {
        status: "ok",
        engine_version: env!("CARGO_PKG_VERSION"),
        rules_digest: s.engine.world.digest.clone(),
        years: s.baselines.keys().copied().collect(),
        writes: s.config.token.is_some(),
    })
}

async fn openapi() -> Response {
    (
        [(header::CONTENT_TYPE, "application/json")],
        super::openapi::document(),
    )
        .into_response()
}

/// `POST /api/advise`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AdviseRequest {
    /// The case file's text (TOML), as `advise` reads it.
    pub case: String,
    /// Weights by criterion id, in place of the case's and the rules' weights (normalised).
    #[serde(default)]
    pub weights: BTreeMap<String, f64>,
    /// Run the robustness analysis (SMAA, stability, cross-check); default true.
    #[serde(default = "yes")]
    pub robustness: bool,
    /// Number of SMAA samples (default: the rules' settings), 1 to 1,000,000.
    pub samples: Option<usize>,
    /// Seed of the SMAA draws (default: the rules' settings).
    pub seed: Option<u64>,
    /// Principles switched off for this run.
    #[serde(default)]
    pub disable_principles: Vec<String>,
    /// Keep only the first `top` ranked and excluded locations in the answer (the conclusion,
    /// shortlist and robustness are computed over all of them).
    pub top: Option<usize>,
    /// `json` (default, the advice as data), `markdown` (the letter) or `text`.
    #[serde(default)]
    pub format: AdviseFormat,
    /// Language of the letter or text: `nl` (default) or `en`.
    #[serde(default)]
    pub lang: LangChoice,
}

fn yes() -> bool {
    true
}

/// The answer's format.
#[derive(Debug, Default, Clone, Copy, Deserialize, JsonSchema, PartialEq)]
#[serde(rename_all = "lowercase")]
pub enum AdviseFormat {
    #[default]
    Json,
    Markdown,
    Text,
}

/// A reader's language.
#[derive(Debug, Default, Clone, Copy, Deserialize, JsonSchema, PartialEq)]
#[serde(rename_all = "lowercase")]
pub enum LangChoice {
    #[default]
    Nl,
    En,
}

/// A case's text checked against the server's world; with weight overrides when given.
fn request_case(
    s: &AppState,
    text: &str,
    weights: &BTreeMap<String, f64>,
) -> Result<Case, Problem> {
    let mut diags = Diagnostics::default();
    let file = SourceFile {
        key: "case".into(),
        display: "<request>/case".into(),
        text: text.to_string(),
    };
    let case = check_case(&file, &s.engine.world, &mut diags);
    for (id, w) in weights {
        if s.engine.world.criteria.iter().all(|c| &c.id != id) {
            diags.push(
                Diagnostic::file(
                    "unknown-criterion",
                    "<request>/weights",
                    format!("unknown criterion `{id}`"),
                )
                .expected("a criterion id (see GET /api/explain)")
                .suggest(id, s.engine.world.criteria.iter().map(|c| c.id.as_str())),
            );
        } else if !(w.is_finite() && (0.0..=1000.0).contains(w)) {
            diags.push(
                Diagnostic::file(
                    "out-of-range",
                    "<request>/weights",
                    format!("the weight of `{id}` is `{w}`"),
                )
                .expected("a number from 0 to 1000"),
            );
        }
    }
    match case {
        Some(mut c) if diags.is_empty() => {
            if !weights.is_empty() {
                c.weights = weights.clone();
            }
            Ok(c)
        }
        _ => Err(Problem::invalid(diags)),
    }
}

/// The run options of an advise request; an unknown principle or a sample count out of range is
/// a located problem.
fn run_options(s: &AppState, r: &AdviseRequest) -> Result<RunOptions, Problem> {
    let mut diags = Diagnostics::default();
    for id in &r.disable_principles {
        if s.engine.world.principle(id).is_none() {
            diags.push(
                Diagnostic::file(
                    "unknown-principle",
                    "<request>/disable_principles",
                    format!("unknown principle `{id}`"),
                )
                .expected("a principle id (see GET /api/explain)")
                .suggest(id, s.engine.world.principles.iter().map(|p| p.id.as_str())),
            );
        }
    }
    if let Some(n) = r.samples.filter(|n| !(1..=1_000_000).contains(n)) {
        diags.push(
            Diagnostic::file(
                "out-of-range",
                "<request>/samples",
                format!("`{n}` samples"),
            )
            .expected("a whole number from 1 to 1000000"),
        );
    }
    if !diags.is_empty() {
        return Err(Problem::invalid(diags));
    }
    Ok(RunOptions {
        disable: r.disable_principles.clone(),
        robustness: RobustnessOverrides {
            off: !r.robustness,
            samples: r.samples,
            seed: r.seed,
            ..Default::default()
        },
    })
}

async fn advise(
    State(s): State<Shared>,
    Body(r): Body<AdviseRequest>,
) -> Result<Response, Problem> {
    blocking(&s, move |s| {
        let case = request_case(s, &r.case, &r.weights)?;
        let run = run_options(s, &r)?;
        let mut advice = s.engine.advise(&case, &run);
        let problems = s.engine.words.take_problems();
        if !problems.is_empty() {
            return Err(Problem::invalid(Diagnostics(problems)));
        }
        let lang = if r.lang == LangChoice::En {
            Lang::En
        } else {
            Lang::Nl
        };
        let (name, kind) = match (r.format, lang) {
            (AdviseFormat::Json, _) => {
                if let Some(top) = r.top {
                    advice.ranking.truncate(top);
                    advice.excluded.truncate(top);
                }
                return Ok(Json(advice).into_response());
            }
            (AdviseFormat::Markdown, Lang::Nl) => {
                ("advice/letter.nl.md", "text/markdown; charset=utf-8")
            }
            (AdviseFormat::Markdown, Lang::En) => {
                ("advice/letter.en.md", "text/markdown; charset=utf-8")
            }
            (AdviseFormat::Text, Lang::Nl) => ("advice/text.nl.txt", "text/plain; charset=utf-8"),
            (AdviseFormat::Text, Lang::En) => ("advice/text.en.txt", "text/plain; charset=utf-8"),
        };
        let view = LetterView::new(&advice, lang, r.top.unwrap_or(10));
        let text = s
            .templates
            .render(name, &serde_json::json!({ "v": view, "lang": view.lang }))
            .map_err(|d| Problem::invalid(Diagnostics(vec![*d])))?;
        Ok(([(header::CONTENT_TYPE, kind)], text).into_response())
    })
    .await
}

/// `POST /api/validate`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ValidateRequest {
    /// A case file's text (TOML).
    pub case: String,
}

/// Whether a case is valid, and every problem.
#[derive(Debug, Serialize, JsonSchema)]
pub struct Validation {
    pub valid: bool,
    pub problems: Vec<Diagnostic>,
}

async fn validate(State(s): State<Shared>, Body(r): Body<ValidateRequest>) -> Json<Validation> {
    let mut diags = Diagnostics::default();
    let file = SourceFile {
        key: "case".into(),
        display: "<request>/case".into(),
        text: r.case,
    };
    let ok = check_case(&file, &s.engine.world, &mut diags).is_some() && diags.is_empty();
    Json(Validation {
        valid: ok,
        problems: diags.0,
    })
}

async fn explain_list(State(s): State<Shared>) -> Json<serde_json::Value> {
    Json(serde_json::json!({ "entries": crate::rules::docs::entries(&s.engine.world) }))
}

async fn explain_one(
    State(s): State<Shared>,
    Path(id): Path<String>,
) -> Result<Json<serde_json::Value>, Problem> {
    let entries = crate::rules::docs::entries(&s.engine.world);
    let names: Vec<String> = entries.iter().map(|e| e.id.clone()).collect();
    match entries.into_iter().find(|e| e.id == id) {
        Some(e) => Ok(Json(serde_json::to_value(e).unwrap_or_default())),
        None => {
            let d = Diagnostic::file(
                "unknown-id",
                "<request>/id",
                format!("nothing is called `{id}`"),
            )
            .expected("a principle id, criterion id or attribute name (GET /api/explain)")
            .suggest(&id, names.iter().map(String::as_str));
            let mut p = Problem::not_found(format!("no principle, criterion or attribute `{id}`"));
            p.problems.push(d);
            Err(p)
        }
    }
}

async fn gemeente(
    State(s): State<Shared>,
    Path(q): Path<String>,
) -> Result<Json<serde_json::Value>, Problem> {
    blocking(&s, move |s| {
        let w = &s.engine.world;
        let found = w.find_gemeenten(&q);
        if found.is_empty() {
            let mut d = Diagnostic::file("unknown-gemeente", "<request>/query", format!("no gemeente `{q}`"))
                .expected("a CBS gemeente code (`GM0014`), a gemeente name (`Groningen`) or a name in common use (`Den Haag`)");
            if let Some(i) = w.similar_gemeente(&q) {
                d = d.help(format!("did you mean `{}` ({})?", w.gemeenten[i].name, w.gemeenten[i].code));
            }
            let mut p = Problem::not_found(format!("no gemeente `{q}`"));
            p.problems.push(d);
            return Err(p);
        }
        if found.len() > 1 {
            let names: Vec<String> = found.iter().map(|&i| w.gemeente_label(i)).collect();
            let msg = format!("`{q}` names {} gemeenten: {}", found.len(), names.join("; "));
            let mut p = Problem::invalid(Diagnostics(vec![Diagnostic::file(
                "ambiguous-gemeente",
                "<request>/query",
                msg,
            )
            .expected("one of their codes (or the full name with the province suffix)")]));
            p.detail = format!("`{q}` names {} gemeenten", found.len());
            return Err(p);
        }
        let profiles: Vec<_> = found.iter().map(|&i| s.engine.profile(i)).collect();
        Ok(Json(serde_json::to_value(profiles).unwrap_or_default()))
    })
    .await
}

/// `GET /api/travel?from=..&to=..`.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct TravelQuery {
    /// A station code (`UT`), a gemeente code (`GM0344`) or a gemeente name (`Utrecht`).
    pub from: String,
    /// Likewise.
    pub to: String,
}

async fn travel(
    State(s): State<Shared>,
    Query(q): Query<TravelQuery>,
) -> Result<Json<serde_json::Value>, Problem> {
    use crate::rail::travel::{Place, build};
    blocking(&s, move |s| {
        let w = &s.engine.world;
        let mut places = Vec::new();
        let mut diags = Diagnostics::default();
        for (field, given) in [("from", &q.from), ("to", &q.to)] {
            match Place::resolve(w, given) {
                Ok(p) => places.push(p),
                Err(e) => {
                    let kind = if e.matches.is_empty() {
                        "unknown-place"
                    } else {
                        "ambiguous-place"
                    };
                    let mut d = Diagnostic::file(kind, &format!("<request>/{field}"), e.message())
                        .expected(e.expected());
                    if let Some(h) = e.suggestion {
                        d = d.help(format!("did you mean `{h}`?"));
                    }
                    diags.push(d);
                }
            }
        }
        if !diags.is_empty() {
            return Err(Problem::invalid(diags));
        }
        build(w, places[0], places[1])
            .map(|r| Json(serde_json::to_value(r).unwrap_or_default()))
            .ok_or_else(|| {
                Problem::not_found(format!("no rail route from `{}` to `{}`", q.from, q.to))
            })
    })
    .await
}

/// `GET /api/report?year=Y`.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct YearQuery {
    /// The year (1 January); default the latest year with data.
    pub year: Option<i32>,
}

/// The year asked for, which must have a baseline.
pub(super) fn year_of(s: &AppState, year: Option<i32>) -> Result<i32, Problem> {
    let latest = s.baselines.keys().last().copied().unwrap_or(0);
    let y = year.unwrap_or(latest);
    if s.baselines.contains_key(&y) {
        return Ok(y);
    }
    let years: Vec<String> = s.baselines.keys().map(i32::to_string).collect();
    let mut p = Problem::new(
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid-input",
        format!("no figures for {y}"),
    );
    p.problems.push(
        Diagnostic::file(
            "no-baseline",
            "<request>/year",
            format!("no published national total for {y}"),
        )
        .expected(format!("one of the years with data: {}", years.join(", "))),
    );
    Err(p)
}

/// The annual report of `year` from the estimated baselines, with the register's cases and
/// deliveries of that year.
pub(super) fn annual_report(
    s: &AppState,
    year: i32,
) -> Result<crate::spreading::annual::AnnualReport, Problem> {
    use crate::spreading::annual;
    let cur = &s.baselines[&year];
    let prev = s.baselines.get(&(year - 1));
    let (cases, deliveries) = s.with_register(|r| {
        Ok((
            annual::register_lines(r, year)?,
            annual::delivery_status(r, year, &s.engine.world)?,
        ))
    })?;
    let mut report = annual::build(&s.engine.world, prev, cur, Some(&s.fitted), cases);
    report.deliveries = Some(deliveries);
    Ok(report)
}

async fn report(
    State(s): State<Shared>,
    Query(q): Query<YearQuery>,
) -> Result<Json<serde_json::Value>, Problem> {
    blocking(&s, move |s| {
        let y = year_of(s, q.year)?;
        Ok(Json(
            serde_json::to_value(annual_report(s, y)?).unwrap_or_default(),
        ))
    })
    .await
}

/// `POST /api/scenario`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ScenarioRequest {
    /// Scenario files' texts (TOML), compared side by side. `advice` mutations, which name a
    /// case file, are not available over the API.
    pub scenarios: Vec<String>,
}

async fn scenario(
    State(s): State<Shared>,
    Body(r): Body<ScenarioRequest>,
) -> Result<Json<serde_json::Value>, Problem> {
    blocking(&s, move |s| {
        let outcomes = run_scenarios(s, &r.scenarios)?;
        Ok(Json(serde_json::json!({ "scenarios": outcomes })))
    })
    .await
}

/// Each scenario checked and applied to the estimated baseline of its year.
pub(super) fn run_scenarios(
    s: &AppState,
    texts: &[String],
) -> Result<Vec<crate::spreading::scenario::Outcome>, Problem> {
    use crate::spreading::scenario::{apply, check, diagnostic};
    let mut diags = Diagnostics::default();
    let mut outcomes = Vec::new();
    for (i, text) in texts.iter().enumerate() {
        let file = SourceFile {
            key: format!("scenario {}", i + 1),
            display: format!("<request>/scenarios[{i}]"),
            text: text.clone(),
        };
        let Some(sc) = check(file, None, &s.engine.world, &mut diags) else {
            continue;
        };
        let Some(base) = s.baselines.get(&sc.baseline_year) else {
            diags.push(Diagnostic::file(
                "no-baseline",
                &sc.file,
                format!("no figures for the baseline year {}", sc.baseline_year),
            ));
            continue;
        };
        match apply(&s.engine.world, Some(&s.engine), base, &sc) {
            Ok(o) => outcomes.push(o),
            Err(e) => diags.push(diagnostic(&e)),
        }
    }
    if diags.is_empty() {
        Ok(outcomes)
    } else {
        Err(Problem::invalid(diags))
    }
}

/// `POST /api/match`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MatchRequest {
    /// A pipeline file's text (TOML) with every case inline.
    pub pipeline: String,
    /// Stop the solver after this many seconds (default 10, at most the server's time limit).
    pub time_limit: Option<f64>,
    /// `builtin`, `highs` (when the server was built with it) or `auto` (default).
    pub solver: Option<String>,
}

async fn matching(
    State(s): State<Shared>,
    Body(r): Body<MatchRequest>,
) -> Result<Json<serde_json::Value>, Problem> {
    blocking(&s, move |s| {
        let mut diags = Diagnostics::default();
        let file = SourceFile {
            key: "pipeline".into(),
            display: "<request>/pipeline".into(),
            text: r.pipeline,
        };
        let Some(p) = crate::matching::pipeline::check(&file, None, &s.engine.world, &mut diags)
        else {
            return Err(Problem::invalid(diags));
        };
        let cap = s.config.timeout.as_secs_f64() * 0.8;
        let limit = r
            .time_limit
            .filter(|t| t.is_finite() && *t > 0.0)
            .unwrap_or(10.0)
            .min(cap);
        let solver = crate::matching::Solver::parse(r.solver.as_deref().unwrap_or("auto"))
            .map_err(|e| {
                let mut p =
                    Problem::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid-input", e.clone());
                p.problems
                    .push(Diagnostic::file("invalid-value", "<request>/solver", e));
                p
            })?;
        let opts = crate::matching::pipeline::MatchOptions {
            solver,
            limit: Some(Duration::from_secs_f64(limit)),
            timing: true,
        };
        Ok(Json(
            match crate::matching::pipeline::run(&s.engine, &p, opts) {
                Ok(o) => serde_json::to_value(o).unwrap_or_default(),
                Err(e) => serde_json::json!({
                    "id": e.id,
                    "feasible": if e.timed_out { None } else { Some(false) },
                    "timed_out": e.timed_out,
                    "reasons": e.reasons,
                }),
            },
        ))
    })
    .await
}

/// The register's cases.
#[derive(Debug, Serialize, JsonSchema)]
pub struct CaseList {
    pub cases: Vec<CaseRecord>,
}

async fn cases(
    State(s): State<Shared>,
    Query(q): Query<YearQuery>,
) -> Result<Json<CaseList>, Problem> {
    blocking(&s, move |s| {
        let year = q.year.map(|y| i16::try_from(y).unwrap_or(-1));
        let cases = s.with_register(|r| Ok(r.list(year)?))?;
        Ok(Json(CaseList { cases }))
    })
    .await
}

/// `POST /api/cases`: register a case.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NewCase {
    /// The case number, for example `2026-014`.
    pub number: String,
    /// The date the case was received (YYYY-MM-DD).
    pub received: String,
    /// The case file's text (TOML), validated as `advise` validates it.
    pub case: String,
}

async fn add_case(
    State(s): State<Shared>,
    _: Authorised,
    Body(r): Body<NewCase>,
) -> Result<(StatusCode, Json<CaseRecord>), Problem> {
    blocking(&s, move |s| {
        let number = r.number.trim().to_string();
        if number.is_empty() || number.len() > 40 || number.chars().any(char::is_control) {
            let mut p = Problem::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid-input",
                "the case number is empty, longer than 40 characters or has control characters",
            );
            p.problems.push(
                Diagnostic::file(
                    "invalid-value",
                    "<request>/number",
                    format!("`{}`", r.number),
                )
                .expected("a case number such as 2026-014"),
            );
            return Err(p);
        }
        let received = parse_date(&r.received)?;
        let case = request_case(s, &r.case, &BTreeMap::new())?;
        s.with_register(|reg| {
            reg.add(&number, &case, &r.case, received)?;
            Ok((StatusCode::CREATED, Json(reg.get(&number)?)))
        })
    })
    .await
}

/// A case with every advice given for it.
#[derive(Debug, Serialize, JsonSchema)]
pub struct CaseDetail {
    pub case: CaseRecord,
    /// The case file's text.
    pub case_toml: String,
    pub advices: Vec<StoredAdvice>,
}

/// An advice as stored, its output as data.
#[derive(Debug, Serialize, JsonSchema)]
pub struct StoredAdvice {
    pub seq: i64,
    pub given: String,
    pub input_digest: String,
    pub engine_version: String,
    pub rules_digest: String,
    /// The advice as `advise --format json` printed it.
    pub advice: serde_json::Value,
}

/// Case `number` with its advices.
pub(super) fn case_detail(s: &AppState, number: &str) -> Result<CaseDetail, Problem> {
    s.with_register(|r| {
        let case = r.get(number)?;
        let case_toml = r.case_toml(number)?;
        let advices = r
            .advices(number)?
            .into_iter()
            .map(|a| StoredAdvice {
                seq: a.seq,
                given: a.given,
                input_digest: a.input_digest,
                engine_version: a.engine_version,
                rules_digest: a.rules_digest,
                advice: serde_json::from_str(&a.output_json).unwrap_or(serde_json::Value::Null),
            })
            .collect();
        Ok(CaseDetail {
            case,
            case_toml,
            advices,
        })
    })
}

async fn case(
    State(s): State<Shared>,
    Path(number): Path<String>,
) -> Result<Json<CaseDetail>, Problem> {
    blocking(&s, move |s| case_detail(s, &number).map(Json)).await
}

async fn start_case(
    State(s): State<Shared>,
    _: Authorised,
    Path(number): Path<String>,
) -> Result<Json<CaseRecord>, Problem> {
    blocking(&s, move |s| {
        s.with_register(|r| {
            r.start(&number)?;
            Ok(Json(r.get(&number)?))
        })
    })
    .await
}

/// `POST /api/cases/{number}/advise`.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AdviseCase {
    /// The date of the advice (YYYY-MM-DD); default today.
    pub date: Option<String>,
}

/// An advice stored for a case.
#[derive(Debug, Serialize, JsonSchema)]
pub struct AdviceStored {
    pub number: String,
    pub seq: i64,
    pub input_digest: String,
    /// False when a comply-or-explain motivation is missing.
    pub complete: bool,
    pub case: CaseRecord,
}

async fn advise_case(
    State(s): State<Shared>,
    _: Authorised,
    Path(number): Path<String>,
    Body(r): Body<AdviseCase>,
) -> Result<Json<AdviceStored>, Problem> {
    blocking(&s, move |s| {
        let given = r.date.as_deref().map_or_else(|| Ok(today()), parse_date)?;
        let text = s.with_register(|reg| Ok(reg.case_toml(&number)?))?;
        let (record, complete) =
            crate::register::advise_case(&s.engine, &number, text).map_err(Problem::invalid)?;
        s.with_register(|reg| {
            let seq = reg.record_advice(&number, given, &record)?;
            Ok(Json(AdviceStored {
                number: number.clone(),
                seq,
                input_digest: record.input_digest.clone(),
                complete,
                case: reg.get(&number)?,
            }))
        })
    })
    .await
}

/// `POST /api/cases/{number}/decision`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Decision {
    /// The date of the decision (YYYY-MM-DD).
    pub date: String,
    /// The decision in the ministry's words, for example "gevestigd in Assen".
    pub decision: String,
    /// Whether the decision follows the advice.
    pub followed: bool,
    /// Why the advice was not followed (required when `followed` is false).
    pub motivation: Option<String>,
}

async fn decide_case(
    State(s): State<Shared>,
    _: Authorised,
    Path(number): Path<String>,
    Body(r): Body<Decision>,
) -> Result<Json<CaseRecord>, Problem> {
    blocking(&s, move |s| {
        let date = parse_date(&r.date)?;
        s.with_register(|reg| {
            reg.decide(
                &number,
                date,
                &r.decision,
                r.followed,
                r.motivation.as_deref(),
            )?;
            Ok(Json(reg.get(&number)?))
        })
    })
    .await
}

/// The outcome of re-running a stored advice.
#[derive(Debug, Serialize, JsonSchema)]
pub struct Verification {
    pub number: String,
    pub seq: i64,
    pub same_input: bool,
    pub same_output: bool,
    pub input_digest_then: String,
    pub input_digest_now: String,
}

async fn verify_case(
    State(s): State<Shared>,
    Path(number): Path<String>,
) -> Result<Json<Verification>, Problem> {
    blocking(&s, move |s| {
        let (last, text) = s.with_register(|r| {
            let last = r.advices(&number)?.pop();
            Ok((last, r.case_toml(&number)?))
        })?;
        let Some(last) = last else {
            return Err(Problem::new(
                StatusCode::CONFLICT,
                "no-advice",
                format!("case `{number}` has no advice yet: nothing to verify"),
            ));
        };
        let (now, _) =
            crate::register::advise_case(&s.engine, &number, text).map_err(Problem::invalid)?;
        Ok(Json(Verification {
            number,
            seq: last.seq,
            same_input: now.input_digest == last.input_digest,
            same_output: now.output_json == last.output_json,
            input_digest_then: last.input_digest,
            input_digest_now: now.input_digest,
        }))
    })
    .await
}

/// Which ministries delivered their figures for a year.
#[derive(Debug, Serialize, JsonSchema)]
pub struct Deliveries {
    pub year: i32,
    pub delivered: Vec<DeliveryRecord>,
    /// Ministries without a delivery for the year.
    pub missing: Vec<String>,
    /// True when every ministry delivered.
    pub complete: bool,
    /// What a partial delivery means for comparisons.
    pub note: String,
}

async fn deliveries(
    State(s): State<Shared>,
    Query(q): Query<YearQuery>,
) -> Result<Json<Deliveries>, Problem> {
    blocking(&s, move |s| {
        let year = q.year.unwrap_or_else(|| s.baselines.keys().last().copied().unwrap_or(0));
        let st = s.with_register(|r| Ok(crate::spreading::annual::delivery_status(r, year, &s.engine.world)?))?;
        Ok(Json(Deliveries {
            year,
            note: if st.complete {
                "every ministry delivered: the delivered figures are complete for this year".into()
            } else {
                "a partial delivery covers only the ministries that delivered; it is not comparable with the full estimate".into()
            },
            delivered: st.delivered,
            missing: st.missing,
            complete: st.complete,
        }))
    })
    .await
}
