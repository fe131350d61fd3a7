//! Scenarios: mutations over a baseline (move, grow, shrink, new service, a cut per ministry with
//! an allocation policy, and "apply the advice of this case") and their effect per province,
//! sector and ministry, the Randstad share, the Theil index, each mutation checked against the
//! principles, and the cross-province moves that the annual report must list.
//!
//! Moves conserve FTE. A cut of a percentage becomes whole FTE (rounded half away from zero) and
//! is allocated exactly: in proportion to the FTE of the rows in play, in whole FTE by the largest
//! remainder (ties to the earlier row in ministry, unit, gemeente order), never more than a row
//! holds.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use toml::Spanned;

use crate::advice::model::Advice;
use crate::advice::robustness::RobustnessOverrides;
use crate::advice::{Engine, RunOptions};
use crate::config::{Checker, SourceFile, parse_toml, read_text};
use crate::diag::{Diagnostic, Diagnostics};
use crate::model::{Case, CaseKind, World};
use crate::spreading::baseline::{Baseline, Level, Row, aggregate, randstad_share, theil};

/// How a cut is allocated over a ministry's rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Policy {
    /// In proportion to FTE everywhere.
    Proportional,
    /// Randstad rows first (in proportion); the rest only when the Randstad has nothing left.
    RandstadFirst,
    /// Rows outside the under-served provinces first; those provinces only when nothing is left.
    ProtectUnderServed,
}

impl Policy {
    /// The policy's name as in a scenario file.
    pub fn label(self) -> &'static str {
        match self {
            Policy::Proportional => "proportional",
            Policy::RandstadFirst => "randstad-first",
            Policy::ProtectUnderServed => "protect-under-served",
        }
    }
}

/// One mutation, validated.
#[derive(Debug, Clone, PartialEq)]
pub enum Mutation {
    Move {
        unit: String,
        from: String,
        to: String,
        fte: f64,
        /// The unit's FTE in `from` as the scenario states it: required while the baseline is a
        /// model estimate (no figures exist below the province).
        current_fte: Option<f64>,
    },
    Grow {
        unit: String,
        gemeente: String,
        fte: f64,
    },
    Shrink {
        unit: String,
        gemeente: String,
        fte: f64,
        /// The unit's FTE in `gemeente` as the scenario states it (see `Move`).
        current_fte: Option<f64>,
    },
    New {
        unit: String,
        ministry: String,
        sector: String,
        gemeente: String,
        fte: f64,
    },
    Cut {
        ministry: String,
        amount: CutAmount,
        policy: Policy,
        /// The ministry's FTE as the scenario states it: required while the baseline is a model
        /// estimate (no figures exist per ministry).
        current_fte: Option<f64>,
    },
    Advice {
        case: PathBuf,
        unit: Option<String>,
    },
}

/// The size of a cut.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum CutAmount {
    Percent(f64),
    Fte(f64),
}

