//! The advice pipeline, as named steps: the facts of each candidate, the case's requirements,
//! the criteria (value functions, weights), the principles (requirements, tiers, adjustments),
//! the ranking, the shortlist, comply or explain for the preferred location, the split of a
//! reduction, robustness, and the assumptions behind the figures.
//!
//! Ranking rule: first by tier (the tier principles, in the order of the rules), then by score,
//! higher first; equal scores (exactly equal f64) are ordered by gemeente code, ascending. Scores
//! are absolute: a location's score depends only on the case, the world and the location itself,
//! never on the other candidates.

use std::cmp::Reverse;
use std::collections::BTreeMap;

use ordered_float::OrderedFloat;
use sha2::{Digest, Sha256};

use super::principles::{self, Applying};
use super::request::{self, gains};
use super::robustness::{self, RobustnessOverrides};
use super::shrink;
use crate::advice::model::*;
use crate::config::hex;
use crate::model::{Case, CaseKind, Effect, Lower, Missing, Province, RegionKind, World};
use crate::rail::{self, Travel};
use crate::render::Lang;
use crate::render::words::{Remark, Words};
use crate::rules::{Attr, Facts, Predicate, Value};

/// The world with the travel matrix and per-gemeente figures computed once.
pub struct Engine {
    pub world: World,
    pub travel: Travel,
    /// Working-age population within the reach time, per gemeente.
    pub(crate) reach: Vec<Option<f64>>,
    pub(crate) station_class: Vec<f64>,
    pub(crate) presence: Vec<f64>,
    /// Rail minutes to the nearest documented government site, per gemeente.
    pub(crate) minutes_government: Vec<Option<f64>>,
    /// The message catalogues the engine's remarks are worded from.
    pub words: Words,
    pub(crate) den_haag: Option<usize>,
    pub(crate) utrecht: Option<usize>,
    pub(crate) amsterdam: Option<usize>,
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
/// The adjustments of the applying principles whose target location `facts` meets.
fn adjustments(
    w: &World,
    applying: &Applying,
    facts: &Facts,
    tally: &mut Tally,
) -> Vec<Adjustment> {
    let mut out = Vec::new();
    for (k, p) in applying.iter(w) {
        if let Effect::Adjust { target, delta } = &p.effect
            && target.eval(facts)
        {
            tally.affected[k] += 1;
            out.push(Adjustment {
                principle: p.id.clone(),
                delta: *delta,
            });
        }
    }
    out
}

/// Thematic fit of a location in COROP region `corop`: per theme of the case, the value of the
/// region's location quotient in the theme's sectors (CBS jobs, `rules/themes.toml [fit]`),
/// raised to full fit where the province's delivered regional profile (status `ingediend`) names
/// the theme; the mean over the themes that are measured or named. A theme no sector measures
/// and no delivered profile names is left out (neutral). `None` when no theme counts.
pub(crate) fn theme_fit(w: &World, case: &Case, corop: &str, p: Option<&Province>) -> Option<f64> {
    let values: Vec<f64> = case
        .themes
        .iter()
        .filter_map(|id| {
            let theme = w.themes.iter().find(|t| &t.id == id)?;
            let delivered =
                p.is_some_and(|p| p.profile_status == "ingediend" && p.themes.contains(id));
            let measured = w
                .sector_jobs
                .theme_quotient(corop, theme)
                .map(|q| w.sector_jobs.value_function.eval(q));
            // A delivered profile that names the theme makes it a full fit.
            if delivered { Some(1.0) } else { measured }
        })
        .collect();
    (!values.is_empty()).then(|| values.iter().sum::<f64>() / values.len() as f64)
}

/// The facts a location takes from its province: the unemployment rate and the higher-educated
/// share.
fn province_facts(f: &mut Facts, p: &Province) {
    f.set(
        Attr::LocUnemployment,
        Value::Number(p.unemployment_rate.value),
    );
    f.set(
        Attr::LocHigherEducated,
        Value::Number(p.higher_educated_share.value),
    );
}

/// What the ranking's order means: suitability, or for a shrinking service the order in which
/// locations give up posts.
fn ranking_meaning(shrink: bool) -> &'static str {
    if shrink {
        "shrink-priority"
    } else {
        "suitability"
    }
}

/// What one candidate came to: a ranked location or an exclusion.
enum Outcome {
    Ranked(Ranked),
    Excluded(Excluded),
}

/// What every candidate of one case is scored with: the case, its own facts, the principles
/// that apply, the normalised weights and the staff retention per gemeente.
struct Scoring<'c> {
    case: &'c Case,
    base: Facts,
    applying: Applying,
    weights: Vec<f64>,
    retention: Vec<Option<f64>>,
}

/// Counts kept while the candidates are scored.
struct Tally<'a> {
    /// Locations each principle touched.
    affected: Vec<usize>,
    /// Candidates missing each criterion's figure.
    missing: BTreeMap<&'a str, usize>,
}

impl Engine {
    /// Prepares the engine (the all-pairs travel computation and the per-gemeente figures),
    /// its remarks worded from the shipped catalogues.
    pub fn new(world: World) -> Engine {
        Engine::with_words(world, Words::embedded())
    }

    /// Precomputes the travel matrix, reach and presence for `world`; the engine's remarks are
    /// worded from `words` (the shipped catalogues, or a user's under `--templates`).
    pub fn with_words(world: World, words: Words) -> Engine {
        let travel = rail::compute(&world);
        let reach = rail::reach(&world, &travel, world.settings.travel.reach_minutes);
        let by_code: BTreeMap<&str, usize> = world
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
        let presence: Vec<f64> = world
            .gemeenten
            .iter()
            .map(|g| world.presence.class(&g.code))
            .collect();
        let sites: Vec<usize> = (0..presence.len()).filter(|&j| presence[j] > 0.0).collect();
        let minutes_government = (0..world.gemeenten.len())
            .map(|i| {
                sites
                    .iter()
                    .filter_map(|&j| travel.minutes(i, j))
                    .min_by(f64::total_cmp)
            })
            .collect();
        Engine {
            words,
            den_haag: world.gemeente_index("GM0518"),
            utrecht: world.gemeente_index("GM0344"),
            amsterdam: world.gemeente_index("GM0363"),
            travel,
            reach,
            station_class,
            presence,
            minutes_government,
            world,
        }
    }

