//! Matching several services to locations at once, exactly: [`pipeline`] reads the pipeline
//! file, scores every case by its advice and reports the outcome; this module is the solver, a
//! mixed-integer program solved by branch and bound (the pure-Rust `microlp` solver), after an
//! exact reduction.
//!
//! Maximise the FTE-weighted score `sum_s sum_l fte_s * score_sl * x_sl` subject to: each service
//! wholly at one feasible location (`x` binary), or split over locations (fractions that sum to
//! one) when it may be split; workplaces per location; at most N services per location; FTE
//! added per region at most a cap; and at least a share of the FTE outside the Randstad.
//!
//! The solve has these steps, none of which gives up exactness:
//! 1. *Eligibility.* A service that may not be split cannot go where its FTE exceeds the
//!    workplaces or the region cap; those pairs (service, location) are removed.
//! 2. *Bound and reduced costs.* When no service may be split, the bound comes from the
//!    *pattern* LP: one column per location and set of services that fit there together, so the
//!    relaxation already knows that two large services cannot share a building. Its dual is
//!    solved by generating rows (a small knapsack per location finds the most violated
//!    pattern). Otherwise the dual of the pair LP, tightened with conflict cliques, is used.
//!    Either way the multipliers give a bound `D` and, per pair (s, l), a reduced cost
//!    `d_sl >= 0` such that every assignment that puts s at l scores at most `D - d_sl`.
//!    *Region patterns* (no service split): the bound of the LP whose columns are whole
//!    region patterns (which services go where within one region, within its cap) knows that
//!    a cap of 400 FTE takes one service of 250 FTE and not one and a half, which closes most
//!    of the gap the pattern LP leaves when region caps bind. It tightens the bound and the
//!    reduced costs, and a best-first search over the services (`region_search`), each node
//!    bounded by the same LP under its fixings, proves the optimum when it finishes within its
//!    node budget (and half the time left); otherwise its best assignment and its bound on the
//!    nodes left go on to the next steps.
//! 3. *Incumbent.* A greedy start led by the reduced costs, improved by moves and swaps, and a
//!    search over the pairs with the smallest reduced costs give a feasible assignment of
//!    score `z`; when that search does not finish, a neighbourhood search (the services of two
//!    regions freed at a time, searched exactly within a node budget) improves it.
//! 4. *Fixing and the final search.* Pairs with `D - d_sl < z` cannot be part of any assignment
//!    that scores at least `z`, so they are removed; branch and bound over the remaining pairs
//!    (as location patterns where possible), started from the incumbent, proves the optimum to a
//!    relative tolerance of 1e-9. When step 3 already searched every remaining pair to the end,
//!    its result is the proof.
//!
//! A time limit stops the search with the best assignment found and its gap to the best bound.
//!
//! Here: the problem, the staged solve and the tie rule. `bound` holds the duals (step 2),
//! `region` the region-pattern bound and `region_search` the search over it (also step 2),
//! `heuristic` the starting assignments (step 3), `model` the pair and pattern models and the
//! solver call, `explain` the explanation of an infeasible problem.
//!
//! Ties: between optimal assignments the solver's choice is deterministic; afterwards a service
//! is moved to a location with an equal score and a lower index whenever that keeps every
//! constraint, so a tie goes to the lower gemeente code.

// Loops over (service, location) indices read more clearly than zipped iterators here.
#![allow(clippy::needless_range_loop)]

mod bound;
mod explain;
mod heuristic;
#[cfg(feature = "highs")]
mod highs;
mod model;
pub mod pipeline;
mod pricing;
mod region;
mod region_search;

pub use explain::explain;

use std::time::{Duration, Instant};

use bound::{Dual, dual, pattern_dual};
use heuristic::{heuristic, improve};
use microlp::{SolveOptions, TerminationReason};
use model::{Model, Run, model, pattern_model, run, warm_start};

/// One service to place.
#[derive(Debug, Clone, PartialEq)]
pub struct Service {
    pub fte: f64,
    /// Score per location; `None` where the location is excluded for this service.
    pub scores: Vec<Option<f64>>,
    /// May the service be split over several locations?
    pub split: bool,
}

