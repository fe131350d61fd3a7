//! The guiding principles applied to one case: which apply (their `when`, the case's and the
//! run's switches, and stated precedence), where they put each location (tiers), the shortlist
//! they ask for, and comply or explain for the ministry's preferred location.
//!
//! A principle's force is its effect in `rules/principles.toml`: a tier orders locations before
//! the score, a requirement excludes, an adjustment or a weighing changes the score, a flag
//! informs, comply-or-explain asks a motivation for a departure, alternatives shape the shortlist.

use serde::Serialize;

use crate::advice::model::{
    Assessment, Excluded, Motivation, Preference, Ranked, Reason, ShortlistItem, TierPlace,
};
use crate::model::{Case, Effect, Lower, Principle, World};
use crate::render::words::{Remark, Words};
use crate::rules::{Attr, Facts, Value};

/// Which principles apply to a case, and why the others do not.
#[derive(Debug, Clone)]
pub struct Applying {
    /// True when the principle applies: its condition holds, it is not switched off and no
    /// applying principle overrides it.
    pub active: Vec<bool>,
    pub disabled: Vec<bool>,
    /// The principle that set it aside, when one did.
    pub overridden_by: Vec<Option<String>>,
}

impl Applying {
    /// Evaluates `when`, the switches and the stated precedence (`overrides`).
    pub fn new(world: &World, case: &Case, extra_disabled: &[String], base: &Facts) -> Applying {
        let ps = &world.principles;
        let disabled: Vec<bool> = ps
            .iter()
            .map(|p| case.disabled_principles.contains(&p.id) || extra_disabled.contains(&p.id))
            .collect();
        let holds: Vec<bool> = ps
            .iter()
            .zip(&disabled)
            .map(|(p, d)| !d && p.when.as_ref().is_none_or(|c| c.eval(base)))
            .collect();
        let mut overridden_by = vec![None; ps.len()];
        for (k, p) in ps.iter().enumerate() {
            if !holds[k] {
                continue;
            }
            for o in &p.overrides {
                if let Some(j) = ps.iter().position(|q| &q.id == o)
                    && holds[j]
                {
                    overridden_by[j] = Some(p.id.clone());
                }
            }
        }
        let active = holds
            .iter()
            .zip(&overridden_by)
            .map(|(h, o)| *h && o.is_none())
            .collect();
        Applying {
            active,
            disabled,
            overridden_by,
        }
    }

    /// The applying principles with their index.
    pub fn iter<'w>(&self, world: &'w World) -> impl Iterator<Item = (usize, &'w Principle)> {
        let active = self.active.clone();
        world
            .principles
            .iter()
            .enumerate()
            .filter(move |(k, _)| active[*k])
    }
}

/// True when the case motivates a departure from principle `p` (its `[motivation]` table),
/// under its own id or under the principle it `follows`.
pub fn motivated(case: &Case, p: &Principle) -> bool {
    motivation_of(case, p).is_some()
}

/// The case's motivation for a departure from `p`: under its own id, or under the principle it
/// `follows` (one departure, one motivation).
fn motivation_of(case: &Case, p: &Principle) -> Option<String> {
    case.motivation
        .get(&p.id)
        .or_else(|| p.follows.as_ref().and_then(|f| case.motivation.get(f)))
        .cloned()
}

/// True when the location is a site the case's primary process binds the service to.
fn is_bound(facts: &Facts) -> bool {
    facts.get(Attr::LocBound) == Some(&Value::Bool(true))
}

/// True for a requirement that is the case's own (`location.meets_requirements`): a preference
/// that fails it is not feasible, and no motivation can change that.
pub fn is_case_requirement(target: &crate::rules::Predicate) -> bool {
    matches!(
        target,
        crate::rules::Predicate::Cmp {
            attr: Attr::LocMeetsRequirements,
            ..
        }
    )
}

/// The lower tiers a location is in. The ministry's preferred location, motivated under a
/// principle whose lower tier needs a motivation, joins that principle's first tier.
pub fn lower_tiers(
    world: &World,
    applying: &Applying,
    case: &Case,
    location: &str,
    facts: &Facts,
) -> Vec<TierPlace> {
    let preferred = case.preferred_location.as_deref() == Some(location);
    applying
        .iter(world)
        .filter_map(|(_, p)| match &p.effect {
            Effect::Tier {
                target,
                lower,
                label,
                label_en,
                ..
            } => {
                // A motivated preference joins the first tier of a principle that needs a
                // motivation; so does a site the primary process binds the service to, whose
                // binding is its own explanation.
                let lifted = *lower == Lower::NeedsMotivation
                    && ((preferred && motivated(case, p)) || is_bound(facts));
                (!target.eval(facts) && !lifted).then(|| TierPlace {
                    principle: p.id.clone(),
                    label: label.clone(),
                    label_en: label_en.clone(),
                    needs_motivation: *lower == Lower::NeedsMotivation,
                })
            }
            _ => None,
        })
        .collect()
}

