//! The advice pipeline: candidates, hard requirements, criterion values, value functions,
//! weights, principle adjustments, deterministic ranking, alternatives, comply-or-explain and,
//! for shrink cases, the split of the reduction.
//!
//! Ranking rule: higher score first; equal scores (exactly equal f64) are ordered by gemeente code,
//! ascending. Scores are absolute: a location's score depends only on the case, the world and the
//! location itself, never on the other candidates.

use std::cmp::Reverse;
use std::collections::BTreeMap;

use ordered_float::OrderedFloat;

use sha2::{Digest, Sha256};

use super::rail::{self, Travel};
use super::robustness::{self, RobustnessOverrides};
use crate::config::hex;
use crate::model::{Case, CaseKind, Effect, Missing, World};
use crate::report::model::*;
use crate::rules::{Attr, Facts, Predicate, Value};

/// The world with the travel matrix and per-gemeente figures computed once.
pub struct Engine {
    pub world: World,
    pub travel: Travel,
    reach: Vec<f64>,
    station_class: Vec<f64>,
    presence: Vec<f64>,
    den_haag: Option<usize>,
    utrecht: Option<usize>,
    amsterdam: Option<usize>,
}

/// Options of one run that are not in the case file.
#[derive(Debug, Clone, Default)]
pub struct RunOptions {
    /// Principles switched off on the command line (on top of the case's own list).
    pub disable: Vec<String>,
    /// Overrides of the robustness settings.
    pub robustness: RobustnessOverrides,
}

/// Dutch and English text of one message.
fn bi(en: impl Into<String>, nl: impl Into<String>) -> (String, String) {
    (en.into(), nl.into())
}

fn fmt_num(x: f64) -> String {
    if x.fract() == 0.0 {
        format!("{x:.0}")
    } else {
        format!("{x:.1}")
    }
}

impl Engine {
    /// Prepares the engine: the all-pairs travel computation and the per-gemeente figures.
    pub fn new(world: World) -> Engine {
        let travel = rail::compute(&world);
        let reach = rail::reach(&world, &travel, world.settings.travel.reach_minutes);
        let by_code: std::collections::BTreeMap<&str, usize> = world
            .rail
            .stations
            .iter()
            .enumerate()
            .map(|(i, s)| (s.code.as_str(), i))
            .collect();
        let station_class = world
            .gemeenten
            .iter()
            .map(|g| {
                g.stations
                    .iter()
                    .filter_map(|c| by_code.get(c.as_str()))
                    .map(|&s| rail::station_class(&world, s))
                    .fold(0.0, f64::max)
            })
            .collect();
        let presence = world
            .gemeenten
            .iter()
            .map(|g| world.presence.class(&g.code))
            .collect();
        Engine {
            den_haag: world.gemeente_index("GM0518"),
            utrecht: world.gemeente_index("GM0344"),
            amsterdam: world.gemeente_index("GM0363"),
            travel,
            reach,
            station_class,
            presence,
            world,
        }
    }

    fn case_facts(&self, case: &Case) -> Facts {
        let s = &self.world.settings;
        let mut f = Facts::default();
        f.set(Attr::CaseKind, Value::Text(case.kind.as_str().into()));
        f.set(Attr::CaseSector, Value::Text(case.sector.clone()));
        f.set(Attr::CaseMinistry, Value::Text(case.ministry.clone()));
        f.set(Attr::CaseFte, Value::Number(case.fte));
        f.set(Attr::CaseAboveAdvice, Value::Bool(case.fte >= s.advice_fte));
        f.set(
            Attr::CaseAboveReporting,
            Value::Bool(case.fte >= s.reporting_fte),
        );
        f.set(Attr::CasePolicyCore, Value::Bool(case.policy_core));
        f.set(Attr::CaseHasThemes, Value::Bool(!case.themes.is_empty()));
        f.set(
            Attr::CaseHasRequirements,
            Value::Bool(case.requirements.any()),
        );
        f
    }