/// A matching problem over `locations` indexed 0..n.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    pub services: Vec<Service>,
    /// Workplaces per location (`None`: unlimited).
    pub capacity: Vec<Option<f64>>,
    /// Region of each location (an index into `region_cap`).
    pub region: Vec<usize>,
    /// FTE that may be added per region (`None`: unlimited).
    pub region_cap: Vec<Option<f64>>,
    /// Whether each location is in the Randstad.
    pub randstad: Vec<bool>,
    /// At most this many services per location.
    pub max_per_location: Option<usize>,
    /// At least this share of the pipeline's FTE outside the Randstad.
    pub min_outside_share: Option<f64>,
}

/// How the solver ended.
#[derive(Debug, Clone, PartialEq)]
pub enum Status {
    /// Branch and bound finished: the assignment is optimal.
    Optimal,
    /// The time limit stopped the search; `gap` is the relative distance to the best bound.
    TimeLimit { gap: f64 },
}

/// An optimal (or best found) assignment.
#[derive(Debug, Clone, PartialEq)]
pub struct Assignment {
    /// Per service, the locations with the share of the service placed there (shares sum to 1).
    pub placed: Placement,
    /// `sum fte_s * score_sl * share`.
    pub objective: f64,
    pub status: Status,
    /// The LP-relaxation bound on the objective.
    pub bound: f64,
    pub seconds: f64,
    /// Pairs (service, location) the final search kept, of all eligible pairs.
    pub pairs_kept: usize,
    pub pairs_eligible: usize,
    /// Branch-and-bound nodes of the final search.
    pub nodes: u64,
}

impl Assignment {
    /// The relative gap to the best bound: 0 when proven optimal.
    pub fn gap(&self) -> f64 {
        match self.status {
            Status::Optimal => 0.0,
            Status::TimeLimit { gap } => gap,
        }
    }
}

/// The solver of the mixed-integer program.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Solver {
    /// The pure-Rust solver of this module (always there).
    Builtin,
    /// HiGHS, when compiled in (feature `highs`).
    #[cfg(feature = "highs")]
    Highs,
}

impl Solver {
    /// The name used on the command line and in the output.
    pub fn name(self) -> &'static str {
        match self {
            Solver::Builtin => "builtin",
            #[cfg(feature = "highs")]
            Solver::Highs => "highs",
        }
    }

    /// Every solver compiled in, the builtin one first.
    pub fn available() -> Vec<Solver> {
        vec![
            Solver::Builtin,
            #[cfg(feature = "highs")]
            Solver::Highs,
        ]
    }

    /// `auto`: HiGHS when compiled in, else the builtin solver.
    pub fn auto() -> Solver {
        *Solver::available().last().unwrap_or(&Solver::Builtin)
    }

    /// The solver called `name` (`builtin`, `highs` or `auto`); an error says what this build
    /// offers.
    pub fn parse(name: &str) -> Result<Solver, String> {
        match name {
            "auto" => Ok(Solver::auto()),
            "builtin" => Ok(Solver::Builtin),
            #[cfg(feature = "highs")]
            "highs" => Ok(Solver::Highs),
            #[cfg(not(feature = "highs"))]
            "highs" => Err("this build has no HiGHS: build with `cargo build --release --features highs` (needs cmake, a C++ compiler and libclang), or use --solver builtin".into()),
            other => Err(format!("unknown solver `{other}`; expected builtin, highs or auto")),
        }
    }
}

/// Solves the problem with `solver`, exactly, or within `limit`.
pub fn solve_with(
    p: &Problem,
    limit: Option<Duration>,
    solver: Solver,
) -> Result<Assignment, Infeasible> {
    match solver {
        Solver::Builtin => solve(p, limit),
        #[cfg(feature = "highs")]
        Solver::Highs => highs::solve(p, limit),
    }
}

/// Which constraint family is meant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    Capacity,
    PerLocation,
    RegionCap,
    OutsideShare,
    Integrality,
}

