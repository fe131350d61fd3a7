//! Bounds and reduced costs: the dual of the pair LP (with conflict cliques) and the dual of the
//! pattern LP, generated row by row with a knapsack per location.

// Loops over (service, location) indices read more clearly than zipped iterators here.
#![allow(clippy::needless_range_loop)]

use microlp::{ComparisonOp, LinearExpr, OptimizationDirection, Variable};

use super::model::cliques;
use super::{FTE_TOL, Pairs, Problem};

/// Multipliers of the dual of the LP relaxation, and from them the bound and reduced costs.
pub(super) struct Dual {
    pub(super) bound: f64,
    /// `reduced[s][l]`: how much an assignment with s wholly at l scores below `bound` at least.
    pub(super) reduced: Vec<Vec<f64>>,
    /// From the pattern LP: its bound, the prices and each location's remaining violation,
    /// which bound every assignment that uses a given pattern.
    pub(super) patterns: Option<(f64, PatternPrices, Vec<f64>)>,
}

impl Dual {
    /// Can an assignment with service `s` at `l` score at least `floor`?
    pub(super) fn reaches(&self, s: usize, l: usize, floor: f64) -> bool {
        self.bound - self.reduced[s][l] >= floor
    }

    /// At most what an assignment that puts exactly `set` at `l` can score (infinite when only
    /// the pair LP is known).
    pub(super) fn pattern_bound(&self, p: &Problem, l: usize, set: &[usize]) -> f64 {
        let Some((base, pr, viol)) = &self.patterns else {
            return f64::INFINITY;
        };
        let w = if p.structured(l) { pr.w[l] } else { 0.0 };
        let gain: f64 = set.iter().map(|&s| pr.profit(p, s, l)).sum::<f64>() - w;
        base - viol[l] + gain
    }

    /// Takes in a second valid bound: per pair the smaller of the two bounds on assignments
    /// with that pair (`at[s][l]`, infinite for pairs it does not know), and overall the
    /// smaller bound.
    pub(super) fn tighten(&mut self, bound: f64, at: &[Vec<f64>]) {
        let old = self.bound;
        self.bound = old.min(bound);
        for (row, at_row) in self.reduced.iter_mut().zip(at) {
            for (d, a) in row.iter_mut().zip(at_row) {
                if d.is_finite() {
                    *d = (self.bound - (old - *d).min(*a)).max(0.0);
                }
            }
        }
    }
}