/// A scenario file, validated.
#[derive(Debug, Clone, PartialEq)]
pub struct Scenario {
    pub id: String,
    pub title: String,
    pub description: Option<String>,
    pub baseline_year: i32,
    pub mutations: Vec<Mutation>,
    pub file: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ScenarioFile {
    scenario: ScenarioHead,
    #[serde(default)]
    mutation: Vec<Spanned<MutationRaw>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ScenarioHead {
    id: Spanned<String>,
    title: String,
    baseline_year: Spanned<i64>,
    description: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct MutationRaw {
    #[serde(rename = "type")]
    kind: Spanned<String>,
    unit: Option<Spanned<String>>,
    from: Option<Spanned<String>>,
    to: Option<Spanned<String>>,
    gemeente: Option<Spanned<String>>,
    ministry: Option<Spanned<String>>,
    sector: Option<Spanned<String>>,
    fte: Option<Spanned<f64>>,
    percent: Option<Spanned<f64>>,
    policy: Option<Spanned<String>>,
    case: Option<Spanned<String>>,
    current_fte: Option<Spanned<f64>>,
}

/// Reads and validates a scenario file (references to gemeenten, ministries and sectors; the
/// fields each mutation type takes). Units are checked when the scenario is applied.
pub fn load(path: &Path, world: &World, diags: &mut Diagnostics) -> Option<Scenario> {
    let text = read_text(path, diags)?;
    let f = SourceFile {
        key: path.display().to_string(),
        display: path.display().to_string(),
        text,
    };
    check(
        f,
        Some(path.parent().unwrap_or(Path::new("."))),
        world,
        diags,
    )
}

/// Validates a scenario given as text. An `advice` mutation names a case file relative to
/// `base`; without a base (a scenario sent to the API) such a mutation is an error.
pub fn check(
    f: SourceFile,
    base: Option<&Path>,
    world: &World,
    diags: &mut Diagnostics,
) -> Option<Scenario> {
    let raw: ScenarioFile = parse_toml(&f, diags)?;
    let before = diags.0.len();
    let mut ck = Checker { diags };
    let year = *raw.scenario.baseline_year.get_ref();
    if !(1990..=2100).contains(&year) {
        ck.err(
            "out-of-range",
            &f,
            raw.scenario.baseline_year.span(),
            format!("year `{year}` is out of range"),
        )
        .expected = Some("a year such as 2024".into());
    }
    let names = Names {
        gemeenten: world.gemeenten.iter().map(|g| g.code.clone()).collect(),
        ministries: world.settings.ministries.iter().cloned().collect(),
        sectors: world.settings.sectors.iter().cloned().collect(),
    };
    let mut mutations = Vec::new();
    let kinds = ["move", "grow", "shrink", "new", "cut", "advice"];
    for m in &raw.mutation {
        let r = m.get_ref();
        let Some(kind) = ck.choice(&f, &r.kind, "mutation type", &kinds.map(|k| (k, k))) else {
            continue;
        };
        let keys_ok = check_mutation_keys(&mut ck, &f, m, kind);
        let (values_ok, policy) = check_mutation_values(&mut ck, &f, m, world, &names);
        if kind == "advice" && base.is_none() {
            ck.err("unsupported", &f, r.kind.span(), "an `advice` mutation reads a case file, which a scenario sent over the API cannot name")
                .expected = Some("move, grow, shrink, new or cut; or run the scenario with the command line".into());
            continue;
        }
        if keys_ok && values_ok {
            mutations.push(mutation(base.unwrap_or(Path::new(".")), kind, r, policy));
        }
    }
    if diags.0.len() > before {
        return None;
    }
    Some(Scenario {
        id: raw.scenario.id.get_ref().clone(),
        title: raw.scenario.title.clone(),
        description: raw.scenario.description.clone(),
        baseline_year: year as i32,
        mutations,
        file: f.display,
    })
}

/// The names a mutation may use: gemeente codes, ministries, sectors.
struct Names {
    gemeenten: BTreeSet<String>,
    ministries: BTreeSet<String>,
    sectors: BTreeSet<String>,
}

/// The keys a mutation of `kind` needs, and those it may have besides.
fn mutation_keys(kind: &str) -> (&'static [&'static str], &'static [&'static str]) {
    let needs: &[&str] = match kind {
        "move" => &["unit", "from", "to", "fte"],
        "grow" | "shrink" => &["unit", "gemeente", "fte"],
        "new" => &["unit", "ministry", "sector", "gemeente", "fte"],
        "cut" => &["ministry", "policy"],
        _ => &["case"],
    };
    let optional: &[&str] = match kind {
        "move" | "shrink" => &["current_fte"],
        "cut" => &["fte", "percent", "current_fte"],
        "advice" => &["unit"],
        _ => &[],
    };
    (needs, optional)
}

/// Which keys a mutation as written has.
fn present_keys(r: &MutationRaw) -> [(&'static str, bool); 11] {
    [
        ("unit", r.unit.is_some()),
        ("from", r.from.is_some()),
        ("to", r.to.is_some()),
        ("gemeente", r.gemeente.is_some()),
        ("ministry", r.ministry.is_some()),
        ("sector", r.sector.is_some()),
        ("fte", r.fte.is_some()),
        ("percent", r.percent.is_some()),
        ("policy", r.policy.is_some()),
        ("case", r.case.is_some()),
        ("current_fte", r.current_fte.is_some()),
    ]
}

/// The keys a mutation of `kind` needs and may have, and no others.
fn check_mutation_keys(
    ck: &mut Checker,
    f: &SourceFile,
    m: &Spanned<MutationRaw>,
    kind: &str,
) -> bool {
    let r = m.get_ref();
    let (needs, optional) = mutation_keys(kind);
    let mut ok = true;
    for (key, is) in present_keys(r) {
        if is && !needs.contains(&key) && !optional.contains(&key) {
            ck.err(
                "unknown-key",
                f,
                m.span(),
                format!("a `{kind}` mutation takes no `{key}`"),
            )
            .expected = Some(
                needs
                    .iter()
                    .chain(optional)
                    .map(|k| format!("`{k}`"))
                    .collect::<Vec<_>>()
                    .join(", "),
            );
            ok = false;
        } else if !is && needs.contains(&key) {
            ck.err(
                "missing-key",
                f,
                m.span(),
                format!("a `{kind}` mutation needs `{key}`"),
            );
            ok = false;
        }
    }
    if kind == "cut" && r.fte.is_some() == r.percent.is_some() {
        ck.err(
            "missing-key",
            f,
            m.span(),
            "a `cut` needs exactly one of `fte` and `percent`",
        );
        ok = false;
    }
    ok
}

/// The values of a mutation: known gemeenten, ministry and sector (the sector of that
/// ministry), a positive FTE, a percentage, a known cut policy, a unit that is not empty.
fn check_mutation_values(
    ck: &mut Checker,
    f: &SourceFile,
    m: &Spanned<MutationRaw>,
    world: &World,
    names: &Names,
) -> (bool, Option<Policy>) {
    let r = m.get_ref();
    let mut ok = true;
    for g in [&r.from, &r.to, &r.gemeente].into_iter().flatten() {
        ok &= ck.known("unknown-gemeente", "gemeente", f, g, &names.gemeenten);
    }
    ok &= check_ministry_sector(ck, f, r, world, names);
    if let Some(x) = &r.fte {
        let v = *x.get_ref();
        if let Some(problem) = crate::config::fte_problem(v, false) {
            ck.err("invalid-fte", f, x.span(), problem).expected =
                Some(crate::config::fte_expected(false));
            ok = false;
        }
    }
    if let Some(x) = &r.percent {
        ok &= ck.range(f, x, 0.0, 100.0, "percent");
    }
    if let Some(x) = &r.current_fte {
        let v = *x.get_ref();
        if let Some(problem) = crate::config::fte_problem(v, false) {
            ck.err("invalid-fte", f, x.span(), problem).expected =
                Some(crate::config::fte_expected(false));
            ok = false;
        } else if let Some(t) = r.fte.as_ref().filter(|t| *t.get_ref() > v) {
            ck.err(
                "invalid-fte",
                f,
                t.span(),
                format!(
                    "{} FTE to take is more than the stated current_fte {v}",
                    t.get_ref()
                ),
            )
            .expected = Some(format!("at most {v} FTE"));
            ok = false;
        }
    }
    let policy = r.policy.as_ref().and_then(|p| {
        ck.choice(
            f,
            p,
            "cut policy",
            &[
                ("proportional", Policy::Proportional),
                ("randstad-first", Policy::RandstadFirst),
                ("protect-under-served", Policy::ProtectUnderServed),
            ],
        )
    });
    if r.policy.is_some() && policy.is_none() {
        ok = false;
    }
    if r.unit
        .as_ref()
        .is_some_and(|u| u.get_ref().trim().is_empty())
    {
        ck.err("missing-key", f, m.span(), "the unit is empty");
        ok = false;
    }
    (ok, policy)
}

/// A known ministry and a known sector that belongs to it.
fn check_ministry_sector(
    ck: &mut Checker,
    f: &SourceFile,
    r: &MutationRaw,
    world: &World,
    names: &Names,
) -> bool {
    let mut ok = true;
    if let Some(x) = &r.ministry {
        ok &= ck.known("unknown-ministry", "ministry", f, x, &names.ministries);
    }
    if let Some(x) = &r.sector {
        ok &= ck.known("unknown-sector", "sector", f, x, &names.sectors);
        if let (Some(mi), Some(bound)) = (
            &r.ministry,
            world.settings.sector_ministries.get(x.get_ref()),
        ) && mi.get_ref() != bound
        {
            ck.err(
                "sector-ministry",
                f,
                x.span(),
                format!("sector `{}` belongs to ministry `{bound}`", x.get_ref()),
            );
            ok = false;
        }
    }
    ok
}

/// A checked mutation of `kind`; an advice's case path is relative to `base`, the scenario
/// file's folder.
fn mutation(base: &Path, kind: &str, r: &MutationRaw, policy: Option<Policy>) -> Mutation {
    let s =
        |x: &Option<Spanned<String>>| x.as_ref().map(|v| v.get_ref().clone()).unwrap_or_default();
    let fte = r.fte.as_ref().map_or(0.0, |x| *x.get_ref());
    let current_fte = r.current_fte.as_ref().map(|x| *x.get_ref());
    match kind {
        "move" => Mutation::Move {
            unit: s(&r.unit),
            from: s(&r.from),
            to: s(&r.to),
            fte,
            current_fte,
        },
        "grow" => Mutation::Grow {
            unit: s(&r.unit),
            gemeente: s(&r.gemeente),
            fte,
        },
        "shrink" => Mutation::Shrink {
            unit: s(&r.unit),
            gemeente: s(&r.gemeente),
            fte,
            current_fte,
        },
        "new" => Mutation::New {
            unit: s(&r.unit),
            ministry: s(&r.ministry),
            sector: s(&r.sector),
            gemeente: s(&r.gemeente),
            fte,
        },
        "cut" => Mutation::Cut {
            ministry: s(&r.ministry),
            amount: match &r.percent {
                Some(p) => CutAmount::Percent(*p.get_ref()),
                None => CutAmount::Fte(fte),
            },
            policy: policy.unwrap_or(Policy::Proportional),
            current_fte,
        },
        _ => Mutation::Advice {
            case: base.join(s(&r.case)),
            unit: r.unit.as_ref().map(|u| u.get_ref().clone()),
        },
    }
}

/// One line of a before/after table.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Line {
    pub key: String,
    pub name: String,
    pub before: f64,
    pub after: f64,
    pub delta: f64,
}

/// A principle check of one mutation.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Check {
    pub principle: String,
    /// `complies` (wholly), `partly` (a share complies; the rest needs a motivation), `explain`
    /// (departs: the choice needs a motivation) or `flag`.
    pub status: String,
    pub message: String,
    /// The share of the mutation's FTE that complies with the principle (none for a flag).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub share: Option<f64>,
    /// True when the verdict rests on estimated figures (where a cut lands in a model baseline).
    pub estimate: bool,
}

