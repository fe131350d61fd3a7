//! Figures below the province: labour reach over the working-age population, government presence
//! from sourced sites, the scale test, station service levels, ferries, station codes, names
//! and thematic fit from CBS jobs per sector and COROP region.

mod common;

use std::collections::BTreeMap;

use common::{root, run};
use serde_json::Value;

/// The gemeente profile of `query` as JSON (the first match).
fn profile(query: &str) -> Value {
    let r = run(&["gemeente", query, "--format", "json"]);
    assert_eq!(r.code, 0, "{query}: {}", r.stderr);
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    v[0].clone()
}

fn figure(p: &Value, attr: &str) -> Option<f64> {
    p["figures"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["attribute"] == attr)
        .unwrap_or_else(|| panic!("no figure {attr}"))["value"]
        .as_f64()
}

/// Working-age population (15-65) per gemeente code, counted by hand from the CBS table in
/// `data/`: population times the three age shares, as the data README documents.
fn working_age() -> BTreeMap<String, f64> {
    let mut rdr = csv::Reader::from_path(root().join("data/gemeenten_cbs_2024.csv")).unwrap();
    let h = rdr.headers().unwrap().clone();
    let col = |name: &str| h.iter().position(|c| c == name).unwrap();
    let (code, pop) = (col("gemeente_code"), col("inwoners_2024_01_01"));
    let shares = [col("pct_15_25"), col("pct_25_45"), col("pct_45_65")];
    rdr.records()
        .map(|r| {
            let r = r.unwrap();
            let p: f64 = r[pop].parse().unwrap();
            let s: f64 = shares.iter().map(|&i| r[i].parse::<f64>().unwrap()).sum();
            (r[code].to_string(), p * s / 100.0)
        })
        .collect()
}

#[test]
fn labour_reach_is_the_working_age_population_within_reach() {
    let wa = working_age();
    // Assen: the working-age population within 45 minutes by a hand count over the gemeenten
    // reached is 555,505; the total population of the same gemeenten is 853,709.
    let assen = figure(&profile("Assen"), "location.labour_reach").unwrap();
    assert!(
        (assen - 555_505.0).abs() / 555_505.0 < 0.02,
        "Assen: {assen}"
    );
    // Vaals: itself and the gemeenten within 45 minutes, listed by hand from `travel Vaals X`
    // (Kerkrade 35, Landgraaf 42, Heerlen 45 minutes), their CBS working-age population summed
    // here.
    let vaals_reach = ["GM0981", "GM0928", "GM0882", "GM0917"];
    let hand: f64 = vaals_reach.iter().map(|c| wa[*c]).sum();
    let vaals = figure(&profile("Vaals"), "location.labour_reach").unwrap();
    assert!(
        (vaals - hand).abs() / hand < 0.02,
        "Vaals: {vaals} vs {hand}"
    );
}

