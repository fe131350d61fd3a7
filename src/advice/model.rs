//! The advice as data: what `advise` computes and every renderer shows. This is also the JSON
//! output; its schema is committed as `schema/advice.schema.json` and a test fails when the two
//! drift apart.

use schemars::JsonSchema;
use serde::Serialize;

/// Version of the JSON output's shape; raised on every incompatible change.
pub const SCHEMA_VERSION: u32 = 1;

/// The advice as pretty JSON with a trailing newline (the `--format json` output).
pub fn json(advice: &Advice) -> String {
    let mut s = serde_json::to_string_pretty(advice).expect("the advice serialises");
    s.push('\n');
    s
}

/// A location advice for one case.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Advice {
    /// Version of this output's shape.
    pub schema_version: u32,
    /// Version of the engine that produced the advice.
    pub engine_version: String,
    /// SHA-256 over the profile and rule files, the case file and the run options.
    pub input_digest: String,
    /// The case as given.
    pub case: CaseSummary,
    /// True when the FTE at stake reach the advice threshold (settings.toml).
    pub advice_required: bool,
    /// The advice threshold in FTE (settings.toml `thresholds.advice_fte`).
    pub advice_threshold: f64,
    /// `suitability` (higher is a better place for the service) or `shrink-priority` (for a
    /// shrink case: higher means shrink here first).
    pub ranking_meaning: String,
    /// False when a comply-or-explain motivation is missing (exit code 1) or when no location
    /// meets the hard requirements (exit code 4; see `infeasible`).
    pub complete: bool,
    /// Why the advice is complete or not: `complete`, `motivation-missing` (exit code 1) or
    /// `infeasible` (no location meets the hard requirements; exit code 4).
    pub status: String,
    /// The weights used, normalised to sum to 1.
    pub weights: Vec<WeightUsed>,
    /// Feasible locations, best first.
    pub ranking: Vec<Ranked>,
    /// The alternatives the advice presents (at least three, one outside the Randstad when
    /// feasible).
    pub shortlist: Vec<ShortlistItem>,
    /// Locations excluded by hard requirements, with every reason.
    pub excluded: Vec<Excluded>,
    /// Every principle with whether it applied in this run.
    pub principles: Vec<PrincipleUse>,
    /// Messages for the reader.
    pub flags: Vec<Flag>,
    /// Comply-or-explain motivations needed and given.
    pub motivations: Vec<Motivation>,
    /// The ministry's preferred location assessed against every principle that applies.
    pub preference: Option<Preference>,
    /// The ministry's request judged: the verdict on its preferred location, where it stands and
    /// what would put it first.
    pub request: Option<Request>,
    /// When no location meets the hard requirements: the smallest set of requirements that
    /// cannot hold together, and what relaxing each would give.
    pub infeasible: Option<Infeasibility>,
    /// The sites the primary process binds the service to (`[requirements] bound_to`, or a short
    /// rail requirement to a current location).
    pub bound_sites: Vec<String>,
    /// For a relocation: the advised location lies in the labour market of a current location
    /// (the same COROP region or metropolitan region), so the move barely changes the spread.
    pub same_labour_market: Option<LabourMarket>,
    /// The advice in one line: the location advised and the criteria that set it apart.
    pub conclusion: Option<Conclusion>,
    /// For a shrink case: the proposed split of the FTE reduction over the current locations.
    pub shrink_split: Option<ShrinkSplit>,
    /// Modelling assumptions and proxies behind the figures.
    pub assumptions: Vec<Note>,
    /// How sure the ranking is: SMAA-2, weight stability intervals and a method cross-check.
    /// Absent when switched off or when no location is feasible.
    pub robustness: Option<Robustness>,
}