impl Check {
    /// A verdict on a share of the FTE: `complies` at 1, `explain` at 0, `partly` between.
    fn verdict(principle: &str, share: f64, message: String) -> Check {
        let status = if share >= 1.0 - 1e-12 {
            "complies"
        } else if share <= 1e-12 {
            "explain"
        } else {
            "partly"
        };
        Check {
            principle: principle.into(),
            status: status.into(),
            message,
            share: Some(share.clamp(0.0, 1.0)),
            estimate: false,
        }
    }

    /// A flag: a message without a verdict.
    fn flag(principle: &str, message: String) -> Check {
        Check {
            principle: principle.into(),
            status: "flag".into(),
            message,
            share: None,
            estimate: false,
        }
    }
}

/// What one mutation did.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Applied {
    pub index: usize,
    pub kind: String,
    pub description: String,
    /// FTE moved, added or removed.
    pub fte: f64,
    pub checks: Vec<Check>,
}

/// A cross-province move of at least the reporting threshold.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ReportableMove {
    pub unit: String,
    pub from: String,
    pub to: String,
    pub from_province: String,
    pub to_province: String,
    pub fte: f64,
}

/// The effect of a scenario.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Outcome {
    pub id: String,
    pub title: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    pub baseline_year: i32,
    /// True when the baseline is the model estimate (every figure below is then an estimate).
    pub estimate: bool,
    pub baseline_origin: crate::spreading::baseline::Origin,
    pub total_before: f64,
    pub total_after: f64,
    pub randstad_share_before: f64,
    pub randstad_share_after: f64,
    /// Theil index of FTE against population across provinces (0 = spread like the population).
    pub theil_before: f64,
    pub theil_after: f64,
    pub by_province: Vec<Line>,
    pub by_sector: Vec<Line>,
    /// Empty on a model estimate: no figures exist per ministry.
    pub by_ministry: Vec<Line>,
    pub mutations: Vec<Applied>,
    pub reportable_moves: Vec<ReportableMove>,
}