    /// The reasons a location fails the case's requirements (empty when it meets them all).
    fn requirement_failures(&self, case: &Case, i: usize) -> Vec<(String, String)> {
        let g = &self.world.gemeenten[i];
        let r = &case.requirements;
        let mut out = Vec::new();
        if r.exclude_locations.contains(&g.code) {
            out.push(bi(
                "the case excludes this location",
                "de casus sluit deze locatie uit",
            ));
        }
        for (to, max) in &r.max_rail_minutes {
            let Some(j) = self.world.gemeente_index(to) else {
                continue;
            };
            let name = &self.world.gemeenten[j].name;
            match self.travel.minutes(i, j) {
                Some(m) if m <= *max => {}
                Some(m) => out.push(bi(
                    format!(
                        "{} rail minutes to {name} ({to}), more than the required {}",
                        fmt_num(m),
                        fmt_num(*max)
                    ),
                    format!(
                        "{} reisminuten per trein naar {name} ({to}), meer dan de vereiste {}",
                        fmt_num(m),
                        fmt_num(*max)
                    ),
                )),
                None => out.push(bi(
                    format!("rail minutes to {name} ({to}) unknown (no rail route)"),
                    format!("reistijd naar {name} ({to}) onbekend (geen spoorroute)"),
                )),
            }
        }
        if let Some(min) = r.min_station_class {
            let c = self.station_class[i];
            if c < min {
                out.push(bi(
                    format!(
                        "station class {} is below the required {}",
                        fmt_num(c),
                        fmt_num(min)
                    ),
                    format!(
                        "stationsklasse {} is lager dan de vereiste {}",
                        fmt_num(c),
                        fmt_num(min)
                    ),
                ));
            }
        }
        out
    }

    fn location_facts(&self, case: &Case, base: &Facts, i: usize, meets: bool) -> Facts {
        let w = &self.world;
        let g = &w.gemeenten[i];
        let prov = w.province(&g.province);
        let mut f = base.clone();
        f.set(Attr::LocCode, Value::Text(g.code.clone()));
        f.set(Attr::LocProvince, Value::Text(g.province.clone()));
        f.set(Attr::LocCorop, Value::Text(g.corop.clone()));
        f.set(Attr::LocRandstad, Value::Bool(w.in_randstad(&g.province)));
        f.set(
            Attr::LocUnderServed,
            Value::Bool(w.settings.under_served.contains(&g.province)),
        );
        f.set(
            Attr::LocCurrent,
            Value::Bool(case.current_locations.contains(&g.code)),
        );
        f.set(Attr::LocMeetsRequirements, Value::Bool(meets));
        if let Some(p) = prov {
            let hits = case.themes.iter().filter(|t| p.themes.contains(t)).count();
            f.set(Attr::LocThemeMatch, Value::Bool(hits > 0));
            if !case.themes.is_empty() {
                f.set(
                    Attr::LocThemeFit,
                    Value::Number(hits as f64 / case.themes.len() as f64),
                );
            }
            f.set(
                Attr::LocUnemployment,
                Value::Number(p.unemployment_rate.value),
            );
            f.set(
                Attr::LocHigherEducated,
                Value::Number(p.higher_educated_share.value),
            );
        }
        f.set(Attr::LocPresence, Value::Number(self.presence[i]));
        f.set(Attr::LocStationClass, Value::Number(self.station_class[i]));
        for (attr, target) in [
            (Attr::LocMinutesDenHaag, self.den_haag),
            (Attr::LocMinutesUtrecht, self.utrecht),
            (Attr::LocMinutesAmsterdam, self.amsterdam),
        ] {
            if let Some(m) = target.and_then(|j| self.travel.minutes(i, j)) {
                f.set(attr, Value::Number(m));
            }
        }
        f.set(Attr::LocPopulation, Value::Number(g.population));
        f.set(Attr::LocLabourReach, Value::Number(self.reach[i]));
        if let Some(woz) = g.woz {
            f.set(Attr::LocWoz, Value::Number(woz));
        }
        f
    }

    /// True when the figure behind an attribute is an estimate, a proxy or a model output.
    fn is_estimate(&self, attr: Attr, i: usize) -> bool {
        let w = &self.world;
        let g = &w.gemeenten[i];
        let prov = w.province(&g.province);
        // Minutes to the location itself (0) and measured journeys are not estimates.
        let modelled =
            |target: Option<usize>| target.is_none_or(|j| j != i && !self.travel.measured(i, j));
        match attr {
            Attr::LocMinutesDenHaag => modelled(self.den_haag),
            Attr::LocMinutesUtrecht => modelled(self.utrecht),
            Attr::LocMinutesAmsterdam => modelled(self.amsterdam),
            // Reach counts CBS populations within modelled minutes: a model output.
            Attr::LocLabourReach => true,
            Attr::LocThemeFit | Attr::LocThemeMatch => {
                prov.is_some_and(|p| p.profile_status != "ingediend")
            }
            Attr::LocHigherEducated => prov.is_some_and(|p| p.higher_educated_share.is_estimate()),
            Attr::LocUnemployment => prov.is_some_and(|p| p.unemployment_rate.is_estimate()),
            Attr::LocWoz => w
                .gemeente_provenance
                .get("woz")
                .is_none_or(|f| f.is_estimate()),
            Attr::LocPopulation => w
                .gemeente_provenance
                .get("population")
                .is_some_and(|f| f.is_estimate()),
            _ => false,
        }
    }