/// How sure the ranking is.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Robustness {
    /// Number of SMAA-2 samples.
    pub samples: usize,
    /// Seed of the random draws; the same seed gives the same result.
    pub seed: u64,
    /// `band` or `simplex`.
    pub weight_sampling: String,
    /// Relative band around each weight (for `band`).
    pub weight_band: Option<f64>,
    /// Relative band of the figures marked as estimates.
    pub estimate_band: f64,
    /// Ranks counted (1..=ranks).
    pub ranks: usize,
    /// Rank acceptability of every location that reached one of the counted ranks in any sample,
    /// in ranking order.
    pub rank_acceptability: Vec<Acceptability>,
    /// Per criterion, the range of its weight within which the top location stays on top.
    pub stability_intervals: Vec<StabilityInterval>,
    pub cross_check: CrossCheck,
}

/// Rank acceptability of one location.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Acceptability {
    pub location: String,
    pub name: String,
    /// Share of samples with rank 1, 2, ..., `ranks`.
    pub ranks: Vec<f64>,
    /// Mean weights of the samples in which the location ranks first.
    pub central_weights: Option<Vec<WeightShare>>,
    /// Share of value draws in which the location ranks first with its central weights.
    pub confidence_factor: Option<f64>,
}

/// A criterion's weight.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct WeightShare {
    pub criterion: String,
    pub weight: f64,
}

/// The stability interval of a criterion's weight (others rescaled proportionally).
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct StabilityInterval {
    pub criterion: String,
    /// The weight used.
    pub weight: f64,
    /// Lowest weight at which the top location stays on top.
    pub lower: f64,
    /// Highest weight at which the top location stays on top.
    pub upper: f64,
    /// The location that takes the top just below `lower`.
    pub below: Option<String>,
    /// The location that takes the top just above `upper`.
    pub above: Option<String>,
}

/// The same value matrix ranked by relative methods.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct CrossCheck {
    /// What was ranked.
    pub basis: String,
    /// Top of the main method on the same basis (criteria only, without principle adjustments).
    pub main_top: Option<String>,
    pub methods: Vec<CrossMethod>,
    /// Why the relative methods are a check and not the main method.
    pub note: String,
}

/// One cross-check method.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct CrossMethod {
    /// `topsis` or `promethee-ii`.
    pub method: String,
    /// Normalisation or preference function.
    pub settings: String,
    /// Locations best first.
    pub ranking: Vec<String>,
    /// Kendall's tau-b against the main method's criteria-only ranking.
    pub kendall_tau: f64,
    /// True when this method's top differs from the main method's.
    pub top_differs: bool,
    /// Why the method could not run, if it could not.
    pub skipped: Option<String>,
}

/// A text in English and Dutch.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Note {
    pub message: String,
    pub message_nl: String,
}

/// The case as given, with names for its codes.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct CaseSummary {
    pub id: String,
    pub title: String,
    pub ministry: String,
    /// The ministry's name.
    pub ministry_name: String,
    pub sector: String,
    pub kind: String,
    pub fte: f64,
    pub current_locations: Vec<String>,
    /// Names of the current locations, in the same order.
    pub current_location_names: Vec<String>,
    pub preferred_location: Option<String>,
    pub preferred_location_name: Option<String>,
    pub themes: Vec<String>,
    /// Titles of the themes (Dutch), in the same order.
    pub theme_titles: Vec<String>,
    pub policy_core: bool,
}

/// The advice in one line.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Conclusion {
    /// The location advised (for a shrink case: where to shrink first).
    pub location: String,
    pub name: String,
    pub province_name: String,
    pub randstad: bool,
    /// The next location, when there is one.
    pub runner_up: Option<String>,
    pub runner_up_name: Option<String>,
    /// True when the two are in the same tier, so that the score decides between them.
    pub same_tier: bool,
    /// The criteria on which the advised location gains most over the next one, best first.
    pub gains: Vec<CriterionGain>,
    /// The tier principles that put it above locations that score higher, if any.
    pub tiers: Vec<String>,
    /// Their reasons as clauses for the advice sentence (rules/principles.toml `because`).
    pub because: Vec<String>,
    pub because_en: Vec<String>,
    /// True when the advised location is a site the primary process binds the service to.
    pub primary_process: bool,
    /// True when the advised location is one of the case's current locations.
    pub current: bool,
}