/// A scenario that cannot be applied: an unknown unit, too few FTE, a cut larger than the
/// ministry has.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{file}: mutation {index}: {message}")]
pub struct ApplyError {
    pub file: String,
    pub index: usize,
    pub message: String,
}

/// The rows of a baseline with an index by (unit, gemeente).
struct State {
    rows: Vec<Row>,
    index: BTreeMap<(String, String), usize>,
    /// unit -> (ministry, sector)
    units: BTreeMap<String, (String, String)>,
}

impl State {
    fn new(rows: &[Row]) -> State {
        let mut s = State {
            rows: Vec::with_capacity(rows.len()),
            index: BTreeMap::new(),
            units: BTreeMap::new(),
        };
        for r in rows {
            s.add(&r.unit, &r.ministry, &r.sector, &r.gemeente, r.fte);
        }
        s
    }

    fn add(&mut self, unit: &str, ministry: &str, sector: &str, gemeente: &str, fte: f64) {
        self.units
            .entry(unit.to_string())
            .or_insert_with(|| (ministry.to_string(), sector.to_string()));
        match self.index.get(&(unit.to_string(), gemeente.to_string())) {
            Some(&i) => self.rows[i].fte += fte,
            None => {
                self.index
                    .insert((unit.to_string(), gemeente.to_string()), self.rows.len());
                self.rows.push(Row {
                    ministry: ministry.into(),
                    unit: unit.into(),
                    sector: sector.into(),
                    gemeente: gemeente.into(),
                    fte,
                });
            }
        }
    }

    /// The message for a unit the baseline does not have, with the nearest unit's name.
    fn unknown(&self, unit: &str) -> String {
        let near = crate::diag::did_you_mean(unit, self.units.keys().map(String::as_str));
        format!(
            "unknown unit `{unit}`{}",
            near.map(|n| format!("; did you mean `{n}`?"))
                .unwrap_or_default()
        )
    }

    fn take(&mut self, unit: &str, gemeente: &str, fte: f64) -> Result<(), String> {
        let Some(&i) = self.index.get(&(unit.to_string(), gemeente.to_string())) else {
            return Err(if self.units.contains_key(unit) {
                format!("unit `{unit}` has no FTE in `{gemeente}`")
            } else {
                self.unknown(unit)
            });
        };
        let have = self.rows[i].fte;
        if fte > have + 1e-9 {
            return Err(format!(
                "unit `{unit}` has {} FTE in `{gemeente}`, fewer than the {} to take",
                round1(have),
                round1(fte)
            ));
        }
        self.rows[i].fte = (have - fte).max(0.0);
        Ok(())
    }
}

/// On a model estimate, the FTE a scenario states (`current_fte`): an input of the scenario,
/// not a figure of the baseline.
fn stated_note(estimate: bool, stated: Option<f64>, place: &str) -> String {
    match stated {
        Some(s) if estimate => format!(
            " (of the {} FTE the scenario states {place}: its input, not a published figure)",
            round1(s)
        ),
        _ => String::new(),
    }
}

fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

/// Splits `amount` over `weights` in whole units by the largest remainder, never above a weight
/// (the weights are also the caps); ties go to the earlier entry. When the caps leave less than a
/// whole unit, the rest goes in fractions to entries with room, in order.
pub fn allocate(amount: f64, weights: &[f64]) -> Vec<f64> {
    let total: f64 = weights.iter().sum();
    let mut out = vec![0.0; weights.len()];
    if amount <= 0.0 || total <= 0.0 {
        return out;
    }
    if amount >= total - 1e-9 {
        return weights.to_vec();
    }
    let exact: Vec<f64> = weights.iter().map(|w| amount * w / total).collect();
    for (o, (e, w)) in out.iter_mut().zip(exact.iter().zip(weights)) {
        *o = e.floor().min(w.floor());
    }
    // Whole units only (a fractional amount keeps its fraction for the last step); the small
    // margin absorbs round-off in a whole amount.
    let mut left = (amount - out.iter().sum::<f64>() + 1e-9).floor();
    let mut order: Vec<usize> = (0..weights.len()).collect();
    order.sort_by(|&a, &b| {
        (exact[b] - exact[b].floor())
            .total_cmp(&(exact[a] - exact[a].floor()))
            .then(a.cmp(&b))
    });
    for &i in &order {
        if left < 1.0 {
            break;
        }
        if out[i] + 1.0 <= weights[i] + 1e-9 {
            out[i] += 1.0;
            left -= 1.0;
        }
    }
    let mut rest = amount - out.iter().sum::<f64>();
    for (i, o) in out.iter_mut().enumerate() {
        if rest <= 1e-12 {
            break;
        }
        let room = weights[i] - *o;
        let give = room.min(rest).max(0.0);
        *o += give;
        rest -= give;
    }
    out
}

