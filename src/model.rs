//! The validated domain model: settings, themes, criteria, principles, provinces, COROP regions,
//! gemeenten (the candidate locations), the rail network, government presence, and cases.
//!
//! Values of these types have passed validation in [`crate::config`]: every reference resolves,
//! every number is in range. The engine relies on that and does not re-check.

use std::collections::BTreeMap;

use crate::rules::{Attr, Facts, Predicate, Value};

/// How a profile figure came about: its evidence label.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Label {
    /// The figure as its source publishes it.
    Published,
    /// Computed from published figures by stated arithmetic (a rate from counts, a centroid).
    Derived,
    /// An estimate, a proxy or a model output: marked wherever it is shown and varied by the
    /// robustness analysis.
    Estimate,
}

impl Label {
    /// Every label, in the order of their ids.
    pub const ALL: [Label; 3] = [Label::Published, Label::Derived, Label::Estimate];

    /// The id used in profile files and output.
    pub fn as_str(self) -> &'static str {
        match self {
            Label::Published => "published",
            Label::Derived => "derived",
            Label::Estimate => "estimate",
        }
    }
}

/// A figure with its provenance.
#[derive(Debug, Clone, PartialEq)]
pub struct Figure {
    pub value: f64,
    pub unit: String,
    pub source: String,
    pub reference_date: String,
    pub label: Label,
    pub note: Option<String>,
}

impl Figure {
    /// True when the figure is an estimate, a proxy or a model output.
    pub fn is_estimate(&self) -> bool {
        self.label == Label::Estimate
    }
}

/// The stated parts of the travel model (`[travel_model]` in `rules/settings.toml`): the access
/// legs between a gemeente's point and the stations it uses, and the reach time. The in-train
/// part is fitted to measured journeys ([`RailParams`]).
#[derive(Debug, Clone, PartialEq)]
pub struct TravelModel {
    pub access_speed_kmh: f64,
    pub access_detour_factor: f64,
    pub access_fixed_minutes: f64,
    pub reach_minutes: f64,
    /// The longest rail commute counted as still possible for current staff after a move.
    pub commute_minutes: f64,
}

/// Engine settings from `rules/settings.toml`.
#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    pub randstad: Vec<String>,
    pub randstad_source: String,
    pub advice_fte: f64,
    pub advice_source: String,
    pub reporting_fte: f64,
    pub reporting_source: String,
    pub under_served: Vec<String>,
    pub under_served_source: String,
    pub sectors: Vec<String>,
    pub ministries: Vec<String>,
    /// The ministries' names by abbreviation (Dutch).
    pub ministry_names: BTreeMap<String, String>,
    /// Names in common use for gemeenten, to their codes ("Den Haag" -> GM0518).
    pub gemeente_aliases: BTreeMap<String, String>,
    pub station_classes: BTreeMap<String, f64>,
    pub travel: TravelModel,
    pub robustness: RobustnessSettings,
    /// Sectors bound to one ministry (sector -> ministry).
    pub sector_ministries: BTreeMap<String, String>,
    /// How a ministry's request is judged.
    pub request: RequestSettings,
    /// Metropolitan regions: labour markets that span COROP regions, with their sources.
    pub metropolitan_regions: Vec<MetropolitanRegion>,
}

/// How a ministry's request is judged (`[request]` in settings.toml): engine choices.
#[derive(Debug, Clone, PartialEq)]
pub struct RequestSettings {
    /// A complying preference is endorsed unless it scores more than this below the best
    /// location and no weights within the robustness band put it first.
    pub endorse_gap: f64,
    /// A rail-minutes requirement of at most this many minutes to a current location binds the
    /// service to that location.
    pub binding_minutes: f64,
    pub source: String,
}

/// A metropolitan region: gemeenten that form one labour market across COROP borders.
#[derive(Debug, Clone, PartialEq)]
pub struct MetropolitanRegion {
    pub name: String,
    pub gemeenten: Vec<String>,
    pub source: String,
}

/// How a published change is measured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeMeasure {
    /// Percent of the year before.
    Percent,
    /// FTE.
    Fte,
    /// Only a direction: `true` up, `false` down.
    Direction(bool),
}

/// What a published figure says something about.
#[derive(Debug, Clone, PartialEq)]
pub enum Subject {
    /// FTE on 1 January: of the country, a province, a sector, or a sector in a province.
    Level {
        province: Option<String>,
        sector: Option<String>,
    },
    /// The change from 1 January of the year before to 1 January of `year`, in the same
    /// selection.
    Change {
        province: Option<String>,
        sector: Option<String>,
        measure: ChangeMeasure,
    },
    /// The share of the growth over the year before that landed in the Randstad.
    RandstadShareOfGrowth,
    /// The share of the national total in a set of provinces.
    Share { provinces: Vec<String> },
    /// Exactly the provinces in `higher` have more FTE than `province`.
    Order {
        province: String,
        higher: Vec<String>,
    },
}

