//! `travel FROM TO`: rail minutes between two places (gemeenten or stations) with their
//! breakdown, as data (its text is `templates/travel/journey.en.txt`). The rail model's cross-validation is rendered from `templates/travel/`.
//!
//! A place is a station code of `profiles/rail/stations.csv` (exact, e.g. `UT`), a gemeente code
//! (`GM0344`), a gemeente name (`Utrecht`, case does not matter) or a station code in any case
//! (`ut`), tried in that order. Between two stations the minutes are station to station; a gemeente adds its access
//! leg.

use serde::Serialize;

use crate::model::World;
use crate::rail::{self, Access, Journey, Leg};

/// A place a trip starts or ends at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    /// A station, by index.
    Station(usize),
    /// A gemeente, by index.
    Gemeente(usize),
}

/// Why a place could not be resolved, with the nearest known names.
#[derive(Debug, Clone, PartialEq)]
pub struct UnknownPlace {
    pub given: String,
    pub suggestion: Option<String>,
}

impl Place {
    /// Resolves a station code, gemeente code or gemeente name.
    pub fn resolve(world: &World, given: &str) -> Result<Place, UnknownPlace> {
        let given = given.trim();
        if let Some(s) = world.rail.stations.iter().position(|s| s.code == given) {
            return Ok(Place::Station(s));
        }
        if let Some(g) = world.gemeente_index(given) {
            return Ok(Place::Gemeente(g));
        }
        let lower = given.to_lowercase();
        if let Some(g) = world
            .gemeenten
            .iter()
            .position(|g| g.name.to_lowercase() == lower)
        {
            return Ok(Place::Gemeente(g));
        }
        if let Some(s) = world
            .rail
            .stations
            .iter()
            .position(|s| s.code.eq_ignore_ascii_case(given))
        {
            return Ok(Place::Station(s));
        }
        let names = world
            .gemeenten
            .iter()
            .map(|g| g.name.as_str())
            .chain(world.gemeenten.iter().map(|g| g.code.as_str()))
            .chain(world.rail.stations.iter().map(|s| s.code.as_str()));
        Err(UnknownPlace {
            given: given.to_string(),
            suggestion: crate::diag::did_you_mean(given, names),
        })
    }
}

/// A place as shown in the output.
#[derive(Debug, Clone, Serialize)]
pub struct PlaceRef {
    /// `station` or `gemeente`.
    pub kind: &'static str,
    pub code: String,
    pub name: String,
}

/// A leg between a gemeente's point and a station.
#[derive(Debug, Clone, Serialize)]
pub struct AccessLeg {
    pub minutes: f64,
    /// The station's code and name.
    pub station: String,
    pub station_name: String,
    /// True for the gemeente's main station (no access leg is counted).
    pub own: bool,
    /// Straight-line kilometres from the gemeente's point.
    pub km: f64,
    /// Where the gemeente's point comes from: `main-place` or `centroid`.
    pub point: &'static str,
}

/// A modelled leg of the rail journey.
#[derive(Debug, Clone, Serialize)]
pub struct ModelLeg {
    pub minutes: f64,
    pub in_train_minutes: f64,
    pub transfers: usize,
    pub transfer_minutes: f64,
    pub km: f64,
}

/// The measured part of the rail journey.
#[derive(Debug, Clone, Serialize)]
pub struct MeasuredLeg {
    pub from: String,
    pub to: String,
    pub minutes: f64,
    pub source: String,
}

/// The answer of `travel`.
#[derive(Debug, Clone, Serialize)]
pub struct TravelReport {
    pub from: PlaceRef,
    pub to: PlaceRef,
    /// Minutes in all: access, rail, egress.
    pub minutes: f64,
    /// True when the whole trip is one measured journey: no modelled rail leg, no access leg.
    pub measured: bool,
    /// The rail part: `measured`, `measured-and-modelled` or `modelled`.
    pub rail_basis: &'static str,
    /// Transfers on the modelled route (a measured journey includes its own, not counted here).
    pub transfers: usize,
    pub access: Option<AccessLeg>,
    /// Minutes between the two stations.
    pub rail_minutes: f64,
    pub from_station: String,
    pub to_station: String,
    /// The modelled leg before the measured part (the whole rail journey when nothing is measured).
    pub modelled_before: ModelLeg,
    pub measured_part: Option<MeasuredLeg>,
    /// The modelled leg after the measured part.
    pub modelled_after: ModelLeg,
    pub egress: Option<AccessLeg>,
    /// Rail kilometres along the modelled route (extra links count their fare distance).
    pub km: f64,
    pub notes: Vec<String>,
}