/// Applies a scenario to a baseline: each mutation in order on a working copy of the rows, then
/// the before and after per province, sector and ministry.
pub fn apply(
    world: &World,
    engine: Option<&Engine>,
    baseline: &Baseline,
    scenario: &Scenario,
) -> Result<Outcome, ApplyError> {
    let mut run = Run {
        world,
        engine,
        baseline,
        state: State::new(&baseline.rows),
        reportable: Vec::new(),
    };
    let mut applied = Vec::new();
    for (k, m) in scenario.mutations.iter().enumerate() {
        let index = k + 1;
        let step = run.mutate(m).map_err(|message| ApplyError {
            file: scenario.file.clone(),
            index,
            message,
        })?;
        applied.push(Applied {
            index,
            kind: step.kind.into(),
            description: step.description,
            fte: step.fte,
            checks: step.checks,
        });
    }
    Ok(run.outcome(scenario, applied))
}

/// A scenario being applied: the working copy of the rows and the cross-province moves so far.
struct Run<'a> {
    world: &'a World,
    engine: Option<&'a Engine>,
    baseline: &'a Baseline,
    state: State,
    reportable: Vec<ReportableMove>,
}

/// What one mutation did: its kind, a description, its FTE and the principles' checks.
struct Step {
    kind: &'static str,
    description: String,
    fte: f64,
    checks: Vec<Check>,
}