/// A published figure with its source and the interval its wording allows.
#[derive(Debug, Clone, PartialEq)]
pub struct Published {
    /// The reference year (1 January); for a change, the later year.
    pub year: i32,
    pub subject: Subject,
    /// The figure as published: FTE, percent or share (by subject); 0 for an order or a direction.
    pub value: f64,
    /// The interval the wording allows (`value` for an exact figure, to the FTE).
    pub range: (f64, f64),
    /// True for wording such as "bijna", "ruim" or "ongeveer".
    pub approximate: bool,
    pub note: Option<String>,
    pub source: String,
    pub evidence: String,
    /// Position in `baseline/published.toml`: in a conflict the later figure gives way.
    pub position: usize,
}

impl Published {
    /// The province a figure is about, when it is about one.
    pub fn province(&self) -> Option<&str> {
        match &self.subject {
            Subject::Level { province, .. } | Subject::Change { province, .. } => {
                province.as_deref()
            }
            Subject::Order { province, .. } => Some(province),
            Subject::RandstadShareOfGrowth | Subject::Share { .. } => None,
        }
    }

    /// The sector a figure is about, when it is about one.
    pub fn sector(&self) -> Option<&str> {
        match &self.subject {
            Subject::Level { sector, .. } | Subject::Change { sector, .. } => sector.as_deref(),
            _ => None,
        }
    }
}

/// Published figures (`baseline/published.toml`), in file order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PublishedFigures {
    pub figures: Vec<Published>,
}

impl PublishedFigures {
    /// The national total of a year (the first listed, when several are).
    pub fn total(&self, year: i32) -> Option<&Published> {
        self.figures.iter().find(|f| {
            f.year == year
                && f.subject
                    == Subject::Level {
                        province: None,
                        sector: None,
                    }
        })
    }

    /// The years with a published national total, ascending.
    pub fn total_years(&self) -> Vec<i32> {
        let mut y: Vec<i32> = self
            .figures
            .iter()
            .filter(|f| {
                f.subject
                    == Subject::Level {
                        province: None,
                        sector: None,
                    }
            })
            .map(|f| f.year)
            .collect();
        y.sort_unstable();
        y.dedup();
        y
    }

    /// The published share of a year's growth in the Randstad.
    pub fn randstad_growth(&self, year: i32) -> Option<&Published> {
        self.figures
            .iter()
            .find(|f| f.year == year && f.subject == Subject::RandstadShareOfGrowth)
    }
}

/// A key of the estimate model with its source.
#[derive(Debug, Clone, PartialEq)]
pub struct KeyValue {
    pub value: f64,
    pub source: String,
    pub evidence: String,
}

/// The model that estimates the distribution of FTE (`baseline/estimate.toml`).
#[derive(Debug, Clone, PartialEq)]
pub struct EstimateModel {
    pub method: String,
    /// How much the model's split counts, in years of fitted data, when the split shared by the
    /// fitted years is estimated.
    pub prior_weight: KeyValue,
    pub randstad_share: KeyValue,
    pub ministries_share: KeyValue,
    /// Relative weights of the sectors other than ministeries.
    pub sector_key: BTreeMap<String, f64>,
    pub sector_key_source: String,
    pub sector_key_evidence: String,
}

/// Settings of the robustness analysis (`[robustness]` in `rules/settings.toml`).
#[derive(Debug, Clone, PartialEq)]
pub struct RobustnessSettings {
    pub samples: usize,
    pub seed: u64,
    /// Sampling mode; for `Band` it carries `weight_band`.
    pub weight_sampling: crate::mcda::smaa::WeightSampling,
    /// The configured relative weight band (also when sampling the simplex).
    pub weight_band: f64,
    pub estimate_band: f64,
    pub ranks: usize,
    pub confidence_samples: usize,
    pub topsis: crate::mcda::topsis::TopsisNormalisation,
    pub promethee: crate::mcda::promethee::Preference,
}

/// A theme of the kernkwaliteiten vocabulary.
#[derive(Debug, Clone, PartialEq)]
pub struct Theme {
    pub id: String,
    pub title: String,
    /// The SBI-A10 sectors whose jobs measure the theme; empty when no sector does (the theme
    /// then stays neutral in the thematic fit).
    pub sectors: Vec<String>,
    /// What the sectors cover, or why no sector measures the theme.
    pub sector_note: String,
}

