//! CLI tests: every example case (text, JSON and Markdown) and every bad-input path, as
//! reviewed snapshots of exit code, stdout and stderr.

mod common;

use common::{edited_copy, file_names, run};

fn cases() -> Vec<String> {
    file_names("cases")
        .into_iter()
        .filter(|n| n.ends_with(".toml"))
        .collect()
}

/// Every shipped example case, in every format, matches its reviewed snapshot.
#[test]
fn example_cases() {
    let names = cases();
    assert!(names.len() >= 5, "at least five example cases ship");
    for name in names {
        let path = format!("cases/{name}");
        let stem = name.trim_end_matches(".toml");
        for (fmt, extra) in [
            ("text", vec![]),
            ("json", vec![]),
            ("markdown", vec![]),
            ("markdown", vec!["--lang", "en"]),
        ] {
            let mut args = vec!["advise", path.as_str(), "--format", fmt];
            args.extend(extra.iter().copied());
            let r = run(&args);
            assert_eq!(r.code, 0, "{path} {fmt}: {}", r.stderr);
            let suffix = if extra.is_empty() {
                fmt.to_string()
            } else {
                format!("{fmt}-en")
            };
            insta::assert_snapshot!(format!("case-{stem}-{suffix}"), r.snapshot(None));
        }
    }
}

