//! Rail travel between gemeenten: the station-to-station model ([`network`], fitted by [`fit`]
//! to measured NS journeys and using them where it can), the access legs from a gemeente's point
//! to the stations it uses, minutes between every pair of gemeenten, and labour-market reach.
//!
//! A gemeente uses its own stations, its nearest Dutch station and its nearest intercity station.
//! Its main station is its own station of the highest class (the nearest to its point among
//! equals): an office in the gemeente is taken to be by that station, so it needs no access leg.
//! Any other station is reached from the gemeente's point over the straight-line distance times a
//! detour factor at the stated access speed, plus a fixed wait (`[travel_model]` in
//! `rules/settings.toml`, a MODELLING ASSUMPTION). A gemeente across water (a Wadden island,
//! Zeeuws-Vlaanderen) reaches the stations of its mainland port by the sourced ferry crossing
//! (`profiles/rail/ferries.csv`); without one its minutes are unknown. Minutes between gemeenten are the best over
//! these stations at both ends: access, the station-to-station journey, egress. [`travel`] is
//! the `travel FROM TO` command's trip, leg by leg.

pub mod fit;
pub mod network;
pub mod travel;

use std::collections::BTreeMap;

use ordered_float::OrderedFloat;

pub use network::{Journey, Leg, Network, StationMatrix};

pub use crate::model::haversine_km;
use crate::model::{Gemeente, Station, World};

/// Travel minutes and rail kilometres between gemeenten, in the order of `World::gemeenten`.
#[derive(Debug, Clone)]
pub struct Travel {
    n: usize,
    /// Row-major minutes; `NaN` where unknown (no route).
    minutes: Vec<f64>,
    /// Row-major rail kilometres along the modelled route; `NaN` where unknown.
    km: Vec<f64>,
    /// Row-major: true when the trip is a measured journey between own stations (no model).
    measured: Vec<bool>,
}

impl Travel {
    /// Minutes from gemeente `a` to gemeente `b` (indices), when known.
    pub fn minutes(&self, a: usize, b: usize) -> Option<f64> {
        let m = self.minutes[a * self.n + b];
        (!m.is_nan()).then_some(m)
    }

    /// Rail kilometres along the modelled route (between the stations it uses), when known.
    pub fn km(&self, a: usize, b: usize) -> Option<f64> {
        let k = self.km[a * self.n + b];
        (!k.is_nan()).then_some(k)
    }

