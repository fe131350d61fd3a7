//! A pipeline of several cases matched to locations at once (`match`): the pipeline file, the
//! advice scores per case and location, the exact matching ([`crate::matching`]) and the outcome
//! with regrets, binding constraints and the effect on spreading.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Duration;

use serde::{Deserialize, Serialize};
use toml::Spanned;

use crate::advice::robustness::RobustnessOverrides;
use crate::advice::{Engine, RunOptions};
use crate::config::raw::CaseFile;
use crate::config::{Checker, SourceFile, check_raw_case, load_case, parse_toml, read_text};
use crate::diag::{Diagnostic, Diagnostics};
use crate::matching::{self, Loads, Problem, Service, Solver, Status};
use crate::model::{Case, CaseKind, World};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PipelineFile {
    pipeline: Head,
    #[serde(default)]
    capacities: BTreeMap<Spanned<String>, Spanned<f64>>,
    service: Vec<Spanned<ServiceRaw>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Head {
    id: Spanned<String>,
    title: String,
    description: Option<String>,
    min_outside_randstad_share: Option<Spanned<f64>>,
    max_services_per_location: Option<Spanned<i64>>,
    region_cap_share: Option<Spanned<f64>>,
    default_capacity: Option<Spanned<f64>>,
    capacity_note: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ServiceRaw {
    case: Option<Spanned<String>>,
    /// A case given in the pipeline file itself; its spans point into the pipeline file.
    inline: Option<Box<CaseFile>>,
    split: Option<bool>,
}

/// A validated pipeline.
#[derive(Debug, Clone)]
pub struct Pipeline {
    pub id: String,
    pub title: String,
    pub description: Option<String>,
    pub cases: Vec<(Case, bool)>,
    pub capacities: BTreeMap<String, f64>,
    pub default_capacity: Option<f64>,
    pub capacity_note: Option<String>,
    pub min_outside_share: Option<f64>,
    pub max_per_location: Option<usize>,
    pub region_cap_share: Option<f64>,
}

/// Reads and validates a pipeline file and its cases.
pub fn load(path: &Path, world: &World, diags: &mut Diagnostics) -> Option<Pipeline> {
    let text = read_text(path, diags)?;
    let f = SourceFile {
        key: path.display().to_string(),
        display: path.display().to_string(),
        text,
    };
    check(
        &f,
        Some(path.parent().unwrap_or(Path::new("."))),
        world,
        diags,
    )
}

/// Validates a pipeline given as text. A service's `case` names a file relative to `base`;
/// without a base (a pipeline sent to the API) every case must be inline.
pub fn check(
    f: &SourceFile,
    base: Option<&Path>,
    world: &World,
    diags: &mut Diagnostics,
) -> Option<Pipeline> {
    let raw: PipelineFile = parse_toml(f, diags)?;
    let before = diags.0.len();
    let mut ck = Checker { diags };
    check_limits(&mut ck, f, &raw, world);
    let mut cases = Vec::new();
    for s in &raw.service {
        if let Some(c) = pipeline_case(&mut ck, f, base, s, world) {
            cases.push((c, s.get_ref().split.unwrap_or(false)));
        }
    }
    let ids: Vec<&String> = cases.iter().map(|(c, _)| &c.id).collect();
    for (i, id) in ids.iter().enumerate() {
        if ids[..i].contains(id) {
            ck.diags.push(Diagnostic::file(
                "duplicate-id",
                &f.display,
                format!("case `{id}` appears twice in the pipeline"),
            ));
        }
    }
    if diags.0.len() > before {
        return None;
    }
    let h = &raw.pipeline;
    Some(Pipeline {
        id: h.id.get_ref().clone(),
        title: h.title.clone(),
        description: h.description.clone(),
        cases,
        capacities: raw
            .capacities
            .iter()
            .map(|(k, v)| (k.get_ref().clone(), *v.get_ref()))
            .collect(),
        default_capacity: h.default_capacity.as_ref().map(|v| *v.get_ref()),
        capacity_note: h.capacity_note.clone(),
        min_outside_share: h.min_outside_randstad_share.as_ref().map(|v| *v.get_ref()),
        max_per_location: h
            .max_services_per_location
            .as_ref()
            .map(|v| *v.get_ref() as usize),
        region_cap_share: h.region_cap_share.as_ref().map(|v| *v.get_ref()),
    })
}

/// Capacities, shares and the maximum per location within their ranges; at least one service.
fn check_limits(ck: &mut Checker, f: &SourceFile, raw: &PipelineFile, world: &World) {
    let h = &raw.pipeline;
    let gemeenten = world.gemeenten.iter().map(|g| g.code.clone()).collect();
    for (k, v) in &raw.capacities {
        ck.known("unknown-gemeente", "gemeente", f, k, &gemeenten);
        ck.range(f, v, 0.0, 1e6, "capacity");
    }
    for v in [&h.min_outside_randstad_share, &h.region_cap_share]
        .into_iter()
        .flatten()
    {
        ck.range(f, v, 0.0, 1.0, "share");
    }
    if let Some(v) = &h.default_capacity {
        ck.range(f, v, 0.0, 1e6, "default_capacity");
    }
    if let Some(v) = &h.max_services_per_location
        && !(1..=1000).contains(v.get_ref())
    {
        ck.err(
            "out-of-range",
            f,
            v.span(),
            format!("`{}` is out of range", v.get_ref()),
        )
        .expected = Some("a whole number from 1 to 1000".into());
    }
    if raw.service.is_empty() {
        ck.diags.push(
            Diagnostic::file("missing-key", &f.display, "the pipeline has no services")
                .expected("one or more `[[service]]` tables"),
        );
    }
}

/// A service's case: a case file next to the pipeline or an inline case table; not a shrink.
fn pipeline_case(
    ck: &mut Checker,
    f: &SourceFile,
    base: Option<&Path>,
    s: &Spanned<ServiceRaw>,
    world: &World,
) -> Option<Case> {
    let r = s.get_ref();
    let case = match (&r.case, &r.inline) {
        (Some(p), None) => {
            let Some(base) = base else {
                ck.err(
                    "unsupported",
                    f,
                    p.span(),
                    "a pipeline sent over the API cannot name a case file",
                )
                .expected = Some("the case as an `inline` table".into());
                return None;
            };
            let target = base.join(p.get_ref());
            if !target.is_file() {
                ck.err(
                    "unreadable-file",
                    f,
                    p.span(),
                    format!("case file `{}` not found", target.display()),
                );
                return None;
            }
            load_case(&target, world, ck.diags)
        }
        (None, Some(inline)) => check_raw_case(inline, f, world, ck.diags),
        _ => {
            ck.err(
                "invalid-value",
                f,
                s.span(),
                "a service needs exactly one of `case` (a path) and `inline` (a case table)",
            );
            return None;
        }
    }?;
    if case.kind == CaseKind::Shrink {
        ck.err("invalid-value", f, s.span(), format!("case `{}` is a shrink case; a pipeline places new services, growth and relocations", case.id));
        return None;
    }
    Some(case)
}

/// A location a service is placed at.
#[derive(Debug, Clone, Serialize)]
pub struct Placed {
    pub location: String,
    pub name: String,
    pub province: String,
    pub randstad: bool,
    /// Share of the service placed here.
    pub share: f64,
    pub fte: f64,
    pub score: f64,
}

/// One service in the outcome.
#[derive(Debug, Clone, Serialize)]
pub struct ServiceOutcome {
    pub case: String,
    pub title: String,
    pub fte: f64,
    pub split_allowed: bool,
    pub placed: Vec<Placed>,
    /// The service's own best location and score.
    pub best_location: String,
    pub best_name: String,
    pub best_score: f64,
    /// Best score minus the (share-weighted) score where it was placed.
    pub regret: f64,
    /// Why it is not at its own best location, if it is not.
    pub binding: Vec<String>,
}

/// FTE of the pipeline per province.
#[derive(Debug, Clone, Serialize)]
pub struct ProvinceFte {
    pub province: String,
    pub name: String,
    pub fte: f64,
}

/// The outcome of `match`.
#[derive(Debug, Clone, Serialize)]
pub struct MatchOutcome {
    pub id: String,
    pub title: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// `optimal`, or `time-limit` with the gap to the LP bound.
    pub status: String,
    pub gap: Option<f64>,
    /// Total FTE-weighted score: sum of FTE x score x share.
    pub objective: f64,
    /// Upper bound on the objective from the LP relaxation (the pattern LP where no service
    /// may be split).
    pub bound: f64,
    /// How the exact search went.
    pub search: Search,
    pub services: Vec<ServiceOutcome>,
    pub fte_total: f64,
    pub fte_inside_randstad: f64,
    pub fte_outside_randstad: f64,
    pub per_province: Vec<ProvinceFte>,
    pub capacity_note: Option<String>,
    pub objective_note: String,
}

/// How the exact search went (deterministic unless the time limit stopped it).
#[derive(Debug, Clone, Serialize)]
pub struct Search {
    /// The solver that ran: `builtin` or `highs`.
    pub solver: String,
    /// Wall time of the advices behind the scores and of the solve, in seconds (only with
    /// `--timing`: they differ from run to run).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timing: Option<Timing>,
    /// Pairs (service, gemeente) a service can take at all.
    pub pairs_eligible: usize,
    /// Pairs left after fixing by reduced costs: only these can be part of an optimal
    /// assignment.
    pub pairs_kept: usize,
    /// Branch-and-bound nodes of the search that gave the result.
    pub nodes: u64,
}

/// Wall times of a match, in seconds.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Timing {
    pub advice_seconds: f64,
    pub solve_seconds: f64,
}

/// How a match is run: the solver, the time limit, and whether the output gives wall times.
#[derive(Debug, Clone, Copy)]
pub struct MatchOptions {
    pub solver: Solver,
    pub limit: Option<Duration>,
    pub timing: bool,
}

/// Why a pipeline has no assignment.
#[derive(Debug, Clone, Serialize)]
pub struct NoAssignment {
    pub id: String,
    pub reasons: Vec<String>,
    /// The time limit ran out first: no assignment was found, none was ruled out.
    pub timed_out: bool,
}

/// How the search went: the solver, the pairs, the nodes and (asked for) the wall times.
fn search(opts: MatchOptions, a: &matching::Assignment, advice_seconds: f64) -> Search {
    Search {
        solver: opts.solver.name().into(),
        timing: opts.timing.then_some(Timing {
            advice_seconds,
            solve_seconds: a.seconds,
        }),
        pairs_eligible: a.pairs_eligible,
        pairs_kept: a.pairs_kept,
        nodes: a.nodes,
    }
}

/// The FTE placed per province.
fn per_province(w: &World, loads: &Loads) -> Vec<ProvinceFte> {
    w.provinces
        .iter()
        .enumerate()
        .map(|(r, pr)| ProvinceFte {
            province: pr.code.clone(),
            name: pr.name.clone(),
            fte: loads.region[r],
        })
        .collect()
}

/// `f` over `items` on every core (the advices of a pipeline share the engine), in order.
fn in_parallel<T: Sync, U: Send>(items: &[T], f: impl Fn(&T) -> U + Sync) -> Vec<U> {
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(items.len().max(1));
    let chunk = items.len().div_ceil(threads).max(1);
    std::thread::scope(|scope| {
        let handles: Vec<_> = items
            .chunks(chunk)
            .map(|part| scope.spawn(|| part.iter().map(&f).collect::<Vec<U>>()))
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .collect()
    })
}

/// Builds the matching problem from the advice of each case.
pub fn problem(engine: &Engine, p: &Pipeline) -> Problem {
    let w = &engine.world;
    let run = RunOptions {
        robustness: RobustnessOverrides {
            off: true,
            ..Default::default()
        },
        ..Default::default()
    };
    let services = in_parallel(&p.cases, |(c, split)| {
        let a = engine.advise(c, &run);
        // A location the principles admit only with a motivation (a Randstad location for
        // a new, growing or relocating service without one) is not eligible.
        let mut scores = vec![None; w.gemeenten.len()];
        for r in a
            .ranking
            .iter()
            .filter(|r| !r.lower_tiers.iter().any(|t| t.needs_motivation))
        {
            if let Some(i) = w.gemeente_index(&r.location) {
                scores[i] = Some(r.score);
            }
        }
        Service {
            fte: c.fte,
            scores,
            split: *split,
        }
    });
    let province_index = |code: &str| w.provinces.iter().position(|x| x.code == code).unwrap_or(0);
    Problem {
        services,
        capacity: w
            .gemeenten
            .iter()
            .map(|g| p.capacities.get(&g.code).copied().or(p.default_capacity))
            .collect(),
        region: w
            .gemeenten
            .iter()
            .map(|g| province_index(&g.province))
            .collect(),
        region_cap: w
            .provinces
            .iter()
            .map(|pr| p.region_cap_share.map(|s| s * pr.labour_force.value))
            .collect(),
        randstad: w
            .gemeenten
            .iter()
            .map(|g| w.in_randstad(&g.province))
            .collect(),
        max_per_location: p.max_per_location,
        min_outside_share: p.min_outside_share,
    }
}

/// Matches the pipeline; `Err` explains an infeasible pipeline.
pub fn run(
    engine: &Engine,
    p: &Pipeline,
    opts: MatchOptions,
) -> Result<MatchOutcome, NoAssignment> {
    let w = &engine.world;
    let started = std::time::Instant::now();
    let prob = problem(engine, p);
    let advice_seconds = started.elapsed().as_secs_f64();
    let a = matching::solve_with(&prob, opts.limit, opts.solver)
        .map_err(|inf| no_assignment(p, &inf))?;
    tracing::info!(
        solver = opts.solver.name(),
        advice_seconds,
        solve_seconds = a.seconds,
        nodes = a.nodes,
        "match solved"
    );
    let search = search(opts, &a, advice_seconds);
    let loads = Loads::of(&prob, &a.placed);
    let total: f64 = prob.services.iter().map(|s| s.fte).sum();
    let services = a
        .placed
        .iter()
        .enumerate()
        .map(|(s, pl)| service_outcome(w, &prob, &loads, total, &p.cases[s].0, s, pl))
        .collect();
    let (status, gap) = match a.status {
        Status::Optimal => ("optimal".to_string(), None),
        Status::TimeLimit { gap } => ("time-limit".to_string(), Some(gap)),
    };
    let per_province = per_province(w, &loads);
    Ok(MatchOutcome {
        id: p.id.clone(),
        title: p.title.clone(),
        description: p.description.clone(),
        status,
        gap,
        objective: a.objective,
        bound: a.bound,
        search,
        services,
        fte_total: total,
        fte_inside_randstad: total - loads.outside,
        fte_outside_randstad: loads.outside,
        per_province,
        capacity_note: p.capacity_note.clone(),
        objective_note: "maximised: the sum over services of FTE x advice score x share placed (FTE-weighted); on a tie, a service moves to a location with the same score and a lower gemeente code when that breaks no constraint".into(),
    })
}

/// Why no assignment exists, in the pipeline's case names.
fn no_assignment(p: &Pipeline, inf: &matching::Infeasible) -> NoAssignment {
    let mut reasons: Vec<String> = inf
        .services
        .iter()
        .map(|(s, why)| format!("case `{}`: {why}", p.cases[*s].0.id))
        .collect();
    reasons.extend(inf.reasons.iter().cloned());
    if !inf.culprits.is_empty() {
        reasons.push(format!(
            "dropping any one of these makes the pipeline feasible (LP relaxation): {}",
            inf.culprits
                .iter()
                .map(|c| c.name())
                .collect::<Vec<_>>()
                .join("; ")
        ));
    }
    NoAssignment {
        id: p.id.clone(),
        reasons,
        timed_out: inf.timed_out,
    }
}

/// Where service `s` was placed, its best location on its own and the regret.
fn service_outcome(
    w: &World,
    prob: &Problem,
    loads: &Loads,
    total: f64,
    case: &Case,
    s: usize,
    pl: &[(usize, f64)],
) -> ServiceOutcome {
    let svc = &prob.services[s];
    let best = (0..w.gemeenten.len())
        .filter(|&l| svc.scores[l].is_some())
        .max_by(|&x, &y| {
            svc.scores[x]
                .unwrap()
                .total_cmp(&svc.scores[y].unwrap())
                .then(y.cmp(&x))
        })
        .unwrap_or(0);
    let best_score = svc.scores[best].unwrap_or(0.0);
    let got: f64 = pl
        .iter()
        .map(|(l, sh)| svc.scores[*l].unwrap_or(0.0) * sh)
        .sum();
    let at_best = pl
        .iter()
        .any(|(l, sh)| *l == best && (*sh - 1.0).abs() < 1e-9);
    ServiceOutcome {
        case: case.id.clone(),
        title: case.title.clone(),
        fte: svc.fte,
        split_allowed: svc.split,
        placed: pl
            .iter()
            .map(|(l, sh)| {
                let g = &w.gemeenten[*l];
                Placed {
                    location: g.code.clone(),
                    name: g.name.clone(),
                    province: g.province.clone(),
                    randstad: prob.randstad[*l],
                    share: *sh,
                    fte: svc.fte * sh,
                    score: svc.scores[*l].unwrap_or(0.0),
                }
            })
            .collect(),
        best_location: w.gemeenten[best].code.clone(),
        best_name: w.gemeenten[best].name.clone(),
        best_score,
        regret: best_score - got,
        binding: if at_best {
            Vec::new()
        } else {
            binding(w, prob, loads, total, s, pl, best)
        },
    }
}

/// The minimum share outside the Randstad, when moving a service of `fte` placed as `pl` to
/// `best` (in the Randstad) would break it.
fn outside_binding(
    prob: &Problem,
    loads: &Loads,
    total: f64,
    fte: f64,
    pl: &[(usize, f64)],
    best: usize,
) -> Option<String> {
    let m = prob.min_outside_share?;
    let moving_out: f64 = pl
        .iter()
        .filter(|(l, _)| !prob.randstad[*l])
        .map(|(_, sh)| fte * sh)
        .sum();
    (prob.randstad[best] && loads.outside - moving_out < m * total - 1e-9).then(|| {
        format!(
            "the minimum share outside the Randstad ({:.0}%) would not be met",
            m * 100.0
        )
    })
}

/// The constraints that keep service `s` from its best location `best`.
fn binding(
    w: &World,
    prob: &Problem,
    loads: &Loads,
    total: f64,
    s: usize,
    pl: &[(usize, f64)],
    best: usize,
) -> Vec<String> {
    let svc = &prob.services[s];
    let mut binding = Vec::new();
    let here = pl
        .iter()
        .find(|(l, _)| *l == best)
        .map_or(0.0, |(_, sh)| *sh);
    let extra = svc.fte * (1.0 - here);
    let g = &w.gemeenten[best];
    if let Some(c) = prob.capacity[best]
        && loads.load[best] + extra > c + 1e-9
    {
        binding.push(format!(
            "workplaces at {}: {} of {} used by the pipeline",
            g.name,
            loads.load[best].round(),
            c
        ));
    }
    if let Some(m) = prob.max_per_location
        && here == 0.0
        && loads.count[best] >= m
    {
        binding.push(format!(
            "{} already has {m} service(s), the maximum per location",
            g.name
        ));
    }
    let r = prob.region[best];
    if let Some(c) = prob.region_cap[r]
        && loads.region[r] + extra > c + 1e-9
    {
        binding.push(format!(
            "the cap on FTE added in {} ({} FTE) would be exceeded",
            w.provinces[r].name,
            c.round()
        ));
    }
    binding.extend(outside_binding(prob, loads, total, svc.fte, pl, best));
    if binding.is_empty() {
        binding.push("no single constraint: the pipeline as a whole scores higher with this service elsewhere".into());
    }
    binding
}
