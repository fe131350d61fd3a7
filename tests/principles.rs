//! The guiding principles bite with the force the rules give them: tiers before the score, a
//! shortlist without Randstad locations unless motivated, comply or explain for every principle,
//! gemeenten judged on their own figures, and staff retention for growth and relocation.

mod common;
use common::{case, engine, shipped};

use locatieadvies::advice::RunOptions;
use locatieadvies::advice::model::{Advice, Ranked};
use locatieadvies::advice::robustness::RobustnessOverrides;
use locatieadvies::model::Case;

/// The advice without the robustness analysis (the principles do not depend on it).
fn advise(c: &Case) -> Advice {
    let opts = RunOptions {
        robustness: RobustnessOverrides {
            off: true,
            ..Default::default()
        },
        ..Default::default()
    };
    engine().advise(c, &opts)
}

fn rank_of<'a>(a: &'a Advice, code: &str) -> &'a Ranked {
    a.ranking
        .iter()
        .find(|r| r.location == code)
        .unwrap_or_else(|| panic!("{code} is not ranked"))
}

const NEW_SERVICE: &str = r#"
[case]
id = "t"
title = "t"
ministry = "EZ"
sector = "zbo"
kind = "new"
fte = 300
themes = ["ict-data"]
"#;

#[test]
fn growth_and_new_services_rank_every_location_outside_the_randstad_first() {
    for kind in ["new", "growth", "relocation"] {
        let text = NEW_SERVICE.replace("kind = \"new\"", &format!("kind = \"{kind}\""));
        let text = if kind == "new" {
            text
        } else {
            text.replace("fte = 300", "fte = 300\ncurrent_locations = [\"GM0363\"]")
        };
        let a = advise(&case(&text));
        let first_randstad = a
            .ranking
            .iter()
            .position(|r| r.randstad)
            .expect("Randstad ranked");
        assert!(
            a.ranking[first_randstad..].iter().all(|r| r.randstad),
            "{kind}: a location outside the Randstad ranks below a Randstad one"
        );
        assert!(
            first_randstad > 0,
            "{kind}: something outside the Randstad is feasible"
        );
        // The tier is shown as such, and it is stronger than any score difference.
        for r in &a.ranking[first_randstad..] {
            assert!(
                r.lower_tiers
                    .iter()
                    .any(|t| t.needs_motivation && t.label == "alleen met motivering")
            );
        }
        let best_randstad = a.ranking[first_randstad..]
            .iter()
            .map(|r| r.score)
            .fold(f64::MIN, f64::max);
        let worst_outside = a.ranking[..first_randstad]
            .iter()
            .map(|r| r.score)
            .fold(f64::MAX, f64::min);
        assert!(
            best_randstad > worst_outside,
            "{kind}: the tier must matter for this test to bite"
        );
        // The shortlist holds no Randstad location.
        assert!(a.shortlist.len() >= 3);
        assert!(
            a.shortlist
                .iter()
                .all(|s| !s.randstad && !s.needs_motivation),
            "{kind}"
        );
    }
}

