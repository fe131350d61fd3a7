//! Phase two for case files: checks against the world (gemeente, criterion, principle and theme
//! references; FTE; weights) and the build of a validated [`Case`].

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use sha2::{Digest, Sha256};

use super::checker::Checker;
use super::raw::{self, S};
use super::{SourceFile, hex, parse_toml, read_text};
use crate::diag::{Diagnostic, Diagnostics};
use crate::limits::{FTE_MAX, MINUTES_MAX, count, number};
use crate::model::{Case, CaseKind, Requirements, World};

/// Reads, parses and validates a case file against the world.
pub fn load_case(path: &Path, world: &World, diags: &mut Diagnostics) -> Option<Case> {
    let text = read_text(path, diags)?;
    let file = SourceFile {
        key: path.display().to_string(),
        display: path.display().to_string(),
        text,
    };
    check_case(&file, world, diags)
}

/// Validates a case given as text (the file name is for messages only).
pub fn check_case(file: &SourceFile, world: &World, diags: &mut Diagnostics) -> Option<Case> {
    // A file without its [case] table says so, rather than listing every key as unknown.
    if let Ok(table) = file.text.parse::<toml::Table>()
        && !table.contains_key("case")
    {
        let loose: Vec<String> = table
            .iter()
            .filter(|(_, v)| !v.is_table())
            .map(|(k, _)| format!("`{k}`"))
            .collect();
        let mut d = Diagnostic::file("missing-table", &file.display, "the file has no `[case]` table")
            .expected("a `[case]` table with `id`, `title`, `kind`, `fte`, `sector` and `ministry` (see the examples in cases/)");
        if !loose.is_empty() {
            d = d.help(format!(
                "put a `[case]` line above {}: they belong in that table",
                loose.join(", ")
            ));
        }
        diags.push(d);
        return None;
    }
    let raw: raw::CaseFile = parse_toml(file, diags)?;
    check_raw_case(&raw, file, world, diags)
}

/// Validates a parsed case whose spans point into `file` (a case file, or a pipeline file that
/// holds the case inline). The case's digest is that of `file`.
pub(crate) fn check_raw_case(
    raw: &raw::CaseFile,
    file: &SourceFile,
    world: &World,
    diags: &mut Diagnostics,
) -> Option<Case> {
    let before = diags.0.len();
    let mut ck = Checker { diags };
    let f = file;
    let c = &raw.case;
    let (kind, kind_ok) = check_head(&mut ck, f, c, world);
    let current = current_locations(&mut ck, f, c, world, kind, kind_ok);
    let current_fte = current_fte(&mut ck, f, c, world, &current);
    let preferred = c
        .preferred_location
        .as_ref()
        .and_then(|p| known_gemeente(&mut ck, f, p, world).then(|| p.get_ref().clone()));
    let case_themes = case_themes(&mut ck, f, c, world);
    let candidates = c.candidates.as_ref().map(|cl| {
        if cl.get_ref().is_empty() {
            ck.err("invalid-value", f, cl.span(), "`candidates` is empty")
                .expected = Some("leave `candidates` out to consider every gemeente".into());
        }
        locations(&mut ck, f, cl.get_ref(), world)
    });
    let requirements = raw
        .requirements
        .as_ref()
        .map(|r| requirements(&mut ck, f, r, world))
        .unwrap_or_default();
    let weights = raw
        .weights
        .as_ref()
        .map(|w| case_weights(&mut ck, f, w, world))
        .unwrap_or_default();
    let (motivation, disabled) = principle_entries(&mut ck, f, raw, world);
    if let (Some(p), Some(list)) = (&c.preferred_location, &candidates)
        && !list.contains(p.get_ref())
        && list.len() == c.candidates.as_ref().map_or(0, |cl| cl.get_ref().len())
    {
        ck.err(
            "inconsistent-reference",
            f,
            p.span(),
            format!(
                "the preferred location `{}` is not among `candidates`",
                p.get_ref()
            ),
        )
        .expected = Some("a preferred location that is one of the case's `candidates`".into());
    }
    if let Some(p) = &c.preferred_location
        && kind == CaseKind::Shrink
        && !current.is_empty()
        && !current.contains(p.get_ref())
    {
        ck.err(
            "inconsistent-reference",
            f,
            p.span(),
            format!(
                "the preferred location `{}` of a shrink case is not among `current_locations`",
                p.get_ref()
            ),
        )
        .expected = Some(
            "for a shrink case, the current location where the ministry prefers to shrink".into(),
        );
    }
    if diags.0.len() > before {
        return None;
    }
    let case = Case {
        id: c.id.get_ref().clone(),
        title: c.title.clone(),
        description: c.description.clone(),
        ministry: c.ministry.get_ref().clone(),
        sector: c.sector.get_ref().clone(),
        kind,
        fte: *c.fte.get_ref(),
        current_locations: current,
        current_fte,
        preferred_location: preferred,
        themes: case_themes,
        policy_core: c.policy_core.unwrap_or(false),
        candidates,
        requirements,
        weights,
        motivation,
        disabled_principles: disabled,
        digest: hex(&Sha256::digest(file.text.as_bytes())),
    };
    motivations_apply(&case, raw, file, world, diags);
    (diags.0.len() == before).then_some(case)
}

