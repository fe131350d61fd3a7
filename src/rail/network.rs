//! The station-to-station travel model: a two-layer rail graph whose in-train times come from the
//! fitted parameters, combined with the measured journeys where the route passes measured
//! stations.
//!
//! The graph has a node per station for stopping trains (every physical link) and a node per
//! intercity station for intercity trains (the intercity links and the extra links such as the
//! HSL-Zuid). A physical link takes `km / local speed + time per stop`, an intercity link
//! `km / intercity speed + time per stop`, an extra link its own fitted minutes, and changing
//! between the layers at an intercity station takes the transfer penalty. A journey may start and
//! end in either layer.
//!
//! Measured journeys are used where the modelled route allows: on the route from `A` to `B`,
//! let `H1` be the first station with measured journeys and `H2` the last. When they differ and
//! the journey `H1 -> H2` is measured, the minutes are the modelled minutes up to leaving `H1`,
//! plus the measured `H1 -> H2`, plus the modelled minutes from arriving at `H2`. Between two
//! measured stations this is the measurement itself.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use ordered_float::OrderedFloat;

use crate::model::{RailNetwork, RailParams};

/// What an edge of the layered graph stands for; its minutes follow from the parameters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EdgeKind {
    /// A physical link, ridden by a stopping train.
    Local,
    /// An intercity link.
    Intercity,
    /// Extra link `k` of `RailNetwork::extra_links`.
    Extra(usize),
    /// A change between the stopping-train and the intercity node of one station.
    Transfer,
}

#[derive(Debug, Clone, Copy)]
struct Edge {
    to: u32,
    km: f64,
    kind: EdgeKind,
}

const NONE: u32 = u32::MAX;

/// The layered graph, its edge minutes under one set of parameters, and the measured journeys.
#[derive(Debug, Clone)]
pub struct Network {
    /// Number of stations; nodes `0..n` are stopping-train nodes, `n..2n` intercity nodes.
    n: usize,
    offsets: Vec<usize>,
    edges: Vec<Edge>,
    minutes: Vec<f64>,
    /// True for stations with an intercity node.
    intercity: Vec<bool>,
    /// Measured minutes, row-major `n x n`; `NaN` where not measured.
    measured: Vec<f64>,
    /// True for stations that have measured journeys (of the measured set in use).
    covered: Vec<bool>,
    transfer_minutes: f64,
}

/// One leg of a journey between stations, as the model routes it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Leg {
    pub minutes: f64,
    /// Minutes spent in trains (the rest are transfer penalties).
    pub in_train: f64,
    pub transfers: usize,
    pub km: f64,
}

impl Leg {
    /// No leg at all.
    pub const ZERO: Leg = Leg {
        minutes: 0.0,
        in_train: 0.0,
        transfers: 0,
        km: 0.0,
    };
}

/// A station-to-station journey.
#[derive(Debug, Clone, PartialEq)]
pub struct Journey {
    pub minutes: f64,
    /// The measured part `(from station, to station, minutes)`, when the route uses one.
    pub measured: Option<(usize, usize, f64)>,
    /// Modelled leg before the measured part (the whole journey when there is none).
    pub before: Leg,
    /// Modelled leg after the measured part (zero when there is none).
    pub after: Leg,
    /// The whole modelled route: transfers and kilometres.
    pub route: Leg,
}

impl Journey {
    /// Staying at one station: no journey.
    pub fn stay() -> Journey {
        Journey {
            minutes: 0.0,
            measured: None,
            before: Leg::ZERO,
            after: Leg::ZERO,
            route: Leg::ZERO,
        }
    }

    /// True when the whole journey is a measured one.
    pub fn fully_measured(&self) -> bool {
        self.measured.is_some() && self.before.minutes == 0.0 && self.after.minutes == 0.0
    }
}

/// The shortest-path tree from one station, with what the journey to each node needs.
struct Tree {
    dist: Vec<f64>,
    km: Vec<f64>,
    transfers: Vec<u32>,
    /// First node on the path whose station is covered; the last node at that station.
    first_covered: Vec<u32>,
    /// Last covered station on the path: the first node at that station.
    last_covered: Vec<u32>,
}