/// One free multiplier per service (its row `sum_l x_sl = 1`), with cost 1 in a dual.
pub(super) fn service_prices(lp: &mut microlp::Problem, p: &Problem) -> Vec<Variable> {
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
pub(super) fn dual(p: &Problem, pairs: &Pairs) -> Option<Dual> {
    let (mut lp, vars) = PairVars::new(p, pairs);
    for s in 0..p.services.len() {
        for l in (0..p.n()).filter(|&l| pairs[s][l]) {
            lp.add_constraint(vars.row(p, s, l), ComparisonOp::Ge, p.value(s, l));
        }
    }
    let sol = lp.solve().ok()?.into_solution().ok()?;
    Some(vars.bound(p, pairs, &sol))
}

/// The variables of the pair LP's dual: `u` per service, `v` per location with workplaces, `q`
/// per location under a maximum count, `rho` per capped region, `sigma` for the outside share,
/// and a multiplier per conflict clique (`kappa`: the cliques of each pair).
struct PairVars {
    u: Vec<Variable>,
    v: Vec<Option<Variable>>,
    q: Vec<Option<Variable>>,
    rho: Vec<Option<Variable>>,
    sigma: Option<Variable>,
    kappa: Vec<Vec<Vec<Variable>>>,
    cliques: Vec<Variable>,
}

impl PairVars {
    fn new(p: &Problem, pairs: &Pairs) -> (microlp::Problem, PairVars) {
        let n = p.n();
        let mut lp = microlp::Problem::new(OptimizationDirection::Minimize);
        let u = service_prices(&mut lp, p);
        let v = (0..n)
            .map(|l| p.cap_row(l).map(|c| lp.add_var(c, (0.0, f64::INFINITY))))
            .collect();
        let q = (0..n)
            .map(|_| {
                p.count_row()
                    .map(|m| lp.add_var(m as f64, (0.0, f64::INFINITY)))
            })
            .collect();
        let rho = (0..p.region_cap.len())
            .map(|r| p.region_row(r).map(|c| lp.add_var(c, (0.0, f64::INFINITY))))
            .collect();
        let sigma = p
            .min_outside_share
            .map(|m| lp.add_var(-(m * p.total_fte() - FTE_TOL), (0.0, f64::INFINITY)));
        let mut kappa: Vec<Vec<Vec<Variable>>> = vec![vec![Vec::new(); n]; p.services.len()];
        let cliques = cliques(p, pairs)
            .into_iter()
            .map(|(l, k)| {
                let var = lp.add_var(1.0, (0.0, f64::INFINITY));
                for s in k {
                    kappa[s][l].push(var);
                }
                var
            })
            .collect();
        let vars = PairVars {
            u,
            v,
            q,
            rho,
            sigma,
            kappa,
            cliques,
        };
        (lp, vars)
    }

    /// The dual row of pair (s, l).
    fn row(&self, p: &Problem, s: usize, l: usize) -> LinearExpr {
        let fte = p.services[s].fte;
        let mut e = LinearExpr::empty();
        e.add(self.u[s], 1.0);
        for k in &self.kappa[s][l] {
            e.add(*k, 1.0);
        }
        if let Some(v) = self.v[l] {
            e.add(v, fte);
        }
        if let Some(q) = self.q[l] {
            e.add(q, 1.0);
        }
        if let Some(r) = self.rho[p.region[l]] {
            e.add(r, fte);
        }
        if let (Some(sg), false) = (self.sigma, p.randstad[l]) {
            e.add(sg, -fte);
        }
        e
    }

    /// The bound and reduced costs from the solved multipliers. The remaining multipliers fix
    /// the best `u_s` exactly, so the bound is valid whatever the solver's round-off.
    fn bound(&self, p: &Problem, pairs: &Pairs, sol: &microlp::Solution) -> Dual {
        let n = p.n();
        let val = |x: Option<Variable>| x.map_or(0.0, |x| sol.var_value_raw(x).max(0.0));
        let price = |s: usize, l: usize| {
            let f = p.services[s].fte;
            f * val(self.v[l])
                + val(self.q[l])
                + f * val(self.rho[p.region[l]])
                + self.kappa[s][l].iter().map(|k| val(Some(*k))).sum::<f64>()
                - if p.randstad[l] {
                    0.0
                } else {
                    f * val(self.sigma)
                }
        };
        let mut bound = (0..n)
            .map(|l| {
                p.cap_row(l).unwrap_or(0.0) * val(self.v[l])
                    + p.count_row().unwrap_or(0) as f64 * val(self.q[l])
            })
            .sum::<f64>()
            + (0..p.region_cap.len())
                .map(|r| p.region_row(r).unwrap_or(0.0) * val(self.rho[r]))
                .sum::<f64>()
            - p.min_outside_share
                .map_or(0.0, |m| (m * p.total_fte() - FTE_TOL) * val(self.sigma))
            + self.cliques.iter().map(|k| val(Some(*k))).sum::<f64>();
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
        Dual {
            bound,
            reduced,
            patterns: None,
        }
    }
}

/// Multipliers of the pattern LP's dual: `u_s` per service, `w_l` per location with
/// workplaces or a maximum, `rho_r` per region cap, `sigma` for the outside share.
pub(super) struct PatternPrices {
    pub(super) u: Vec<f64>,
    pub(super) w: Vec<f64>,
    pub(super) rho: Vec<f64>,
    pub(super) sigma: f64,
}

impl PatternPrices {
    /// What placing service `s` at `l` earns above its price.
    pub(super) fn profit(&self, p: &Problem, s: usize, l: usize) -> f64 {
        let out = if p.randstad[l] { 0.0 } else { self.sigma };
        p.value(s, l) - self.u[s] - p.services[s].fte * (self.rho[p.region[l]] - out)
    }
}

/// The most profitable set of services at `l` (that fit together) under `prices`, containing
/// `forced` if given: the summed profit, minus `w_l`, and the set. Depth-first over the services
/// with a positive profit, pruned by the profit still available.
pub(super) fn best_pattern(
    p: &Problem,
    pairs: &Pairs,
    prices: &PatternPrices,
    l: usize,
    forced: Option<usize>,
) -> (f64, Vec<usize>) {
    let mut items: Vec<(f64, usize, f64)> = (0..p.services.len())
        .filter(|&s| pairs[s][l] && Some(s) != forced)
        .map(|s| (prices.profit(p, s, l), s, p.services[s].fte))
        .filter(|(g, _, _)| *g > 0.0)
        .collect();
    items.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    let (start, fte) = forced.map_or((0.0, 0.0), |s| (prices.profit(p, s, l), p.services[s].fte));
    let mut chosen: Vec<usize> = forced.into_iter().collect();
    let mut best = (start, chosen.clone());
    if !p.structured(l) {
        // Everything fits together: every positive profit counts.
        best.0 += items.iter().map(|(g, _, _)| g).sum::<f64>();
        best.1.extend(items.iter().map(|(_, s, _)| *s));
    } else {
        let mut suffix = vec![0.0; items.len() + 1];
        for i in (0..items.len()).rev() {
            suffix[i] = suffix[i + 1] + items[i].0;
        }
        let k = Knapsack {
            items: &items,
            suffix,
            cap: p.capacity[l].unwrap_or(f64::INFINITY),
            max: p.max_per_location.unwrap_or(usize::MAX),
        };
        k.search(0, start, fte, &mut chosen, &mut best);
    }
    if best.1.is_empty() {
        return (f64::NEG_INFINITY, Vec::new());
    }
    let w = if p.structured(l) { prices.w[l] } else { 0.0 };
    best.1.sort_unstable();
    (best.0 - w, best.1)
}

/// The services that may join a pattern (profit, service, FTE), best first, under the
/// location's workplaces and maximum.
struct Knapsack<'a> {
    items: &'a [(f64, usize, f64)],
    /// `suffix[i]`: the profit of all items from `i` on (the bound for pruning).
    suffix: Vec<f64>,
    cap: f64,
    max: usize,
}

