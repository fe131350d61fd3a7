//! A best-first search with plunging over the services, led and bounded by the region patterns
//! ([`super::region`]): a node fixes some services to locations (services with one location
//! left are fixed at once); its bound is the region-pattern LP with those services fixed, which
//! is valid for every assignment below it and exact for a complete one. Each node tries an
//! assignment near the LP's primal. Branching takes, among the services the LP's primal splits,
//! the one whose best child has the lowest bound at the node's prices (Lagrangian strong
//! branching); children whose bound cannot beat the best assignment are left out. A plunge
//! stops when its node falls well below the best node queued ([`PLUNGE`]).
//!
//! Exact: the search ends with the optimum, to a relative tolerance of 1e-9, unless the node
//! budget or the deadline stops it first (then the caller goes on with the best assignment).

// Loops over (service, location) indices read more clearly than zipped iterators here.
#![allow(clippy::needless_range_loop)]

use std::cmp::Ordering;
use std::collections::BinaryHeap;
use std::time::Instant;

use super::heuristic::heuristic;
use super::pricing::Entry;
use super::region::{Generated, Pattern, Prices, RegionBound, Regions};
use super::{Loads, Pairs, Placement, Problem, objective};

/// A plunge stops when its node's bound falls below the best queued bound by more than this
/// share of the gap between that bound and the best assignment.
const PLUNGE: f64 = 0.25;

/// How the search ended.
pub(super) struct Outcome {
    /// The best assignment found (or given) and its score.
    pub(super) best: Option<(Placement, f64)>,
    /// The search finished: `best` is optimal, or there is no assignment when it is `None`.
    pub(super) complete: bool,
    /// At most what any assignment scores: the best score when complete, else the largest
    /// bound of the nodes left.
    pub(super) bound: f64,
    pub(super) nodes: u64,
}

/// A node still to search: its parent's bound and prices, when it was queued, its fixing.
struct Open {
    bound: f64,
    seq: u64,
    fixed: Vec<Option<usize>>,
    prices: Prices,
}

/// The largest bound first; among equal bounds the latest queued (the deepest).
impl Ord for Open {
    fn cmp(&self, other: &Self) -> Ordering {
        self.bound
            .total_cmp(&other.bound)
            .then(self.seq.cmp(&other.seq))
    }
}

impl PartialOrd for Open {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for Open {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Open {}

/// The state of the search.
struct Search<'a> {
    rg: &'a Regions<'a>,
    /// The same regions with the relaxed pricing, for the children's bounds.
    relaxed: Regions<'a>,
    rb: &'a RegionBound,
    pool: Vec<Pattern>,
    /// Nodes still to search.
    queue: BinaryHeap<Open>,
    seq: u64,
    /// The largest bound of a node left unsearched when the search stopped.
    open: f64,
    best: Option<(Placement, f64)>,
    nodes: u64,
    node_limit: u64,
    deadline: Option<Instant>,
    stopped: bool,
}

/// Searches for the optimum from `incumbent` within `node_limit` nodes and the deadline.
pub(super) fn search(
    rg: &Regions,
    rb: &RegionBound,
    incumbent: Option<(Placement, f64)>,
    node_limit: u64,
    deadline: Option<Instant>,
) -> Outcome {
    let p = rg.p;
    let mut s = Search {
        rg,
        relaxed: rg.relaxed_view(),
        rb,
        pool: rb.pool.clone(),
        queue: BinaryHeap::new(),
        seq: 0,
        open: f64::NEG_INFINITY,
        best: incumbent,
        nodes: 0,
        node_limit,
        deadline,
        stopped: false,
    };
    s.queue.push(Open {
        bound: rb.bound,
        seq: 0,
        fixed: vec![None; p.services.len()],
        prices: rb.prices.clone(),
    });
    while let Some(node) = s.queue.pop() {
        if s.stopped {
            s.open = s.open.max(node.bound);
            continue;
        }
        if node.bound > s.floor() {
            s.plunge(node.fixed, node.bound, node.prices);
        }
    }
    let z = s.best.as_ref().map_or(f64::NEG_INFINITY, |b| b.1);
    Outcome {
        best: s.best,
        complete: !s.stopped,
        bound: if s.stopped { s.open.max(z) } else { z },
        nodes: s.nodes,
    }
}

impl Search<'_> {
    /// Scores below this cannot better the best assignment (to the tolerance).
    fn floor(&self) -> f64 {
        self.best
            .as_ref()
            .map_or(f64::NEG_INFINITY, |(_, z)| z + 1e-9 * z.abs().max(1.0))
    }