/// The graph's edges in compressed rows: `edges[offsets[v]..offsets[v + 1]]` leave node `v`.
/// Nodes `0..n` are the stations on the local layer, `n..2n` on the intercity layer; a station
/// with an intercity link has a transfer edge between its two nodes.
fn edges(rail: &RailNetwork, intercity: &[bool]) -> (Vec<usize>, Vec<Edge>) {
    let n = rail.stations.len();
    let mut adj: Vec<Vec<Edge>> = vec![Vec::new(); 2 * n];
    let mut both = |a: usize, b: usize, km: f64, kind: EdgeKind| {
        adj[a].push(Edge {
            to: b as u32,
            km,
            kind,
        });
        adj[b].push(Edge {
            to: a as u32,
            km,
            kind,
        });
    };
    for &(a, b, km) in &rail.links {
        both(a, b, km, EdgeKind::Local);
    }
    for &(a, b, km) in &rail.ic_links {
        both(n + a, n + b, km, EdgeKind::Intercity);
    }
    for (k, x) in rail.extra_links.iter().enumerate() {
        both(n + x.a, n + x.b, x.km, EdgeKind::Extra(k));
    }
    for (s, &ic) in intercity.iter().enumerate() {
        if ic {
            both(s, n + s, 0.0, EdgeKind::Transfer);
        }
    }
    let mut offsets = Vec::with_capacity(2 * n + 1);
    let mut edges = Vec::new();
    offsets.push(0);
    for list in adj {
        edges.extend(list);
        offsets.push(edges.len());
    }
    (offsets, edges)
}

impl Network {
    /// Builds the graph of `rail` with the minutes of `params`; `covered` says which stations'
    /// measured journeys may be used (all measured stations when `None`).
    pub fn new(rail: &RailNetwork, params: &RailParams, covered: Option<&[bool]>) -> Network {
        let n = rail.stations.len();
        let mut intercity = vec![false; n];
        for &(a, b, _) in &rail.ic_links {
            intercity[a] = true;
            intercity[b] = true;
        }
        for x in &rail.extra_links {
            intercity[x.a] = true;
            intercity[x.b] = true;
        }
        let (offsets, edges) = edges(rail, &intercity);
        let mut measured = vec![f64::NAN; n * n];
        let mut has = vec![false; n];
        for &(a, b, m) in &rail.measured {
            measured[a * n + b] = m;
            has[a] = true;
            has[b] = true;
        }
        let covered = match covered {
            Some(c) => has.iter().zip(c).map(|(h, c)| *h && *c).collect(),
            None => has,
        };
        let mut net = Network {
            n,
            offsets,
            edges,
            minutes: Vec::new(),
            intercity,
            measured,
            covered,
            transfer_minutes: 0.0,
        };
        net.set_params(params);
        net
    }

    /// Recomputes the edge minutes for other parameters (the graph stays).
    pub fn set_params(&mut self, p: &RailParams) {
        self.transfer_minutes = p.transfer_minutes;
        self.minutes = self
            .edges
            .iter()
            .map(|e| match e.kind {
                EdgeKind::Local => e.km / p.local_speed_kmh * 60.0 + p.local_stop_minutes,
                EdgeKind::Intercity => {
                    e.km / p.intercity_speed_kmh * 60.0 + p.intercity_stop_minutes
                }
                EdgeKind::Extra(k) => p.extra_minutes[k],
                EdgeKind::Transfer => p.transfer_minutes,
            })
            .collect();
    }

    /// Number of stations.
    pub fn len(&self) -> usize {
        self.n
    }

    /// True when there are no stations.
    pub fn is_empty(&self) -> bool {
        self.n == 0
    }

    /// True when the station has an intercity node (it lies on an intercity or extra link).
    pub fn is_intercity(&self, s: usize) -> bool {
        self.intercity[s]
    }

    /// True when the station's measured journeys are in use.
    pub fn covered(&self, s: usize) -> bool {
        self.covered[s]
    }

    /// The measured minutes from `a` to `b`, when measured and both are covered.
    pub fn measured(&self, a: usize, b: usize) -> Option<f64> {
        let m = self.measured[a * self.n + b];
        (self.covered[a] && self.covered[b] && !m.is_nan()).then_some(m)
    }

