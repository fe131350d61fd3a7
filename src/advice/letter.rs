//! What the advice documents say, as data for their templates (`templates/advice/`): the facts
//! behind the advice sentence, how sure it is, the cross-check, the ministry's preference, the
//! ranking and the exclusions, each already in the reader's language where the rules or the
//! engine supply both (titles, reasons). The words around them live in the templates.

use serde::Serialize;

use super::model::{Advice, Excluded, Ranked};
use crate::render::Lang;
use crate::render::format::lower_first;

/// Everything an advice template renders from.
#[derive(Debug, Clone, Serialize)]
pub struct LetterView<'a> {
    /// The advice as in the JSON output.
    pub advice: &'a Advice,
    /// `nl` or `en`.
    pub lang: &'static str,
    /// How many ranked and excluded locations to show.
    pub top: usize,
    pub shrink: bool,
    pub sentence: Option<Sentence>,
    pub sure: Option<Sureness>,
    pub cross_check: Option<CrossCheck>,
    pub preference: Option<PreferenceView>,
    pub ranking: Vec<RankedRow>,
    /// The first place's score, criterion by criterion.
    pub best: Option<BestScore>,
    pub stability: Vec<StabilityRow>,
    pub principles: Vec<PrincipleRow>,
    pub excluded: Vec<ExcludedRow>,
    pub weights: Vec<WeightRow>,
    /// Flag and assumption messages in the reader's language.
    pub flags: Vec<String>,
    pub assumptions: Vec<String>,
    /// The shrink split's method in the reader's language.
    pub split_method: Option<String>,
    /// True when some ranked location sits in a lower tier.
    pub tiered: bool,
    /// The ministry's request judged, in the reader's language.
    pub request: Option<RequestView>,
    /// When no location is feasible: the conflicting requirements and their relaxations.
    pub conflict: Vec<ConflictRow>,
    /// For a relocation within one labour market: the sentence that says so.
    pub labour_market: Option<String>,
}

/// The verdict on the ministry's preferred location, for the letter.
#[derive(Debug, Clone, Serialize)]
pub struct RequestView {
    pub name: String,
    pub province_name: String,
    /// `voldoet`, `gemotiveerd`, `niet-gemotiveerd` or `niet-haalbaar`.
    pub verdict: String,
    pub endorsed: bool,
    pub clearly_worse: bool,
    pub rank: Option<usize>,
    pub best: Option<StandingView>,
    pub best_complying: Option<StandingView>,
    /// Titles of the principles departed from (a grouped one not repeated).
    pub departed: Vec<String>,
    /// True when a departure lacks its motivation.
    pub missing_motivation: bool,
    /// The reasons it is not feasible.
    pub failures: Vec<String>,
    pub nearest: Option<super::model::Nearest>,
    pub nearest_complying: Option<super::model::Nearest>,
    pub counter: Option<CounterView>,
}

/// Another location beside the preference.
#[derive(Debug, Clone, Serialize)]
pub struct StandingView {
    pub name: String,
    pub province_name: String,
    pub rank: usize,
    /// Its score minus the preference's.
    pub gap: Option<f64>,
    /// The criteria that make the gap (titles in a sentence).
    pub gains: Vec<String>,
}

/// What would put the preference first.
#[derive(Debug, Clone, Serialize)]
pub struct CounterView {
    /// `first`, `weights`, `tier` or `none`.
    pub kind: String,
    pub tier_title: Option<String>,
    pub change: Option<f64>,
    pub within_band: bool,
    pub band: f64,
    pub shifts: Vec<ShiftRow>,
}

/// A criterion's weight before and after the counterfactual change.
#[derive(Debug, Clone, Serialize)]
pub struct ShiftRow {
    pub title: String,
    pub from: f64,
    pub to: f64,
}

/// A requirement of a conflicting set, and what relaxing it gives.
#[derive(Debug, Clone, Serialize)]
pub struct ConflictRow {
    pub requirement: String,
    pub relaxed: String,
}

