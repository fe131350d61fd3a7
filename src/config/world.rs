//! Phase two for profiles and rules: meaning checks and the build of the validated [`World`].

use std::collections::{BTreeMap, BTreeSet};

use super::checker::{Checker, csv_err, csv_num, csv_rows, missing_file, required};
use super::raw::{self, S};
use super::{SourceFile, Sources, parse_toml};
use crate::diag::{Diagnostic, Diagnostics};
use crate::limits::MINUTES_MAX;
use crate::model::{
    ChangeMeasure, Corop, Criterion, Effect, ExtraLink, Figure, FitStats, Gemeente, Label, Lower,
    MetropolitanRegion, Missing, PointSource, Presence, PresenceKind, PresenceSite, Principle,
    Province, Published, RailModel, RailNetwork, RailParams, RegionKind, RequestSettings,
    RobustnessSettings, Settings, Station, Status, Subject, Theme, TravelModel, ValueFunction,
    World,
};
use crate::rules::{Attr, AttrType, Op, Predicate, Scope, Value};

/// Checks an evidence label of a profile figure.
fn label(ck: &mut Checker, f: &SourceFile, l: &S<String>) -> Label {
    let options: Vec<(&str, Label)> = Label::ALL.iter().map(|l| (l.as_str(), *l)).collect();
    ck.choice(f, l, "label", &options)
        .unwrap_or(Label::Estimate)
}

fn figure(ck: &mut Checker, file: &SourceFile, f: &raw::FigureRaw) -> Figure {
    Figure {
        value: *f.value.get_ref(),
        unit: f.unit.clone(),
        source: f.source.clone(),
        reference_date: f.reference_date.clone(),
        label: label(ck, file, &f.label),
        note: f.note.clone(),
    }
}

/// The provenance of a column of a profile table, as a figure without a value.
fn provenance(ck: &mut Checker, file: &SourceFile, p: &raw::ProvenanceRaw) -> Figure {
    Figure {
        value: 0.0,
        unit: p.unit.clone().unwrap_or_default(),
        source: p.source.clone(),
        reference_date: p.reference_date.clone(),
        label: label(ck, file, &p.label),
        note: p.note.clone(),
    }
}

/// Which file defines the things an `unknown-...` problem refers to: while that file has a
/// problem of its own, references to its things elsewhere are follow-ons, grouped under it.
const FOLLOW_ONS: &[(&str, &str)] = &[
    ("unknown-corop", "/corop.toml"),
    ("unknown-province", "/provinces/"),
    ("unknown-station", "/rail/stations.csv"),
    ("unknown-gemeente", "/gemeenten.toml"),
    ("unknown-theme", "/themes.toml"),
    ("unknown-criterion", "/criteria.toml"),
    ("unknown-principle", "/principles.toml"),
    ("unknown-ministry", "/settings.toml"),
    ("unknown-sector", "/settings.toml"),
];

/// Loads and validates every profile and rule file into a [`World`]: provinces first (everything
/// refers to them), then themes, settings, kernkwaliteiten, COROP regions, the rail network,
/// gemeenten, government presence, criteria, principles and the published figures. Every problem
/// of every file is collected before giving up.
pub fn load_world(sources: &Sources, diags: &mut Diagnostics) -> Option<World> {
    let before = diags.0.len();
    let mut ck = Checker { diags };
    let mut provinces = load_provinces(&mut ck, sources);
    let province_codes: BTreeSet<String> = provinces.iter().map(|p| p.code.clone()).collect();
    let (themes, theme_fit) = load_themes(&mut ck, sources);
    let theme_ids: BTreeSet<String> = themes.iter().map(|t| t.id.clone()).collect();
    let settings = load_settings(&mut ck, sources, &province_codes);
    if let Some(f) = required(&mut ck, sources, "profiles/kernkwaliteiten.toml") {
        load_kernkwaliteiten(&mut ck, f, &mut provinces, &theme_ids);
    }
    let corops = load_corops(&mut ck, sources, &province_codes);
    let corop_codes: BTreeSet<String> = corops.iter().map(|c| c.code.clone()).collect();
    let sector_jobs = super::jobs::load_sector_jobs(&mut ck, sources, &corop_codes, theme_fit);
    let (rail, rail_model) = load_rail(&mut ck, sources);
    let loaded = required(&mut ck, sources, "profiles/gemeenten.toml")
        .and_then(|f| load_gemeenten(&mut ck, f, &province_codes, &corops, &rail));
    // When the gemeenten cannot be read, checks of references to them would only repeat that.
    let gemeenten_read = loaded.is_some();
    let (gemeenten, gemeente_provenance) = loaded.unwrap_or_default();
    let gemeente_names: BTreeMap<String, String> = gemeenten
        .iter()
        .map(|g| (g.code.clone(), g.name.clone()))
        .collect();
    let gemeente_codes: BTreeSet<String> = gemeente_names.keys().cloned().collect();
    let ferries = if gemeenten_read {
        super::ferries::load_ferries(&mut ck, sources, &gemeente_codes)
    } else {
        Vec::new()
    };
    let presence = load_gemeente_references(
        &mut ck,
        sources,
        settings.as_ref(),
        gemeenten_read.then_some(&gemeente_names),
    );
    let vocab = Vocab {
        provinces: &province_codes,
        gemeenten: &gemeente_codes,
        settings: settings.as_ref(),
    };
    let criteria = load_criteria(&mut ck, sources, &vocab);
    let principles = load_principles(&mut ck, sources, &vocab, &criteria);
    let (published, estimate) =
        load_baseline_data(&mut ck, sources, settings.as_ref(), &province_codes);

    if diags.0.len() > before {
        diags.group_follow_ons(before, FOLLOW_ONS);
        return None;
    }
    Some(World {
        published,
        estimate: estimate?,
        settings: settings?,
        themes,
        sector_jobs: sector_jobs?,
        criteria,
        principles,
        provinces,
        corops,
        gemeenten,
        rail,
        rail_model: rail_model?,
        ferries,
        presence,
        gemeente_provenance,
        digest: sources.digest(),
    })
}

/// Loads `rules/settings.toml`, checking the provinces it names.
fn load_settings(
    ck: &mut Checker,
    sources: &Sources,
    province_codes: &BTreeSet<String>,
) -> Option<Settings> {
    let f = required(ck, sources, "rules/settings.toml")?;
    let s = parse_toml::<raw::SettingsFile>(f, ck.diags)?;
    Some(check_settings(ck, f, &s, province_codes))
}

/// What refers to the gemeenten: the settings' aliases and the government presence per
/// gemeente. `gemeente_names` is `None` when the gemeenten could not be read; the references
/// are then not checked, since that would only repeat the problem.
fn load_gemeente_references(
    ck: &mut Checker,
    sources: &Sources,
    settings: Option<&Settings>,
    gemeente_names: Option<&BTreeMap<String, String>>,
) -> Presence {
    if let (Some(st), Some(names)) = (settings, gemeente_names) {
        let codes: BTreeSet<String> = names.keys().cloned().collect();
        check_aliases(ck, st, &codes);
        check_metropolitan(ck, st, &codes);
    }
    match (
        required(ck, sources, "profiles/rijksaanwezigheid.toml"),
        gemeente_names,
    ) {
        (Some(f), Some(names)) => load_presence(ck, f, names),
        _ => Presence::default(),
    }
}

/// `profiles/provinces/*.toml`: one file per province with its figures, sorted by code.
fn load_provinces(ck: &mut Checker, sources: &Sources) -> Vec<Province> {
    let mut province_files = Vec::new();
    for f in sources.under("profiles/provinces/") {
        if let Some(p) = parse_toml::<raw::ProvinceFile>(f, ck.diags) {
            province_files.push((f, p));
        }
    }
    if province_files.is_empty() && sources.under("profiles/provinces/").next().is_none() {
        missing_file(ck.diags, "profiles/provinces/*.toml");
    }
    let mut provinces: Vec<Province> = Vec::new();
    for (f, p) in &province_files {
        let code = p.province.code.get_ref();
        if !is_code(code, "PV", 2) {
            ck.err(
                "invalid-code",
                f,
                p.province.code.span(),
                format!("invalid province code `{code}`"),
            )
            .expected = Some("a CBS province code such as `PV22`".into());
        }
        if provinces.iter().any(|q| &q.code == code) {
            check_province_figures(ck, f, &p.figures);
            ck.err(
                "duplicate-id",
                f,
                p.province.code.span(),
                format!("duplicate province `{code}`"),
            );
            continue;
        }
        provinces.push(province(ck, f, p));
    }
    provinces.sort_by(|a, b| a.code.cmp(&b.code));
    provinces
}

/// A province from its file, its figures checked.
fn province(ck: &mut Checker, f: &SourceFile, p: &raw::ProvinceFile) -> Province {
    let fig = &p.figures;
    check_province_figures(ck, f, fig);
    let c = &p.province.centroid;
    ck.range(f, &c.lat, 50.5, 53.8, "latitude");
    ck.range(f, &c.lon, 3.2, 7.3, "longitude");
    Province {
        code: p.province.code.get_ref().clone(),
        name: p.province.name.clone(),
        population: figure(ck, f, fig.population.get_ref()),
        labour_force: figure(ck, f, fig.labour_force_15_75.get_ref()),
        unemployment_rate: figure(ck, f, fig.unemployment_rate.get_ref()),
        net_participation: figure(ck, f, fig.net_participation.get_ref()),
        higher_educated_share: figure(ck, f, fig.higher_educated_share.get_ref()),
        themes: Vec::new(),
        profile_status: "geen".into(),
        profile_note: None,
        profile_source: None,
        centroid: (*c.lat.get_ref(), *c.lon.get_ref()),
    }
}

/// Counts within their range, rates and shares within 0..100.
fn check_province_figures(ck: &mut Checker, f: &SourceFile, fig: &raw::ProvinceFigures) {
    for (name, v) in [
        ("population", &fig.population),
        ("labour_force_15_75", &fig.labour_force_15_75),
    ] {
        ck.range(f, &v.get_ref().value, 0.0, 1e8, name);
    }
    for (name, v) in [
        ("unemployment_rate", &fig.unemployment_rate),
        ("net_participation", &fig.net_participation),
        ("higher_educated_share", &fig.higher_educated_share),
    ] {
        ck.range(f, &v.get_ref().value, 0.0, 100.0, name);
    }
}

