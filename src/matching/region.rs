//! The region-pattern bound for pipelines whose services may not be split: the LP whose columns
//! are whole *region patterns* (which services go where within one region, within its cap, the
//! workplaces and the maximum per location), a Dantzig-Wolfe decomposition by region. It knows
//! that a region cap of 400 FTE takes one service of 250 FTE and not one and a half, which the
//! pattern LP per location does not; on tightly capped pipelines that closes most of the gap.
//!
//! Its dual is solved by generating rows: a dynamic programme per region (FTE against profit,
//! location by location) finds the most profitable region pattern under the current prices. The
//! programme may place one service at two locations of a region; that only enlarges the set of
//! patterns, so every bound stays valid. Whatever the state of the LP, the prices give a valid
//! (Lagrangian) bound: the prices of the services, plus per region its best pattern's profit,
//! minus the outside-share term. The same programme with some services fixed bounds every
//! assignment that places them so; [`super::region_search`] searches with it.

// Loops over (service, location) indices read more clearly than zipped iterators here.
#![allow(clippy::needless_range_loop)]

use std::time::Instant;

use microlp::{ComparisonOp, LinearExpr, OptimizationDirection, Variable};

use super::bound::dual_box;
use super::{FTE_TOL, Pairs, Placement, Problem};

/// Rounds of row generation at most; the bound is valid after any round.
const ROUNDS: usize = 1_000;

/// Rows per region that a node's LP starts with when it has its parent's prices.
const WARM_ROWS: usize = 40;

/// Prices: `u_s` per service and `sigma` for the outside share.
#[derive(Debug, Clone)]
pub(super) struct Prices {
    pub(super) u: Vec<f64>,
    pub(super) sigma: f64,
}

impl Prices {
    /// What placing service `s` at `l` earns above its price.
    fn profit(&self, p: &Problem, s: usize, l: usize) -> f64 {
        let out = if p.randstad[l] { 0.0 } else { self.sigma };
        p.value(s, l) - self.u[s] + p.services[s].fte * out
    }
}

/// One region pattern: the pairs (service, location) it places.
pub(super) type Pattern = Vec<(usize, usize)>;

/// The regions of a problem with the eligible pairs: the frame of every pricing problem.
pub(super) struct Regions<'a> {
    pub(super) p: &'a Problem,
    pub(super) pairs: &'a Pairs,
    /// The locations of each region.
    pub(super) locations: Vec<Vec<usize>>,
}

/// The bound on every assignment, the prices that gave it and, per eligible pair, the bound on
/// every assignment with that pair.
pub(super) struct RegionBound {
    pub(super) bound: f64,
    pub(super) prices: Prices,
    /// `at[s][l]`: at most what an assignment with s at l scores (infinite for other pairs).
    pub(super) at: Vec<Vec<f64>>,
    /// The region patterns generated so far.
    pub(super) pool: Vec<Pattern>,
}

/// The region-pattern LP could not be solved (numerical trouble or an interrupted solve):
/// nothing is proven.
#[derive(Debug)]
pub(super) struct LpFailed;

/// The solution of a solved LP, or [`LpFailed`].
fn solution(
    outcome: Result<microlp::SolveOutcome, microlp::Error>,
) -> Result<microlp::Solution, LpFailed> {
    outcome
        .map_err(|_| LpFailed)?
        .into_solution()
        .map_err(|_| LpFailed)
}

/// The outcome of row generation at a node of the search: the best bound, its prices and the
/// region patterns under them.
pub(super) struct Generated {
    pub(super) bound: f64,
    pub(super) prices: Prices,
    pub(super) regions: Vec<Entry>,
}

impl<'a> Regions<'a> {
    pub(super) fn new(p: &'a Problem, pairs: &'a Pairs) -> Self {
        let locations = (0..p.region_cap.len())
            .map(|r| (0..p.n()).filter(|&l| p.region[l] == r).collect())
            .collect();
        Regions {
            p,
            pairs,
            locations,
        }
    }

    /// The Lagrangian bound for the region optima `best` (profits) under `pr`.
    pub(super) fn lagrangian(&self, pr: &Prices, best: impl Iterator<Item = f64>) -> f64 {
        pr.u.iter().sum::<f64>() + best.sum::<f64>() - outside_rhs(self.p).unwrap_or(0.0) * pr.sigma
    }