/// The facts of the opening advice sentence.
#[derive(Debug, Clone, Serialize)]
pub struct Sentence {
    pub name: String,
    pub province_name: String,
    pub kind: String,
    pub fte: f64,
    /// The tier principles' reasons (rules/principles.toml `because`).
    pub because: Vec<String>,
    /// The next location and the criteria (titles in a sentence) on which the advised one gains
    /// most over it, when it also scores higher.
    pub runner_up: Option<String>,
    pub gains: Vec<String>,
    /// Shrink: where the reduction lands and which locations are spared.
    pub parts: Vec<ShrinkShare>,
    pub spared: Vec<String>,
    /// Titles of the principles whose motivation is missing.
    pub missing: Vec<String>,
    /// The advised location is a site the primary process binds the service to.
    pub primary_process: bool,
    /// The advised location is a current location (a relocation that stays).
    pub current: bool,
}

/// A location's share of a reduction.
#[derive(Debug, Clone, Serialize)]
pub struct ShrinkShare {
    pub name: String,
    pub fte: f64,
}

/// How sure the ranking is.
#[derive(Debug, Clone, Serialize)]
pub struct Sureness {
    pub top: String,
    /// Share of the samples with the advised location first.
    pub share: f64,
    pub samples: usize,
    /// Up to two other locations that come first in some samples.
    pub others: Vec<Share>,
    /// A location that comes first more often than the advised one.
    pub rival: Option<Share>,
    /// The weight the first place hangs on most: its criterion (title in a sentence), the
    /// interval within which the first place holds and who comes first beyond it.
    pub tight: Option<Tight>,
    /// The ministry's preference when it is not the first of the ranking: its share of the
    /// samples with it first.
    pub preferred: Option<Share>,
}

/// A location and a share of the samples.
#[derive(Debug, Clone, Serialize)]
pub struct Share {
    pub name: String,
    pub share: f64,
}

/// The narrowest weight interval.
#[derive(Debug, Clone, Serialize)]
pub struct Tight {
    pub criterion: String,
    pub lower: f64,
    pub upper: f64,
    pub other: Option<String>,
}

/// The cross-check by relative methods on the criteria alone.
#[derive(Debug, Clone, Serialize)]
pub struct CrossCheck {
    pub main: String,
    pub methods: Vec<CrossMethodRow>,
    pub differs: bool,
}

/// One cross-check method's top.
#[derive(Debug, Clone, Serialize)]
pub struct CrossMethodRow {
    pub method: String,
    pub top: String,
    pub tau: f64,
}

/// The ministry's preferred location against each principle.
#[derive(Debug, Clone, Serialize)]
pub struct PreferenceView {
    pub name: String,
    pub rank: Option<usize>,
    pub excluded: bool,
    pub items: Vec<PreferenceItem>,
}

/// One principle's verdict on the preferred location.
#[derive(Debug, Clone, Serialize)]
pub struct PreferenceItem {
    pub title: String,
    /// `complies`, `departs` or `weighs`.
    pub verdict: String,
    /// What the location's figures say, without the location's name in front.
    pub finding: String,
    pub motivation: Option<String>,
    /// The principle whose departure this one follows from (its motivation covers it).
    pub covered_by: Option<String>,
}

/// A row of the ranking.
#[derive(Debug, Clone, Serialize)]
pub struct RankedRow {
    pub rank: usize,
    pub name: String,
    pub province_name: String,
    pub randstad: bool,
    /// The lower tiers' labels, joined; empty in the first tier.
    pub group: String,
    pub score: f64,
}

/// The make-up of the first place's score.
#[derive(Debug, Clone, Serialize)]
pub struct BestScore {
    pub name: String,
    pub criteria: Vec<CriterionRow>,
    pub adjustments: Vec<AdjustmentRow>,
    pub travel: Vec<TravelRow>,
}

