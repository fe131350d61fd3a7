//! The rail graph (petgraph) and the travel-time model: shortest rail kilometres and modelled
//! minutes between every pair of gemeenten, and labour-market reach.
//!
//! Minutes come from the travel model in `rules/settings.toml`, a MODELLING ASSUMPTION: tariff
//! kilometres on the physical network at a local speed plus a stop per link, and on the intercity
//! skeleton at an intercity speed plus a stop per intercity link; an access leg (straight-line
//! distance times a detour factor at an access speed, plus a fixed wait) joins a gemeente's main
//! place to its own stations and its nearest Dutch station, at both ends of a trip.

use std::cmp::Reverse;
use std::collections::{BTreeMap, BinaryHeap};

use ordered_float::OrderedFloat;
use petgraph::graph::{NodeIndex, UnGraph};
use petgraph::visit::EdgeRef;

use crate::model::World;

/// Travel minutes and rail kilometres between gemeenten, in the order of `World::gemeenten`.
#[derive(Debug, Clone)]
pub struct Travel {
    n: usize,
    /// Row-major minutes; `NaN` where unknown (a gemeente without coordinates).
    minutes: Vec<f64>,
    /// Row-major rail kilometres along the fastest route; `NaN` where unknown.
    km: Vec<f64>,
}

impl Travel {
    /// Modelled minutes from gemeente `a` to gemeente `b` (indices), when known.
    pub fn minutes(&self, a: usize, b: usize) -> Option<f64> {
        let m = self.minutes[a * self.n + b];
        (!m.is_nan()).then_some(m)
    }

    /// Rail kilometres along the fastest route (between the stations it uses), when known.
    pub fn km(&self, a: usize, b: usize) -> Option<f64> {
        let k = self.km[a * self.n + b];
        (!k.is_nan()).then_some(k)
    }

    /// Number of gemeenten.
    pub fn len(&self) -> usize {
        self.n
    }

    /// True when there are no gemeenten.
    pub fn is_empty(&self) -> bool {
        self.n == 0
    }
}

/// Great-circle distance in km (haversine, mean Earth radius 6371 km).
pub fn haversine_km(a: (f64, f64), b: (f64, f64)) -> f64 {
    let (la1, lo1) = (a.0.to_radians(), a.1.to_radians());
    let (la2, lo2) = (b.0.to_radians(), b.1.to_radians());
    let h = ((la2 - la1) / 2.0).sin().powi(2)
        + la1.cos() * la2.cos() * ((lo2 - lo1) / 2.0).sin().powi(2);
    2.0 * 6371.0 * h.sqrt().asin()
}

/// Minutes and kilometres from every station to every station, row-major.
pub struct StationMatrix {
    pub n: usize,
    /// Modelled minutes on the fastest route.
    pub minutes: Vec<f64>,
    /// Rail kilometres along that fastest route.
    pub km: Vec<f64>,
}

type Heap = BinaryHeap<(Reverse<(OrderedFloat<f64>, OrderedFloat<f64>)>, usize)>;

/// Single-source shortest paths over a petgraph graph whose edges carry `(cost, km)`: the
/// cheapest cost to every node and the kilometres along that cheapest path (ties: fewer km).
/// Distances are dense `Vec`s: petgraph's own `dijkstra` returns a `HashMap`, which made the
/// all-pairs computation several times slower. Unreachable nodes get `NaN`.
fn dijkstra_dense(
    g: &UnGraph<(), (f64, f64)>,
    source: usize,
    cost: &mut [f64],
    km: &mut [f64],
    heap: &mut Heap,
) {
    cost.fill(f64::INFINITY);
    km.fill(f64::INFINITY);
    cost[source] = 0.0;
    km[source] = 0.0;
    heap.clear();
    heap.push((Reverse((OrderedFloat(0.0), OrderedFloat(0.0))), source));
    while let Some((Reverse((OrderedFloat(d), OrderedFloat(k))), u)) = heap.pop() {
        if (d, k) > (cost[u], km[u]) {
            continue;
        }
        for e in g.edges(NodeIndex::new(u)) {
            let v = if e.source().index() == u {
                e.target().index()
            } else {
                e.source().index()
            };
            let (w, wk) = *e.weight();
            let (nd, nk) = (d + w, k + wk);
            if (nd, nk) < (cost[v], km[v]) {
                cost[v] = nd;
                km[v] = nk;
                heap.push((Reverse((OrderedFloat(nd), OrderedFloat(nk))), v));
            }
        }
    }
    for (c, k) in cost.iter_mut().zip(km.iter_mut()) {
        if c.is_infinite() {
            *c = f64::NAN;
            *k = f64::NAN;
        }
    }
}

fn graph(world: &World, with_ic: bool, cost: impl Fn(f64, bool) -> f64) -> UnGraph<(), (f64, f64)> {
    let n = world.stations.len();
    let mut g: UnGraph<(), (f64, f64)> =
        UnGraph::with_capacity(n, world.links.len() + world.ic_links.len());
    for _ in 0..n {
        g.add_node(());
    }
    for &(a, b, km) in &world.links {
        g.add_edge(NodeIndex::new(a), NodeIndex::new(b), (cost(km, false), km));
    }
    if with_ic {
        for &(a, b, km) in &world.ic_links {
            g.add_edge(NodeIndex::new(a), NodeIndex::new(b), (cost(km, true), km));
        }
    }
    g
}

