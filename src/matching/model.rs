//! The models handed to microlp: the pair model (one variable per service and location, with
//! conflict cliques) and the pattern model (one column per location and set of services that fit
//! there together), and one solver call with its outcome.

// Loops over (service, location) indices read more clearly than zipped iterators here.
#![allow(clippy::needless_range_loop)]

use microlp::{
    ComparisonOp, OptimizationDirection, SolveOptions, SolveOutcome, TerminationReason, Variable,
};

use super::{FTE_TOL, Family, Pairs, Placement, Problem, Service, objective};

/// Conflict cliques: at a location with capacity `c`, services that may not be split and of
/// which no two fit together (`fte_s + fte_t > c`) can have at most one there. The conflict
/// graph is a threshold graph, so its maximal cliques are, for each member `m`, `m` with every
/// at least as large service that does not fit beside it. These valid inequalities tighten the
/// LP relaxation a great deal when services are large against the capacities.
pub(super) fn cliques(p: &Problem, pairs: &Pairs) -> Vec<(usize, Vec<usize>)> {
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
pub(super) struct Model {
    pub(super) lp: microlp::Problem,
    /// Each column places some services wholly or partly at one location.
    pub(super) cols: Vec<(Variable, usize, Vec<usize>)>,
    /// Columns are location patterns (sets of services placed together).
    pub(super) patterns: bool,
}

/// Builds the model over `pairs`; `relax` drops integrality; `drop` leaves out one family.
pub(super) fn model(p: &Problem, pairs: &Pairs, relax: bool, drop: Option<Family>) -> Model {
    let n = p.n();
    let mut lp = microlp::Problem::new(OptimizationDirection::Maximize);
    let keep = |f: Family| drop != Some(f);
    let integral = |s: &Service| !s.split && !relax && keep(Family::Integrality);
    let counted = p.count_row().filter(|_| keep(Family::PerLocation));
    let (x, y) = assignment_vars(&mut lp, p, pairs, relax, integral, counted.is_some());
    let load = |l: usize| load(p, &x, l);
    if keep(Family::Capacity) {
        capacity_rows(&mut lp, p, pairs, &x, keep(Family::Integrality));
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

/// The FTE placed at location `l`: each service's variable there times its FTE.
fn load(p: &Problem, x: &VarGrid, l: usize) -> Vec<(Variable, f64)> {
    p.services
        .iter()
        .zip(x)
        .filter_map(|(s, row)| row[l].map(|v| (v, s.fte)))
        .collect()
}

/// The capacity of each location, and with `cliques` the sets of services of which at most one
/// fits at a location.
fn capacity_rows(
    lp: &mut microlp::Problem,
    p: &Problem,
    pairs: &Pairs,
    x: &VarGrid,
    cliques_too: bool,
) {
    for l in 0..p.n() {
        if let Some(c) = p.cap_row(l) {
            lp.add_constraint(load(p, x, l), ComparisonOp::Le, c);
        }
    }
    if cliques_too {
        for (l, k) in cliques(p, pairs) {
            let e: Vec<(Variable, f64)> = k
                .iter()
                .filter_map(|&s| x[s][l].map(|v| (v, 1.0)))
                .collect();
            lp.add_constraint(e, ComparisonOp::Le, 1.0);
        }
    }
}

/// Per service and location, a variable where the pair is allowed.
type VarGrid = Vec<Vec<Option<Variable>>>;

/// The assignment variables `x` (per service and location: binary, or a share for a split
/// service) with each service's row `sum_l x_sl = 1`, and the indicators `y` that count a
/// service at a location (a split service's own binaries; `x` itself otherwise).
fn assignment_vars(
    lp: &mut microlp::Problem,
    p: &Problem,
    pairs: &Pairs,
    relax: bool,
    integral: impl Fn(&Service) -> bool,
    counted: bool,
) -> (VarGrid, VarGrid) {
    let n = p.n();
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
        let yrow: Vec<Option<Variable>> = if s.split && counted && !relax {
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
    (x, y)
}

/// Most location patterns a pattern model may have.
pub(super) const PATTERN_LIMIT: usize = 200_000;

/// The pattern (set-partitioning) model over `pairs`: one binary column per location and set of
/// services that fit there together (workplaces and the maximum per location), each service in
/// exactly one column, at most one column per location. Its LP relaxation is the convex hull of
/// each location's feasible sets, much tighter than the pair model's. `None` when a service may
/// be split or the patterns would exceed [`PATTERN_LIMIT`].
pub(super) fn pattern_model(
    p: &Problem,
    pairs: &Pairs,
    keep: &dyn Fn(usize, &[usize]) -> bool,
) -> Option<Model> {
    if p.services.iter().any(|s| s.split) {
        return None;
    }
    let n = p.n();
    let patterns = enumerate_patterns(p, pairs, keep)?;
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
        if p.structured(l) {
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

/// Every pattern (a location and a set of services that fit there together) that `keep`
/// admits; `None` beyond [`PATTERN_LIMIT`].
fn enumerate_patterns(
    p: &Problem,
    pairs: &Pairs,
    keep: &dyn Fn(usize, &[usize]) -> bool,
) -> Option<Vec<(usize, Vec<usize>)>> {
    let n = p.n();
    let mut patterns: Vec<(usize, Vec<usize>)> = Vec::new();
    for l in 0..n {
        let here: Vec<usize> = (0..p.services.len()).filter(|&s| pairs[s][l]).collect();
        let max = p.max_per_location.unwrap_or(usize::MAX);
        if !p.structured(l) {
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
    Some(patterns)
}

/// The outcome of one microlp call on a model.
#[derive(Clone)]
pub(super) struct Run {
    pub(super) placed: Placement,
    pub(super) objective: f64,
    pub(super) reason: TerminationReason,
    pub(super) gap: f64,
    pub(super) nodes: u64,
}

pub(super) fn run(m: &Model, p: &Problem, opts: SolveOptions) -> Option<Run> {
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

/// The incumbent as a starting assignment of the model's variables.
pub(super) fn warm_start(m: &Model, inc: &Run) -> Vec<(Variable, f64)> {
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