/// Thematic fit from CBS jobs per sector and COROP region (`rules/themes.toml [fit]`,
/// `profiles/banen_corop.csv`).
#[derive(Debug, Clone, PartialEq)]
pub struct SectorJobs {
    /// Location quotient -> value between 0 and 1.
    pub value_function: ValueFunction,
    pub source: String,
    /// The year of the jobs (the latest in the source).
    pub year: i64,
    /// Jobs (x 1,000) per (COROP code, A10 sector); absent where CBS suppressed the cell.
    pub jobs: BTreeMap<(String, String), f64>,
    /// All jobs (x 1,000) of a COROP region, over the cells it has.
    pub region_jobs: BTreeMap<String, f64>,
    /// A sector's share of all jobs in the country (the 40 regions).
    pub national_share: BTreeMap<String, f64>,
}

impl SectorJobs {
    /// The location quotient of a theme in a COROP region: the region's share of its jobs in
    /// the theme's sectors divided by the national share. `None` when no sector measures the
    /// theme or a cell is suppressed.
    pub fn theme_quotient(&self, corop: &str, theme: &Theme) -> Option<f64> {
        if theme.sectors.is_empty() {
            return None;
        }
        let mut jobs = 0.0;
        let mut share = 0.0;
        for s in &theme.sectors {
            jobs += *self.jobs.get(&(corop.to_string(), s.clone()))?;
            share += *self.national_share.get(s)?;
        }
        let total = *self.region_jobs.get(corop)?;
        (total > 0.0 && share > 0.0).then(|| jobs / total / share)
    }
}

/// What a missing raw figure means for a criterion.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Missing {
    /// The location is excluded, with the criterion as the reason.
    Exclude,
    /// The value is 0, flagged.
    Worst,
    /// The value is 0.5, flagged.
    Neutral,
}

impl Missing {
    /// The id used in rules files and output.
    pub fn as_str(self) -> &'static str {
        match self {
            Missing::Exclude => "exclude",
            Missing::Worst => "worst",
            Missing::Neutral => "neutral",
        }
    }
}

/// An absolute, monotone, piecewise-linear value function.
#[derive(Debug, Clone, PartialEq)]
pub struct ValueFunction {
    /// Points `(raw, value)`, raw strictly increasing, value in 0..=1.
    // INVARIANT: at least two points, sorted by raw, values in 0..=1, monotone.
    pub points: Vec<(f64, f64)>,
}

impl ValueFunction {
    /// The value of a raw figure: linear between points, flat beyond the ends.
    ///
    /// ```
    /// use locatieadvies::model::ValueFunction;
    /// // Fewer minutes are better: 15 minutes or less is worth 1, 150 or more is worth 0.
    /// let vf = ValueFunction { points: vec![(15.0, 1.0), (45.0, 0.75), (150.0, 0.0)] };
    /// assert_eq!(vf.eval(10.0), 1.0);
    /// assert_eq!(vf.eval(30.0), 0.875);
    /// assert_eq!(vf.eval(200.0), 0.0);
    /// ```
    pub fn eval(&self, x: f64) -> f64 {
        let p = &self.points;
        if x <= p[0].0 {
            return p[0].1;
        }
        for w in p.windows(2) {
            let ((x0, y0), (x1, y1)) = (w[0], w[1]);
            if x <= x1 {
                return y0 + (y1 - y0) * (x - x0) / (x1 - x0);
            }
        }
        p[p.len() - 1].1
    }
}

/// A criterion from `rules/criteria.toml`.
#[derive(Debug, Clone, PartialEq)]
pub struct Criterion {
    pub id: String,
    pub group: String,
    pub title: String,
    pub title_en: String,
    pub summary: String,
    pub doc: String,
    pub attribute: Attr,
    pub unit: String,
    pub weight: f64,
    pub missing: Missing,
    pub value_function: ValueFunction,
    pub source: String,
    /// Reference date (peildatum) of the figures behind the criterion.
    pub reference_date: String,
    /// The cases it counts for (case attributes only); elsewhere its weight is 0.
    pub when: Option<Predicate>,
    /// The locations it counts for (case and location attributes); elsewhere its value is 0.
    pub applies: Option<Predicate>,
}

/// Whether a principle is cabinet policy or good practice the engine adds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    CabinetPolicy,
    EnginePractice,
}

impl Status {
    /// The id used in rules files and output.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::CabinetPolicy => "cabinet-policy",
            Status::EnginePractice => "engine-practice",
        }
    }
}

/// What the lower tier of a tier principle means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lower {
    /// A location in it is advised only with a motivation (comply or explain); it is not on the
    /// shortlist while first-tier locations are feasible.
    NeedsMotivation,
    /// A location in it comes after the first tier; a preferred location in it departs from the
    /// principle (comply or explain).
    After,
    /// A location in it comes after the first tier, and that is all: the order is a practice,
    /// and a preferred location in it departs from nothing.
    Order,
}