    fn out_of_budget(&mut self) -> bool {
        if self.nodes >= self.node_limit || self.deadline.is_some_and(|d| Instant::now() >= d) {
            self.stopped = true;
        }
        self.stopped
    }

    /// Plunges from the fixing `fixed` (whose parent bound was `bound`): bounds the node, and
    /// while it may hold a better assignment, branches, queues every child but the most
    /// promising and goes on with that one.
    fn plunge(&mut self, mut fixed: Vec<Option<usize>>, parent: f64, mut prices: Prices) {
        let mut bound = parent;
        loop {
            if self.out_of_budget() {
                self.open = self.open.max(bound);
                return;
            }
            self.nodes += 1;
            if !self.propagate(&mut fixed) {
                return;
            }
            let floor = self.floor();
            let Some(g) = self.bound_node(&fixed, &prices, floor, bound) else {
                return;
            };
            bound = g.bound.min(bound);
            if bound <= floor {
                return;
            }
            let count = counts(self.rg.p, &g.regions);
            if count.iter().all(|c| *c == 1) {
                self.take(&g.regions);
            } else if let Some(placed) = self.guided(&fixed, &g) {
                self.offer(placed);
            }
            if bound <= self.floor() {
                return;
            }
            let Some((s, options)) = self.branch_on(&fixed, &g, &count) else {
                return;
            };
            let Some(&(first, first_bound)) = options.first() else {
                return;
            };
            for &(l, b) in &options[1..] {
                let mut child = fixed.clone();
                child[s] = Some(l);
                self.queue_node(b.min(bound), child, g.prices.clone());
            }
            fixed[s] = Some(first);
            bound = first_bound.min(bound);
            prices = g.prices;
            // A plunge goes on while its node stays near the best node queued; else that one.
            if let Some(top) = self.queue.peek().map(|o| o.bound) {
                let floor = self.floor();
                if floor.is_finite() && bound < top - PLUNGE * (top - floor) {
                    self.queue_node(bound, fixed, prices);
                    return;
                }
            }
        }
    }

    /// Row generation at a node: `None` when no assignment below it can better the best one
    /// (or the LP failed, which stops the search with the node's `bound` left open).
    fn bound_node(
        &mut self,
        fixed: &[Option<usize>],
        prices: &Prices,
        floor: f64,
        bound: f64,
    ) -> Option<Generated> {
        match self
            .rg
            .generate(&mut self.pool, fixed, Some(prices), floor, self.deadline)
        {
            Ok(g) => g,
            // Nothing is proven below this node: the search cannot be complete.
            Err(_) => {
                self.stopped = true;
                self.open = self.open.max(bound);
                None
            }
        }
    }

    /// Queues a node to search later.
    fn queue_node(&mut self, bound: f64, fixed: Vec<Option<usize>>, prices: Prices) {
        self.seq += 1;
        self.queue.push(Open {
            bound,
            seq: self.seq,
            fixed,
            prices,
        });
    }

    /// The regions' patterns form an assignment: keeps it when it meets the outside share and
    /// betters the best; says whether it was kept.
    fn take(&mut self, regions: &[Entry]) -> bool {
        let p = self.rg.p;
        let mut placed: Placement = vec![Vec::new(); p.services.len()];
        for e in regions {
            for &(s, l) in &e.pairs {
                placed[s] = vec![(l, 1.0)];
            }
        }
        self.offer(placed)
    }

