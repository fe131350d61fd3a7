//! Matching several services to locations at once, exactly: a mixed-integer program solved by
//! branch and bound (the pure-Rust `microlp` solver), after an exact reduction.
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
//! Ties: between optimal assignments the solver's choice is deterministic; afterwards a service
//! is moved to a location with an equal score and a lower index whenever that keeps every
//! constraint, so a tie goes to the lower gemeente code.

// Loops over (service, location) indices read more clearly than zipped iterators here.
#![allow(clippy::needless_range_loop)]

use std::time::{Duration, Instant};

use microlp::{
    ComparisonOp, LinearExpr, OptimizationDirection, SolveOptions, SolveOutcome, TerminationReason,
    Variable,
};

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

    fn region_row(&self, r: usize) -> Option<f64> {
        self.region_cap[r].filter(|c| *c < self.total_fte())
    }
}

/// Conflict cliques: at a location with capacity `c`, services that may not be split and of
/// which no two fit together (`fte_s + fte_t > c`) can have at most one there. The conflict
/// graph is a threshold graph, so its maximal cliques are, for each member `m`, `m` with every
/// at least as large service that does not fit beside it. These valid inequalities tighten the
/// LP relaxation a great deal when services are large against the capacities.
fn cliques(p: &Problem, pairs: &Pairs) -> Vec<(usize, Vec<usize>)> {
    let mut out = Vec::new();
    for l in 0..p.n() {
        let Some(c) = p.capacity[l] else { continue };
        let here: Vec<usize> = (0..p.services.len())
            .filter(|&s| pairs[s][l] && !p.services[s].split)
            .collect();
        let key = |s: usize| (p.services[s].fte, s);
        let mut seen: Vec<Vec<usize>> = Vec::new();
        for &m in &here {
            let fm = p.services[m].fte;
            let k: Vec<usize> = here
                .iter()
                .copied()
                .filter(|&i| i == m || (key(i) > key(m) && p.services[i].fte + fm > c + FTE_TOL))
                .collect();
            if k.len() > 1 && !seen.contains(&k) {
                seen.push(k);
            }
        }
        out.extend(seen.into_iter().map(|k| (l, k)));
    }
    out
}

/// A model of the problem over some pairs.
struct Model {
    lp: microlp::Problem,
    /// Each column places some services wholly or partly at one location.
    cols: Vec<(Variable, usize, Vec<usize>)>,
    /// Columns are location patterns (sets of services placed together).
    patterns: bool,
}

/// Builds the model over `pairs`; `relax` drops integrality; `drop` leaves out one family.
fn model(p: &Problem, pairs: &Pairs, relax: bool, drop: Option<Family>) -> Model {
    let n = p.n();
    let mut lp = microlp::Problem::new(OptimizationDirection::Maximize);
    let keep = |f: Family| drop != Some(f);
    let integral = |s: &Service| !s.split && !relax && keep(Family::Integrality);
    let counted = p.count_row().filter(|_| keep(Family::PerLocation));
    let mut x = Vec::new();
    let mut y = Vec::new();
    for (si, s) in p.services.iter().enumerate() {
        let row: Vec<Option<Variable>> = (0..n)
            .map(|l| {
                pairs[si][l].then(|| {
                    if integral(s) {
                        lp.add_binary_var(p.value(si, l))
                    } else {
                        lp.add_var(p.value(si, l), (0.0, 1.0))
                    }
                })
            })
            .collect();
        lp.add_constraint(
            row.iter().flatten().map(|v| (*v, 1.0)),
            ComparisonOp::Eq,
            1.0,
        );
        // A split service counts at a location through a binary indicator.
        let yrow: Vec<Option<Variable>> = if s.split && counted.is_some() && !relax {
            row.iter()
                .map(|x| {
                    x.map(|x| {
                        let y = lp.add_binary_var(0.0);
                        lp.add_constraint([(x, 1.0), (y, -1.0)], ComparisonOp::Le, 0.0);
                        y
                    })
                })
                .collect()
        } else {
            row.clone()
        };
        x.push(row);
        y.push(yrow);
    }
    let load = |l: usize| -> Vec<(Variable, f64)> {
        p.services
            .iter()
            .zip(&x)
            .filter_map(|(s, row)| row[l].map(|v| (v, s.fte)))
            .collect()
    };
    if keep(Family::Capacity) {
        for l in 0..n {
            if let Some(c) = p.cap_row(l) {
                lp.add_constraint(load(l), ComparisonOp::Le, c);
            }
        }
        if keep(Family::Integrality) {
            for (l, k) in cliques(p, pairs) {
                let e: Vec<(Variable, f64)> = k
                    .iter()
                    .filter_map(|&s| x[s][l].map(|v| (v, 1.0)))
                    .collect();
                lp.add_constraint(e, ComparisonOp::Le, 1.0);
            }
        }
    }
    if let Some(max) = counted {
        for l in 0..n {
            let e: Vec<(Variable, f64)> = y.iter().filter_map(|r| r[l].map(|v| (v, 1.0))).collect();
            if e.len() > max {
                lp.add_constraint(e, ComparisonOp::Le, max as f64);
            }
        }
    }
    if keep(Family::RegionCap) {
        for r in 0..p.region_cap.len() {
            if let Some(c) = p.region_row(r) {
                let e: Vec<(Variable, f64)> = (0..n)
                    .filter(|&l| p.region[l] == r)
                    .flat_map(load)
                    .collect();
                lp.add_constraint(e, ComparisonOp::Le, c);
            }
        }
    }
    if let (Some(m), true) = (p.min_outside_share, keep(Family::OutsideShare)) {
        let e: Vec<(Variable, f64)> = (0..n).filter(|&l| !p.randstad[l]).flat_map(load).collect();
        lp.add_constraint(e, ComparisonOp::Ge, m * p.total_fte() - FTE_TOL);
    }
    let cols = x
        .iter()
        .enumerate()
        .flat_map(|(s, row)| {
            row.iter()
                .enumerate()
                .filter_map(move |(l, v)| v.map(|v| (v, l, vec![s])))
        })
        .collect();
    Model {
        lp,
        cols,
        patterns: false,
    }
}