impl Family {
    /// A readable name.
    pub fn name(self) -> &'static str {
        match self {
            Family::Capacity => "workplace capacities",
            Family::PerLocation => "the maximum number of services per location",
            Family::RegionCap => "the caps on FTE added per region",
            Family::OutsideShare => "the minimum share outside the Randstad",
            Family::Integrality => "services that may not be split",
        }
    }
}

/// The problem has no solution.
#[derive(Debug, Clone, PartialEq)]
pub struct Infeasible {
    /// Single services that cannot be placed at all, with the reason.
    pub services: Vec<(usize, String)>,
    /// Constraint families whose removal (one at a time) makes the problem feasible.
    pub culprits: Vec<Family>,
    /// Plain explanations.
    pub reasons: Vec<String>,
    /// The time limit ran out before any assignment was found: nothing is proven.
    pub timed_out: bool,
}

/// Per service, the locations and shares.
type Placement = Vec<Vec<(usize, f64)>>;

/// Which pairs (service, location) a model has a variable for.
type Pairs = Vec<Vec<bool>>;

/// Slack on feasibility checks of FTE sums (FTE are given to 0.1).
const FTE_TOL: f64 = 1e-6;

impl Problem {
    fn n(&self) -> usize {
        self.capacity.len()
    }

    fn total_fte(&self) -> f64 {
        self.services.iter().map(|s| s.fte).sum()
    }

    /// Pairs a service can take: scored, and for a service that may not be split, within the
    /// workplaces and the region cap.
    fn eligible(&self) -> Pairs {
        self.services
            .iter()
            .map(|s| {
                (0..self.n())
                    .map(|l| {
                        s.scores[l].is_some()
                            && (s.split
                                || (self.capacity[l].is_none_or(|c| s.fte <= c + FTE_TOL)
                                    && self.region_cap[self.region[l]]
                                        .is_none_or(|c| s.fte <= c + FTE_TOL)))
                    })
                    .collect()
            })
            .collect()
    }

    fn value(&self, s: usize, l: usize) -> f64 {
        self.services[s].fte * self.services[s].scores[l].unwrap_or(0.0)
    }

    /// Does the capacity of location `l` constrain anything?
    fn cap_row(&self, l: usize) -> Option<f64> {
        self.capacity[l].filter(|c| *c < self.total_fte())
    }

    fn count_row(&self) -> Option<usize> {
        self.max_per_location.filter(|m| *m < self.services.len())
    }

    /// Does location `l` limit which services fit together (workplaces or a maximum)?
    fn structured(&self, l: usize) -> bool {
        self.capacity[l].is_some() || self.max_per_location.is_some()
    }

    fn region_row(&self, r: usize) -> Option<f64> {
        self.region_cap[r].filter(|c| *c < self.total_fte())
    }
}

/// Nodes of the search over region patterns before the other stages take over.
const REGION_NODES: u64 = 5_000;

/// Branch-and-bound nodes for the search over the most promising pairs.
const RESTRICTED_NODES: u64 = 20_000;

fn objective(p: &Problem, placed: &Placement) -> f64 {
    placed
        .iter()
        .enumerate()
        .map(|(s, pl)| pl.iter().map(|(l, v)| p.value(s, *l) * v).sum::<f64>())
        .sum()
}

fn options(deadline: Option<Instant>) -> Option<SolveOptions> {
    let mut o = SolveOptions::default();
    if let Some(d) = deadline {
        let left = d.checked_duration_since(Instant::now())?;
        o.time_limit = Some(left);
    }
    Some(o)
}