    /// Runs the advice pipeline for one case.
    pub fn advise(&self, case: &Case, opts: &RunOptions) -> Advice {
        self.advise_with_progress(case, opts, &|_| {})
    }

    /// Runs the advice pipeline; `progress` hears how many robustness samples are done.
    pub fn advise_with_progress(
        &self,
        case: &Case,
        opts: &RunOptions,
        progress: &(dyn Fn(u64) + Sync),
    ) -> Advice {
        let w = &self.world;
        let span = tracing::info_span!("advise", case = %case.id);
        let _guard = span.enter();
        let base = self.case_facts(case);
        let shrink = case.kind == CaseKind::Shrink;
        let disabled = |id: &str| {
            case.disabled_principles.iter().any(|d| d == id) || opts.disable.iter().any(|d| d == id)
        };
        // Principles whose condition holds for this case.
        let active: Vec<bool> = w
            .principles
            .iter()
            .map(|p| !disabled(&p.id) && p.when.as_ref().is_none_or(|c| c.eval(&base)))
            .collect();
        let mut affected = vec![0usize; w.principles.len()];
        let mut flags: Vec<Flag> = Vec::new();

        // Weights, normalised.
        let raw_weights: Vec<f64> = w
            .criteria
            .iter()
            .map(|c| case.weights.get(&c.id).copied().unwrap_or(c.weight))
            .collect();
        let total: f64 = raw_weights.iter().sum();
        let weights: Vec<f64> = raw_weights.iter().map(|x| x / total).collect();

        // Candidates, in gemeente-code order.
        let candidates: Vec<usize> = match (&case.candidates, case.kind) {
            (_, CaseKind::Shrink) => sorted_indices(w, &case.current_locations),
            (Some(list), _) => sorted_indices(w, list),
            (None, _) => (0..w.gemeenten.len()).collect(),
        };

        let mut ranking = Vec::new();
        let mut excluded = Vec::new();
        let mut missing_count: BTreeMap<&str, usize> = BTreeMap::new();
        for &i in &candidates {
            let g = &w.gemeenten[i];
            let failures = self.requirement_failures(case, i);
            let facts = self.location_facts(case, &base, i, failures.is_empty());
            let mut reasons: Vec<Reason> = Vec::new();
            if case.kind == CaseKind::Relocation && case.current_locations.contains(&g.code) {
                reasons.push(Reason {
                    by: "engine".into(),
                    message: "current location: a relocation moves away from it".into(),
                    message_nl: "huidige locatie: een verplaatsing gaat hier juist vandaan".into(),
                });
            }
            for (k, p) in w.principles.iter().enumerate() {
                if let (true, Effect::Require { target }) = (active[k], &p.effect)
                    && !target.eval(&facts)
                {
                    affected[k] += 1;
                    if matches!(
                        target,
                        Predicate::Cmp {
                            attr: Attr::LocMeetsRequirements,
                            ..
                        }
                    ) {
                        for (en, nl) in &failures {
                            reasons.push(Reason {
                                by: p.id.clone(),
                                message: en.clone(),
                                message_nl: nl.clone(),
                            });
                        }
                    } else {
                        reasons.push(Reason {
                            by: p.id.clone(),
                            message: format!(
                                "fails `{}`{}",
                                target.describe(),
                                shown_values(target, &facts)
                            ),
                            message_nl: format!(
                                "voldoet niet aan `{}`{}",
                                target.describe(),
                                shown_values(target, &facts)
                            ),
                        });
                    }
                }
            }
            let mut contributions = Vec::new();
            for (k, c) in w.criteria.iter().enumerate() {
                let raw = facts.number(c.attribute);
                let (value, missing) = match raw {
                    Some(x) => (c.value_function.eval(x), None),
                    None => {
                        *missing_count.entry(c.id.as_str()).or_default() += 1;
                        match c.missing {
                            Missing::Exclude => {
                                reasons.push(Reason {
                                    by: c.id.clone(),
                                    message: format!("figure `{}` is missing and the criterion excludes on missing data", c.attribute.name()),
                                    message_nl: format!("gegeven `{}` ontbreekt en het criterium sluit dan uit", c.attribute.name()),
                                });
                                (0.0, Some(c.missing))
                            }
                            Missing::Worst => (0.0, Some(c.missing)),
                            Missing::Neutral => (0.5, Some(c.missing)),
                        }
                    }
                };
                let value = if shrink { 1.0 - value } else { value };
                contributions.push(Contribution {
                    criterion: c.id.clone(),
                    raw,
                    value,
                    weight: weights[k],
                    contribution: weights[k] * value,
                    estimate: raw.is_some() && self.is_estimate(c.attribute, i),
                    missing: missing.map(|m| m.as_str().to_string()),
                });
            }
            if !reasons.is_empty() {
                for r in &reasons {
                    tracing::debug!(location = %g.code, by = %r.by, "excluded: {}", r.message);
                }
                excluded.push(Excluded {
                    location: g.code.clone(),
                    name: g.name.clone(),
                    province: g.province.clone(),
                    reasons,
                });
                continue;
            }
            let mut adjustments = Vec::new();
            for (k, p) in w.principles.iter().enumerate() {
                if let (true, Effect::Adjust { target, delta }) = (active[k], &p.effect)
                    && target.eval(&facts)
                {
                    affected[k] += 1;
                    adjustments.push(Adjustment {
                        principle: p.id.clone(),
                        delta: *delta,
                    });
                }
            }
            // Folds from +0.0 (a float `sum()` starts at -0.0, which would print as `-0`).
            let score = contributions.iter().fold(0.0, |s, c| s + c.contribution)
                + adjustments.iter().fold(0.0, |s, a| s + a.delta);
            ranking.push(Ranked {
                rank: 0,
                location: g.code.clone(),
                name: g.name.clone(),
                province: g.province.clone(),
                randstad: w.in_randstad(&g.province),
                current: case.current_locations.contains(&g.code),
                score,
                contributions,
                adjustments,
                travel: case
                    .requirements
                    .max_rail_minutes
                    .keys()
                    .filter_map(|to| w.gemeente_index(to))
                    .map(|j| TravelTime {
                        to: w.gemeenten[j].code.clone(),
                        name: w.gemeenten[j].name.clone(),
                        minutes: self.travel.minutes(i, j),
                        measured: i == j || self.travel.measured(i, j),
                        km: self.travel.km(i, j),
                    })
                    .collect(),
            });
        }
        // Higher score first; equal scores by gemeente code (the documented tie rule).
        ranking.sort_by(|a, b| {
            (Reverse(OrderedFloat(a.score)), &a.location)
                .cmp(&(Reverse(OrderedFloat(b.score)), &b.location))
        });
        for (r, item) in ranking.iter_mut().enumerate() {
            item.rank = r + 1;
        }

        for (id, n) in &missing_count {
            let c = w
                .criteria
                .iter()
                .find(|c| c.id == *id)
                .expect("criterion of the world");
            flags.push(Flag {
                by: "engine".into(),
                message: format!("{n} candidate location(s) miss the figure for `{id}`; missing-data policy `{}`", c.missing.as_str()),
                message_nl: format!("{n} kandidaatlocatie(s) missen het gegeven voor `{id}`; beleid bij ontbreken: `{}`", c.missing.as_str()),
            });
        }

        // Flags, alternatives, comply-or-explain.
        let mut shortlist_min = 3;
        let mut outside_min = 0;
        let mut alternatives_by: Option<String> = None;
        let mut motivations = Vec::new();
        for (k, p) in w.principles.iter().enumerate() {
            if !active[k] {
                continue;
            }
            match &p.effect {
                Effect::Flag {
                    message,
                    message_en,
                } => {
                    affected[k] = affected[k].max(1);
                    flags.push(Flag {
                        by: p.id.clone(),
                        message: message_en.clone(),
                        message_nl: message.clone(),
                    });
                }
                Effect::Alternatives {
                    min,
                    outside_randstad,
                } => {
                    shortlist_min = *min;
                    outside_min = *outside_randstad;
                    alternatives_by = Some(p.id.clone());
                }
                Effect::Explain { target } => {
                    if let Some(pref) = &case.preferred_location
                        && let Some(i) = w.gemeente_index(pref)
                    {
                        let failures = self.requirement_failures(case, i);
                        let facts = self.location_facts(case, &base, i, failures.is_empty());
                        if !target.eval(&facts) {
                            affected[k] += 1;
                            let text = case.motivation.get(&p.id).cloned();
                            motivations.push(Motivation {
                                principle: p.id.clone(),
                                location: pref.clone(),
                                given: text.is_some(),
                                text,
                            });
                        }
                    } else if let Some(top) = ranking.first() {
                        let i = w
                            .gemeente_index(&top.location)
                            .expect("ranked location exists");
                        let facts = self.location_facts(case, &base, i, true);
                        if !target.eval(&facts) {
                            affected[k] += 1;
                            flags.push(Flag {
                                by: p.id.clone(),
                                message: format!("the best-scoring location {} fails `{}` of principle `{}`: if it is chosen, the choice needs a motivation (comply or explain)", top.name, target.describe(), p.id),
                                message_nl: format!("de hoogst scorende locatie {} voldoet niet aan `{}` van principe `{}`: wie haar kiest, motiveert dat (pas toe of leg uit)", top.name, target.describe(), p.id),
                            });
                        }
                    }
                }
                Effect::Require { .. } | Effect::Adjust { .. } => {}
            }
        }
        if let Some(pref) = &case.preferred_location
            && let Some(x) = excluded.iter().find(|x| &x.location == pref)
        {
            flags.push(Flag {
                by: "engine".into(),
                message: format!(
                    "the preferred location {} is excluded: {}",
                    x.name,
                    x.reasons
                        .iter()
                        .map(|r| r.message.as_str())
                        .collect::<Vec<_>>()
                        .join("; ")
                ),
                message_nl: format!(
                    "de voorkeurslocatie {} is uitgesloten: {}",
                    x.name,
                    x.reasons
                        .iter()
                        .map(|r| r.message_nl.as_str())
                        .collect::<Vec<_>>()
                        .join("; ")
                ),
            });
        }

        let mut shortlist: Vec<ShortlistItem> = ranking
            .iter()
            .take(shortlist_min)
            .map(|r| ShortlistItem {
                location: r.location.clone(),
                name: r.name.clone(),
                rank: r.rank,
                randstad: r.randstad,
                reason: "top".into(),
            })
            .collect();
        if let Some(by) = &alternatives_by {
            let k = w
                .principles
                .iter()
                .position(|p| &p.id == by)
                .expect("principle exists");
            affected[k] = affected[k].max(usize::from(!ranking.is_empty()));
            let mut outside = shortlist.iter().filter(|s| !s.randstad).count();
            for r in ranking.iter().filter(|r| !r.randstad) {
                if outside >= outside_min {
                    break;
                }
                if shortlist.iter().all(|s| s.location != r.location) {
                    shortlist.push(ShortlistItem {
                        location: r.location.clone(),
                        name: r.name.clone(),
                        rank: r.rank,
                        randstad: false,
                        reason: by.clone(),
                    });
                    outside += 1;
                }
            }
            if ranking.len() < shortlist_min {
                flags.push(Flag {
                    by: by.clone(),
                    message: format!("only {} feasible location(s): fewer than the {} alternatives the principle asks for", ranking.len(), shortlist_min),
                    message_nl: format!("slechts {} haalbare locatie(s): minder dan de {} alternatieven die het principe vraagt", ranking.len(), shortlist_min),
                });
            }
            if ranking.len() < shortlist_min || outside < outside_min {
                affected[k] = affected[k].max(1);
            }
            if outside < outside_min {
                flags.push(Flag {
                    by: by.clone(),
                    message: "no feasible location outside the Randstad".into(),
                    message_nl: "geen haalbare locatie buiten de Randstad".into(),
                });
            }
        }
        if ranking.is_empty() {
            flags.push(Flag {
                by: "engine".into(),
                message: format!("every one of the {} candidate locations is excluded; see the reasons per location", candidates.len()),
                message_nl: format!("alle {} kandidaatlocaties zijn uitgesloten; zie de redenen per locatie", candidates.len()),
            });
        }

        let shrink_split = shrink.then(|| self.split(case, &ranking, &mut flags));
        let complete = motivations.iter().all(|m| m.given);
        if !complete {
            flags.push(Flag {
                by: "engine".into(),
                message: "the advice is incomplete: a comply-or-explain motivation is missing".into(),
                message_nl: "het advies is onvolledig: een motivering (pas toe of leg uit) ontbreekt".into(),
            });
        }

        let principles = w
            .principles
            .iter()
            .enumerate()
            .map(|(k, p)| PrincipleUse {
                id: p.id.clone(),
                title: p.title.clone(),
                status: p.status.as_str().into(),
                effect: p.effect.kind().into(),
                applied: active[k] && affected[k] > 0,
                disabled: disabled(&p.id),
                locations_affected: match p.effect {
                    Effect::Require { .. } | Effect::Adjust { .. } => affected[k],
                    _ => 0,
                },
                source: p.source.clone(),
            })
            .collect();

        let mut digest = Sha256::new();
        digest.update(w.digest.as_bytes());
        digest.update([0]);
        digest.update(case.digest.as_bytes());
        let mut dis = opts.disable.clone();
        dis.sort();
        dis.dedup();
        for d in dis {
            digest.update([0]);
            digest.update(d.as_bytes());
        }
        let settings = opts.robustness.apply(&w.settings.robustness);
        digest.update(format!("{:?}{}", settings, opts.robustness.off).as_bytes());
        let robustness = if opts.robustness.off {
            None
        } else {
            robustness::analyse(&ranking, &w.criteria, &weights, shrink, &settings, progress)
        };
        if let Some(rb) = &robustness {
            for m in rb.cross_check.methods.iter().filter(|m| m.top_differs) {
                let top = m.ranking.first().map(String::as_str).unwrap_or("-");
                flags.push(Flag {
                    by: "engine".into(),
                    message: format!(
                        "cross-check: {} puts {top} on top, not {} (criteria only); see robustness",
                        m.method,
                        rb.cross_check.main_top.as_deref().unwrap_or("-")
                    ),
                    message_nl: format!(
                        "controle: {} zet {top} bovenaan, niet {} (alleen criteria); zie robuustheid",
                        m.method,
                        rb.cross_check.main_top.as_deref().unwrap_or("-")
                    ),
                });
            }
        }

        Advice {
            schema_version: SCHEMA_VERSION,
            engine_version: env!("CARGO_PKG_VERSION").into(),
            input_digest: format!("sha256:{}", hex(&digest.finalize())),
            case: CaseSummary {
                id: case.id.clone(),
                title: case.title.clone(),
                ministry: case.ministry.clone(),
                sector: case.sector.clone(),
                kind: case.kind.as_str().into(),
                fte: case.fte,
                current_locations: case.current_locations.clone(),
                preferred_location: case.preferred_location.clone(),
                themes: case.themes.clone(),
                policy_core: case.policy_core,
            },
            advice_required: case.fte >= w.settings.advice_fte,
            ranking_meaning: if shrink {
                "shrink-priority"
            } else {
                "suitability"
            }
            .into(),
            complete,
            weights: w
                .criteria
                .iter()
                .zip(&weights)
                .map(|(c, x)| WeightUsed {
                    criterion: c.id.clone(),
                    title: c.title.clone(),
                    unit: c.unit.clone(),
                    source: c.source.clone(),
                    reference_date: c.reference_date.clone(),
                    missing: c.missing.as_str().into(),
                    weight: *x,
                    origin: if case.weights.contains_key(&c.id) {
                        "case"
                    } else {
                        "rules"
                    }
                    .into(),
                })
                .collect(),
            ranking,
            shortlist,
            excluded,
            principles,
            flags,
            motivations,
            shrink_split,
            assumptions: self.assumptions(),
            robustness,
        }
    }