/// The tier key of a location: for each applying tier principle in the order of the rules,
/// whether the location is in its lower tier. Compared lexicographically, first tier first.
pub fn tier_key(world: &World, applying: &Applying, r: &Ranked) -> Vec<bool> {
    applying
        .iter(world)
        .filter(|(_, p)| matches!(p.effect, Effect::Tier { .. }))
        .map(|(_, p)| r.lower_tiers.iter().any(|t| t.principle == p.id))
        .collect()
}

/// Numbers the tiers of a ranking sorted by tier key: 0 for the first tier, one more at every
/// change of key.
pub fn number_tiers(world: &World, applying: &Applying, ranking: &mut [Ranked]) {
    let mut tier = 0;
    let mut last: Option<Vec<bool>> = None;
    for r in ranking.iter_mut() {
        let key = tier_key(world, applying, r);
        if let Some(l) = &last
            && *l != key
        {
            tier += 1;
        }
        if key.iter().all(|x| !x) {
            tier = 0;
        }
        r.tier = tier;
        last = Some(key);
    }
}

/// The shortlist: at least `min` alternatives from the first tiers (a location that needs a
/// motivation only when too few others are feasible), and `outside_min` of them outside the
/// Randstad when such a location is feasible.
pub fn shortlist(
    ranking: &[Ranked],
    wanted: &Wanted,
    region_of: &dyn Fn(&Ranked) -> String,
) -> Vec<ShortlistItem> {
    let (min, outside_min, by) = (wanted.min, wanted.outside_randstad, wanted.by.as_deref());
    let needs = |r: &Ranked| r.lower_tiers.iter().any(|t| t.needs_motivation);
    let item = |r: &Ranked, reason: &str| ShortlistItem {
        location: r.location.clone(),
        name: r.name.clone(),
        province_name: r.province_name.clone(),
        rank: r.rank,
        randstad: r.randstad,
        reason: reason.into(),
        needs_motivation: needs(r),
        preferred: false,
    };
    let mut list: Vec<ShortlistItem> = ranking
        .iter()
        .filter(|r| !needs(r))
        .take(min)
        .map(|r| item(r, "top"))
        .collect();
    // Too few without a motivation: the next locations, marked as needing one.
    for r in ranking.iter().filter(|r| needs(r)) {
        if list.len() >= min {
            break;
        }
        list.push(item(r, "top"));
    }
    if let Some(by) = by {
        let mut outside = list.iter().filter(|s| !s.randstad).count();
        for r in ranking.iter().filter(|r| !r.randstad) {
            if outside >= outside_min {
                break;
            }
            if list.iter().all(|s| s.location != r.location) {
                list.push(item(r, by));
                outside += 1;
            }
        }
        // Three towns of one province are one alternative in three names: add the best
        // location of another region (one that needs no motivation first) until the list spans
        // the regions asked for, as far as the feasible set allows.
        let region = |code: &str| {
            ranking
                .iter()
                .find(|r| r.location == code)
                .map(region_of)
                .unwrap_or_default()
        };
        let mut seen: Vec<String> = list.iter().map(|s| region(&s.location)).collect();
        seen.sort();
        seen.dedup();
        while seen.len() < wanted.regions {
            let next = ranking
                .iter()
                .filter(|r| !seen.contains(&region_of(r)))
                .min_by_key(|r| (needs(r), r.rank));
            let Some(r) = next else { break };
            seen.push(region_of(r));
            list.push(item(r, "other-region"));
        }
    }
    list.sort_by_key(|s| s.rank);
    list
}

/// The alternatives the `alternatives` principle asks for: how many, how many outside the
/// Randstad, from how many regions, and by which principle (none when it does not apply).
#[derive(Debug, Clone)]
pub struct Wanted {
    pub min: usize,
    pub outside_randstad: usize,
    pub regions: usize,
    pub region: crate::model::RegionKind,
    pub by: Option<String>,
}

/// Words for a principle's verdict on one location.
struct Verdict {
    verdict: &'static str,
    finding: String,
    finding_nl: String,
}