#[test]
fn an_ambiguous_name_lists_every_match_and_a_code_gets_no_guess() {
    let r = run(&["gemeente", "Bergen"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("GM0373") && r.stderr.contains("Noord-Holland"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("GM0893") && r.stderr.contains("Limburg"),
        "{}",
        r.stderr
    );
    let r = run(&["travel", "Bergen", "Utrecht"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("GM0373") && r.stderr.contains("GM0893"),
        "{}",
        r.stderr
    );
    // The full CBS name is one gemeente.
    assert_eq!(profile("Bergen (L.)")["code"], "GM0893");
    // Accents and case do not matter.
    assert_eq!(profile("sudwest-fryslan")["code"], "GM1900");
    // A well-formed code that does not exist is not a misspelling of another gemeente.
    let r = run(&["gemeente", "GM9999"]);
    assert_eq!(r.code, 2);
    assert!(!r.stderr.contains("did you mean"), "{}", r.stderr);
}

#[test]
fn ns_codes_of_2019_work_beside_the_2017_codes() {
    let r = run(&["travel", "NA", "EMN", "--format", "json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["from"]["code"], "NEA");
    let old = run(&["travel", "NEA", "EMN", "--format", "json"]);
    assert_eq!(r.stdout, old.stdout);
}

#[test]
fn an_intercity_stop_counts_as_intercity_whatever_its_2017_type() {
    let m = profile("Middelburg (Z.)");
    let mdb = m["stations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["code"] == "MDB")
        .unwrap();
    assert_eq!(mdb["class"], 2.0, "{mdb}");
    let src = m["figures"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["attribute"] == "location.station_class")
        .unwrap()["source"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(src.contains("intercity stop"), "{src}");
}

#[test]
fn islands_are_reached_by_ferry_and_unknown_crossings_stay_unknown() {
    let r = run(&["travel", "Texel", "Amsterdam", "--format", "json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    let ferry = &v["access"]["ferry"];
    assert_eq!(ferry["minutes"], 20.0, "{v}");
    assert_eq!(ferry["port"], "Den Helder");
    assert!(ferry["source"].as_str().unwrap().starts_with("https://"));
    // The trip is at least the crossing plus the rail journey from Den Helder.
    let dh = run(&["travel", "Den Helder", "Amsterdam", "--format", "json"]);
    let dh: Value = serde_json::from_str(&dh.stdout).unwrap();
    assert!(v["minutes"].as_f64().unwrap() >= dh["minutes"].as_f64().unwrap() + 20.0);
    let text = run(&["travel", "Texel", "Amsterdam"]).stdout;
    assert!(text.contains("ferry") && text.contains("TESO"), "{text}");
    // No published crossing for Terschelling; Terneuzen is across the Westerschelde.
    for place in ["Terschelling", "Terneuzen"] {
        let r = run(&["travel", place, "Utrecht"]);
        assert_ne!(r.code, 0);
        assert!(r.stderr.contains("across water"), "{}", r.stderr);
        let p = profile(place);
        assert_eq!(figure(&p, "location.minutes_den_haag"), None);
        assert_eq!(figure(&p, "location.labour_reach"), None);
    }
}

#[test]
fn government_presence_rests_on_sourced_sites() {
    let p = profile("Apeldoorn");
    let sites = p["sites"].as_array().unwrap();
    assert!(
        sites.iter().any(|s| s["organisation"] == "Kadaster"
            && s["source"].as_str().unwrap().contains("BWBR0023645")),
        "{p}"
    );
    for s in sites {
        assert!(!s["source"].as_str().unwrap().is_empty());
        assert!(["V", "N"].contains(&s["evidence"].as_str().unwrap()));
    }
    // A naval base is presence.
    assert_eq!(
        figure(&profile("Den Helder"), "location.presence_class"),
        Some(1.0)
    );
}

#[test]
fn the_scale_test_does_not_depend_on_the_site_list() {
    let dir = tempfile::tempdir().unwrap();
    let case = dir.path().join("open.toml");
    std::fs::write(
        &case,
        "[case]\nid = \"open-120\"\ntitle = \"Nieuwe dienst\"\ndescription = \"Open.\"\n\
         ministry = \"BZK\"\nsector = \"zbo\"\nkind = \"new\"\nfte = 120\n",
    )
    .unwrap();
    let r = run(&[
        "advise",
        case.to_str().unwrap(),
        "--format",
        "json",
        "--no-robustness",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    let ranked: Vec<&str> = v["ranking"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["location"].as_str().unwrap())
        .collect();
    // Zoetermeer, Emmen and Doetinchem (the seed's box-3 growth) and Amstelveen (95,000
    // inhabitants, no intercity stop, no documented site).
    for code in ["GM0637", "GM0114", "GM0222", "GM0362"] {
        assert!(ranked.contains(&code), "{code} is not ranked");
    }
    // A village with a stopping train is still out.
    let excluded: Vec<&str> = v["excluded"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["location"].as_str().unwrap())
        .collect();
    assert!(excluded.contains(&"GM0047"), "Veendam (27,520 inhabitants)");
}

#[test]
fn thematic_fit_comes_from_cbs_jobs_and_names_its_table() {
    let r = run(&["explain", "thematic-fit"]);
    assert_eq!(r.code, 0);
    assert!(r.stdout.contains("83582NED"), "{}", r.stdout);
    // The advice says which themes no sector measures.
    let r = run(&[
        "advise",
        "cases/nieuwe-zbo-energie.toml",
        "--format",
        "json",
        "--no-robustness",
    ]);
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    let notes: Vec<&str> = v["assumptions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["message_nl"].as_str().unwrap())
        .collect();
    let basis = notes
        .iter()
        .find(|n| n.contains("83582NED"))
        .expect("a note on the basis of thematic fit");
    assert!(
        basis.contains("Energie en klimaat") && basis.contains("Water en delta"),
        "{basis}"
    );
    assert!(
        basis.contains("ICT, data en digitale dienstverlening (JZ)"),
        "{basis}"
    );
    // Thematic fit differs between COROP regions of one province (Utrecht's ICT jobs).
    let fit = |loc: &str| -> f64 {
        v["ranking"]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["location"] == loc)
            .and_then(|x| {
                x["contributions"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .find(|c| c["criterion"] == "thematic-fit")
            })
            .map(|c| c["raw"].as_f64().unwrap())
            .unwrap_or(f64::NAN)
    };
    // Apeldoorn (Veluwe, CR13) and Nijmegen (Arnhem/Nijmegen, CR15) are both in Gelderland.
    let (a, b) = (fit("GM0200"), fit("GM0268"));
    assert!(a.is_finite() && b.is_finite() && a != b, "{a} vs {b}");
}

#[test]
fn bad_source_data_is_a_located_error() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    std::fs::create_dir(&data).unwrap();
    for e in std::fs::read_dir(root().join("data")).unwrap() {
        let e = e.unwrap();
        std::fs::copy(e.path(), data.join(e.file_name())).unwrap();
    }
    let check = |file: &str, from: &str, to: &str, expect: &str| {
        let path = data.join(file);
        let orig = std::fs::read_to_string(&path).unwrap();
        assert!(orig.contains(from), "{file}: {from}");
        std::fs::write(&path, orig.replacen(from, to, 1)).unwrap();
        let err = locatieadvies::generate::generate(&data)
            .unwrap_err()
            .to_string();
        assert!(err.contains(file) && err.contains(expect), "{file}: {err}");
        assert!(err.contains("line"), "{err}");
        std::fs::write(&path, orig).unwrap();
    };
    let jobs = "cbs_83582NED_banen_corop_a10_2010-2024.csv";
    check(
        jobs,
        "CR01,2010,A,0.4",
        "CR77,2010,A,0.4",
        "unknown COROP region `CR77`",
    );
    check(
        jobs,
        "CR01,2010,A,0.4",
        "CR01,2010,A,-0.4",
        "expected a count of at least 0",
    );
    check(
        "veerdiensten_sourced.csv",
        "Den Helder,Texel,20,",
        "Den Helder,Texel,twenty,",
        "expected a number",
    );
    check(
        "rijkskantoren_sourced.csv",
        "https://www.schuttevaer.nl/nieuws/actueel/2023/04/12/den-helder-wordt-voorbereid-op-nieuwe-generatie-marineschepen/",
        "",
        "has no source",
    );
}
