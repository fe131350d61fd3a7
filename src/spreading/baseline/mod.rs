//! The distribution of rijkswerkgelegenheid: FTE per organisation unit and gemeente on a
//! reference date (1 January), from the ministries' deliveries ([`ingest`]) or from the stated
//! model estimate fitted to every published figure ([`fit`], [`estimate`]); and its aggregation
//! per gemeente, COROP, province, sector and ministry.
//!
//! A baseline built by the model is an ESTIMATE in every cell and says so: its province and sector
//! totals are fitted to the published figures (which they reproduce within their rounding), its
//! gemeenten and ministries are split by stated keys. A baseline from deliveries is data.

pub mod fit;
pub mod ingest;

use std::collections::BTreeMap;

use serde::Serialize;

use crate::model::World;

/// One unit's FTE in one gemeente.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Row {
    pub ministry: String,
    pub unit: String,
    pub sector: String,
    /// CBS gemeente code.
    pub gemeente: String,
    pub fte: f64,
}

/// Where a baseline comes from.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Origin {
    /// The ministries' deliveries (data).
    Deliveries { files: Vec<String> },
    /// The model of `baseline/estimate.toml`, fitted to the published figures (estimate).
    Estimate {
        method: String,
        total_source: String,
        /// How the fit went: the figures it reproduces and the ones that gave way.
        fit: String,
    },
}

/// FTE per unit and gemeente on one reference date.
#[derive(Debug, Clone, PartialEq)]
pub struct Baseline {
    pub year: i32,
    /// `YYYY-01-01`.
    pub reference_date: String,
    pub rows: Vec<Row>,
    pub origin: Origin,
}

impl Baseline {
    /// True when every figure is a model estimate.
    pub fn is_estimate(&self) -> bool {
        matches!(self.origin, Origin::Estimate { .. })
    }

    /// Total FTE.
    pub fn total(&self) -> f64 {
        self.rows.iter().map(|r| r.fte).sum()
    }
}

/// FTE aggregated by a key.
pub type Totals = BTreeMap<String, f64>;

/// The levels a baseline aggregates to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Gemeente,
    Corop,
    Province,
    Sector,
    Ministry,
}

impl Level {
    /// Every level.
    pub const ALL: [Level; 5] = [
        Level::Province,
        Level::Corop,
        Level::Gemeente,
        Level::Sector,
        Level::Ministry,
    ];

    /// The name used in output.
    pub fn name(self) -> &'static str {
        match self {
            Level::Gemeente => "gemeente",
            Level::Corop => "corop",
            Level::Province => "province",
            Level::Sector => "sector",
            Level::Ministry => "ministry",
        }
    }
}

/// Aggregates a baseline to a level. Every level starts with every known key at 0, so a key with
/// no FTE still shows.
pub fn aggregate(world: &World, rows: &[Row], level: Level) -> Totals {
    let mut t: Totals = match level {
        Level::Gemeente => world
            .gemeenten
            .iter()
            .map(|g| (g.code.clone(), 0.0))
            .collect(),
        Level::Corop => world.corops.iter().map(|c| (c.code.clone(), 0.0)).collect(),
        Level::Province => world
            .provinces
            .iter()
            .map(|p| (p.code.clone(), 0.0))
            .collect(),
        Level::Sector => world
            .settings
            .sectors
            .iter()
            .map(|s| (s.clone(), 0.0))
            .collect(),
        Level::Ministry => world
            .settings
            .ministries
            .iter()
            .map(|m| (m.clone(), 0.0))
            .collect(),
    };
    for r in rows {
        let key = match level {
            Level::Gemeente => Some(r.gemeente.clone()),
            Level::Sector => Some(r.sector.clone()),
            Level::Ministry => Some(r.ministry.clone()),
            Level::Corop | Level::Province => world.gemeente_index(&r.gemeente).map(|i| {
                let g = &world.gemeenten[i];
                if level == Level::Corop {
                    g.corop.clone()
                } else {
                    g.province.clone()
                }
            }),
        };
        if let Some(k) = key {
            *t.entry(k).or_insert(0.0) += r.fte;
        }
    }
    t
}