/// The verdict on the ministry's preferred location, and where it stands.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Request {
    pub location: String,
    pub name: String,
    pub province_name: String,
    /// `voldoet` (complies with every applying principle and requirement), `gemotiveerd`
    /// (departs, and the case motivates every departure), `niet-gemotiveerd` (departs without a
    /// motivation; the advice is incomplete) or `niet-haalbaar` (fails a hard requirement).
    pub verdict: String,
    /// True when BZK can agree with the preference: it complies and is not clearly worse
    /// (settings.toml `[request]`).
    pub endorsed: bool,
    /// Why a complying preference is not endorsed, when it is not: `clearly-worse`.
    pub not_endorsed_because: Option<String>,
    /// Its rank and tier in the ranking (none when excluded).
    pub rank: Option<usize>,
    pub tier: Option<usize>,
    pub score: Option<f64>,
    /// The first location of the ranking, when it is another.
    pub best: Option<Standing>,
    /// The best location that complies with every principle, when it is another.
    pub best_complying: Option<Standing>,
    /// The principles departed from (grouped: a principle that `follows` another is listed under
    /// it), each with whether the case motivates it.
    pub departures: Vec<Departure>,
    /// For `niet-haalbaar`: the requirements it fails, with the figures.
    pub failures: Vec<Reason>,
    /// For `niet-haalbaar`: the feasible location nearest to it by rail.
    pub nearest_feasible: Option<Nearest>,
    /// For `gemotiveerd`: the location nearest to it by rail that complies with every principle.
    pub nearest_complying: Option<Nearest>,
    /// The smallest change of weights that would put it first (a counterfactual explanation).
    pub counterfactual: Option<Counterfactual>,
}

/// Another location beside the preference: its place and its score difference.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Standing {
    pub location: String,
    pub name: String,
    pub province_name: String,
    pub rank: usize,
    pub score: f64,
    /// Its score minus the preference's (none when the preference is not ranked).
    pub gap: Option<f64>,
    /// The criteria on which it gains most over the preference, largest first.
    pub gains: Vec<CriterionGain>,
}

/// A principle the preference departs from.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Departure {
    pub principle: String,
    pub title: String,
    /// True when the case gives the motivation (under this id or a grouped one).
    pub motivated: bool,
    /// Principles whose departure follows from this one (`follows`), covered by its motivation.
    pub grouped: Vec<String>,
}

/// The feasible location nearest to an infeasible preference.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Nearest {
    pub location: String,
    pub name: String,
    pub province_name: String,
    pub rank: usize,
    /// Rail minutes from the preference, when known.
    pub minutes: Option<f64>,
}

/// What would put the preference first.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Counterfactual {
    /// `first` (it already is), `weights` (a change of weights puts it first), `tier` (a tier
    /// principle keeps it below, whatever the weights) or `none` (no weights put it first).
    pub kind: String,
    /// For `tier`: the principle whose tier keeps it below.
    pub tier_principle: Option<String>,
    pub tier_title: Option<String>,
    /// For `weights`: the smallest relative change that suffices: every weight stays within
    /// this share of itself (0.2 = ±20%).
    pub change: Option<f64>,
    /// True when that change lies within the robustness band (`robustness.weight_band`).
    pub within_band: bool,
    pub band: f64,
    /// The weights that put it first (normalised), for the criteria whose weight moves.
    pub weights: Vec<WeightShift>,
}

/// One criterion's weight before and after a counterfactual change.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct WeightShift {
    pub criterion: String,
    pub title: String,
    pub title_en: String,
    pub from: f64,
    pub to: f64,
}

/// Why no location can be advised: requirements that cannot hold together.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Infeasibility {
    /// The smallest set of requirements that no location meets together.
    pub conflict: Vec<Conflicting>,
    /// Locations considered.
    pub candidates: usize,
}