/// `rules/themes.toml`: the themes a region or service can have, the sectors that measure each,
/// and `[fit]` (location quotient -> value, with the source of the jobs data).
fn load_themes(
    ck: &mut Checker,
    sources: &Sources,
) -> (Vec<Theme>, Option<(ValueFunction, String)>) {
    let mut themes = Vec::new();
    let mut fit = None;
    if let Some(f) = required(ck, sources, "rules/themes.toml")
        && let Some(t) = parse_toml::<raw::ThemesFile>(f, ck.diags)
    {
        ck.unique(f, "theme", t.theme.iter().map(|t| &t.id));
        let sectors: BTreeSet<String> =
            crate::generate::A10.iter().map(|s| s.to_string()).collect();
        for th in &t.theme {
            ck.kebab_id(f, &th.id, "theme", "landbouw-voedsel");
            for s in &th.sectors {
                ck.known("invalid-value", "SBI-A10 sector", f, s, &sectors);
            }
            themes.push(Theme {
                id: th.id.get_ref().clone(),
                title: th.title.clone(),
                sectors: th.sectors.iter().map(|s| s.get_ref().clone()).collect(),
                sector_note: th.sector_note.clone(),
            });
        }
        fit =
            check_value_function(ck, f, &t.fit.value_function).map(|vf| (vf, t.fit.source.clone()));
    }
    (themes, fit)
}

/// `profiles/kernkwaliteiten.toml`: each province's regional profile (themes, status, source),
/// set on the provinces.
fn load_kernkwaliteiten(
    ck: &mut Checker,
    f: &SourceFile,
    provinces: &mut [Province],
    theme_ids: &BTreeSet<String>,
) {
    let Some(k) = parse_toml::<raw::KernkwaliteitenFile>(f, ck.diags) else {
        return;
    };
    let province_codes: BTreeSet<String> = provinces.iter().map(|p| p.code.clone()).collect();
    ck.unique(
        f,
        "profile for province",
        k.profile.iter().map(|p| &p.province),
    );
    for p in &k.profile {
        if !ck.known(
            "unknown-province",
            "province",
            f,
            &p.province,
            &province_codes,
        ) {
            continue;
        }
        let status = p.status.get_ref();
        if !["voorbeeld", "ingediend"].contains(&status.as_str()) {
            ck.err(
                "invalid-value",
                f,
                p.status.span(),
                format!("unknown profile status `{status}`"),
            )
            .expected = Some("`voorbeeld` (example) or `ingediend` (handed in)".into());
        }
        if status == "ingediend" && p.source.as_deref().is_none_or(|s| s.trim().is_empty()) {
            ck.err(
                "missing-source",
                f,
                p.status.span(),
                format!(
                    "the profile of `{}` is `ingediend` without a source",
                    p.province.get_ref()
                ),
            )
            .expected = Some("`source = \"...\"`: the delivered document and its date".into());
        }
        let mut ts = Vec::new();
        for t in &p.themes {
            if ck.known("unknown-theme", "theme", f, t, theme_ids) {
                ts.push(t.get_ref().clone());
            }
        }
        if let Some(prov) = provinces
            .iter_mut()
            .find(|q| &q.code == p.province.get_ref())
        {
            prov.themes = ts;
            prov.profile_status = status.clone();
            prov.profile_note = p.note.clone();
            prov.profile_source = p.source.clone();
        }
    }
}

/// `profiles/corop.toml`: the COROP regions with their province, sorted by code.
fn load_corops(
    ck: &mut Checker,
    sources: &Sources,
    province_codes: &BTreeSet<String>,
) -> Vec<Corop> {
    let mut corops = Vec::new();
    if let Some(f) = required(ck, sources, "profiles/corop.toml")
        && let Some(c) = parse_toml::<raw::CoropFile>(f, ck.diags)
    {
        ck.unique(f, "COROP region", c.corop.iter().map(|c| &c.code));
        for p in c.provenance.values() {
            label(ck, f, &p.label);
        }
        for r in &c.corop {
            ck.known(
                "unknown-province",
                "province",
                f,
                &r.province,
                province_codes,
            );
            corops.push(Corop {
                code: r.code.get_ref().clone(),
                name: r.name.clone(),
                province: r.province.get_ref().clone(),
            });
        }
    }
    corops.sort_by(|a, b| a.code.cmp(&b.code));
    corops
}

/// The gemeenten of every `[[metropolitan_region]]` must exist, each region named once.
fn check_metropolitan(ck: &mut Checker, settings: &Settings, gemeente_codes: &BTreeSet<String>) {
    for m in &settings.metropolitan_regions {
        for code in m.gemeenten.iter().filter(|c| !gemeente_codes.contains(*c)) {
            ck.diags.push(
                Diagnostic::file(
                    "unknown-gemeente",
                    "rules/settings.toml",
                    format!(
                        "`[[metropolitan_region]]` {}: unknown gemeente `{code}`",
                        m.name
                    ),
                )
                .expected("a CBS gemeente code of profiles/gemeenten.toml"),
            );
        }
    }
}

/// Names in common use (`[gemeente_aliases]`) must name gemeenten that exist.
fn check_aliases(ck: &mut Checker, settings: &Settings, gemeente_codes: &BTreeSet<String>) {
    for (name, code) in &settings.gemeente_aliases {
        if !gemeente_codes.contains(code) {
            ck.diags.push(
                Diagnostic::file(
                    "unknown-gemeente",
                    "rules/settings.toml",
                    format!("`[gemeente_aliases]`: `{name}` names the unknown gemeente `{code}`"),
                )
                .expected("a CBS gemeente code of profiles/gemeenten.toml"),
            );
        }
    }
}

/// `rules/criteria.toml`: the criteria, each checked; at least one weight must be positive.
fn load_criteria(ck: &mut Checker, sources: &Sources, vocab: &Vocab) -> Vec<Criterion> {
    let mut criteria = Vec::new();
    if let Some(f) = required(ck, sources, "rules/criteria.toml")
        && let Some(c) = parse_toml::<raw::CriteriaFile>(f, ck.diags)
    {
        ck.unique(f, "criterion", c.criterion.iter().map(|c| &c.id));
        for r in &c.criterion {
            if let Some(crit) = check_criterion(ck, f, r, vocab) {
                criteria.push(crit);
            }
        }
        if !c.criterion.is_empty() && c.criterion.iter().all(|r| *r.weight.get_ref() == 0.0) {
            ck.diags.push(
                Diagnostic::file("zero-weights", &f.display, "every criterion weight is zero")
                    .expected("at least one positive weight"),
            );
        }
    }
    criteria
}

/// `rules/principles.toml`: the principles, each checked, and their precedence (`overrides`
/// names other principles of the same file).
fn load_principles(
    ck: &mut Checker,
    sources: &Sources,
    vocab: &Vocab,
    criteria: &[Criterion],
) -> Vec<Principle> {
    let mut principles = Vec::new();
    let Some(f) = required(ck, sources, "rules/principles.toml") else {
        return principles;
    };
    let Some(p) = parse_toml::<raw::PrinciplesFile>(f, ck.diags) else {
        return principles;
    };
    ck.unique(f, "principle", p.principle.iter().map(|p| &p.id));
    let criterion_ids: BTreeSet<String> = criteria.iter().map(|c| c.id.clone()).collect();
    for r in &p.principle {
        if let Some(pr) = check_principle(ck, f, r, vocab, &criterion_ids) {
            principles.push(pr);
        }
    }
    let ids: BTreeSet<String> = p.principle.iter().map(|r| r.id.get_ref().clone()).collect();
    for r in &p.principle {
        for o in r.overrides.iter().flatten() {
            ck.known("unknown-principle", "principle", f, o, &ids);
            if o.get_ref() == r.id.get_ref() {
                ck.err(
                    "invalid-value",
                    f,
                    o.span(),
                    "a principle cannot override itself",
                );
            }
        }
        if let Some(o) = &r.follows {
            ck.known("unknown-principle", "principle", f, o, &ids);
            if o.get_ref() == r.id.get_ref() {
                ck.err(
                    "invalid-value",
                    f,
                    o.span(),
                    "a principle cannot follow from itself",
                );
            }
        }
    }
    principles
}

fn is_code(s: &str, prefix: &str, digits: usize) -> bool {
    s.len() == prefix.len() + digits
        && s.starts_with(prefix)
        && s[prefix.len()..].bytes().all(|b| b.is_ascii_digit())
}

fn check_evidence(ck: &mut Checker, f: &SourceFile, e: &S<String>) {
    let labels: BTreeSet<String> = ["V", "N", "D", "R"].map(String::from).into();
    if !labels.contains(e.get_ref()) {
        ck.err(
            "invalid-value",
            f,
            e.span(),
            format!("unknown evidence label `{}`", e.get_ref()),
        )
        .expected =
            Some("`V` (verified), `N` (secondary source), `D` (derived) or `R` (recalled)".into());
    }
}