fn model_leg(l: &Leg, transfer: f64) -> ModelLeg {
    ModelLeg {
        minutes: l.minutes,
        in_train_minutes: l.in_train,
        transfers: l.transfers,
        transfer_minutes: l.transfers as f64 * transfer,
        km: l.km,
    }
}

fn place_ref(world: &World, p: Place) -> PlaceRef {
    match p {
        Place::Station(s) => {
            let st = &world.rail.stations[s];
            PlaceRef {
                kind: "station",
                code: st.code.clone(),
                name: st.name.clone(),
            }
        }
        Place::Gemeente(g) => {
            let gm = &world.gemeenten[g];
            PlaceRef {
                kind: "gemeente",
                code: gm.code.clone(),
                name: gm.name.clone(),
            }
        }
    }
}

fn access_leg(world: &World, g: usize, a: &Access) -> AccessLeg {
    let st = &world.rail.stations[a.station];
    AccessLeg {
        minutes: a.minutes,
        station: st.code.clone(),
        station_name: st.name.clone(),
        own: a.own,
        km: a.km,
        point: world.gemeenten[g].point_source.as_str(),
    }
}

/// The stations a place starts or ends at, with their access legs.
fn ends(legs: &[Vec<Access>], p: Place) -> Vec<Access> {
    match p {
        Place::Station(s) => vec![Access {
            station: s,
            minutes: 0.0,
            km: 0.0,
            own: true,
        }],
        Place::Gemeente(g) => legs[g].clone(),
    }
}

/// The quickest combination of access leg, rail journey and egress leg between two places,
/// with its total minutes; `None` when there is no rail route.
fn best_trip(world: &World, from: Place, to: Place) -> Option<(Access, Access, Journey, f64)> {
    let net = rail::network(world);
    let legs = rail::access_legs(world, &net);
    let mut best: Option<(Access, Access, Journey, f64)> = None;
    for x in ends(&legs, from) {
        let js = net.journeys_from(x.station);
        for y in ends(&legs, to) {
            let j = if x.station == y.station {
                Some(Journey::stay())
            } else {
                js[y.station].clone()
            };
            if let Some(j) = j {
                let total = x.minutes + j.minutes + y.minutes;
                if best.as_ref().is_none_or(|b| total < b.3) {
                    best = Some((x, y, j, total));
                }
            }
        }
    }
    best
}

/// What a trip's minutes rest on: the fitted model and, when a gemeente is an end, the access
/// leg assumption.
fn trip_notes(world: &World, from: Place, to: Place) -> Vec<String> {
    let mut notes = vec![format!(
        "in-train minutes of the model are fitted to the measured journeys ({}); {}",
        world.rail_model.measured_source, world.rail_model.source
    )];
    if matches!(from, Place::Gemeente(_)) || matches!(to, Place::Gemeente(_)) {
        let tm = &world.settings.travel;
        notes.push(format!(
            "access legs to any station but a gemeente's main station: straight-line distance x {} at {} km/h plus {} min (a modelling assumption, rules/settings.toml)",
            tm.access_detour_factor, tm.access_speed_kmh, tm.access_fixed_minutes
        ));
    }
    notes
}

/// The trip between two places with its breakdown; `None` when there is no rail route.
pub fn build(world: &World, from: Place, to: Place) -> Option<TravelReport> {
    let (x, y, j, total) = best_trip(world, from, to)?;
    let t = world.rail_model.params.transfer_minutes;
    let code = |s: usize| world.rail.stations[s].code.clone();
    let measured_part = j.measured.map(|(a, b, m)| MeasuredLeg {
        from: code(a),
        to: code(b),
        minutes: m,
        source: world.rail_model.measured_source.clone(),
    });
    let rail_basis = match (&measured_part, j.fully_measured()) {
        (Some(_), true) => "measured",
        (Some(_), false) => "measured-and-modelled",
        (None, _) => "modelled",
    };
    let side = |p: Place, a: &Access| match p {
        Place::Gemeente(g) => Some(access_leg(world, g, a)),
        Place::Station(_) => None,
    };
    let notes = trip_notes(world, from, to);
    Some(TravelReport {
        from: place_ref(world, from),
        to: place_ref(world, to),
        minutes: total,
        measured: rail_basis == "measured" && x.minutes == 0.0 && y.minutes == 0.0,
        rail_basis,
        transfers: j.route.transfers,
        access: side(from, &x),
        rail_minutes: j.minutes,
        from_station: code(x.station),
        to_station: code(y.station),
        modelled_before: model_leg(&j.before, t),
        measured_part,
        modelled_after: model_leg(&j.after, t),
        egress: side(to, &y),
        km: j.route.km,
        notes,
    })
}