/// What a region is when alternatives must come from different regions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RegionKind {
    Province,
    Corop,
}

/// The one effect of a principle: its force.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    /// Candidates failing `target` are excluded, with the principle as the reason.
    Require { target: Predicate },
    /// Candidates matching `target` get `delta` on their score.
    Adjust { target: Predicate, delta: f64 },
    /// A message on the advice.
    Flag { message: String, message_en: String },
    /// Comply or explain. Without a target: a preferred location that departs from any
    /// applicable tier or requirement needs a motivation under that principle's id. With one: a
    /// preferred location failing it needs a motivation under this principle's id.
    Explain { target: Option<Predicate> },
    /// At least `min` alternatives, `outside_randstad` of them outside the Randstad, from at
    /// least `regions` different regions of kind `region` when the feasible set allows it.
    Alternatives {
        min: usize,
        outside_randstad: usize,
        regions: usize,
        region: RegionKind,
    },
    /// Candidates matching `target` rank above every candidate that does not, whatever the
    /// score; `label` names the lower tier (Dutch, and `label_en`), `because` the reason.
    Tier {
        target: Predicate,
        lower: Lower,
        label: String,
        label_en: String,
        /// The clause that gives the reason in the advice sentence when the tier puts the
        /// advised location above higher-scoring ones ("krimp in beginsel in de Randstad landt").
        because: String,
        because_en: String,
        /// The first tier stays a candidate even where it is the place a relocation leaves: it
        /// is the reference a move is tested against (a policy core leaving Den Haag).
        keeps_current: bool,
    },
    /// The principle weighs through these criteria (their weights are its force).
    Weigh { criteria: Vec<String> },
}

impl Effect {
    /// The effect's type id.
    pub fn kind(&self) -> &'static str {
        match self {
            Effect::Require { .. } => "require",
            Effect::Adjust { .. } => "adjust",
            Effect::Flag { .. } => "flag",
            Effect::Explain { .. } => "explain",
            Effect::Alternatives { .. } => "alternatives",
            Effect::Tier { .. } => "tier",
            Effect::Weigh { .. } => "weigh",
        }
    }
}

/// A guiding principle from `rules/principles.toml`.
#[derive(Debug, Clone, PartialEq)]
pub struct Principle {
    pub id: String,
    pub title: String,
    pub summary: String,
    pub explanation: String,
    /// Why the principle has the force (effect) it has.
    pub force: String,
    /// Principles this one sets aside when both apply (stated precedence).
    pub overrides: Vec<String>,
    /// The principle whose departure this one's departure is part of: one motivation, under
    /// either id, covers both.
    pub follows: Option<String>,
    pub status: Status,
    pub source: String,
    pub evidence: String,
    pub when: Option<Predicate>,
    pub effect: Effect,
}

/// A province with its figures and (example) kernkwaliteiten.
#[derive(Debug, Clone, PartialEq)]
pub struct Province {
    pub code: String,
    pub name: String,
    pub population: Figure,
    pub labour_force: Figure,
    pub unemployment_rate: Figure,
    pub net_participation: Figure,
    pub higher_educated_share: Figure,
    /// Kernkwaliteiten as theme ids.
    pub themes: Vec<String>,
    /// `voorbeeld` for the shipped examples, `ingediend` for a profile a province handed in.
    pub profile_status: String,
    /// Note and source of the kernkwaliteiten profile.
    pub profile_note: Option<String>,
    pub profile_source: Option<String>,
    /// Polygon centroid (latitude, longitude) of the generalised boundary.
    pub centroid: (f64, f64),
}

/// A COROP region.
#[derive(Debug, Clone, PartialEq)]
pub struct Corop {
    pub code: String,
    pub name: String,
    pub province: String,
}

/// Where a gemeente's location point comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PointSource {
    /// The main place: the largest GeoNames place among the gemeente's woonplaatsen.
    MainPlace,
    /// The area centroid of the gemeente's polygon (CBS 2024), where no main place is known.
    Centroid,
}

impl PointSource {
    /// The id used in profile files and output.
    pub fn as_str(self) -> &'static str {
        match self {
            PointSource::MainPlace => "main-place",
            PointSource::Centroid => "centroid",
        }
    }
}

