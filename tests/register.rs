//! The register of cases through the command line: a case's way from received to decided, the
//! checks on dates, numbers and motivations, re-running a stored advice, and a register written
//! by a newer version.

mod common;

use common::run;

/// `case` with `--db` in `dir`, and `--no-robustness` not needed: `case advise` uses the
/// defaults of `advise`.
fn case(db: &str, args: &[&str]) -> common::Run {
    let mut all = vec!["case", "--db", db];
    all.extend_from_slice(args);
    run(&all)
}

#[test]
fn a_case_from_received_to_decided() {
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("sub/register.sqlite");
    let db = db.to_str().unwrap();

    let r = case(
        db,
        &[
            "add",
            "cases/nieuwe-zbo-energie.toml",
            "--number",
            "2026-001",
            "--received",
            "2026-02-01",
        ],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let r = case(
        db,
        &[
            "add",
            "cases/krimp-taakstelling-rijkswaterstaat.toml",
            "--number",
            "2025-007",
            "--received",
            "2025-11-20",
        ],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);

    // Listed by received date; a year selects.
    let r = case(db, &["list", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let numbers: Vec<&str> = v["cases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["number"].as_str().unwrap())
        .collect();
    assert_eq!(numbers, ["2025-007", "2026-001"]);
    assert!(
        v["cases"]
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["status"] == "ontvangen")
    );
    let r = case(db, &["list", "--year", "2026"]);
    assert!(
        r.stdout.contains("2026-001") && !r.stdout.contains("2025-007"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.contains("1 case(s) received in 2026."),
        "{}",
        r.stdout
    );

    // Taken up: `in behandeling`; starting again changes nothing.
    for _ in 0..2 {
        let r = case(db, &["start", "2026-001"]);
        assert_eq!(r.code, 0, "{}", r.stderr);
        assert_eq!(r.stdout, "case 2026-001: in behandeling\n");
    }

    // A decision before any advice is refused.
    let r = case(
        db,
        &[
            "decide",
            "2026-001",
            "--date",
            "2026-04-01",
            "--decision",
            "x",
            "--followed",
            "yes",
        ],
    );
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("has no advice yet"), "{}", r.stderr);

    // The advice is stored with its digest and the same output as `advise --format json`.
    let r = case(db, &["advise", "2026-001", "--date", "2026-03-02"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let r = case(db, &["show", "2026-001", "--format", "json"]);
    let shown: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(shown["case"]["status"], "advies uitgebracht");
    assert_eq!(shown["case"]["advised"], "2026-03-02");
    let direct = run(&[
        "advise",
        "cases/nieuwe-zbo-energie.toml",
        "--format",
        "json",
    ]);
    let direct: serde_json::Value = serde_json::from_str(&direct.stdout).unwrap();
    assert_eq!(shown["advices"][0]["advice"], direct);
    assert_eq!(shown["advices"][0]["input_digest"], direct["input_digest"]);

    // Not followed without a motivation: refused; with one: recorded.
    let decide = |followed: &'static str, motivation: Option<&'static str>| {
        let mut a = vec![
            "decide",
            "2026-001",
            "--date",
            "2026-04-01",
            "--decision",
            "gevestigd in Groningen",
            "--followed",
            followed,
        ];
        if let Some(m) = motivation {
            a.extend(["--motivation", m]);
        }
        case(db, &a)
    };
    let r = decide("no", None);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("motivation is required"), "{}", r.stderr);
    let r = decide("no", Some("nabijheid van de netbeheerders"));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let r = case(db, &["show", "2026-001"]);
    assert!(
        r.stdout.contains("status     besluit genomen"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout
            .contains("decision   gevestigd in Groningen (departs from the advice)"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout
            .contains("motivation nabijheid van de netbeheerders")
    );

    // The stored advice is reproduced by the current engine and data.
    let r = case(db, &["verify", "2026-001"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("advice 1 reproduced"), "{}", r.stdout);

    // A stored output that no longer matches is reported (exit 1).
    let conn = rusqlite::Connection::open(db).unwrap();
    conn.execute(
        "UPDATE advices SET output_json = replace(output_json, 'Lelystad', 'Lelystat')",
        [],
    )
    .unwrap();
    drop(conn);
    let r = case(db, &["verify", "2026-001"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stdout.contains("NOT reproduced"), "{}", r.stdout);
}

#[test]
fn bad_register_input_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("register.sqlite");
    let db = db.to_str().unwrap();
    let add = |number: &str, received: &str| {
        case(
            db,
            &[
                "add",
                "cases/nieuwe-zbo-energie.toml",
                "--number",
                number,
                "--received",
                received,
            ],
        )
    };
    let r = add("2026-001", "2026-13-01");
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("`2026-13-01` is not a date"),
        "{}",
        r.stderr
    );
    assert_eq!(add("2026-001", "2026-02-01").code, 0);
    let r = add("2026-001", "2026-02-01");
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("already registered"), "{}", r.stderr);
    let r = case(db, &["show", "2026-999"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("no case with number `2026-999`"),
        "{}",
        r.stderr
    );
    // An advice dated before the case was received.
    let r = case(db, &["advise", "2026-001", "--date", "2026-01-15"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("lies before the case was received"),
        "{}",
        r.stderr
    );
    // A case file that does not validate is not registered, and its problems are located.
    let bad = tmp.path().join("bad.toml");
    std::fs::write(&bad, "[case]\nid = \"x\"\n").unwrap();
    let r = case(
        db,
        &[
            "add",
            bad.to_str().unwrap(),
            "--number",
            "2026-002",
            "--received",
            "2026-02-01",
        ],
    );
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("bad.toml"), "{}", r.stderr);
    let r = case(db, &["list", "--format", "json"]);
    assert_eq!(r.stdout.matches("\"number\"").count(), 1, "{}", r.stdout);
}

/// Reading a register that does not exist is an error, not an empty register; nothing is created.
#[test]
fn a_missing_register_is_not_read_as_empty() {
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("typo.sqlite");
    let db = db.to_str().unwrap();
    let r = case(db, &["list"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("there is no register at"), "{}", r.stderr);
    let r = run(&["report", "--year", "2024", "--db", db]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("there is no register at"), "{}", r.stderr);
    assert!(!std::path::Path::new(db).exists());
}

#[test]
fn a_register_from_a_newer_version_is_not_touched() {
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("register.sqlite");
    let conn = rusqlite::Connection::open(&db).unwrap();
    conn.pragma_update(None, "user_version", 99).unwrap();
    drop(conn);
    let r = case(db.to_str().unwrap(), &["list"]);
    assert_eq!(r.code, 3);
    assert!(
        r.stderr.contains("schema version 99, newer"),
        "{}",
        r.stderr
    );
}

/// `report --year Y --db PATH` lists the register's cases worked on in Y, with their status,
/// last advice and decision; a case of another year is left out.
#[test]
fn the_annual_report_takes_its_cases_from_the_register() {
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("register.sqlite");
    let db = db.to_str().unwrap();
    for (file, number, received) in [
        ("cases/nieuwe-zbo-energie.toml", "2024-003", "2024-03-01"),
        (
            "cases/groei-belastingdienst-box3.toml",
            "2023-010",
            "2023-10-01",
        ),
    ] {
        let r = case(
            db,
            &["add", file, "--number", number, "--received", received],
        );
        assert_eq!(r.code, 0, "{}", r.stderr);
    }
    assert_eq!(
        case(db, &["advise", "2024-003", "--date", "2024-05-01"]).code,
        0
    );
    let r = case(
        db,
        &[
            "decide",
            "2024-003",
            "--date",
            "2024-06-01",
            "--decision",
            "gevestigd in 's-Hertogenbosch",
            "--followed",
            "yes",
        ],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let r = run(&["report", "--year", "2024", "--db", db, "--format", "json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let cases = v["cases"].as_array().unwrap();
    assert_eq!(cases.len(), 1, "{cases:?}");
    assert_eq!(cases[0]["register"]["number"], "2024-003");
    assert_eq!(cases[0]["register"]["status"], "besluit genomen");
    assert_eq!(cases[0]["register"]["followed"], true);
    assert_eq!(cases[0]["first"], "'s-Hertogenbosch (GM0796)");
    let r = run(&[
        "report", "--year", "2024", "--db", db, "--format", "markdown",
    ]);
    assert!(
        r.stdout.contains(
            "- 2024-003: Nieuw zbo Uitvoering Energietransitie (new, 250 fte): eerste locatie 's-Hertogenbosch (GM0796); besluit genomen: gevestigd in 's-Hertogenbosch (volgt het advies)"
        ),
        "{}",
        r.stdout
    );
}

/// `ingest --store` keeps a validated delivery per ministry and year; storing it again replaces
/// it; the report says which ministries delivered and that a partial delivery is not comparable.
#[test]
fn deliveries_are_stored_and_reported() {
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("register.sqlite");
    let db = db.to_str().unwrap();
    let shipped =
        std::fs::read_to_string(common::root().join("cases/deliveries/voorbeeld-fictief-2025.csv"))
            .unwrap();
    let file = tmp.path().join("levering-2024.csv");
    std::fs::write(&file, shipped.replace("2025-01-01", "2024-01-01")).unwrap();
    let file = file.to_str().unwrap();
    for _ in 0..2 {
        let r = run(&["ingest", "--year", "2024", file, "--store", "--db", db]);
        assert_eq!(r.code, 0, "{}", r.stderr);
        assert!(
            r.stderr
                .contains("stored the delivery of 2024 for DEF, FIN, IenW, JenV"),
            "{}",
            r.stderr
        );
    }
    let conn = rusqlite::Connection::open(db).unwrap();
    let rows: i64 = conn
        .query_row(
            "SELECT count(*) FROM delivery_rows WHERE year = 2024",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(
        rows as usize,
        shipped.lines().count() - 1,
        "stored twice, kept once"
    );
    drop(conn);

    let r = run(&["report", "--year", "2024", "--db", db, "--format", "json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["deliveries"]["complete"], false);
    assert_eq!(v["deliveries"]["delivered"].as_array().unwrap().len(), 4);
    assert!(
        v["deliveries"]["missing"]
            .as_array()
            .unwrap()
            .iter()
            .any(|m| m == "BZK")
    );
    let r = run(&[
        "report", "--year", "2024", "--db", db, "--format", "markdown",
    ]);
    assert!(
        r.stdout
            .contains("hebben 4 van de 14 ministeries aangeleverd"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("IenW 450,5 fte"), "{}", r.stdout);
    assert!(r.stdout.contains("gedeeltelijke"), "{}", r.stdout);
    // Without a register the report has no delivery section.
    let r = run(&["report", "--year", "2024", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert!(v.get("deliveries").is_none());
}
