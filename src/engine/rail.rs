//! The rail graph (petgraph) and the travel-time model: shortest rail kilometres and modelled
//! minutes between every pair of gemeenten, and labour-market reach.
//!
//! Minutes come from the travel model in `rules/settings.toml`, a MODELLING ASSUMPTION: tariff
//! kilometres on the physical network at a local speed plus a stop per link, and on the intercity
//! skeleton at an intercity speed plus a stop per intercity link; an access leg (straight-line
//! distance times a detour factor at an access speed, plus a fixed wait) joins a gemeente's main
//! place to its own stations and its nearest Dutch station, at both ends of a trip.

use petgraph::algo::dijkstra;
use petgraph::graph::{NodeIndex, UnGraph};

use crate::model::World;

/// Travel minutes and rail kilometres between gemeenten, in the order of `World::gemeenten`.
#[derive(Debug, Clone)]
pub struct Travel {
    n: usize,
    /// Row-major minutes; `NaN` where unknown (a gemeente without coordinates).
    minutes: Vec<f64>,
    /// Row-major shortest rail kilometres between the stations used; `NaN` where unknown.
    km: Vec<f64>,
}

impl Travel {
    /// Modelled minutes from gemeente `a` to gemeente `b` (indices), when known.
    pub fn minutes(&self, a: usize, b: usize) -> Option<f64> {
        let m = self.minutes[a * self.n + b];
        (!m.is_nan()).then_some(m)
    }

    /// Shortest rail kilometres on the route chosen by the minutes model, when known.
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
    pub minutes: Vec<f64>,
    pub km: Vec<f64>,
}

/// Shortest paths between all stations: minutes under the travel model, and kilometres on the
/// physical network.
pub fn station_matrix(world: &World) -> StationMatrix {
    let t = &world.settings.travel;
    let n = world.stations.len();
    // Minutes graph: physical links and the intercity skeleton; edge weight (minutes, km).
    let mut g: UnGraph<(), (f64, f64)> =
        UnGraph::with_capacity(n, world.links.len() + world.ic_links.len());
    let nodes: Vec<NodeIndex> = (0..n).map(|_| g.add_node(())).collect();
    for &(a, b, km) in &world.links {
        let min = km / t.local_speed_kmh * 60.0 + t.local_stop_minutes;
        g.add_edge(nodes[a], nodes[b], (min, km));
    }
    for &(a, b, km) in &world.ic_links {
        let min = km / t.intercity_speed_kmh * 60.0 + t.intercity_stop_minutes;
        g.add_edge(nodes[a], nodes[b], (min, km));
    }
    let mut minutes = vec![f64::NAN; n * n];
    let mut kms = vec![f64::NAN; n * n];
    let mut km_graph: UnGraph<(), f64> = UnGraph::with_capacity(n, world.links.len());
    let km_nodes: Vec<NodeIndex> = (0..n).map(|_| km_graph.add_node(())).collect();
    for &(a, b, km) in &world.links {
        km_graph.add_edge(km_nodes[a], km_nodes[b], km);
    }
    for s in 0..n {
        for (node, m) in dijkstra(&g, nodes[s], None, |e| e.weight().0) {
            minutes[s * n + node.index()] = m;
        }
        for (node, k) in dijkstra(&km_graph, km_nodes[s], None, |e| *e.weight()) {
            kms[s * n + node.index()] = k;
        }
    }
    StationMatrix {
        n,
        minutes,
        km: kms,
    }
}

/// The stations by which each gemeente reaches the network, with the access minutes.
pub fn access_legs(world: &World) -> Vec<Vec<(usize, f64)>> {
    let t = &world.settings.travel;
    let leg = |from: (f64, f64), s: usize| {
        let st = &world.stations[s];
        haversine_km(from, (st.lat, st.lon)) * t.access_detour_factor / t.access_speed_kmh * 60.0
            + t.access_fixed_minutes
    };
    let index = |code: &str| world.stations.iter().position(|s| s.code == code);
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
                .filter_map(|code| index(code))
                .map(|s| (s, leg(c, s)))
                .collect();
            // Nearest Dutch station; ties go to the lower station index.
            let nearest = world
                .stations
                .iter()
                .enumerate()
                .filter(|(_, s)| s.dutch)
                .map(|(i, s)| (i, haversine_km(c, (s.lat, s.lon))))
                .min_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)));
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