    /// Splits a shrink case's reduction over the feasible current locations: proportional to
    /// shrink priority times current FTE (or to shrink priority alone when FTE per location are
    /// not given), capped at each location's current FTE, in steps of 0.1 FTE by the largest
    /// remainder (ties to the better-ranked location).
    fn split(&self, case: &Case, ranking: &[Ranked], flags: &mut Vec<Flag>) -> ShrinkSplit {
        let have_fte = !case.current_fte.is_empty()
            && ranking
                .iter()
                .all(|r| case.current_fte.contains_key(&r.location));
        let caps: Vec<f64> = ranking
            .iter()
            .map(|r| {
                if have_fte {
                    case.current_fte[&r.location]
                } else {
                    f64::INFINITY
                }
            })
            .collect();
        let weight: Vec<f64> = ranking
            .iter()
            .zip(&caps)
            .map(|(r, cap)| r.score.max(0.0) * if have_fte { *cap } else { 1.0 })
            .collect();
        let capacity: f64 = caps.iter().sum();
        let mut total = case.fte;
        if total > capacity {
            flags.push(Flag {
                by: "engine".into(),
                message: format!("the reduction of {} FTE exceeds the {} FTE at the feasible current locations; the split stops there", fmt_num(total), fmt_num(capacity)),
                message_nl: format!("de krimp van {} fte is groter dan de {} fte op de haalbare huidige locaties; de verdeling stopt daar", fmt_num(total), fmt_num(capacity)),
            });
            total = capacity;
        }
        // Water-filling: share in proportion to weight, capped; redistribute the excess.
        let n = ranking.len();
        let mut share = vec![0.0; n];
        let mut open: Vec<usize> = (0..n).collect();
        let mut left = total;
        while left > 1e-9 && !open.is_empty() {
            let wsum: f64 = open.iter().map(|&i| weight[i]).sum();
            let mut next = Vec::new();
            let mut used = 0.0;
            for &i in &open {
                let want = if wsum > 0.0 {
                    left * weight[i] / wsum
                } else {
                    left / open.len() as f64
                };
                let give = want.min(caps[i] - share[i]);
                share[i] += give;
                used += give;
                if caps[i] - share[i] > 1e-9 {
                    next.push(i);
                }
            }
            left -= used;
            if next.len() == open.len() {
                break;
            }
            open = next;
        }
        // Largest remainder in units of 0.1 FTE.
        let units_total = (total * 10.0).round() as i64;
        let mut units: Vec<i64> = share.iter().map(|s| (s * 10.0).floor() as i64).collect();
        let mut rest = units_total - units.iter().sum::<i64>();
        let mut order: Vec<usize> = (0..n).collect();
        order.sort_by(|&a, &b| {
            let ra = share[a] * 10.0 - units[a] as f64;
            let rb = share[b] * 10.0 - units[b] as f64;
            rb.total_cmp(&ra).then(a.cmp(&b))
        });
        for &i in order.iter().cycle().take(n * 2) {
            if rest <= 0 {
                break;
            }
            if ((units[i] + 1) as f64) <= caps[i] * 10.0 + 1e-9 {
                units[i] += 1;
                rest -= 1;
            }
        }
        ShrinkSplit {
            method: if have_fte {
                "proportional to shrink priority x current FTE, capped at current FTE; rounded to 0.1 FTE by largest remainder"
            } else {
                "proportional to shrink priority (FTE per location not given); rounded to 0.1 FTE by largest remainder"
            }
            .into(),
            total_fte: units.iter().sum::<i64>() as f64 / 10.0,
            parts: ranking
                .iter()
                .zip(&units)
                .map(|(r, u)| ShrinkPart {
                    location: r.location.clone(),
                    name: r.name.clone(),
                    current_fte: case.current_fte.get(&r.location).copied(),
                    reduction_fte: *u as f64 / 10.0,
                })
                .collect(),
        }
    }

