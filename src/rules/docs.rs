//! The documentation of the rules as data: every principle, criterion and attribute with its
//! explanation, source and force, for `explain` and the API's `/api/explain`.

use serde::Serialize;

use crate::model::{Effect, World};
use crate::rules::Attr;

/// One documented item.
#[derive(Debug, Serialize)]
pub struct Entry {
    pub id: String,
    /// `principle`, `criterion` or `attribute`.
    pub kind: String,
    pub title: String,
    pub summary: String,
    /// Longer documentation as `(heading, text)` pairs.
    pub details: Vec<(String, String)>,
}

/// Every documented item: principles, then criteria, then attributes.
pub fn entries(w: &World) -> Vec<Entry> {
    let mut v: Vec<Entry> = w.principles.iter().map(principle_entry).collect();
    v.extend(w.criteria.iter().map(criterion_entry));
    for a in Attr::ALL {
        v.push(Entry {
            id: a.name().into(),
            kind: "attribute".into(),
            title: a.name().into(),
            summary: a.doc().into(),
            details: vec![("type".into(), a.ty().as_str().into())],
        });
    }
    v
}

/// A principle: its explanation, status, source, when it applies and its force.
fn principle_entry(p: &crate::model::Principle) -> Entry {
    let mut details = vec![
        ("explanation".to_string(), p.explanation.clone()),
        ("status".into(), p.status.as_str().into()),
        (
            "source".into(),
            format!("{} (evidence {})", p.source, p.evidence),
        ),
        (
            "when".into(),
            p.when.as_ref().map_or("always".into(), |c| c.describe()),
        ),
    ];
    details.push(("force".into(), effect_words(&p.effect)));
    details.push(("why this force".into(), p.force.clone()));
    if !p.overrides.is_empty() {
        details.push(("takes precedence over".into(), p.overrides.join(", ")));
    }
    if let Some(f) = &p.follows {
        details.push((
            "follows from".into(),
            format!("{f}: a departure from it is part of a departure from {f}, and one motivation covers both"),
        ));
    }
    Entry {
        id: p.id.clone(),
        kind: "principle".into(),
        title: p.title.clone(),
        summary: p.summary.clone(),
        details,
    }
}

/// What an effect does, in words.
fn effect_words(effect: &Effect) -> String {
    match effect {
        Effect::Require { target } => {
            format!("require: exclude locations that fail {}", target.describe())
        }
        Effect::Adjust { target, delta } => {
            format!("adjust: {delta:+} for locations with {}", target.describe())
        }
        Effect::Flag { message, .. } => format!("flag: {message}"),
        Effect::Explain { target: Some(target) } => format!(
            "explain: a preferred location failing {} needs a motivation",
            target.describe()
        ),
        Effect::Explain { target: None } => "explain: a preferred location that departs from an applying tier or requirement needs a motivation under that principle's id".into(),
        Effect::Alternatives {
            min,
            outside_randstad,
            regions,
            region,
        } => format!(
            "alternatives: at least {min}, {outside_randstad} outside the Randstad, from at least {regions} {} when feasible",
            match region {
                crate::model::RegionKind::Province => "provinces",
                crate::model::RegionKind::Corop => "COROP regions",
            }
        ),
        Effect::Tier {
            target,
            lower,
            label_en,
            keeps_current,
            ..
        } => format!(
            "tier: locations with {} rank above every other location, whatever the score; the others are '{label_en}'{}{}",
            target.describe(),
            match lower {
                crate::model::Lower::NeedsMotivation => {
                    " (advised only with a motivation; not on the shortlist while others are feasible)"
                }
                crate::model::Lower::After => " (a preferred location there needs a motivation)",
                crate::model::Lower::Order => " (an order only: a preferred location there departs from nothing)",
            },
            if *keeps_current {
                "; the first tier stays a candidate when a relocation leaves it (the reference the move is tested against)"
            } else {
                ""
            }
        ),
        Effect::Weigh { criteria } => format!(
            "weigh: through the criteria {}",
            criteria.join(", ")
        ),
    }
}

/// A criterion: its documentation, attribute, value function, weight, scope and source.
fn criterion_entry(c: &crate::model::Criterion) -> Entry {
    let points: Vec<String> = c
        .value_function
        .points
        .iter()
        .map(|(x, y)| format!("{x} -> {y}"))
        .collect();
    Entry {
        id: c.id.clone(),
        kind: "criterion".into(),
        title: c.title.clone(),
        summary: c.summary.clone(),
        details: vec![
            ("documentation".into(), c.doc.clone()),
            (
                "attribute".into(),
                format!("{} ({})", c.attribute.name(), c.unit),
            ),
            ("value function".into(), points.join(", ")),
            ("default weight".into(), c.weight.to_string()),
            (
                "counts for".into(),
                c.when
                    .as_ref()
                    .map_or("every case".into(), |p| p.describe()),
            ),
            (
                "applies to".into(),
                c.applies
                    .as_ref()
                    .map_or("every location".into(), |p| p.describe()),
            ),
            ("missing data".into(), c.missing.as_str().into()),
            ("source".into(), c.source.clone()),
            ("reference date".into(), c.reference_date.clone()),
        ],
    }
}