fn all_pairs(g: &UnGraph<(), (f64, f64)>) -> StationMatrix {
    let n = g.node_count();
    let mut minutes = vec![f64::NAN; n * n];
    let mut km = vec![f64::NAN; n * n];
    if n == 0 {
        return StationMatrix { n, minutes, km };
    }
    // Rows are independent, so they are split over the available cores; each row is computed
    // the same way whichever thread computes it, so the result is deterministic.
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
                let mut heap = Heap::new();
                for (r, (mrow, krow)) in mins.chunks_mut(n).zip(kms.chunks_mut(n)).enumerate() {
                    dijkstra_dense(g, chunk * rows_per + r, mrow, krow, &mut heap);
                }
            });
        }
    });
    StationMatrix { n, minutes, km }
}

/// Fastest routes between all stations under the travel model (physical links at the local
/// speed plus a stop each, intercity links at the intercity speed plus a stop each), with the
/// kilometres along each route.
pub fn station_matrix(world: &World) -> StationMatrix {
    let t = world.settings.travel.clone();
    all_pairs(&graph(world, true, move |km, ic| {
        if ic {
            km / t.intercity_speed_kmh * 60.0 + t.intercity_stop_minutes
        } else {
            km / t.local_speed_kmh * 60.0 + t.local_stop_minutes
        }
    }))
}

/// Shortest rail kilometres between all stations on the physical network (in `minutes` and
/// `km` alike). Not needed by `advise`; for analysis and checks against the tariff matrix.
pub fn shortest_km_matrix(world: &World) -> StationMatrix {
    all_pairs(&graph(world, false, |km, _| km))
}

/// The stations by which each gemeente reaches the network, with the access minutes.
pub fn access_legs(world: &World) -> Vec<Vec<(usize, f64)>> {
    let t = &world.settings.travel;
    let leg = |from: (f64, f64), s: usize| {
        let st = &world.stations[s];
        haversine_km(from, (st.lat, st.lon)) * t.access_detour_factor / t.access_speed_kmh * 60.0
            + t.access_fixed_minutes
    };
    let by_code: BTreeMap<&str, usize> = world
        .stations
        .iter()
        .enumerate()
        .map(|(i, s)| (s.code.as_str(), i))
        .collect();
    let index = |code: &String| by_code.get(code.as_str()).copied();
    world
        .gemeenten
        .iter()
        .map(|g| {
            let Some(c) = g.coord else {
                return Vec::new();
            };
            let mut legs: Vec<(usize, f64)> = g
                .stations
                .iter()
                .filter_map(&index)
                .map(|s| (s, leg(c, s)))
                .collect();
            // Nearest Dutch station by an equirectangular distance (exact enough at the scale of
            // the Netherlands, and cheap); ties go to the lower station index.
            let k = c.0.to_radians().cos();
            let nearest = world
                .stations
                .iter()
                .enumerate()
                .filter(|(_, s)| s.dutch)
                .map(|(i, s)| {
                    let (dy, dx) = (s.lat - c.0, (s.lon - c.1) * k);
                    (i, OrderedFloat(dy * dy + dx * dx))
                })
                .min_by_key(|&(i, d)| (d, i));
            if let Some((i, _)) = nearest
                && !legs.iter().any(|(s, _)| *s == i)
            {
                legs.push((i, leg(c, i)));
            }
            legs
        })
        .collect()
}

/// Computes minutes and kilometres between every pair of gemeenten.
pub fn compute(world: &World) -> Travel {
    let sm = station_matrix(world);
    let legs = access_legs(world);
    let n = world.gemeenten.len();
    let ns = sm.n;
    let mut minutes = vec![f64::NAN; n * n];
    let mut km = vec![f64::NAN; n * n];
    // Best minutes (and their km) from gemeente a to each station.
    let mut to_station = vec![(f64::INFINITY, f64::NAN); ns];
    for a in 0..n {
        if legs[a].is_empty() {
            continue;
        }
        to_station.fill((f64::INFINITY, f64::NAN));
        for &(sa, acc) in &legs[a] {
            let row = sa * ns..(sa + 1) * ns;
            for ((best, &m), &k) in to_station
                .iter_mut()
                .zip(&sm.minutes[row.clone()])
                .zip(&sm.km[row.clone()])
            {
                if !m.is_nan() && acc + m < best.0 {
                    *best = (acc + m, k);
                }
            }
        }
        for b in 0..n {
            if a == b {
                minutes[a * n + b] = 0.0;
                km[a * n + b] = 0.0;
                continue;
            }
            let mut best = (f64::INFINITY, f64::NAN);
            for &(sb, acc) in &legs[b] {
                let (m, k) = to_station[sb];
                if m + acc < best.0 {
                    best = (m + acc, k);
                }
            }
            if best.0.is_finite() {
                minutes[a * n + b] = best.0;
                km[a * n + b] = best.1;
            }
        }
    }
    Travel { n, minutes, km }
}

/// Labour-market reach: the summed population proxy of gemeenten within `limit` minutes of each
/// gemeente (itself included); `None` for a gemeente whose minutes are unknown.
pub fn reach(world: &World, travel: &Travel, limit: f64) -> Vec<Option<f64>> {
    (0..travel.n)
        .map(|a| {
            travel.minutes(a, a)?;
            Some(
                (0..travel.n)
                    .filter(|&b| travel.minutes(a, b).is_some_and(|m| m <= limit))
                    .map(|b| world.gemeenten[b].population_proxy.unwrap_or(0.0))
                    .sum(),
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn haversine_known_distance() {
        // Amsterdam Centraal to Utrecht Centraal is about 35 km in a straight line.
        let d = haversine_km((52.3789, 4.9003), (52.0894, 5.1101));
        assert!((d - 35.3).abs() < 1.0, "{d}");
    }
}