/// Solves the problem exactly (branch and bound to a zero gap), or within `limit`.
pub fn solve(p: &Problem, limit: Option<Duration>) -> Result<Assignment, Infeasible> {
    let start = Instant::now();
    let deadline = limit.map(|l| start + l);
    let eligible = p.eligible();
    if eligible.iter().any(|row| !row.contains(&true)) {
        // A service fits nowhere: no solver needed to say so.
        return Err(explain(p));
    }
    let pairs_eligible = eligible.iter().flatten().filter(|b| **b).count();
    let with_patterns = !p.services.iter().any(|s| s.split);
    let dual = if with_patterns {
        pattern_dual(p, &eligible).or_else(|| dual(p, &eligible))
    } else {
        dual(p, &eligible)
    };
    let Some(mut dual) = dual else {
        return Err(explain(p));
    };
    let mut known = None;
    if with_patterns {
        match by_regions(p, &eligible, &mut dual, deadline) {
            RegionOutcome::Proven(Some(best)) => {
                // The pairs that could still be part of an optimum, as after fixing.
                let pairs = fix_by_reduced_costs(p, &eligible, &dual, Some(&best));
                let pairs_kept = pairs.iter().flatten().filter(|b| **b).count();
                return Ok(finish(
                    p,
                    best,
                    Status::Optimal,
                    &dual,
                    start,
                    pairs_kept,
                    pairs_eligible,
                ));
            }
            RegionOutcome::Proven(None) => return Err(explain(p)),
            RegionOutcome::Open(best) => known = best,
        }
    }
    let (incumbent, restricted) = incumbent(p, &eligible, &dual, with_patterns, known, deadline);
    // Stage 3: fixing by reduced costs. A pair that cannot reach the incumbent's score goes.
    let pairs = fix_by_reduced_costs(p, &eligible, &dual, incumbent.as_ref());
    let pairs_kept = pairs.iter().flatten().filter(|b| **b).count();
    let (best, status) = match proven_over(restricted.as_ref(), &pairs) {
        Some(r) => (r.clone(), Status::Optimal),
        // Stage 4: the final search over the pairs left.
        None => final_search(p, &pairs, &dual, incumbent, deadline)?,
    };
    Ok(finish(
        p,
        best,
        status,
        &dual,
        start,
        pairs_kept,
        pairs_eligible,
    ))
}

/// Stages 1 and 2: the best assignment known before fixing pairs, and the restricted search
/// with the pairs it covered.
///
/// A starting assignment comes from the heuristic, led by the reduced costs or the scores; a
/// search over the pairs with the smallest reduced costs may better it; when that search did
/// not finish, the incumbent is improved region by region.
fn incumbent(
    p: &Problem,
    eligible: &Pairs,
    dual: &Dual,
    with_patterns: bool,
    known: Option<Run>,
    deadline: Option<Instant>,
) -> (Option<Run>, Option<(Pairs, Run)>) {
    let mut incumbent = [start_assignment(p, eligible, dual), known]
        .into_iter()
        .flatten()
        .max_by(|a, b| a.objective.total_cmp(&b.objective));
    let restricted = restricted_search(p, eligible, dual, incumbent.as_ref(), deadline);
    if let Some((_, r)) = &restricted
        && incumbent.as_ref().is_none_or(|i| r.objective > i.objective)
    {
        incumbent = Some(r.clone());
    }
    if with_patterns && let Some(inc) = incumbent.take() {
        let proven = restricted
            .as_ref()
            .is_some_and(|(_, r)| r.reason == TerminationReason::ProvenOptimal);
        incumbent = Some(if proven {
            inc
        } else {
            improve(p, eligible, dual, inc, deadline)
        });
    }
    (incumbent, restricted)
}

/// What the search over region patterns settled.
enum RegionOutcome {
    /// The search finished: the optimum, or `None` when no assignment exists.
    Proven(Option<Run>),
    /// The search stopped (or could not start): the best assignment it found, if any.
    Open(Option<Run>),
}