/// Comply or explain: how the preferred location fares under every applying principle, and the
/// motivations its departures need. `facts` are the preferred location's; `ranked` its place in
/// the ranking and `excluded` its exclusion, whichever applies.
#[allow(clippy::too_many_arguments)]
pub fn assess_preference(
    world: &World,
    catalogue: &Words,
    applying: &Applying,
    case: &Case,
    facts: &Facts,
    ranked: Option<&Ranked>,
    excluded: Option<&Excluded>,
    name: &str,
    words: &dyn Fn(bool, &crate::rules::Predicate, &Facts, bool) -> String,
) -> (Preference, Vec<Motivation>) {
    let location = case.preferred_location.clone().unwrap_or_default();
    // Comply or explain is asked when an `explain` principle without a target applies.
    let generic = applying
        .iter(world)
        .any(|(_, p)| matches!(p.effect, Effect::Explain { target: None }));
    let judge = Judge {
        world,
        case,
        catalogue,
        facts,
        ranked,
        excluded,
        name,
        words,
    };
    let mut items = Vec::new();
    let mut motivations = Vec::new();
    for (_, p) in applying.iter(world) {
        let Some(v) = judge.verdict(p) else {
            continue;
        };
        // A departure from a tier, a requirement or a targeted comply-or-explain needs a
        // motivation under the principle's id (when comply or explain applies at all).
        let own = matches!(&p.effect, Effect::Require { target } if is_case_requirement(target));
        let asks = v.verdict == "departs"
            && !own
            && (generic || matches!(p.effect, Effect::Explain { target: Some(_) }));
        let text = motivation_of(case, p);
        // A departure that follows from another departure is grouped under it: one motivation.
        let parent = p.follows.as_ref().and_then(|f| {
            motivations
                .iter_mut()
                .find(|m: &&mut Motivation| &m.principle == f)
        });
        let covered_by = match parent {
            Some(m) if asks => {
                m.grouped.push(p.id.clone());
                Some(m.title.clone())
            }
            _ if asks => {
                motivations.push(v.motivation(p, &location, name, text.clone()));
                None
            }
            _ => None,
        };
        items.push(Assessment {
            principle: p.id.clone(),
            title: p.title.clone(),
            verdict: v.verdict.into(),
            finding: v.finding,
            finding_nl: v.finding_nl,
            motivation: if v.verdict == "departs" && covered_by.is_none() {
                text
            } else {
                None
            },
            covered_by,
        });
    }
    (
        Preference {
            location,
            name: name.to_string(),
            rank: ranked.map(|r| r.rank),
            excluded: excluded.is_some(),
            items,
        },
        motivations,
    )
}

impl Verdict {
    /// The motivation a departure under principle `p` asks for, with the case's `text` if any.
    fn motivation(
        &self,
        p: &Principle,
        location: &str,
        name: &str,
        text: Option<String>,
    ) -> Motivation {
        Motivation {
            principle: p.id.clone(),
            title: p.title.clone(),
            location: location.to_string(),
            name: name.to_string(),
            departure: self.finding.clone(),
            departure_nl: self.finding_nl.clone(),
            given: text.is_some(),
            text,
            grouped: Vec::new(),
        }
    }
}

/// What the preferred location's verdicts are judged from.
struct Judge<'a> {
    world: &'a World,
    case: &'a Case,
    catalogue: &'a Words,
    facts: &'a Facts,
    ranked: Option<&'a Ranked>,
    excluded: Option<&'a Excluded>,
    name: &'a str,
    words: &'a dyn Fn(bool, &crate::rules::Predicate, &Facts, bool) -> String,
}