/// A gemeente: a candidate location.
#[derive(Debug, Clone, PartialEq)]
pub struct Gemeente {
    pub code: String,
    pub name: String,
    pub corop: String,
    pub province: String,
    pub main_place: Option<String>,
    /// The location point (latitude, longitude; WGS84) from which access legs start.
    pub point: (f64, f64),
    pub point_source: PointSource,
    /// CBS population on 1 January 2024.
    pub population: f64,
    /// Of which aged 15 to 65 (derived from CBS age shares).
    pub working_age: f64,
    /// Average WOZ value of dwellings in EUR 1,000 (CBS 2023): a proxy for office cost.
    pub woz: Option<f64>,
    /// Codes of the gemeente's own stations.
    pub stations: Vec<String>,
}

/// A railway station.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Station {
    /// The RDT code (the codes of 2017, used throughout the rail tables).
    pub code: String,
    /// The NS code of 2019 where it differs (NS `NA` is RDT `NEA`); both are accepted.
    pub ns_code: Option<String>,
    pub name: String,
    /// The RDT station type of 2017: the rail model's intercity network.
    pub kind: String,
    /// The service level behind the station class: the NS type of 2019 where the NS list covers
    /// the station, else the 2017 type, raised to intercity where a source says intercity trains
    /// stop (`data/intercity_stops.csv`). Empty for stations without a type.
    pub service: String,
    /// Where `service` comes from.
    pub service_source: String,
    pub lat: f64,
    pub lon: f64,
    pub dutch: bool,
}

/// A gemeente across water (a Wadden island, Zeeuws-Vlaanderen) and the ferry crossing its trips
/// use: from the mainland port gemeente, with the published crossing minutes and their source.
/// `port` and `minutes` are `None` where no crossing time is sourced: the gemeente's rail
/// minutes are then unknown.
#[derive(Debug, Clone, PartialEq)]
pub struct Ferry {
    pub gemeente: String,
    pub port: Option<String>,
    pub minutes: Option<f64>,
    pub operator: String,
    pub service: String,
    pub source: String,
    pub source_date: String,
    pub evidence: String,
    /// Why the gemeente is across water, and what the source says of the crossing.
    pub note: String,
}

/// A rail link that the tariff distances lack (a high-speed line), with its source.
#[derive(Debug, Clone, PartialEq)]
pub struct ExtraLink {
    /// Station indices.
    pub a: usize,
    pub b: usize,
    /// The line's name, e.g. `HSL-Zuid`.
    pub line: String,
    /// Kilometres between the ends on the physical network (the fare distance).
    pub km: f64,
    pub source: String,
}

/// The rail network and the journeys measured on it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RailNetwork {
    pub stations: Vec<Station>,
    /// Physical links: station indices and tariff km.
    pub links: Vec<(usize, usize, f64)>,
    /// Intercity links between intercity stations: station indices and tariff km.
    pub ic_links: Vec<(usize, usize, f64)>,
    /// Links the tariff distances lack.
    pub extra_links: Vec<ExtraLink>,
    /// Measured journeys: from and to station indices, minutes.
    pub measured: Vec<(usize, usize, f64)>,
}

/// Great-circle distance in km (haversine, mean Earth radius 6371 km).
pub fn haversine_km(a: (f64, f64), b: (f64, f64)) -> f64 {
    let (la1, lo1) = (a.0.to_radians(), a.1.to_radians());
    let (la2, lo2) = (b.0.to_radians(), b.1.to_radians());
    let h = ((la2 - la1) / 2.0).sin().powi(2)
        + la1.cos() * la2.cos() * ((lo2 - lo1) / 2.0).sin().powi(2);
    2.0 * 6371.0 * h.sqrt().asin()
}

impl RailNetwork {
    /// Kilometres of the shortest path between two stations over the physical links.
    pub fn physical_km(&self, a: usize, b: usize) -> Option<f64> {
        use petgraph::graph::{NodeIndex, UnGraph};
        let mut g: UnGraph<(), f64> = UnGraph::with_capacity(self.stations.len(), self.links.len());
        for _ in 0..self.stations.len() {
            g.add_node(());
        }
        for &(x, y, km) in &self.links {
            g.add_edge(NodeIndex::new(x), NodeIndex::new(y), km);
        }
        petgraph::algo::dijkstra(&g, NodeIndex::new(a), Some(NodeIndex::new(b)), |e| {
            *e.weight()
        })
        .get(&NodeIndex::new(b))
        .copied()
    }
}

/// The fitted in-train part of the travel model (`profiles/rail/model.toml`).
#[derive(Debug, Clone, PartialEq)]
pub struct RailParams {
    /// Running speed between stops on the physical links.
    pub local_speed_kmh: f64,
    /// Time per stop on the physical links (dwell plus braking and accelerating).
    pub local_stop_minutes: f64,
    /// Running speed on the intercity links.
    pub intercity_speed_kmh: f64,
    /// Time per intercity link (the stop at its end).
    pub intercity_stop_minutes: f64,
    /// Penalty for changing between a stopping train and an intercity (walk and wait).
    pub transfer_minutes: f64,
    /// In-train minutes of each extra link, in the order of `RailNetwork::extra_links`.
    pub extra_minutes: Vec<f64>,
}