/// Every motivation must be for a principle that applies to the case (its `when` holds): a
/// motivation for one that does not is a misunderstanding, never silently ignored.
fn motivations_apply(
    case: &Case,
    raw: &raw::CaseFile,
    f: &SourceFile,
    world: &World,
    diags: &mut Diagnostics,
) {
    let facts = case.facts(&world.settings);
    let mut ck = Checker { diags };
    for k in raw.motivation.iter().flat_map(|m| m.keys()) {
        let Some(p) = world.principle(k.get_ref()) else {
            continue;
        };
        if let Some(when) = p.when.as_ref().filter(|w| !w.eval(&facts)) {
            ck.err(
                "inconsistent-reference",
                f,
                k.span(),
                format!(
                    "a motivation for `{}`, which does not apply to this case",
                    p.id
                ),
            )
            .expected = Some(format!(
                "motivations only for principles that apply; `{}` applies when {}",
                p.id,
                when.describe()
            ));
        }
    }
}

/// The case's id, sector, ministry, kind and FTE; returns the kind and whether it was known.
fn check_head(
    ck: &mut Checker,
    f: &SourceFile,
    c: &raw::CaseRaw,
    world: &World,
) -> (CaseKind, bool) {
    let sectors: BTreeSet<String> = world.settings.sectors.iter().cloned().collect();
    let ministries: BTreeSet<String> = world.settings.ministries.iter().cloned().collect();
    let kinds: BTreeSet<String> = CaseKind::ALL
        .iter()
        .map(|k| k.as_str().to_string())
        .collect();
    ck.kebab_id(f, &c.id, "case", "rvo-nieuw-assen");
    ck.known("unknown-sector", "sector", f, &c.sector, &sectors);
    ck.known("unknown-ministry", "ministry", f, &c.ministry, &ministries);
    let kind_ok = ck.known("unknown-kind", "case kind", f, &c.kind, &kinds);
    let kind = CaseKind::ALL
        .into_iter()
        .find(|k| k.as_str() == c.kind.get_ref())
        .unwrap_or(CaseKind::New);
    let fte = *c.fte.get_ref();
    if let Some(problem) = fte_problem(fte, false) {
        ck.err("invalid-fte", f, c.fte.span(), problem).expected = Some(fte_expected(false));
    }
    (kind, kind_ok)
}

/// A list of locations: each once, each a known gemeente (unknown ones are left out).
fn locations(ck: &mut Checker, f: &SourceFile, items: &[S<String>], world: &World) -> Vec<String> {
    ck.unique(f, "location", items.iter());
    items
        .iter()
        .filter(|g| known_gemeente(ck, f, g, world))
        .map(|g| g.get_ref().clone())
        .collect()
}