#[test]
fn a_motivated_randstad_preference_joins_the_first_tier() {
    let c = shipped("groei-belastingdienst-box3");
    let a = advise(&c);
    let utrecht = rank_of(&a, "GM0344");
    // Motivated under groei-buiten-randstad it is in no tier that needs a motivation; it comes
    // after the service's own sites outside the Randstad (an order, groei-op-eigen-locaties).
    assert!(
        utrecht.lower_tiers.iter().all(|t| !t.needs_motivation),
        "motivated under groei-buiten-randstad"
    );
    assert!(
        utrecht
            .lower_tiers
            .iter()
            .all(|t| t.principle == "groei-op-eigen-locaties")
    );
    assert!(a.complete);
    // Without the motivation it falls back into the lower tier and the advice is incomplete.
    let text = std::fs::read_to_string(format!(
        "{}/cases/groei-belastingdienst-box3.toml",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap();
    let cut = text
        .find("[motivation]")
        .expect("the example has a motivation");
    let a = advise(&case(&text[..cut]));
    assert!(!a.complete);
    assert!(rank_of(&a, "GM0344").tier > 0);
    assert!(!a.ranking[0].randstad);
    assert!(
        a.motivations
            .iter()
            .any(|m| m.principle == "groei-buiten-randstad" && !m.given)
    );
}

#[test]
fn shrinkage_lands_in_the_randstad_first() {
    let a = advise(&shipped("krimp-taakstelling-rijkswaterstaat"));
    let first_outside = a.ranking.iter().position(|r| !r.randstad).unwrap();
    assert!(a.ranking[..first_outside].iter().all(|r| r.randstad));
    assert!(a.ranking[first_outside..].iter().all(|r| !r.randstad));
    // The split takes the reduction from the Randstad tier first.
    let split = a.shrink_split.as_ref().unwrap();
    for p in &split.parts {
        let r = rank_of(&a, &p.location);
        if !r.randstad {
            assert_eq!(p.reduction_fte, 0.0, "{} is spared", p.name);
        }
    }
}

#[test]
fn a_policy_core_puts_s_gravenhage_first_whatever_the_weights() {
    let c = shipped("beleidsdirectie-nabij-den-haag");
    assert_eq!(advise(&c).ranking[0].location, "GM0518");
    // Weights that favour cheap offices make 's-Gravenhage score below others; it stays first.
    let text = std::fs::read_to_string(format!(
        "{}/cases/beleidsdirectie-nabij-den-haag.toml",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap();
    let cheap = if text.contains("[weights]") {
        text.replace("[weights]", "[weights]\noffice-cost = 50")
    } else {
        format!("{text}\n[weights]\noffice-cost = 50\n")
    };
    let a = advise(&case(&cheap));
    assert_eq!(a.ranking[0].location, "GM0518");
    assert!(
        a.ranking[1..].iter().any(|r| r.score > a.ranking[0].score),
        "the test needs a location that scores higher"
    );
    // The precedence over "grow outside the Randstad" is stated in the rules and reported.
    let grow = a
        .principles
        .iter()
        .find(|p| p.id == "groei-buiten-randstad")
        .unwrap();
    assert_eq!(grow.overridden_by.as_deref(), Some("beleidskern-den-haag"));
}

#[test]
fn a_non_randstad_departure_needs_a_motivation_too() {
    // A policy core with a preference for Groningen: it departs from the policy-core tier and
    // from the 45-minute requirement, outside the Randstad.
    let text = r#"
[case]
id = "t"
title = "t"
ministry = "BZK"
sector = "ministeries"
kind = "new"
fte = 120
policy_core = true
preferred_location = "GM0014"
"#;
    let a = advise(&case(text));
    assert!(!a.complete);
    let missing: Vec<&str> = a
        .motivations
        .iter()
        .filter(|m| !m.given)
        .map(|m| m.principle.as_str())
        .collect();
    // The 45 minutes follow from the same departure: one motivation, grouped.
    assert_eq!(missing, ["beleidskern-den-haag"]);
    let core = a
        .motivations
        .iter()
        .find(|m| m.principle == "beleidskern-den-haag")
        .unwrap();
    assert_eq!(core.grouped, ["beleidskern-binnen-45-minuten"]);
    // Motivated under every principle it departs from, the advice is complete.
    let motivated = format!(
        "{text}\n[motivation]\n{}",
        missing
            .iter()
            .map(|p| format!(
                "{p} = \"De directie werkt met de uitvoeringsorganisaties in Groningen.\"\n"
            ))
            .collect::<String>()
    );
    assert!(advise(&case(&motivated)).complete);
}

#[test]
fn gemeenten_of_one_province_differ_only_by_their_own_figures() {
    let a = advise(&shipped("nieuwe-toezichthouder-digitaal"));
    let w = &engine().world;
    // Thematic fit is measured per COROP region (CBS jobs per sector), not per province.
    let province_wide = ["unemployment", "higher-educated", "under-served-province"];
    let mut pairs = 0;
    for (i, x) in a.ranking.iter().enumerate() {
        for y in &a.ranking[i + 1..] {
            if x.province != y.province {
                continue;
            }
            pairs += 1;
            for id in province_wide {
                let cx = x.contributions.iter().find(|c| c.criterion == id).unwrap();
                let cy = y.contributions.iter().find(|c| c.criterion == id).unwrap();
                assert_eq!(
                    cx.contribution, cy.contribution,
                    "{id}: {} vs {}",
                    x.name, y.name
                );
            }
        }
    }
    assert!(pairs > 10);
    // Every other criterion is measured per gemeente: it tells some gemeenten of a province apart.
    for c in w
        .criteria
        .iter()
        .filter(|c| !province_wide.contains(&c.id.as_str()))
    {
        if c.id == "staff-retention" {
            continue; // no current locations in this case
        }
        let differs = a.ranking.iter().enumerate().any(|(i, x)| {
            a.ranking[i + 1..].iter().any(|y| {
                x.province == y.province && {
                    let rx = x
                        .contributions
                        .iter()
                        .find(|k| k.criterion == c.id)
                        .unwrap()
                        .raw;
                    let ry = y
                        .contributions
                        .iter()
                        .find(|k| k.criterion == c.id)
                        .unwrap()
                        .raw;
                    rx != ry
                }
            })
        });
        assert!(
            differs,
            "{} is the same for every gemeente of a province",
            c.id
        );
    }
}

#[test]
fn a_small_place_with_a_provincial_bonus_does_not_beat_the_regional_centre() {
    // Growth within 45 minutes of Arnhem: Mook en Middelaar (Limburg, under-served) once came
    // first on the provincial bonus alone.
    let a = advise(&shipped("groei-rijkswaterstaat-oost"));
    assert_eq!(a.ranking[0].location, "GM0202", "Arnhem");
    assert!(a.ranking.iter().all(|r| r.location != "GM0944") || rank_of(&a, "GM0944").rank > 3);
    // A place that can carry 150 FTE: every ranked location has 50,000 inhabitants, an
    // intercity stop or a documented government site.
    let w = &engine().world;
    for r in &a.ranking {
        let population = w.gemeenten[w.gemeente_index(&r.location).unwrap()].population;
        let class = r
            .contributions
            .iter()
            .find(|c| c.criterion == "station-class")
            .unwrap();
        let presence = r
            .contributions
            .iter()
            .find(|c| c.criterion == "government-presence")
            .unwrap();
        assert!(
            population >= 50_000.0 || class.raw.unwrap() >= 2.0 || presence.raw.unwrap() >= 1.0,
            "{}",
            r.name
        );
    }
}

#[test]
fn the_regional_interest_does_not_count_for_randstad_locations_on_growth() {
    let a = advise(&shipped("nieuwe-toezichthouder-digitaal"));
    for r in &a.ranking {
        for id in ["regional-need", "thematic-fit"] {
            let c = r.contributions.iter().find(|c| c.criterion == id).unwrap();
            assert_eq!(c.applies, !r.randstad, "{id} at {}", r.name);
            if r.randstad {
                assert_eq!(c.contribution, 0.0);
            }
        }
    }
}

#[test]
fn staff_retention_counts_for_relocation_and_growth_only() {
    let a = advise(&shipped("verplaatsing-uitvoeringsdienst-utrecht"));
    let weight = |a: &Advice| {
        a.weights
            .iter()
            .find(|w| w.criterion == "staff-retention")
            .unwrap()
            .weight
    };
    assert!(weight(&a) > 0.0);
    let retention = |code: &str| {
        rank_of(&a, code)
            .contributions
            .iter()
            .find(|c| c.criterion == "staff-retention")
            .unwrap()
            .raw
            .unwrap()
    };
    // From Utrecht, Almere (about half an hour by train) keeps more staff than Groningen.
    assert!(retention("GM0034") > retention("GM0014") + 20.0);
    for r in &a.ranking {
        let x = retention(&r.location);
        assert!((0.0..=100.0).contains(&x));
    }
    // A new service has no current staff: the criterion does not count.
    let n = advise(&shipped("nieuwe-toezichthouder-digitaal"));
    assert_eq!(weight(&n), 0.0);
}