    /// The region-pattern bound, or `None` when its LP cannot be solved (the caller keeps the
    /// bound it has). `seeds` are known assignments: their region patterns make the LP's
    /// primal feasible from the start.
    pub(super) fn bound(
        &self,
        seeds: &[Placement],
        deadline: Option<Instant>,
    ) -> Option<RegionBound> {
        let p = self.p;
        let mut pool: Vec<Pattern> = Vec::new();
        for s in 0..p.services.len() {
            pool.extend(
                (0..p.n())
                    .filter(|&l| self.pairs[s][l])
                    .map(|l| vec![(s, l)]),
            );
        }
        for placed in seeds {
            for ls in &self.locations {
                let pat: Pattern = placed
                    .iter()
                    .enumerate()
                    .flat_map(|(s, pl)| pl.iter().map(move |(l, _)| (s, *l)))
                    .filter(|(_, l)| ls.contains(l))
                    .collect();
                if !pat.is_empty() {
                    pool.push(pat);
                }
            }
        }
        let free = vec![None; p.services.len()];
        let g = self
            .generate(&mut pool, &free, None, f64::NEG_INFINITY, deadline)
            .ok()??;
        let at = self.per_pair(&g.prices, g.bound);
        Some(RegionBound {
            bound: g.bound,
            prices: g.prices,
            at,
            pool,
        })
    }

    /// The region-pattern LP over the patterns of `pool` that agree with `fixed`, its rows
    /// generated until no region has a better pattern (new patterns join the pool), or until
    /// the bound falls to `floor`: the best bound met, its prices and region patterns. `Ok(None)`
    /// when the fixed services do not fit; an error when the LP cannot be solved.
    pub(super) fn generate(
        &self,
        pool: &mut Vec<Pattern>,
        fixed: &[Option<usize>],
        warm: Option<&Prices>,
        floor: f64,
        deadline: Option<Instant>,
    ) -> Result<Option<Generated>, LpFailed> {
        let p = self.p;
        let (mut lp, vars) = Vars::new(p);
        for pat in self.start_rows(pool, fixed, warm) {
            let (e, v) = vars.row(p, pat);
            lp.add_constraint(e, ComparisonOp::Ge, v);
        }
        let mut sol = solution(lp.solve())?;
        let tolerance = 1e-9 * p.total_fte().max(1.0);
        let mut best: Option<Generated> = None;
        for _ in 0..ROUNDS {
            let prices = vars.prices(&sol);
            let Some(regions) = (0..self.locations.len())
                .map(|r| self.best(r, &prices, fixed))
                .collect::<Option<Vec<Entry>>>()
            else {
                return Ok(None);
            };
            let bound = self.lagrangian(&prices, regions.iter().map(|e| e.gain));
            let violated: Vec<Pattern> = regions
                .iter()
                .enumerate()
                .filter(|(r, e)| e.gain - vars.z_value(&sol, *r) > tolerance && !e.pairs.is_empty())
                .map(|(_, e)| e.pairs.clone())
                .collect();
            if best.as_ref().is_none_or(|b| bound < b.bound) {
                best = Some(Generated {
                    bound,
                    prices,
                    regions,
                });
            }
            if violated.is_empty()
                || bound <= floor
                || deadline.is_some_and(|t| Instant::now() >= t)
            {
                break;
            }
            for pat in violated {
                let (row, val) = vars.row(p, &pat);
                sol = solution(sol.add_constraint(row, ComparisonOp::Ge, val))?;
                pool.push(pat);
            }
        }
        Ok(best)
    }