    /// Keeps a complete assignment when it meets the outside share and betters the best; says
    /// whether it was kept.
    fn offer(&mut self, placed: Placement) -> bool {
        let p = self.rg.p;
        let loads = Loads::of(p, &placed);
        if !loads.outside_ok(p, 0.0) || !(0..p.n()).all(|l| loads.ok_at(p, l)) {
            return false;
        }
        let z = objective(p, &placed);
        if self.best.as_ref().is_some_and(|(_, b)| z <= *b) {
            return false;
        }
        self.best = Some((placed, z));
        true
    }

    /// An assignment near the node's region patterns: the greedy start with moves and swaps
    /// ([`heuristic`]) with the fixed services kept, each service trying first where the
    /// patterns place it, then its locations by bound.
    fn guided(&self, fixed: &[Option<usize>], g: &Generated) -> Option<Placement> {
        let p = self.rg.p;
        let k = p.services.len();
        let pairs: Pairs = (0..k)
            .map(|s| {
                (0..p.n())
                    .map(|l| self.rg.pairs[s][l] && fixed[s].is_none_or(|f| f == l))
                    .collect()
            })
            .collect();
        let mut cost: Vec<Vec<f64>> = (0..k)
            .map(|s| {
                (0..p.n())
                    .map(|l| self.rb.bound - self.rb.at[s][l])
                    .collect()
            })
            .collect();
        match &g.split {
            Some(x) => {
                for (s, xs) in x.iter().enumerate() {
                    for &(l, w) in xs {
                        cost[s][l] -= 1e9 * w;
                    }
                }
            }
            None => {
                for (s, l) in g.regions.iter().flat_map(|e| &e.pairs) {
                    cost[*s][*l] -= 1e9;
                }
            }
        }
        heuristic(p, &pairs, &cost)
    }

    /// The free service to branch on and its children: a location each with the bound of every
    /// assignment below it (at most `f64::INFINITY`), best first; children that cannot better
    /// the best assignment are left out, so an empty list closes the node. `None` when no
    /// service is free or one has no location left (then the node is done too).
    ///
    /// A service with one location left is fixed first. Otherwise, among the services that the
    /// regions' patterns place other than once, the one whose best child has the lowest bound
    /// at the node's prices (Lagrangian strong branching: that branch lowers the bound most);
    /// when the patterns place every service once, the one with the fewest locations left.
    fn branch_on(
        &self,
        fixed: &[Option<usize>],
        g: &Generated,
        count: &[usize],
    ) -> Option<(usize, Vec<(usize, f64)>)> {
        let p = self.rg.p;
        let mut lists: Vec<(usize, Vec<usize>)> = Vec::new();
        for s in (0..p.services.len()).filter(|&s| fixed[s].is_none()) {
            let ls = self.locations_left(fixed, s);
            if ls.is_empty() {
                return None;
            }
            if ls.len() == 1 {
                return Some((s, vec![(ls[0], f64::INFINITY)]));
            }
            lists.push((s, ls));
        }
        let floor = self.floor();
        let mut pick: Option<(usize, Vec<(usize, f64)>)> = None;
        // The services the LP's primal splits, else those the patterns place other than once.
        let split = |s: usize| match &g.split {
            Some(x) => x[s].iter().all(|e| e.1 < 1.0 - 1e-6),
            None => count[s] != 1,
        };
        for (s, ls) in lists.iter().filter(|(s, _)| split(*s)) {
            let mut options = self.children(fixed, g, *s, ls);
            options.retain(|(_, b)| *b > floor);
            options.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
            let key = |o: &[(usize, f64)]| (o.first().map_or(f64::NEG_INFINITY, |c| c.1), o.len());
            if pick.as_ref().is_none_or(|(_, best)| {
                key(&options).0 < key(best).0
                    || (key(&options).0 == key(best).0 && key(&options).1 < key(best).1)
            }) {
                pick = Some((*s, options));
            }
        }
        if pick.is_some() {
            return pick;
        }
        let (s, ls) = lists.into_iter().min_by_key(|(s, ls)| (ls.len(), *s))?;
        let placed_at = |l: usize| g.regions.iter().any(|e| e.pairs.contains(&(s, l)));
        let mut options: Vec<(usize, f64)> =
            ls.into_iter().map(|l| (l, self.rb.at[s][l])).collect();
        options.sort_by(|a, b| {
            placed_at(b.0)
                .cmp(&placed_at(a.0))
                .then(b.1.total_cmp(&a.1))
                .then(a.0.cmp(&b.0))
        });
        Some((s, options))
    }