    fn station(&self, node: usize) -> usize {
        node % self.n
    }

    /// Dijkstra from station `s`, starting in either layer; ties settle the lower node first, and
    /// a predecessor changes only on a strict improvement, so the tree is deterministic.
    fn tree(
        &self,
        s: usize,
        heap: &mut BinaryHeap<(Reverse<OrderedFloat<f64>>, Reverse<u32>)>,
    ) -> Tree {
        let (dist, pred, pred_edge, order) = self.dijkstra(s, heap);
        let mut t = Tree {
            dist,
            km: Vec::new(),
            transfers: Vec::new(),
            first_covered: Vec::new(),
            last_covered: Vec::new(),
        };
        self.along_tree(&pred, &pred_edge, &order, &mut t);
        t
    }

    /// Minutes from `s` to every node, each node's predecessor and edge on the tree, and the
    /// order in which the nodes settled.
    #[allow(clippy::type_complexity)]
    fn dijkstra(
        &self,
        s: usize,
        heap: &mut BinaryHeap<(Reverse<OrderedFloat<f64>>, Reverse<u32>)>,
    ) -> (Vec<f64>, Vec<u32>, Vec<u32>, Vec<u32>) {
        let nn = 2 * self.n;
        let mut dist = vec![f64::INFINITY; nn];
        let mut pred = vec![NONE; nn];
        let mut pred_edge = vec![NONE; nn];
        let mut order = Vec::with_capacity(nn);
        let mut done = vec![false; nn];
        heap.clear();
        let mut roots = vec![s];
        if self.intercity[s] {
            roots.push(self.n + s);
        }
        for &r in &roots {
            dist[r] = 0.0;
            heap.push((Reverse(OrderedFloat(0.0)), Reverse(r as u32)));
        }
        while let Some((Reverse(OrderedFloat(d)), Reverse(u))) = heap.pop() {
            let u = u as usize;
            if done[u] || d > dist[u] {
                continue;
            }
            done[u] = true;
            order.push(u as u32);
            for e in self.offsets[u]..self.offsets[u + 1] {
                let v = self.edges[e].to as usize;
                let nd = d + self.minutes[e];
                if nd < dist[v] {
                    dist[v] = nd;
                    pred[v] = u as u32;
                    pred_edge[v] = e as u32;
                    heap.push((Reverse(OrderedFloat(nd)), Reverse(v as u32)));
                }
            }
        }
        (dist, pred, pred_edge, order)
    }

    /// Kilometres, transfers and the first and last measured stations along the tree, in
    /// settling order (a node's predecessor comes first).
    fn along_tree(&self, pred: &[u32], pred_edge: &[u32], order: &[u32], t: &mut Tree) {
        let nn = 2 * self.n;
        let mut km = vec![f64::NAN; nn];
        let mut transfers = vec![0u32; nn];
        let mut first_covered = vec![NONE; nn];
        let mut last_covered = vec![NONE; nn];
        for &v in order {
            let v = v as usize;
            let st = self.station(v);
            let cov = self.covered[st];
            let u = pred[v];
            if u == NONE {
                km[v] = 0.0;
                if cov {
                    first_covered[v] = v as u32;
                    last_covered[v] = v as u32;
                }
                continue;
            }
            let u = u as usize;
            let edge = &self.edges[pred_edge[v] as usize];
            km[v] = km[u] + edge.km;
            transfers[v] = transfers[u] + u32::from(edge.kind == EdgeKind::Transfer);
            let same_station = self.station(u) == st;
            first_covered[v] = match first_covered[u] {
                NONE if cov => v as u32,
                f if f == u as u32 && same_station => v as u32,
                f => f,
            };
            // A change of layer at a covered station keeps the first node at that station.
            last_covered[v] = if !cov || (same_station && last_covered[u] != NONE) {
                last_covered[u]
            } else {
                v as u32
            };
        }
        t.km = km;
        t.transfers = transfers;
        t.first_covered = first_covered;
        t.last_covered = last_covered;
    }