impl Judge<'_> {
    /// The verdict of principle `p`; none where the principle says nothing about one location.
    fn verdict(&self, p: &Principle) -> Option<Verdict> {
        Some(match &p.effect {
            Effect::Tier {
                target,
                label,
                label_en,
                lower,
                ..
            } => self.tier(p, target, (label, label_en), *lower),
            Effect::Require { target } => self.require(&p.id, target),
            Effect::Adjust { target, delta } => self.adjust(target, *delta),
            // An excluded location is not scored: the weighing principles say nothing about it.
            Effect::Weigh { .. } if self.ranked.is_none() => return None,
            Effect::Weigh { criteria } => self.weigh(criteria),
            Effect::Explain {
                target: Some(target),
            } => self.plain(target),
            Effect::Explain { target: None }
            | Effect::Flag { .. }
            | Effect::Alternatives { .. } => return None,
        })
    }

    /// Complies or departs, in the predicate's own words.
    fn plain(&self, target: &crate::rules::Predicate) -> Verdict {
        let holds = target.eval(self.facts);
        self.verdict_of(
            if holds { "complies" } else { "departs" },
            Remark::new("finding")
                .arg("name", self.name)
                .arg("words", (self.words)(true, target, self.facts, holds))
                .arg("words_en", (self.words)(false, target, self.facts, holds)),
        )
    }

    fn tier(
        &self,
        p: &Principle,
        target: &crate::rules::Predicate,
        (label, label_en): (&str, &str),
        lower: Lower,
    ) -> Verdict {
        // A motivated preference joins the first tier of a principle that needs a motivation;
        // a site the primary process binds the service to needs no motivation there.
        let lifted = lower == Lower::NeedsMotivation && motivated(self.case, p);
        if lower == Lower::NeedsMotivation && is_bound(self.facts) {
            return self.verdict_of(
                "complies",
                Remark::new("bound_exempt")
                    .arg("name", self.name)
                    .arg("words", (self.words)(true, target, self.facts, false))
                    .arg("words_en", (self.words)(false, target, self.facts, false)),
            );
        }
        if target.eval(self.facts) {
            return self.plain(target);
        }
        let verdict = if lower == Lower::Order {
            "orders"
        } else {
            "departs"
        };
        self.verdict_of(
            verdict,
            Remark::new("tier_departs")
                .arg("name", self.name)
                .arg("words", (self.words)(true, target, self.facts, false))
                .arg("words_en", (self.words)(false, target, self.facts, false))
                .arg("label", label)
                .arg("label_en", label_en)
                .arg("needs_motivation", lower == Lower::NeedsMotivation)
                .arg("lifted", lifted),
        )
    }

    fn require(&self, id: &str, target: &crate::rules::Predicate) -> Verdict {
        if target.eval(self.facts) {
            return self.plain(target);
        }
        let reasons: Vec<&Reason> = self
            .excluded
            .map(|x| x.reasons.iter().filter(|r| r.by == id).collect())
            .unwrap_or_default();
        // Kept in the ranking by a motivated departure: the requirement in its own words.
        if reasons.is_empty() {
            return self.plain(target);
        }
        self.verdict_of(
            "departs",
            Remark::new("require_departs")
                .arg("name", self.name)
                .arg("reasons", reasons),
        )
    }

    fn adjust(&self, target: &crate::rules::Predicate, delta: f64) -> Verdict {
        self.verdict_of(
            "weighs",
            Remark::new("adjust")
                .arg("name", self.name)
                .arg("gets", target.eval(self.facts))
                .arg("delta", delta),
        )
    }

    /// The location's raw figure on each of the principle's criteria, or that the criterion
    /// does not count there.
    fn weigh(&self, criteria: &[String]) -> Verdict {
        let items: Vec<WeighItem> = match self.ranked {
            Some(r) => criteria
                .iter()
                .filter_map(|id| self.world.criteria.iter().find(|c| &c.id == id))
                .filter_map(|c| {
                    let x = r.contributions.iter().find(|x| x.criterion == c.id)?;
                    Some(WeighItem {
                        title: &c.title,
                        title_en: &c.title_en,
                        raw: x.raw,
                        unit: &c.unit,
                        applies: x.applies,
                    })
                })
                .collect(),
            None => Vec::new(),
        };
        let counted = items.iter().any(|i| i.applies);
        self.verdict_of(
            if counted { "weighs" } else { "not-counted" },
            Remark::new("weigh")
                .arg("name", self.name)
                .arg("items", items),
        )
    }

    /// A verdict with its finding in the catalogues' words.
    fn verdict_of(&self, verdict: &'static str, finding: Remark) -> Verdict {
        let (finding, finding_nl) = self.catalogue.say(&finding);
        Verdict {
            verdict,
            finding,
            finding_nl,
        }
    }
}

/// One criterion of a weighing principle as the finding names it: its title, the location's
/// raw figure in the criterion's unit, and whether the criterion counts there.
#[derive(Serialize)]
struct WeighItem<'a> {
    title: &'a str,
    title_en: &'a str,
    raw: Option<f64>,
    unit: &'a str,
    applies: bool,
}

/// Names for the values of predicates in words: gemeente and province codes become names.
pub fn namer(world: &World) -> impl Fn(Attr, &Value) -> String + '_ {
    move |attr, v| match (attr, v) {
        (Attr::LocCode, Value::Text(c)) => world
            .gemeente_index(c)
            .map_or(c.clone(), |i| world.gemeenten[i].name.clone()),
        (Attr::LocProvince, Value::Text(c)) => {
            world.province(c).map_or(c.clone(), |p| p.name.clone())
        }
        (Attr::CaseMinistry, Value::Text(c)) => world
            .settings
            .ministry_names
            .get(c)
            .cloned()
            .unwrap_or_else(|| c.clone()),
        (_, Value::Text(t)) => t.clone(),
        (_, Value::Bool(b)) => b.to_string(),
        (_, Value::Number(x)) => x.to_string(),
    }
}