    pub(crate) fn case_facts(&self, case: &Case) -> Facts {
        let w = &self.world;
        let mut f = case.facts(&w.settings);
        let measured = case.themes.iter().any(|id| {
            w.themes
                .iter()
                .any(|t| &t.id == id && !t.sectors.is_empty())
                || w.provinces
                    .iter()
                    .any(|p| p.profile_status == "ingediend" && p.themes.contains(id))
        });
        f.set(Attr::CaseHasMeasuredThemes, Value::Bool(measured));
        f
    }

    /// The sites the primary process binds the service to (see [`Case::bound_sites`]).
    pub(crate) fn bound_sites(&self, case: &Case) -> Vec<String> {
        case.bound_sites(&self.world.settings)
    }

    /// Staff retention per gemeente (percent): the share of the current staff who can still
    /// commute to it. Staff of a current location are taken to live like the working-age
    /// population within the reach time of it; they can still commute to a gemeente within the
    /// commuting limit. Current locations weigh by their FTE when the case gives them. `None`
    /// for every gemeente when the case names no current location.
    fn staff_retention(&self, case: &Case) -> Vec<Option<f64>> {
        let w = &self.world;
        let t = &w.settings.travel;
        let n = w.gemeenten.len();
        let currents: Vec<(usize, f64)> = case
            .current_locations
            .iter()
            .filter_map(|c| {
                w.gemeente_index(c)
                    .map(|i| (i, case.current_fte.get(c).copied().unwrap_or(1.0)))
            })
            .collect();
        let total: f64 = currents.iter().map(|(_, f)| f).sum();
        if currents.is_empty() || total <= 0.0 {
            return vec![None; n];
        }
        let mut share = vec![0.0; n];
        for &(c, fte) in &currents {
            let homes: Vec<usize> = (0..n)
                .filter(|&g| {
                    self.travel
                        .minutes(g, c)
                        .is_some_and(|m| m <= t.reach_minutes)
                })
                .collect();
            let people: f64 = homes.iter().map(|&g| w.gemeenten[g].working_age).sum();
            if people <= 0.0 {
                continue;
            }
            for (l, s) in share.iter_mut().enumerate() {
                let can: f64 = homes
                    .iter()
                    .filter(|&&g| {
                        self.travel
                            .minutes(g, l)
                            .is_some_and(|m| m <= t.commute_minutes)
                    })
                    .map(|&g| w.gemeenten[g].working_age)
                    .sum();
                *s += fte / total * can / people;
            }
        }
        share.into_iter().map(|s| Some(s * 100.0)).collect()
    }

    /// The reasons a location fails the case's requirements (empty when it meets them all).
    fn requirement_failures(&self, case: &Case, i: usize) -> Vec<(String, String)> {
        let g = &self.world.gemeenten[i];
        let r = &case.requirements;
        let mut out = Vec::new();
        if r.exclude_locations.contains(&g.code) {
            out.push(self.words.say(&Remark::new("case_excludes")));
        }
        for (to, max) in &r.max_rail_minutes {
            let Some(j) = self.world.gemeente_index(to) else {
                continue;
            };
            let name = &self.world.gemeenten[j].name;
            match self.travel.minutes(i, j) {
                Some(m) if m <= *max => {}
                Some(m) => out.push(
                    self.words.say(
                        &Remark::new("too_far")
                            .arg("minutes", m)
                            .arg("max", max)
                            .arg("to", name),
                    ),
                ),
                None => out.push(
                    self.words
                        .say(&Remark::new("no_rail_route").arg("to", name)),
                ),
            }
        }
        if let Some(min) = r.min_station_class {
            let c = self.station_class[i];
            if c < min {
                out.push(
                    self.words.say(
                        &Remark::new("station_class_low")
                            .arg("class", c)
                            .arg("min", min),
                    ),
                );
            }
        }
        out
    }

    pub(crate) fn location_facts(
        &self,
        case: &Case,
        base: &Facts,
        i: usize,
        meets: bool,
        retention: &[Option<f64>],
    ) -> Facts {
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
        f.set(
            Attr::LocBound,
            Value::Bool(case.binds(&g.code, &w.settings)),
        );
        f.set(Attr::LocMeetsRequirements, Value::Bool(meets));
        if let Some(p) = prov {
            province_facts(&mut f, p);
        }
        let fit = theme_fit(w, case, &g.corop, prov);
        f.set(
            Attr::LocThemeMatch,
            Value::Bool(fit.is_some_and(|v| v > 0.5)),
        );
        if let Some(v) = fit {
            f.set(Attr::LocThemeFit, Value::Number(v));
        }
        f.set(Attr::LocPresence, Value::Number(self.presence[i]));
        f.set(Attr::LocOffice, Value::Bool(w.presence.office(&g.code)));
        f.set(Attr::LocStationClass, Value::Number(self.station_class[i]));
        self.travel_facts(&mut f, i, retention);
        f.set(Attr::LocPopulation, Value::Number(g.population));
        if let Some(r) = self.reach[i] {
            f.set(Attr::LocLabourReach, Value::Number(r));
        }
        if let Some(woz) = g.woz {
            f.set(Attr::LocWoz, Value::Number(woz));
        }
        f
    }