impl Knapsack<'_> {
    /// Extends `chosen` (FTE `fte`, profit `gain`) with items from `i` on, keeping the most
    /// profitable non-empty set in `best`.
    fn search(
        &self,
        i: usize,
        gain: f64,
        fte: f64,
        chosen: &mut Vec<usize>,
        best: &mut (f64, Vec<usize>),
    ) {
        if gain > best.0 && !chosen.is_empty() {
            *best = (gain, chosen.clone());
        }
        if i == self.items.len() || chosen.len() == self.max || gain + self.suffix[i] <= best.0 {
            return;
        }
        let (g, s, f) = self.items[i];
        if fte + f <= self.cap + FTE_TOL {
            chosen.push(s);
            self.search(i + 1, gain + g, fte + f, chosen, best);
            chosen.pop();
        }
        self.search(i + 1, gain, fte, chosen, best);
    }
}

/// Rounds of pattern generation before the bound is taken as it stands (it stays valid).
pub(super) const PATTERN_ROUNDS: usize = 200;

/// The dual of the pattern LP, solved by generating its rows: start from one row per pair,
/// then add, per location, the most violated pattern until none is violated. The bound and
/// the reduced costs are made valid whatever the remaining violation (at most one pattern per
/// location, so adding each location's largest violation to the bound suffices).
pub(super) fn pattern_dual(p: &Problem, pairs: &Pairs) -> Option<Dual> {
    let n = p.n();
    let (mut lp, vars) = PatternVars::new(p);
    for s in 0..p.services.len() {
        for l in (0..n).filter(|&l| pairs[s][l]) {
            let (e, v) = vars.row(p, l, &[s]);
            lp.add_constraint(e, ComparisonOp::Ge, v);
        }
    }
    let mut sol = lp.solve().ok()?.into_solution().ok()?;
    let tolerance = 1e-9 * p.total_fte().max(1.0);
    for _ in 0..PATTERN_ROUNDS {
        let pr = vars.prices(&sol);
        let violated: Vec<(usize, Vec<usize>)> = (0..n)
            .filter(|&l| p.structured(l))
            .map(|l| (l, best_pattern(p, pairs, &pr, l, None)))
            .filter(|(_, (g, set))| *g > tolerance && set.len() > 1)
            .map(|(l, (_, set))| (l, set))
            .collect();
        if violated.is_empty() {
            break;
        }
        for (l, set) in violated {
            let (e, v) = vars.row(p, l, &set);
            sol = sol
                .add_constraint(e, ComparisonOp::Ge, v)
                .ok()?
                .into_solution()
                .ok()?;
        }
    }
    Some(pattern_bound(p, pairs, vars.prices(&sol), vars.outside_rhs))
}