impl Run<'_> {
    /// Applies one mutation; an error is the reason it cannot be applied.
    fn mutate(&mut self, m: &Mutation) -> Result<Step, String> {
        match m {
            Mutation::Move {
                unit,
                from,
                to,
                fte,
                current_fte,
            } => self.move_fte(unit, from, to, *fte, *current_fte),
            Mutation::Grow {
                unit,
                gemeente,
                fte,
            } => self.grow(unit, gemeente, *fte),
            Mutation::Shrink {
                unit,
                gemeente,
                fte,
                current_fte,
            } => self.shrink(unit, gemeente, *fte, *current_fte),
            Mutation::New {
                unit,
                ministry,
                sector,
                gemeente,
                fte,
            } => self.new_service(unit, ministry, sector, gemeente, *fte),
            Mutation::Cut {
                ministry,
                amount,
                policy,
                current_fte,
            } => self.cut(ministry, amount, *policy, *current_fte),
            Mutation::Advice { case, unit } => self.advice(case, unit.as_deref()),
        }
    }

    /// Takes `fte` of `unit` out of `gemeente`. On delivered figures, from the unit's row there.
    /// On a model estimate no figures exist below the province, so the scenario must state the
    /// unit's FTE there (`current_fte`); the FTE then leave the unit's fitted figure of the
    /// province: from the gemeente's share first, the rest from the other gemeenten's.
    fn take(
        &mut self,
        unit: &str,
        gemeente: &str,
        fte: f64,
        stated: Option<f64>,
    ) -> Result<(), String> {
        if !self.baseline.is_estimate() {
            return self.state.take(unit, gemeente, fte);
        }
        let Some(stated) = stated else {
            return Err(format!(
                "no figures exist below the province: the baseline is a model estimate, so the FTE of `{unit}` in {} ({gemeente}) is not known; state it as `current_fte` in the scenario",
                self.name(gemeente)
            ));
        };
        if fte > stated + 1e-9 {
            return Err(format!(
                "{} FTE to take is more than the {} FTE the scenario states for `{unit}` in {}",
                round1(fte),
                round1(stated),
                self.name(gemeente)
            ));
        }
        if !self.state.units.contains_key(unit) {
            return Err(self.state.unknown(unit));
        }
        let province = self.province(gemeente);
        let mut rows: Vec<usize> = (0..self.state.rows.len())
            .filter(|&i| {
                let r = &self.state.rows[i];
                r.unit == unit && r.fte > 0.0 && self.province(&r.gemeente) == province
            })
            .collect();
        let have: f64 = rows.iter().map(|&i| self.state.rows[i].fte).sum();
        if fte > have + 1e-9 {
            return Err(format!(
                "the fitted FTE of `{unit}`'s sector in {} ({}) is less than the {} to take",
                self.world
                    .province(&province)
                    .map_or(province.as_str(), |p| p.name.as_str()),
                round1(have),
                round1(fte)
            ));
        }
        // The gemeente's own row first, then the others in proportion.
        rows.sort_by_key(|&i| self.state.rows[i].gemeente != gemeente);
        let mut left = fte;
        if let Some(&i) = rows
            .first()
            .filter(|&&i| self.state.rows[i].gemeente == gemeente)
        {
            let c = left.min(self.state.rows[i].fte);
            self.state.rows[i].fte -= c;
            left -= c;
            rows.remove(0);
        }
        if left > 0.0 {
            let weights: Vec<f64> = rows.iter().map(|&i| self.state.rows[i].fte).collect();
            for (&i, c) in rows.iter().zip(allocate(left, &weights)) {
                self.state.rows[i].fte = (self.state.rows[i].fte - c).max(0.0);
            }
        }
        Ok(())
    }

    fn province(&self, g: &str) -> String {
        self.world
            .gemeente_index(g)
            .map(|i| self.world.gemeenten[i].province.clone())
            .unwrap_or_default()
    }

    fn name(&self, g: &str) -> String {
        self.world
            .gemeente_index(g)
            .map(|i| self.world.gemeenten[i].name.clone())
            .unwrap_or_else(|| g.to_string())
    }

    fn in_randstad(&self, g: &str) -> bool {
        self.world.in_randstad(&self.province(g))
    }

    /// The flag that a mutation of this size is one BZK advises on.
    fn advice_flag(&self, fte: f64) -> Option<Check> {
        let s = &self.world.settings;
        (fte >= s.advice_fte).then(|| {
            Check::flag(
                "bzk-advies-100-fte",
                format!(
                    "{} FTE or more: BZK gives a location advice when the minister asks",
                    s.advice_fte
                ),
            )
        })
    }

    /// Growth at `g` against "growth outside the Randstad".
    fn growth_check(&self, g: &str) -> Check {
        if self.in_randstad(g) {
            Check::verdict(
                "groei-buiten-randstad",
                0.0,
                format!(
                    "growth in {} is inside the Randstad: the choice needs a motivation",
                    self.name(g)
                ),
            )
        } else {
            Check::verdict(
                "groei-buiten-randstad",
                1.0,
                format!("growth in {} is outside the Randstad", self.name(g)),
            )
        }
    }

    fn move_fte(
        &mut self,
        unit: &str,
        from: &str,
        to: &str,
        fte: f64,
        stated: Option<f64>,
    ) -> Result<Step, String> {
        self.take(unit, from, fte, stated)?;
        let (mi, se) = self.state.units[unit].clone();
        self.state.add(unit, &mi, &se, to, fte);
        let (pf, pt) = (self.province(from), self.province(to));
        let mut checks = vec![move_check(
            self.world.in_randstad(&pf),
            self.world.in_randstad(&pt),
        )];
        let reporting = self.world.settings.reporting_fte;
        if pf != pt && fte >= reporting {
            checks.push(Check::flag(
                "rapportage-50-fte",
                format!(
                    "crosses a provincial border with {reporting} FTE or more: listed in the annual report"
                ),
            ));
            self.reportable.push(ReportableMove {
                unit: unit.into(),
                from: from.into(),
                to: to.into(),
                from_province: pf,
                to_province: pt,
                fte,
            });
        }
        checks.extend(self.advice_flag(fte));
        Ok(Step {
            kind: "move",
            description: format!(
                "move {fte} FTE of `{unit}` from {} to {}{}",
                self.name(from),
                self.name(to),
                stated_note(self.baseline.is_estimate(), stated, "there")
            ),
            fte,
            checks,
        })
    }

    fn grow(&mut self, unit: &str, gemeente: &str, fte: f64) -> Result<Step, String> {
        let Some((mi, se)) = self.state.units.get(unit).cloned() else {
            return Err(self.state.unknown(unit));
        };
        self.state.add(unit, &mi, &se, gemeente, fte);
        let mut checks = vec![self.growth_check(gemeente)];
        checks.extend(self.advice_flag(fte));
        Ok(Step {
            kind: "grow",
            description: format!("grow `{unit}` by {fte} FTE in {}", self.name(gemeente)),
            fte,
            checks,
        })
    }

    fn shrink(
        &mut self,
        unit: &str,
        gemeente: &str,
        fte: f64,
        stated: Option<f64>,
    ) -> Result<Step, String> {
        self.take(unit, gemeente, fte, stated)?;
        let name = self.name(gemeente);
        let mut checks = vec![if self.in_randstad(gemeente) {
            Check::verdict(
                "krimp-in-randstad",
                1.0,
                format!("shrinkage in {name} is inside the Randstad"),
            )
        } else {
            Check::verdict(
                "krimp-in-randstad",
                0.0,
                format!(
                    "shrinkage in {name} is outside the Randstad: the choice needs a motivation"
                ),
            )
        }];
        checks.extend(self.advice_flag(fte));
        Ok(Step {
            kind: "shrink",
            description: format!(
                "shrink `{unit}` by {fte} FTE in {name}{}",
                stated_note(self.baseline.is_estimate(), stated, "there")
            ),
            fte,
            checks,
        })
    }

    fn new_service(
        &mut self,
        unit: &str,
        ministry: &str,
        sector: &str,
        gemeente: &str,
        fte: f64,
    ) -> Result<Step, String> {
        if self.state.units.contains_key(unit) {
            return Err(format!("unit `{unit}` already exists; use `grow`"));
        }
        self.state.add(unit, ministry, sector, gemeente, fte);
        let mut checks = vec![self.growth_check(gemeente)];
        checks.extend(self.advice_flag(fte));
        Ok(Step {
            kind: "new",
            description: format!(
                "new service `{unit}` ({ministry}, {sector}) with {fte} FTE in {}",
                self.name(gemeente)
            ),
            fte,
            checks,
        })
    }

    /// A cut of a ministry: the FTE to take, allocated first to the rows the policy puts first,
    /// then to the rest; checked against "shrinkage in the Randstad".
    fn cut(
        &mut self,
        ministry: &str,
        amount: &CutAmount,
        policy: Policy,
        stated: Option<f64>,
    ) -> Result<Step, String> {
        let rows: Vec<usize> = (0..self.state.rows.len())
            .filter(|&i| self.state.rows[i].ministry == ministry && self.state.rows[i].fte > 0.0)
            .collect();
        let modelled: f64 = rows.iter().map(|&i| self.state.rows[i].fte).sum();
        // On a model estimate no figure per ministry exists: the scenario states it.
        let have = if self.baseline.is_estimate() {
            stated.ok_or_else(|| format!(
                "no figures exist per ministry: the baseline is a model estimate, so the FTE of `{ministry}` is not known; state it as `current_fte` in the scenario"
            ))?
        } else {
            modelled
        };
        let x = match amount {
            CutAmount::Fte(x) => *x,
            CutAmount::Percent(p) => (have * p / 100.0).round(),
        };
        if x > have + 1e-9 {
            return Err(format!(
                "a cut of {} FTE is more than the {} FTE that `{ministry}` has",
                round1(x),
                round1(have)
            ));
        }
        if x > modelled + 1e-9 {
            return Err(format!(
                "a cut of {} FTE is more than the fitted FTE of `{ministry}`'s sectors in the provinces ({})",
                round1(x),
                round1(modelled)
            ));
        }
        let randstad_cut = self.allocate_cut(&rows, x, policy);
        let mut check = cut_check(x, randstad_cut, policy);
        // Where a cut lands follows the baseline's distribution of the ministry.
        check.estimate = self.baseline.is_estimate();
        let size = match amount {
            CutAmount::Percent(p) => format!("{p}% ({x} FTE)"),
            CutAmount::Fte(_) => format!("{x} FTE"),
        };
        Ok(Step {
            kind: "cut",
            description: format!(
                "cut {ministry} by {size}, {}{}",
                policy.label(),
                stated_note(self.baseline.is_estimate(), stated, "in all")
            ),
            fte: x,
            checks: vec![check],
        })
    }

    /// Takes `x` FTE from `rows`: first from those the policy puts first, in proportion, then
    /// from the rest. Returns the FTE cut inside the Randstad.
    fn allocate_cut(&mut self, rows: &[usize], x: f64, policy: Policy) -> f64 {
        let under_served = &self.world.settings.under_served;
        let first = |i: usize| {
            let p = self.province(&self.state.rows[i].gemeente);
            match policy {
                Policy::Proportional => true,
                Policy::RandstadFirst => self.world.in_randstad(&p),
                Policy::ProtectUnderServed => !under_served.contains(&p),
            }
        };
        let (g1, g2): (Vec<usize>, Vec<usize>) = rows.iter().partition(|&&i| first(i));
        let f1: f64 = g1.iter().map(|&i| self.state.rows[i].fte).sum();
        let x1 = x.min(f1);
        let mut randstad_cut = 0.0;
        for (group, amount) in [(&g1, x1), (&g2, x - x1)] {
            let weights: Vec<f64> = group.iter().map(|&i| self.state.rows[i].fte).collect();
            for (&i, c) in group.iter().zip(allocate(amount, &weights)) {
                self.state.rows[i].fte = (self.state.rows[i].fte - c).max(0.0);
                if self.in_randstad(&self.state.rows[i].gemeente) {
                    randstad_cut += c;
                }
            }
        }
        randstad_cut
    }

    /// "Apply the advice of this case": the case is advised (without robustness) and its
    /// outcome applied: a new or growing service at the first location, a shrink as split.
    fn advice(&mut self, case: &Path, unit: Option<&str>) -> Result<Step, String> {
        let Some(engine) = self.engine else {
            return Err("an advice mutation needs the advice engine".into());
        };
        let mut diags = Diagnostics::default();
        let Some(c) = crate::config::load_case(case, self.world, &mut diags) else {
            // The case's own problems, each in full, without their count line.
            let problems: String = diags.0.iter().map(|d| d.render()).collect();
            return Err(format!(
                "the case `{}` is invalid:\n{}",
                case.display(),
                problems.trim_end()
            ));
        };
        let run = RunOptions {
            robustness: RobustnessOverrides {
                off: true,
                ..Default::default()
            },
            ..Default::default()
        };
        let advice = engine.advise(&c, &run);
        let unit = unit.map_or_else(|| c.id.clone(), str::to_string);
        match c.kind {
            CaseKind::New | CaseKind::Growth => self.place_by_advice(&c, &advice, &unit),
            CaseKind::Shrink => self.shrink_by_advice(&c, &advice, &unit),
            CaseKind::Relocation => Err("a relocation advice cannot be applied as a mutation yet; use `move` with the advice's location".into()),
        }
    }

    fn place_by_advice(&mut self, c: &Case, advice: &Advice, unit: &str) -> Result<Step, String> {
        let Some(top) = advice.ranking.first() else {
            return Err(format!(
                "the advice for `{}` has no feasible location",
                c.id
            ));
        };
        match self.state.units.get(unit).cloned() {
            Some((mi, se)) => self.state.add(unit, &mi, &se, &top.location, c.fte),
            None => self
                .state
                .add(unit, &c.ministry, &c.sector, &top.location, c.fte),
        }
        let mut checks = vec![
            Check::verdict(
                "advice",
                1.0,
                format!(
                    "placed at the advice's first location, {} (score {:.3})",
                    top.name, top.score
                ),
            ),
            self.growth_check(&top.location),
        ];
        checks.extend(self.advice_flag(c.fte));
        Ok(Step {
            kind: "advice",
            description: format!(
                "apply the advice of case `{}`: {} FTE of `{unit}` to {}",
                c.id, c.fte, top.name
            ),
            fte: c.fte,
            checks,
        })
    }

    fn shrink_by_advice(&mut self, c: &Case, advice: &Advice, unit: &str) -> Result<Step, String> {
        let Some(split) = &advice.shrink_split else {
            return Err("the shrink advice has no split".into());
        };
        for p in &split.parts {
            let stated = c.current_fte.get(&p.location).copied();
            self.take(unit, &p.location, p.reduction_fte, stated)?;
        }
        Ok(Step {
            kind: "advice",
            description: format!(
                "apply the shrink advice of case `{}`: {} FTE of `{unit}`",
                c.id, split.total_fte
            ),
            fte: split.total_fte,
            checks: vec![Check::verdict(
                "advice",
                1.0,
                format!(
                    "split as the advice proposes over {} locations",
                    split.parts.len()
                ),
            )],
        })
    }

    /// The scenario's outcome: totals, shares and lines before and after.
    fn outcome(self, scenario: &Scenario, applied: Vec<Applied>) -> Outcome {
        let (world, baseline) = (self.world, self.baseline);
        let after = self.state.rows;
        let lines = |level| compare(world, &baseline.rows, &after, level);
        Outcome {
            id: scenario.id.clone(),
            title: scenario.title.clone(),
            description: scenario.description.clone(),
            baseline_year: baseline.year,
            estimate: baseline.is_estimate(),
            baseline_origin: baseline.origin.clone(),
            total_before: baseline.total(),
            total_after: after.iter().map(|r| r.fte).sum(),
            randstad_share_before: randstad_share(world, &baseline.rows),
            randstad_share_after: randstad_share(world, &after),
            theil_before: theil(world, &baseline.rows),
            theil_after: theil(world, &after),
            by_province: lines(Level::Province),
            by_sector: lines(Level::Sector),
            // Per ministry the model only splits in equal parts: no figures unless delivered.
            by_ministry: if baseline.is_estimate() {
                Vec::new()
            } else {
                lines(Level::Ministry)
            },
            mutations: applied,
            reportable_moves: self.reportable,
        }
    }
}