    /// The minutes to Den Haag, Utrecht, Amsterdam and the nearest government centre, and the
    /// share of staff kept, where known.
    fn travel_facts(&self, f: &mut Facts, i: usize, retention: &[Option<f64>]) {
        for (attr, target) in [
            (Attr::LocMinutesDenHaag, self.den_haag),
            (Attr::LocMinutesUtrecht, self.utrecht),
            (Attr::LocMinutesAmsterdam, self.amsterdam),
        ] {
            if let Some(m) = target.and_then(|j| self.travel.minutes(i, j)) {
                f.set(attr, Value::Number(m));
            }
        }
        if let Some(m) = self.minutes_government[i] {
            f.set(Attr::LocMinutesGovernment, Value::Number(m));
        }
        if let Some(r) = retention[i] {
            f.set(Attr::LocStaffRetention, Value::Number(r));
        }
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
            // Counts within modelled minutes: model outputs.
            Attr::LocLabourReach | Attr::LocStaffRetention => true,
            Attr::LocMinutesGovernment => self.minutes_government[i].is_some_and(|m| m > 0.0),
            // Published CBS jobs, a documented mapping of themes to sectors: derived, not estimated.
            Attr::LocThemeFit | Attr::LocThemeMatch => false,
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

    /// The criterion weights for a case, normalised, and where each comes from. A criterion
    /// whose `when` fails for the case does not count (weight 0).
    fn weights(&self, case: &Case, base: &Facts) -> (Vec<f64>, Vec<&'static str>) {
        let w = &self.world;
        let counts: Vec<bool> = w
            .criteria
            .iter()
            .map(|c| c.when.as_ref().is_none_or(|p| p.eval(base)))
            .collect();
        let raw: Vec<f64> = w
            .criteria
            .iter()
            .zip(&counts)
            .map(|(c, on)| {
                if *on {
                    case.weights.get(&c.id).copied().unwrap_or(c.weight)
                } else {
                    0.0
                }
            })
            .collect();
        let total: f64 = raw.iter().sum();
        let weights = raw
            .iter()
            .map(|x| if total > 0.0 { x / total } else { 0.0 })
            .collect();
        let origin = w
            .criteria
            .iter()
            .zip(&counts)
            .map(|(c, on)| match (on, case.weights.contains_key(&c.id)) {
                (false, _) => "not-applicable",
                (true, true) => "case",
                (true, false) => "rules",
            })
            .collect();
        (weights, origin)
    }

    /// Why a principle's requirement excludes a location, in English and Dutch.
    fn require_reasons(
        &self,
        target: &Predicate,
        facts: &Facts,
        failures: &[(String, String)],
    ) -> Vec<(String, String)> {
        // The case's own requirements speak for themselves.
        if matches!(
            target,
            Predicate::Cmp {
                attr: Attr::LocMeetsRequirements,
                ..
            }
        ) {
            return failures.to_vec();
        }
        let namer = principles::namer(&self.world);
        vec![(
            target.failure(self.words.predicate(Lang::En), facts, &namer),
            target.failure(self.words.predicate(Lang::Nl), facts, &namer),
        )]
    }

    /// The criteria for one location: raw figure, value, weight and contribution; a missing
    /// figure follows the criterion's missing-data policy (an exclusion adds a reason).
    #[allow(clippy::too_many_arguments)]
    fn contributions<'a>(
        &'a self,
        facts: &Facts,
        i: usize,
        weights: &[f64],
        shrink: bool,
        reasons: &mut Vec<Reason>,
        tally: &mut Tally<'a>,
    ) -> Vec<Contribution> {
        let mut out = Vec::new();
        for (k, c) in self.world.criteria.iter().enumerate() {
            let applies = c.applies.as_ref().is_none_or(|p| p.eval(facts));
            let raw = facts.number(c.attribute);
            let (value, missing) = match raw {
                // A criterion that does not count for the case (weight 0) neither scores nor
                // excludes, so a missing figure there is not missing.
                _ if !applies || weights[k] == 0.0 => (0.0, None),
                Some(x) => (c.value_function.eval(x), None),
                None => {
                    *tally.missing.entry(c.id.as_str()).or_default() += 1;
                    match c.missing {
                        Missing::Exclude => {
                            reasons.push(
                                self.reason(
                                    &c.id,
                                    Remark::new("figure_missing_excludes")
                                        .arg("title", &c.title)
                                        .arg("title_en", &c.title_en),
                                ),
                            );
                            (0.0, Some(c.missing))
                        }
                        Missing::Worst => (0.0, Some(c.missing)),
                        Missing::Neutral => (0.5, Some(c.missing)),
                    }
                }
            };
            // Shrink priority inverts suitability; a criterion that does not apply stays 0.
            let value = if shrink && applies {
                1.0 - value
            } else {
                value
            };
            out.push(Contribution {
                criterion: c.id.clone(),
                raw,
                value,
                weight: weights[k],
                contribution: weights[k] * value,
                estimate: raw.is_some() && applies && self.is_estimate(c.attribute, i),
                missing: missing.map(|m| m.as_str().to_string()),
                applies,
            });
        }
        out
    }