    fn assumptions(&self) -> Vec<Note> {
        let t = &self.world.settings.travel;
        let m = &self.world.rail_model;
        let p = &m.params;
        let mut out = vec![
            bi(
                format!(
                    "Rail minutes: measured NS journeys ({}) where both stations are covered; elsewhere a MODEL fitted to them (profiles/rail/model.toml: stopping trains {:.0} km/h plus {:.1} min per stop, intercity trains {:.0} km/h plus {:.1} min per link, {:.1} min per transfer; in-sample error {:.1}%, see docs/rail-model.md for the held-out error). An office is taken to be by its gemeente's main station; other stations are reached at {} km/h with detour factor {} plus {} min (an assumption, rules/settings.toml).",
                    m.measured_source,
                    p.local_speed_kmh,
                    p.local_stop_minutes,
                    p.intercity_speed_kmh,
                    p.intercity_stop_minutes,
                    p.transfer_minutes,
                    m.fit.mae_percent,
                    t.access_speed_kmh,
                    t.access_detour_factor,
                    t.access_fixed_minutes
                ),
                format!(
                    "Reistijden per trein: gemeten NS-reizen ({}) waar beide stations gemeten zijn; elders een daarop GEKALIBREERD MODEL (profiles/rail/model.toml: stoptreinen {:.0} km/u plus {:.1} min per stop, intercity's {:.0} km/u plus {:.1} min per traject, {:.1} min per overstap; fout op de eigen meetdata {:.1}%, zie docs/rail-model.md voor de fout op weggelaten stations). Een kantoor staat bij het hoofdstation van zijn gemeente; andere stations worden bereikt tegen {} km/u met omrijfactor {} plus {} min (een aanname, rules/settings.toml).",
                    m.measured_source,
                    p.local_speed_kmh,
                    p.local_stop_minutes,
                    p.intercity_speed_kmh,
                    p.intercity_stop_minutes,
                    p.transfer_minutes,
                    m.fit.mae_percent,
                    t.access_speed_kmh,
                    t.access_detour_factor,
                    t.access_fixed_minutes
                ),
            ),
            bi(
                format!(
                    "Labour-market reach counts the CBS population (1 January 2024) of the gemeenten within {} rail minutes: a model output.",
                    t.reach_minutes
                ),
                format!(
                    "Arbeidsmarktbereik telt de CBS-bevolking (1 januari 2024) van de gemeenten binnen {} reisminuten per trein: een modeluitkomst.",
                    t.reach_minutes
                ),
            ),
            bi(
                "Office cost is ESTIMATED by the average WOZ value of dwellings in the gemeente (CBS 2023): a proxy for the local price level, not an office rent.",
                "Huisvestingskosten zijn GESCHAT met de gemiddelde WOZ-waarde van woningen in de gemeente (CBS 2023): een benadering van het prijsniveau, geen kantoorhuur.",
            ),
            bi(
                "Kernkwaliteiten are EXAMPLE profiles until provinces hand in their own.",
                "De kernkwaliteiten zijn VOORBEELDPROFIELEN zolang provincies hun eigen profiel niet hebben aangeleverd.",
            ),
            bi(
                "Default weights are an engine choice, not cabinet policy; a case may override them.",
                "De standaardgewichten zijn een keuze van de engine, geen kabinetsbeleid; een casus kan ze aanpassen.",
            ),
            bi(
                "The engine advises; the responsible minister decides.",
                "De engine adviseert; de verantwoordelijke minister besluit.",
            ),
        ];
        if self
            .world
            .provinces
            .iter()
            .any(|p| p.higher_educated_share.is_estimate())
        {
            out.push(bi(
                "The share of higher-educated people in Limburg is an ESTIMATE (Zuid-Nederland minus Noord-Brabant, weighted by population).",
                "Het aandeel hoger opgeleiden in Limburg is een SCHATTING (Zuid-Nederland min Noord-Brabant, gewogen naar bevolking).",
            ));
        }
        out.into_iter()
            .map(|(message, message_nl)| Note {
                message,
                message_nl,
            })
            .collect()
    }
}

