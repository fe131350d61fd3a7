//! `travel FROM TO`: rail minutes between two places (gemeenten or stations) with their
//! breakdown, as data (its text is `templates/travel/journey.en.txt`). The rail model's cross-validation is rendered from `templates/travel/`.
//!
//! A place is a station code of `profiles/rail/stations.csv` (exact, e.g. `UT`; the NS codes of
//! 2019 work beside the RDT codes of 2017), a gemeente code (`GM0344`), a gemeente name
//! (`Utrecht`; case and accents do not matter, a shared name is an error listing its gemeenten)
//! or a station code in any case (`ut`), tried in that order. Between two stations the minutes are station to station; a gemeente adds its access
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

/// Why a place could not be resolved: nothing matched (with the nearest known name, if any), or
/// a name matched several gemeenten (`matches`, each with its code and province).
#[derive(Debug, Clone, PartialEq)]
pub struct UnknownPlace {
    pub given: String,
    pub suggestion: Option<String>,
    pub matches: Vec<String>,
}

impl UnknownPlace {
    /// The one-line problem: `unknown place `X`` or ``X` names 2 gemeenten: ...`.
    pub fn message(&self) -> String {
        if self.matches.is_empty() {
            format!("unknown place `{}`", self.given)
        } else {
            format!(
                "`{}` names {} gemeenten: {}",
                self.given,
                self.matches.len(),
                self.matches.join("; ")
            )
        }
    }

    /// What was expected instead.
    pub fn expected(&self) -> &'static str {
        if self.matches.is_empty() {
            "a station code (`UT`, RDT 2017 or NS 2019), a gemeente code (`GM0344`) or a gemeente name (`Utrecht`)"
        } else {
            "one of their codes (or the full name with the province suffix)"
        }
    }
}

impl Place {
    /// Resolves a station code (the RDT code of 2017 or the NS code of 2019), a gemeente code or
    /// a gemeente name. A name shared by several gemeenten is an error that lists them.
    pub fn resolve(world: &World, given: &str) -> Result<Place, UnknownPlace> {
        let given = given.trim();
        let stations = &world.rail.stations;
        let by_code = |exact: bool| {
            stations.iter().position(|s| {
                let eq = |c: &str| {
                    if exact {
                        c == given
                    } else {
                        c.eq_ignore_ascii_case(given)
                    }
                };
                eq(&s.code) || s.ns_code.as_deref().is_some_and(eq)
            })
        };
        if let Some(s) = by_code(true) {
            return Ok(Place::Station(s));
        }
        let found = world.find_gemeenten(given);
        match found.len() {
            1 => return Ok(Place::Gemeente(found[0])),
            0 => {}
            _ => {
                return Err(UnknownPlace {
                    given: given.to_string(),
                    suggestion: None,
                    matches: found.iter().map(|&i| world.gemeente_label(i)).collect(),
                });
            }
        }
        if let Some(s) = by_code(false) {
            return Ok(Place::Station(s));
        }
        let suggestion = if crate::model::is_gemeente_code(given) {
            None
        } else {
            let names = world
                .gemeenten
                .iter()
                .map(|g| g.name.as_str())
                .chain(world.gemeenten.iter().map(|g| g.code.as_str()))
                .chain(stations.iter().map(|s| s.code.as_str()));
            crate::diag::did_you_mean(given, names)
        };
        Err(UnknownPlace {
            given: given.to_string(),
            suggestion,
            matches: Vec::new(),
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
    /// The ferry crossing of a gemeente across water, part of `minutes`; `km` is then measured
    /// from the mainland port's point.
    pub ferry: Option<FerryLeg>,
}

/// A ferry crossing on the way to or from a gemeente across water, with its source.
#[derive(Debug, Clone, Serialize)]
pub struct FerryLeg {
    /// The published crossing time.
    pub minutes: f64,
    /// The fixed wait counted with it (the access leg's wait, rules/settings.toml).
    pub wait_minutes: f64,
    /// The mainland gemeente of the quay.
    pub port: String,
    pub operator: String,
    pub service: String,
    pub source: String,
    pub source_date: String,
    /// V primary or official source, N secondary source.
    pub evidence: String,
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
    let ferry = a.ferry.map(|fi| {
        let f = &world.ferries[fi];
        let port = f
            .port
            .as_deref()
            .and_then(|p| world.gemeente_index(p))
            .map_or(String::new(), |p| world.gemeenten[p].name.clone());
        FerryLeg {
            minutes: f.minutes.unwrap_or(f64::NAN),
            wait_minutes: world.settings.travel.access_fixed_minutes,
            port,
            operator: f.operator.clone(),
            service: f.service.clone(),
            source: f.source.clone(),
            source_date: f.source_date.clone(),
            evidence: f.evidence.clone(),
        }
    });
    AccessLeg {
        minutes: a.minutes,
        station: st.code.clone(),
        station_name: st.name.clone(),
        own: a.own,
        km: a.km,
        point: world.gemeenten[g].point_source.as_str(),
        ferry,
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
            ferry: None,
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

/// Why a gemeente across water has no minutes: it is listed without a sourced crossing
/// (`profiles/rail/ferries.csv`). `None` for any other place.
pub fn unknown_crossing(world: &World, p: Place) -> Option<String> {
    let Place::Gemeente(g) = p else {
        return None;
    };
    let g = &world.gemeenten[g];
    let f = world.ferries.iter().find(|f| f.gemeente == g.code)?;
    f.minutes.is_none().then(|| {
        format!(
            "{} ({}) lies across water and no crossing time is sourced: {}",
            g.name, g.code, f.note
        )
    })
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