/// `current_locations`, required (and not empty) for a shrinking or relocating service.
fn current_locations(
    ck: &mut Checker,
    f: &SourceFile,
    c: &raw::CaseRaw,
    world: &World,
    kind: CaseKind,
    kind_ok: bool,
) -> Vec<String> {
    let needs = matches!(kind, CaseKind::Shrink | CaseKind::Relocation);
    match &c.current_locations {
        Some(cl) => {
            let v = locations(ck, f, cl.get_ref(), world);
            if cl.get_ref().is_empty() && needs {
                ck.err("missing-key", f, cl.span(), "`current_locations` is empty")
                    .expected = Some(format!(
                    "the current locations of a `{}` case",
                    kind.as_str()
                ));
            }
            v
        }
        None => {
            if kind_ok && needs {
                ck.err(
                    "missing-key",
                    f,
                    c.kind.span(),
                    format!("a `{}` case needs `current_locations`", kind.as_str()),
                )
                .expected = Some("`current_locations = [\"GM....\"]` in `[case]`".into());
            }
            Vec::new()
        }
    }
}

/// `current_fte`: FTE per current location, each among `current_locations`.
fn current_fte(
    ck: &mut Checker,
    f: &SourceFile,
    c: &raw::CaseRaw,
    world: &World,
    current: &[String],
) -> BTreeMap<String, f64> {
    let mut current_fte = BTreeMap::new();
    for (k, v) in c.current_fte.iter().flatten() {
        if !known_gemeente(ck, f, k, world) {
            continue;
        }
        if !current.contains(k.get_ref()) {
            ck.err(
                "inconsistent-reference",
                f,
                k.span(),
                format!("`{}` is not among `current_locations`", k.get_ref()),
            )
            .expected = Some("FTE only for locations listed in `current_locations`".into());
        }
        let x = *v.get_ref();
        if let Some(problem) = fte_problem(x, true) {
            ck.err("invalid-fte", f, v.span(), problem).expected = Some(fte_expected(true));
        }
        current_fte.insert(k.get_ref().clone(), x);
    }
    current_fte
}

/// The service's themes, each once and known.
fn case_themes(ck: &mut Checker, f: &SourceFile, c: &raw::CaseRaw, world: &World) -> Vec<String> {
    let themes: BTreeSet<String> = world.themes.iter().map(|t| t.id.clone()).collect();
    let mut out = Vec::new();
    if let Some(ts) = &c.themes {
        ck.unique(f, "theme", ts.iter());
        for t in ts {
            if ck.known("unknown-theme", "theme", f, t, &themes) {
                out.push(t.get_ref().clone());
            }
        }
    }
    out
}

/// `[requirements]`: rail minutes to named gemeenten, a station class, excluded locations.
fn requirements(
    ck: &mut Checker,
    f: &SourceFile,
    r: &raw::RequirementsRaw,
    world: &World,
) -> Requirements {
    let mut requirements = Requirements::default();
    for (k, v) in r.max_rail_minutes.iter().flatten() {
        if known_gemeente(ck, f, k, world) && ck.range(f, v, 0.0, MINUTES_MAX, "minutes") {
            requirements
                .max_rail_minutes
                .insert(k.get_ref().clone(), *v.get_ref());
        }
    }
    if let Some(s) = &r.min_station_class
        && ck.range(f, s, 0.0, 3.0, "min_station_class")
    {
        requirements.min_station_class = Some(*s.get_ref());
    }
    if let Some(x) = &r.exclude_locations {
        requirements.exclude_locations = locations(ck, f, x, world);
    }
    if let Some(x) = &r.bound_to {
        requirements.bound_to = locations(ck, f, x, world);
    }
    requirements
}

/// `[weights]`: known criteria with valid weights; together with the rules' weights at least
/// one must be positive.
fn case_weights(
    ck: &mut Checker,
    f: &SourceFile,
    w: &BTreeMap<S<String>, S<f64>>,
    world: &World,
) -> BTreeMap<String, f64> {
    let criteria: BTreeSet<String> = world.criteria.iter().map(|c| c.id.clone()).collect();
    let mut weights = BTreeMap::new();
    for (k, v) in w {
        if !ck.known("unknown-criterion", "criterion", f, k, &criteria) {
            continue;
        }
        if !ck.weight(f, v) {
            continue;
        }
        weights.insert(k.get_ref().clone(), *v.get_ref());
    }
    let total: f64 = world
        .criteria
        .iter()
        .map(|c| weights.get(&c.id).copied().unwrap_or(c.weight))
        .sum();
    if total <= 0.0 {
        ck.diags.push(
            Diagnostic::file(
                "zero-weights",
                &f.display,
                "with the case's `[weights]` every criterion weight is zero",
            )
            .expected("at least one positive weight"),
        );
    }
    weights
}