/// One criterion's part in a score.
#[derive(Debug, Clone, Serialize)]
pub struct CriterionRow {
    pub title: String,
    pub raw: Option<f64>,
    pub unit: String,
    pub applies: bool,
    pub estimate: bool,
    pub value: f64,
    pub weight: f64,
    pub contribution: f64,
}

/// A principle's adjustment of a score.
#[derive(Debug, Clone, Serialize)]
pub struct AdjustmentRow {
    pub title: String,
    pub delta: f64,
}

/// Rail minutes to a place the requirements name.
#[derive(Debug, Clone, Serialize)]
pub struct TravelRow {
    pub name: String,
    pub minutes: Option<f64>,
    pub measured: bool,
}

/// A weight interval within which the first place holds.
#[derive(Debug, Clone, Serialize)]
pub struct StabilityRow {
    pub title: String,
    pub weight: f64,
    pub lower: f64,
    pub upper: f64,
    /// Who comes first below and above the interval.
    pub beyond: Vec<String>,
}

/// A principle and what it did.
#[derive(Debug, Clone, Serialize)]
pub struct PrincipleRow {
    pub title: String,
    pub status: String,
    pub effect: String,
    /// `disabled`, `overridden`, `applied` or `not-applied`.
    pub state: &'static str,
    pub overridden_by: Option<String>,
    pub locations_affected: usize,
}

/// An excluded location with its reasons.
#[derive(Debug, Clone, Serialize)]
pub struct ExcludedRow {
    pub name: String,
    pub province_name: String,
    pub reasons: Vec<ReasonRow>,
}

/// One reason, under the principle or criterion that gave it (none for the engine's own).
#[derive(Debug, Clone, Serialize)]
pub struct ReasonRow {
    pub by: Option<String>,
    pub message: String,
}

/// A criterion's weight and source.
#[derive(Debug, Clone, Serialize)]
pub struct WeightRow {
    pub title: String,
    pub weight: f64,
    pub origin: String,
    pub source: String,
    pub reference_date: String,
}

/// Picks the text of the reader's language.
fn pick<'s>(lang: Lang, nl: &'s str, en: &'s str) -> String {
    match lang {
        Lang::Nl => nl,
        Lang::En => en,
    }
    .to_string()
}