    /// Fixes every free service that has one location left, until none has; `false` when one
    /// has none (no assignment below the node).
    fn propagate(&self, fixed: &mut [Option<usize>]) -> bool {
        loop {
            let mut changed = false;
            for s in 0..fixed.len() {
                if fixed[s].is_some() {
                    continue;
                }
                match self.locations_left(fixed, s).as_slice() {
                    [] => return false,
                    [l] => {
                        fixed[s] = Some(*l);
                        changed = true;
                    }
                    _ => {}
                }
            }
            if !changed {
                return true;
            }
        }
    }

    /// The locations where free service `s` still fits beside the fixed services and whose
    /// root bound beats the best assignment.
    fn locations_left(&self, fixed: &[Option<usize>], s: usize) -> Vec<usize> {
        let p = self.rg.p;
        let floor = self.floor();
        let mut loads = Loads::new(p);
        for (t, f) in fixed.iter().enumerate() {
            if let Some(l) = f {
                loads.add(p, *l, p.services[t].fte, 1.0);
            }
        }
        let fte = p.services[s].fte;
        (0..p.n())
            .filter(|&l| self.rg.pairs[s][l] && self.rb.at[s][l] > floor)
            .filter(|&l| {
                loads.add(p, l, fte, 1.0);
                let ok = loads.ok_at(p, l);
                loads.add(p, l, fte, -1.0);
                ok
            })
            .collect()
    }

    /// The bound of each child that fixes `s` at one of `ls`, at the node's prices: the regions
    /// whose pattern holds `s` elsewhere lose it, the region of the location must hold it.
    fn children(
        &self,
        fixed: &[Option<usize>],
        g: &Generated,
        s: usize,
        ls: &[usize],
    ) -> Vec<(usize, f64)> {
        // The relaxed pricing: a little weaker, much faster, enough to rank and prune children.
        let rg = &self.relaxed;
        let mut with = fixed.to_vec();
        // The best of each region without `s` (fixing it outside the region excludes it).
        let without: Vec<f64> = g
            .regions
            .iter()
            .enumerate()
            .map(|(r, e)| {
                if !e.pairs.iter().any(|&(t, _)| t == s) {
                    return e.gain;
                }
                with[s] = rg
                    .locations
                    .iter()
                    .enumerate()
                    .find(|(q, ls)| *q != r && !ls.is_empty())
                    .map(|(_, ls)| ls[0]);
                rg.best(r, &g.prices, &with)
                    .map_or(f64::NEG_INFINITY, |b| b.gain)
            })
            .collect();
        let rest: f64 = without.iter().sum();
        ls.iter()
            .map(|&l| {
                let r = rg.p.region[l];
                with[s] = Some(l);
                let bound = rg.best(r, &g.prices, &with).map_or(f64::NEG_INFINITY, |b| {
                    rg.lagrangian(&g.prices, std::iter::once(rest - without[r] + b.gain))
                });
                (l, bound)
            })
            .collect()
    }
}

/// How often each service is placed by the regions' patterns.
fn counts(p: &Problem, regions: &[Entry]) -> Vec<usize> {
    let mut count = vec![0usize; p.services.len()];
    for e in regions {
        for (s, _) in &e.pairs {
            count[*s] += 1;
        }
    }
    count
}