/// A move against "growth outside the Randstad", from whether each end is in the Randstad.
fn move_check(from_randstad: bool, to_randstad: bool) -> Check {
    match (from_randstad, to_randstad) {
        (true, false) => Check::verdict(
            "groei-buiten-randstad",
            1.0,
            "moves FTE out of the Randstad".into(),
        ),
        (false, true) => Check::verdict(
            "groei-buiten-randstad",
            0.0,
            "moves FTE into the Randstad: the choice needs a motivation".into(),
        ),
        _ => Check::verdict(
            "groei-buiten-randstad",
            1.0,
            "does not change the Randstad share".into(),
        ),
    }
}

/// A cut of `x` FTE of which `randstad_cut` landed in the Randstad, against "shrinkage in the
/// Randstad".
fn cut_check(x: f64, randstad_cut: f64, policy: Policy) -> Check {
    let outside = x - randstad_cut;
    let inside_share = if x > 0.0 { randstad_cut / x } else { 1.0 };
    Check::verdict(
        "krimp-in-randstad",
        inside_share,
        if outside <= 1e-9 {
            "the whole cut lands in the Randstad".into()
        } else {
            format!(
                "{:.1}% of the cut ({} FTE) lands in the Randstad and complies; {:.1}% ({} FTE) lands outside it and needs a motivation{}",
                inside_share * 100.0,
                round1(randstad_cut),
                (1.0 - inside_share) * 100.0,
                round1(outside),
                if policy == Policy::RandstadFirst {
                    ", after the Randstad had nothing left"
                } else {
                    ""
                }
            )
        },
    )
}

