//! The region-pattern bound for pipelines whose services may not be split: the LP whose columns
//! are whole *region patterns* (which services go where within one region, within its cap, the
//! workplaces and the maximum per location), a Dantzig-Wolfe decomposition by region. It knows
//! that a region cap of 400 FTE takes one service of 250 FTE and not one and a half, which the
//! pattern LP per location does not; on tightly capped pipelines that closes most of the gap.
//!
//! Its dual is solved by generating rows, priced at a point smoothed towards the best prices so
//! far: a dynamic programme per region ([`super::pricing`]) finds the most profitable region
//! pattern under the prices. The programme alone may place one service at several locations of
//! a region; [`Regions::best`] splits on such a service until each is placed once (within a
//! budget; past it the answer is still an upper bound, so every bound stays valid). Placing a
//! service once matters: on tightly capped pipelines it closes most of the gap left. Whatever
//! the state of the LP, the prices give a valid (Lagrangian) bound: the prices of the services,
//! plus per region its best pattern's profit, minus the outside-share term. The same programme
//! with some services fixed bounds every assignment that places them so, and the LP's primal
//! (recovered from the rows its solution makes tight) shows which services it splits;
//! [`super::region_search`] searches with both.

// Loops over (service, location) indices read more clearly than zipped iterators here.
#![allow(clippy::needless_range_loop)]

use std::time::Instant;

use microlp::{ComparisonOp, LinearExpr, OptimizationDirection, Variable};

use super::bound::dual_box;
use super::pricing::{Entry, best_pattern};
use super::{FTE_TOL, Pairs, Placement, Problem};

/// Rounds of row generation at most; the bound is valid after any round.
const ROUNDS: usize = 1_000;

/// How far the prices priced stay towards the best prices so far, against the LP's (0 prices
/// the LP's own); see [`Regions::generate`].
const SMOOTHING: f64 = 0.8;

/// A part of an exact pricing still open: the relaxed programme's best there, the service it
/// places twice, and the pairs banned in the part.
type Part = (Entry, usize, Vec<(usize, usize)>);

/// Splits at most per exact pricing ([`Regions::best`]).
const EXACT_SPLITS: usize = 10;

/// Rows per region that a node's LP starts with when it has its parent's prices.
const WARM_ROWS: usize = 40;

/// Prices: `u_s` per service and `sigma` for the outside share.
#[derive(Debug, Clone)]
pub(super) struct Prices {
    pub(super) u: Vec<f64>,
    pub(super) sigma: f64,
}

impl Prices {
    /// `alpha` of these prices and `1 - alpha` of `other`.
    fn mix(&self, other: &Prices, alpha: f64) -> Prices {
        Prices {
            u: self
                .u
                .iter()
                .zip(&other.u)
                .map(|(a, b)| alpha * a + (1.0 - alpha) * b)
                .collect(),
            sigma: alpha * self.sigma + (1.0 - alpha) * other.sigma,
        }
    }

