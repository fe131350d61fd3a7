//! A gemeente's profile as the engine sees it (`gemeente <name or code>`): the gemeente-level
//! figures every advice uses, each with its source, reference date and evidence label.

use super::Engine;
use crate::advice::gemeente::{GemeenteProfile, ProfileFigure, ProfileSite, ProfileStation};
use crate::model::{Figure, PointSource};
use crate::rail;
use crate::rules::Attr;

impl Engine {
    /// The profile of gemeente `i` (an index into `World::gemeenten`).
    pub fn profile(&self, i: usize) -> GemeenteProfile {
        let w = &self.world;
        let g = &w.gemeenten[i];
        let prov = w.province(&g.province);
        let corop = w
            .corops
            .binary_search_by(|c| c.code.as_str().cmp(&g.corop))
            .ok()
            .map(|k| &w.corops[k]);
        let mut figures = self.cbs_figures(i);
        figures.extend(self.rail_figures(i));
        figures.extend(self.class_figures(i));
        if let Some(p) = prov {
            figures.push(documented(
                Attr::LocUnemployment,
                "unemployment rate (province)",
                Some(p.unemployment_rate.value),
                Some(&p.unemployment_rate),
            ));
            figures.push(documented(
                Attr::LocHigherEducated,
                "higher-educated share (province)",
                Some(p.higher_educated_share.value),
                Some(&p.higher_educated_share),
            ));
        }
        GemeenteProfile {
            code: g.code.clone(),
            name: g.name.clone(),
            province: g.province.clone(),
            province_name: prov.map_or(g.province.clone(), |p| p.name.clone()),
            randstad: w.in_randstad(&g.province),
            under_served: w.settings.under_served.contains(&g.province),
            corop: g.corop.clone(),
            corop_name: corop.map_or(g.corop.clone(), |c| c.name.clone()),
            main_place: g.main_place.clone(),
            point: g.point,
            point_from: match g.point_source {
                PointSource::MainPlace => "main place",
                PointSource::Centroid => "polygon centroid",
            }
            .into(),
            stations: self.profile_stations(i),
            sites: self.profile_sites(i),
            figures,
        }
    }

    /// The gemeente's own stations, its main station marked.
    fn profile_stations(&self, i: usize) -> Vec<ProfileStation> {
        let w = &self.world;
        let net = rail::network(w);
        let legs = rail::access_legs(w, &net);
        let main = legs[i].iter().find(|a| a.own).map(|a| a.station);
        w.gemeenten[i]
            .stations
            .iter()
            .filter_map(|code| w.rail.stations.iter().position(|s| &s.code == code))
            .map(|s| {
                let st = &w.rail.stations[s];
                ProfileStation {
                    code: st.code.clone(),
                    name: st.name.clone(),
                    kind: if st.service.is_empty() {
                        "untyped".into()
                    } else {
                        st.service.clone()
                    },
                    class: rail::station_class(w, s),
                    main: main == Some(s),
                }
            })
            .collect()
    }

    /// The documented government sites in the gemeente.
    fn profile_sites(&self, i: usize) -> Vec<ProfileSite> {
        let w = &self.world;
        w.presence
            .sites
            .iter()
            .filter(|s| s.gemeente == w.gemeenten[i].code)
            .map(|s| {
                let kind = w.presence.kinds.iter().find(|k| k.id == s.kind);
                ProfileSite {
                    kind: s.kind.clone(),
                    title: kind.map_or(s.kind.clone(), |k| k.title.clone()),
                    organisation: s.organisation.clone(),
                    description: s.description.clone(),
                    source: s.source.clone(),
                    source_date: s.source_date.clone(),
                    evidence: s.evidence.clone(),
                }
            })
            .collect()
    }

    /// CBS figures of the gemeente: population, working age, WOZ value.
    fn cbs_figures(&self, i: usize) -> Vec<ProfileFigure> {
        let w = &self.world;
        let g = &w.gemeenten[i];
        let prov_fig = |name: &str| w.gemeente_provenance.get(name);
        vec![
            documented(
                Attr::LocPopulation,
                "population",
                Some(g.population),
                prov_fig("population"),
            ),
            ProfileFigure {
                attribute: "working_age".into(),
                ..documented(
                    Attr::LocPopulation,
                    "of which aged 15 to 65",
                    Some(g.working_age),
                    prov_fig("working_age"),
                )
            },
            documented(Attr::LocWoz, "average WOZ value", g.woz, prov_fig("woz")),
        ]
    }

