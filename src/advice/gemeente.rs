//! `gemeente <name or code>`: one gemeente's profile as the engine sees it, every figure with its
//! source, reference date and evidence label, so that a user can find a code from a name and
//! check what an advice rests on. Its text is `templates/gemeente/profile.en.txt`.

use serde::Serialize;

/// A gemeente's profile.
#[derive(Debug, Clone, Serialize)]
pub struct GemeenteProfile {
    pub code: String,
    pub name: String,
    pub province: String,
    pub province_name: String,
    /// True when the province is in the Randstad set (rules/settings.toml).
    pub randstad: bool,
    /// True when the province is under-served (the 2022 motion, rules/settings.toml).
    pub under_served: bool,
    pub corop: String,
    pub corop_name: String,
    pub main_place: Option<String>,
    /// Latitude and longitude (WGS84) of the location point, and where it comes from.
    pub point: (f64, f64),
    pub point_from: String,
    pub stations: Vec<ProfileStation>,
    /// Documented government sites in the gemeente (profiles/rijksaanwezigheid.toml).
    pub sites: Vec<ProfileSite>,
    /// The figures, each with its provenance.
    pub figures: Vec<ProfileFigure>,
}

/// One of the gemeente's own stations.
#[derive(Debug, Clone, Serialize)]
pub struct ProfileStation {
    pub code: String,
    pub name: String,
    /// RDT 2017 station type.
    pub kind: String,
    pub class: f64,
    /// True for the station trips start from without an access leg.
    pub main: bool,
}

/// A documented government site.
#[derive(Debug, Clone, Serialize)]
pub struct ProfileSite {
    pub kind: String,
    pub title: String,
    /// The organisation at the site and what it is, in the source's words.
    pub organisation: String,
    pub description: String,
    pub source: String,
    pub source_date: String,
    /// V primary or official source, N secondary source.
    pub evidence: String,
}

/// One figure of the profile.
#[derive(Debug, Clone, Serialize)]
pub struct ProfileFigure {
    /// The attribute the rules use (`location.population`).
    pub attribute: String,
    pub title: String,
    pub value: Option<f64>,
    pub unit: String,
    pub source: String,
    pub reference_date: String,
    /// `published`, `derived` or `estimate` (a model output counts as an estimate).
    pub label: String,
    pub note: Option<String>,
}