/// `[motivation]` (a text per principle departed from) and `[principles] disable`.
fn principle_entries(
    ck: &mut Checker,
    f: &SourceFile,
    raw: &raw::CaseFile,
    world: &World,
) -> (BTreeMap<String, String>, Vec<String>) {
    let principles: BTreeSet<String> = world.principles.iter().map(|p| p.id.clone()).collect();
    let mut motivation = BTreeMap::new();
    for (k, v) in raw.motivation.iter().flatten() {
        if ck.known("unknown-principle", "principle", f, k, &principles) {
            if v.trim().is_empty() {
                ck.err("invalid-value", f, k.span(), "the motivation is empty")
                    .expected = Some("a text that explains the exception".into());
            }
            motivation.insert(k.get_ref().clone(), v.clone());
        }
    }
    let mut disabled = Vec::new();
    if let Some(p) = &raw.principles {
        for d in &p.disable {
            if ck.known("unknown-principle", "principle", f, d, &principles) {
                disabled.push(d.get_ref().clone());
            }
        }
    }
    (motivation, disabled)
}

/// Checks a gemeente code in a case file. A name instead of a code gets the code suggested
/// ("`Groningen` is a name; did you mean `GM0014`?"); anything else the closest name.
fn known_gemeente(ck: &mut Checker, f: &SourceFile, given: &S<String>, world: &World) -> bool {
    let g = given.get_ref();
    if world.gemeente_index(g).is_some() {
        return true;
    }
    let named = |i: usize| {
        let m = &world.gemeenten[i];
        let province = world
            .province(&m.province)
            .map_or(m.province.as_str(), |p| p.name.as_str());
        format!("`{}` ({}, {province})", m.code, m.name)
    };
    let found = world.find_gemeenten(g);
    let d = if !found.is_empty() {
        let options: Vec<String> = found.iter().map(|&i| named(i)).collect();
        Diagnostic::at(
            "gemeente-name",
            &f.display,
            &f.text,
            given.span(),
            format!("`{g}` is a name; did you mean {}?", options.join(" or ")),
        )
        .expected(
            "a CBS gemeente code such as `GM0014`; `locatieadvies gemeente <name>` looks one up",
        )
    } else {
        let mut d = Diagnostic::at(
            "unknown-gemeente",
            &f.display,
            &f.text,
            given.span(),
            format!("unknown gemeente `{g}`"),
        )
        .expected(
            "a CBS gemeente code such as `GM0014`; `locatieadvies gemeente <name>` looks one up",
        );
        if let Some(i) = world.similar_gemeente(g) {
            d = d.help(format!("did you mean {}?", named(i)));
        }
        d
    };
    ck.diags.push(d);
    false
}

/// What is wrong with an FTE figure, if anything: not finite, not positive (below 0 with
/// `zero_allowed`) or above [`FTE_MAX`].
pub(crate) fn fte_problem(x: f64, zero_allowed: bool) -> Option<String> {
    let shown = number(x);
    if !x.is_finite() {
        Some(format!("fte `{shown}` is not a finite number"))
    } else if x < 0.0 || (x == 0.0 && !zero_allowed) {
        let what = if zero_allowed {
            "negative"
        } else {
            "not a positive number"
        };
        Some(format!("fte `{shown}` is {what}"))
    } else if x > FTE_MAX {
        Some(format!(
            "fte `{shown}` is more than all central-government jobs together"
        ))
    } else {
        None
    }
}

/// What an FTE figure must be: positive (or, with `zero_allowed`, at least 0) and at most
/// [`FTE_MAX`].
pub(crate) fn fte_expected(zero_allowed: bool) -> String {
    format!(
        "{} number of FTE, at most {} (more than all central-government jobs)",
        if zero_allowed {
            "a finite"
        } else {
            "a positive"
        },
        count(FTE_MAX as usize)
    )
}