    /// The patterns of the pool that agree with `fixed`; given the prices of a parent node,
    /// only the [`WARM_ROWS`] most profitable per region under them (the others rarely matter,
    /// and row generation brings back any that does).
    fn start_rows<'p>(
        &self,
        pool: &'p [Pattern],
        fixed: &[Option<usize>],
        warm: Option<&Prices>,
    ) -> Vec<&'p Pattern> {
        let agree = pool.iter().filter(|pat| self.agrees(pat, fixed));
        let Some(pr) = warm else {
            return agree.collect();
        };
        let mut by_region: Vec<Vec<(f64, &Pattern)>> = vec![Vec::new(); self.locations.len()];
        for pat in agree {
            let gain: f64 = pat.iter().map(|&(s, l)| pr.profit(self.p, s, l)).sum();
            by_region[self.p.region[pat[0].1]].push((gain, pat));
        }
        let mut rows = Vec::new();
        for mut list in by_region {
            list.sort_by(|a, b| b.0.total_cmp(&a.0));
            rows.extend(list.into_iter().take(WARM_ROWS).map(|(_, pat)| pat));
        }
        rows
    }

    /// Does a region pattern agree with the fixed services: those fixed in its region in it at
    /// their location, no other fixed service in it?
    fn agrees(&self, pat: &Pattern, fixed: &[Option<usize>]) -> bool {
        let r = self.p.region[pat[0].1];
        pat.iter().all(|&(s, l)| fixed[s].is_none_or(|f| f == l))
            && fixed
                .iter()
                .enumerate()
                .all(|(s, f)| f.is_none_or(|l| self.p.region[l] != r || pat.contains(&(s, l))))
    }

    /// Per eligible pair, the bound with the best region pattern that contains it in place of
    /// the region's best pattern.
    fn per_pair(&self, pr: &Prices, bound: f64) -> Vec<Vec<f64>> {
        let p = self.p;
        let mut fixed = vec![None; p.services.len()];
        let best: Vec<f64> = (0..self.locations.len())
            .map(|r| self.best(r, pr, &fixed).map_or(0.0, |e| e.gain))
            .collect();
        let mut at = vec![vec![f64::INFINITY; p.n()]; p.services.len()];
        for s in 0..p.services.len() {
            for l in (0..p.n()).filter(|&l| self.pairs[s][l]) {
                let r = p.region[l];
                fixed[s] = Some(l);
                at[s][l] = self
                    .best(r, pr, &fixed)
                    .map_or(f64::NEG_INFINITY, |e| bound - best[r] + e.gain);
                fixed[s] = None;
            }
        }
        at
    }

    /// The most profitable pattern of region `r` under `pr` given the services `fixed` so far
    /// (`fixed[s] = Some(l)`: s is at l; such services are in the pattern when l is in `r` and
    /// out of it otherwise); `None` when the fixed services do not fit in the region.
    ///
    /// A dynamic programme over the region's locations on the Pareto front of FTE against
    /// profit; free services with a positive profit may join (one may be chosen at two
    /// locations, see the module comment).
    pub(super) fn best(&self, r: usize, pr: &Prices, fixed: &[Option<usize>]) -> Option<Entry> {
        let p = self.p;
        let cap = p.region_row(r).unwrap_or(f64::INFINITY);
        let mut fronts: Vec<Vec<Entry>> = Vec::new();
        for &l in &self.locations[r] {
            let forced: Vec<usize> = (0..p.services.len())
                .filter(|&s| fixed[s] == Some(l))
                .collect();
            let opts: Vec<(usize, f64)> = (0..p.services.len())
                .filter(|&s| self.pairs[s][l] && fixed[s].is_none())
                .map(|s| (s, pr.profit(p, s, l)))
                .filter(|(_, g)| *g > 0.0)
                .collect();
            if forced.is_empty() && opts.is_empty() {
                continue;
            }
            let start = Entry {
                fte: forced.iter().map(|&s| p.services[s].fte).sum(),
                gain: forced.iter().map(|&s| pr.profit(p, s, l)).sum(),
                pairs: forced.iter().map(|&s| (s, l)).collect(),
            };
            fronts.push(location_front(p, l, cap, start, &opts)?);
        }
        combine(&fronts, cap)
    }
}

/// The share of the FTE that must go outside the Randstad, in FTE.
fn outside_rhs(p: &Problem) -> Option<f64> {
    p.min_outside_share.map(|m| m * p.total_fte() - FTE_TOL)
}

/// A set of pairs with its FTE and profit.
#[derive(Debug, Clone)]
pub(super) struct Entry {
    pub(super) fte: f64,
    pub(super) gain: f64,
    pub(super) pairs: Pattern,
}