impl<'a> LetterView<'a> {
    /// The view of `a` for readers of `lang`, showing `top` ranked and excluded locations.
    pub fn new(a: &'a Advice, lang: Lang, top: usize) -> LetterView<'a> {
        LetterView {
            advice: a,
            lang: match lang {
                Lang::Nl => "nl",
                Lang::En => "en",
            },
            top: top.min(a.ranking.len().max(a.excluded.len())),
            shrink: a.ranking_meaning == "shrink-priority",
            sentence: sentence(a, lang),
            sure: sureness(a, lang),
            cross_check: cross_check(a),
            preference: preference(a, lang),
            ranking: a.ranking.iter().map(|r| ranked_row(r, lang)).collect(),
            best: a.ranking.first().map(|r| best_score(a, r, lang)),
            stability: stability(a, lang),
            principles: principles(a),
            excluded: a
                .excluded
                .iter()
                .map(|x| excluded_row(a, x, lang))
                .collect(),
            weights: a
                .weights
                .iter()
                .map(|w| WeightRow {
                    title: pick(lang, &w.title, &w.title_en),
                    weight: w.weight,
                    origin: w.origin.clone(),
                    source: w.source.clone(),
                    reference_date: w.reference_date.clone(),
                })
                .collect(),
            flags: a
                .flags
                .iter()
                .map(|f| pick(lang, &f.message_nl, &f.message))
                .collect(),
            assumptions: a
                .assumptions
                .iter()
                .map(|s| pick(lang, &s.message_nl, &s.message))
                .collect(),
            split_method: a
                .shrink_split
                .as_ref()
                .map(|s| pick(lang, &s.method_nl, &s.method)),
            tiered: a.ranking.iter().any(|r| r.tier > 0),
            request: request(a, lang),
            conflict: a
                .infeasible
                .iter()
                .flat_map(|x| &x.conflict)
                .map(|c| ConflictRow {
                    requirement: pick(lang, &c.requirement_nl, &c.requirement),
                    relaxed: pick(lang, &c.relaxed_nl, &c.relaxed),
                })
                .collect(),
            labour_market: a
                .same_labour_market
                .as_ref()
                .map(|m| pick(lang, &m.message_nl, &m.message)),
        }
    }
}

/// The request's verdict and standing in the reader's language.
fn request(a: &Advice, lang: Lang) -> Option<RequestView> {
    let r = a.request.as_ref()?;
    let standing = |s: &super::model::Standing| StandingView {
        name: s.name.clone(),
        province_name: s.province_name.clone(),
        rank: s.rank,
        gap: s.gap,
        gains: s
            .gains
            .iter()
            .map(|g| lower_first(&pick(lang, &g.title, &g.title_en)))
            .collect(),
    };
    Some(RequestView {
        name: r.name.clone(),
        province_name: r.province_name.clone(),
        verdict: r.verdict.clone(),
        endorsed: r.endorsed,
        clearly_worse: r.not_endorsed_because.is_some(),
        rank: r.rank,
        best: r.best.as_ref().map(standing),
        best_complying: r.best_complying.as_ref().map(standing),
        departed: r.departures.iter().map(|d| d.title.clone()).collect(),
        missing_motivation: r.departures.iter().any(|d| !d.motivated),
        failures: r
            .failures
            .iter()
            .map(|f| pick(lang, &f.message_nl, &f.message))
            .collect(),
        nearest: r.nearest_feasible.clone(),
        nearest_complying: r.nearest_complying.clone(),
        counter: r.counterfactual.as_ref().map(|c| CounterView {
            kind: c.kind.clone(),
            tier_title: c.tier_title.clone(),
            change: c.change,
            within_band: c.within_band,
            band: c.band,
            shifts: c
                .weights
                .iter()
                .map(|x| ShiftRow {
                    title: lower_first(&pick(lang, &x.title, &x.title_en)),
                    from: x.from,
                    to: x.to,
                })
                .collect(),
        }),
    })
}

/// A criterion's title in the reader's language, from the weights the advice carries.
fn criterion_title(a: &Advice, id: &str, lang: Lang) -> String {
    a.weights
        .iter()
        .find(|w| w.criterion == id)
        .map_or(id.to_string(), |w| pick(lang, &w.title, &w.title_en))
}

/// The name of a location in the advice, or its code when it is not ranked.
fn name_of(a: &Advice, code: &str) -> String {
    a.ranking
        .iter()
        .find(|r| r.location == code)
        .map_or_else(|| code.to_string(), |r| r.name.clone())
}

fn sentence(a: &Advice, lang: Lang) -> Option<Sentence> {
    let con = a.conclusion.as_ref()?;
    let c = &a.case;
    let top_score = a.ranking.first().map_or(0.0, |r| r.score);
    let next_score = a.ranking.get(1).map_or(0.0, |r| r.score);
    let scores_higher = top_score >= next_score && con.runner_up_name.is_some();
    let gains = if scores_higher {
        con.gains
            .iter()
            .map(|g| lower_first(&pick(lang, &g.title, &g.title_en)))
            .collect()
    } else {
        Vec::new()
    };
    let parts = a.shrink_split.iter().flat_map(|x| &x.parts);
    Some(Sentence {
        name: con.name.clone(),
        province_name: con.province_name.clone(),
        kind: c.kind.clone(),
        fte: c.fte,
        because: match lang {
            Lang::Nl => con.because.clone(),
            Lang::En => con.because_en.clone(),
        },
        runner_up: con.runner_up_name.clone(),
        gains,
        parts: parts
            .clone()
            .filter(|p| p.reduction_fte > 0.0)
            .map(|p| ShrinkShare {
                name: p.name.clone(),
                fte: p.reduction_fte,
            })
            .collect(),
        spared: parts
            .filter(|p| p.reduction_fte <= 0.0)
            .map(|p| p.name.clone())
            .collect(),
        missing: a
            .motivations
            .iter()
            .filter(|m| !m.given)
            .map(|m| m.title.clone())
            .collect(),
        primary_process: con.primary_process,
        current: con.current,
    })
}

fn sureness(a: &Advice, lang: Lang) -> Option<Sureness> {
    let rb = a.robustness.as_ref()?;
    let top = a.ranking.first()?;
    // With one feasible location there is nothing to be sure about.
    if a.ranking.len() < 2 {
        return None;
    }
    let mut firsts: Vec<Share> = rb
        .rank_acceptability
        .iter()
        .filter(|x| x.ranks.first().is_some_and(|p| *p > 0.0))
        .map(|x| Share {
            name: x.name.clone(),
            share: x.ranks[0],
        })
        .collect();
    firsts.sort_by(|a, b| b.share.total_cmp(&a.share).then(a.name.cmp(&b.name)));
    let share = firsts
        .iter()
        .find(|s| s.name == top.name)
        .map_or(0.0, |s| s.share);
    let preferred = a
        .request
        .as_ref()
        .filter(|r| r.location != top.location)
        .map(|r| Share {
            name: r.name.clone(),
            share: rb
                .rank_acceptability
                .iter()
                .find(|x| x.location == r.location)
                .and_then(|x| x.ranks.first().copied())
                .unwrap_or(0.0),
        });
    // The weight with the narrowest room: the one the first place hangs on most.
    let tight = rb
        .stability_intervals
        .iter()
        .filter(|iv| iv.weight > 0.0)
        .map(|iv| {
            let room = ((iv.weight - iv.lower).min(iv.upper - iv.weight)) / iv.weight;
            (room, iv)
        })
        .min_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, iv)| Tight {
            criterion: lower_first(&criterion_title(a, &iv.criterion, lang)),
            lower: iv.lower,
            upper: iv.upper,
            other: iv
                .below
                .as_ref()
                .or(iv.above.as_ref())
                .map(|c| name_of(a, c)),
        });
    let rival = firsts
        .iter()
        .filter(|s| s.name != top.name && s.share > share)
        .max_by(|a, b| a.share.total_cmp(&b.share))
        .cloned();
    Some(Sureness {
        top: top.name.clone(),
        share,
        samples: rb.samples,
        others: firsts
            .iter()
            .filter(|s| s.name != top.name)
            .take(2)
            .cloned()
            .collect(),
        rival,
        tight,
        preferred,
    })
}

