//! Matching several services to locations at once, exactly: a mixed-integer program solved by
//! branch and bound (the `microlp` solver through `good_lp`).
//!
//! Maximise the FTE-weighted score `sum_s sum_l fte_s * score_sl * x_sl` subject to: each service
//! wholly at one feasible location (`x` binary), or split over locations (fractions that sum to
//! one) when it may be split; workplaces per location; at most N services per location; FTE
//! added per region at most a cap; and at least a share of the FTE outside the Randstad. Ties
//! between optimal assignments go to lower location indices: a perturbation of 1e-9 per index
//! position times the FTE decides between solutions whose objectives differ by less than that.

use std::time::{Duration, Instant};

use good_lp::{
    Constraint, Expression, ProblemVariables, ResolutionError, Solution, SolverModel, Variable,
    WithTimeLimit, constraint, microlp, variable,
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
    /// The time limit stopped the search; `gap` is the relative distance to the LP bound.
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
}

/// Per service, the locations and shares.
type Placement = Vec<Vec<(usize, f64)>>;

struct Built {
    vars: Vec<Vec<Option<Variable>>>,
    model_vars: ProblemVariables,
    constraints: Vec<Constraint>,
    objective: Expression,
}

fn build(p: &Problem, drop: Option<Family>, relax: bool) -> Built {
    let n = p.capacity.len();
    let mut pv = ProblemVariables::new();
    let mut vars: Vec<Vec<Option<Variable>>> = Vec::new();
    let mut ys: Vec<Vec<Option<Variable>>> = Vec::new();
    let mut objective = Expression::from(0.0);
    let mut constraints = Vec::new();
    for s in &p.services {
        let integral = !s.split && !relax && drop != Some(Family::Integrality);
        let row: Vec<Option<Variable>> = (0..n)
            .map(|l| {
                s.scores[l].map(|_| {
                    let v = variable().min(0.0).max(1.0);
                    pv.add(if integral { v.binary() } else { v })
                })
            })
            .collect();
        // Split services count at a location through a binary indicator.
        let yrow: Vec<Option<Variable>> =
            if s.split && p.max_per_location.is_some() && drop != Some(Family::PerLocation) {
                (0..n)
                    .map(|l| {
                        row[l].map(|x| {
                            let v = variable().min(0.0).max(1.0);
                            let y = pv.add(if relax { v } else { v.binary() });
                            constraints.push(constraint!(x - y <= 0.0));
                            y
                        })
                    })
                    .collect()
            } else {
                row.clone()
            };
        let mut one = Expression::from(0.0);
        for (l, x) in row.iter().enumerate() {
            if let (Some(x), Some(score)) = (x, s.scores[l]) {
                objective += (s.fte * score - 1e-9 * s.fte * l as f64) * *x;
                one += *x;
            }
        }
        constraints.push(constraint!(one == 1.0));
        vars.push(row);
        ys.push(yrow);
    }
    let load = |l: usize| -> Expression {
        let mut e = Expression::from(0.0);
        for (s, row) in p.services.iter().zip(&vars) {
            if let Some(x) = row[l] {
                e += s.fte * x;
            }
        }
        e
    };
    if drop != Some(Family::Capacity) {
        for (l, cap) in p.capacity.iter().enumerate() {
            if let Some(c) = cap {
                constraints.push(constraint!(load(l) <= *c));
            }
        }
    }
    if let (Some(max), true) = (p.max_per_location, drop != Some(Family::PerLocation)) {
        for l in 0..n {
            let mut e = Expression::from(0.0);
            let mut any = false;
            for row in &ys {
                if let Some(y) = row[l] {
                    e += y;
                    any = true;
                }
            }
            if any {
                constraints.push(constraint!(e <= max as f64));
            }
        }
    }
    if drop != Some(Family::RegionCap) {
        for (r, cap) in p.region_cap.iter().enumerate() {
            if let Some(c) = cap {
                let mut e = Expression::from(0.0);
                for l in (0..n).filter(|&l| p.region[l] == r) {
                    e += load(l);
                }
                constraints.push(constraint!(e <= *c));
            }
        }
    }
    if let (Some(m), true) = (p.min_outside_share, drop != Some(Family::OutsideShare)) {
        let total: f64 = p.services.iter().map(|s| s.fte).sum();
        let mut e = Expression::from(0.0);
        for l in (0..n).filter(|&l| !p.randstad[l]) {
            e += load(l);
        }
        constraints.push(constraint!(e >= m * total));
    }
    Built {
        vars,
        model_vars: pv,
        constraints,
        objective,
    }
}