/// Stage 2b, for pipelines whose services may not be split: the region-pattern bound tightens
/// `dual`, then the search over region patterns ([`region_search`]) runs within
/// [`REGION_NODES`] nodes and half the time left. When it stops, its bound on the nodes left
/// tightens `dual` as well.
fn by_regions(
    p: &Problem,
    eligible: &Pairs,
    dual: &mut Dual,
    deadline: Option<Instant>,
) -> RegionOutcome {
    let start = start_assignment(p, eligible, dual);
    let seeds: Vec<Placement> = start.iter().map(|r| r.placed.clone()).collect();
    let rg = region::Regions::new(p, eligible);
    let floor = start.as_ref().map_or(f64::NEG_INFINITY, |r| r.objective);
    let Some(rb) = rg.bound(&seeds, floor, deadline) else {
        return RegionOutcome::Open(None);
    };
    dual.tighten(rb.bound, &rb.at);
    let half = deadline.map(|d| {
        let now = Instant::now();
        now + d.saturating_duration_since(now) / 2
    });
    let out = region_search::search(
        &rg,
        &rb,
        start.map(|r| (r.placed, r.objective)),
        REGION_NODES,
        half,
    );
    let run = out.best.map(|(placed, objective)| Run {
        placed,
        objective,
        reason: if out.complete {
            TerminationReason::ProvenOptimal
        } else {
            TerminationReason::NodeLimit
        },
        gap: 0.0,
        nodes: out.nodes,
    });
    // Every assignment scores at most the search's bound (its optimum when complete).
    let unknown = vec![vec![f64::INFINITY; p.n()]; p.services.len()];
    dual.tighten(out.bound, &unknown);
    if out.complete {
        return RegionOutcome::Proven(run);
    }
    RegionOutcome::Open(run)
}

/// The restricted search's answer when it proved its optimum over every pair still left after
/// fixing: then it is the optimum of the whole problem.
fn proven_over<'r>(restricted: Option<&'r (Pairs, Run)>, pairs: &Pairs) -> Option<&'r Run> {
    let (rp, r) = restricted?;
    (r.reason == TerminationReason::ProvenOptimal
        && pairs
            .iter()
            .flatten()
            .zip(rp.iter().flatten())
            .all(|(k, r)| !*k || *r))
    .then_some(r)
}

/// The better of the heuristic's assignments led by the reduced costs and by the scores.
fn start_assignment(p: &Problem, eligible: &Pairs, dual: &Dual) -> Option<Run> {
    let by_value: Vec<Vec<f64>> = (0..p.services.len())
        .map(|s| (0..p.n()).map(|l| -p.value(s, l)).collect())
        .collect();
    [&dual.reduced, &by_value]
        .into_iter()
        .filter_map(|cost| heuristic(p, eligible, cost))
        .map(|placed| Run {
            objective: objective(p, &placed),
            placed,
            reason: TerminationReason::NodeLimit,
            gap: f64::INFINITY,
            nodes: 0,
        })
        .max_by(|a, b| a.objective.total_cmp(&b.objective))
}

/// A search over the pairs with the smallest reduced costs, which is where the optimum almost
/// always lies. With a starting assignment there is one attempt, which contains it (so the
/// search returns at least that); without, the set is widened up to three times.
fn restricted_search(
    p: &Problem,
    eligible: &Pairs,
    dual: &Dual,
    incumbent: Option<&Run>,
    deadline: Option<Instant>,
) -> Option<(Pairs, Run)> {
    let mut theta = incumbent.map_or(0.002 * dual.bound.abs(), |z| {
        0.25 * (dual.bound - z.objective)
    });
    let attempts = if incumbent.is_some() { 1 } else { 3 };
    for _ in 0..attempts {
        let pairs = within(p, eligible, dual, theta, incumbent);
        let mut o = options(deadline)?;
        // At most a third of the time left, so that the final search keeps the rest.
        o.time_limit = o.time_limit.map(|t| t / 3);
        o.node_limit = Some(RESTRICTED_NODES);
        let floor = incumbent.map_or(f64::NEG_INFINITY, |i| below(i.objective));
        let m = search_model(p, &pairs, dual, floor);
        if let Some(inc) = incumbent {
            o.warm_start = Some(warm_start(&m, inc));
        }
        if let Some(r) = run(&m, p, o) {
            return Some((pairs, r));
        }
        theta *= 4.0;
    }
    None
}

/// The eligible pairs that can still reach the incumbent's score (split services keep all).
fn fix_by_reduced_costs(
    p: &Problem,
    eligible: &Pairs,
    dual: &Dual,
    incumbent: Option<&Run>,
) -> Pairs {
    let Some(inc) = incumbent else {
        return eligible.clone();
    };
    let floor = below(inc.objective);
    (0..p.services.len())
        .map(|s| {
            (0..p.n())
                .map(|l| eligible[s][l] && (p.services[s].split || dual.reaches(s, l, floor)))
                .collect()
        })
        .collect()
}

