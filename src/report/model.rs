//! The advice as data: what `advise` computes and every renderer shows. This is also the JSON
//! output; its schema is committed as `schema/advice.schema.json` and a test fails when the two
//! drift apart.

use schemars::JsonSchema;
use serde::Serialize;

/// Version of the JSON output's shape; raised on every incompatible change.
pub const SCHEMA_VERSION: u32 = 1;

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
    /// `suitability` (higher is a better place for the service) or `shrink-priority` (for a
    /// shrink case: higher means shrink here first).
    pub ranking_meaning: String,
    /// False when a comply-or-explain motivation is missing (exit code 1).
    pub complete: bool,
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
    /// For a shrink case: the proposed split of the FTE reduction over the current locations.
    pub shrink_split: Option<ShrinkSplit>,
    /// Modelling assumptions and proxies behind the figures.
    pub assumptions: Vec<Note>,
}

/// A text in English and Dutch.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Note {
    pub message: String,
    pub message_nl: String,
}

/// The case as given.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct CaseSummary {
    pub id: String,
    pub title: String,
    pub ministry: String,
    pub sector: String,
    pub kind: String,
    pub fte: f64,
    pub current_locations: Vec<String>,
    pub preferred_location: Option<String>,
    pub themes: Vec<String>,
    pub policy_core: bool,
}

/// A criterion's weight in this run, with the provenance of its figures.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct WeightUsed {
    pub criterion: String,
    /// Dutch title of the criterion.
    pub title: String,
    /// Unit of the raw figure.
    pub unit: String,
    /// Normalised weight.
    pub weight: f64,
    /// `rules` or `case`.
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
    /// True when the location is one of the case's current locations.
    pub current: bool,
    /// Sum of contributions plus sum of adjustment deltas.
    pub score: f64,
    pub contributions: Vec<Contribution>,
    pub adjustments: Vec<Adjustment>,
    /// Modelled rail travel to the places the case's requirements name.
    pub travel: Vec<TravelTime>,
}

/// Modelled rail travel from a location to a place the case names (a modelling assumption).
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct TravelTime {
    /// CBS gemeente code of the place.
    pub to: String,
    pub name: String,
    /// Modelled door-to-door minutes, when known.
    pub minutes: Option<f64>,
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
    pub rank: usize,
    pub randstad: bool,
    /// Why it is on the shortlist: `top` or the principle that added it.
    pub reason: String,
}

/// An excluded location and why.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Excluded {
    pub location: String,
    pub name: String,
    pub province: String,
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
    /// `require`, `adjust`, `flag`, `explain` or `alternatives`.
    pub effect: String,
    /// True when its condition held and it changed something or raised a message.
    pub applied: bool,
    /// True when the case switched it off.
    pub disabled: bool,
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
    /// The location that departs from the principle.
    pub location: String,
    pub given: bool,
    pub text: Option<String>,
}

/// The split of a shrink case's FTE reduction.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ShrinkSplit {
    /// How the split was made.
    pub method: String,
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