    /// One candidate: its exclusions, criteria, adjustments and tiers.
    fn assess<'a>(&'a self, s: &Scoring, i: usize, tally: &mut Tally<'a>) -> Outcome {
        let Scoring {
            case,
            base,
            applying,
            weights,
            retention,
        } = s;
        let w = &self.world;
        let g = &w.gemeenten[i];
        let shrink = case.kind == CaseKind::Shrink;
        let failures = self.requirement_failures(case, i);
        let facts = self.location_facts(case, base, i, failures.is_empty(), retention);
        let province_name = w
            .province(&g.province)
            .map_or(g.province.clone(), |p| p.name.clone());
        let mut reasons = self.exclusion_reasons(case, applying, &facts, &failures, i, tally);
        let contributions = self.contributions(&facts, i, weights, shrink, &mut reasons, tally);
        if !reasons.is_empty() {
            for r in &reasons {
                tracing::debug!(location = %g.code, by = %r.by, "excluded: {}", r.message);
            }
            return Outcome::Excluded(Excluded {
                location: g.code.clone(),
                name: g.name.clone(),
                province: g.province.clone(),
                province_name,
                reasons,
            });
        }
        let adjustments = adjustments(w, applying, &facts, tally);
        let lower_tiers = principles::lower_tiers(w, applying, case, &g.code, &facts);
        for t in &lower_tiers {
            if let Some(k) = w.principles.iter().position(|p| p.id == t.principle) {
                tally.affected[k] += 1;
            }
        }
        // Folds from +0.0 (a float `sum()` starts at -0.0, which would print as `-0`).
        let score = contributions.iter().fold(0.0, |s, c| s + c.contribution)
            + adjustments.iter().fold(0.0, |s, a| s + a.delta);
        Outcome::Ranked(Ranked {
            rank: 0,
            location: g.code.clone(),
            name: g.name.clone(),
            province: g.province.clone(),
            randstad: w.in_randstad(&g.province),
            province_name,
            current: case.current_locations.contains(&g.code),
            tier: 0,
            lower_tiers,
            score,
            contributions,
            adjustments,
            travel: self.travel_times(case, i),
        })
    }

    /// Why location `i` is excluded: a relocation's current location, and every requirement of
    /// an applying principle it fails (with the figure that fails).
    fn exclusion_reasons(
        &self,
        case: &Case,
        applying: &Applying,
        facts: &Facts,
        failures: &[(String, String)],
        i: usize,
        tally: &mut Tally,
    ) -> Vec<Reason> {
        let w = &self.world;
        let code = &w.gemeenten[i].code;
        let mut reasons: Vec<Reason> = Vec::new();
        // The place a relocation leaves is no option, unless a principle keeps it as the
        // reference the move is tested against (a policy core in Den Haag).
        let reference = applying.iter(w).any(|(_, p)| {
            matches!(&p.effect, Effect::Tier { target, keeps_current: true, .. } if target.eval(facts))
        });
        if case.kind == CaseKind::Relocation && case.current_locations.contains(code) && !reference
        {
            reasons.push(self.reason("engine", Remark::new("current_location")));
        }
        let preferred = case.preferred_location.as_ref() == Some(code);
        for (k, p) in applying.iter(w) {
            if let Effect::Require { target } = &p.effect
                && !target.eval(facts)
                // A motivated departure of the preference from a principle's requirement keeps
                // it in the ranking (comply or explain); the case's own requirements do not bend.
                && !(preferred
                    && !principles::is_case_requirement(target)
                    && principles::motivated(case, p))
            {
                tally.affected[k] += 1;
                for (en, nl) in self.require_reasons(target, facts, failures) {
                    reasons.push(Reason {
                        by: p.id.clone(),
                        message: en,
                        message_nl: nl,
                    });
                }
            }
        }
        reasons
    }

    /// Rail minutes from location `i` to each gemeente the case names a maximum for.
    fn travel_times(&self, case: &Case, i: usize) -> Vec<TravelTime> {
        let w = &self.world;
        case.requirements
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
            .collect()
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
        let _span = tracing::info_span!("advise", case = %case.id).entered();
        let shrink = case.kind == CaseKind::Shrink;
        let (s, weight_origin) = self.scoring(case, opts);
        let (applying, weights) = (&s.applying, &s.weights);
        let candidates = self.candidates(case);
        let (ranking, excluded, mut tally) = self.assess_all(&s, &candidates);
        let mut flags = self.missing_flags(&tally);
        let wanted = self.principle_flags(applying, &mut tally, &mut flags);
        let (preference, motivations) = self.preference(&s, &ranking, &excluded, &mut flags);
        let bound_sites = self.bound_sites(case);
        let bound_first = ranking
            .first()
            .is_some_and(|r| bound_sites.contains(&r.location));
        let mut shortlist = self.shortlist(&ranking, &wanted, bound_first, &mut tally, &mut flags);
        for s in &mut shortlist {
            s.preferred = case.preferred_location.as_ref() == Some(&s.location);
        }
        if ranking.is_empty() {
            let r = Remark::new("all_excluded").arg("n", candidates.len());
            flags.push(self.flag("engine", r));
        }
        let shrink_split = shrink.then(|| shrink::split(&self.words, case, &ranking, &mut flags));
        let infeasible = if ranking.is_empty() {
            self.infeasibility(case, applying, &s.base, &s.retention, &candidates)
        } else {
            None
        };
        let request = preference
            .as_ref()
            .map(|p| self.judge_request(&s, &ranking, &excluded, p));
        let conclusion = conclusion(w, &ranking, &bound_sites);
        let same_labour_market = self.same_labour_market(case, request.as_ref(), &conclusion);
        if let Some(m) = &same_labour_market {
            flags.push(Flag {
                by: "engine".into(),
                message: m.message.clone(),
                message_nl: m.message_nl.clone(),
            });
        }
        let status = self.status(&ranking, &motivations, &mut flags);
        let principles = self.principle_uses(applying, &tally);
        let settings = opts.robustness.apply(&w.settings.robustness);
        let input_digest = self.input_digest(case, opts, &settings);
        let robustness = (!opts.robustness.off)
            .then(|| {
                robustness::analyse(&ranking, &w.criteria, weights, shrink, &settings, progress)
            })
            .flatten();
        self.cross_check_flags(robustness.as_ref(), &mut flags);
        Advice {
            schema_version: SCHEMA_VERSION,
            engine_version: env!("CARGO_PKG_VERSION").into(),
            input_digest,
            case: self.case_summary(case),
            advice_required: case.fte >= w.settings.advice_fte,
            advice_threshold: w.settings.advice_fte,
            ranking_meaning: ranking_meaning(shrink).into(),
            complete: status == "complete",
            status: status.into(),
            weights: self.weights_used(weights, &weight_origin),
            conclusion,
            request,
            infeasible,
            bound_sites,
            same_labour_market,
            ranking,
            shortlist,
            excluded,
            principles,
            flags,
            motivations,
            preference,
            shrink_split,
            assumptions: self.assumptions(case),
            robustness,
        }
    }

    /// The ministry's request judged against the ranking (see [`request`]).
    fn judge_request(
        &self,
        s: &Scoring,
        ranking: &[Ranked],
        excluded: &[Excluded],
        preference: &Preference,
    ) -> Request {
        request::judge(&request::Inputs {
            world: &self.world,
            travel: &self.travel,
            case: s.case,
            applying: &s.applying,
            ranking,
            excluded,
            preference,
            weights: &s.weights,
            band: self.world.settings.robustness.weight_band,
        })
    }

    /// `complete`, `motivation-missing` (flagged) or `infeasible` (nothing feasible).
    fn status(
        &self,
        ranking: &[Ranked],
        motivations: &[Motivation],
        flags: &mut Vec<Flag>,
    ) -> &'static str {
        let motivated = motivations.iter().all(|m| m.given);
        if !motivated {
            flags.push(self.flag("engine", Remark::new("incomplete")));
        }
        match () {
            _ if ranking.is_empty() => "infeasible",
            _ if !motivated => "motivation-missing",
            _ => "complete",
        }
    }

    /// What the candidates of `case` are scored with, and where each weight came from.
    fn scoring<'c>(&self, case: &'c Case, opts: &RunOptions) -> (Scoring<'c>, Vec<&'static str>) {
        let base = self.case_facts(case);
        let applying = Applying::new(&self.world, case, &opts.disable, &base);
        let (weights, origin) = self.weights(case, &base);
        let retention = self.staff_retention(case);
        let s = Scoring {
            case,
            base,
            applying,
            weights,
            retention,
        };
        (s, origin)
    }

    /// Scores every candidate: the ranked locations in ranking order, the excluded ones in
    /// theirs, and the counts kept on the way.
    fn assess_all<'a>(
        &'a self,
        s: &Scoring,
        candidates: &[usize],
    ) -> (Vec<Ranked>, Vec<Excluded>, Tally<'a>) {
        let mut tally = Tally {
            affected: vec![0; self.world.principles.len()],
            missing: BTreeMap::new(),
        };
        let (mut ranking, mut excluded) = (Vec::new(), Vec::new());
        for &i in candidates {
            match self.assess(s, i, &mut tally) {
                Outcome::Ranked(r) => ranking.push(r),
                Outcome::Excluded(x) => excluded.push(x),
            }
        }
        self.drop_empty_orders(&mut ranking, &mut tally);
        self.rank(&s.applying, &mut ranking);
        self.sort_excluded(&mut excluded);
        (ranking, excluded, tally)
    }

    /// An order (a tier with `lower = "order"`) whose first tier holds no feasible location
    /// orders nothing: it is taken off every location (a growing service without a site outside
    /// the Randstad is not put "after its own sites").
    fn drop_empty_orders(&self, ranking: &mut [Ranked], tally: &mut Tally) {
        let w = &self.world;
        for (k, p) in w.principles.iter().enumerate() {
            let is_order = matches!(
                p.effect,
                Effect::Tier {
                    lower: Lower::Order,
                    ..
                }
            );
            let in_lower = |r: &Ranked| r.lower_tiers.iter().any(|t| t.principle == p.id);
            if is_order && !ranking.is_empty() && ranking.iter().all(in_lower) {
                for r in ranking.iter_mut() {
                    r.lower_tiers.retain(|t| t.principle != p.id);
                }
                tally.affected[k] = 0;
            }
        }
    }

    /// The candidates, in gemeente-code order: a shrinking service's current locations, the
    /// case's shortlist, or every gemeente.
    fn candidates(&self, case: &Case) -> Vec<usize> {
        let w = &self.world;
        match (&case.candidates, case.kind) {
            (_, CaseKind::Shrink) => sorted_indices(w, &case.current_locations),
            (Some(list), _) => sorted_indices(w, list),
            (None, _) => (0..w.gemeenten.len()).collect(),
        }
    }

    /// The largest excluded places first: those are the ones a reader asks about.
    fn sort_excluded(&self, excluded: &mut [Excluded]) {
        let w = &self.world;
        excluded.sort_by_key(|x| {
            let pop = w
                .gemeente_index(&x.location)
                .map_or(0, |i| w.gemeenten[i].population as u64);
            (std::cmp::Reverse(pop), x.location.clone())
        });
    }

    /// The digest of everything the advice depends on: the world, the case, the principles set
    /// aside and the robustness settings.
    fn input_digest(
        &self,
        case: &Case,
        opts: &RunOptions,
        settings: &crate::model::RobustnessSettings,
    ) -> String {
        let mut digest = Sha256::new();
        digest.update(self.world.digest.as_bytes());
        digest.update([0]);
        digest.update(case.digest.as_bytes());
        let mut dis = opts.disable.clone();
        dis.sort();
        dis.dedup();
        for d in dis {
            digest.update([0]);
            digest.update(d.as_bytes());
        }
        digest.update(format!("{:?}{}", settings, opts.robustness.off).as_bytes());
        format!("sha256:{}", hex(&digest.finalize()))
    }

    /// A flag for every relative method that puts another location first than the weighted sum.
    fn cross_check_flags(&self, rb: Option<&Robustness>, flags: &mut Vec<Flag>) {
        let Some(rb) = rb else { return };
        for m in rb.cross_check.methods.iter().filter(|m| m.top_differs) {
            let top = m.ranking.first().map_or("-".to_string(), |c| self.name(c));
            let main = rb
                .cross_check
                .main_top
                .as_deref()
                .map_or("-".to_string(), |c| self.name(c));
            let method = if m.method == "topsis" {
                "TOPSIS"
            } else {
                "PROMETHEE II"
            };
            flags.push(
                self.flag(
                    "engine",
                    Remark::new("cross_check")
                        .arg("method", method)
                        .arg("top", top)
                        .arg("main", main),
                ),
            );
        }
    }

    /// The weights used, with each criterion's documentation and where its weight came from.
    fn weights_used(&self, weights: &[f64], origin: &[&str]) -> Vec<WeightUsed> {
        self.world
            .criteria
            .iter()
            .zip(weights)
            .zip(origin)
            .map(|((c, x), origin)| WeightUsed {
                criterion: c.id.clone(),
                title: c.title.clone(),
                title_en: c.title_en.clone(),
                unit: c.unit.clone(),
                source: c.source.clone(),
                reference_date: c.reference_date.clone(),
                missing: c.missing.as_str().into(),
                weight: *x,
                origin: (*origin).into(),
            })
            .collect()
    }

    /// A gemeente's name by code (the code when unknown).
    fn name(&self, code: &str) -> String {
        self.world
            .gemeente_index(code)
            .map_or(code.to_string(), |i| self.world.gemeenten[i].name.clone())
    }

    /// The case with names for its codes.
    fn case_summary(&self, case: &Case) -> CaseSummary {
        let w = &self.world;
        CaseSummary {
            id: case.id.clone(),
            title: case.title.clone(),
            ministry: case.ministry.clone(),
            ministry_name: w
                .settings
                .ministry_names
                .get(&case.ministry)
                .cloned()
                .unwrap_or_else(|| case.ministry.clone()),
            sector: case.sector.clone(),
            kind: case.kind.as_str().into(),
            fte: case.fte,
            current_locations: case.current_locations.clone(),
            current_location_names: case
                .current_locations
                .iter()
                .map(|c| self.name(c))
                .collect(),
            preferred_location: case.preferred_location.clone(),
            preferred_location_name: case.preferred_location.as_deref().map(|c| self.name(c)),
            themes: case.themes.clone(),
            theme_titles: case
                .themes
                .iter()
                .map(|t| {
                    w.themes
                        .iter()
                        .find(|x| &x.id == t)
                        .map_or(t.clone(), |x| x.title.clone())
                })
                .collect(),
            policy_core: case.policy_core,
        }
    }

    /// Sorts the ranking: tier first (the tier principles in the order of the rules), then score,
    /// then gemeente code; numbers the ranks and the tiers.
    fn rank(&self, applying: &Applying, ranking: &mut [Ranked]) {
        let w = &self.world;
        ranking.sort_by(|a, b| {
            let (ka, kb) = (
                principles::tier_key(w, applying, a),
                principles::tier_key(w, applying, b),
            );
            (ka, Reverse(OrderedFloat(a.score)), &a.location).cmp(&(
                kb,
                Reverse(OrderedFloat(b.score)),
                &b.location,
            ))
        });
        for (r, item) in ranking.iter_mut().enumerate() {
            item.rank = r + 1;
        }
        principles::number_tiers(w, applying, ranking);
    }

    /// A flag per criterion whose figure some candidates miss.
    fn missing_flags(&self, tally: &Tally) -> Vec<Flag> {
        tally
            .missing
            .iter()
            .filter_map(|(id, n)| {
                let c = self.world.criteria.iter().find(|c| c.id == *id)?;
                Some(
                    self.flag(
                        "engine",
                        Remark::new("missing_figure")
                            .arg("n", n)
                            .arg("title", &c.title)
                            .arg("title_en", &c.title_en)
                            .arg("policy", c.missing.as_str()),
                    ),
                )
            })
            .collect()
    }

    /// The flags of the applying principles, and the alternatives they ask for.
    fn principle_flags(
        &self,
        applying: &Applying,
        tally: &mut Tally,
        flags: &mut Vec<Flag>,
    ) -> principles::Wanted {
        let mut out = principles::Wanted {
            min: 3,
            outside_randstad: 0,
            regions: 1,
            region: RegionKind::Province,
            by: None,
        };
        for (k, p) in applying.iter(&self.world) {
            match &p.effect {
                Effect::Flag {
                    message,
                    message_en,
                } => {
                    tally.affected[k] = tally.affected[k].max(1);
                    flags.push(Flag {
                        by: p.id.clone(),
                        message: message_en.clone(),
                        message_nl: message.clone(),
                    });
                }
                Effect::Alternatives {
                    min,
                    outside_randstad,
                    regions,
                    region,
                } => {
                    out = principles::Wanted {
                        min: *min,
                        outside_randstad: *outside_randstad,
                        regions: *regions,
                        region: *region,
                        by: Some(p.id.clone()),
                    }
                }
                _ => {}
            }
        }
        out
    }

    /// The region a ranked location counts in for the alternatives.
    fn region_of(&self, kind: RegionKind, r: &Ranked) -> String {
        match kind {
            RegionKind::Province => r.province.clone(),
            RegionKind::Corop => self
                .world
                .gemeente_index(&r.location)
                .map_or_else(String::new, |i| self.world.gemeenten[i].corop.clone()),
        }
    }

    /// The shortlist the `alternatives` principle asks for, flagged where it falls short.
    fn shortlist(
        &self,
        ranking: &[Ranked],
        wanted: &principles::Wanted,
        bound_first: bool,
        tally: &mut Tally,
        flags: &mut Vec<Flag>,
    ) -> Vec<ShortlistItem> {
        let region_of = |r: &Ranked| self.region_of(wanted.region, r);
        let shortlist = principles::shortlist(ranking, wanted, &region_of);
        self.alternatives_flags(
            ranking,
            &shortlist,
            (wanted.min, wanted.outside_randstad, wanted.by.as_deref()),
            bound_first,
            tally,
            flags,
        );
        shortlist
    }

    /// Flags when the ranking cannot give the alternatives a principle asks for.
    #[allow(clippy::too_many_arguments)]
    fn alternatives_flags(
        &self,
        ranking: &[Ranked],
        shortlist: &[ShortlistItem],
        (min, outside_min, by): (usize, usize, Option<&str>),
        bound_first: bool,
        tally: &mut Tally,
        flags: &mut Vec<Flag>,
    ) {
        let Some(by) = by else {
            return;
        };
        let k = self
            .world
            .principles
            .iter()
            .position(|p| p.id == by)
            .expect("principle exists");
        tally.affected[k] = tally.affected[k].max(usize::from(!ranking.is_empty()));
        // Nothing feasible is explained elsewhere; a site the primary process binds the service
        // to is the intended outcome, not a shortfall of alternatives.
        if ranking.is_empty() || bound_first {
            return;
        }
        if ranking.len() < min {
            flags.push(
                self.flag(
                    by,
                    Remark::new("too_few_feasible")
                        .arg("feasible", ranking.len())
                        .arg("asked", min),
                ),
            );
        }
        if shortlist.iter().filter(|s| !s.randstad).count() < outside_min {
            flags.push(self.flag(by, Remark::new("none_outside_randstad")));
        }
        if let Some(s) = shortlist.iter().find(|s| s.needs_motivation) {
            flags.push(self.flag(
                "engine",
                Remark::new("alternative_needs_motivation").arg("name", &s.name),
            ));
        }
    }

    /// Comply or explain for the preferred location, when the case names one.
    fn preference(
        &self,
        s: &Scoring,
        ranking: &[Ranked],
        excluded: &[Excluded],
        flags: &mut Vec<Flag>,
    ) -> (Option<Preference>, Vec<Motivation>) {
        let (case, base, applying, retention) = (s.case, &s.base, &s.applying, &s.retention);
        let w = &self.world;
        let Some(pref) = &case.preferred_location else {
            return (None, Vec::new());
        };
        let Some(i) = w.gemeente_index(pref) else {
            return (None, Vec::new());
        };
        let failures = self.requirement_failures(case, i);
        let facts = self.location_facts(case, base, i, failures.is_empty(), retention);
        let ranked = ranking.iter().find(|r| &r.location == pref);
        let out = excluded.iter().find(|x| &x.location == pref);
        if let Some(x) = out {
            flags.push(
                self.flag(
                    "engine",
                    Remark::new("preferred_excluded")
                        .arg("name", &x.name)
                        .arg("reasons", &x.reasons),
                ),
            );
        }
        let namer = principles::namer(w);
        let words = |nl: bool, p: &Predicate, f: &Facts, holds: bool| {
            let w = self.words.predicate(if nl { Lang::Nl } else { Lang::En });
            if holds {
                p.shown(w, f, &namer)
            } else {
                p.failure(w, f, &namer)
            }
        };
        let name = self.name(pref);
        let (mut p, m) = principles::assess_preference(
            w,
            &self.words,
            applying,
            case,
            &facts,
            ranked,
            out,
            &name,
            &words,
        );
        // An order that orders nothing here (no feasible location in its first tier) says
        // nothing about the preference either.
        if let Some(r) = ranked {
            p.items.retain(|i| {
                i.verdict != "orders" || r.lower_tiers.iter().any(|t| t.principle == i.principle)
            });
        }
        (Some(p), m)
    }

    /// For a relocation: the labour market the advised location (the preference when BZK can
    /// agree with it or the choice is the ministry's, else the first of the ranking) shares with a
    /// current location: the same metropolitan region, else the same COROP region.
    fn same_labour_market(
        &self,
        case: &Case,
        request: Option<&Request>,
        conclusion: &Option<Conclusion>,
    ) -> Option<LabourMarket> {
        if case.kind != CaseKind::Relocation {
            return None;
        }
        let w = &self.world;
        let advised = match request {
            Some(r) if r.endorsed || r.verdict == "gemotiveerd" => r.location.clone(),
            _ => conclusion.as_ref()?.location.clone(),
        };
        let a = w.gemeente_index(&advised)?;
        case.current_locations.iter().find_map(|c| {
            let i = w.gemeente_index(c)?;
            if i == a {
                return None;
            }
            let metro = w
                .settings
                .metropolitan_regions
                .iter()
                .find(|m| m.gemeenten.contains(c) && m.gemeenten.contains(&advised));
            let (kind, region) = match metro {
                Some(m) => ("metropolitan", m.name.clone()),
                None if w.gemeenten[i].corop == w.gemeenten[a].corop => (
                    "corop",
                    w.corops
                        .iter()
                        .find(|x| x.code == w.gemeenten[a].corop)
                        .map_or_else(|| w.gemeenten[a].corop.clone(), |x| x.name.clone()),
                ),
                None => return None,
            };
            let (message, message_nl) = self.words.say(
                &Remark::new("same_labour_market")
                    .arg("name", &w.gemeenten[a].name)
                    .arg("current", &w.gemeenten[i].name)
                    .arg("region", &region)
                    .arg("kind", kind),
            );
            Some(LabourMarket {
                kind: kind.into(),
                region,
                current: c.clone(),
                current_name: w.gemeenten[i].name.clone(),
                location: advised.clone(),
                name: w.gemeenten[a].name.clone(),
                message,
                message_nl,
            })
        })
    }

    /// Every principle with whether it applied, and why not.
    fn principle_uses(&self, applying: &Applying, tally: &Tally) -> Vec<PrincipleUse> {
        self.world
            .principles
            .iter()
            .enumerate()
            .map(|(k, p)| PrincipleUse {
                id: p.id.clone(),
                title: p.title.clone(),
                status: p.status.as_str().into(),
                effect: p.effect.kind().into(),
                force: p.force.clone(),
                applied: applying.active[k]
                    && (tally.affected[k] > 0
                        || matches!(p.effect, Effect::Weigh { .. } | Effect::Explain { .. })),
                disabled: applying.disabled[k],
                overridden_by: applying.overridden_by[k].clone(),
                locations_affected: match p.effect {
                    Effect::Require { .. } | Effect::Adjust { .. } | Effect::Tier { .. } => {
                        tally.affected[k]
                    }
                    _ => 0,
                },
                source: p.source.clone(),
            })
            .collect()
    }

    /// Where rail minutes come from: measured journeys, the fitted model and access legs.
    fn rail_assumption(&self) -> Remark {
        let t = &self.world.settings.travel;
        let m = &self.world.rail_model;
        let p = &m.params;
        Remark::new("rail_assumption")
            .arg("measured_source", &m.measured_source)
            .arg("local_speed", p.local_speed_kmh)
            .arg("local_stop", p.local_stop_minutes)
            .arg("intercity_speed", p.intercity_speed_kmh)
            .arg("intercity_stop", p.intercity_stop_minutes)
            .arg("transfer", p.transfer_minutes)
            .arg("mae_percent", m.fit.mae_percent)
            .arg("access_speed", t.access_speed_kmh)
            .arg("detour", t.access_detour_factor)
            .arg("access_fixed", t.access_fixed_minutes)
    }

    /// The assumptions every advice rests on, with their sources.
    fn assumptions(&self, case: &Case) -> Vec<Note> {
        let mut out = vec![
            self.rail_assumption(),
            Remark::new("reach_assumption")
                .arg("minutes", self.world.settings.travel.reach_minutes),
            Remark::new("office_cost_proxy"),
            Remark::new("default_weights"),
            Remark::new("minister_decides"),
        ];
        if self
            .world
            .provinces
            .iter()
            .any(|p| p.higher_educated_share.is_estimate())
        {
            out.push(Remark::new("limburg_estimate"));
        }
        if !case.themes.is_empty() {
            out.push(self.theme_basis(case));
        }
        out.iter()
            .map(|r| {
                let (message, message_nl) = self.words.say(r);
                Note {
                    message,
                    message_nl,
                }
            })
            .collect()
    }

    /// What the thematic fit of this case rests on: the CBS jobs per sector and region for the
    /// themes a sector measures, delivered regional profiles, and the themes that count for
    /// nothing because neither measures them.
    fn theme_basis(&self, case: &Case) -> Remark {
        let w = &self.world;
        let themes: Vec<&crate::model::Theme> = case
            .themes
            .iter()
            .filter_map(|id| w.themes.iter().find(|t| &t.id == id))
            .collect();
        let measured: Vec<String> = themes
            .iter()
            .filter(|t| !t.sectors.is_empty())
            .map(|t| format!("{} ({})", t.title, t.sectors.join("+")))
            .collect();
        let unmeasured: Vec<&str> = themes
            .iter()
            .filter(|t| t.sectors.is_empty())
            .map(|t| t.title.as_str())
            .collect();
        let delivered: Vec<&str> = w
            .provinces
            .iter()
            .filter(|p| {
                p.profile_status == "ingediend" && case.themes.iter().any(|t| p.themes.contains(t))
            })
            .map(|p| p.name.as_str())
            .collect();
        Remark::new("theme_basis")
            .arg("year", w.sector_jobs.year)
            .arg("measured", measured)
            .arg("unmeasured", unmeasured)
            .arg("delivered", delivered)
    }

    /// A flag raised by `by` (a principle, or `engine`), in the catalogues' words.
    pub(crate) fn flag(&self, by: &str, r: Remark) -> Flag {
        let (message, message_nl) = self.words.say(&r);
        Flag {
            by: by.into(),
            message,
            message_nl,
        }
    }

    /// A reason to exclude a location, given by `by` (a principle, a criterion or `engine`).
    fn reason(&self, by: &str, r: Remark) -> Reason {
        let (message, message_nl) = self.words.say(&r);
        Reason {
            by: by.into(),
            message,
            message_nl,
        }
    }
}