/// One requirement of a conflicting set, and what relaxing it would give.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Conflicting {
    /// The principle (or `engine`) behind the requirement.
    pub by: String,
    /// The requirement in English and Dutch.
    pub requirement: String,
    pub requirement_nl: String,
    /// What relaxing it would give, in English and Dutch.
    pub relaxed: String,
    pub relaxed_nl: String,
    /// How many locations meet the other requirements of the set.
    pub feasible_without: usize,
}

/// The labour market an advised location shares with a current location.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct LabourMarket {
    /// `corop` or `metropolitan`.
    pub kind: String,
    pub region: String,
    pub current: String,
    pub current_name: String,
    pub location: String,
    pub name: String,
    /// The finding in English and Dutch (also among the flags).
    pub message: String,
    pub message_nl: String,
}

/// What one criterion adds to the advised location's lead.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct CriterionGain {
    pub criterion: String,
    /// Dutch title and English title.
    pub title: String,
    pub title_en: String,
    /// Contribution of the advised location minus that of the next one.
    pub gain: f64,
}

/// The ministry's preferred location against each principle.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Preference {
    pub location: String,
    pub name: String,
    /// Its place in the ranking (none when excluded).
    pub rank: Option<usize>,
    pub excluded: bool,
    pub items: Vec<Assessment>,
}

/// One principle's verdict on the preferred location.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Assessment {
    pub principle: String,
    pub title: String,
    /// `complies`, `departs` (a motivation is needed), `orders` (an order only: it comes after
    /// others, which needs no motivation), `weighs` (a weighing: how the location fares),
    /// `not-counted` (a weighing whose criteria do not count for the location).
    pub verdict: String,
    /// What the principle finds, in English and Dutch.
    pub finding: String,
    pub finding_nl: String,
    /// For a departure: the motivation given, if any.
    pub motivation: Option<String>,
    /// For a departure that follows from another (`follows`): the title of the principle whose
    /// departure it is part of, and whose motivation covers it.
    pub covered_by: Option<String>,
}

/// A criterion's weight in this run, with the provenance of its figures.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct WeightUsed {
    pub criterion: String,
    /// Dutch title of the criterion.
    pub title: String,
    /// Unit of the raw figure.
    pub unit: String,
    /// English title of the criterion.
    pub title_en: String,
    /// Normalised weight.
    pub weight: f64,
    /// `rules`, `case`, or `not-applicable` (the criterion does not count for this case).
    pub origin: String,
    /// Source of the raw figures.
    pub source: String,
    /// Reference date of the raw figures.
    pub reference_date: String,
    /// What a missing figure means: `exclude`, `worst` or `neutral`.
    pub missing: String,
}

/// A feasible location with its score and how it came about.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Ranked {
    /// 1 is best (or, for a shrink case, shrink first).
    pub rank: usize,
    /// CBS gemeente code.
    pub location: String,
    pub name: String,
    /// CBS province code.
    pub province: String,
    pub randstad: bool,
    /// The province's name.
    pub province_name: String,
    /// True when the location is one of the case's current locations.
    pub current: bool,
    /// 0 for the first tier; higher for the lower tiers of tier principles (see `lower_tiers`).
    pub tier: usize,
    /// The tier principles whose lower tier the location is in.
    pub lower_tiers: Vec<TierPlace>,
    /// Sum of contributions plus sum of adjustment deltas.
    pub score: f64,
    pub contributions: Vec<Contribution>,
    pub adjustments: Vec<Adjustment>,
    /// Rail travel to the places the case's requirements name.
    pub travel: Vec<TravelTime>,
}

/// A location in the lower tier of a tier principle.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct TierPlace {
    pub principle: String,
    /// What the lower tier means, in Dutch and English ("alleen met motivering").
    pub label: String,
    pub label_en: String,
    /// True when a location in it is advised only with a motivation.
    pub needs_motivation: bool,
}