/// `validate` passes on everything shipped.
#[test]
fn validate_shipped() {
    let r = run(&["validate", "cases"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("no problems"), "{}", r.stdout);
    // No gemeente lacks a population or a location point.
    assert!(
        r.stdout.contains("gemeenten: 342, each with a CBS population and a location point (340 main place, 2 polygon centroid)"),
        "{}",
        r.stdout
    );
    let r = run(&["validate", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["coverage"]["with_population"], 342);
    assert_eq!(v["coverage"]["with_point"], 342);
    // No advice excludes a gemeente for want of data.
    let r = run(&[
        "advise",
        "cases/nieuwe-zbo-energie.toml",
        "--format",
        "json",
        "--no-robustness",
    ]);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let ranked = v["ranking"].as_array().unwrap().len();
    let excluded = v["excluded"].as_array().unwrap();
    assert_eq!(ranked + excluded.len(), 342);
    // Every exclusion comes from a principle (a hard requirement), none from a missing figure,
    // except the gemeenten across water without a sourced crossing (unknown minutes).
    let principles: Vec<&str> = v["principles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_str().unwrap())
        .collect();
    for x in excluded {
        if ["GM0093", "GM0715", "GM0677"].contains(&x["location"].as_str().unwrap()) {
            continue;
        }
        for r in x["reasons"].as_array().unwrap() {
            assert!(
                principles.contains(&r["by"].as_str().unwrap()),
                "{} excluded by {}",
                x["name"],
                r["by"]
            );
        }
    }
}

/// Each bad case file gets a clear error with file, line and column, and exit code 2.
#[test]
fn bad_case_files() {
    let names = file_names("tests/bad");
    assert!(names.len() >= 10);
    for name in names {
        let path = format!("tests/bad/{name}");
        let r = run(&["advise", &path]);
        assert_eq!(r.code, 2, "{path} must be rejected: {}", r.stdout);
        assert!(r.stdout.is_empty(), "no advice for bad input");
        assert!(
            r.stderr.contains(&format!("--> {path}")),
            "the file is named: {}",
            r.stderr
        );
        assert!(!r.stderr.contains("panicked"), "{}", r.stderr);
        let v = run(&["validate", &path]);
        assert_eq!(v.code, 2);
        assert_eq!(
            v.stderr, r.stderr,
            "validate and advise report the same problems"
        );
        insta::assert_snapshot!(
            format!("bad-{}", name.trim_end_matches(".toml")),
            r.snapshot(None)
        );
    }
}

/// A missing case file, a directory given as a case and a non-UTF-8 case file.
#[test]
fn unreadable_case_files() {
    let r = run(&["advise", "tests/bad/does-not-exist.toml"]);
    assert_eq!(r.code, 2);
    insta::assert_snapshot!("unreadable-missing", r.snapshot(None));

    let r = run(&["advise", "tests"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("error[unreadable-file]"), "{}", r.stderr);

    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("latin1.toml");
    std::fs::write(&path, b"[case]\nid = \"caf\xe9\"\n").unwrap();
    let r = run(&["advise", path.to_str().unwrap()]);
    assert_eq!(r.code, 2);
    insta::assert_snapshot!("unreadable-not-utf8", r.snapshot(Some(tmp.path())));
}

/// A case whose every candidate is excluded gets an advice that says so, with every reason.
#[test]
fn every_candidate_excluded() {
    let r = run(&["advise", "tests/edge/all-excluded.toml"]);
    assert_eq!(r.code, 4, "{}", r.stderr);
    insta::assert_snapshot!("edge-all-excluded", r.snapshot(None));
    let j = run(&["advise", "tests/edge/all-excluded.toml", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&j.stdout).unwrap();
    assert_eq!(v["ranking"].as_array().unwrap().len(), 0);
    let excluded = v["excluded"].as_array().unwrap();
    assert_eq!(excluded.len(), 3);
    assert!(
        excluded
            .iter()
            .all(|x| !x["reasons"].as_array().unwrap().is_empty())
    );
}

/// Broken rules: each edit of a copy of the shipped rules is reported with file, line and
/// column; several problems in one load are reported together.
#[test]
fn bad_rules() {
    let edits: &[(&str, &str, &str, &str)] = &[
        (
            "unsorted-points",
            "criteria.toml",
            "[[15.0, 1.0], [45.0, 0.75]",
            "[[45.0, 1.0], [15.0, 0.75]",
        ),
        (
            "value-out-of-range",
            "criteria.toml",
            "[[0.0, 0.0], [1.0, 0.5]",
            "[[0.0, 0.0], [1.0, 1.5]",
        ),
        (
            "non-monotone",
            "criteria.toml",
            "[[2.5, 0.0], [4.5, 1.0]]",
            "[[2.5, 0.0], [3.5, 1.0], [4.5, 0.0]]",
        ),
        (
            "negative-weight",
            "criteria.toml",
            "weight = 0.10",
            "weight = -0.10",
        ),
        (
            "duplicate-criterion",
            "criteria.toml",
            "id = \"rail-minutes-utrecht\"",
            "id = \"rail-minutes-den-haag\"",
        ),
        (
            "unknown-attribute-criterion",
            "criteria.toml",
            "attribute = \"location.woz\"",
            "attribute = \"location.wozz\"",
        ),
        (
            "unknown-attribute-predicate",
            "principles.toml",
            "attr = \"location.randstad\", op = \"eq\", value = false",
            "attr = \"location.randstadt\", op = \"eq\", value = false",
        ),
        (
            "location-attribute-in-when",
            "principles.toml",
            "when = { attr = \"case.kind\", op = \"eq\", value = \"shrink\" }",
            "when = { attr = \"location.randstad\", op = \"eq\", value = true }",
        ),
        (
            "wrong-value-type",
            "principles.toml",
            "op = \"eq\", value = true }, delta = -0.05",
            "op = \"eq\", value = \"ja\" }, delta = -0.05",
        ),
        (
            "unknown-kind-value",
            "principles.toml",
            "value = [\"new\", \"growth\", \"relocation\"] }\neffect = { type = \"tier\"",
            "value = [\"new\", \"grow\", \"relocation\"] }\neffect = { type = \"tier\"",
        ),
        (
            "unknown-effect",
            "principles.toml",
            "type = \"flag\"",
            "type = \"flagg\"",
        ),
        (
            "delta-out-of-range",
            "principles.toml",
            "delta = -0.05",
            "delta = -5.0",
        ),
        (
            "duplicate-principle",
            "principles.toml",
            "id = \"krimp-in-randstad\"",
            "id = \"groei-buiten-randstad\"",
        ),
        (
            "unknown-province",
            "settings.toml",
            "provinces = [\"PV26\", \"PV27\", \"PV28\"]",
            "provinces = [\"PV26\", \"PV72\", \"PV28\"]",
        ),
        (
            "unknown-settings-key",
            "settings.toml",
            "advice_fte = 100",
            "advise_fte = 100",
        ),
        (
            "duplicate-theme",
            "themes.toml",
            "id = \"water\"",
            "id = \"energie\"",
        ),
        ("malformed", "settings.toml", "[thresholds]", "[thresholds"),
    ];
    for (name, file, from, to) in edits {
        let tmp = edited_copy("rules", file, from, to);
        let r = run(&["validate", "--rules", tmp.path().to_str().unwrap()]);
        assert_eq!(r.code, 2, "{name} must be rejected");
        assert!(
            r.stderr
                .contains(&format!("{}/{file}:", tmp.path().display())),
            "{name}: {}",
            r.stderr
        );
        insta::assert_snapshot!(format!("rules-{name}"), r.snapshot(Some(tmp.path())));
    }
}

/// All-zero weights in the rules are rejected.
#[test]
fn all_zero_rule_weights() {
    let tmp = tempfile::tempdir().unwrap();
    for e in std::fs::read_dir(common::root().join("rules"))
        .unwrap()
        .flatten()
    {
        let text = std::fs::read_to_string(e.path()).unwrap();
        let text = if e.file_name() == "criteria.toml" {
            text.lines()
                .map(|l| {
                    if l.starts_with("weight = ") {
                        "weight = 0.0".to_string()
                    } else {
                        l.to_string()
                    }
                })
                .collect::<Vec<_>>()
                .join("\n")
        } else {
            text
        };
        std::fs::write(tmp.path().join(e.file_name()), text).unwrap();
    }
    let r = run(&["validate", "--rules", tmp.path().to_str().unwrap()]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("error[zero-weights]"), "{}", r.stderr);
}

/// Broken profiles: references and duplicates in the profile files.
#[test]
fn bad_profiles() {
    let edits: &[(&str, &str, &str, &str)] = &[
        (
            "unknown-theme",
            "kernkwaliteiten.toml",
            "\"natuur-ruimte\"]",
            "\"natuur-ruimtes\"]",
        ),
        (
            "presence-name-mismatch",
            "rijksaanwezigheid.toml",
            "name = \"Assen\"",
            "name = \"Asen\"",
        ),
        (
            "unknown-gemeente",
            "rijksaanwezigheid.toml",
            "gemeente = \"GM0687\"",
            "gemeente = \"GM9687\"",
        ),
        (
            "duplicate-gemeente",
            "gemeenten.toml",
            "code = \"GM0034\"",
            "code = \"GM0014\"",
        ),
        (
            "unknown-station",
            "rail/links.csv",
            "AC,ASHD,4",
            "AC,ASDH,4",
        ),
        (
            "unknown-label",
            "provinces/PV20.toml",
            "label = \"published\"",
            "label = \"publsihed\"",
        ),
        (
            "unknown-point-source",
            "gemeenten.toml",
            "from = \"centroid\"",
            "from = \"centriod\"",
        ),
        (
            "missing-population",
            "gemeenten.toml",
            "population = 243768\n",
            "",
        ),
        (
            "measured-unknown-station",
            "rail/measured.csv",
            "AH,ALM,90",
            "AH,ALX,90",
        ),
        (
            "rail-model-not-fitted",
            "rail/model.toml",
            "status = \"fitted\"",
            "status = \"assumed\"",
        ),
    ];
    for (name, file, from, to) in edits {
        let tmp = edited_copy("profiles", file, from, to);
        let r = run(&["validate", "--profiles", tmp.path().to_str().unwrap()]);
        assert_eq!(r.code, 2, "{name} must be rejected");
        insta::assert_snapshot!(format!("profiles-{name}"), r.snapshot(Some(tmp.path())));
    }
}

/// A misspelt principle on the command line gets a suggestion.
#[test]
fn unknown_principle_flag() {
    let r = run(&[
        "advise",
        "cases/nieuwe-zbo-energie.toml",
        "--disable-principle",
        "regiobelang2",
    ]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("did you mean `regiobelang`?"),
        "{}",
        r.stderr
    );
}

/// Switching a principle off changes the result visibly and is reported.
#[test]
fn disable_principle() {
    let on = run(&[
        "advise",
        "cases/nieuwe-zbo-energie.toml",
        "--format",
        "json",
    ]);
    let off = run(&[
        "advise",
        "cases/nieuwe-zbo-energie.toml",
        "--format",
        "json",
        "--disable-principle",
        "groei-buiten-randstad",
    ]);
    let on: serde_json::Value = serde_json::from_str(&on.stdout).unwrap();
    let off: serde_json::Value = serde_json::from_str(&off.stdout).unwrap();
    assert_ne!(on["input_digest"], off["input_digest"]);
    let p = off["principles"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == "groei-buiten-randstad")
        .unwrap();
    assert_eq!(p["disabled"], true);
    assert_eq!(p["applied"], false);
    let has = |v: &serde_json::Value| {
        v["ranking"].as_array().unwrap().iter().any(|r| {
            r["lower_tiers"]
                .as_array()
                .unwrap()
                .iter()
                .any(|a| a["principle"] == "groei-buiten-randstad")
        })
    };
    assert!(has(&on));
    assert!(!has(&off));
    // Without the principle, Randstad locations are back in the first tier and top the ranking
    // on their scores (the cross-check's own top).
    assert_eq!(on["ranking"][0]["randstad"], false);
    assert_eq!(off["ranking"][0]["randstad"], true);
}

/// A missing comply-or-explain motivation makes the advice incomplete: exit code 1.
#[test]
fn missing_motivation_is_exit_1() {
    let tmp = tempfile::tempdir().unwrap();
    let text =
        std::fs::read_to_string(common::root().join("cases/groei-belastingdienst-box3.toml"))
            .unwrap();
    let cut = text.split("[motivation]").next().unwrap();
    let path = tmp.path().join("case.toml");
    std::fs::write(&path, cut).unwrap();
    let r = run(&["advise", path.to_str().unwrap(), "--format", "json"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["complete"], false);
    assert_eq!(v["motivations"][0]["given"], false);
}

/// Comply or explain covers every principle: a preferred location outside the Randstad that
/// departs from the policy-core principles also needs a motivation, and the letter says so.
#[test]
fn non_randstad_departure_is_exit_1() {
    let path = "tests/edge/beleidskern-voorkeur-groningen.toml";
    let r = run(&["advise", path, "--format", "json", "--no-robustness"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["complete"], false);
    assert_eq!(v["ranking"][0]["location"], "GM0518");
    let r = run(&["advise", path, "--format", "markdown", "--no-robustness"]);
    assert_eq!(r.code, 1);
    assert!(
        r.stdout.contains("Het verzoek is onvolledig"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.contains("**de motivering ontbreekt**"),
        "{}",
        r.stdout
    );
    insta::assert_snapshot!("edge-non-randstad-departure", r.stdout);
}

/// `gemeente` finds a gemeente by code, name or a name in common use, and suggests on a typo.
#[test]
fn gemeente_lookup() {
    for q in ["GM0014", "Groningen", "groningen"] {
        let r = run(&["gemeente", q, "--format", "json"]);
        assert_eq!(r.code, 0, "{q}: {}", r.stderr);
        let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
        assert_eq!(v[0]["code"], "GM0014", "{q}");
        assert_eq!(v[0]["randstad"], false);
    }
    let r = run(&["gemeente", "Den Haag"]);
    assert_eq!(r.code, 0);
    assert!(
        r.stdout.starts_with("'s-Gravenhage (GM0518)"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("in the Randstad"));
    insta::assert_snapshot!("gemeente-den-haag", r.stdout);
    // Every figure names its source and its evidence label.
    let r = run(&["gemeente", "Mook en Middelaar", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    for f in v[0]["figures"].as_array().unwrap() {
        assert!(!f["source"].as_str().unwrap().is_empty(), "{f}");
        assert!(
            ["published", "derived", "estimate"].contains(&f["label"].as_str().unwrap()),
            "{f}"
        );
    }
    let r = run(&["gemeente", "Groningn"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("did you mean `Groningen` (GM0014)?"),
        "{}",
        r.stderr
    );
}

/// A template replaced with `--templates` changes the document; the others stay the shipped
/// ones; a broken template is a located error (exit 2), and so is a file that is no template.
#[test]
fn templates_can_be_replaced() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("advice");
    std::fs::create_dir_all(&dir).unwrap();
    let shipped =
        std::fs::read_to_string(common::root().join("templates/advice/letter.nl.md")).unwrap();
    let edited = shipped.replace(
        "# Concept-locatieadvies:",
        "# Locatieadvies van de minister:",
    );
    std::fs::write(dir.join("letter.nl.md"), &edited).unwrap();
    let t = tmp.path().to_str().unwrap();
    let case = "cases/nieuwe-zbo-energie.toml";
    let r = run(&[
        "advise",
        case,
        "--format",
        "markdown",
        "--no-robustness",
        "--templates",
        t,
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout.starts_with("# Locatieadvies van de minister: "),
        "{}",
        r.stdout
    );
    // The text output still uses the shipped template.
    let r = run(&["advise", case, "--no-robustness", "--templates", t]);
    assert!(
        r.stdout.starts_with("Concept-locatieadvies: "),
        "{}",
        r.stdout
    );

    // A syntax error: file and line.
    let broken = edited.replace(
        "{% for s in a.shortlist %}",
        "{% for s in a.shortlist %}{% endif %}",
    );
    std::fs::write(dir.join("letter.nl.md"), &broken).unwrap();
    let r = run(&[
        "advise",
        case,
        "--format",
        "markdown",
        "--no-robustness",
        "--templates",
        t,
    ]);
    assert_eq!(r.code, 2);
    let line = broken
        .lines()
        .position(|l| l.contains("{% for s in a.shortlist %}{% endif %}"))
        .unwrap()
        + 1;
    assert!(
        r.stderr
            .contains(&format!("{}:{line}:", dir.join("letter.nl.md").display())),
        "{}",
        r.stderr
    );
    insta::assert_snapshot!("template-syntax-error", r.snapshot(Some(tmp.path())));

    // A name the data does not have: an error at render time, with file and line.
    let unknown = edited.replace("{{ c.title }}", "{{ c.titel }}");
    std::fs::write(dir.join("letter.nl.md"), &unknown).unwrap();
    let r = run(&[
        "advise",
        case,
        "--format",
        "markdown",
        "--no-robustness",
        "--templates",
        t,
    ]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("letter.nl.md:7:37"), "{}", r.stderr);
    assert!(r.stderr.contains("`c.titel` is undefined"), "{}", r.stderr);
    assert!(r.stdout.is_empty());

    // A file that is no template of this program.
    std::fs::write(dir.join("letter.nl.md"), &shipped).unwrap();
    std::fs::write(dir.join("brief.nl.md"), "x").unwrap();
    let r = run(&["advise", case, "--no-robustness", "--templates", t]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("`advice/brief.nl.md` is not a template"),
        "{}",
        r.stderr
    );
}

/// The engine's remarks are worded by the catalogues: a catalogue replaced with `--templates`
/// rewords a remark in the advice (and its JSON); a catalogue without a remark's macro, or with
/// a name the remark does not pass, is a located error (exit 2) and no advice is printed.
#[test]
fn remarks_are_worded_by_the_catalogues() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("advice");
    std::fs::create_dir_all(&dir).unwrap();
    let shipped =
        std::fs::read_to_string(common::root().join("templates/advice/remarks.nl.j2")).unwrap();
    let old = "De engine adviseert; de verantwoordelijke minister besluit.";
    assert!(shipped.contains(old));
    let edited = shipped.replace(
        old,
        "De minister van BZK adviseert; de vakminister besluit.",
    );
    std::fs::write(dir.join("remarks.nl.j2"), &edited).unwrap();
    let t = tmp.path().to_str().unwrap();
    let case = "cases/nieuwe-zbo-energie.toml";
    let args = |format: &'static str| {
        vec![
            "advise",
            case,
            "--format",
            format,
            "--no-robustness",
            "--templates",
            t,
        ]
    };
    let r = run(&args("markdown"));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout
            .contains("De minister van BZK adviseert; de vakminister besluit."),
        "{}",
        r.stdout
    );
    assert!(!r.stdout.contains(old));
    let r = run(&args("json"));
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let notes = v["assumptions"].as_array().unwrap();
    assert!(notes.iter().any(|n| n["message_nl"]
        == "De minister van BZK adviseert; de vakminister besluit."
        && n["message"] == "The engine advises; the responsible minister decides."));

    // A remark whose macro is gone: the catalogue is named, exit 2, nothing on stdout.
    let start = shipped.find("{%- macro minister_decides() -%}").unwrap();
    let end = start + shipped[start..].find("{%- endmacro %}").unwrap() + "{%- endmacro %}".len();
    let without = format!("{}{}", &shipped[..start], &shipped[end..]);
    std::fs::write(dir.join("remarks.nl.j2"), &without).unwrap();
    let r = run(&args("text"));
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stdout.is_empty());
    assert!(r.stderr.contains("remarks.nl.j2"), "{}", r.stderr);
    assert!(
        r.stderr
            .contains("the catalogue has no macro `minister_decides`"),
        "{}",
        r.stderr
    );

    // A name the remark does not pass: an error at the macro's line.
    let typo = shipped.replace(
        "minuten per trein naar {{ to }}",
        "minuten per trein naar {{ naar }}",
    );
    std::fs::write(dir.join("remarks.nl.j2"), &typo).unwrap();
    let line = typo.lines().position(|l| l.contains("{{ naar }}")).unwrap() + 1;
    let r = run(&[
        "advise",
        "cases/beleidsdirectie-nabij-den-haag.toml",
        "--no-robustness",
        "--templates",
        t,
    ]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr
            .contains(&format!("{}:{line}:", dir.join("remarks.nl.j2").display())),
        "{}",
        r.stderr
    );
}

/// The words of requirements come from the catalogues too: rewording an operator changes the
/// reasons a location is excluded; a catalogue that lacks an attribute's words says which.
#[test]
fn predicate_words_come_from_the_catalogues() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("advice");
    std::fs::create_dir_all(&dir).unwrap();
    let shipped =
        std::fs::read_to_string(common::root().join("templates/advice/remarks.nl.j2")).unwrap();
    let old = r#""ge": "ten minste","#;
    assert!(shipped.contains(old));
    std::fs::write(
        dir.join("remarks.nl.j2"),
        shipped.replace(old, r#""ge": "minstens","#),
    )
    .unwrap();
    let t = tmp.path().to_str().unwrap();
    let case = "cases/nieuwe-zbo-energie.toml";
    let json = |r: &common::Run| serde_json::from_str::<serde_json::Value>(&r.stdout).unwrap();
    let reasons_nl = |v: &serde_json::Value| -> String {
        v["excluded"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|x| x["reasons"].as_array().unwrap().clone())
            .map(|r| r["message_nl"].as_str().unwrap().to_string())
            .collect::<Vec<_>>()
            .join("\n")
    };
    let shipped_run = run(&["advise", case, "--format", "json", "--no-robustness"]);
    let before = reasons_nl(&json(&shipped_run));
    assert!(before.contains("ten minste"), "{before}");
    let r = run(&[
        "advise",
        case,
        "--format",
        "json",
        "--no-robustness",
        "--templates",
        t,
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let after = reasons_nl(&json(&r));
    assert!(!after.contains("ten minste"), "{after}");
    assert_eq!(after, before.replace("ten minste", "minstens"));

    let without = shipped.replace(r#""location.station_class": "stationsklasse","#, "");
    assert_ne!(without, shipped);
    std::fs::write(dir.join("remarks.nl.j2"), &without).unwrap();
    let r = run(&["advise", case, "--no-robustness", "--templates", t]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("remarks.nl.j2"), "{}", r.stderr);
    assert!(
        r.stderr.contains("no words for `location.station_class`"),
        "{}",
        r.stderr
    );
}

/// Every remark the engine makes has its macro in both catalogues, and every macro in them is
/// a remark the engine makes (no words left behind).
#[test]
fn catalogues_match_the_engine() {
    let mut used = std::collections::BTreeSet::new();
    let mut stack = vec![common::root().join("src")];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "rs") {
                let text = std::fs::read_to_string(&p).unwrap();
                for part in text.split("Remark::new(\"").skip(1) {
                    used.insert(part.split('"').next().unwrap().to_string());
                }
            }
        }
    }
    assert!(used.len() > 20, "{used:?}");
    for lang in ["en", "nl"] {
        let path = common::root().join(format!("templates/advice/remarks.{lang}.j2"));
        let text = std::fs::read_to_string(&path).unwrap();
        let defined: std::collections::BTreeSet<String> = text
            .split("{%- macro ")
            .skip(1)
            .map(|m| m.split('(').next().unwrap().to_string())
            .collect();
        assert_eq!(defined, used, "{}", path.display());
    }
}

/// `explain` prints documentation, lists everything, and suggests on a typo.
#[test]
fn explain() {
    let r = run(&["explain", "--list"]);
    assert_eq!(r.code, 0);
    insta::assert_snapshot!("explain-list", r.stdout);
    let r = run(&["explain", "krimp-in-randstad"]);
    assert_eq!(r.code, 0);
    insta::assert_snapshot!("explain-principle", r.stdout);
    let r = run(&["explain", "office-cost", "--format", "json"]);
    assert_eq!(r.code, 0);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["kind"], "criterion");
    let r = run(&["explain", "--list", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert!(v.as_array().unwrap().len() > 30);
    let r = run(&["explain", "ofice-cost"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("did you mean `office-cost`?"),
        "{}",
        r.stderr
    );
}

/// The embedded defaults work from any directory.
#[test]
fn works_from_another_directory() {
    let tmp = tempfile::tempdir().unwrap();
    let case = common::root().join("cases/nieuwe-zbo-energie.toml");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_locatieadvies"))
        .args(["advise", case.to_str().unwrap(), "--format", "json"])
        .current_dir(tmp.path())
        .output()
        .unwrap();
    assert!(out.status.success());
    let local = run(&[
        "advise",
        "cases/nieuwe-zbo-energie.toml",
        "--format",
        "json",
    ]);
    assert_eq!(String::from_utf8(out.stdout).unwrap(), local.stdout);
}

/// The order of the gemeenten in the profile does not change the advice (only the input digest,
/// which hashes the file text).
#[test]
fn profile_order_does_not_change_output() {
    let tmp = edited_copy(
        "profiles",
        "gemeenten.toml",
        "\n[[gemeente]]\n",
        "\n[[gemeente]]\n",
    );
    let path = tmp.path().join("gemeenten.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    let mut parts: Vec<&str> = text.split("\n[[gemeente]]\n").collect();
    let head = parts.remove(0);
    assert_eq!(parts.len(), 342);
    let mut blocks: Vec<String> = parts.iter().map(|p| p.trim_end().to_string()).collect();
    blocks.reverse();
    let reversed = format!(
        "{head}\n[[gemeente]]\n{}\n",
        blocks.join("\n\n[[gemeente]]\n")
    );
    std::fs::write(&path, reversed).unwrap();
    for case in [
        "cases/nieuwe-zbo-energie.toml",
        "cases/krimp-taakstelling-rijkswaterstaat.toml",
    ] {
        let a = run(&["advise", case, "--format", "json"]);
        let b = run(&[
            "advise",
            case,
            "--format",
            "json",
            "--profiles",
            tmp.path().to_str().unwrap(),
        ]);
        assert_eq!(b.code, 0, "{}", b.stderr);
        let mut va: serde_json::Value = serde_json::from_str(&a.stdout).unwrap();
        let mut vb: serde_json::Value = serde_json::from_str(&b.stdout).unwrap();
        assert_ne!(va["input_digest"], vb["input_digest"]);
        va["input_digest"] = serde_json::Value::Null;
        vb["input_digest"] = serde_json::Value::Null;
        assert_eq!(va, vb);
    }
}

/// `mcda` reproduces the oracles through the command line and reports degenerate input.
#[test]
fn mcda_command() {
    let cases: &[(&str, &[&str])] = &[
        (
            "topsis-fighter-aircraft",
            &[
                "mcda",
                "rank",
                "cases/mcda/fighter-aircraft.csv",
                "--config",
                "cases/mcda/fighter-aircraft.toml",
            ],
        ),
        (
            "promethee-plant-location",
            &[
                "mcda",
                "rank",
                "cases/mcda/plant-location.csv",
                "--config",
                "cases/mcda/plant-location.toml",
                "--format",
                "json",
            ],
        ),
        (
            "ahp-eigenvector",
            &["mcda", "ahp", "cases/mcda/ahp-criteria.csv"],
        ),
        (
            "ahp-approximate-tummala-ling",
            &[
                "mcda",
                "ahp",
                "cases/mcda/ahp-criteria.csv",
                "--method",
                "approximate",
                "--ri",
                "tummala-ling",
                "--format",
                "json",
            ],
        ),
        (
            "critic",
            &[
                "mcda",
                "weights",
                "cases/mcda/critic-diakoulaki.csv",
                "--method",
                "critic",
            ],
        ),
        (
            "wsm-critic-weights",
            &[
                "mcda",
                "rank",
                "cases/mcda/critic-diakoulaki.csv",
                "--weights-from",
                "critic",
                "--normalisation",
                "vector",
            ],
        ),
        (
            "ties",
            &[
                "mcda",
                "rank",
                "tests/mcda/ties.csv",
                "--method",
                "wsm",
                "--format",
                "json",
            ],
        ),
    ];
    for (name, args) in cases {
        let r = run(args);
        assert_eq!(r.code, 0, "{name}: {}", r.stderr);
        insta::assert_snapshot!(format!("mcda-{name}"), r.snapshot(None));
    }
    let bad: &[(&str, &[&str])] = &[
        (
            "constant-column",
            &[
                "mcda",
                "rank",
                "tests/mcda/constant-column.csv",
                "--method",
                "wsm",
                "--normalisation",
                "minmax",
            ],
        ),
        (
            "zero-weights",
            &["mcda", "rank", "tests/mcda/ties.csv", "--weights", "0,0"],
        ),
        (
            "negative-weight",
            &["mcda", "rank", "tests/mcda/ties.csv", "--weights", "1,-1"],
        ),
        (
            "weight-count",
            &["mcda", "rank", "tests/mcda/ties.csv", "--weights", "1,1,1"],
        ),
        (
            "single-alternative",
            &[
                "mcda",
                "rank",
                "tests/mcda/single.csv",
                "--method",
                "topsis",
            ],
        ),
        ("nan-cell", &["mcda", "rank", "tests/mcda/nan.csv"]),
        (
            "not-a-number",
            &["mcda", "rank", "tests/mcda/not-a-number.csv"],
        ),
        (
            "entropy-negative",
            &[
                "mcda",
                "weights",
                "cases/mcda/critic-diakoulaki.csv",
                "--method",
                "entropy",
            ],
        ),
        (
            "ahp-not-reciprocal",
            &["mcda", "ahp", "tests/mcda/not-reciprocal.csv"],
        ),
        (
            "unknown-criterion-in-model",
            &[
                "mcda",
                "rank",
                "tests/mcda/ties.csv",
                "--config",
                "tests/mcda/unknown-criterion.toml",
            ],
        ),
        (
            "bad-preference",
            &[
                "mcda",
                "rank",
                "tests/mcda/ties.csv",
                "--method",
                "promethee",
                "--preference",
                "linear:5:1",
            ],
        ),
    ];
    for (name, args) in bad {
        let r = run(args);
        assert_eq!(r.code, 2, "{name} must be rejected: {}", r.stdout);
        assert!(!r.stderr.contains("panicked") && !r.stdout.contains("NaN"));
        insta::assert_snapshot!(format!("mcda-bad-{name}"), r.snapshot(None));
    }
}

/// Golden outputs of the shipped example scenarios, side by side for the three cut policies.
#[test]
fn example_scenarios() {
    let runs: &[(&str, &[&str])] = &[
        (
            "move",
            &[
                "scenario",
                "cases/scenarios/verplaatsing-rws-naar-middelburg.toml",
            ],
        ),
        (
            "advice",
            &[
                "scenario",
                "cases/scenarios/nieuw-zbo-via-advies.toml",
                "--format",
                "markdown",
            ],
        ),
        (
            "cut-policies",
            &[
                "scenario",
                "cases/scenarios/taakstelling-ienw-22-proportional.toml",
                "cases/scenarios/taakstelling-ienw-22-randstad-first.toml",
                "cases/scenarios/taakstelling-ienw-22-protect-under-served.toml",
            ],
        ),
        (
            "move-json",
            &[
                "scenario",
                "cases/scenarios/verplaatsing-rws-naar-middelburg.toml",
                "--format",
                "json",
            ],
        ),
        (
            "deliveries",
            &[
                "scenario",
                "cases/scenarios/verplaatsing-rws-naar-middelburg.toml",
                "--deliveries",
                "cases/deliveries/voorbeeld-fictief-2025.csv",
            ],
        ),
    ];
    for (name, args) in runs {
        let r = run(args);
        if *name == "deliveries" {
            // The example deliveries are for 2025 and the scenario starts from 2024: the year is
            // the one problem reported, not the units it cannot find.
            assert_eq!(r.code, 2, "{}", r.stdout);
        } else {
            assert_eq!(r.code, 0, "{name}: {}", r.stderr);
        }
        insta::assert_snapshot!(format!("scenario-{name}"), r.snapshot(None));
    }
}

/// Bad scenario files: file and line, or the mutation that cannot be applied, with exit code 2.
#[test]
fn bad_scenarios() {
    let names = file_names("tests/bad-scenarios");
    for name in names {
        let path = format!("tests/bad-scenarios/{name}");
        let r = run(&["scenario", &path]);
        assert_eq!(r.code, 2, "{path}: {}", r.stdout);
        assert!(r.stderr.contains(&path), "{}", r.stderr);
        insta::assert_snapshot!(
            format!("bad-scenario-{}", name.trim_end_matches(".toml")),
            r.snapshot(None)
        );
    }
}

/// Deliveries: the example ingests; every problem of a bad file is reported with its line.
#[test]
fn ingest_deliveries() {
    let r = run(&[
        "ingest",
        "--year",
        "2025",
        "cases/deliveries/voorbeeld-fictief-2025.csv",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    insta::assert_snapshot!("ingest-example", r.snapshot(None));
    let r = run(&[
        "ingest",
        "--year",
        "2025",
        "cases/deliveries/voorbeeld-fictief-2025.csv",
        "--format",
        "json",
        "--level",
        "gemeente",
    ]);
    assert_eq!(r.code, 0);
    for bad in ["problems", "wrong-header"] {
        let path = format!("tests/bad-deliveries/{bad}.csv");
        let r = run(&["ingest", "--year", "2025", &path]);
        assert_eq!(r.code, 2);
        insta::assert_snapshot!(format!("ingest-bad-{bad}"), r.snapshot(None));
    }
    let r = run(&[
        "ingest",
        "--year",
        "2025",
        "cases/deliveries/voorbeeld-fictief-2025.csv",
        "tests/bad-deliveries/problems.csv",
    ]);
    assert_eq!(r.code, 2, "a set with one bad file is rejected whole");
}

/// The annual report in every format; the HTML page is self-contained.
#[test]
fn annual_report() {
    for (fmt, name) in [
        ("text", "text"),
        ("markdown", "markdown"),
        ("csv", "csv"),
        ("json", "json"),
    ] {
        let r = run(&[
            "report", "--year", "2024", "--format", fmt, "--cases", "cases",
        ]);
        assert_eq!(r.code, 0, "{fmt}: {}", r.stderr);
        insta::assert_snapshot!(format!("report-2024-{name}"), r.snapshot(None));
    }
    let r = run(&["report", "--year", "2024", "--format", "html"]);
    assert_eq!(r.code, 0);
    let html = r.stdout;
    assert!(html.starts_with("<!DOCTYPE html>"));
    for needle in ["<svg", "<path d=\"M", "Schatting", "353797", "Zuid-Holland"] {
        assert!(html.contains(needle), "the page has {needle}");
    }
    for external in ["<script", "http://", "https://", "<link", "@import", "url("] {
        let allowed = external == "http://"
            && html.matches(external).count() == html.matches("http://www.w3.org/2000/svg").count();
        assert!(
            !html.contains(external) || allowed,
            "no external resource: {external}"
        );
    }
    assert_eq!(html.matches("<svg").count(), 3, "a map and two bar charts");
    // The map's legend and every province's colour say they rest on the fitted estimate.
    assert!(html.contains("schatting, gekalibreerd"));
    assert_eq!(
        html.matches("(gekalibreerd)</title>").count()
            + html.matches("(gepubliceerd)</title>").count(),
        12
    );
    // 2023: Limburg is the published 12,691, labelled as such, in JSON.
    let r = run(&["report", "--year", "2023", "--format", "json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let limburg = v["provinces"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["key"] == "PV31")
        .unwrap();
    assert_eq!(limburg["label"], "published");
    assert_eq!(limburg["current"].as_f64().unwrap().round(), 12_691.0);
    assert_eq!(limburg["published"]["published"], 12_691.0);
    for l in v["provinces"].as_array().unwrap() {
        assert!(["published", "fitted"].contains(&l["label"].as_str().unwrap()));
    }
    for c in v["published_figures"].as_array().unwrap() {
        assert!(c["within"] == true || c["used"] == false, "{c}");
    }
    // 2021 is the first year with data: reported without a year-on-year comparison.
    let r = run(&["report", "--year", "2021"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    insta::assert_snapshot!("report-2021-text", r.snapshot(None));
    let r = run(&["report", "--year", "2019"]);
    assert_eq!(r.code, 2, "no published total for 2019");
    assert!(
        r.stderr.contains("no published national total for 2019"),
        "{}",
        r.stderr
    );
}

/// The example pipeline of nine services: assignment, regrets and binding constraints.
#[test]
fn match_pipeline() {
    for (fmt, name) in [("text", "text"), ("json", "json"), ("markdown", "markdown")] {
        let r = run(&["match", "cases/pipeline/pijplijn.toml", "--format", fmt]);
        assert_eq!(r.code, 0, "{fmt}: {}", r.stderr);
        insta::assert_snapshot!(format!("match-pipeline-{name}"), r.snapshot(None));
    }
    let a = run(&["match", "cases/pipeline/pijplijn.toml", "--format", "json"]);
    let b = run(&["match", "cases/pipeline/pijplijn.toml", "--format", "json"]);
    assert_eq!(a.stdout, b.stdout, "deterministic");
    let v: serde_json::Value = serde_json::from_str(&a.stdout).unwrap();
    assert_eq!(v["status"], "optimal");
    assert!(v["services"].as_array().unwrap().len() >= 8);
    let outside = v["fte_outside_randstad"].as_f64().unwrap() / v["fte_total"].as_f64().unwrap();
    assert!(
        outside >= 0.7 - 1e-9,
        "the minimum share outside the Randstad holds: {outside}"
    );
    for (name, path) in [
        ("capacity", "tests/pipelines/infeasible-capacity.toml"),
        ("outside", "tests/pipelines/infeasible-outside.toml"),
    ] {
        let r = run(&["match", path]);
        assert_eq!(r.code, 1, "{name}: an infeasible pipeline is exit code 1");
        insta::assert_snapshot!(format!("match-infeasible-{name}"), r.snapshot(None));
    }
    let names = file_names("tests/bad-pipelines");
    for name in names {
        let path = format!("tests/bad-pipelines/{name}");
        let r = run(&["match", &path]);
        assert_eq!(r.code, 2, "{path}");
        assert!(r.stderr.contains(&path), "{}", r.stderr);
        insta::assert_snapshot!(
            format!("match-bad-{}", name.trim_end_matches(".toml")),
            r.snapshot(None)
        );
    }
}

/// `travel`: Utrecht Centraal - Amsterdam Centraal within 10% of the 27 minutes of the timetable,
/// station to station and measured; a gemeente trip shows its legs; unknown places are errors.
#[test]
fn travel() {
    let r = run(&["travel", "UT", "ASD", "--format", "json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let minutes = v["minutes"].as_f64().unwrap();
    assert!((27.0 * 0.9..=27.0 * 1.1).contains(&minutes), "{minutes}");
    assert_eq!(v["measured"], true);
    assert!(v["transfers"].is_u64());
    assert!(
        v["access"].is_null() && v["egress"].is_null(),
        "station to station"
    );
    // A gemeente without a main place starts at its polygon centroid; names and codes both work,
    // and a station code in lower case too.
    for (from, to, name) in [
        ("Oostzaan", "GM0518", "oostzaan-den-haag"),
        ("GM0995", "'s-Gravenhage", "lelystad-den-haag"),
        ("bd", "rtd", "breda-rotterdam"),
    ] {
        let r = run(&["travel", from, to]);
        assert_eq!(r.code, 0, "{}", r.stderr);
        insta::assert_snapshot!(format!("travel-{name}"), r.snapshot(None));
    }
    let r = run(&["travel", "Utreht", "ASD"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("did you mean `Utrecht`?"), "{}", r.stderr);
}

/// Published figures that contradict each other: the later one gives way and the report says so.
#[test]
fn conflicting_published_figures_are_named() {
    let tmp = edited_copy(
        "baseline",
        "published.toml",
        "# --- Provinces: order",
        "[[province]]\nyear = 2024\nprovince = \"PV22\"\nfte = 9000\nsource = \"a test figure\"\nevidence = \"N\"\n\n[[province]]\nyear = 2024\nprovince = \"PV22\"\nfte = 9500\nsource = \"a contradicting test figure\"\nevidence = \"N\"\n\n# --- Provinces: order",
    );
    let dir = tmp.path().to_str().unwrap();
    let r = run(&["report", "--year", "2024", "--baseline-data", dir]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout.contains("CONFLICT: Drenthe (PV22), 1 January 2024: 9000 FTE; Drenthe (PV22), 1 January 2024: 9500 FTE cannot all hold; Drenthe (PV22), 1 January 2024: 9500 FTE gave way"),
        "{}",
        r.stdout
    );
    let drenthe = r
        .stdout
        .lines()
        .find(|l| l.trim_start().starts_with("Drenthe "))
        .unwrap();
    assert!(drenthe.contains("published  9000 (+0)"), "{drenthe}");
}

/// What a user of a CLI expects: completion scripts for four shells, a man page and a
/// `--version` that names the rules and data it carries.
#[test]
fn completions_manpage_and_version() {
    for shell in ["bash", "zsh", "fish", "powershell"] {
        let r = run(&["completions", shell]);
        assert_eq!(r.code, 0, "{shell}: {}", r.stderr);
        assert!(r.stdout.contains("locatieadvies"), "{shell}");
        assert!(
            r.stdout.contains("advise"),
            "{shell}: the subcommands are completed"
        );
    }
    let r = run(&["completions", "tcsh"]);
    assert_eq!(r.code, 2, "an unknown shell is a usage error");
    let r = run(&["manpage"]);
    assert_eq!(r.code, 0);
    assert!(r.stdout.starts_with(".ie") || r.stdout.contains(".TH locatieadvies 1"));
    assert!(r.stdout.contains("advise"));
    let r = run(&["--version"]);
    assert_eq!(r.code, 0);
    for part in [
        "locatieadvies 0.1.0",
        "rules     4 files, sha256",
        "profiles",
        "baseline",
        "published national total up to 1 January 2024",
    ] {
        assert!(
            r.stdout.contains(part),
            "--version lacks `{part}`:\n{}",
            r.stdout
        );
    }
}

/// With standard output closed the result would be lost: exit 3, not 0 (the runtime puts
/// `/dev/null` in its place, which is recognised); a user's own `> /dev/null` is no error.
#[test]
fn a_closed_stdout_is_exit_3() {
    let bin = env!("CARGO_BIN_EXE_locatieadvies");
    let shell = |line: String| {
        std::process::Command::new("sh")
            .arg("-c")
            .arg(line)
            .arg(bin)
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .output()
            .unwrap()
    };
    for args in [
        "advise cases/nieuwe-zbo-energie.toml --no-robustness",
        "report --year 2024",
    ] {
        let closed = shell(format!("exec \"$0\" {args} >&-"));
        assert_eq!(closed.status.code(), Some(3), "{args}");
        assert!(String::from_utf8_lossy(&closed.stderr).contains("standard output is closed"));
        let null = shell(format!("exec \"$0\" {args} > /dev/null"));
        assert_eq!(null.status.code(), Some(0), "{args}");
    }
}