fn check_settings(
    ck: &mut Checker,
    f: &SourceFile,
    s: &raw::SettingsFile,
    provinces: &BTreeSet<String>,
) -> Settings {
    for p in s.randstad.provinces.iter().chain(&s.under_served.provinces) {
        ck.known("unknown-province", "province", f, p, provinces);
    }
    ck.range(f, &s.thresholds.advice_fte, 0.0, 1e6, "advice_fte");
    ck.range(f, &s.thresholds.reporting_fte, 0.0, 1e6, "reporting_fte");
    let t = &s.travel_model;
    check_travel_model(ck, f, t);
    check_lists_and_classes(ck, f, s);
    let strs = |v: &Vec<S<String>>| v.iter().map(|x| x.get_ref().clone()).collect::<Vec<_>>();
    let robustness = check_robustness(ck, f, &s.robustness);
    let (ministry_names, sector_ministries) = ministries_and_sectors(ck, f, s);
    ck.range(f, &s.request.endorse_gap, 0.0, 1.0, "endorse_gap");
    ck.range(
        f,
        &s.request.binding_minutes,
        0.0,
        MINUTES_MAX,
        "binding_minutes",
    );
    Settings {
        randstad: strs(&s.randstad.provinces),
        randstad_source: s.randstad.source.clone(),
        advice_fte: *s.thresholds.advice_fte.get_ref(),
        advice_source: s.thresholds.advice_source.clone(),
        reporting_fte: *s.thresholds.reporting_fte.get_ref(),
        reporting_source: s.thresholds.reporting_source.clone(),
        under_served: strs(&s.under_served.provinces),
        under_served_source: s.under_served.source.clone(),
        sectors: strs(s.sectors.get_ref()),
        ministries: strs(s.ministries.get_ref()),
        ministry_names,
        gemeente_aliases: s
            .gemeente_aliases
            .iter()
            .map(|(name, code)| (name.clone(), code.get_ref().clone()))
            .collect(),
        station_classes: s
            .station_classes
            .iter()
            .map(|(k, v)| (k.clone(), *v.get_ref()))
            .collect(),
        travel: TravelModel {
            access_speed_kmh: *t.access_speed_kmh.get_ref(),
            access_detour_factor: *t.access_detour_factor.get_ref(),
            access_fixed_minutes: *t.access_fixed_minutes.get_ref(),
            reach_minutes: *t.reach_minutes.get_ref(),
            commute_minutes: *t.commute_minutes.get_ref(),
        },
        robustness,
        sector_ministries,
        request: RequestSettings {
            endorse_gap: *s.request.endorse_gap.get_ref(),
            binding_minutes: *s.request.binding_minutes.get_ref(),
            source: s.request.source.clone(),
        },
        metropolitan_regions: s
            .metropolitan_region
            .iter()
            .map(|m| MetropolitanRegion {
                name: m.name.clone(),
                gemeenten: strs(&m.gemeenten),
                source: m.source.clone(),
            })
            .collect(),
    }
}

/// The sector and ministry lists (not empty, each name once) and the station classes (within
/// 0..10, with one for untyped stations).
fn check_lists_and_classes(ck: &mut Checker, f: &SourceFile, s: &raw::SettingsFile) {
    for (list, what) in [(&s.sectors, "sector"), (&s.ministries, "ministry")] {
        if list.get_ref().is_empty() {
            ck.err(
                "invalid-value",
                f,
                list.span(),
                format!("the {what} list is empty"),
            );
        }
        ck.unique(f, what, list.get_ref().iter());
    }
    for (k, v) in &s.station_classes {
        ck.range(f, v, 0.0, 10.0, &format!("station class `{k}`"));
    }
    if !s.station_classes.contains_key("untyped") {
        ck.diags.push(
            Diagnostic::file(
                "missing-key",
                &f.display,
                "missing `untyped` in `[station_classes]`",
            )
            .expected("a class for stations without a 2017 type"),
        );
    }
}

/// `[travel_model]`: labelled as an assumption, every parameter within its range.
fn check_travel_model(ck: &mut Checker, f: &SourceFile, t: &raw::TravelRaw) {
    ck.status(
        f,
        &t.status,
        "modelling assumption",
        "the travel model must be labelled as an assumption",
    );
    for (name, v, lo, hi) in [
        ("access_speed_kmh", &t.access_speed_kmh, 1.0, 200.0),
        ("access_fixed_minutes", &t.access_fixed_minutes, 0.0, 120.0),
        ("access_detour_factor", &t.access_detour_factor, 1.0, 5.0),
        ("reach_minutes", &t.reach_minutes, 1.0, 600.0),
        ("commute_minutes", &t.commute_minutes, 1.0, 600.0),
    ] {
        ck.range(f, v, lo, hi, name);
    }
}

/// `[ministry_names]` (a name for every ministry) and `[sector_ministries]` (known sectors and
/// ministries).
fn ministries_and_sectors(
    ck: &mut Checker,
    f: &SourceFile,
    s: &raw::SettingsFile,
) -> (BTreeMap<String, String>, BTreeMap<String, String>) {
    let sectors: BTreeSet<String> = s
        .sectors
        .get_ref()
        .iter()
        .map(|x| x.get_ref().clone())
        .collect();
    let ministries: BTreeSet<String> = s
        .ministries
        .get_ref()
        .iter()
        .map(|x| x.get_ref().clone())
        .collect();
    let mut ministry_names = BTreeMap::new();
    for (code, name) in &s.ministry_names {
        if ck.known("unknown-ministry", "ministry", f, code, &ministries) {
            ministry_names.insert(code.get_ref().clone(), name.clone());
        }
    }
    for m in &ministries {
        if !ministry_names.contains_key(m) {
            ck.diags.push(
                Diagnostic::file(
                    "missing-key",
                    &f.display,
                    format!("`[ministry_names]` has no name for `{m}`"),
                )
                .expected("a name for every ministry in `ministries`"),
            );
        }
    }
    let mut sector_ministries = BTreeMap::new();
    for (sector, ministry) in &s.sector_ministries {
        if ck.known("unknown-sector", "sector", f, sector, &sectors)
            & ck.known("unknown-ministry", "ministry", f, ministry, &ministries)
        {
            sector_ministries.insert(sector.get_ref().clone(), ministry.get_ref().clone());
        }
    }
    (ministry_names, sector_ministries)
}

/// A whole number within `lo..=hi`, or an `out-of-range` problem (and `lo`).
fn whole_number(
    ck: &mut Checker,
    f: &SourceFile,
    v: &S<i64>,
    (lo, hi): (i64, i64),
    what: &str,
) -> usize {
    let x = *v.get_ref();
    if (lo..=hi).contains(&x) {
        return x as usize;
    }
    ck.err(
        "out-of-range",
        f,
        v.span(),
        format!("{what} `{x}` is out of range"),
    )
    .expected = Some(format!("a whole number from {lo} to {hi}"));
    lo as usize
}

fn check_robustness(
    ck: &mut Checker,
    f: &SourceFile,
    r: &raw::RobustnessRaw,
) -> RobustnessSettings {
    use crate::mcda::smaa::WeightSampling;
    use crate::mcda::topsis::TopsisNormalisation;
    let samples = whole_number(ck, f, &r.samples, (1, 10_000_000), "samples");
    let ranks = whole_number(ck, f, &r.ranks, (1, 100), "ranks");
    let confidence_samples = whole_number(
        ck,
        f,
        &r.confidence_samples,
        (1, 1_000_000),
        "confidence_samples",
    );
    let seed = whole_number(ck, f, &r.seed, (0, i64::MAX), "seed") as u64;
    ck.range(f, &r.weight_band, 0.0, 1.0, "weight_band");
    ck.range(f, &r.estimate_band, 0.0, 1.0, "estimate_band");
    let weight_sampling = ck
        .choice(
            f,
            &r.weight_sampling,
            "weight sampling",
            &[
                ("band", WeightSampling::Band(*r.weight_band.get_ref())),
                ("simplex", WeightSampling::Simplex),
            ],
        )
        .unwrap_or(WeightSampling::Simplex);
    let topsis = ck
        .choice(
            f,
            &r.cross_check.topsis_normalisation,
            "TOPSIS normalisation",
            &[
                ("vector", TopsisNormalisation::Vector),
                ("minmax", TopsisNormalisation::MinMax),
            ],
        )
        .unwrap_or(TopsisNormalisation::Vector);
    let promethee = preference(ck, f, &r.cross_check.promethee)
        .unwrap_or(crate::mcda::promethee::Preference::Usual);
    RobustnessSettings {
        samples,
        seed,
        weight_sampling,
        weight_band: *r.weight_band.get_ref(),
        estimate_band: *r.estimate_band.get_ref(),
        ranks,
        confidence_samples,
        topsis,
        promethee,
    }
}

/// Checks a PROMETHEE preference function: a known function with exactly its thresholds.
pub(crate) fn preference(
    ck: &mut Checker,
    f: &SourceFile,
    p: &S<raw::PreferenceRaw>,
) -> Option<crate::mcda::promethee::Preference> {
    use crate::mcda::promethee::Preference;
    let r = p.get_ref();
    let kinds: [(&str, &[&str]); 6] = [
        ("usual", &[]),
        ("u-shape", &["q"]),
        ("v-shape", &["p"]),
        ("level", &["q", "p"]),
        ("linear", &["q", "p"]),
        ("gaussian", &["s"]),
    ];
    let needs = ck.choice(f, &r.function, "preference function", &kinds)?;
    let given = [("q", r.q), ("p", r.p), ("s", r.s)];
    for (k, v) in given {
        if v.is_some() != needs.contains(&k) {
            ck.err(
                "invalid-value",
                f,
                p.span(),
                format!(
                    "preference function `{}` {} `{k}`",
                    r.function.get_ref(),
                    if v.is_some() { "takes no" } else { "needs" }
                ),
            )
            .expected = Some(format!(
                "thresholds: {}",
                if needs.is_empty() {
                    "none".to_string()
                } else {
                    needs.join(", ")
                }
            ));
            return None;
        }
    }
    let (q, pp, s) = (r.q.unwrap_or(0.0), r.p.unwrap_or(0.0), r.s.unwrap_or(0.0));
    let pref = match r.function.get_ref().as_str() {
        "usual" => Preference::Usual,
        "u-shape" => Preference::UShape { q },
        "v-shape" => Preference::VShape { p: pp },
        "level" => Preference::Level { q, p: pp },
        "linear" => Preference::Linear { q, p: pp },
        _ => Preference::Gaussian { s },
    };
    match pref.check() {
        Ok(p) => Some(p),
        Err(e) => {
            ck.err("invalid-value", f, p.span(), e.to_string());
            None
        }
    }
}

/// A criterion's attribute: a numeric or boolean attribute of the location.
fn criterion_attribute(ck: &mut Checker, f: &SourceFile, attribute: &S<String>) -> Option<Attr> {
    match known_attr(ck, f, attribute) {
        Some(a) if a.scope() == Scope::Location && a.ty() != AttrType::Text => Some(a),
        Some(a) => {
            ck.err(
                "invalid-attribute",
                f,
                attribute.span(),
                format!("attribute `{}` cannot be a criterion", a.name()),
            )
            .expected = Some("a numeric or boolean `location.*` attribute".into());
            None
        }
        None => None,
    }
}