    fn leg(&self, t: &Tree, from: usize, to: usize) -> Leg {
        let transfers = (t.transfers[to] - t.transfers[from]) as usize;
        let minutes = t.dist[to] - t.dist[from];
        Leg {
            minutes,
            in_train: minutes - transfers as f64 * self.transfer_minutes,
            transfers,
            km: t.km[to] - t.km[from],
        }
    }

    fn journey_in(&self, t: &Tree, target: usize) -> Option<Journey> {
        // The end node: the cheaper of the two layers; ties go to the stopping-train node.
        let mut end = target;
        if self.intercity[target] && t.dist[self.n + target] < t.dist[target] {
            end = self.n + target;
        }
        if !t.dist[end].is_finite() {
            return None;
        }
        let route = Leg {
            minutes: t.dist[end],
            in_train: t.dist[end] - t.transfers[end] as f64 * self.transfer_minutes,
            transfers: t.transfers[end] as usize,
            km: t.km[end],
        };
        let (f, l) = (t.first_covered[end], t.last_covered[end]);
        if f != NONE && l != NONE {
            let (f, l) = (f as usize, l as usize);
            let (h1, h2) = (self.station(f), self.station(l));
            if h1 != h2
                && let Some(m) = self.measured(h1, h2)
            {
                // The leg before: from the root (distance 0) to the last node at H1.
                let before = Leg {
                    minutes: t.dist[f],
                    in_train: t.dist[f] - t.transfers[f] as f64 * self.transfer_minutes,
                    transfers: t.transfers[f] as usize,
                    km: t.km[f],
                };
                let after = self.leg(t, l, end);
                return Some(Journey {
                    minutes: before.minutes + m + after.minutes,
                    measured: Some((h1, h2, m)),
                    before,
                    after,
                    route,
                });
            }
        }
        Some(Journey {
            minutes: route.minutes,
            measured: None,
            before: route,
            after: Leg::ZERO,
            route,
        })
    }

    /// The journey from station `a` to station `b`; `None` when `b` cannot be reached.
    pub fn journey(&self, a: usize, b: usize) -> Option<Journey> {
        let t = self.tree(a, &mut BinaryHeap::new());
        self.journey_in(&t, b)
    }

    /// Journeys from station `a` to every station (`None` where unreachable).
    pub fn journeys_from(&self, a: usize) -> Vec<Option<Journey>> {
        let t = self.tree(a, &mut BinaryHeap::new());
        (0..self.n).map(|b| self.journey_in(&t, b)).collect()
    }

    /// The model's minutes alone (no measured journeys) from `a` to each station in `targets`.
    pub fn model_minutes(&self, a: usize, targets: &[usize], heap: &mut Heap) -> Vec<f64> {
        let t = self.tree(a, &mut heap.0);
        targets
            .iter()
            .map(|&b| {
                let mut d = t.dist[b];
                if self.intercity[b] {
                    d = d.min(t.dist[self.n + b]);
                }
                d
            })
            .collect()
    }

    /// Minutes and route kilometres between every pair of stations, row-major; `NaN` where
    /// unreachable. Rows are split over the available cores; each row is computed the same way
    /// whichever thread computes it, so the result is deterministic.
    pub fn matrix(&self) -> StationMatrix {
        let n = self.n;
        let mut minutes = vec![f64::NAN; n * n];
        let mut km = vec![f64::NAN; n * n];
        if n == 0 {
            return StationMatrix { n, minutes, km };
        }
        let threads = std::thread::available_parallelism()
            .map_or(1, |p| p.get())
            .clamp(1, 8);
        let rows_per = n.div_ceil(threads);
        std::thread::scope(|scope| {
            for (chunk, (mins, kms)) in minutes
                .chunks_mut(rows_per * n)
                .zip(km.chunks_mut(rows_per * n))
                .enumerate()
            {
                scope.spawn(move || {
                    let mut heap = BinaryHeap::new();
                    for (r, (mrow, krow)) in mins.chunks_mut(n).zip(kms.chunks_mut(n)).enumerate() {
                        let a = chunk * rows_per + r;
                        let t = self.tree(a, &mut heap);
                        for b in 0..n {
                            if let Some(j) = self.journey_in(&t, b) {
                                mrow[b] = j.minutes;
                                krow[b] = j.route.km;
                            }
                        }
                    }
                });
            }
        });
        StationMatrix { n, minutes, km }
    }
}