/// Before and after per key of `level`.
fn compare(world: &World, before: &[Row], after: &[Row], level: Level) -> Vec<Line> {
    let b = aggregate(world, before, level);
    let a = aggregate(world, after, level);
    b.iter()
        .map(|(k, v)| {
            let x = a.get(k).copied().unwrap_or(0.0);
            let name = match level {
                Level::Province => world.province(k).map_or(k.clone(), |p| p.name.clone()),
                _ => k.clone(),
            };
            Line {
                key: k.clone(),
                name,
                before: *v,
                after: x,
                delta: x - v,
            }
        })
        .collect()
}

/// Turns an apply error into a diagnostic.
pub fn diagnostic(e: &ApplyError) -> Diagnostic {
    Diagnostic::file(
        "invalid-scenario",
        &e.file,
        format!("mutation {}: {}", e.index, e.message),
    )
}

#[cfg(test)]
mod tests {
    use super::allocate;

    #[test]
    fn allocation_is_exact_and_capped() {
        let a = allocate(10.0, &[5.0, 3.0, 2.0]);
        assert_eq!(a, vec![5.0, 3.0, 2.0]);
        let b = allocate(7.0, &[10.0, 10.0, 10.0]);
        assert_eq!(b.iter().sum::<f64>(), 7.0);
        assert_eq!(b, vec![3.0, 2.0, 2.0], "ties go to the earlier entry");
        let c = allocate(3.0, &[0.4, 0.4, 5.0]);
        assert!((c.iter().sum::<f64>() - 3.0).abs() < 1e-12);
        assert!(c.iter().zip([0.4, 0.4, 5.0]).all(|(x, w)| *x <= w + 1e-12));
    }
}