/// Branch and bound over `pairs`, warm-started from the incumbent; its status says whether
/// the optimum is proven.
fn final_search(
    p: &Problem,
    pairs: &Pairs,
    dual: &Dual,
    incumbent: Option<Run>,
    deadline: Option<Instant>,
) -> Result<(Run, Status), Infeasible> {
    let floor = incumbent
        .as_ref()
        .map_or(f64::NEG_INFINITY, |i| below(i.objective));
    let m = search_model(p, pairs, dual, floor);
    let mut o = options(deadline).unwrap_or_default();
    if deadline.is_some() && o.time_limit.is_none() {
        o.time_limit = Some(Duration::ZERO);
    }
    if let Some(inc) = &incumbent {
        o.warm_start = Some(warm_start(&m, inc));
    }
    match (run(&m, p, o), incumbent) {
        (Some(r), _) => {
            // The gap to the better of the search's own bound and the bound from stage 2.
            let known = (dual.bound - r.objective) / r.objective.abs().max(1e-10);
            let status = match r.reason {
                TerminationReason::ProvenOptimal => Status::Optimal,
                _ => Status::TimeLimit {
                    gap: r.gap.min(known).max(0.0),
                },
            };
            Ok((r, status))
        }
        // The time ran out before the final search had a solution of its own.
        (None, Some(inc)) => {
            let gap = ((dual.bound - inc.objective) / inc.objective.abs().max(1e-10)).max(0.0);
            Ok((inc, Status::TimeLimit { gap }))
        }
        (None, None) if deadline.is_some_and(|d| Instant::now() >= d) => Err(Infeasible {
            services: Vec::new(),
            culprits: Vec::new(),
            reasons: vec![
                "the time limit ran out before any assignment was found; that does not mean there is none".into(),
            ],
            timed_out: true,
        }),
        (None, None) => Err(explain(p)),
    }
}

/// The optimum of the plain pair model, by branch and bound without any reduction, bound or
/// starting assignment: the reference that [`solve`] is tested against. Slow on large
/// problems; `None` when infeasible or when `node_limit` nodes did not finish the search.
pub fn solve_plain(p: &Problem, node_limit: u64) -> Option<f64> {
    let all = p
        .services
        .iter()
        .map(|s| s.scores.iter().map(Option::is_some).collect())
        .collect();
    let mut o = SolveOptions::default();
    o.node_limit = Some(node_limit);
    let r = run(&model(p, &all, false, None), p, o)?;
    (r.reason == TerminationReason::ProvenOptimal).then_some(r.objective)
}

/// The assignment from the best run, with the tie rule applied.
fn finish(
    p: &Problem,
    best: Run,
    status: Status,
    dual: &Dual,
    start: Instant,
    pairs_kept: usize,
    pairs_eligible: usize,
) -> Assignment {
    let placed = prefer_lower_index(p, best.placed);
    Assignment {
        objective: objective(p, &placed),
        placed,
        status,
        bound: dual.bound,
        seconds: start.elapsed().as_secs_f64(),
        pairs_kept,
        pairs_eligible,
        nodes: best.nodes,
    }
}

/// The eligible pairs with a reduced cost of at most `theta`, with at least each service's three
/// smallest, the pairs of `incumbent` and all pairs of a service that may be split.
fn within(
    p: &Problem,
    eligible: &Pairs,
    dual: &Dual,
    theta: f64,
    incumbent: Option<&Run>,
) -> Pairs {
    (0..p.services.len())
        .map(|s| {
            let mut ls: Vec<usize> = (0..p.n()).filter(|&l| eligible[s][l]).collect();
            ls.sort_by(|&a, &b| {
                dual.reduced[s][a]
                    .total_cmp(&dual.reduced[s][b])
                    .then(a.cmp(&b))
            });
            let mut row = vec![false; p.n()];
            for (i, l) in ls.into_iter().enumerate() {
                row[l] = p.services[s].split || i < 3 || dual.reduced[s][l] <= theta;
            }
            for (l, _) in incumbent.map_or(&[][..], |r| &r.placed[s][..]) {
                row[*l] = eligible[s][*l];
            }
            row
        })
        .collect()
}

