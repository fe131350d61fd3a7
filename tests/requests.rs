//! The ministry's request judged (`cases/verzoeken/`): the verdict on the preferred location,
//! growth on the service's own sites, a site bound by the primary process, a policy core leaving
//! Den Haag, impossible requirements, a move within one labour market and a case under the
//! threshold. Each case has assertions on its JSON and a reviewed snapshot of its Dutch letter.

mod common;

use common::{file_names, run};
use serde_json::Value;

/// The advice of a `cases/verzoeken/` case as JSON, with its exit code.
fn advise(stem: &str) -> (i32, Value) {
    let path = format!("cases/verzoeken/{stem}.toml");
    let r = run(&["advise", &path, "--format", "json", "--no-robustness"]);
    assert!(r.stderr.is_empty() || r.code != 2, "{path}: {}", r.stderr);
    let v: Value = serde_json::from_str(&r.stdout).unwrap_or_else(|e| panic!("{path}: {e}"));
    (r.code, v)
}

fn request(v: &Value) -> &Value {
    &v["request"]
}

fn str_of(v: &Value) -> &str {
    v.as_str().unwrap_or_else(|| panic!("not a string: {v}"))
}

/// The entry of list `list` of the advice whose `key` is `id`.
fn find<'a>(v: &'a Value, list: &str, key: &str, id: &str) -> &'a Value {
    v[list]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x[key] == id)
        .unwrap_or_else(|| panic!("no {list} entry with {key} {id}"))
}

/// The weights an advice used, by criterion id.
fn weights_of(v: &Value) -> std::collections::BTreeMap<String, f64> {
    v["weights"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| {
            (
                str_of(&x["criterion"]).to_string(),
                x["weight"].as_f64().unwrap(),
            )
        })
        .collect()
}