    /// True when the trip from `a` to `b` is a measured journey between stations of their own
    /// (no modelled leg, no access leg).
    pub fn measured(&self, a: usize, b: usize) -> bool {
        self.measured[a * self.n + b]
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

/// A station a gemeente uses, with the minutes to reach it from the gemeente's point.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Access {
    pub station: usize,
    pub minutes: f64,
    /// Kilometres in a straight line from the gemeente's point.
    pub km: f64,
    /// True for the gemeente's main station (no access leg).
    pub own: bool,
    /// The ferry crossing before the leg (an index into `World::ferries`), for a gemeente across
    /// water: the crossing minutes and a fixed wait are part of `minutes`.
    pub ferry: Option<usize>,
}

/// The class of a station by its service level (`[station_classes]` in `rules/settings.toml`):
/// the NS type of 2019 where known, else the RDT type of 2017, raised to intercity where a source
/// says intercity trains stop.
pub fn station_class(world: &World, s: usize) -> f64 {
    let classes = &world.settings.station_classes;
    let untyped = classes.get("untyped").copied().unwrap_or(1.0);
    classes
        .get(&world.rail.stations[s].service)
        .copied()
        .unwrap_or(untyped)
}

/// The network of the world under its fitted parameters, with every measured journey in use.
pub fn network(world: &World) -> Network {
    Network::new(&world.rail, &world.rail_model.params, None)
}

/// The stations each gemeente uses, with their access minutes: its main station first (no
/// access leg), then its other own stations, its nearest station and its nearest intercity
/// station, each once.
pub fn access_legs(world: &World, net: &Network) -> Vec<Vec<Access>> {
    let by_code: BTreeMap<&str, usize> = world
        .rail
        .stations
        .iter()
        .enumerate()
        .map(|(i, s)| (s.code.as_str(), i))
        .collect();
    world
        .gemeenten
        .iter()
        .map(|g| gemeente_legs(world, net, &by_code, g))
        .collect()
}

/// The access legs of one gemeente, main station first. A gemeente across water uses the legs
/// of its mainland port, each after the ferry crossing and the fixed wait of an access leg (the
/// ride on the island to the quay is not counted); without a sourced crossing it has no legs,
/// so its minutes are unknown rather than a straight line over water.
fn gemeente_legs(
    world: &World,
    net: &Network,
    by_code: &BTreeMap<&str, usize>,
    g: &Gemeente,
) -> Vec<Access> {
    if let Some(fi) = world.ferries.iter().position(|f| f.gemeente == g.code) {
        let f = &world.ferries[fi];
        let port = f
            .port
            .as_deref()
            .and_then(|p| world.gemeente_index(p))
            .filter(|&p| {
                world
                    .ferries
                    .iter()
                    .all(|x| x.gemeente != world.gemeenten[p].code)
            });
        return match (port, f.minutes) {
            (Some(p), Some(m)) => land_legs(world, net, by_code, &world.gemeenten[p])
                .into_iter()
                .map(|a| Access {
                    minutes: a.minutes + m + world.settings.travel.access_fixed_minutes,
                    own: false,
                    ferry: Some(fi),
                    ..a
                })
                .collect(),
            _ => Vec::new(),
        };
    }
    land_legs(world, net, by_code, g)
}

/// The access legs of a gemeente on the mainland.
fn land_legs(
    world: &World,
    net: &Network,
    by_code: &BTreeMap<&str, usize>,
    g: &Gemeente,
) -> Vec<Access> {
    let t = &world.settings.travel;
    let stations = &world.rail.stations;
    let c = g.point;
    let straight = |s: usize| haversine_km(c, (stations[s].lat, stations[s].lon));
    let leg = |s: usize| {
        let km = straight(s);
        Access {
            station: s,
            minutes: km * t.access_detour_factor / t.access_speed_kmh * 60.0
                + t.access_fixed_minutes,
            km,
            own: false,
            ferry: None,
        }
    };
    let own: Vec<usize> = g
        .stations
        .iter()
        .filter_map(|code| by_code.get(code.as_str()).copied())
        .collect();
    // The main station: highest class, then nearest, then lowest index.
    let main = own.iter().copied().min_by(|&a, &b| {
        station_class(world, b)
            .total_cmp(&station_class(world, a))
            .then(straight(a).total_cmp(&straight(b)))
            .then(a.cmp(&b))
    });
    let mut legs: Vec<Access> = Vec::new();
    if let Some(m) = main {
        legs.push(Access {
            minutes: 0.0,
            own: true,
            ..leg(m)
        });
    }
    let others = own
        .iter()
        .copied()
        .chain(nearest_station(stations, c, |_| true))
        .chain(nearest_station(stations, c, |i| net.is_intercity(i)));
    for s in others {
        if !legs.iter().any(|l| l.station == s) {
            legs.push(leg(s));
        }
    }
    legs
}

/// The Dutch station nearest to point `c` among those `filter` admits, by an equirectangular
/// distance (exact enough at the scale of the Netherlands, and cheap); ties go to the lower
/// station index.
fn nearest_station(
    stations: &[Station],
    c: (f64, f64),
    filter: impl Fn(usize) -> bool,
) -> Option<usize> {
    let k = c.0.to_radians().cos();
    stations
        .iter()
        .enumerate()
        .filter(|(i, s)| s.dutch && filter(*i))
        .map(|(i, s)| {
            let (dy, dx) = (s.lat - c.0, (s.lon - c.1) * k);
            (i, OrderedFloat(dy * dy + dx * dx))
        })
        .min_by_key(|&(i, d)| (d, i))
        .map(|(i, _)| i)
}

/// The best combination of stations for a trip from gemeente `a` to gemeente `b`:
/// `(access leg, egress leg, total minutes)`.
fn best(
    legs: &[Vec<Access>],
    sm: &StationMatrix,
    a: usize,
    b: usize,
) -> Option<(Access, Access, f64)> {
    let mut out: Option<(Access, Access, f64)> = None;
    for x in &legs[a] {
        for y in &legs[b] {
            if let Some(m) = sm.minutes(x.station, y.station) {
                let total = x.minutes + m + y.minutes;
                if out.is_none_or(|o| total < o.2) {
                    out = Some((*x, *y, total));
                }
            }
        }
    }
    out
}

/// Computes minutes and kilometres between every pair of gemeenten.
pub fn compute(world: &World) -> Travel {
    let net = network(world);
    let sm = net.matrix();
    let legs = access_legs(world, &net);
    let n = world.gemeenten.len();
    let mut minutes = vec![f64::NAN; n * n];
    let mut km = vec![f64::NAN; n * n];
    let mut measured = vec![false; n * n];
    for a in 0..n {
        for b in 0..n {
            if a == b {
                minutes[a * n + b] = 0.0;
                km[a * n + b] = 0.0;
            } else if let Some((x, y, total)) = best(&legs, &sm, a, b) {
                minutes[a * n + b] = total;
                km[a * n + b] = sm.km[x.station * sm.n + y.station];
                measured[a * n + b] = x.own
                    && y.own
                    && net
                        .measured(x.station, y.station)
                        .is_some_and(|m| m == sm.minutes[x.station * sm.n + y.station]);
            }
        }
    }
    Travel {
        n,
        minutes,
        km,
        measured,
    }
}

/// A door-to-door trip between two gemeenten, leg by leg.
#[derive(Debug, Clone, PartialEq)]
pub struct Trip {
    pub access: Access,
    pub rail: Journey,
    pub egress: Access,
    pub minutes: f64,
}

/// The trip from gemeente `a` to gemeente `b` (indices) with its breakdown.
pub fn trip(world: &World, net: &Network, a: usize, b: usize) -> Option<Trip> {
    let legs = access_legs(world, net);
    let mut out: Option<Trip> = None;
    for x in &legs[a] {
        let js = net.journeys_from(x.station);
        for y in &legs[b] {
            if let Some(j) = &js[y.station] {
                let total = x.minutes + j.minutes + y.minutes;
                if out.as_ref().is_none_or(|o| total < o.minutes) {
                    out = Some(Trip {
                        access: *x,
                        rail: j.clone(),
                        egress: *y,
                        minutes: total,
                    });
                }
            }
        }
    }
    out
}

/// Labour-market reach: the working-age population (15 to 65, CBS) of the gemeenten within
/// `limit` minutes of each gemeente (itself included); `None` for a gemeente whose minutes to
/// every other gemeente are unknown (across water without a sourced crossing).
pub fn reach(world: &World, travel: &Travel, limit: f64) -> Vec<Option<f64>> {
    (0..travel.n)
        .map(|a| {
            let known = (0..travel.n).any(|b| b != a && travel.minutes(a, b).is_some());
            known.then(|| {
                (0..travel.n)
                    .filter(|&b| travel.minutes(a, b).is_some_and(|m| m <= limit))
                    .map(|b| world.gemeenten[b].working_age)
                    .sum()
            })
        })
        .collect()
}