/// Keeps the entries that no other entry beats with at most the same FTE and at least the same
/// profit; sorted by FTE.
fn pareto(mut v: Vec<Entry>) -> Vec<Entry> {
    v.sort_by(|a, b| a.fte.total_cmp(&b.fte).then(b.gain.total_cmp(&a.gain)));
    let mut out: Vec<Entry> = Vec::new();
    for e in v {
        if out.last().is_none_or(|last| e.gain > last.gain) {
            if out.last().is_some_and(|last| e.fte <= last.fte + FTE_TOL) {
                out.pop();
            }
            out.push(e);
        }
    }
    out
}

/// The Pareto front of the sets at `l` that contain `start` (the fixed services) and fit its
/// workplaces, its maximum and the region cap; `None` when `start` itself does not fit.
fn location_front(
    p: &Problem,
    l: usize,
    region_cap: f64,
    start: Entry,
    opts: &[(usize, f64)],
) -> Option<Vec<Entry>> {
    let cap = p.capacity[l].unwrap_or(f64::INFINITY).min(region_cap);
    let max = p.max_per_location.unwrap_or(usize::MAX);
    if start.fte > cap + FTE_TOL || start.pairs.len() > max {
        return None;
    }
    let mut front = vec![start];
    for &(s, g) in opts {
        let f = p.services[s].fte;
        let grown: Vec<Entry> = front
            .iter()
            .filter(|e| e.pairs.len() < max && e.fte + f <= cap + FTE_TOL)
            .map(|e| {
                let mut pairs = e.pairs.clone();
                pairs.push((s, l));
                Entry {
                    fte: e.fte + f,
                    gain: e.gain + g,
                    pairs,
                }
            })
            .collect();
        front.extend(grown);
        // Under a maximum per location a set with fewer services can grow where a better one
        // cannot, so the front is only taken at the end.
        if p.max_per_location.is_none() {
            front = pareto(front);
        }
    }
    Some(pareto(front))
}

/// The best combination of one entry per location front within the region cap; `None` when
/// the fixed services alone exceed it.
fn combine(fronts: &[Vec<Entry>], cap: f64) -> Option<Entry> {
    // Back-pointers per stage: (FTE, profit, entry of the previous stage, entry of the front).
    let mut stages: Vec<Vec<(f64, f64, usize, usize)>> = Vec::with_capacity(fronts.len());
    let mut current: Vec<(f64, f64)> = vec![(0.0, 0.0)];
    for front in fronts {
        let mut next: Vec<(f64, f64, usize, usize)> = Vec::new();
        for (i, &(f, g)) in current.iter().enumerate() {
            for (j, e) in front.iter().enumerate() {
                if f + e.fte <= cap + FTE_TOL {
                    next.push((f + e.fte, g + e.gain, i, j));
                }
            }
        }
        next.sort_by(|a, b| a.0.total_cmp(&b.0).then(b.1.total_cmp(&a.1)));
        let mut kept: Vec<(f64, f64, usize, usize)> = Vec::new();
        for e in next {
            if kept.last().is_none_or(|last| e.1 > last.1) {
                if kept.last().is_some_and(|last| e.0 <= last.0 + FTE_TOL) {
                    kept.pop();
                }
                kept.push(e);
            }
        }
        if kept.is_empty() {
            return None;
        }
        current = kept.iter().map(|e| (e.0, e.1)).collect();
        stages.push(kept);
    }
    // The best is the last entry of the front (profit rises with FTE along it).
    let mut i = current.len() - 1;
    let (fte, gain) = current[i];
    let mut pairs = Vec::new();
    for (stage, front) in stages.iter().zip(fronts).rev() {
        let (_, _, prev, j) = stage[i];
        pairs.extend_from_slice(&front[j].pairs);
        i = prev;
    }
    pairs.sort_unstable();
    Some(Entry { fte, gain, pairs })
}

/// The variables of the region LP's dual: `u` per service, `z` per region (its one pattern),
/// `sigma` for the share outside the Randstad.
struct Vars {
    u: Vec<Variable>,
    z: Vec<Variable>,
    sigma: Option<Variable>,
}