fn cross_check(a: &Advice) -> Option<CrossCheck> {
    let cc = &a.robustness.as_ref()?.cross_check;
    // With no method that could run there is nothing to cross-check.
    if cc.methods.iter().all(|m| m.skipped.is_some()) {
        return None;
    }
    Some(CrossCheck {
        main: name_of(a, cc.main_top.as_deref()?),
        methods: cc
            .methods
            .iter()
            .filter(|m| m.skipped.is_none())
            .filter_map(|m| {
                Some(CrossMethodRow {
                    method: if m.method == "topsis" {
                        "TOPSIS"
                    } else {
                        "PROMETHEE II"
                    }
                    .into(),
                    top: name_of(a, m.ranking.first()?),
                    tau: m.kendall_tau,
                })
            })
            .collect(),
        differs: cc.methods.iter().any(|m| m.top_differs),
    })
}

fn preference(a: &Advice, lang: Lang) -> Option<PreferenceView> {
    let p = a.preference.as_ref()?;
    let prefix = format!("{}: ", p.name);
    Some(PreferenceView {
        name: p.name.clone(),
        rank: p.rank,
        excluded: p.excluded,
        items: p
            .items
            .iter()
            .map(|item| {
                let finding = pick(lang, &item.finding_nl, &item.finding);
                PreferenceItem {
                    title: item.title.clone(),
                    verdict: item.verdict.clone(),
                    finding: finding
                        .strip_prefix(&prefix)
                        .map_or(finding.clone(), str::to_string),
                    motivation: item.motivation.clone(),
                    covered_by: item.covered_by.clone(),
                }
            })
            .collect(),
    })
}