fn run(
    p: &Problem,
    drop: Option<Family>,
    relax: bool,
    limit: Option<Duration>,
) -> Result<(Placement, f64), ResolutionError> {
    let b = build(p, drop, relax);
    let mut model = b.model_vars.maximise(b.objective.clone()).using(microlp);
    if let Some(t) = limit {
        model = model.with_time_limit(t.as_secs_f64());
    }
    for c in b.constraints {
        model = model.with(c);
    }
    let sol = model.solve()?;
    let placed: Placement = b
        .vars
        .iter()
        .map(|row| {
            row.iter()
                .enumerate()
                .filter_map(|(l, x)| x.map(|x| (l, sol.value(x))))
                .filter(|(_, v)| *v > 1e-7)
                .map(|(l, v)| (l, if (v - 1.0).abs() < 1e-7 { 1.0 } else { v }))
                .collect()
        })
        .collect();
    let objective = p
        .services
        .iter()
        .zip(&placed)
        .map(|(s, pl)| {
            pl.iter()
                .map(|(l, v)| s.fte * s.scores[*l].unwrap_or(0.0) * v)
                .sum::<f64>()
        })
        .sum();
    Ok((placed, objective))
}

/// Explains why a problem has no solution: services that fit nowhere, and the constraint families
/// whose removal alone makes the (relaxed) problem feasible.
pub fn explain(p: &Problem) -> Infeasible {
    let mut services = Vec::new();
    for (i, s) in p.services.iter().enumerate() {
        let feasible: Vec<usize> = (0..p.capacity.len())
            .filter(|&l| s.scores[l].is_some())
            .collect();
        if feasible.is_empty() {
            services.push((
                i,
                "every location is excluded by its hard requirements".to_string(),
            ));
        } else if !s.split
            && feasible
                .iter()
                .all(|&l| p.capacity[l].is_some_and(|c| c < s.fte))
        {
            services.push((
                i,
                format!(
                    "needs {} workplaces, more than any of its feasible locations has",
                    s.fte
                ),
            ));
        }
    }
    let mut reasons = Vec::new();
    let total: f64 = p.services.iter().map(|s| s.fte).sum();
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
        if run(p, None, true, None).is_ok() {
            culprits.push(Family::Integrality);
            reasons.push(
                "the constraints can be met only by splitting services that may not be split"
                    .into(),
            );
        } else {
            for f in families {
                if run(p, Some(f), true, None).is_ok() {
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
    }
}

/// Solves the problem exactly (branch and bound to a zero gap), or within `limit`.
pub fn solve(p: &Problem, limit: Option<Duration>) -> Result<Assignment, Infeasible> {
    let quick = explain_quick(p);
    if let Some(inf) = quick {
        return Err(inf);
    }
    let start = Instant::now();
    let bound = match run(p, None, true, None) {
        Ok((_, obj)) => obj,
        Err(_) => return Err(explain(p)),
    };
    match run(p, None, false, limit) {
        Ok((placed, objective)) => {
            let seconds = start.elapsed().as_secs_f64();
            let hit = limit.is_some_and(|l| start.elapsed() >= l);
            let status = if hit {
                Status::TimeLimit {
                    gap: ((bound - objective) / bound.abs().max(1e-12)).max(0.0),
                }
            } else {
                Status::Optimal
            };
            Ok(Assignment {
                placed,
                objective,
                status,
                bound,
                seconds,
            })
        }
        Err(_) => Err(explain(p)),
    }
}

/// Cheap checks that need no solver: a service that fits nowhere.
fn explain_quick(p: &Problem) -> Option<Infeasible> {
    let bad: Vec<(usize, String)> = p
        .services
        .iter()
        .enumerate()
        .filter(|(_, s)| s.scores.iter().all(Option::is_none))
        .map(|(i, _)| {
            (
                i,
                "every location is excluded by its hard requirements".to_string(),
            )
        })
        .collect();
    (!bad.is_empty()).then(|| Infeasible {
        services: bad,
        culprits: Vec::new(),
        reasons: Vec::new(),
    })
}