    /// What the pairs of a pattern earn above their prices.
    fn gain(&self, p: &Problem, pat: &[(usize, usize)]) -> f64 {
        pat.iter().map(|&(s, l)| self.profit(p, s, l)).sum()
    }

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
    /// Whether [`Regions::best`] places each service once (else a service may be placed at
    /// several locations of a region: a weaker bound, much faster to compute).
    exact: bool,
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
    /// The LP's primal: per service its locations with their weights, when known.
    pub(super) split: Option<Vec<Vec<(usize, f64)>>>,
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
            exact: true,
        }
    }

    /// The same regions with the faster, weaker pricing that may place a service twice.
    pub(super) fn relaxed_view(&self) -> Regions<'a> {
        Regions {
            p: self.p,
            pairs: self.pairs,
            locations: self.locations.clone(),
            exact: false,
        }
    }

    /// The Lagrangian bound for the region optima `best` (profits) under `pr`.
    pub(super) fn lagrangian(&self, pr: &Prices, best: impl Iterator<Item = f64>) -> f64 {
        pr.u.iter().sum::<f64>() + best.sum::<f64>() - outside_rhs(self.p).unwrap_or(0.0) * pr.sigma
    }

    /// The region-pattern bound, or `None` when its LP cannot be solved (the caller keeps the
    /// bound it has). `seeds` are known assignments: their region patterns make the LP's
    /// primal feasible from the start.
    ///
    /// The LP is first solved with the relaxed pricing (fast), then from its prices with the
    /// exact one. Pairs whose bound cannot beat `floor` (a known assignment's score) get the
    /// relaxed pricing's bound, which is enough to set them aside.
    pub(super) fn bound(
        &self,
        seeds: &[Placement],
        floor: f64,
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
        let relaxed = self.relaxed_view();
        let first = relaxed
            .generate(&mut pool, &free, None, f64::NEG_INFINITY, deadline)
            .ok()??;
        let g = if self.exact {
            self.generate(
                &mut pool,
                &free,
                Some(&first.prices),
                f64::NEG_INFINITY,
                deadline,
            )
            .ok()??
        } else {
            first
        };
        let at = self.per_pair(&g, floor);
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
    ///
    /// The rows are priced at a point between the best prices so far and the LP's (Wentges
    /// smoothing, [`SMOOTHING`]): the LP's prices swing from round to round, the mix does not,
    /// and every point priced gives a valid bound. When the mix finds no row the LP lacks, the
    /// LP's own prices are priced; when they find none either, the LP is optimal.
    pub(super) fn generate(
        &self,
        pool: &mut Vec<Pattern>,
        fixed: &[Option<usize>],
        warm: Option<&Prices>,
        floor: f64,
        deadline: Option<Instant>,
    ) -> Result<Option<Generated>, LpFailed> {
        let p = self.p;
        let mut best: Option<Generated> = None;
        if let Some(pr) = warm {
            // The parent's prices bound this node too; often that settles it without an LP.
            let Some(g) = self.price(pr, fixed) else {
                return Ok(None);
            };
            if g.bound <= floor {
                return Ok(Some(g));
            }
            best = Some(g);
        }
        let (mut lp, vars) = Vars::new(p);
        let mut rows = self.start_rows(pool, fixed, warm);
        for &i in &rows {
            let (e, v) = vars.row(p, &pool[i]);
            lp.add_constraint(e, ComparisonOp::Ge, v);
        }
        let mut sol = solution(lp.solve())?;
        let tolerance = 1e-9 * p.total_fte().max(1.0);
        for _ in 0..ROUNDS {
            let Some(violated) = self.separate(&vars, &sol, fixed, &mut best) else {
                return Ok(None);
            };
            let bound = best.as_ref().map_or(f64::INFINITY, |b| b.bound);
            if violated.is_empty()
                || bound <= floor
                || bound - sol.objective() <= tolerance
                || deadline.is_some_and(|t| Instant::now() >= t)
            {
                break;
            }
            for pat in violated {
                let (row, val) = vars.row(p, &pat);
                sol = solution(sol.add_constraint(row, ComparisonOp::Ge, val))?;
                pool.push(pat);
                rows.push(pool.len() - 1);
            }
        }
        if let Some(b) = best.as_mut()
            && b.bound > floor
        {
            b.split = self.primal(&vars, &sol, pool, &rows);
        }
        Ok(best)
    }

    /// One round of pricing for the LP solution `sol`: the region patterns it lacks, priced at
    /// the mix of the best prices so far and its own, or at its own when the mix finds none.
    /// Keeps the best bound met in `best`; `None` when the fixed services do not fit.
    fn separate(
        &self,
        vars: &Vars,
        sol: &microlp::Solution,
        fixed: &[Option<usize>],
        best: &mut Option<Generated>,
    ) -> Option<Vec<Pattern>> {
        let p = self.p;
        let tolerance = 1e-9 * p.total_fte().max(1.0);
        let lp_prices = vars.prices(sol);
        let mut alpha = if best.is_some() { SMOOTHING } else { 0.0 };
        loop {
            let at = match best.as_ref() {
                Some(b) if alpha > 0.0 => b.prices.mix(&lp_prices, alpha),
                _ => lp_prices.clone(),
            };
            let g = self.price(&at, fixed)?;
            let violated: Vec<Pattern> = g
                .regions
                .iter()
                .enumerate()
                .filter(|(r, e)| {
                    !e.pairs.is_empty()
                        && lp_prices.gain(p, &e.pairs) - vars.z_value(sol, *r) > tolerance
                })
                .map(|(_, e)| e.pairs.clone())
                .collect();
            if best.as_ref().is_none_or(|b| g.bound < b.bound) {
                *best = Some(g);
            }
            if !violated.is_empty() || alpha == 0.0 {
                return Some(violated);
            }
            alpha = 0.0;
        }
    }

    /// Each region's best pattern under `pr` with the services `fixed` and the bound they give;
    /// `None` when the fixed services do not fit.
    fn price(&self, pr: &Prices, fixed: &[Option<usize>]) -> Option<Generated> {
        let regions = (0..self.locations.len())
            .map(|r| self.best(r, pr, fixed))
            .collect::<Option<Vec<Entry>>>()?;
        Some(Generated {
            bound: self.lagrangian(pr, regions.iter().map(|e| e.gain)),
            prices: pr.clone(),
            regions,
            split: None,
        })
    }

    /// The patterns of the pool that agree with `fixed`; given the prices of a parent node,
    /// only the [`WARM_ROWS`] most profitable per region under them (the others rarely matter,
    /// and row generation brings back any that does).
    fn start_rows(
        &self,
        pool: &[Pattern],
        fixed: &[Option<usize>],
        warm: Option<&Prices>,
    ) -> Vec<usize> {
        // Under the exact pricing a pattern with a service twice would cut off valid prices.
        let agree = (0..pool.len()).filter(|&i| {
            self.agrees(&pool[i], fixed) && !(self.exact && placed_twice(&pool[i]).is_some())
        });
        let Some(pr) = warm else {
            return agree.collect();
        };
        let mut by_region: Vec<Vec<(f64, usize)>> = vec![Vec::new(); self.locations.len()];
        for i in agree {
            by_region[self.p.region[pool[i][0].1]].push((pr.gain(self.p, &pool[i]), i));
        }
        let mut rows = Vec::new();
        for mut list in by_region {
            list.sort_by(|a, b| b.0.total_cmp(&a.0));
            rows.extend(list.into_iter().take(WARM_ROWS).map(|(_, i)| i));
        }
        rows
    }

    /// The LP for the weights of the region patterns `tight`: each service placed once in
    /// all, each region at most one pattern in all, the share outside the Randstad met.
    fn weights_lp(&self, pool: &[Pattern], tight: &[usize]) -> (microlp::Problem, Vec<Variable>) {
        let p = self.p;
        let mut lp = microlp::Problem::new(OptimizationDirection::Minimize);
        let lambda: Vec<Variable> = tight.iter().map(|_| lp.add_var(0.0, (0.0, 1.0))).collect();
        let mut per_service = vec![LinearExpr::empty(); p.services.len()];
        let mut per_region = vec![LinearExpr::empty(); self.locations.len()];
        let mut outside = LinearExpr::empty();
        for (&i, &x) in tight.iter().zip(&lambda) {
            let mut out = 0.0;
            let mut held: Vec<(usize, f64)> = Vec::new();
            for &(s, l) in &pool[i] {
                // A service the pattern places twice counts twice (one term per variable).
                match held.iter_mut().find(|(t, _)| *t == s) {
                    Some(h) => h.1 += 1.0,
                    None => held.push((s, 1.0)),
                }
                if !p.randstad[l] {
                    out += p.services[s].fte;
                }
            }
            for (s, c) in held {
                per_service[s].add(x, c);
            }
            per_region[p.region[pool[i][0].1]].add(x, 1.0);
            outside.add(x, out);
        }
        for e in per_service {
            lp.add_constraint(e, ComparisonOp::Eq, 1.0);
        }
        for e in per_region {
            lp.add_constraint(e, ComparisonOp::Le, 1.0);
        }
        if let Some(m) = outside_rhs(p) {
            lp.add_constraint(outside, ComparisonOp::Ge, m);
        }
        (lp, lambda)
    }

    /// The LP's primal at its solution `sol`: per service the locations the region patterns
    /// place it at with their weights, from the rows the solution makes tight (complementary
    /// slackness); `None` when those weights cannot be found.
    fn primal(
        &self,
        vars: &Vars,
        sol: &microlp::Solution,
        pool: &[Pattern],
        rows: &[usize],
    ) -> Option<Vec<Vec<(usize, f64)>>> {
        let p = self.p;
        let tolerance = 1e-7 * p.total_fte().max(1.0);
        let pr = vars.prices(sol);
        let tight: Vec<usize> = rows
            .iter()
            .copied()
            .filter(|&i| {
                let r = p.region[pool[i][0].1];
                (pr.gain(p, &pool[i]) - vars.z_value(sol, r)).abs() <= tolerance
            })
            .collect();
        let (lp, lambda) = self.weights_lp(pool, &tight);
        let sol = lp.solve().ok()?.into_solution().ok()?;
        let mut x: Vec<Vec<(usize, f64)>> = vec![Vec::new(); p.services.len()];
        for (&i, &v) in tight.iter().zip(&lambda) {
            let w = sol.var_value_raw(v);
            if w > 1e-9 {
                for &(s, l) in &pool[i] {
                    match x[s].iter_mut().find(|(m, _)| *m == l) {
                        Some(e) => e.1 += w,
                        None => x[s].push((l, w)),
                    }
                }
            }
        }
        Some(x)
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
    /// the region's best pattern (the relaxed pricing's when that cannot beat `floor`).
    fn per_pair(&self, g: &Generated, floor: f64) -> Vec<Vec<f64>> {
        let p = self.p;
        let relaxed = self.relaxed_view();
        let mut fixed = vec![None; p.services.len()];
        let mut at = vec![vec![f64::INFINITY; p.n()]; p.services.len()];
        for s in 0..p.services.len() {
            for l in (0..p.n()).filter(|&l| self.pairs[s][l]) {
                let r = p.region[l];
                let base = g.bound - g.regions[r].gain;
                if g.regions[r].pairs.contains(&(s, l)) {
                    at[s][l] = g.bound;
                    continue;
                }
                fixed[s] = Some(l);
                let with = |rg: &Regions| {
                    rg.best(r, &g.prices, &fixed)
                        .map_or(f64::NEG_INFINITY, |e| base + e.gain)
                };
                at[s][l] = with(&relaxed);
                if self.exact && at[s][l] > floor {
                    at[s][l] = with(self);
                }
                fixed[s] = None;
            }
        }
        at
    }

    /// The most profitable pattern of region `r` under `pr` given the services `fixed` so far
    /// (`fixed[s] = Some(l)`: s is at l; such services are in the pattern when l is in `r` and
    /// out of it otherwise); `None` when the fixed services do not fit in the region.
    ///
    /// The dynamic programme ([`best_pattern`]) may place one free service at several
    /// locations; then it is solved again on each side of a split (the service only at one of
    /// those locations, or at none of them), best first, until the best answer places every
    /// service once. After [`EXACT_SPLITS`] splits the best answer left is returned as it is:
    /// it earns at least as much as any pattern, so every bound stays valid.
    pub(super) fn best(&self, r: usize, pr: &Prices, fixed: &[Option<usize>]) -> Option<Entry> {
        let first = self.relaxed(r, pr, fixed, &[])?;
        if !self.exact {
            return Some(first);
        }
        let Some(twice) = placed_twice(&first.pairs) else {
            return Some(first);
        };
        // Open parts: the programme's best there, the service it places twice, the bans.
        let mut open: Vec<Part> = vec![(first, twice, Vec::new())];
        let mut exact: Option<Entry> = None;
        for _ in 0..EXACT_SPLITS {
            let Some(i) = (0..open.len())
                .max_by(|&a, &b| open[a].0.gain.total_cmp(&open[b].0.gain).then(b.cmp(&a)))
            else {
                break;
            };
            if exact.as_ref().is_some_and(|e| e.gain >= open[i].0.gain) {
                break;
            }
            let (entry, s, banned) = open.swap_remove(i);
            for b in self.sides(r, &entry, s, banned) {
                let Some(e) = self.relaxed(r, pr, fixed, &b) else {
                    continue;
                };
                match placed_twice(&e.pairs) {
                    None if exact.as_ref().is_none_or(|x| e.gain > x.gain) => exact = Some(e),
                    None => {}
                    Some(t) => open.push((e, t, b)),
                }
            }
        }
        let left = open
            .into_iter()
            .map(|o| o.0)
            .max_by(|a, b| a.gain.total_cmp(&b.gain));
        match (exact, left) {
            (Some(e), Some(l)) if l.gain > e.gain => Some(l),
            (Some(e), _) => Some(e),
            (None, l) => l,
        }
    }

    /// The bans of each side of splitting `entry` of region `r` on service `s`, which it places
    /// at several locations: `s` only at one of them (one side each), or at none of them.
    fn sides(
        &self,
        r: usize,
        entry: &Entry,
        s: usize,
        banned: Vec<(usize, usize)>,
    ) -> Vec<Vec<(usize, usize)>> {
        let at: Vec<usize> = entry
            .pairs
            .iter()
            .filter(|e| e.0 == s)
            .map(|e| e.1)
            .collect();
        let mut sides: Vec<Vec<(usize, usize)>> = at
            .iter()
            .map(|&keep| {
                let mut b = banned.clone();
                b.extend(
                    self.locations[r]
                        .iter()
                        .filter(|&&l| l != keep)
                        .map(|&l| (s, l)),
                );
                b
            })
            .collect();
        let mut none = banned;
        none.extend(at.iter().map(|&l| (s, l)));
        sides.push(none);
        sides
    }

    /// [`Regions::best`] without the rule that a service is placed once, and with the pairs
    /// `banned` left out.
    fn relaxed(
        &self,
        r: usize,
        pr: &Prices,
        fixed: &[Option<usize>],
        banned: &[(usize, usize)],
    ) -> Option<Entry> {
        let p = self.p;
        let cap = p.region_row(r).unwrap_or(f64::INFINITY);
        let forced = |l: usize| {
            (0..p.services.len())
                .filter(|&s| fixed[s] == Some(l))
                .map(|s| (s, pr.profit(p, s, l)))
                .collect()
        };
        let options = |l: usize| {
            (0..p.services.len())
                .filter(|&s| self.pairs[s][l] && fixed[s].is_none() && !banned.contains(&(s, l)))
                .map(|s| (s, pr.profit(p, s, l)))
                .filter(|(_, g)| *g > 0.0)
                .collect()
        };
        best_pattern(p, &self.locations[r], cap, forced, options)
    }
}

/// The first service that a pattern places more than once (its pairs are sorted).
fn placed_twice(pairs: &[(usize, usize)]) -> Option<usize> {
    pairs.windows(2).find(|w| w[0].0 == w[1].0).map(|w| w[0].0)
}

/// The share of the FTE that must go outside the Randstad, in FTE.
fn outside_rhs(p: &Problem) -> Option<f64> {
    p.min_outside_share.map(|m| m * p.total_fte() - FTE_TOL)
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
        let rb = Regions::new(&p, &pairs)
            .bound(&[], f64::NEG_INFINITY, None)
            .unwrap();
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