fn ranked_row(r: &Ranked, lang: Lang) -> RankedRow {
    RankedRow {
        rank: r.rank,
        name: r.name.clone(),
        province_name: r.province_name.clone(),
        randstad: r.randstad,
        group: r
            .lower_tiers
            .iter()
            .map(|x| pick(lang, &x.label, &x.label_en))
            .collect::<Vec<_>>()
            .join("; "),
        score: r.score,
    }
}

fn best_score(a: &Advice, r: &Ranked, lang: Lang) -> BestScore {
    BestScore {
        name: r.name.clone(),
        criteria: r
            .contributions
            .iter()
            .filter(|c| c.weight > 0.0)
            .map(|c| CriterionRow {
                title: criterion_title(a, &c.criterion, lang),
                raw: c.raw,
                unit: a
                    .weights
                    .iter()
                    .find(|w| w.criterion == c.criterion)
                    .map_or(String::new(), |w| w.unit.clone()),
                applies: c.applies,
                estimate: c.estimate,
                value: c.value,
                weight: c.weight,
                contribution: c.contribution,
            })
            .collect(),
        adjustments: r
            .adjustments
            .iter()
            .map(|x| AdjustmentRow {
                title: a
                    .principles
                    .iter()
                    .find(|p| p.id == x.principle)
                    .map_or(x.principle.clone(), |p| p.title.clone()),
                delta: x.delta,
            })
            .collect(),
        travel: r
            .travel
            .iter()
            .map(|t| TravelRow {
                name: t.name.clone(),
                minutes: t.minutes,
                measured: t.measured,
            })
            .collect(),
    }
}

fn stability(a: &Advice, lang: Lang) -> Vec<StabilityRow> {
    let Some(rb) = &a.robustness else {
        return Vec::new();
    };
    rb.stability_intervals
        .iter()
        .filter(|iv| iv.weight > 0.0)
        .map(|iv| StabilityRow {
            title: criterion_title(a, &iv.criterion, lang),
            weight: iv.weight,
            lower: iv.lower,
            upper: iv.upper,
            beyond: [&iv.below, &iv.above]
                .into_iter()
                .flatten()
                .map(|c| name_of(a, c))
                .collect(),
        })
        .collect()
}

fn principles(a: &Advice) -> Vec<PrincipleRow> {
    a.principles
        .iter()
        .map(|p| PrincipleRow {
            title: p.title.clone(),
            status: p.status.clone(),
            effect: p.effect.clone(),
            state: if p.disabled {
                "disabled"
            } else if p.overridden_by.is_some() {
                "overridden"
            } else if p.applied {
                "applied"
            } else {
                "not-applied"
            },
            overridden_by: p.overridden_by.as_ref().map(|by| {
                a.principles
                    .iter()
                    .find(|q| &q.id == by)
                    .map_or(by.clone(), |q| q.title.clone())
            }),
            locations_affected: p.locations_affected,
        })
        .collect()
}

fn excluded_row(a: &Advice, x: &Excluded, lang: Lang) -> ExcludedRow {
    ExcludedRow {
        name: x.name.clone(),
        province_name: x.province_name.clone(),
        reasons: x
            .reasons
            .iter()
            .map(|r| ReasonRow {
                by: a
                    .principles
                    .iter()
                    .find(|p| p.id == r.by)
                    .map(|p| p.title.clone())
                    .or_else(|| {
                        a.weights
                            .iter()
                            .any(|w| w.criterion == r.by)
                            .then(|| criterion_title(a, &r.by, lang))
                    }),
                message: pick(lang, &r.message_nl, &r.message),
            })
            .collect(),
    }
}
