//! Repository checks: the generated profiles are up to date with data/, the embedded file list
//! matches the files on disk, and the committed JSON schema matches the code.

use std::path::{Path, PathBuf};

use locatieadvies::advice::model::Advice;
use locatieadvies::config::{EMBEDDED, TEMPLATES};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn generated_profiles_are_up_to_date() {
    let files = locatieadvies::generate::generate(&root().join("data")).expect("data/ reads");
    assert_eq!(
        files.len(),
        22,
        "12 provinces, COROP, gemeenten, government presence, jobs per sector, five rail tables (ferries included) and the fitted rail model"
    );
    for (rel, text) in &files {
        let on_disk =
            std::fs::read_to_string(root().join("profiles").join(rel)).unwrap_or_default();
        assert!(
            &on_disk == text,
            "profiles/{rel} is out of date: run `cargo run -- generate-profiles`"
        );
    }
}

fn files_under(dir: &Path, base: &Path, out: &mut Vec<String>) {
    files_with(dir, base, &["toml", "csv"], out);
}

fn files_with(dir: &Path, base: &Path, extensions: &[&str], out: &mut Vec<String>) {
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            files_with(&p, base, extensions, out);
        } else if p
            .extension()
            .and_then(|x| x.to_str())
            .is_some_and(|x| extensions.contains(&x))
        {
            out.push(
                p.strip_prefix(base)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/"),
            );
        }
    }
}

#[test]
fn embedded_files_match_the_repository() {
    let mut on_disk = Vec::new();
    files_under(&root().join("baseline"), &root(), &mut on_disk);
    files_under(&root().join("profiles"), &root(), &mut on_disk);
    files_under(&root().join("rules"), &root(), &mut on_disk);
    on_disk.sort();
    let embedded: Vec<String> = EMBEDDED.iter().map(|(k, _)| k.to_string()).collect();
    assert_eq!(embedded, on_disk, "update src/config/embedded.rs");
    for (k, text) in EMBEDDED {
        assert_eq!(&std::fs::read_to_string(root().join(k)).unwrap(), text);
    }
}

#[test]
fn embedded_templates_match_the_repository() {
    let mut on_disk = Vec::new();
    files_with(
        &root().join("templates"),
        &root(),
        &["md", "txt", "j2", "html"],
        &mut on_disk,
    );
    on_disk.sort();
    let embedded: Vec<String> = TEMPLATES.iter().map(|(k, _)| k.to_string()).collect();
    assert_eq!(embedded, on_disk, "update src/config/embedded.rs");
    for (k, text) in TEMPLATES {
        assert_eq!(&std::fs::read_to_string(root().join(k)).unwrap(), text);
    }
}

#[test]
fn committed_openapi_matches_the_code() {
    let text = locatieadvies::server::openapi::document();
    let path = root().join("schema/openapi.json");
    if std::env::var_os("UPDATE_SCHEMA").is_some() {
        std::fs::write(&path, &text).unwrap();
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == text,
        "schema/openapi.json differs from the code: review the change, then run `UPDATE_SCHEMA=1 cargo test --test repository`"
    );
}

#[test]
fn committed_schema_matches_the_code() {
    let schema = schemars::schema_for!(Advice);
    let text = serde_json::to_string_pretty(&schema).unwrap() + "\n";
    let path = root().join("schema/advice.schema.json");
    if std::env::var_os("UPDATE_SCHEMA").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, &text).unwrap();
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == text,
        "schema/advice.schema.json differs from the code: review the change, then run `UPDATE_SCHEMA=1 cargo test --test repository`"
    );
}