/// The box on a dual's multipliers (per row of a pattern, and per FTE): far above any
/// multiplier an optimal dual needs, so that it only keeps the LPs bounded.
pub(super) fn dual_box(p: &Problem) -> (f64, f64) {
    let scale: f64 = (0..p.services.len())
        .map(|s| (0..p.n()).map(|l| p.value(s, l).abs()).fold(0.0, f64::max))
        .sum();
    let boxed = 1e3 * (1.0 + scale);
    let min_fte = p
        .services
        .iter()
        .map(|s| s.fte)
        .fold(f64::INFINITY, f64::min);
    (boxed, boxed / min_fte.max(1e-3))
}

/// The variables of the pattern LP's dual: a price per service (`u`), per structured location
/// (`w`), per capped region (`rho`) and for the share outside the Randstad (`sigma`).
struct PatternVars {
    u: Vec<Variable>,
    w: Vec<Option<Variable>>,
    rho: Vec<Option<Variable>>,
    sigma: Option<Variable>,
    outside_rhs: Option<f64>,
}

impl PatternVars {
    fn new(p: &Problem) -> (microlp::Problem, PatternVars) {
        let n = p.n();
        let mut lp = microlp::Problem::new(OptimizationDirection::Minimize);
        let u = service_prices(&mut lp, p);
        // Until the rows of larger patterns are there, the dual may be unbounded (the primal
        // with few patterns infeasible). A box on the multipliers keeps every LP bounded; it
        // only restricts the dual, so its points stay valid bounds.
        let (boxed, boxed_per_fte) = dual_box(p);
        let w = (0..n)
            .map(|l| p.structured(l).then(|| lp.add_var(1.0, (0.0, boxed))))
            .collect();
        let rho = (0..p.region_cap.len())
            .map(|r| p.region_row(r).map(|c| lp.add_var(c, (0.0, boxed_per_fte))))
            .collect();
        let outside_rhs = p.min_outside_share.map(|m| m * p.total_fte() - FTE_TOL);
        let sigma = outside_rhs.map(|m| lp.add_var(-m, (0.0, boxed_per_fte)));
        (
            lp,
            PatternVars {
                u,
                w,
                rho,
                sigma,
                outside_rhs,
            },
        )
    }

    /// The row of pattern `set` at location `l`: its prices at least the pattern's value.
    fn row(&self, p: &Problem, l: usize, set: &[usize]) -> (LinearExpr, f64) {
        let mut e = LinearExpr::empty();
        for &s in set {
            e.add(self.u[s], 1.0);
        }
        if let Some(w) = self.w[l] {
            e.add(w, 1.0);
        }
        let f: f64 = set.iter().map(|&s| p.services[s].fte).sum();
        if let Some(r) = self.rho[p.region[l]] {
            e.add(r, f);
        }
        if let (Some(sg), false) = (self.sigma, p.randstad[l]) {
            e.add(sg, -f);
        }
        (e, set.iter().map(|&s| p.value(s, l)).sum())
    }

    fn prices(&self, sol: &microlp::Solution) -> PatternPrices {
        let val = |x: Option<Variable>| x.map_or(0.0, |x| sol.var_value_raw(x).max(0.0));
        PatternPrices {
            u: self.u.iter().map(|x| sol.var_value_raw(*x)).collect(),
            w: self.w.iter().map(|x| val(*x)).collect(),
            rho: self.rho.iter().map(|x| val(*x)).collect(),
            sigma: val(self.sigma),
        }
    }
}

/// The bound from the prices, plus each location's remaining violation, and the reduced cost
/// of every pair.
fn pattern_bound(p: &Problem, pairs: &Pairs, pr: PatternPrices, outside_rhs: Option<f64>) -> Dual {
    let n = p.n();
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
    Dual {
        bound,
        reduced,
        patterns: Some((bound, pr, viol)),
    }
}