/// Rail travel from a location to a place the case names: a measured journey or modelled minutes.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct TravelTime {
    /// CBS gemeente code of the place.
    pub to: String,
    pub name: String,
    /// Minutes from the location's station to the place's (with access legs where needed), when
    /// known.
    pub minutes: Option<f64>,
    /// True when the minutes are a measured journey between the two main stations; false when
    /// any part is modelled.
    pub measured: bool,
    /// Rail kilometres along the modelled fastest route, when known.
    pub km: Option<f64>,
}

/// One criterion's part in a location's score.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Contribution {
    pub criterion: String,
    /// The raw figure, when known.
    pub raw: Option<f64>,
    /// The value between 0 and 1 (for a shrink case: 1 minus the suitability value).
    pub value: f64,
    /// Normalised weight.
    pub weight: f64,
    /// weight times value.
    pub contribution: f64,
    /// True when the raw figure is an estimate or a proxy.
    pub estimate: bool,
    /// The missing-data policy used, when the figure was missing.
    pub missing: Option<String>,
    /// False when the criterion does not count for this location (its value is then 0).
    pub applies: bool,
}

/// A principle's adjustment of a location's score.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Adjustment {
    pub principle: String,
    pub delta: f64,
}

/// An alternative the advice presents.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ShortlistItem {
    pub location: String,
    pub name: String,
    pub province_name: String,
    pub rank: usize,
    pub randstad: bool,
    /// Why it is on the shortlist: `top`, `other-region` (added so that the alternatives span
    /// more than one region) or the principle that added it.
    pub reason: String,
    /// True when it is on the list although a tier principle asks a motivation for it (too
    /// few locations in the first tier).
    pub needs_motivation: bool,
    /// True when it is the ministry's preferred location.
    pub preferred: bool,
}

/// An excluded location and why.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Excluded {
    pub location: String,
    pub name: String,
    pub province: String,
    pub province_name: String,
    pub reasons: Vec<Reason>,
}

/// One reason for an exclusion.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Reason {
    /// The principle or criterion that excluded the location.
    pub by: String,
    /// The reason in English.
    pub message: String,
    /// The reason in Dutch.
    pub message_nl: String,
}

/// Whether a principle applied.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct PrincipleUse {
    pub id: String,
    pub title: String,
    /// `cabinet-policy` or `engine-practice`.
    pub status: String,
    /// Its force: `tier`, `require`, `adjust`, `weigh`, `flag`, `explain` or `alternatives`.
    pub effect: String,
    /// Why it has this force (from the rules).
    pub force: String,
    /// True when its condition held and it changed something or raised a message.
    pub applied: bool,
    /// True when the case switched it off.
    pub disabled: bool,
    /// The principle that set it aside (stated precedence), if one did.
    pub overridden_by: Option<String>,
    /// How many locations it touched (excluded or adjusted).
    pub locations_affected: usize,
    pub source: String,
}

/// A message on the advice.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Flag {
    /// The principle that raised it, or `engine`.
    pub by: String,
    /// The message in English.
    pub message: String,
    /// The message in Dutch.
    pub message_nl: String,
}

/// A comply-or-explain motivation.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Motivation {
    pub principle: String,
    /// The principle's title.
    pub title: String,
    /// The location that departs from the principle.
    pub location: String,
    pub name: String,
    /// How it departs, in English and Dutch.
    pub departure: String,
    pub departure_nl: String,
    pub given: bool,
    pub text: Option<String>,
    /// Principles whose departure follows from this one and that its motivation covers.
    pub grouped: Vec<String>,
}

/// The split of a shrink case's FTE reduction.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ShrinkSplit {
    /// How the split was made.
    pub method: String,
    /// The same in Dutch.
    pub method_nl: String,
    pub total_fte: f64,
    pub parts: Vec<ShrinkPart>,
}

/// One location's share of a reduction.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ShrinkPart {
    pub location: String,
    pub name: String,
    pub current_fte: Option<f64>,
    pub reduction_fte: f64,
}