/// The model for a search over `pairs` for assignments scoring at least `floor`: location
/// patterns where possible (without the patterns that the bound shows cannot reach `floor`),
/// else the pair model.
fn search_model(p: &Problem, pairs: &Pairs, dual: &Dual, floor: f64) -> Model {
    let keep = |l: usize, set: &[usize]| dual.pattern_bound(p, l, set) >= floor;
    pattern_model(p, pairs, &keep).unwrap_or_else(|| model(p, pairs, false, None))
}

/// Just below a score, so that round-off never removes an assignment that reaches it.
fn below(z: f64) -> f64 {
    z - 1e-7 * z.abs().max(1.0)
}

/// What a (partial) assignment puts where: FTE and number of services per location, FTE per
/// region and outside the Randstad.
#[derive(Debug, Clone, PartialEq)]
pub struct Loads {
    pub load: Vec<f64>,
    pub count: Vec<usize>,
    pub region: Vec<f64>,
    pub outside: f64,
}

impl Loads {
    /// The loads of an assignment (a service's pieces count once each where they are).
    pub fn of(p: &Problem, placed: &[Vec<(usize, f64)>]) -> Self {
        let mut loads = Loads::new(p);
        for (s, pl) in placed.iter().enumerate() {
            for (l, share) in pl {
                loads.add(p, *l, p.services[s].fte * share, 1.0);
            }
        }
        loads
    }

    fn new(p: &Problem) -> Self {
        Loads {
            load: vec![0.0; p.n()],
            count: vec![0; p.n()],
            region: vec![0.0; p.region_cap.len()],
            outside: 0.0,
        }
    }

    fn add(&mut self, p: &Problem, l: usize, fte: f64, sign: f64) {
        self.load[l] += sign * fte;
        if sign > 0.0 {
            self.count[l] += 1;
        } else {
            self.count[l] -= 1;
        }
        self.region[p.region[l]] += sign * fte;
        if !p.randstad[l] {
            self.outside += sign * fte;
        }
    }

    /// Do the location `l` and its region stay within their limits?
    fn ok_at(&self, p: &Problem, l: usize) -> bool {
        p.capacity[l].is_none_or(|c| self.load[l] <= c + FTE_TOL)
            && p.max_per_location.is_none_or(|m| self.count[l] <= m)
            && p.region_cap[p.region[l]].is_none_or(|c| self.region[p.region[l]] <= c + FTE_TOL)
    }

    /// Can the share outside the Randstad still be met when `rest` FTE are yet to be placed?
    fn outside_ok(&self, p: &Problem, rest: f64) -> bool {
        p.min_outside_share
            .is_none_or(|m| self.outside + rest >= m * p.total_fte() - FTE_TOL)
    }
}

/// Moves each wholly placed service to a location with the same score and a lower index when
/// that keeps every constraint (the tie rule).
fn prefer_lower_index(p: &Problem, mut placed: Placement) -> Placement {
    let mut loads = Loads::of(p, &placed);
    for (s, pl) in placed.iter_mut().enumerate() {
        let [(from, 1.0)] = pl.as_slice() else {
            continue;
        };
        let (from, svc) = (*from, &p.services[s]);
        loads.add(p, from, svc.fte, -1.0);
        let target = (0..from).find(|&l| {
            svc.scores[l] == svc.scores[from] && {
                loads.add(p, l, svc.fte, 1.0);
                let ok = loads.ok_at(p, l) && loads.outside_ok(p, 0.0);
                loads.add(p, l, svc.fte, -1.0);
                ok
            }
        });
        let to = target.unwrap_or(from);
        loads.add(p, to, svc.fte, 1.0);
        *pl = vec![(to, 1.0)];
    }
    placed
}