fn check_criterion(
    ck: &mut Checker,
    f: &SourceFile,
    r: &raw::CriterionRaw,
    vocab: &Vocab,
) -> Option<Criterion> {
    let mut ok = ck.kebab_id(f, &r.id, "criterion", "office-cost");
    let attr = criterion_attribute(ck, f, &r.attribute);
    let weight = *r.weight.get_ref();
    ok &= ck.weight(f, &r.weight);
    let missing = ck.choice(
        f,
        &r.missing,
        "missing-data policy",
        &[
            ("exclude", Missing::Exclude),
            ("worst", Missing::Worst),
            ("neutral", Missing::Neutral),
        ],
    );
    let vf = check_value_function(ck, f, &r.value_function);
    let when = r.when.as_ref().map(|w| predicate(ck, f, w, false, vocab));
    let applies = r.applies.as_ref().map(|w| predicate(ck, f, w, true, vocab));
    if !ok
        || when.as_ref().is_some_and(Option::is_none)
        || applies.as_ref().is_some_and(Option::is_none)
    {
        return None;
    }
    Some(Criterion {
        id: r.id.get_ref().clone(),
        group: r.group.clone(),
        title: r.title.clone(),
        title_en: r.title_en.clone(),
        summary: r.summary.clone(),
        doc: r.doc.trim().to_string(),
        attribute: attr?,
        unit: r.unit.clone(),
        weight,
        missing: missing?,
        value_function: vf?,
        source: r.source.clone(),
        reference_date: r.reference_date.clone(),
        when: when.flatten(),
        applies: applies.flatten(),
    })
}

/// Checks a value function: at least two `[raw, value]` points, raw strictly increasing,
/// values in 0..1, monotone.
pub(crate) fn check_value_function(
    ck: &mut Checker,
    f: &SourceFile,
    vf: &S<Vec<S<Vec<S<f64>>>>>,
) -> Option<ValueFunction> {
    let mut points = Vec::new();
    let mut ok = true;
    if vf.get_ref().len() < 2 {
        ck.err(
            "invalid-value-function",
            f,
            vf.span(),
            "a value function needs at least two points",
        )
        .expected = Some("points such as `[[0.0, 0.0], [10.0, 1.0]]`".into());
        return None;
    }
    for p in vf.get_ref() {
        if p.get_ref().len() != 2 {
            ck.err(
                "invalid-value-function",
                f,
                p.span(),
                format!("a point has {} numbers", p.get_ref().len()),
            )
            .expected = Some("a pair `[raw, value]`".into());
            ok = false;
            continue;
        }
        let (x, y) = (&p.get_ref()[0], &p.get_ref()[1]);
        ok &= check_point(ck, f, x, y, points.last().map(|p: &(f64, f64)| p.0));
        points.push((*x.get_ref(), *y.get_ref()));
    }
    if ok {
        let up = points.windows(2).all(|w| w[1].1 >= w[0].1);
        let down = points.windows(2).all(|w| w[1].1 <= w[0].1);
        if !up && !down {
            ck.err(
                "non-monotone",
                f,
                vf.span(),
                "the value function goes up and down",
            )
            .expected = Some("values that only rise or only fall".into());
            ok = false;
        }
    }
    ok.then_some(ValueFunction { points })
}

/// One point `[x, y]` of a value function: a finite raw figure above the previous point's
/// (`prev`), a value in 0..1.
fn check_point(
    ck: &mut Checker,
    f: &SourceFile,
    x: &S<f64>,
    y: &S<f64>,
    prev: Option<f64>,
) -> bool {
    let mut ok = true;
    if !x.get_ref().is_finite() {
        ck.err("out-of-range", f, x.span(), "raw figure is not finite")
            .expected = Some("a finite number".into());
        ok = false;
    }
    ok &= ck.range(f, y, 0.0, 1.0, "value");
    if let Some(px) = prev
        && *x.get_ref() <= px
    {
        ck.err(
            "unsorted-points",
            f,
            x.span(),
            format!("raw figure `{}` does not increase on `{px}`", x.get_ref()),
        )
        .expected = Some("points sorted by strictly increasing raw figure".into());
        ok = false;
    }
    ok
}

/// Known vocabularies for checking predicate values.
pub(crate) struct Vocab<'a> {
    pub provinces: &'a BTreeSet<String>,
    pub gemeenten: &'a BTreeSet<String>,
    pub settings: Option<&'a Settings>,
}

fn check_principle(
    ck: &mut Checker,
    f: &SourceFile,
    r: &raw::PrincipleRaw,
    vocab: &Vocab,
    criterion_ids: &BTreeSet<String>,
) -> Option<Principle> {
    let id = r.id.get_ref();
    let mut ok = ck.kebab_id(f, &r.id, "principle", "groei-buiten-randstad");
    let status = ck.choice(
        f,
        &r.status,
        "status",
        &[
            ("cabinet-policy", Status::CabinetPolicy),
            ("engine-practice", Status::EnginePractice),
        ],
    );
    check_evidence(ck, f, &r.evidence);
    let when = match &r.when {
        Some(w) => {
            let p = predicate(ck, f, w, false, vocab);
            ok &= p.is_some();
            p
        }
        None => None,
    };
    let effect = check_effect(ck, f, &r.effect, vocab, criterion_ids);
    if !ok {
        return None;
    }
    Some(Principle {
        id: id.clone(),
        title: r.title.clone(),
        summary: r.summary.clone(),
        explanation: r.explanation.trim().to_string(),
        force: r.force.trim().to_string(),
        overrides: r
            .overrides
            .iter()
            .flatten()
            .map(|o| o.get_ref().clone())
            .collect(),
        follows: r.follows.as_ref().map(|o| o.get_ref().clone()),
        status: status?,
        source: r.source.clone(),
        evidence: r.evidence.get_ref().clone(),
        when,
        effect: effect?,
    })
}

/// A principle's effect: its type, the keys that type takes, and their values.
fn check_effect(
    ck: &mut Checker,
    f: &SourceFile,
    effect: &S<raw::EffectRaw>,
    vocab: &Vocab,
    criterion_ids: &BTreeSet<String>,
) -> Option<Effect> {
    let e = effect.get_ref();
    let allowed = effect_keys(ck, f, &e.kind)?;
    let kind = e.kind.get_ref().as_str();
    let mut ok = check_effect_keys(ck, f, effect, kind, allowed);
    let target = e.target.as_ref().and_then(|t| {
        let p = predicate(ck, f, t, true, vocab);
        if p.is_none() {
            ok = false;
        }
        p
    });
    if let Some(d) = &e.delta {
        ok &= ck.range(f, d, -0.5, 0.5, "delta");
    }
    for v in [&e.min, &e.outside_randstad, &e.regions]
        .into_iter()
        .flatten()
    {
        if *v.get_ref() < 0 || *v.get_ref() > 50 {
            ck.err(
                "out-of-range",
                f,
                v.span(),
                format!("`{}` is out of range", v.get_ref()),
            )
            .expected = Some("a whole number from 0 to 50".into());
            ok = false;
        }
    }
    let lower = e.lower.as_ref().and_then(|l| {
        ck.choice(
            f,
            l,
            "lower tier",
            &[
                ("needs-motivation", Lower::NeedsMotivation),
                ("after", Lower::After),
                ("order", Lower::Order),
            ],
        )
    });
    let region = match &e.region {
        Some(r) => {
            let k = ck.choice(
                f,
                r,
                "region kind",
                &[
                    ("province", RegionKind::Province),
                    ("corop", RegionKind::Corop),
                ],
            );
            ok &= k.is_some();
            k.unwrap_or(RegionKind::Province)
        }
        None => RegionKind::Province,
    };
    for c in e.criteria.iter().flatten() {
        ok &= ck.known("unknown-criterion", "criterion", f, c, criterion_ids);
    }
    if !ok {
        return None;
    }
    build_effect(kind, e, target, lower, region)
}

/// Which keys each effect type takes (`target` of `explain` is optional); none for an unknown
/// type.
fn effect_keys(
    ck: &mut Checker,
    f: &SourceFile,
    kind: &S<String>,
) -> Option<&'static [&'static str]> {
    ck.choice(
        f,
        kind,
        "effect type",
        &[
            ("require", &["target"][..]),
            ("adjust", &["target", "delta"][..]),
            ("flag", &["message", "message_en"][..]),
            ("explain", &["target"][..]),
            (
                "alternatives",
                &["min", "outside_randstad", "regions", "region"][..],
            ),
            (
                "tier",
                &[
                    "target",
                    "lower",
                    "label",
                    "label_en",
                    "because",
                    "because_en",
                    "keeps_current",
                ][..],
            ),
            ("weigh", &["criteria"][..]),
        ],
    )
}