fn sorted_indices(w: &World, codes: &[String]) -> Vec<usize> {
    let mut v: Vec<usize> = codes.iter().filter_map(|c| w.gemeente_index(c)).collect();
    v.sort_unstable();
    v.dedup();
    v
}

/// The location's own values of the attributes a failed predicate compares, for the reason text.
fn shown_values(p: &Predicate, facts: &Facts) -> String {
    let mut attrs = Vec::new();
    collect_attrs(p, &mut attrs);
    let parts: Vec<String> = attrs
        .iter()
        .map(|a| match facts.get(*a) {
            Some(Value::Number(n)) => format!("{} = {}", a.name(), fmt_num(*n)),
            Some(Value::Bool(b)) => format!("{} = {b}", a.name()),
            Some(Value::Text(t)) => format!("{} = \"{t}\"", a.name()),
            None => format!("{} unknown", a.name()),
        })
        .collect();
    if parts.is_empty() {
        String::new()
    } else {
        format!(" ({})", parts.join(", "))
    }
}

fn collect_attrs(p: &Predicate, out: &mut Vec<Attr>) {
    match p {
        Predicate::All(ps) | Predicate::Any(ps) => ps.iter().for_each(|q| collect_attrs(q, out)),
        Predicate::Not(q) => collect_attrs(q, out),
        Predicate::Cmp { attr, .. } => {
            if !out.contains(attr) {
                out.push(*attr);
            }
        }
    }
}