/// A reusable heap for repeated shortest-path runs.
#[derive(Default)]
pub struct Heap(BinaryHeap<(Reverse<OrderedFloat<f64>>, Reverse<u32>)>);

/// Minutes and kilometres from every station to every station, row-major.
#[derive(Debug, Clone)]
pub struct StationMatrix {
    pub n: usize,
    pub minutes: Vec<f64>,
    /// Kilometres along the modelled route (extra links count their fare distance).
    pub km: Vec<f64>,
}

impl StationMatrix {
    /// Minutes from station `a` to station `b`, when reachable.
    pub fn minutes(&self, a: usize, b: usize) -> Option<f64> {
        let m = self.minutes[a * self.n + b];
        (!m.is_nan()).then_some(m)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Station;

    /// A line A - B - C - D of 10 km links; B and C have measured journeys.
    fn line(measured: Vec<(usize, usize, f64)>) -> RailNetwork {
        let st = |code: &str| Station {
            code: code.into(),
            name: code.into(),
            kind: String::new(),
            lat: 52.0,
            lon: 5.0,
            dutch: true,
            ..Station::default()
        };
        RailNetwork {
            stations: vec![st("A"), st("B"), st("C"), st("D")],
            links: vec![(0, 1, 10.0), (1, 2, 10.0), (2, 3, 10.0)],
            ic_links: Vec::new(),
            extra_links: Vec::new(),
            measured,
        }
    }

    fn params() -> RailParams {
        // The fit's prior: 60 km/h and 1 minute per stop (every 10 km link takes 11 minutes),
        // intercity links at 100 km/h plus 2 minutes, 5 minutes per transfer.
        super::super::fit::prior(&line(Vec::new()))
    }

    #[test]
    fn the_measured_middle_of_a_route_replaces_the_model() {
        let net = Network::new(&line(vec![(1, 2, 5.0), (2, 1, 7.0)]), &params(), None);
        // A -> D: 11 modelled to B, 5 measured B -> C, 11 modelled C -> D.
        let j = net.journey(0, 3).unwrap();
        assert_eq!(j.minutes, 27.0);
        assert_eq!(j.measured, Some((1, 2, 5.0)));
        assert_eq!((j.before.minutes, j.after.minutes), (11.0, 11.0));
        assert_eq!(j.route.minutes, 33.0);
        // The other way uses the other direction's measurement.
        assert_eq!(net.journey(3, 0).unwrap().minutes, 29.0);
        // Between the measured stations: the measurement itself.
        let bc = net.journey(1, 2).unwrap();
        assert!(bc.fully_measured());
        assert_eq!(bc.minutes, 5.0);
        // A route that passes one measured station only is modelled.
        assert_eq!(net.journey(0, 1).unwrap().minutes, 11.0);
        assert_eq!(net.journey(0, 1).unwrap().measured, None);
    }

    #[test]
    fn uncovered_stations_do_not_lend_their_measurements() {
        let rail = line(vec![(1, 2, 5.0)]);
        let net = Network::new(&rail, &params(), Some(&[true, true, false, true]));
        assert_eq!(net.journey(0, 3).unwrap().minutes, 33.0);
        assert_eq!(net.measured(1, 2), None);
    }

    #[test]
    fn changing_to_an_intercity_costs_the_transfer_penalty() {
        let mut rail = line(Vec::new());
        // An intercity link B - D of 20 km: 12 + 2 = 14 minutes.
        rail.ic_links = vec![(1, 3, 20.0)];
        let net = Network::new(&rail, &params(), None);
        // A -> B by stopping train (11), change (5), B -> D by intercity (14) = 30 < 33.
        let j = net.journey(0, 3).unwrap();
        assert_eq!(j.minutes, 30.0);
        assert_eq!(j.route.transfers, 1);
        assert_eq!(j.route.in_train, 25.0);
        // Starting at an intercity station needs no change: B -> D takes 14.
        assert_eq!(net.journey(1, 3).unwrap().minutes, 14.0);
        assert_eq!(net.journey(1, 3).unwrap().route.transfers, 0);
    }
}