/// Most location patterns a pattern model may have.
const PATTERN_LIMIT: usize = 200_000;

/// The pattern (set-partitioning) model over `pairs`: one binary column per location and set of
/// services that fit there together (workplaces and the maximum per location), each service in
/// exactly one column, at most one column per location. Its LP relaxation is the convex hull of
/// each location's feasible sets, much tighter than the pair model's. `None` when a service may
/// be split or the patterns would exceed [`PATTERN_LIMIT`].
fn pattern_model(
    p: &Problem,
    pairs: &Pairs,
    keep: &dyn Fn(usize, &[usize]) -> bool,
) -> Option<Model> {
    if p.services.iter().any(|s| s.split) {
        return None;
    }
    let n = p.n();
    let mut patterns: Vec<(usize, Vec<usize>)> = Vec::new();
    for l in 0..n {
        let here: Vec<usize> = (0..p.services.len()).filter(|&s| pairs[s][l]).collect();
        let max = p.max_per_location.unwrap_or(usize::MAX);
        if p.capacity[l].is_none() && p.max_per_location.is_none() {
            patterns.extend(
                here.iter()
                    .filter(|&&s| keep(l, &[s]))
                    .map(|&s| (l, vec![s])),
            );
            continue;
        }
        let cap = p.capacity[l].unwrap_or(f64::INFINITY);
        // Depth-first over the subsets in index order.
        let mut stack: Vec<(usize, Vec<usize>, f64)> = vec![(0, Vec::new(), 0.0)];
        while let Some((from, set, fte)) = stack.pop() {
            if !set.is_empty() && keep(l, &set) {
                patterns.push((l, set.clone()));
                if patterns.len() > PATTERN_LIMIT {
                    return None;
                }
            }
            if set.len() == max {
                continue;
            }
            for (i, &s) in here.iter().enumerate().skip(from).rev() {
                let f = fte + p.services[s].fte;
                if f <= cap + FTE_TOL {
                    let mut next = set.clone();
                    next.push(s);
                    stack.push((i + 1, next, f));
                }
            }
        }
    }
    let mut lp = microlp::Problem::new(OptimizationDirection::Maximize);
    let fte = |set: &[usize]| set.iter().map(|&s| p.services[s].fte).sum::<f64>();
    let cols: Vec<(Variable, usize, Vec<usize>)> = patterns
        .into_iter()
        .map(|(l, set)| {
            let v = lp.add_binary_var(set.iter().map(|&s| p.value(s, l)).sum());
            (v, l, set)
        })
        .collect();
    let mut by_service = vec![Vec::new(); p.services.len()];
    let mut by_location = vec![Vec::new(); n];
    for (v, l, set) in &cols {
        for &s in set {
            by_service[s].push((*v, 1.0));
        }
        by_location[*l].push((*v, 1.0));
    }
    for e in by_service {
        lp.add_constraint(e, ComparisonOp::Eq, 1.0);
    }
    for l in 0..n {
        if p.capacity[l].is_some() || p.max_per_location.is_some() {
            lp.add_constraint(by_location[l].clone(), ComparisonOp::Le, 1.0);
        }
    }
    for r in 0..p.region_cap.len() {
        if let Some(c) = p.region_row(r) {
            let e: Vec<(Variable, f64)> = cols
                .iter()
                .filter(|(_, l, _)| p.region[*l] == r)
                .map(|(v, _, set)| (*v, fte(set)))
                .collect();
            lp.add_constraint(e, ComparisonOp::Le, c);
        }
    }
    if let Some(m) = p.min_outside_share {
        let e: Vec<(Variable, f64)> = cols
            .iter()
            .filter(|(_, l, _)| !p.randstad[*l])
            .map(|(v, _, set)| (*v, fte(set)))
            .collect();
        lp.add_constraint(e, ComparisonOp::Ge, m * p.total_fte() - FTE_TOL);
    }
    Some(Model {
        lp,
        cols,
        patterns: true,
    })
}

/// Branch-and-bound nodes for the search over the most promising pairs.
const RESTRICTED_NODES: u64 = 20_000;

/// The outcome of one microlp call on a model.
#[derive(Clone)]
struct Run {
    placed: Placement,
    objective: f64,
    reason: TerminationReason,
    gap: f64,
    nodes: u64,
}

fn run(m: &Model, p: &Problem, opts: SolveOptions) -> Option<Run> {
    let out = m.lp.solve_with(opts);
    let SolveOutcome::Solution(sol) = out.ok()? else {
        return None;
    };
    let mut placed: Placement = vec![Vec::new(); p.services.len()];
    for (var, l, set) in &m.cols {
        let v = sol.var_value_raw(*var);
        if v > 1e-7 {
            let v = if (v - 1.0).abs() < 1e-6 { 1.0 } else { v };
            for &s in set {
                placed[s].push((*l, v));
            }
        }
    }
    for pl in &mut placed {
        pl.sort_by_key(|(l, _)| *l);
    }
    let stats = sol.stats();
    Some(Run {
        objective: objective(p, &placed),
        placed,
        reason: sol.termination_reason(),
        gap: sol.gap().unwrap_or(0.0),
        nodes: stats.nodes_solved,
    })
}

fn objective(p: &Problem, placed: &Placement) -> f64 {
    placed
        .iter()
        .enumerate()
        .map(|(s, pl)| pl.iter().map(|(l, v)| p.value(s, *l) * v).sum::<f64>())
        .sum()
}

/// Multipliers of the dual of the LP relaxation, and from them the bound and reduced costs.
struct Dual {
    bound: f64,
    /// `reduced[s][l]`: how much an assignment with s wholly at l scores below `bound` at least.
    reduced: Vec<Vec<f64>>,
    /// From the pattern LP: the prices and each location's remaining violation, which bound
    /// every assignment that uses a given pattern.
    patterns: Option<(PatternPrices, Vec<f64>)>,
}