/// How well the fitted model reproduces the measured journeys it was fitted to.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FitStats {
    pub pairs: usize,
    pub stations: usize,
    pub mae_minutes: f64,
    pub bias_minutes: f64,
    /// Mean absolute error relative to the measured minutes, in percent.
    pub mae_percent: f64,
    /// Mean signed error relative to the measured minutes, in percent.
    pub bias_percent: f64,
}

/// The travel model's fitted parameters with their provenance.
#[derive(Debug, Clone, PartialEq)]
pub struct RailModel {
    pub params: RailParams,
    /// Where the parameters come from (the measured journeys they were fitted to).
    pub source: String,
    /// The source of the measured journeys.
    pub measured_source: String,
    /// In-sample fit of the model alone (without the measured journeys it is fitted to).
    pub fit: FitStats,
}

/// A kind of government-presence site and the presence class it gives its gemeente.
#[derive(Debug, Clone, PartialEq)]
pub struct PresenceKind {
    pub id: String,
    pub level: f64,
    /// True for an office kind (the seat of government, a concentration location, an office):
    /// a site of it shows that the gemeente already carries government office work.
    pub office: bool,
    pub title: String,
    pub source: String,
}

/// A government-presence site: the seat of government, a rijkskantoren concentration location,
/// a rijksontmoetingsplein or a rijkshub.
#[derive(Debug, Clone, PartialEq)]
pub struct PresenceSite {
    pub kind: String,
    pub gemeente: String,
    /// The organisation at the site, as the source names it.
    pub organisation: String,
    /// What the site is, in the source's words.
    pub description: String,
    pub source: String,
    pub source_date: String,
    pub evidence: String,
}

/// Government presence (`profiles/rijksaanwezigheid.toml`): a gemeente's class is the highest
/// level among its sites, 0 without any.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Presence {
    pub kinds: Vec<PresenceKind>,
    pub sites: Vec<PresenceSite>,
}

impl Presence {
    /// True when the gemeente has a documented site of an office kind.
    pub fn office(&self, gemeente: &str) -> bool {
        self.sites
            .iter()
            .filter(|s| s.gemeente == gemeente)
            .any(|s| self.kinds.iter().any(|k| k.id == s.kind && k.office))
    }

    /// The presence class of a gemeente.
    pub fn class(&self, gemeente: &str) -> f64 {
        self.sites
            .iter()
            .filter(|s| s.gemeente == gemeente)
            .filter_map(|s| self.kinds.iter().find(|k| k.id == s.kind))
            .map(|k| k.level)
            .fold(0.0, f64::max)
    }
}

/// Everything the engine knows apart from the case: profiles and rules, validated.
#[derive(Debug, Clone)]
pub struct World {
    pub settings: Settings,
    pub themes: Vec<Theme>,
    /// Jobs per sector and COROP region, for thematic fit.
    pub sector_jobs: SectorJobs,
    pub criteria: Vec<Criterion>,
    pub principles: Vec<Principle>,
    /// Sorted by code.
    pub provinces: Vec<Province>,
    /// Sorted by code.
    pub corops: Vec<Corop>,
    /// Sorted by code.
    pub gemeenten: Vec<Gemeente>,
    pub rail: RailNetwork,
    pub rail_model: RailModel,
    /// The gemeenten across water and their ferry crossings (`profiles/rail/ferries.csv`).
    pub ferries: Vec<Ferry>,
    pub presence: Presence,
    pub published: PublishedFigures,
    pub estimate: EstimateModel,
    /// Provenance of the gemeente fields (population, point, woz, stations).
    pub gemeente_provenance: BTreeMap<String, Figure>,
    /// SHA-256 over the profile and rule files, for the input digest.
    pub digest: String,
}

impl World {
    /// Index of a gemeente by code.
    pub fn gemeente_index(&self, code: &str) -> Option<usize> {
        self.gemeenten
            .binary_search_by(|g| g.code.as_str().cmp(code))
            .ok()
    }