/// The keys an effect of `kind` takes are present and no others.
fn check_effect_keys(
    ck: &mut Checker,
    f: &SourceFile,
    effect: &S<raw::EffectRaw>,
    kind: &str,
    allowed: &[&str],
) -> bool {
    let e = effect.get_ref();
    let present = [
        ("target", e.target.is_some()),
        ("delta", e.delta.is_some()),
        ("message", e.message.is_some()),
        ("message_en", e.message_en.is_some()),
        ("min", e.min.is_some()),
        ("outside_randstad", e.outside_randstad.is_some()),
        ("lower", e.lower.is_some()),
        ("label", e.label.is_some()),
        ("label_en", e.label_en.is_some()),
        ("because", e.because.is_some()),
        ("because_en", e.because_en.is_some()),
        ("keeps_current", e.keeps_current.is_some()),
        ("criteria", e.criteria.is_some()),
        ("regions", e.regions.is_some()),
        ("region", e.region.is_some()),
    ];
    let mut ok = true;
    for (key, is) in present {
        let optional = (kind == "explain" && key == "target")
            || matches!(key, "keeps_current" | "regions" | "region");
        if is && !allowed.contains(&key) {
            ck.err(
                "unknown-key",
                f,
                effect.span(),
                format!("effect `{kind}` takes no `{key}`"),
            )
            .expected = Some(format!(
                "only {}",
                allowed
                    .iter()
                    .map(|k| format!("`{k}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
            ok = false;
        } else if !is && !optional && allowed.contains(&key) {
            ck.err(
                "missing-key",
                f,
                effect.span(),
                format!("effect `{kind}` needs `{key}`"),
            );
            ok = false;
        }
    }
    ok
}

/// A checked effect of `kind`.
fn build_effect(
    kind: &str,
    e: &raw::EffectRaw,
    target: Option<Predicate>,
    lower: Option<Lower>,
    region: RegionKind,
) -> Option<Effect> {
    Some(match kind {
        "require" => Effect::Require { target: target? },
        "explain" => Effect::Explain { target },
        "adjust" => Effect::Adjust {
            target: target?,
            delta: *e.delta.as_ref()?.get_ref(),
        },
        "flag" => Effect::Flag {
            message: e.message.clone()?,
            message_en: e.message_en.clone()?,
        },
        "tier" => Effect::Tier {
            target: target?,
            lower: lower?,
            label: e.label.clone()?,
            label_en: e.label_en.clone()?,
            because: e.because.clone()?,
            because_en: e.because_en.clone()?,
            keeps_current: e.keeps_current.unwrap_or(false),
        },
        "weigh" => Effect::Weigh {
            criteria: e
                .criteria
                .iter()
                .flatten()
                .map(|c| c.get_ref().clone())
                .collect(),
        },
        _ => Effect::Alternatives {
            min: *e.min.as_ref()?.get_ref() as usize,
            outside_randstad: *e.outside_randstad.as_ref()?.get_ref() as usize,
            regions: e.regions.as_ref().map_or(1, |r| *r.get_ref() as usize),
            region,
        },
    })
}

/// Converts and checks a predicate. `location` allows `location.*` attributes.
pub(crate) fn predicate(
    ck: &mut Checker,
    f: &SourceFile,
    p: &S<raw::PredicateRaw>,
    location: bool,
    vocab: &Vocab,
) -> Option<Predicate> {
    let r = p.get_ref();
    let forms = [
        r.attr.is_some() || r.op.is_some() || r.value.is_some(),
        r.all.is_some(),
        r.any.is_some(),
        r.not.is_some(),
    ];
    if forms.iter().filter(|x| **x).count() != 1 {
        ck.err(
            "invalid-predicate",
            f,
            p.span(),
            "a predicate must have exactly one form",
        )
        .expected = Some(
            "`{ attr, op, value }`, `{ all = [...] }`, `{ any = [...] }` or `{ not = {...} }`"
                .into(),
        );
        return None;
    }
    let list = |ck: &mut Checker, ps: &Vec<S<raw::PredicateRaw>>| {
        let out: Vec<Option<Predicate>> = ps
            .iter()
            .map(|q| predicate(ck, f, q, location, vocab))
            .collect();
        out.into_iter().collect::<Option<Vec<_>>>()
    };
    if let Some(ps) = &r.all {
        return list(ck, ps).map(Predicate::All);
    }
    if let Some(ps) = &r.any {
        return list(ck, ps).map(Predicate::Any);
    }
    if let Some(q) = &r.not {
        return predicate(ck, f, q, location, vocab).map(|q| Predicate::Not(Box::new(q)));
    }
    comparison(ck, f, p, location, vocab)
}

/// A comparison `{ attr, op, value }`: a known attribute of the right scope, an operator its
/// type allows, and values of its type (and vocabulary).
fn comparison(
    ck: &mut Checker,
    f: &SourceFile,
    p: &S<raw::PredicateRaw>,
    location: bool,
    vocab: &Vocab,
) -> Option<Predicate> {
    let r = p.get_ref();
    let (Some(a), Some(o), Some(v)) = (&r.attr, &r.op, &r.value) else {
        ck.err(
            "invalid-predicate",
            f,
            p.span(),
            "a comparison needs `attr`, `op` and `value`",
        )
        .expected = Some("`{ attr = \"case.kind\", op = \"eq\", value = \"new\" }`".into());
        return None;
    };
    let attr = predicate_attr(ck, f, a, location)?;
    let op = ck.choice(f, o, "operator", &Op::ALL.map(|(op, name)| (name, op)))?;
    if matches!(op, Op::Lt | Op::Le | Op::Gt | Op::Ge) && attr.ty() != AttrType::Number {
        ck.err(
            "invalid-operator",
            f,
            o.span(),
            format!(
                "`{}` needs a number, but `{}` is {}",
                op.name(),
                attr.name(),
                attr.ty().as_str()
            ),
        )
        .expected = Some("`eq`, `ne`, `in` or `not-in`".into());
        return None;
    }
    let raw_values: Vec<&toml::Value> = match (op, v.get_ref()) {
        (Op::In | Op::NotIn, toml::Value::Array(items)) => items.iter().collect(),
        (Op::In | Op::NotIn, _) => {
            ck.err(
                "wrong-type",
                f,
                v.span(),
                format!("`{}` needs a list", op.name()),
            )
            .expected = Some("an array of values".into());
            return None;
        }
        (_, other) => vec![other],
    };
    let mut values = Vec::new();
    for rv in raw_values {
        values.push(predicate_value(ck, f, v, rv, attr, vocab)?);
    }
    Some(Predicate::Cmp { attr, op, values })
}

/// The attribute named `a`, or an `unknown-attribute` problem with the closest name.
fn known_attr(ck: &mut Checker, f: &SourceFile, a: &S<String>) -> Option<Attr> {
    let attr = Attr::parse(a.get_ref());
    if attr.is_none() {
        let names: Vec<&str> = Attr::ALL.iter().map(|a| a.name()).collect();
        let d = Diagnostic::at(
            "unknown-attribute",
            &f.display,
            &f.text,
            a.span(),
            format!("unknown attribute `{}`", a.get_ref()),
        )
        .expected("a known attribute (see `locatieadvies explain --list`)")
        .suggest(a.get_ref(), names);
        ck.diags.push(d);
    }
    attr
}

/// A known attribute; a location attribute only where the predicate is about a location.
fn predicate_attr(ck: &mut Checker, f: &SourceFile, a: &S<String>, location: bool) -> Option<Attr> {
    let attr = known_attr(ck, f, a)?;
    if attr.scope() == Scope::Location && !location {
        ck.err(
            "invalid-attribute",
            f,
            a.span(),
            format!(
                "`{}` describes a location, but `when` is about the case",
                attr.name()
            ),
        )
        .expected = Some("a `case.*` attribute".into());
        return None;
    }
    Some(attr)
}

/// One value of a comparison: of the attribute's type and, for a text with a vocabulary (case
/// kinds, sectors, ministries, provinces, gemeenten), one of its words.
fn predicate_value(
    ck: &mut Checker,
    f: &SourceFile,
    v: &S<toml::Value>,
    rv: &toml::Value,
    attr: Attr,
    vocab: &Vocab,
) -> Option<Value> {
    let val = match (attr.ty(), rv) {
        (AttrType::Bool, toml::Value::Boolean(b)) => Value::Bool(*b),
        (AttrType::Number, toml::Value::Integer(i)) => Value::Number(*i as f64),
        (AttrType::Number, toml::Value::Float(x)) if x.is_finite() => Value::Number(*x),
        (AttrType::Text, toml::Value::String(s)) => Value::Text(s.clone()),
        _ => {
            ck.err(
                "wrong-type",
                f,
                v.span(),
                format!(
                    "`{}` is {}, but the value is not",
                    attr.name(),
                    attr.ty().as_str()
                ),
            )
            .expected = Some(format!("{} value", attr.ty().as_str()));
            return None;
        }
    };
    let Value::Text(t) = &val else {
        return Some(val);
    };
    let known = vocabulary(attr, vocab);
    // An empty vocabulary means its file failed to load (already reported).
    if let Some(known) = known
        && !known.is_empty()
        && !known.contains(t)
    {
        let d = Diagnostic::at(
            "invalid-value",
            &f.display,
            &f.text,
            v.span(),
            format!("`{t}` is not a value of `{}`", attr.name()),
        )
        .expected(format!(
            "one of {}",
            known
                .iter()
                .take(12)
                .map(|k| format!("`{k}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ))
        .suggest(t, known.iter().map(String::as_str));
        ck.diags.push(d);
        return None;
    }
    Some(val)
}

/// The words a text attribute may take, for those that have a vocabulary.
fn vocabulary(attr: Attr, vocab: &Vocab) -> Option<BTreeSet<String>> {
    match attr {
        Attr::CaseKind => Some(
            crate::model::CaseKind::ALL
                .iter()
                .map(|k| k.as_str().to_string())
                .collect(),
        ),
        Attr::CaseSector => vocab.settings.map(|s| s.sectors.iter().cloned().collect()),
        Attr::CaseMinistry => vocab
            .settings
            .map(|s| s.ministries.iter().cloned().collect()),
        Attr::LocProvince => Some(vocab.provinces.clone()),
        Attr::LocCode => Some(vocab.gemeenten.clone()),
        _ => None,
    }
}

/// Loads `profiles/gemeenten.toml`: the candidate locations with their point, CBS population,
/// WOZ value and own stations, and the provenance of those columns; `None` when the file does
/// not parse.
fn load_gemeenten(
    ck: &mut Checker,
    f: &SourceFile,
    provinces: &BTreeSet<String>,
    corops: &[Corop],
    rail: &RailNetwork,
) -> Option<(Vec<Gemeente>, BTreeMap<String, Figure>)> {
    let corop_province: BTreeMap<String, String> = corops
        .iter()
        .map(|c| (c.code.clone(), c.province.clone()))
        .collect();
    let stations: BTreeSet<String> = rail.stations.iter().map(|s| s.code.clone()).collect();
    let mut gemeenten = Vec::new();
    let mut prov = BTreeMap::new();
    let g = parse_toml::<raw::GemeentenFile>(f, ck.diags)?;
    for (k, p) in &g.provenance {
        prov.insert(k.clone(), provenance(ck, f, p));
    }
    for key in [
        "population",
        "point_main_place",
        "point_centroid",
        "woz",
        "stations",
    ] {
        if !prov.contains_key(key) {
            ck.diags.push(
                Diagnostic::file(
                    "missing-key",
                    &f.display,
                    format!("missing `[provenance.{key}]`"),
                )
                .expected("the source, reference date and label of every gemeente column"),
            );
        }
    }
    let corops: BTreeSet<String> = corop_province.keys().cloned().collect();
    ck.unique(f, "gemeente", g.gemeente.iter().map(|g| &g.code));
    let refs = GemeenteRefs {
        provinces,
        corops: &corops,
        corop_province: &corop_province,
        stations: &stations,
    };
    for r in &g.gemeente {
        gemeenten.push(gemeente(ck, f, r, &refs));
    }
    gemeenten.sort_by(|a, b| a.code.cmp(&b.code));
    Some((gemeenten, prov))
}

/// What a gemeente's row may refer to.
struct GemeenteRefs<'a> {
    provinces: &'a BTreeSet<String>,
    corops: &'a BTreeSet<String>,
    corop_province: &'a BTreeMap<String, String>,
    stations: &'a BTreeSet<String>,
}

/// A gemeente's code, and its province and COROP region, which must agree.
fn check_gemeente_place(
    ck: &mut Checker,
    f: &SourceFile,
    r: &raw::GemeenteRaw,
    refs: &GemeenteRefs,
) {
    let code = r.code.get_ref();
    if !is_code(code, "GM", 4) {
        ck.err(
            "invalid-code",
            f,
            r.code.span(),
            format!("invalid gemeente code `{code}`"),
        )
        .expected = Some("a CBS gemeente code such as `GM0106`".into());
    }
    ck.known(
        "unknown-province",
        "province",
        f,
        &r.province,
        refs.provinces,
    );
    if ck.known("unknown-corop", "COROP region", f, &r.corop, refs.corops)
        && refs.corop_province.get(r.corop.get_ref()) != Some(r.province.get_ref())
    {
        ck.err(
            "inconsistent-reference",
            f,
            r.province.span(),
            format!(
                "gemeente `{code}` lies in COROP `{}`, which is not in province `{}`",
                r.corop.get_ref(),
                r.province.get_ref()
            ),
        );
    }
}

/// One gemeente's row: its code, province and COROP region (which must agree), point, CBS
/// figures and stations.
fn gemeente(
    ck: &mut Checker,
    f: &SourceFile,
    r: &raw::GemeenteRaw,
    refs: &GemeenteRefs,
) -> Gemeente {
    let code = r.code.get_ref();
    check_gemeente_place(ck, f, r, refs);
    let pt = r.point.get_ref();
    ck.range(f, &pt.lat, 50.5, 53.8, "latitude");
    ck.range(f, &pt.lon, 3.2, 7.3, "longitude");
    let point_source = ck
        .choice(
            f,
            &pt.from,
            "point source",
            &[
                ("main-place", PointSource::MainPlace),
                ("centroid", PointSource::Centroid),
            ],
        )
        .unwrap_or(PointSource::Centroid);
    ck.range(f, &r.population, 0.0, 1e8, "population");
    ck.range(
        f,
        &r.working_age,
        0.0,
        *r.population.get_ref(),
        "working_age",
    );
    if let Some(w) = &r.woz {
        ck.range(f, w, 1.0, 1e5, "woz");
    }
    for s in &r.stations {
        ck.known("unknown-station", "station", f, s, refs.stations);
    }
    Gemeente {
        code: code.clone(),
        name: r.name.clone(),
        corop: r.corop.get_ref().clone(),
        province: r.province.get_ref().clone(),
        main_place: r.main_place.clone(),
        point: (*pt.lat.get_ref(), *pt.lon.get_ref()),
        point_source,
        population: *r.population.get_ref(),
        working_age: *r.working_age.get_ref(),
        woz: r.woz.as_ref().map(|w| *w.get_ref()),
        stations: r.stations.iter().map(|s| s.get_ref().clone()).collect(),
    }
}

/// Loads `profiles/rijksaanwezigheid.toml`: the kinds of presence with their levels and the
/// sites, each name checked against its gemeente code.
fn load_presence(
    ck: &mut Checker,
    f: &SourceFile,
    gemeente_names: &BTreeMap<String, String>,
) -> Presence {
    let mut out = Presence::default();
    let Some(p) = parse_toml::<raw::PresenceFile>(f, ck.diags) else {
        return out;
    };
    ck.unique(f, "presence kind", p.kind.iter().map(|k| &k.id));
    for k in &p.kind {
        let level = whole_number(ck, f, &k.level, (0, 10), "level");
        out.kinds.push(PresenceKind {
            id: k.id.get_ref().clone(),
            level: level as f64,
            office: k.office,
            title: k.title.clone(),
            source: k.source.clone(),
        });
    }
    let kinds: BTreeSet<String> = out.kinds.iter().map(|k| k.id.clone()).collect();
    let codes: BTreeSet<String> = gemeente_names.keys().cloned().collect();
    for s in &p.site {
        ck.known("invalid-value", "site kind", f, &s.kind, &kinds);
        check_evidence(ck, f, &s.evidence);
        if s.source.get_ref().trim().is_empty() {
            ck.err(
                "missing-source",
                f,
                s.source.span(),
                format!("the site in `{}` has no source", s.name.get_ref()),
            )
            .expected = Some("the document the site was read from".into());
        }
        if ck.known("unknown-gemeente", "gemeente", f, &s.gemeente, &codes) {
            check_site_name(ck, f, s, gemeente_names);
        }
        out.sites.push(PresenceSite {
            kind: s.kind.get_ref().clone(),
            gemeente: s.gemeente.get_ref().clone(),
            organisation: s.organisation.clone(),
            description: s.description.clone(),
            source: s.source.get_ref().clone(),
            source_date: s.source_date.clone(),
            evidence: s.evidence.get_ref().clone(),
        });
    }
    out
}

/// A site's name must be the name of its gemeente.
fn check_site_name(
    ck: &mut Checker,
    f: &SourceFile,
    s: &raw::SiteRaw,
    gemeente_names: &BTreeMap<String, String>,
) {
    let Some(name) = gemeente_names.get(s.gemeente.get_ref()) else {
        return;
    };
    if name != s.name.get_ref() {
        ck.err(
            "inconsistent-reference",
            f,
            s.name.span(),
            format!(
                "name `{}` does not match gemeente `{}`",
                s.name.get_ref(),
                s.gemeente.get_ref()
            ),
        )
        .expected = Some(format!("`{name}`"));
    }
}

/// Loads the rail files: stations, physical links, intercity links, measured journeys and the
/// fitted travel model with its extra links.
fn load_rail(ck: &mut Checker, sources: &Sources) -> (RailNetwork, Option<RailModel>) {
    let mut rail = RailNetwork::default();
    let index = load_stations(ck, sources, &mut rail);
    let pairs = |ck: &mut Checker, key: &str, value_col: &str, what: &str| {
        read_station_pairs(ck, sources, &index, key, value_col, what)
    };
    rail.links = pairs(
        ck,
        "profiles/rail/links.csv",
        "tariff_km",
        "a positive number of kilometres",
    );
    rail.ic_links = pairs(
        ck,
        "profiles/rail/ic_links.csv",
        "tariff_km",
        "a positive number of kilometres",
    );
    rail.measured = pairs(
        ck,
        "profiles/rail/measured.csv",
        "minutes",
        "a positive number of minutes",
    );
    if let Some(f) = sources.get("profiles/rail/measured.csv") {
        check_measured_once(ck, f, &rail);
    }
    let Some(f) = sources.get("profiles/rail/model.toml") else {
        missing_file(ck.diags, "profiles/rail/model.toml");
        return (rail, None);
    };
    let Some(m) = parse_toml::<raw::RailModelFile>(f, ck.diags) else {
        return (rail, None);
    };
    let model = rail_model(ck, f, &m, &mut rail, &index);
    (rail, Some(model))
}

/// `profiles/rail/stations.csv` into `rail.stations`; returns the index of each code.
fn load_stations(
    ck: &mut Checker,
    sources: &Sources,
    rail: &mut RailNetwork,
) -> BTreeMap<String, usize> {
    let mut index: BTreeMap<String, usize> = BTreeMap::new();
    let Some(f) = sources.get("profiles/rail/stations.csv") else {
        missing_file(ck.diags, "profiles/rail/stations.csv");
        return index;
    };
    let columns = [
        "code",
        "ns_code",
        "name",
        "type_2017",
        "service",
        "service_source",
        "lat",
        "lon",
        "country",
        "gemeente",
    ];
    for (line, rec) in csv_rows(ck, f, &columns) {
        let code = rec[0].clone();
        let lat = csv_num(ck, f, line, &rec[6], "lat");
        let lon = csv_num(ck, f, line, &rec[7], "lon");
        if index.contains_key(&code) {
            csv_err(
                ck,
                f,
                line,
                "duplicate-id",
                format!("duplicate station `{code}`"),
                None,
            );
            continue;
        }
        if let (Some(lat), Some(lon)) = (lat, lon) {
            index.insert(code.clone(), rail.stations.len());
            rail.stations.push(Station {
                code,
                ns_code: (!rec[1].is_empty()).then(|| rec[1].clone()),
                name: rec[2].clone(),
                kind: rec[3].clone(),
                service: rec[4].clone(),
                service_source: rec[5].clone(),
                lat,
                lon,
                dutch: rec[8] == "NL",
            });
        }
    }
    index
}

/// The station of `code`, or an `unknown-station` problem at `line`.
fn known_station(
    ck: &mut Checker,
    index: &BTreeMap<String, usize>,
    f: &SourceFile,
    line: usize,
    code: &str,
) -> Option<usize> {
    let s = index.get(code).copied();
    if s.is_none() {
        let mut d = Diagnostic::file(
            "unknown-station",
            &f.display,
            format!("unknown station `{code}`"),
        );
        d.line = line;
        d.column = 1;
        d = d
            .expected("a station code from profiles/rail/stations.csv")
            .suggest(code, index.keys().map(String::as_str));
        ck.diags.push(d);
    }
    s
}

/// A CSV of `from,to,<value_col>` between two different known stations, the value positive.
fn read_station_pairs(
    ck: &mut Checker,
    sources: &Sources,
    index: &BTreeMap<String, usize>,
    key: &str,
    value_col: &str,
    what: &str,
) -> Vec<(usize, usize, f64)> {
    let mut out = Vec::new();
    let Some(f) = sources.get(key) else {
        missing_file(ck.diags, key);
        return out;
    };
    for (line, rec) in csv_rows(ck, f, &["from", "to", value_col]) {
        let v = csv_num(ck, f, line, &rec[2], value_col);
        let a = known_station(ck, index, f, line, &rec[0]);
        let b = known_station(ck, index, f, line, &rec[1]);
        let (Some(a), Some(b), Some(v)) = (a, b, v) else {
            continue;
        };
        if v <= 0.0 {
            csv_err(
                ck,
                f,
                line,
                "out-of-range",
                format!("{value_col} `{v}` is not positive"),
                Some(what),
            );
        } else if a == b {
            csv_err(
                ck,
                f,
                line,
                "invalid-value",
                format!("`{}` is both ends", rec[0]),
                Some("two different stations"),
            );
        } else {
            out.push((a, b, v));
        }
    }
    out
}

/// One measurement per directed pair of stations.
fn check_measured_once(ck: &mut Checker, f: &SourceFile, rail: &RailNetwork) {
    let mut seen = BTreeSet::new();
    for &(a, b, _) in &rail.measured {
        if !seen.insert((a, b)) {
            ck.diags.push(
                Diagnostic::file(
                    "duplicate-id",
                    &f.display,
                    format!(
                        "the journey `{}` to `{}` is measured twice",
                        rail.stations[a].code, rail.stations[b].code
                    ),
                )
                .expected("one measurement per directed pair"),
            );
        }
    }
}

/// `profiles/rail/model.toml`: the fitted parameters within their ranges, the extra links (added
/// to `rail`) and the fit's statistics.
fn rail_model(
    ck: &mut Checker,
    f: &SourceFile,
    m: &raw::RailModelFile,
    rail: &mut RailNetwork,
    index: &BTreeMap<String, usize>,
) -> RailModel {
    let r = &m.model;
    ck.status(
        f,
        &r.status,
        "fitted",
        "the rail model must say that it is fitted",
    );
    for (name, v, lo, hi) in [
        ("local_speed_kmh", &r.local_speed_kmh, 1.0, 400.0),
        ("intercity_speed_kmh", &r.intercity_speed_kmh, 1.0, 400.0),
        ("local_stop_minutes", &r.local_stop_minutes, 0.0, 60.0),
        (
            "intercity_stop_minutes",
            &r.intercity_stop_minutes,
            0.0,
            60.0,
        ),
        ("transfer_minutes", &r.transfer_minutes, 0.0, 120.0),
    ] {
        ck.range(f, v, lo, hi, name);
    }
    let extra_minutes = extra_links(ck, f, m, rail, index);
    RailModel {
        params: RailParams {
            local_speed_kmh: *r.local_speed_kmh.get_ref(),
            local_stop_minutes: *r.local_stop_minutes.get_ref(),
            intercity_speed_kmh: *r.intercity_speed_kmh.get_ref(),
            intercity_stop_minutes: *r.intercity_stop_minutes.get_ref(),
            transfer_minutes: *r.transfer_minutes.get_ref(),
            extra_minutes,
        },
        source: r.source.clone(),
        measured_source: r.measured_source.clone(),
        fit: fit_stats(ck, f, &m.fit),
    }
}

/// The model's extra links between known stations, added to `rail`; returns their minutes.
fn extra_links(
    ck: &mut Checker,
    f: &SourceFile,
    m: &raw::RailModelFile,
    rail: &mut RailNetwork,
    index: &BTreeMap<String, usize>,
) -> Vec<f64> {
    let mut extra_minutes = Vec::new();
    for x in &m.extra_link {
        let ends: Vec<Option<usize>> = [&x.from, &x.to]
            .into_iter()
            .map(|c| {
                let s = index.get(c.get_ref()).copied();
                if s.is_none() {
                    ck.err(
                        "unknown-station",
                        f,
                        c.span(),
                        format!("unknown station `{}`", c.get_ref()),
                    )
                    .expected = Some("a station code from profiles/rail/stations.csv".into());
                }
                s
            })
            .collect();
        ck.range(f, &x.minutes, 0.1, 600.0, "minutes");
        if let [Some(a), Some(b)] = ends[..] {
            rail.extra_links.push(ExtraLink {
                a,
                b,
                line: x.line.clone(),
                // An extra link without a physical route counts its straight-line distance.
                km: rail.physical_km(a, b).unwrap_or_else(|| {
                    let (s, t) = (&rail.stations[a], &rail.stations[b]);
                    crate::model::haversine_km((s.lat, s.lon), (t.lat, t.lon))
                }),
                source: x.source.clone(),
            });
            extra_minutes.push(*x.minutes.get_ref());
        }
    }
    extra_minutes
}

/// The statistics of the rail model's fit; counts must not be negative.
fn fit_stats(ck: &mut Checker, f: &SourceFile, fit: &raw::FitRaw) -> FitStats {
    let mut count = |v: &S<i64>, what: &str| -> usize {
        let x = *v.get_ref();
        if x < 0 {
            ck.err(
                "out-of-range",
                f,
                v.span(),
                format!("{what} `{x}` is negative"),
            );
        }
        x.max(0) as usize
    };
    FitStats {
        pairs: count(&fit.pairs, "pairs"),
        stations: count(&fit.stations, "stations"),
        mae_minutes: fit.mae_minutes,
        bias_minutes: fit.bias_minutes,
        mae_percent: fit.mae_percent,
        bias_percent: fit.bias_percent,
    }
}

/// Loads `baseline/published.toml` and `baseline/estimate.toml`.
fn load_baseline_data(
    ck: &mut Checker,
    sources: &Sources,
    settings: Option<&Settings>,
    provinces: &BTreeSet<String>,
) -> (
    crate::model::PublishedFigures,
    Option<crate::model::EstimateModel>,
) {
    use crate::model::PublishedFigures;
    let sectors: BTreeSet<String> = settings
        .map(|s| s.sectors.iter().cloned().collect())
        .unwrap_or_default();
    // Without valid settings the sectors are unknown; their checks would only repeat that problem.
    let check_sectors = settings.is_some();
    let mut published = PublishedFigures::default();
    if let Some(f) = sources.get("baseline/published.toml") {
        if let Some(p) = parse_toml::<raw::PublishedFile>(f, ck.diags) {
            let ctx = PublishedCtx {
                file: f,
                provinces,
                sectors: check_sectors.then_some(&sectors),
            };
            published = load_published(ck, &ctx, &p);
        }
    } else {
        missing_file(ck.diags, "baseline/published.toml");
    }
    let estimate = match sources.get("baseline/estimate.toml") {
        Some(f) => parse_toml::<raw::EstimateFile>(f, ck.diags)
            .map(|e| estimate_model(ck, f, &e, check_sectors.then_some(&sectors))),
        None => {
            missing_file(ck.diags, "baseline/estimate.toml");
            None
        }
    };
    (published, estimate)
}

/// `baseline/estimate.toml`: the estimate model's keys, each a share with its source and
/// evidence, and the sector key (a weight for every sector but ministeries, when the sectors are
/// known).
fn estimate_model(
    ck: &mut Checker,
    f: &SourceFile,
    e: &raw::EstimateFile,
    sectors: Option<&BTreeSet<String>>,
) -> crate::model::EstimateModel {
    use crate::model::{EstimateModel, KeyValue};
    let kv = |ck: &mut Checker, k: &raw::KeyValueRaw, what: &str| {
        check_evidence(ck, f, &k.evidence);
        ck.range(f, &k.value, 0.0, 1.0, what);
        KeyValue {
            value: *k.value.get_ref(),
            source: k.source.clone(),
            evidence: k.evidence.get_ref().clone(),
        }
    };
    let randstad_share = kv(ck, &e.randstad_share, "randstad_share");
    let prior_weight = kv(ck, &e.prior_weight, "prior_weight");
    let ministries_share = kv(ck, &e.ministries_share, "ministries_share");
    check_evidence(ck, f, &e.sector_key.evidence);
    let mut key = BTreeMap::new();
    for (sector, v) in &e.sector_key.fte {
        if sectors.is_none_or(|known| ck.known("unknown-sector", "sector", f, sector, known))
            && ck.range(f, v, 0.0, 1e7, "sector key")
        {
            key.insert(sector.get_ref().clone(), *v.get_ref());
        }
    }
    let missing: Vec<&String> = sectors
        .into_iter()
        .flatten()
        .filter(|s| s.as_str() != "ministeries" && !key.contains_key(*s))
        .collect();
    if !missing.is_empty() {
        ck.diags.push(
            Diagnostic::file(
                "missing-key",
                &f.display,
                format!(
                    "the sector key has no weight for {}",
                    missing
                        .iter()
                        .map(|s| format!("`{s}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            )
            .expected("a weight for every sector except ministeries"),
        );
    }
    EstimateModel {
        method: e.method.trim().to_string(),
        prior_weight,
        randstad_share,
        ministries_share,
        sector_key: key,
        sector_key_source: e.sector_key.source.clone(),
        sector_key_evidence: e.sector_key.evidence.get_ref().clone(),
    }
}

/// What the published figures may refer to.
struct PublishedCtx<'a> {
    file: &'a SourceFile,
    provinces: &'a BTreeSet<String>,
    /// The sectors, when the settings could be read (else sector references are not checked).
    sectors: Option<&'a BTreeSet<String>>,
}

impl PublishedCtx<'_> {
    fn year(&self, ck: &mut Checker, y: &S<i64>) -> i32 {
        let v = *y.get_ref();
        if !(1990..=2100).contains(&v) {
            ck.err(
                "out-of-range",
                self.file,
                y.span(),
                format!("year `{v}` is out of range"),
            )
            .expected = Some("a year from 1990 to 2100".into());
        }
        v as i32
    }

    fn province(&self, ck: &mut Checker, p: &S<String>) -> String {
        ck.known("unknown-province", "province", self.file, p, self.provinces);
        p.get_ref().clone()
    }

    fn sector(&self, ck: &mut Checker, s: &S<String>) -> String {
        if let Some(known) = self.sectors {
            ck.known("unknown-sector", "sector", self.file, s, known);
        }
        s.get_ref().clone()
    }

    /// The interval a figure's wording allows: `range` when given (it must hold the value), else
    /// the value itself, which an approximate figure may not leave open.
    fn range(
        &self,
        ck: &mut Checker,
        value: &S<f64>,
        range: &Option<S<Vec<f64>>>,
        needed: bool,
    ) -> (f64, f64) {
        let v = *value.get_ref();
        let Some(r) = range else {
            if needed {
                ck.err(
                    "missing-key",
                    self.file,
                    value.span(),
                    "an approximate figure or a percentage needs a `range`",
                )
                .expected = Some("`range = [low, high]`: the values its wording allows".into());
            }
            return (v, v);
        };
        match r.get_ref()[..] {
            [lo, hi] if lo.is_finite() && hi.is_finite() && lo <= v && v <= hi => (lo, hi),
            _ => {
                ck.err(
                    "invalid-value",
                    self.file,
                    r.span(),
                    format!("`range` does not hold the value `{v}`"),
                )
                .expected = Some("`[low, high]` with low <= value <= high".into());
                (v, v)
            }
        }
    }
}

/// Loads the published figures of `baseline/published.toml`, each with the interval its wording
/// allows and its position in the file.
fn load_published(
    ck: &mut Checker,
    c: &PublishedCtx,
    p: &raw::PublishedFile,
) -> crate::model::PublishedFigures {
    let mut out = Vec::new();
    published_totals(ck, c, p, &mut out);
    let years: BTreeSet<i32> = out.iter().map(|f| f.year).collect();
    published_shares(ck, c, p, &mut out);
    published_sector_totals(ck, c, p, &mut out);
    published_provinces(ck, c, p, &mut out);
    published_changes(ck, c, p, &mut out);
    published_orders(ck, c, p, &mut out);
    check_published_years(ck, c.file, &out, &years);
    out.sort_by_key(|f| f.position);
    crate::model::PublishedFigures { figures: out }
}

/// A published figure with the fields every kind has; the rest default.
fn published(
    year: i32,
    subject: Subject,
    value: f64,
    range: (f64, f64),
    source: &str,
) -> Published {
    Published {
        year,
        subject,
        value,
        range,
        approximate: false,
        note: None,
        source: source.to_string(),
        evidence: String::new(),
        position: 0,
    }
}

/// `[[total]]`: the national total per year.
fn published_totals(
    ck: &mut Checker,
    c: &PublishedCtx,
    p: &raw::PublishedFile,
    out: &mut Vec<Published>,
) {
    let f = c.file;
    for t in &p.total {
        check_evidence(ck, f, &t.evidence);
        ck.range(f, &t.fte, 0.0, 1e7, "fte");
        let level = Subject::Level {
            province: None,
            sector: None,
        };
        let range = c.range(ck, &t.fte, &t.range, false);
        out.push(Published {
            evidence: t.evidence.get_ref().clone(),
            position: t.year.span().start,
            ..published(
                c.year(ck, &t.year),
                level,
                *t.fte.get_ref(),
                range,
                &t.source,
            )
        });
    }
}

/// `[[randstad_growth]]` (the Randstad's share of growth) and `[[share]]` (a group of
/// provinces' share of the total).
fn published_shares(
    ck: &mut Checker,
    c: &PublishedCtx,
    p: &raw::PublishedFile,
    out: &mut Vec<Published>,
) {
    let f = c.file;
    for t in &p.randstad_growth {
        check_evidence(ck, f, &t.evidence);
        ck.range(f, &t.share, 0.0, 1.0, "share");
        let range = c.range(ck, &t.share, &t.range, true);
        out.push(Published {
            note: t.note.clone(),
            evidence: t.evidence.get_ref().clone(),
            position: t.year.span().start,
            ..published(
                c.year(ck, &t.year),
                Subject::RandstadShareOfGrowth,
                *t.share.get_ref(),
                range,
                &t.source,
            )
        });
    }
    for t in &p.share {
        check_evidence(ck, f, &t.evidence);
        ck.range(f, &t.share, 0.0, 1.0, "share");
        let range = c.range(ck, &t.share, &t.range, true);
        let provinces = t.provinces.iter().map(|x| c.province(ck, x)).collect();
        out.push(Published {
            note: t.note.clone(),
            evidence: t.evidence.get_ref().clone(),
            position: t.year.span().start,
            ..published(
                c.year(ck, &t.year),
                Subject::Share { provinces },
                *t.share.get_ref(),
                range,
                &t.source,
            )
        });
    }
}

/// `[[sector_total]]`: a sector's national total.
fn published_sector_totals(
    ck: &mut Checker,
    c: &PublishedCtx,
    p: &raw::PublishedFile,
    out: &mut Vec<Published>,
) {
    let f = c.file;
    for t in &p.sector_total {
        check_evidence(ck, f, &t.evidence);
        ck.range(f, &t.fte, 0.0, 1e7, "fte");
        let approximate = t.approximate.unwrap_or(false);
        let range = c.range(ck, &t.fte, &t.range, approximate);
        let subject = Subject::Level {
            province: None,
            sector: Some(c.sector(ck, &t.sector)),
        };
        out.push(Published {
            approximate,
            note: t.note.clone(),
            evidence: t.evidence.get_ref().clone(),
            position: t.year.span().start,
            ..published(
                c.year(ck, &t.year),
                subject,
                *t.fte.get_ref(),
                range,
                &t.source,
            )
        });
    }
}

/// `[[province]]`: a province's total and, where published, its sectors.
fn published_provinces(
    ck: &mut Checker,
    c: &PublishedCtx,
    p: &raw::PublishedFile,
    out: &mut Vec<Published>,
) {
    let f = c.file;
    for t in &p.province {
        check_evidence(ck, f, &t.evidence);
        ck.range(f, &t.fte, 0.0, 1e7, "fte");
        let approximate = t.approximate.unwrap_or(false);
        let range = c.range(ck, &t.fte, &t.range, approximate);
        let year = c.year(ck, &t.year);
        let province = c.province(ck, &t.province);
        let whole = Published {
            approximate,
            note: t.note.clone(),
            evidence: t.evidence.get_ref().clone(),
            position: t.year.span().start,
            ..published(
                year,
                Subject::Level {
                    province: Some(province.clone()),
                    sector: None,
                },
                *t.fte.get_ref(),
                range,
                &t.source,
            )
        };
        for (sector, v) in t.sectors.iter().flatten() {
            ck.range(f, v, 0.0, 1e7, "fte");
            out.push(Published {
                subject: Subject::Level {
                    province: Some(province.clone()),
                    sector: Some(c.sector(ck, sector)),
                },
                value: *v.get_ref(),
                range: (*v.get_ref(), *v.get_ref()),
                approximate: false,
                note: None,
                position: sector.span().start,
                ..whole.clone()
            });
        }
        out.push(whole);
    }
}

/// `[[change]]`: a change on the year before, as a percentage, FTE or only a direction.
fn published_changes(
    ck: &mut Checker,
    c: &PublishedCtx,
    p: &raw::PublishedFile,
    out: &mut Vec<Published>,
) {
    let f = c.file;
    for t in &p.change {
        check_evidence(ck, f, &t.evidence);
        let year = c.year(ck, &t.year);
        let province = t.province.as_ref().map(|x| c.province(ck, x));
        let sector = t.sector.as_ref().map(|x| c.sector(ck, x));
        let given = [t.percent.is_some(), t.fte.is_some(), t.direction.is_some()];
        if given.iter().filter(|g| **g).count() != 1 {
            ck.err(
                "invalid-value",
                f,
                t.year.span(),
                "a change needs exactly one of `percent`, `fte` and `direction`",
            );
            continue;
        }
        let (measure, value, range) = change_measure(ck, c, t);
        out.push(Published {
            note: t.note.clone(),
            evidence: t.evidence.get_ref().clone(),
            position: t.year.span().start,
            ..published(
                year,
                Subject::Change {
                    province,
                    sector,
                    measure,
                },
                value,
                range,
                &t.source,
            )
        });
    }
}

/// What a change measures, its value and the interval its wording allows.
fn change_measure(
    ck: &mut Checker,
    c: &PublishedCtx,
    t: &raw::PublishedChangeRaw,
) -> (ChangeMeasure, f64, (f64, f64)) {
    let f = c.file;
    if let Some(pc) = &t.percent {
        ck.range(f, pc, -100.0, 1000.0, "percent");
        (
            ChangeMeasure::Percent,
            *pc.get_ref(),
            c.range(ck, pc, &t.range, true),
        )
    } else if let Some(x) = &t.fte {
        ck.range(f, x, -1e7, 1e7, "fte");
        (
            ChangeMeasure::Fte,
            *x.get_ref(),
            c.range(ck, x, &t.range, false),
        )
    } else {
        let d = t.direction.as_ref().expect("one of the three");
        let up = ck.choice(f, d, "direction", &[("up", true), ("down", false)]);
        (
            ChangeMeasure::Direction(up.unwrap_or(true)),
            0.0,
            (0.0, 0.0),
        )
    }
}

/// `[[order]]`: a province ranks below the provinces `higher` (or above those `lower`).
fn published_orders(
    ck: &mut Checker,
    c: &PublishedCtx,
    p: &raw::PublishedFile,
    out: &mut Vec<Published>,
) {
    let f = c.file;
    for t in &p.order {
        check_evidence(ck, f, &t.evidence);
        let year = c.year(ck, &t.year);
        let province = c.province(ck, &t.province);
        let higher: Vec<String> = match (&t.higher, &t.lower) {
            (Some(h), None) => h.iter().map(|x| c.province(ck, x)).collect(),
            (None, Some(l)) => {
                let lower: BTreeSet<String> = l.iter().map(|x| c.province(ck, x)).collect();
                c.provinces
                    .iter()
                    .filter(|q| **q != province && !lower.contains(*q))
                    .cloned()
                    .collect()
            }
            _ => {
                ck.err(
                    "invalid-value",
                    f,
                    t.province.span(),
                    "an order needs exactly one of `higher` and `lower`",
                );
                continue;
            }
        };
        out.push(Published {
            note: t.note.clone(),
            evidence: t.evidence.get_ref().clone(),
            position: t.year.span().start,
            ..published(
                year,
                Subject::Order { province, higher },
                0.0,
                (0.0, 0.0),
                &t.source,
            )
        });
    }
}

/// Every figure must fall in a year with a national total (the years the baseline covers); a
/// change also needs the year before.
fn check_published_years(
    ck: &mut Checker,
    f: &SourceFile,
    out: &[Published],
    years: &BTreeSet<i32>,
) {
    for fig in out {
        let needs: Vec<i32> = match fig.subject {
            Subject::Change { .. } | Subject::RandstadShareOfGrowth => vec![fig.year - 1, fig.year],
            _ => vec![fig.year],
        };
        if let Some(y) = needs.iter().find(|y| !years.contains(y)) {
            let (line, column, _) = crate::diag::locate(&f.text, fig.position);
            let mut d = Diagnostic::file(
                "inconsistent-reference",
                &f.display,
                format!("a figure of {} needs a national total for {y}", fig.year),
            )
            .expected("a `[[total]]` for every year a figure refers to");
            d.line = line;
            d.column = column;
            ck.diags.push(d);
        }
    }
}