impl Dual {
    /// At most what an assignment that puts exactly `set` at `l` can score (infinite when only
    /// the pair LP is known).
    fn pattern_bound(&self, p: &Problem, l: usize, set: &[usize]) -> f64 {
        let Some((pr, viol)) = &self.patterns else {
            return f64::INFINITY;
        };
        let w = if structured(p, l) { pr.w[l] } else { 0.0 };
        let gain: f64 = set.iter().map(|&s| pr.profit(p, s, l)).sum::<f64>() - w;
        self.bound - viol[l] + gain
    }
}

/// One free multiplier per service (its row `sum_l x_sl = 1`), with cost 1 in a dual.
fn service_prices(lp: &mut microlp::Problem, p: &Problem) -> Vec<Variable> {
    p.services
        .iter()
        .map(|_| lp.add_var(1.0, (f64::NEG_INFINITY, f64::INFINITY)))
        .collect()
}

/// Solves the dual of the LP relaxation over `pairs`:
/// `min sum u_s + sum cap_l v_l + N sum q_l + sum R_r rho_r - M sigma` subject to
/// `u_s + fte_s (v_l + rho_r(l) - sigma [l outside]) + q_l >= fte_s score_sl` for each pair.
/// The count rows are relaxed to `sum_s x_sl <= N` (valid: `x <= y`). `None` when the
/// relaxation is infeasible (the dual is unbounded).
fn dual(p: &Problem, pairs: &Pairs) -> Option<Dual> {
    let n = p.n();
    let mut lp = microlp::Problem::new(OptimizationDirection::Minimize);
    let u = service_prices(&mut lp, p);
    let v: Vec<Option<Variable>> = (0..n)
        .map(|l| p.cap_row(l).map(|c| lp.add_var(c, (0.0, f64::INFINITY))))
        .collect();
    let q: Vec<Option<Variable>> = (0..n)
        .map(|_| {
            p.count_row()
                .map(|m| lp.add_var(m as f64, (0.0, f64::INFINITY)))
        })
        .collect();
    let rho: Vec<Option<Variable>> = (0..p.region_cap.len())
        .map(|r| p.region_row(r).map(|c| lp.add_var(c, (0.0, f64::INFINITY))))
        .collect();
    let sigma = p
        .min_outside_share
        .map(|m| lp.add_var(-(m * p.total_fte() - FTE_TOL), (0.0, f64::INFINITY)));
    // Clique multipliers, per pair.
    let mut kappa: Vec<Vec<Vec<Variable>>> = vec![vec![Vec::new(); n]; p.services.len()];
    let clique_vars: Vec<Variable> = cliques(p, pairs)
        .into_iter()
        .map(|(l, k)| {
            let var = lp.add_var(1.0, (0.0, f64::INFINITY));
            for s in k {
                kappa[s][l].push(var);
            }
            var
        })
        .collect();
    for (s, svc) in p.services.iter().enumerate() {
        for l in (0..n).filter(|&l| pairs[s][l]) {
            let mut e = LinearExpr::empty();
            e.add(u[s], 1.0);
            for k in &kappa[s][l] {
                e.add(*k, 1.0);
            }
            if let Some(v) = v[l] {
                e.add(v, svc.fte);
            }
            if let Some(q) = q[l] {
                e.add(q, 1.0);
            }
            if let Some(r) = rho[p.region[l]] {
                e.add(r, svc.fte);
            }
            if let (Some(sg), false) = (sigma, p.randstad[l]) {
                e.add(sg, -svc.fte);
            }
            lp.add_constraint(e, ComparisonOp::Ge, p.value(s, l));
        }
    }
    let sol = lp.solve().ok()?.into_solution().ok()?;
    let val = |x: Option<Variable>| x.map_or(0.0, |x| sol.var_value_raw(x).max(0.0));
    // The remaining multipliers fix the best u_s exactly, so the bound below is valid whatever
    // the solver's round-off.
    let price = |s: usize, l: usize| {
        let f = p.services[s].fte;
        f * val(v[l])
            + val(q[l])
            + f * val(rho[p.region[l]])
            + kappa[s][l].iter().map(|k| val(Some(*k))).sum::<f64>()
            - if p.randstad[l] { 0.0 } else { f * val(sigma) }
    };
    let mut bound = (0..n)
        .map(|l| {
            p.cap_row(l).unwrap_or(0.0) * val(v[l]) + p.count_row().unwrap_or(0) as f64 * val(q[l])
        })
        .sum::<f64>()
        + (0..p.region_cap.len())
            .map(|r| p.region_row(r).unwrap_or(0.0) * val(rho[r]))
            .sum::<f64>()
        - p.min_outside_share
            .map_or(0.0, |m| (m * p.total_fte() - FTE_TOL) * val(sigma))
        + clique_vars.iter().map(|k| val(Some(*k))).sum::<f64>();
    let mut reduced = Vec::new();
    for s in 0..p.services.len() {
        let us = (0..n)
            .filter(|&l| pairs[s][l])
            .map(|l| p.value(s, l) - price(s, l))
            .fold(f64::NEG_INFINITY, f64::max);
        bound += us;
        reduced.push(
            (0..n)
                .map(|l| {
                    if pairs[s][l] {
                        us + price(s, l) - p.value(s, l)
                    } else {
                        f64::INFINITY
                    }
                })
                .collect(),
        );
    }
    Some(Dual {
        bound,
        reduced,
        patterns: None,
    })
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
    if let Some(inf) = explain_quick(p) {
        return Err(inf);
    }
    let start = Instant::now();
    let deadline = limit.map(|l| start + l);
    let eligible = p.eligible();
    let pairs_eligible = eligible.iter().flatten().filter(|b| **b).count();
    let with_patterns = !p.services.iter().any(|s| s.split);
    let dual = if with_patterns {
        pattern_dual(p, &eligible).or_else(|| dual(p, &eligible))
    } else {
        dual(p, &eligible)
    };
    let Some(dual) = dual else {
        return Err(explain(p));
    };
    // Stage 1: a starting assignment from the heuristic, led by the reduced costs or the scores.
    let by_value: Vec<Vec<f64>> = (0..p.services.len())
        .map(|s| (0..p.n()).map(|l| -p.value(s, l)).collect())
        .collect();
    let mut incumbent: Option<Run> = [&dual.reduced, &by_value]
        .into_iter()
        .filter_map(|cost| heuristic(p, &eligible, cost))
        .map(|placed| Run {
            objective: objective(p, &placed),
            placed,
            reason: TerminationReason::NodeLimit,
            gap: f64::INFINITY,
            nodes: 0,
        })
        .max_by(|a, b| a.objective.total_cmp(&b.objective));
    // Stage 2: a search over the pairs with the smallest reduced costs, which is where the
    // optimum almost always lies; widened when it finds nothing.
    let mut theta = incumbent.as_ref().map_or(0.002 * dual.bound.abs(), |z| {
        0.25 * (dual.bound - z.objective)
    });
    // With a starting assignment there is one attempt, which contains it (so the search returns
    // at least that); without, the set is widened up to three times.
    let mut restricted: Option<(Pairs, Run)> = None;
    let attempts = if incumbent.is_some() { 1 } else { 3 };
    for _ in 0..attempts {
        let pairs = within(p, &eligible, &dual, theta, incumbent.as_ref());
        let Some(mut o) = options(deadline) else {
            break;
        };
        // At most a third of the time left, so that the final search keeps the rest.
        o.time_limit = o.time_limit.map(|t| t / 3);
        o.node_limit = Some(RESTRICTED_NODES);
        let floor = incumbent
            .as_ref()
            .map_or(f64::NEG_INFINITY, |i| below(i.objective));
        let keep = |l: usize, set: &[usize]| dual.pattern_bound(p, l, set) >= floor;
        let m = pattern_model(p, &pairs, &keep).unwrap_or_else(|| model(p, &pairs, false, None));
        if let Some(inc) = &incumbent {
            o.warm_start = Some(warm_start(&m, inc));
        }
        if let Some(r) = run(&m, p, o) {
            restricted = Some((pairs, r));
            break;
        }
        theta *= 4.0;
    }
    if let Some((_, r)) = &restricted
        && incumbent.as_ref().is_none_or(|i| r.objective > i.objective)
    {
        incumbent = Some(r.clone());
    }
    // When that search did not finish, improve the incumbent region by region.
    if with_patterns && let Some(inc) = incumbent.take() {
        let proven = restricted
            .as_ref()
            .is_some_and(|(_, r)| r.reason == TerminationReason::ProvenOptimal);
        incumbent = Some(if proven {
            inc
        } else {
            improve(p, &eligible, &dual, inc, deadline)
        });
    }
    // Stage 3: fixing by reduced costs. A pair that cannot reach the incumbent's score goes.
    let pairs: Pairs = match &incumbent {
        Some(inc) => {
            let floor = below(inc.objective);
            (0..p.services.len())
                .map(|s| {
                    (0..p.n())
                        .map(|l| {
                            eligible[s][l]
                                && (p.services[s].split || dual.bound - dual.reduced[s][l] >= floor)
                        })
                        .collect()
                })
                .collect()
        }
        None => eligible.clone(),
    };
    let pairs_kept = pairs.iter().flatten().filter(|b| **b).count();
    // The restricted search already proved the optimum when it covered every pair left.
    if let Some((rp, r)) = &restricted
        && r.reason == TerminationReason::ProvenOptimal
        && pairs
            .iter()
            .flatten()
            .zip(rp.iter().flatten())
            .all(|(k, r)| !*k || *r)
    {
        return Ok(finish(
            p,
            r.clone(),
            Status::Optimal,
            &dual,
            start,
            pairs_kept,
            pairs_eligible,
        ));
    }
    let floor = incumbent
        .as_ref()
        .map_or(f64::NEG_INFINITY, |i| below(i.objective));
    let keep = |l: usize, set: &[usize]| dual.pattern_bound(p, l, set) >= floor;
    let m = pattern_model(p, &pairs, &keep).unwrap_or_else(|| model(p, &pairs, false, None));
    let mut o = options(deadline).unwrap_or_default();
    if deadline.is_some() && o.time_limit.is_none() {
        o.time_limit = Some(Duration::ZERO);
    }
    if let Some(inc) = &incumbent {
        o.warm_start = Some(warm_start(&m, inc));
    }
    let (best, status) = match (run(&m, p, o), incumbent) {
        (Some(r), _) => {
            let status = match r.reason {
                TerminationReason::ProvenOptimal => Status::Optimal,
                _ => Status::TimeLimit {
                    gap: r.gap.max(0.0),
                },
            };
            (r, status)
        }
        // The time ran out before the final search had a solution of its own.
        (None, Some(inc)) => {
            let gap = ((dual.bound - inc.objective) / inc.objective.abs().max(1e-10)).max(0.0);
            (inc, Status::TimeLimit { gap })
        }
        (None, None) if deadline.is_some_and(|d| Instant::now() >= d) => {
            return Err(Infeasible {
                services: Vec::new(),
                culprits: Vec::new(),
                reasons: vec![
                    "the time limit ran out before any assignment was found; that does not mean there is none".into(),
                ],
                timed_out: true,
            });
        }
        (None, None) => return Err(explain(p)),
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

/// Branch-and-bound nodes per neighbourhood in [`improve`].
const NEIGHBOURHOOD_NODES: u64 = 1_000;

/// Large neighbourhood search: for each pair of regions, the services placed there are freed
/// (all others stay where they are) and the small problem that remains is searched exactly
/// within a node budget, starting from the incumbent; a better assignment replaces it. Uses at
/// most a third of the time left. Deterministic: fixed order, node budgets.
fn improve(
    p: &Problem,
    eligible: &Pairs,
    dual: &Dual,
    mut best: Run,
    deadline: Option<Instant>,
) -> Run {
    let until = deadline.map(|d| {
        let now = Instant::now();
        now + d.saturating_duration_since(now) / 3
    });
    let regions = p.region_cap.len();
    for r1 in 0..regions {
        for r2 in r1..regions {
            if until.is_some_and(|u| Instant::now() >= u) {
                return best;
            }
            let at: Vec<Option<usize>> = best
                .placed
                .iter()
                .map(|pl| match pl.as_slice() {
                    [(l, v)] if *v == 1.0 => Some(*l),
                    _ => None,
                })
                .collect();
            let free: Vec<bool> = at
                .iter()
                .map(|l| l.is_some_and(|l| p.region[l] == r1 || p.region[l] == r2))
                .collect();
            if free.iter().filter(|f| **f).count() < 2 {
                continue;
            }
            let floor = below(best.objective);
            let pairs: Pairs = (0..p.services.len())
                .map(|s| {
                    (0..p.n())
                        .map(|l| {
                            if free[s] {
                                eligible[s][l] && dual.bound - dual.reduced[s][l] >= floor
                            } else {
                                at[s] == Some(l)
                            }
                        })
                        .collect()
                })
                .collect();
            let keep = |l: usize, set: &[usize]| dual.pattern_bound(p, l, set) >= floor;
            let Some(m) = pattern_model(p, &pairs, &keep) else {
                continue;
            };
            let mut o = SolveOptions::default();
            o.node_limit = Some(NEIGHBOURHOOD_NODES);
            if let Some(u) = until {
                o.time_limit = Some(u.saturating_duration_since(Instant::now()));
            }
            o.warm_start = Some(warm_start(&m, &best));
            if let Some(r) = run(&m, p, o)
                && r.objective > best.objective + 1e-9 * best.objective.abs().max(1.0)
            {
                best = r;
            }
        }
    }
    best
}

/// Just below a score, so that round-off never removes an assignment that reaches it.
fn below(z: f64) -> f64 {
    z - 1e-7 * z.abs().max(1.0)
}

/// The incumbent as a starting assignment of the model's variables.
fn warm_start(m: &Model, inc: &Run) -> Vec<(Variable, f64)> {
    let share = |s: usize, l: usize| {
        inc.placed[s]
            .iter()
            .find(|(at, _)| *at == l)
            .map_or(0.0, |(_, v)| *v)
    };
    m.cols
        .iter()
        .map(|(var, l, set)| {
            let v = if m.patterns {
                let together = (0..inc.placed.len()).filter(|&s| share(s, *l) == 1.0);
                f64::from(u8::from(together.eq(set.iter().copied())))
            } else {
                share(set[0], *l)
            };
            (*var, v)
        })
        .collect()
}

/// Moves each wholly placed service to a location with the same score and a lower index when
/// that keeps every constraint (the tie rule).
fn prefer_lower_index(p: &Problem, mut placed: Placement) -> Placement {
    let n = p.n();
    let mut load = vec![0.0; n];
    let mut count = vec![0usize; n];
    for (s, pl) in placed.iter().enumerate() {
        for (l, v) in pl {
            load[*l] += p.services[s].fte * v;
            count[*l] += 1;
        }
    }
    let mut region = vec![0.0; p.region_cap.len()];
    for l in 0..n {
        region[p.region[l]] += load[l];
    }
    for (s, pl) in placed.iter_mut().enumerate() {
        let [(from, share)] = pl.as_slice() else {
            continue;
        };
        if *share != 1.0 {
            continue;
        }
        let (from, svc) = (*from, &p.services[s]);
        let target = (0..from).find(|&l| {
            svc.scores[l] == svc.scores[from]
                && p.capacity[l].is_none_or(|c| load[l] + svc.fte <= c + FTE_TOL)
                && p.max_per_location.is_none_or(|m| count[l] < m)
                && (p.region[l] == p.region[from]
                    || p.region_cap[p.region[l]]
                        .is_none_or(|c| region[p.region[l]] + svc.fte <= c + FTE_TOL))
                && (p.randstad[l] == p.randstad[from] || !p.randstad[l])
        });
        if let Some(l) = target {
            load[from] -= svc.fte;
            count[from] -= 1;
            region[p.region[from]] -= svc.fte;
            load[l] += svc.fte;
            count[l] += 1;
            region[p.region[l]] += svc.fte;
            *pl = vec![(l, 1.0)];
        }
    }
    placed
}

/// Is the LP relaxation, without `drop`, feasible?
fn relaxation_feasible(p: &Problem, drop: Option<Family>) -> bool {
    let pairs = p
        .services
        .iter()
        .map(|s| s.scores.iter().map(Option::is_some).collect())
        .collect();
    run(&model(p, &pairs, true, drop), p, SolveOptions::default()).is_some()
}

/// Explains why a problem has no solution: services that fit nowhere, and the constraint families
/// whose removal alone makes the (relaxed) problem feasible.
pub fn explain(p: &Problem) -> Infeasible {
    let mut services = Vec::new();
    let eligible = p.eligible();
    for (i, s) in p.services.iter().enumerate() {
        if s.scores.iter().all(Option::is_none) {
            services.push((
                i,
                "every location is excluded by its hard requirements".to_string(),
            ));
        } else if !eligible[i].iter().any(|b| *b) {
            let scored = (0..p.n()).filter(|&l| s.scores[l].is_some());
            let by_capacity = scored
                .clone()
                .all(|l| p.capacity[l].is_some_and(|c| s.fte > c + FTE_TOL));
            let why = if by_capacity {
                format!(
                    "needs {} workplaces, more than any of its feasible locations has",
                    s.fte
                )
            } else {
                format!(
                    "needs {} workplaces; where there are enough, the cap on FTE added in the region is lower",
                    s.fte
                )
            };
            services.push((i, why));
        }
    }
    let mut reasons = Vec::new();
    let total = p.total_fte();
    let cap_total: Option<f64> = p.capacity.iter().copied().sum();
    if let Some(c) = cap_total
        && c < total
    {
        reasons.push(format!(
            "the pipeline has {total} FTE but all locations together have {c} workplaces"
        ));
    }
    if let Some(m) = p.min_outside_share {
        let outside: Option<f64> = p
            .capacity
            .iter()
            .zip(&p.randstad)
            .filter(|(_, r)| !**r)
            .map(|(c, _)| *c)
            .sum();
        if let Some(o) = outside
            && o < m * total
        {
            reasons.push(format!("at least {} FTE must go outside the Randstad, but the locations there have {o} workplaces", m * total));
        }
    }
    let mut culprits = Vec::new();
    if services.is_empty() {
        let families = [
            Family::Capacity,
            Family::PerLocation,
            Family::RegionCap,
            Family::OutsideShare,
        ];
        // The relaxed problem tells whether integrality is the conflict.
        if relaxation_feasible(p, None) {
            culprits.push(Family::Integrality);
            reasons.push(
                "the constraints can be met only by splitting services that may not be split"
                    .into(),
            );
        } else {
            for f in families {
                if relaxation_feasible(p, Some(f)) {
                    culprits.push(f);
                }
            }
            if culprits.is_empty() {
                reasons.push(
                    "no single family of constraints is to blame: several conflict together".into(),
                );
            }
        }
    }
    Infeasible {
        services,
        culprits,
        reasons,
        timed_out: false,
    }
}

/// Cheap checks that need no solver: a service that fits nowhere.
fn explain_quick(p: &Problem) -> Option<Infeasible> {
    let eligible = p.eligible();
    let any_unplaceable = eligible.iter().any(|row| !row.iter().any(|b| *b));
    any_unplaceable.then(|| explain(p))
}

/// Loads of a (partial) assignment, for the starting heuristic.
struct Loads {
    load: Vec<f64>,
    count: Vec<usize>,
    region: Vec<f64>,
    outside: f64,
}

impl Loads {
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

/// A starting assignment for the exact search: services that may not be split, the most
/// constrained first,
/// each at its best location that still fits, then improved by moves and swaps while that
/// raises the score. `None` when this fails to place every service; the exact search does not
/// need it, it only prunes faster with it.
fn heuristic(p: &Problem, pairs: &Pairs, cost: &[Vec<f64>]) -> Option<Placement> {
    if p.services.iter().any(|s| s.split) {
        return None;
    }
    let k = p.services.len();
    let ranked: Vec<Vec<usize>> = (0..k)
        .map(|s| {
            let mut ls: Vec<usize> = (0..p.n()).filter(|&l| pairs[s][l]).collect();
            ls.sort_by(|&a, &b| cost[s][a].total_cmp(&cost[s][b]).then(a.cmp(&b)));
            ls
        })
        .collect();
    // The most constrained services first (fewest locations), then the largest.
    let mut order: Vec<usize> = (0..k).collect();
    order.sort_by(|&a, &b| {
        ranked[a]
            .len()
            .cmp(&ranked[b].len())
            .then(p.services[b].fte.total_cmp(&p.services[a].fte))
            .then(a.cmp(&b))
    });
    let mut at = vec![usize::MAX; k];
    let mut loads = Loads::new(p);
    let mut rest = p.total_fte();
    for &s in &order {
        let f = p.services[s].fte;
        rest -= f;
        let l = ranked[s].iter().copied().find(|&l| {
            loads.add(p, l, f, 1.0);
            let ok = loads.ok_at(p, l) && loads.outside_ok(p, rest);
            loads.add(p, l, f, -1.0);
            ok
        });
        let l = l?;
        loads.add(p, l, f, 1.0);
        at[s] = l;
    }
    // Improve by single moves and pairwise swaps until neither helps.
    let feasible = |loads: &Loads, ls: &[usize]| {
        ls.iter().all(|&l| loads.ok_at(p, l)) && loads.outside_ok(p, 0.0)
    };
    for _ in 0..100 {
        let mut better = false;
        for s in 0..k {
            let f = p.services[s].fte;
            let from = at[s];
            for &l in &ranked[s] {
                if p.value(s, l) <= p.value(s, from) + 1e-12 {
                    continue;
                }
                loads.add(p, from, f, -1.0);
                loads.add(p, l, f, 1.0);
                if feasible(&loads, &[l, from]) {
                    at[s] = l;
                    better = true;
                    break;
                }
                loads.add(p, l, f, -1.0);
                loads.add(p, from, f, 1.0);
            }
        }
        for s in 0..k {
            for t in s + 1..k {
                let (ls, lt) = (at[s], at[t]);
                if ls == lt || !pairs[s][lt] || !pairs[t][ls] {
                    continue;
                }
                let gain = p.value(s, lt) + p.value(t, ls) - p.value(s, ls) - p.value(t, lt);
                if gain <= 1e-12 {
                    continue;
                }
                let (fs, ft) = (p.services[s].fte, p.services[t].fte);
                loads.add(p, ls, fs, -1.0);
                loads.add(p, lt, ft, -1.0);
                loads.add(p, lt, fs, 1.0);
                loads.add(p, ls, ft, 1.0);
                if feasible(&loads, &[ls, lt]) {
                    at.swap(s, t);
                    better = true;
                } else {
                    loads.add(p, ls, ft, -1.0);
                    loads.add(p, lt, fs, -1.0);
                    loads.add(p, lt, ft, 1.0);
                    loads.add(p, ls, fs, 1.0);
                }
            }
        }
        if !better {
            break;
        }
    }
    Some(at.iter().map(|&l| vec![(l, 1.0)]).collect())
}

/// Multipliers of the pattern LP's dual: `u_s` per service, `w_l` per location with
/// workplaces or a maximum, `rho_r` per region cap, `sigma` for the outside share.
struct PatternPrices {
    u: Vec<f64>,
    w: Vec<f64>,
    rho: Vec<f64>,
    sigma: f64,
}

impl PatternPrices {
    /// What placing service `s` at `l` earns above its price.
    fn profit(&self, p: &Problem, s: usize, l: usize) -> f64 {
        let out = if p.randstad[l] { 0.0 } else { self.sigma };
        p.value(s, l) - self.u[s] - p.services[s].fte * (self.rho[p.region[l]] - out)
    }
}

/// Does location `l` limit which services fit together (workplaces or a maximum)?
fn structured(p: &Problem, l: usize) -> bool {
    p.capacity[l].is_some() || p.max_per_location.is_some()
}

/// The most profitable set of services at `l` (that fit together) under `prices`, containing
/// `forced` if given: the summed profit, minus `w_l`, and the set. Depth-first over the services
/// with a positive profit, pruned by the profit still available.
fn best_pattern(
    p: &Problem,
    pairs: &Pairs,
    prices: &PatternPrices,
    l: usize,
    forced: Option<usize>,
) -> (f64, Vec<usize>) {
    let mut items: Vec<(f64, usize)> = (0..p.services.len())
        .filter(|&s| pairs[s][l] && Some(s) != forced)
        .map(|s| (prices.profit(p, s, l), s))
        .filter(|(g, _)| *g > 0.0)
        .collect();
    items.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    let cap = p.capacity[l].unwrap_or(f64::INFINITY);
    let max = p.max_per_location.unwrap_or(usize::MAX);
    let (start, fte0, n0) = match forced {
        Some(s) => (prices.profit(p, s, l), p.services[s].fte, 1),
        None => (0.0, 0.0, 0),
    };
    let mut best = (start, forced.into_iter().collect::<Vec<_>>());
    if !structured(p, l) {
        // Everything fits together: every positive profit counts.
        best.0 += items.iter().map(|(g, _)| g).sum::<f64>();
        best.1.extend(items.iter().map(|(_, s)| *s));
    } else {
        let mut suffix = vec![0.0; items.len() + 1];
        for i in (0..items.len()).rev() {
            suffix[i] = suffix[i + 1] + items[i].0;
        }
        let mut chosen = Vec::new();
        dfs(
            p,
            &items,
            &suffix,
            0,
            start,
            fte0,
            n0,
            cap,
            max,
            &mut chosen,
            &mut best,
            forced,
        );
    }
    if best.1.is_empty() {
        return (f64::NEG_INFINITY, Vec::new());
    }
    let w = if structured(p, l) { prices.w[l] } else { 0.0 };
    best.1.sort_unstable();
    (best.0 - w, best.1)
}

#[allow(clippy::too_many_arguments)]
fn dfs(
    p: &Problem,
    items: &[(f64, usize)],
    suffix: &[f64],
    i: usize,
    gain: f64,
    fte: f64,
    count: usize,
    cap: f64,
    max: usize,
    chosen: &mut Vec<usize>,
    best: &mut (f64, Vec<usize>),
    forced: Option<usize>,
) {
    if gain > best.0 && (count > 0) {
        *best = (
            gain,
            forced.into_iter().chain(chosen.iter().copied()).collect(),
        );
    }
    if i == items.len() || count == max || gain + suffix[i] <= best.0 {
        return;
    }
    let (g, s) = items[i];
    let f = fte + p.services[s].fte;
    if f <= cap + FTE_TOL {
        chosen.push(s);
        dfs(
            p,
            items,
            suffix,
            i + 1,
            gain + g,
            f,
            count + 1,
            cap,
            max,
            chosen,
            best,
            forced,
        );
        chosen.pop();
    }
    dfs(
        p,
        items,
        suffix,
        i + 1,
        gain,
        fte,
        count,
        cap,
        max,
        chosen,
        best,
        forced,
    );
}

/// Rounds of pattern generation before the bound is taken as it stands (it stays valid).
const PATTERN_ROUNDS: usize = 200;

/// The dual of the pattern LP, solved by generating its rows: start from one row per pair,
/// then add, per location, the most violated pattern until none is violated. The bound and
/// the reduced costs are made valid whatever the remaining violation (at most one pattern per
/// location, so adding each location's largest violation to the bound suffices).
fn pattern_dual(p: &Problem, pairs: &Pairs) -> Option<Dual> {
    let n = p.n();
    let mut lp = microlp::Problem::new(OptimizationDirection::Minimize);
    let u = service_prices(&mut lp, p);
    // Until the rows of larger patterns are there, the dual may be unbounded (the primal with
    // few patterns infeasible). A box on the multipliers keeps every LP bounded; it only
    // restricts the dual, so its points stay valid bounds.
    let scale: f64 = (0..p.services.len())
        .map(|s| (0..n).map(|l| p.value(s, l).abs()).fold(0.0, f64::max))
        .sum();
    let boxed = 1e3 * (1.0 + scale);
    let min_fte = p
        .services
        .iter()
        .map(|s| s.fte)
        .fold(f64::INFINITY, f64::min);
    let boxed_per_fte = boxed / min_fte.max(1e-3);
    let w: Vec<Option<Variable>> = (0..n)
        .map(|l| structured(p, l).then(|| lp.add_var(1.0, (0.0, boxed))))
        .collect();
    let rho: Vec<Option<Variable>> = (0..p.region_cap.len())
        .map(|r| p.region_row(r).map(|c| lp.add_var(c, (0.0, boxed_per_fte))))
        .collect();
    let outside_rhs = p.min_outside_share.map(|m| m * p.total_fte() - FTE_TOL);
    let sigma = outside_rhs.map(|m| lp.add_var(-m, (0.0, boxed_per_fte)));
    let row = |l: usize, set: &[usize]| -> (LinearExpr, f64) {
        let mut e = LinearExpr::empty();
        for &s in set {
            e.add(u[s], 1.0);
        }
        if let Some(w) = w[l] {
            e.add(w, 1.0);
        }
        let f: f64 = set.iter().map(|&s| p.services[s].fte).sum();
        if let Some(r) = rho[p.region[l]] {
            e.add(r, f);
        }
        if let (Some(sg), false) = (sigma, p.randstad[l]) {
            e.add(sg, -f);
        }
        (e, set.iter().map(|&s| p.value(s, l)).sum())
    };
    for s in 0..p.services.len() {
        for l in (0..n).filter(|&l| pairs[s][l]) {
            let (e, v) = row(l, &[s]);
            lp.add_constraint(e, ComparisonOp::Ge, v);
        }
    }
    let mut sol = lp.solve().ok()?.into_solution().ok()?;
    let prices = |sol: &microlp::Solution| {
        let val = |x: Option<Variable>| x.map_or(0.0, |x| sol.var_value_raw(x).max(0.0));
        PatternPrices {
            u: u.iter().map(|x| sol.var_value_raw(*x)).collect(),
            w: w.iter().map(|x| val(*x)).collect(),
            rho: rho.iter().map(|x| val(*x)).collect(),
            sigma: val(sigma),
        }
    };
    let tolerance = 1e-9 * p.total_fte().max(1.0);
    for _ in 0..PATTERN_ROUNDS {
        let pr = prices(&sol);
        let violated: Vec<(usize, Vec<usize>)> = (0..n)
            .filter(|&l| structured(p, l))
            .map(|l| (l, best_pattern(p, pairs, &pr, l, None)))
            .filter(|(_, (g, set))| *g > tolerance && set.len() > 1)
            .map(|(l, (_, set))| (l, set))
            .collect();
        if violated.is_empty() {
            break;
        }
        for (l, set) in violated {
            let (e, v) = row(l, &set);
            sol = sol
                .add_constraint(e, ComparisonOp::Ge, v)
                .ok()?
                .into_solution()
                .ok()?;
        }
    }
    let pr = prices(&sol);
    // The bound from the prices, plus each location's remaining violation.
    let viol: Vec<f64> = (0..n)
        .map(|l| best_pattern(p, pairs, &pr, l, None).0.max(0.0))
        .collect();
    let bound = pr.u.iter().sum::<f64>()
        + pr.w.iter().sum::<f64>()
        + (0..p.region_cap.len())
            .map(|r| p.region_row(r).unwrap_or(0.0) * pr.rho[r])
            .sum::<f64>()
        - outside_rhs.unwrap_or(0.0) * pr.sigma
        + viol.iter().sum::<f64>();
    let reduced = (0..p.services.len())
        .map(|s| {
            (0..n)
                .map(|l| {
                    if pairs[s][l] {
                        viol[l] - best_pattern(p, pairs, &pr, l, Some(s)).0
                    } else {
                        f64::INFINITY
                    }
                })
                .collect()
        })
        .collect();
    Some(Dual {
        bound,
        reduced,
        patterns: Some((pr, viol)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{RngExt, SeedableRng};
    use rand_chacha::ChaCha8Rng;

    /// 10 services over 24 locations in 4 regions, with capacities, a maximum of two per
    /// location, region caps and a share outside the Randstad.
    fn instance(seed: u64) -> Problem {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let n = 24;
        Problem {
            services: (0..10)
                .map(|_| Service {
                    fte: f64::from(100 + 10 * rng.random_range(0..=30u32)),
                    scores: (0..n)
                        .map(|_| Some(rng.random_range(0.3..0.8f64)))
                        .collect(),
                    split: false,
                })
                .collect(),
            capacity: (0..n)
                .map(|_| Some([250.0, 400.0, 600.0][rng.random_range(0..3)]))
                .collect(),
            region: (0..n).map(|l| l % 4).collect(),
            region_cap: (0..4).map(|_| Some(1200.0)).collect(),
            randstad: (0..n).map(|l| l % 4 == 0).collect(),
            max_per_location: Some(2),
            min_outside_share: Some(0.7),
        }
    }

    fn feasible(p: &Problem, placed: &Placement) -> bool {
        let mut loads = Loads::new(p);
        for (s, pl) in placed.iter().enumerate() {
            let [(l, 1.0)] = pl.as_slice() else {
                return false;
            };
            loads.add(p, *l, p.services[s].fte, 1.0);
        }
        (0..p.n()).all(|l| loads.ok_at(p, l)) && loads.outside_ok(p, 0.0)
    }

    /// Each service in turn at its worst-scoring location that still fits: a poor start.
    fn worst_fit(p: &Problem, eligible: &Pairs) -> Option<Placement> {
        let mut loads = Loads::new(p);
        let mut rest = p.total_fte();
        let mut placed = Vec::new();
        for s in 0..p.services.len() {
            let f = p.services[s].fte;
            rest -= f;
            let mut ls: Vec<usize> = (0..p.n()).filter(|&l| eligible[s][l]).collect();
            ls.sort_by(|&a, &b| p.value(s, a).total_cmp(&p.value(s, b)));
            let l = ls.into_iter().find(|&l| {
                loads.add(p, l, f, 1.0);
                let ok = loads.ok_at(p, l) && loads.outside_ok(p, rest);
                loads.add(p, l, f, -1.0);
                ok
            })?;
            loads.add(p, l, f, 1.0);
            placed.push(vec![(l, 1.0)]);
        }
        Some(placed)
    }

    /// The neighbourhood search starts from a poor assignment (each service led to its worst
    /// locations first): it returns a feasible assignment, never worse and never above the
    /// optimum, and it improves most starts.
    #[test]
    fn neighbourhood_search_improves_a_poor_start() {
        let mut improved = 0;
        for seed in 0..8 {
            let p = instance(seed);
            let eligible = p.eligible();
            let dual = pattern_dual(&p, &eligible).expect("bounded");
            let placed = worst_fit(&p, &eligible).expect("a start exists");
            assert!(feasible(&p, &placed), "seed {seed}: the start is feasible");
            let start = Run {
                objective: objective(&p, &placed),
                placed,
                reason: TerminationReason::NodeLimit,
                gap: f64::INFINITY,
                nodes: 0,
            };
            let better = improve(&p, &eligible, &dual, start.clone(), None);
            assert!(feasible(&p, &better.placed), "seed {seed}: still feasible");
            let exact = solve(&p, None).expect("feasible");
            assert!(better.objective <= exact.objective + 1e-6, "seed {seed}");
            assert!(
                better.objective >= start.objective,
                "seed {seed}: never worse"
            );
            if better.objective > start.objective + 1e-6 {
                improved += 1;
            }
        }
        assert_eq!(improved, 8, "every poor start is improved");
    }
}