/// The score of ranked location `r` under the weights `w` (by criterion id).
fn score_with(r: &Value, w: &std::collections::BTreeMap<String, f64>) -> f64 {
    let c: f64 = r["contributions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| w[str_of(&c["criterion"])] * c["value"].as_f64().unwrap())
        .sum();
    let a: f64 = r["adjustments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["delta"].as_f64().unwrap())
        .sum();
    c + a
}

/// Every Dutch letter of `cases/verzoeken/` matches its reviewed snapshot, and every case has
/// its JSON assertions below (a new case without them fails here).
#[test]
fn letters() {
    let names: Vec<String> = file_names("cases/verzoeken")
        .into_iter()
        .filter(|n| n.ends_with(".toml"))
        .collect();
    let covered = [
        "beleidskern-naar-wageningen",
        "groei-op-eigen-locaties",
        "groei-voorkeur-assen",
        "havenmeesters-amsterdam-gemotiveerd",
        "marine-den-helder",
        "nieuwe-dienst-voorkeur-middelburg",
        "onder-de-drempel",
        "onmogelijke-eisen",
        "verplaatsing-amsterdam-almere",
        "voorkeur-zonder-intercity",
    ];
    for name in &names {
        let stem = name.trim_end_matches(".toml");
        assert!(covered.contains(&stem), "{stem} has no JSON test");
        let path = format!("cases/verzoeken/{name}");
        let r = run(&["advise", &path, "--format", "markdown"]);
        assert!(!r.stdout.is_empty(), "{path}: {}", r.stderr);
        insta::assert_snapshot!(format!("request-{stem}-letter"), r.snapshot(None));
    }
    assert_eq!(names.len(), covered.len());
}

/// Growth with offices outside the Randstad lands at one of them, and staff retention rates
/// the service's own office above a new one.
#[test]
fn growth_lands_at_own_sites() {
    let (code, v) = advise("groei-op-eigen-locaties");
    assert_eq!(code, 0);
    let own = ["GM0106", "GM0957", "GM0193"];
    let ranking = v["ranking"].as_array().unwrap();
    for r in &ranking[..3] {
        assert!(own.contains(&str_of(&r["location"])), "{}", r["name"]);
        assert_eq!(r["current"], true);
    }
    assert_eq!(ranking[3]["current"], false);
    assert!(own.contains(&str_of(&v["conclusion"]["location"])));
    let retention = |code: &str| {
        let r = ranking.iter().find(|r| r["location"] == code).unwrap();
        r["contributions"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["criterion"] == "staff-retention")
            .unwrap()["raw"]
            .as_f64()
            .unwrap()
    };
    // Assen (GM0106), the largest office, keeps more of the staff than a new office in Almere.
    assert!(retention("GM0106") > retention("GM0034"));
    let used = find(&v, "principles", "id", "groei-op-eigen-locaties");
    assert_eq!(used["applied"], true);
}

/// A complying preference close behind the best is endorsed, with the gap and a counterfactual.
#[test]
fn complying_preference_close_behind_is_endorsed() {
    let (code, v) = advise("groei-voorkeur-assen");
    assert_eq!(code, 0);
    let q = request(&v);
    assert_eq!(q["verdict"], "voldoet");
    assert_eq!(q["endorsed"], true);
    let gap = q["best"]["gap"].as_f64().unwrap();
    assert!(gap > 0.0 && gap <= 0.20, "gap {gap}");
    assert!(!q["best"]["gains"].as_array().unwrap().is_empty());
    assert_eq!(q["counterfactual"]["kind"], "weights");
}

/// The endorsement rule both ways on one preference: Middelburg, 0.18 behind the best, is within
/// the shipped `endorse_gap` (0.20) and endorsed; with a stricter gap of 0.05 and no weighting
/// within the robustness band that puts it first, it is clearly worse and not endorsed.
#[test]
fn endorsement_rule_holds_both_ways() {
    let (code, v) = advise("nieuwe-dienst-voorkeur-middelburg");
    assert_eq!(code, 0);
    let q = request(&v);
    assert_eq!(q["verdict"], "voldoet");
    assert_eq!(q["endorsed"], true);
    let gap = q["best"]["gap"].as_f64().unwrap();
    assert!(gap > 0.05 && gap <= 0.20, "gap {gap}");
    assert_eq!(q["counterfactual"]["within_band"], false);
    let rules = common::edited_copy(
        "rules",
        "settings.toml",
        "endorse_gap = 0.20",
        "endorse_gap = 0.05",
    );
    let r = run(&[
        "advise",
        "cases/verzoeken/nieuwe-dienst-voorkeur-middelburg.toml",
        "--rules",
        rules.path().to_str().unwrap(),
        "--format",
        "json",
        "--no-robustness",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    let q = request(&v);
    assert_eq!(q["verdict"], "voldoet");
    assert_eq!(q["endorsed"], false);
    assert_eq!(q["not_endorsed_because"], "clearly-worse");
}

/// The counterfactual weights really put the preference first: recomputed from the JSON, the
/// preference scores above every location that ranks above it.
#[test]
fn counterfactual_weights_put_the_preference_first() {
    // (The motivated Amsterdam of `havenmeesters-amsterdam-gemotiveerd` and the Almere of
    // `verplaatsing-amsterdam-almere` already score first: their counterfactual is `first`.)
    for stem in ["groei-voorkeur-assen"] {
        let (_, v) = advise(stem);
        let q = request(&v);
        let c = &q["counterfactual"];
        assert_eq!(c["kind"], "weights", "{stem}");
        let mut w = weights_of(&v);
        let change = c["change"].as_f64().unwrap();
        for s in c["weights"].as_array().unwrap() {
            let (from, to) = (s["from"].as_f64().unwrap(), s["to"].as_f64().unwrap());
            assert!((to - from).abs() <= change * from + 1e-9, "{stem}: {s}");
            w.insert(str_of(&s["criterion"]).to_string(), to);
        }
        let ranking = v["ranking"].as_array().unwrap();
        let rank = q["rank"].as_u64().unwrap() as usize;
        let pref = score_with(&ranking[rank - 1], &w);
        for r in &ranking[..rank - 1] {
            // The shifts are rounded away below 5e-4 per weight: allow that much.
            assert!(pref >= score_with(r, &w) - 5e-3, "{stem}: {}", r["name"]);
        }
        // And the weights it started from do not.
        let before = weights_of(&v);
        assert!(score_with(&ranking[0], &before) > score_with(&ranking[rank - 1], &before));
    }
}

/// A motivated departure is the ministry's choice: never silently replaced, with the best
/// complying alternative beside it.
#[test]
fn motivated_departure_is_the_ministrys_choice() {
    let (code, v) = advise("havenmeesters-amsterdam-gemotiveerd");
    assert_eq!(code, 0);
    assert_eq!(v["complete"], true);
    let q = request(&v);
    assert_eq!(q["verdict"], "gemotiveerd");
    let d = q["departures"].as_array().unwrap();
    assert_eq!(d.len(), 1);
    assert_eq!(d[0]["principle"], "groei-buiten-randstad");
    assert_eq!(d[0]["motivated"], true);
    let alt = &q["best_complying"];
    let alt_ranked = find(&v, "ranking", "location", str_of(&alt["location"]));
    assert_eq!(alt_ranked["randstad"], false);
}

/// A unit bound to its naval base by its primary process is advised there, although the base
/// lies in the Randstad, and the Randstad principle gives way.
#[test]
fn primary_process_binds_the_site() {
    let (code, v) = advise("marine-den-helder");
    assert_eq!(code, 0);
    assert_eq!(v["conclusion"]["location"], "GM0400");
    assert_eq!(v["conclusion"]["primary_process"], true);
    assert_eq!(v["bound_sites"], serde_json::json!(["GM0400"]));
    let p = |id: &str| find(&v, "principles", "id", id).clone();
    // The Randstad principle keeps applying; the bound site needs no motivation under it.
    assert!(p("groei-buiten-randstad")["overridden_by"].is_null());
    assert_eq!(v["ranking"][0]["lower_tiers"], serde_json::json!([]));
    assert_eq!(v["complete"], true);
}

/// A policy core leaving Den Haag: Den Haag stays the reference and ranks first, the motivated
/// preference is the ministry's choice, and the 45 minutes are grouped under the one departure.
#[test]
fn policy_core_leaving_den_haag() {
    let (code, v) = advise("beleidskern-naar-wageningen");
    assert_eq!(code, 0);
    assert_eq!(v["ranking"][0]["location"], "GM0518");
    let q = request(&v);
    assert_eq!(q["verdict"], "gemotiveerd");
    assert_eq!(q["best_complying"]["location"], "GM0518");
    let m = v["motivations"].as_array().unwrap();
    let core = find(&v, "motivations", "principle", "beleidskern-den-haag");
    assert_eq!(
        core["grouped"],
        serde_json::json!(["beleidskern-binnen-45-minuten"])
    );
    assert!(
        m.iter()
            .all(|m| m["principle"] != "beleidskern-binnen-45-minuten")
    );
    assert!(m.iter().all(|m| m["given"] == true));
}

/// Without its motivation the policy core's move asks one motivation, not two.
#[test]
fn policy_core_without_motivation_asks_one() {
    let text = std::fs::read_to_string(
        common::root().join("cases/verzoeken/beleidskern-naar-wageningen.toml"),
    )
    .unwrap();
    let cut = text.find("beleidskern-den-haag = ").unwrap();
    let end = cut + text[cut..].find('\n').unwrap() + 1;
    let edited = format!("{}{}", &text[..cut], &text[end..]);
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("case.toml");
    std::fs::write(&path, edited).unwrap();
    let r = run(&[
        "advise",
        path.to_str().unwrap(),
        "--format",
        "json",
        "--no-robustness",
    ]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["status"], "motivation-missing");
    let missing: Vec<&Value> = v["motivations"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["given"] == false)
        .collect();
    assert_eq!(missing.len(), 1);
    assert_eq!(missing[0]["principle"], "beleidskern-den-haag");
    // The 45-minute requirement, no longer motivated, excludes Wageningen: not feasible.
    let q = request(&v);
    assert_eq!(q["verdict"], "niet-haalbaar");
    assert!(
        q["failures"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["by"] == "beleidskern-binnen-45-minuten")
    );
}

/// Requirements no location meets together: exit 4, the conflicting pair, and what relaxing
/// each one gives.
#[test]
fn impossible_requirements_are_named() {
    let (code, v) = advise("onmogelijke-eisen");
    assert_eq!(code, 4);
    assert_eq!(v["complete"], false);
    assert_eq!(v["status"], "infeasible");
    let c = v["infeasible"]["conflict"].as_array().unwrap();
    assert_eq!(c.len(), 2);
    for x in c {
        assert_eq!(x["by"], "primair-proces");
        assert!(x["feasible_without"].as_u64().unwrap() > 0);
        assert!(str_of(&x["relaxed_nl"]).contains("haalbaar"));
    }
    assert!(str_of(&c[0]["requirement_nl"]).contains("Haarlemmermeer"));
    assert!(str_of(&c[1]["requirement_nl"]).contains("Maastricht"));
}

/// A move from Amsterdam to Almere stays in one metropolitan labour market, and says so.
#[test]
fn relocation_within_one_labour_market() {
    let (code, v) = advise("verplaatsing-amsterdam-almere");
    assert_eq!(code, 0);
    let m = &v["same_labour_market"];
    assert_eq!(m["kind"], "metropolitan");
    assert_eq!(m["region"], "Metropoolregio Amsterdam");
    assert_eq!(m["location"], "GM0034");
    assert!(str_of(&m["message_nl"]).contains("nauwelijks"));
}

/// Under the threshold, the advice says BZK advises on request.
#[test]
fn below_the_threshold() {
    let (code, v) = advise("onder-de-drempel");
    assert_eq!(code, 0);
    assert_eq!(v["advice_required"], false);
    assert_eq!(v["advice_threshold"], 100.0);
    let r = run(&[
        "advise",
        "cases/verzoeken/onder-de-drempel.toml",
        "--format",
        "markdown",
        "--no-robustness",
    ]);
    assert!(r.stdout.contains("minder dan de drempel van 100 fte"));
    assert!(r.stdout.contains("BZK adviseert op verzoek"));
}

/// A preference a hard requirement excludes is not feasible; the nearest feasible place is named.
#[test]
fn infeasible_preference_gets_the_nearest_variant() {
    let (code, v) = advise("voorkeur-zonder-intercity");
    assert_eq!(code, 1);
    let q = request(&v);
    assert_eq!(q["verdict"], "niet-haalbaar");
    assert!(
        q["failures"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["by"] == "schaal-voor-de-dienst")
    );
    let n = &q["nearest_feasible"];
    assert!(n["minutes"].as_f64().unwrap() < 60.0);
    assert!(n["rank"].as_u64().unwrap() >= 1);
}

/// Wherever the feasible set spans two provinces, so do the alternatives.
#[test]
fn alternatives_span_two_provinces() {
    for name in file_names("cases/verzoeken") {
        let stem = name.trim_end_matches(".toml");
        let (_, v) = advise(stem);
        let ranking = v["ranking"].as_array().unwrap();
        let mut feasible: Vec<&str> = ranking.iter().map(|r| str_of(&r["province"])).collect();
        feasible.sort();
        feasible.dedup();
        let applies = v["principles"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["id"] == "drie-alternatieven" && p["applied"] == true);
        if feasible.len() < 2 || !applies {
            continue;
        }
        let mut listed: Vec<&str> = v["shortlist"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| {
                let r = ranking
                    .iter()
                    .find(|r| r["location"] == s["location"])
                    .unwrap();
                str_of(&r["province"])
            })
            .collect();
        listed.sort();
        listed.dedup();
        assert!(listed.len() >= 2, "{stem}: {listed:?}");
    }
}
