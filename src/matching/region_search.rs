//! A depth-first search over the services led and bounded by the region patterns
//! ([`super::region`]) at the prices of the root: a node fixes some services to locations; its
//! bound is the Lagrangian bound with those services fixed (each region's best pattern under the
//! fixing), which is valid for every assignment below it and exact for a complete one. When the
//! region patterns of a node place every service exactly once and meet the outside share, they
//! are an assignment. Branching takes the free service with the fewest locations left (each
//! location's bound must still beat the best assignment), best location first.
//!
//! Exact: the search ends with the optimum, to a relative tolerance of 1e-9, unless the node
//! budget or the deadline stops it first (then the caller goes on with the best assignment).

// Loops over (service, location) indices read more clearly than zipped iterators here.
#![allow(clippy::needless_range_loop)]

use std::cmp::Ordering;
use std::collections::BinaryHeap;
use std::time::Instant;

use super::heuristic::heuristic;
use super::region::{Entry, Pattern, Prices, RegionBound, Regions};
use super::{Loads, Pairs, Placement, Problem, objective};

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
            let floor = self.floor();
            let g =
                match self
                    .rg
                    .generate(&mut self.pool, &fixed, Some(&prices), floor, self.deadline)
                {
                    Ok(Some(g)) => g,
                    // The fixed services do not fit together: no assignment below this node.
                    Ok(None) => return,
                    // Nothing is proven below this node: the search cannot be complete.
                    Err(_) => {
                        self.stopped = true;
                        self.open = self.open.max(bound);
                        return;
                    }
                };
            bound = g.bound.min(bound);
            if bound <= floor {
                return;
            }
            let count = counts(self.rg.p, &g.regions);
            if count.iter().all(|c| *c == 1) {
                self.take(&g.regions);
            } else if let Some(placed) = self.guided(&fixed, &g.regions) {
                self.offer(placed);
            }
            if bound <= self.floor() {
                return;
            }
            let Some((s, options)) = self.branch_on(&fixed, &g.regions, &count) else {
                return;
            };
            for &l in &options[1..] {
                let mut child = fixed.clone();
                child[s] = Some(l);
                self.seq += 1;
                self.queue.push(Open {
                    bound,
                    seq: self.seq,
                    fixed: child,
                    prices: g.prices.clone(),
                });
            }
            fixed[s] = Some(options[0]);
            prices = g.prices;
        }
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
    fn guided(&self, fixed: &[Option<usize>], regions: &[Entry]) -> Option<Placement> {
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
        for (s, l) in regions.iter().flat_map(|e| &e.pairs) {
            cost[*s][*l] -= 1e9;
        }
        heuristic(p, &pairs, &cost)
    }

    /// The free service to branch on and its locations, most promising first: the one with the
    /// fewest locations where it still fits beside the fixed services and whose bound beats
    /// the best assignment; among equals one the regions place other than once, then the
    /// largest. Its locations: where the regions' patterns place it first, then by bound.
    /// `None` when no service is free or one has no location left (then the node is done).
    fn branch_on(
        &self,
        fixed: &[Option<usize>],
        regions: &[Entry],
        count: &[usize],
    ) -> Option<(usize, Vec<usize>)> {
        let p = self.rg.p;
        let floor = self.floor();
        let mut loads = Loads::new(p);
        for (s, f) in fixed.iter().enumerate() {
            if let Some(l) = f {
                loads.add(p, *l, p.services[s].fte, 1.0);
            }
        }
        let placed_at = |s: usize, l: usize| regions.iter().any(|e| e.pairs.contains(&(s, l)));
        let mut pick: Option<(usize, Vec<usize>)> = None;
        for s in (0..p.services.len()).filter(|&s| fixed[s].is_none()) {
            let fte = p.services[s].fte;
            let mut ls: Vec<usize> = (0..p.n())
                .filter(|&l| self.rg.pairs[s][l] && self.rb.at[s][l] > floor)
                .filter(|&l| {
                    loads.add(p, l, fte, 1.0);
                    let ok = loads.ok_at(p, l);
                    loads.add(p, l, fte, -1.0);
                    ok
                })
                .collect();
            if ls.is_empty() {
                return None;
            }
            ls.sort_by(|&a, &b| {
                placed_at(s, b)
                    .cmp(&placed_at(s, a))
                    .then(self.rb.at[s][b].total_cmp(&self.rb.at[s][a]))
                    .then(a.cmp(&b))
            });
            let key = |s: usize, n: usize| (n > 1, count[s] == 1, n, -p.services[s].fte);
            if pick
                .as_ref()
                .is_none_or(|(t, lt)| key(s, ls.len()) < key(*t, lt.len()))
            {
                pick = Some((s, ls));
            }
        }
        pick
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