    /// Figures from rail minutes: labour reach, minutes to the three cities and to the nearest
    /// government site, each measured or modelled.
    fn rail_figures(&self, i: usize) -> Vec<ProfileFigure> {
        let w = &self.world;
        let t = &w.settings.travel;
        let model = w.rail_model.source.clone();
        let mut figures = vec![ProfileFigure {
            attribute: Attr::LocLabourReach.name().into(),
            title: format!("aged 15 to 65 within {} minutes by rail", t.reach_minutes),
            value: self.reach[i],
            unit: "people".into(),
            source: format!(
                "CBS population aged 15 to 65 of the gemeenten within reach; rail minutes: {model}"
            ),
            reference_date: "population 2024-01-01".into(),
            label: "estimate".into(),
            note: Some("which gemeenten are within reach is a model output".into()),
        }];
        for (attr, title, target) in [
            (
                Attr::LocMinutesDenHaag,
                "rail minutes to Den Haag",
                self.den_haag,
            ),
            (
                Attr::LocMinutesUtrecht,
                "rail minutes to Utrecht",
                self.utrecht,
            ),
            (
                Attr::LocMinutesAmsterdam,
                "rail minutes to Amsterdam",
                self.amsterdam,
            ),
        ] {
            if let Some(j) = target {
                figures.push(self.minutes_figure(i, j, attr, title));
            }
        }
        // A gemeente across water without a sourced crossing: every rail figure says why.
        let across =
            crate::rail::travel::unknown_crossing(w, crate::rail::travel::Place::Gemeente(i));
        if let Some(why) = &across {
            for f in figures.iter_mut().filter(|f| f.value.is_none()) {
                f.note = Some(why.clone());
            }
        }
        let gov = self.minutes_government[i];
        figures.push(ProfileFigure {
            attribute: Attr::LocMinutesGovernment.name().into(),
            title: "rail minutes to the nearest government site".into(),
            value: gov.map(f64::round),
            unit: "min".into(),
            source: format!("profiles/rijksaanwezigheid.toml; rail minutes: {model}"),
            reference_date: "sites 2005-2025".into(),
            label: if gov.is_some_and(|m| m > 0.0) {
                "estimate"
            } else {
                "derived"
            }
            .into(),
            note: gov.is_none().then(|| across.clone()).flatten(),
        });
        figures
    }

    /// Rail minutes from gemeente `i` to gemeente `j`: measured (published) or modelled.
    fn minutes_figure(&self, i: usize, j: usize, attr: Attr, title: &str) -> ProfileFigure {
        let w = &self.world;
        let measured = i == j || self.travel.measured(i, j);
        ProfileFigure {
            attribute: attr.name().into(),
            title: title.into(),
            value: self.travel.minutes(i, j).map(f64::round),
            unit: "min".into(),
            source: if i == j {
                "the location itself".into()
            } else if measured {
                w.rail_model.measured_source.clone()
            } else {
                w.rail_model.source.clone()
            },
            reference_date: if i == j {
                String::new()
            } else if measured {
                "journeys 2019-09-30".into()
            } else {
                "journeys 2019-09-30, network 2022-01".into()
            },
            label: if measured { "published" } else { "estimate" }.into(),
            note: None,
        }
    }

    /// Where the station class of gemeente `i` comes from: the service level of its best station.
    fn class_source(&self, i: usize) -> String {
        let w = &self.world;
        let best = w.gemeenten[i]
            .stations
            .iter()
            .filter_map(|c| w.rail.stations.iter().position(|s| &s.code == c))
            .max_by(|&a, &b| {
                crate::rail::station_class(w, a).total_cmp(&crate::rail::station_class(w, b))
            });
        match best {
            Some(s) if !w.rail.stations[s].service_source.is_empty() => format!(
                "{} ({}); classes: rules/settings.toml",
                w.rail.stations[s].service_source, w.rail.stations[s].code
            ),
            Some(_) => {
                "station opened after 2017, without a type; classes: rules/settings.toml".into()
            }
            None => "no station of its own (profiles/rail/stations.csv)".into(),
        }
    }

    /// The station class and the government presence class.
    fn class_figures(&self, i: usize) -> Vec<ProfileFigure> {
        vec![
            ProfileFigure {
                attribute: Attr::LocStationClass.name().into(),
                title: "station class (0 none .. 3 megastation)".into(),
                value: Some(self.station_class[i]),
                unit: String::new(),
                source: self.class_source(i),
                reference_date: "2017-01 (RDT), 2019 (NS)".into(),
                label: "derived".into(),
                note: None,
            },
            ProfileFigure {
                attribute: Attr::LocPresence.name().into(),
                title: "government presence class (0 .. 3)".into(),
                value: Some(self.presence[i]),
                unit: String::new(),
                source: "profiles/rijksaanwezigheid.toml (sources per site)".into(),
                reference_date: "2005-2025".into(),
                label: "derived".into(),
                note: None,
            },
        ]
    }
}

/// A figure as documented in the profiles (its unit, source, date and label); an undocumented
/// one is an estimate.
fn documented(attr: Attr, title: &str, value: Option<f64>, f: Option<&Figure>) -> ProfileFigure {
    ProfileFigure {
        attribute: attr.name().into(),
        title: title.into(),
        value,
        unit: f.map_or(String::new(), |f| f.unit.clone()),
        source: f.map_or("not documented".into(), |f| f.source.clone()),
        reference_date: f.map_or(String::new(), |f| f.reference_date.clone()),
        label: f.map_or("estimate".into(), |f| f.label.as_str().into()),
        note: f.and_then(|f| f.note.clone()),
    }
}