/// The share of FTE in the Randstad provinces.
pub fn randstad_share(world: &World, rows: &[Row]) -> f64 {
    let by_province = aggregate(world, rows, Level::Province);
    let total: f64 = by_province.values().sum();
    if total == 0.0 {
        return 0.0;
    }
    by_province
        .iter()
        .filter(|(p, _)| world.in_randstad(p))
        .map(|(_, v)| v)
        .sum::<f64>()
        / total
}

/// The Theil index of FTE against population across provinces: `sum s_p ln(s_p / q_p)` with
/// `s_p` the province's share of FTE and `q_p` its share of population (CBS, 1 January 2024).
/// 0 when FTE are spread exactly like the population; larger means more concentrated.
pub fn theil(world: &World, rows: &[Row]) -> f64 {
    let by_province = aggregate(world, rows, Level::Province);
    let total: f64 = by_province.values().sum();
    let pop: f64 = world.provinces.iter().map(|p| p.population.value).sum();
    if total <= 0.0 || pop <= 0.0 {
        return 0.0;
    }
    world
        .provinces
        .iter()
        .map(|p| {
            let s = by_province.get(&p.code).copied().unwrap_or(0.0) / total;
            let q = p.population.value / pop;
            if s > 0.0 { s * (s / q).ln() } else { 0.0 }
        })
        .sum()
}

/// FTE per 1,000 inhabitants per province (population on 1 January 2024, CBS).
pub fn per_thousand(world: &World, rows: &[Row]) -> Totals {
    let by_province = aggregate(world, rows, Level::Province);
    world
        .provinces
        .iter()
        .map(|p| {
            (
                p.code.clone(),
                by_province.get(&p.code).copied().unwrap_or(0.0) / p.population.value * 1000.0,
            )
        })
        .collect()
}

/// The estimated rows of one province: each sector's fitted FTE split over the province's
/// gemeenten by population and over the sector's ministries equally.
fn province_rows(
    world: &World,
    fitted: &fit::Fitted,
    year: i32,
    province: &str,
    rows: &mut Vec<Row>,
) {
    let s = &world.settings;
    let members: Vec<&crate::model::Gemeente> = world
        .gemeenten
        .iter()
        .filter(|g| g.province == province)
        .collect();
    let population: f64 = members.iter().map(|g| g.population).sum();
    for sector in &s.sectors {
        let sec_fte = fitted.cell(year, province, sector).unwrap_or(0.0);
        let ministries: Vec<&String> = match s.sector_ministries.get(sector) {
            Some(mi) => vec![mi],
            None => s.ministries.iter().collect(),
        };
        for g in &members {
            let share = g.population / population;
            if share <= 0.0 {
                continue;
            }
            for mi in &ministries {
                rows.push(Row {
                    ministry: (*mi).clone(),
                    unit: format!("{mi} {sector}"),
                    sector: sector.clone(),
                    gemeente: g.code.clone(),
                    fte: sec_fte * share / ministries.len() as f64,
                });
            }
        }
    }
}

/// Builds the model-estimated baseline of `year`: the fitted FTE per province and sector, split
/// over the province's gemeenten by CBS population (1 January 2024) and over ministries by the
/// stated rule of `baseline/estimate.toml`.
pub fn estimate(world: &World, fitted: &fit::Fitted, year: i32) -> Result<Baseline, String> {
    let total = world.published.total(year).ok_or_else(|| {
        format!(
            "no published national total for {year}; published years: {}",
            world
                .published
                .total_years()
                .iter()
                .map(|y| y.to_string())
                .collect::<Vec<_>>()
                .join(", ")
        )
    })?;
    let mut rows = Vec::new();
    for p in &world.provinces {
        province_rows(world, fitted, year, &p.code, &mut rows);
    }
    let used = fitted.checks.iter().filter(|c| c.used).count();
    Ok(Baseline {
        year,
        reference_date: format!("{year}-01-01"),
        rows,
        origin: Origin::Estimate {
            method: world.estimate.method.clone(),
            total_source: format!(
                "{} FTE on 1 January {year}: {} (evidence {})",
                total.value, total.source, total.evidence
            ),
            fit: format!(
                "fitted to {used} published figures of {} years ({} gave way in a conflict)",
                fitted.grid.years.len(),
                fitted.conflicts.len()
            ),
        },
    })
}
