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
        19,
        "12 provinces, COROP, gemeenten, four rail tables and the fitted rail model"
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