/// The advice in one line: the first location, and what sets it apart from the next.
fn conclusion(world: &World, ranking: &[Ranked], bound: &[String]) -> Option<Conclusion> {
    let top = ranking.first()?;
    let next = ranking.get(1);
    let same_tier = next.is_none_or(|n| n.tier == top.tier);
    let gains = next.map_or_else(Vec::new, |n| gains(world, top, n));
    // The tiers that put the advised location above a location that scores higher.
    // and those that put the next location in a lower tier.
    let mut tiers: Vec<String> = Vec::new();
    let below = next.filter(|_| !same_tier);
    // Per location, only the first tier (in the order of precedence) that puts the advised
    // location above it: the reason that decides, not every reason that also holds.
    for r in ranking.iter().filter(|r| r.score > top.score).chain(below) {
        let first = r
            .lower_tiers
            .iter()
            .find(|t| top.lower_tiers.iter().all(|x| x.principle != t.principle));
        if let Some(t) = first
            && !tiers.contains(&t.principle)
        {
            tiers.push(t.principle.clone());
        }
    }
    let reasons: Vec<(String, String)> = tiers
        .iter()
        .filter_map(|id| match &world.principle(id)?.effect {
            Effect::Tier {
                because,
                because_en,
                ..
            } => Some((because.clone(), because_en.clone())),
            _ => None,
        })
        .collect();
    Some(Conclusion {
        location: top.location.clone(),
        name: top.name.clone(),
        province_name: top.province_name.clone(),
        randstad: top.randstad,
        runner_up: next.map(|n| n.location.clone()),
        runner_up_name: next.map(|n| n.name.clone()),
        same_tier,
        gains,
        because: reasons.iter().map(|r| r.0.clone()).collect(),
        because_en: reasons.iter().map(|r| r.1.clone()).collect(),
        tiers,
        primary_process: bound.contains(&top.location),
        current: top.current,
    })
}

fn sorted_indices(w: &World, codes: &[String]) -> Vec<usize> {
    let mut v: Vec<usize> = codes.iter().filter_map(|c| w.gemeente_index(c)).collect();
    v.sort_unstable();
    v.dedup();
    v
}