impl Vars {
    fn new(p: &Problem) -> (microlp::Problem, Vars) {
        let mut lp = microlp::Problem::new(OptimizationDirection::Minimize);
        // A box keeps every LP bounded, also when the patterns that agree with a fixing leave
        // a service without a row; it only restricts the dual, so its points stay valid bounds.
        let (boxed, boxed_per_fte) = dual_box(p);
        let u = p
            .services
            .iter()
            .map(|_| lp.add_var(1.0, (-boxed, boxed)))
            .collect();
        let z = (0..p.region_cap.len())
            .map(|_| lp.add_var(1.0, (0.0, boxed)))
            .collect();
        let sigma = outside_rhs(p).map(|m| lp.add_var(-m, (0.0, boxed_per_fte)));
        (lp, Vars { u, z, sigma })
    }

    /// The row of a region pattern: its prices at least its value (a service placed twice
    /// counts twice).
    fn row(&self, p: &Problem, pat: &[(usize, usize)]) -> (LinearExpr, f64) {
        let mut count = vec![0.0; self.u.len()];
        let mut out = 0.0;
        for &(s, l) in pat {
            count[s] += 1.0;
            if !p.randstad[l] {
                out += p.services[s].fte;
            }
        }
        let mut e = LinearExpr::empty();
        for (s, c) in count.into_iter().enumerate() {
            if c > 0.0 {
                e.add(self.u[s], c);
            }
        }
        e.add(self.z[p.region[pat[0].1]], 1.0);
        if let Some(sg) = self.sigma
            && out > 0.0
        {
            e.add(sg, -out);
        }
        (e, pat.iter().map(|&(s, l)| p.value(s, l)).sum())
    }

    fn prices(&self, sol: &microlp::Solution) -> Prices {
        Prices {
            u: self.u.iter().map(|x| sol.var_value_raw(*x)).collect(),
            sigma: self.sigma.map_or(0.0, |x| sol.var_value_raw(x).max(0.0)),
        }
    }

    fn z_value(&self, sol: &microlp::Solution, r: usize) -> f64 {
        sol.var_value_raw(self.z[r]).max(0.0)
    }
}

#[cfg(test)]
mod tests {
    use super::super::bound::pattern_dual;
    use super::super::{Problem, Service, Status, solve};
    use super::*;

    /// Two gemeenten in a province capped at 400 FTE, one elsewhere without a cap, three
    /// services of 250 FTE: the province takes one service, not one and three fifths.
    fn capped() -> Problem {
        let service = |scores: [f64; 3]| Service {
            fte: 250.0,
            scores: scores.into_iter().map(Some).collect(),
            split: false,
        };
        Problem {
            services: vec![
                service([1.0, 1.0, 0.5]),
                service([1.0, 1.0, 0.5]),
                service([0.9, 0.9, 0.2]),
            ],
            capacity: vec![None; 3],
            region: vec![0, 0, 1],
            region_cap: vec![Some(400.0), None],
            randstad: vec![false; 3],
            max_per_location: None,
            min_outside_share: None,
        }
    }

    #[test]
    fn region_patterns_know_that_a_cap_takes_whole_services() {
        let p = capped();
        let pairs = p.eligible();
        // The optimum: the third service in the province (225), the others outside (125 each).
        let a = solve(&p, None).unwrap();
        assert_eq!(a.status, Status::Optimal);
        assert!((a.objective - 475.0).abs() < 1e-9, "{}", a.objective);
        // The LP per location fills the cap with fractions of services: a weaker bound.
        let pattern = pattern_dual(&p, &pairs).unwrap().bound;
        assert!(pattern > 475.0 + 1.0, "pattern bound {pattern}");
        let rb = Regions::new(&p, &pairs).bound(&[], None).unwrap();
        assert!(
            rb.bound >= 475.0 - 1e-9,
            "region bound {} below the optimum",
            rb.bound
        );
        assert!(
            rb.bound < pattern - 1.0,
            "region bound {} not tighter",
            rb.bound
        );
        // With the third service outside, the best is 250 + 125 + 50 = 425: the pair's bound
        // must allow it, and lies below the overall bound.
        assert!(rb.at[2][2] >= 425.0 - 1e-9, "{}", rb.at[2][2]);
        assert!(rb.at[2][2] < rb.bound, "{} vs {}", rb.at[2][2], rb.bound);
    }
}
