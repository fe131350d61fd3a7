//! `gemeente <name or code>`: one gemeente's profile as the engine sees it, every figure with its
//! source, reference date and evidence label, so that a user can find a code from a name and
//! check what an advice rests on.

use std::fmt::Write as _;

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
    pub source: String,
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

/// Thousands grouped with commas: 566,221.
fn grouped(x: f64) -> String {
    super::format::number(
        x,
        if x.fract() == 0.0 || x.abs() >= 100.0 {
            0
        } else {
            1
        },
        super::Lang::En,
    )
}

/// The profile as text.
pub fn text(p: &GemeenteProfile) -> String {
    let mut o = String::new();
    let _ = writeln!(o, "{} ({})", p.name, p.code);
    let _ = writeln!(
        o,
        "  province      {} ({}), {}{}",
        p.province_name,
        p.province,
        if p.randstad {
            "in the Randstad"
        } else {
            "outside the Randstad"
        },
        if p.under_served {
            ", under-served (2022 motion)"
        } else {
            ""
        }
    );
    let _ = writeln!(o, "  COROP region  {} ({})", p.corop_name, p.corop);
    let _ = writeln!(
        o,
        "  point         {:.5}, {:.5} ({}{})",
        p.point.0,
        p.point.1,
        p.point_from,
        p.main_place
            .as_ref()
            .map(|m| format!(": {m}"))
            .unwrap_or_default()
    );
    if p.stations.is_empty() {
        let _ = writeln!(o, "  stations      none of its own");
    } else {
        let list: Vec<String> = p
            .stations
            .iter()
            .map(|s| {
                format!(
                    "{} ({}, {}, class {}){}",
                    s.name,
                    s.code,
                    s.kind,
                    s.class,
                    if s.main { " main" } else { "" }
                )
            })
            .collect();
        let _ = writeln!(o, "  stations      {}", list.join("; "));
    }
    if p.sites.is_empty() {
        let _ = writeln!(o, "  government    no documented site");
    } else {
        for s in &p.sites {
            let _ = writeln!(o, "  government    {} [{}]", s.title, s.source);
        }
    }
    o.push_str("\nFigures:\n");
    for f in &p.figures {
        let value = f.value.map_or("missing".to_string(), |v| {
            format!("{} {}", grouped(v), f.unit).trim().to_string()
        });
        let _ = writeln!(o, "  {:<44} {:<38} {}", f.title, value, f.label);
        if f.reference_date.is_empty() {
            let _ = writeln!(o, "  {:<44} {}", "", f.source);
        } else {
            let _ = writeln!(o, "  {:<44} {} ({})", "", f.source, f.reference_date);
        }
        if let Some(n) = &f.note {
            let _ = writeln!(o, "  {:<44} note: {n}", "");
        }
    }
    o
}
