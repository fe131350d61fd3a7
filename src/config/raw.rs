//! Raw, file-shaped structs: exactly what the TOML files may contain, with spans on every value
//! that a later check may need to point at. Unknown keys are rejected here.

use std::collections::BTreeMap;

use serde::Deserialize;
use toml::Spanned;

pub type S<T> = Spanned<T>;

// ---------------------------------------------------------------------------- rules/settings.toml

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SettingsFile {
    pub randstad: RandstadRaw,
    pub thresholds: ThresholdsRaw,
    pub under_served: UnderServedRaw,
    pub sectors: S<Vec<S<String>>>,
    pub ministries: S<Vec<S<String>>>,
    pub ministry_names: BTreeMap<S<String>, String>,
    /// Names in common use for gemeenten whose official name differs ("Den Haag").
    #[serde(default)]
    pub gemeente_aliases: BTreeMap<String, S<String>>,
    pub station_classes: BTreeMap<String, S<f64>>,
    pub travel_model: TravelRaw,
    pub robustness: RobustnessRaw,
    pub sector_ministries: BTreeMap<S<String>, S<String>>,
    pub request: RequestRaw,
    #[serde(default)]
    pub metropolitan_region: Vec<MetropolitanRegionRaw>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RequestRaw {
    pub endorse_gap: S<f64>,
    pub binding_minutes: S<f64>,
    pub source: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MetropolitanRegionRaw {
    pub name: String,
    pub gemeenten: Vec<S<String>>,
    pub source: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RobustnessRaw {
    pub samples: S<i64>,
    pub seed: S<i64>,
    pub weight_sampling: S<String>,
    pub weight_band: S<f64>,
    pub estimate_band: S<f64>,
    pub ranks: S<i64>,
    pub confidence_samples: S<i64>,
    pub cross_check: CrossCheckRaw,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CrossCheckRaw {
    pub topsis_normalisation: S<String>,
    pub promethee: S<PreferenceRaw>,
}

/// A PROMETHEE preference function as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PreferenceRaw {
    pub function: S<String>,
    pub q: Option<f64>,
    pub p: Option<f64>,
    pub s: Option<f64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RandstadRaw {
    pub provinces: Vec<S<String>>,
    pub source: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ThresholdsRaw {
    pub advice_fte: S<f64>,
    pub advice_source: String,
    pub reporting_fte: S<f64>,
    pub reporting_source: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UnderServedRaw {
    pub provinces: Vec<S<String>>,
    pub source: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TravelRaw {
    pub status: S<String>,
    pub access_speed_kmh: S<f64>,
    pub access_detour_factor: S<f64>,
    pub access_fixed_minutes: S<f64>,
    pub reach_minutes: S<f64>,
    pub commute_minutes: S<f64>,
}

// ------------------------------------------------------------------------------ rules/themes.toml

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ThemesFile {
    pub fit: ThemeFitRaw,
    pub theme: Vec<ThemeRaw>,
}

/// `[fit]`: location quotient -> value, and the source of the jobs data.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ThemeFitRaw {
    pub value_function: S<Vec<S<Vec<S<f64>>>>>,
    pub source: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ThemeRaw {
    pub id: S<String>,
    pub title: String,
    /// The SBI-A10 sectors that measure the theme; none when no sector does.
    #[serde(default)]
    pub sectors: Vec<S<String>>,
    /// What the sectors cover, or why no sector measures the theme.
    #[serde(default)]
    pub sector_note: String,
}

// ---------------------------------------------------------------------------- rules/criteria.toml

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CriteriaFile {
    pub criterion: Vec<CriterionRaw>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CriterionRaw {
    pub id: S<String>,
    pub group: String,
    pub title: String,
    pub title_en: String,
    pub summary: String,
    pub doc: String,
    pub attribute: S<String>,
    pub unit: String,
    pub weight: S<f64>,
    pub missing: S<String>,
    pub value_function: S<Vec<S<Vec<S<f64>>>>>,
    pub source: String,
    pub reference_date: String,
    pub when: Option<S<PredicateRaw>>,
    pub applies: Option<S<PredicateRaw>>,
}

// -------------------------------------------------------------------------- rules/principles.toml

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PrinciplesFile {
    pub principle: Vec<PrincipleRaw>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PrincipleRaw {
    pub id: S<String>,
    pub title: String,
    pub summary: String,
    pub explanation: String,
    pub force: String,
    pub overrides: Option<Vec<S<String>>>,
    pub follows: Option<S<String>>,
    pub status: S<String>,
    pub source: String,
    pub evidence: S<String>,
    pub when: Option<S<PredicateRaw>>,
    pub effect: S<EffectRaw>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EffectRaw {
    #[serde(rename = "type")]
    pub kind: S<String>,
    pub target: Option<S<PredicateRaw>>,
    pub delta: Option<S<f64>>,
    pub message: Option<String>,
    pub message_en: Option<String>,
    pub min: Option<S<i64>>,
    pub outside_randstad: Option<S<i64>>,
    pub lower: Option<S<String>>,
    pub label: Option<String>,
    pub label_en: Option<String>,
    pub because: Option<String>,
    pub because_en: Option<String>,
    pub keeps_current: Option<bool>,
    pub criteria: Option<Vec<S<String>>>,
    pub regions: Option<S<i64>>,
    pub region: Option<S<String>>,
}

/// A predicate as written: exactly one of the forms `attr/op/value`, `all`, `any`, `not`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PredicateRaw {
    pub attr: Option<S<String>>,
    pub op: Option<S<String>>,
    pub value: Option<S<toml::Value>>,
    pub all: Option<Vec<S<PredicateRaw>>>,
    pub any: Option<Vec<S<PredicateRaw>>>,
    pub not: Option<Box<S<PredicateRaw>>>,
}

// ------------------------------------------------------------------------------------- profiles

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProvinceFile {
    pub province: ProvinceHead,
    pub figures: ProvinceFigures,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProvinceHead {
    pub code: S<String>,
    pub name: String,
    pub centroid: LatLon,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LatLon {
    pub lat: S<f64>,
    pub lon: S<f64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProvinceFigures {
    pub population: S<FigureRaw>,
    pub labour_force_15_75: S<FigureRaw>,
    pub unemployment_rate: S<FigureRaw>,
    pub net_participation: S<FigureRaw>,
    pub higher_educated_share: S<FigureRaw>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FigureRaw {
    pub value: S<f64>,
    pub unit: String,
    pub source: String,
    pub reference_date: String,
    /// `published`, `derived` or `estimate`.
    pub label: S<String>,
    pub note: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProvenanceRaw {
    pub source: String,
    pub reference_date: String,
    pub label: S<String>,
    pub unit: Option<String>,
    pub note: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CoropFile {
    pub provenance: BTreeMap<String, ProvenanceRaw>,
    pub corop: Vec<CoropRaw>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CoropRaw {
    pub code: S<String>,
    pub name: String,
    pub province: S<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GemeentenFile {
    pub provenance: BTreeMap<String, ProvenanceRaw>,
    pub gemeente: Vec<GemeenteRaw>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GemeenteRaw {
    pub code: S<String>,
    pub name: String,
    pub corop: S<String>,
    pub province: S<String>,
    pub main_place: Option<String>,
    pub point: S<PointRaw>,
    pub population: S<f64>,
    pub working_age: S<f64>,
    pub woz: Option<S<f64>>,
    pub stations: Vec<S<String>>,
}

/// A gemeente's location point and where it comes from (`main-place` or `centroid`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PointRaw {
    pub lat: S<f64>,
    pub lon: S<f64>,
    pub from: S<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KernkwaliteitenFile {
    pub profile: Vec<ProfileRaw>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProfileRaw {
    pub province: S<String>,
    pub status: S<String>,
    pub themes: Vec<S<String>>,
    pub note: Option<String>,
    pub source: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PresenceFile {
    pub kind: Vec<PresenceKindRaw>,
    pub site: Vec<SiteRaw>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PresenceKindRaw {
    pub id: S<String>,
    pub level: S<i64>,
    /// An office kind (see `model::PresenceKind::office`).
    #[serde(default)]
    pub office: bool,
    pub title: String,
    pub source: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SiteRaw {
    pub kind: S<String>,
    pub gemeente: S<String>,
    pub name: S<String>,
    /// The organisation at the site, as the source names it.
    #[serde(default)]
    pub organisation: String,
    /// What the site is, in the source's words.
    #[serde(default)]
    pub description: String,
    pub source: S<String>,
    /// The date of the source (`2023-03`, `2008`, `n/a`).
    #[serde(default)]
    pub source_date: String,
    pub evidence: S<String>,
}

/// `profiles/rail/model.toml`: the fitted travel model.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RailModelFile {
    pub model: RailModelRaw,
    pub extra_link: Vec<ExtraLinkRaw>,
    pub fit: FitRaw,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RailModelRaw {
    pub status: S<String>,
    pub source: String,
    pub measured_source: String,
    pub local_speed_kmh: S<f64>,
    pub local_stop_minutes: S<f64>,
    pub intercity_speed_kmh: S<f64>,
    pub intercity_stop_minutes: S<f64>,
    pub transfer_minutes: S<f64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExtraLinkRaw {
    pub from: S<String>,
    pub to: S<String>,
    pub line: String,
    pub minutes: S<f64>,
    pub source: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FitRaw {
    pub pairs: S<i64>,
    pub stations: S<i64>,
    pub mae_minutes: f64,
    pub bias_minutes: f64,
    pub mae_percent: f64,
    pub bias_percent: f64,
}

// ------------------------------------------------------------------------------------------ case

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CaseFile {
    pub case: CaseRaw,
    pub requirements: Option<RequirementsRaw>,
    pub weights: Option<BTreeMap<S<String>, S<f64>>>,
    pub motivation: Option<BTreeMap<S<String>, String>>,
    pub principles: Option<CasePrinciplesRaw>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CaseRaw {
    pub id: S<String>,
    pub title: String,
    pub ministry: S<String>,
    pub sector: S<String>,
    pub kind: S<String>,
    pub fte: S<f64>,
    pub current_locations: Option<S<Vec<S<String>>>>,
    pub current_fte: Option<BTreeMap<S<String>, S<f64>>>,
    pub preferred_location: Option<S<String>>,
    pub themes: Option<Vec<S<String>>>,
    pub policy_core: Option<bool>,
    pub candidates: Option<S<Vec<S<String>>>>,
    pub description: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RequirementsRaw {
    pub max_rail_minutes: Option<BTreeMap<S<String>, S<f64>>>,
    pub min_station_class: Option<S<f64>>,
    pub exclude_locations: Option<Vec<S<String>>>,
    pub bound_to: Option<Vec<S<String>>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CasePrinciplesRaw {
    pub disable: Vec<S<String>>,
}

// ------------------------------------------------------------------------------------ baseline/

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PublishedFile {
    pub total: Vec<PublishedTotalRaw>,
    pub randstad_growth: Vec<PublishedShareRaw>,
    pub sector_total: Vec<PublishedSectorRaw>,
    pub province: Vec<PublishedProvinceRaw>,
    #[serde(default)]
    pub change: Vec<PublishedChangeRaw>,
    #[serde(default)]
    pub order: Vec<PublishedOrderRaw>,
    #[serde(default)]
    pub share: Vec<PublishedRegionShareRaw>,
}

/// A published share of the national total in a set of provinces.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PublishedRegionShareRaw {
    pub year: S<i64>,
    pub provinces: Vec<S<String>>,
    pub share: S<f64>,
    pub range: Option<S<Vec<f64>>>,
    pub note: Option<String>,
    pub source: String,
    pub evidence: S<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PublishedTotalRaw {
    pub year: S<i64>,
    pub fte: S<f64>,
    pub range: Option<S<Vec<f64>>>,
    pub source: String,
    pub evidence: S<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PublishedShareRaw {
    pub year: S<i64>,
    pub share: S<f64>,
    pub range: Option<S<Vec<f64>>>,
    pub note: Option<String>,
    pub source: String,
    pub evidence: S<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PublishedSectorRaw {
    pub year: S<i64>,
    pub sector: S<String>,
    pub fte: S<f64>,
    pub approximate: Option<bool>,
    pub range: Option<S<Vec<f64>>>,
    pub note: Option<String>,
    pub source: String,
    pub evidence: S<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PublishedProvinceRaw {
    pub year: S<i64>,
    pub province: S<String>,
    pub fte: S<f64>,
    pub sectors: Option<BTreeMap<S<String>, S<f64>>>,
    pub approximate: Option<bool>,
    pub range: Option<S<Vec<f64>>>,
    pub note: Option<String>,
    pub source: String,
    pub evidence: S<String>,
}

/// A published change over the year before `year`: a percentage, an FTE difference or only a
/// direction; of a province, a sector or the country.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PublishedChangeRaw {
    pub year: S<i64>,
    pub province: Option<S<String>>,
    pub sector: Option<S<String>>,
    pub percent: Option<S<f64>>,
    pub fte: Option<S<f64>>,
    pub direction: Option<S<String>>,
    pub range: Option<S<Vec<f64>>>,
    pub note: Option<String>,
    pub source: String,
    pub evidence: S<String>,
}

/// A published order of provinces: exactly the provinces `higher` (or `lower`) than `province`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PublishedOrderRaw {
    pub year: S<i64>,
    pub province: S<String>,
    pub higher: Option<Vec<S<String>>>,
    pub lower: Option<Vec<S<String>>>,
    pub note: Option<String>,
    pub source: String,
    pub evidence: S<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EstimateFile {
    pub method: String,
    pub prior_weight: KeyValueRaw,
    pub randstad_share: KeyValueRaw,
    pub ministries_share: KeyValueRaw,
    pub sector_key: SectorKeyRaw,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KeyValueRaw {
    pub value: S<f64>,
    pub source: String,
    pub evidence: S<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SectorKeyRaw {
    pub fte: BTreeMap<S<String>, S<f64>>,
    pub source: String,
    pub evidence: S<String>,
}