    /// Gemeenten a user may mean by `query`: its code, its name (with or without the
    /// province suffix CBS adds to a shared name, as in `Bergen (NH.)`), its main place or a name
    /// in common use (settings `gemeente_aliases`), ignoring case and accents. Several when a
    /// name is shared: the caller must then ask which one is meant, never pick one.
    pub fn find_gemeenten(&self, query: &str) -> Vec<usize> {
        let q = query.trim();
        if let Some(i) = self.gemeente_index(&q.to_uppercase()) {
            return vec![i];
        }
        let folded = fold_name(q);
        let by_name: Vec<usize> = (0..self.gemeenten.len())
            .filter(|&i| fold_name(&self.gemeenten[i].name) == folded)
            .collect();
        if !by_name.is_empty() {
            return by_name;
        }
        if let Some(i) = self
            .settings
            .gemeente_aliases
            .iter()
            .find(|(name, _)| fold_name(name) == folded)
            .and_then(|(_, code)| self.gemeente_index(code))
        {
            return vec![i];
        }
        let mut found: Vec<usize> = (0..self.gemeenten.len())
            .filter(|&i| {
                let g = &self.gemeenten[i];
                fold_name(base_name(&g.name)) == folded
                    || g.main_place
                        .as_deref()
                        .is_some_and(|p| fold_name(p) == folded)
            })
            .collect();
        found.dedup();
        found
    }

    /// The closest gemeente name or alias to a query that matched nothing, for "did you mean".
    /// A well-formed code (`GM` and four digits) that does not exist gets no suggestion: a code
    /// near it is another gemeente, not a spelling of it.
    pub fn similar_gemeente(&self, query: &str) -> Option<usize> {
        let q = query.trim();
        if is_gemeente_code(q) {
            return None;
        }
        if q.len() > 2 && q.get(..2).is_some_and(|p| p.eq_ignore_ascii_case("GM")) {
            let best =
                crate::diag::did_you_mean(q, self.gemeenten.iter().map(|g| g.code.as_str()))?;
            return self.gemeente_index(&best);
        }
        let names = self
            .gemeenten
            .iter()
            .map(|g| g.name.as_str())
            .chain(self.settings.gemeente_aliases.keys().map(String::as_str));
        let best = crate::diag::did_you_mean(query, names)?;
        self.find_gemeenten(&best).first().copied()
    }

    /// `Bergen (NH.) (GM0373, Noord-Holland)`: a gemeente named so that a user can tell it from
    /// another of the same name.
    pub fn gemeente_label(&self, i: usize) -> String {
        let g = &self.gemeenten[i];
        let province = self
            .province(&g.province)
            .map_or(g.province.as_str(), |p| p.name.as_str());
        format!("{} ({}, {province})", g.name, g.code)
    }

    /// A province by code.
    pub fn province(&self, code: &str) -> Option<&Province> {
        self.provinces
            .binary_search_by(|p| p.code.as_str().cmp(code))
            .ok()
            .map(|i| &self.provinces[i])
    }

    /// A COROP region by code.
    pub fn corop(&self, code: &str) -> Option<&Corop> {
        self.corops
            .binary_search_by(|c| c.code.as_str().cmp(code))
            .ok()
            .map(|i| &self.corops[i])
    }

    /// A principle by id.
    pub fn principle(&self, id: &str) -> Option<&Principle> {
        self.principles.iter().find(|p| p.id == id)
    }

    /// True when the province is in the Randstad set.
    pub fn in_randstad(&self, province: &str) -> bool {
        self.settings.randstad.iter().any(|p| p == province)
    }
}

/// The kind of change a case is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum CaseKind {
    New,
    Growth,
    Shrink,
    Relocation,
}

impl CaseKind {
    /// All kinds, in the order of their ids.
    pub const ALL: [CaseKind; 4] = [
        CaseKind::New,
        CaseKind::Growth,
        CaseKind::Shrink,
        CaseKind::Relocation,
    ];

    /// The id used in case files and output.
    pub fn as_str(self) -> &'static str {
        match self {
            CaseKind::New => "new",
            CaseKind::Growth => "growth",
            CaseKind::Shrink => "shrink",
            CaseKind::Relocation => "relocation",
        }
    }
}

/// The case's primary-process requirements.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Requirements {
    /// Maximum modelled rail minutes from the location to a gemeente (by code).
    pub max_rail_minutes: BTreeMap<String, f64>,
    /// Minimum station class of the location.
    pub min_station_class: Option<f64>,
    /// Locations that are not available.
    pub exclude_locations: Vec<String>,
    /// Sites the primary process binds the service to (they lead the ranking).
    pub bound_to: Vec<String>,
}

impl Requirements {
    /// True when the case states any requirement.
    pub fn any(&self) -> bool {
        !self.max_rail_minutes.is_empty()
            || self.min_station_class.is_some()
            || !self.exclude_locations.is_empty()
            || !self.bound_to.is_empty()
    }
}