/// `publiccode.yml` holds to the publiccode.yml standard (core, version 0.4): its mandatory
/// keys, enumerated values, description lengths, category vocabulary, SPDX licence and dates.
/// (The standard's own validator is written in Go and not installable here, so the rules of
/// <https://yml.publiccode.tools/schema.core.html> are checked directly.)
#[test]
fn publiccode_yml_follows_the_standard() {
    use yaml_rust2::{Yaml, YamlLoader};
    let text = std::fs::read_to_string(root().join("publiccode.yml")).unwrap();
    let docs = YamlLoader::load_from_str(&text).expect("publiccode.yml is YAML");
    let y = &docs[0];
    let s = |v: &Yaml| v.as_str().map(str::to_string);
    let mut problems = Vec::new();
    let mut need = |ok: bool, what: &str| {
        if !ok {
            problems.push(what.to_string());
        }
    };
    need(
        s(&y["publiccodeYmlVersion"]).as_deref() == Some("0.4"),
        "publiccodeYmlVersion 0.4",
    );
    need(s(&y["name"]).is_some_and(|n| !n.is_empty()), "name");
    need(
        s(&y["url"]).is_some_and(|u| u.starts_with("https://")),
        "url (https)",
    );
    need(
        y["platforms"].as_vec().is_some_and(|p| !p.is_empty()),
        "platforms",
    );
    // The controlled vocabulary of categories (categories-list of the standard), in part.
    let categories = [
        "business-intelligence",
        "data-analytics",
        "data-visualization",
        "geographic-information-systems",
        "it-development",
        "knowledge-management",
        "workflow-management",
    ];
    need(
        y["categories"].as_vec().is_some_and(|c| {
            !c.is_empty()
                && c.iter()
                    .all(|x| s(x).is_some_and(|x| categories.contains(&x.as_str())))
        }),
        "categories from the standard's list",
    );
    let status = ["concept", "development", "beta", "stable", "obsolete"];
    need(
        s(&y["developmentStatus"]).is_some_and(|v| status.contains(&v.as_str())),
        "developmentStatus",
    );
    let types = [
        "standalone/mobile",
        "standalone/iot",
        "standalone/desktop",
        "standalone/web",
        "standalone/backend",
        "standalone/other",
        "addon",
        "library",
        "configurationFiles",
    ];
    need(
        s(&y["softwareType"]).is_some_and(|v| types.contains(&v.as_str())),
        "softwareType",
    );
    let descriptions = y["description"].as_hash().expect("a description section");
    need(
        !descriptions.is_empty(),
        "at least one description language",
    );
    for (lang, d) in descriptions {
        let lang = s(lang).unwrap_or_default();
        let short = s(&d["shortDescription"]).unwrap_or_default();
        need(
            !short.is_empty() && short.chars().count() <= 150,
            &format!("{lang}: shortDescription of 1 to 150 characters"),
        );
        let long = s(&d["longDescription"]).unwrap_or_default().chars().count();
        need(
            (150..=10_000).contains(&long),
            &format!("{lang}: longDescription of 150 to 10,000 characters"),
        );
        need(
            d["features"].as_vec().is_some_and(|f| !f.is_empty()),
            &format!("{lang}: features"),
        );
    }
    // The licence is the one in LICENSE and Cargo.toml.
    need(
        s(&y["legal"]["license"]).as_deref() == Some("EUPL-1.2"),
        "legal.license EUPL-1.2",
    );
    let maintenance = s(&y["maintenance"]["type"]).unwrap_or_default();
    need(
        ["internal", "contract", "community", "none"].contains(&maintenance.as_str()),
        "maintenance.type",
    );
    if maintenance == "internal" || maintenance == "community" {
        need(
            y["maintenance"]["contacts"]
                .as_vec()
                .is_some_and(|c| !c.is_empty() && c.iter().all(|c| s(&c["name"]).is_some())),
            "maintenance.contacts with a name each",
        );
    }
    need(
        y["localisation"]["localisationReady"].as_bool().is_some(),
        "localisation.localisationReady",
    );
    need(
        y["localisation"]["availableLanguages"]
            .as_vec()
            .is_some_and(|l| !l.is_empty()),
        "localisation.availableLanguages",
    );
    let version = s(&y["softwareVersion"]).unwrap_or_default();
    need(
        version == env!("CARGO_PKG_VERSION"),
        "softwareVersion equal to Cargo.toml's version",
    );
    assert!(problems.is_empty(), "publiccode.yml: {problems:?}");
}

/// The README's input limits state the values `src/limits.rs` enforces.
#[test]
fn readme_input_limits_match_the_code() {
    use locatieadvies::limits::*;
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let start = readme
        .find("### Input limits")
        .expect("an input limits section");
    let section = &readme[start..];
    let section = &section[..section.find("\n## ").unwrap_or(section.len())];
    let mib = DEFAULT_MAX_INPUT_BYTES / (1024 * 1024);
    for stated in [
        format!("to {}", count(FTE_MAX as usize)),
        format!("up to {} FTE", count(ROW_FTE_PLAUSIBLE as usize)),
        format!("0 to {}", count(WEIGHT_MAX as usize)),
        format!("0 to {}", count(MINUTES_MAX as usize)),
        format!("up to 10^{}", MATRIX_MAX.log10().round()),
        format!("1/{max} to {max}", max = count(AHP_MAX as usize)),
        format!("at most {} alternatives", count(PROMETHEE_MAX_ROWS)),
        format!("at most {mib} MiB"),
        format!("up to {MAX_PROBLEMS_SHOWN}"),
        format!("longer than {SNIPPET_WIDTH}"),
    ] {
        assert!(
            section.contains(&stated),
            "README's input limits do not say `{stated}`"
        );
    }
}