/// A validated case.
#[derive(Debug, Clone, PartialEq)]
pub struct Case {
    pub id: String,
    pub title: String,
    pub description: Option<String>,
    pub ministry: String,
    pub sector: String,
    pub kind: CaseKind,
    pub fte: f64,
    pub current_locations: Vec<String>,
    /// FTE per current location, when the case gives them.
    pub current_fte: BTreeMap<String, f64>,
    pub preferred_location: Option<String>,
    pub themes: Vec<String>,
    pub policy_core: bool,
    /// Restricts the candidates to these locations, when given.
    pub candidates: Option<Vec<String>>,
    pub requirements: Requirements,
    /// Weight overrides by criterion id.
    pub weights: BTreeMap<String, f64>,
    /// Motivations by principle id (comply or explain).
    pub motivation: BTreeMap<String, String>,
    /// Principles switched off for this case.
    pub disabled_principles: Vec<String>,
    /// SHA-256 of the case file.
    pub digest: String,
}

impl Case {
    /// The sites the primary process binds the service to: `[requirements] bound_to`, and every
    /// current location the case asks to stay within `request.binding_minutes` of by rail.
    pub fn bound_sites(&self, settings: &Settings) -> Vec<String> {
        let mut out: Vec<String> = self.requirements.bound_to.clone();
        out.extend(
            self.requirements
                .max_rail_minutes
                .keys()
                .filter(|to| !out.contains(to) && self.binds(to, settings))
                .cloned()
                .collect::<Vec<_>>(),
        );
        out.sort();
        out
    }

    /// True when the primary process binds the service to gemeente `code` (see
    /// [`Case::bound_sites`]); no allocation, for the per-location facts.
    pub fn binds(&self, code: &str, settings: &Settings) -> bool {
        self.requirements.bound_to.iter().any(|c| c == code)
            || (self.current_locations.iter().any(|c| c == code)
                && self
                    .requirements
                    .max_rail_minutes
                    .get(code)
                    .is_some_and(|m| *m <= settings.request.binding_minutes))
    }

    /// The case's own facts, which principles' and criteria's `when` are evaluated on.
    pub fn facts(&self, settings: &Settings) -> Facts {
        let mut f = Facts::default();
        f.set(Attr::CaseKind, Value::Text(self.kind.as_str().into()));
        f.set(Attr::CaseSector, Value::Text(self.sector.clone()));
        f.set(Attr::CaseMinistry, Value::Text(self.ministry.clone()));
        f.set(Attr::CaseFte, Value::Number(self.fte));
        f.set(
            Attr::CaseAboveAdvice,
            Value::Bool(self.fte >= settings.advice_fte),
        );
        f.set(
            Attr::CaseAboveReporting,
            Value::Bool(self.fte >= settings.reporting_fte),
        );
        f.set(Attr::CasePolicyCore, Value::Bool(self.policy_core));
        f.set(Attr::CaseHasThemes, Value::Bool(!self.themes.is_empty()));
        f.set(
            Attr::CaseHasRequirements,
            Value::Bool(self.requirements.any()),
        );
        f.set(
            Attr::CaseHasCurrent,
            Value::Bool(!self.current_locations.is_empty()),
        );
        f.set(
            Attr::CaseBound,
            Value::Bool(!self.bound_sites(settings).is_empty()),
        );
        f
    }
}

/// True for a well-formed CBS gemeente code: `GM` and four digits (any case).
pub fn is_gemeente_code(s: &str) -> bool {
    s.len() == 6
        && s.get(..2).is_some_and(|p| p.eq_ignore_ascii_case("GM"))
        && s[2..].bytes().all(|b| b.is_ascii_digit())
}

/// A gemeente name without the province suffix CBS adds to a shared name: `Bergen (NH.)` gives
/// `Bergen`, `Middelburg (Z.)` gives `Middelburg`.
pub fn base_name(name: &str) -> &str {
    match name.find(" (") {
        Some(i) if name.ends_with(')') => &name[..i],
        _ => name,
    }
}

/// A name folded for comparison: lower case, accents removed (`Súdwest-Fryslân` and
/// `sudwest-fryslan` are the same), apostrophes unified and spaces collapsed.
pub fn fold_name(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.trim().chars().flat_map(char::to_lowercase) {
        let base = match c {
            'à' | 'á' | 'â' | 'ä' | 'ã' | 'å' => 'a',
            'è' | 'é' | 'ê' | 'ë' => 'e',
            'ì' | 'í' | 'î' | 'ï' => 'i',
            'ò' | 'ó' | 'ô' | 'ö' | 'õ' => 'o',
            'ù' | 'ú' | 'û' | 'ü' => 'u',
            'ý' | 'ÿ' => 'y',
            'ç' => 'c',
            'ñ' => 'n',
            '\u{2019}' | '`' => '\'',
            c if c.is_whitespace() => ' ',
            c => c,
        };
        if !(base == ' ' && out.ends_with(' ')) {
            out.push(base);
        }
    }
    out
}
