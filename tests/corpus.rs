//! The bad-input corpus: every file under `tests/corpus/<loader>/` is a broken input with an
//! expectation file next to it (`<name>.expect`): the command to run it with (`{file}` is the
//! file, `{dir}` a copy of the shipped `rules/` or `profiles/` with `replaces` swapped for it),
//! the exit code, the location of the first problem (`line:column`, empty for a problem with
//! the whole file), its code, and what else the messages must say. One test runs them all, so
//! adding a case is adding two files.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde::Deserialize;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Expect {
    args: Vec<String>,
    exit: i32,
    at: String,
    code: String,
    #[serde(default)]
    contains: Vec<String>,
    replaces: Option<String>,
    max_stderr_bytes: Option<usize>,
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A copy of the shipped `which/` directory (rules or profiles) with `rel` replaced by `file`.
fn replaced_copy(which: &str, rel: &str, file: &Path, tmp: &Path) -> PathBuf {
    let dir = tmp.join(which);
    copy_dir(&root().join(which), &dir);
    std::fs::copy(file, dir.join(rel)).unwrap();
    dir
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            copy_dir(&p, &to.join(e.file_name()));
        } else {
            std::fs::copy(&p, to.join(e.file_name())).unwrap();
        }
    }
}

/// Runs one corpus file; the problems with it, if any.
fn check(loader: &str, file: &Path) -> Vec<String> {
    let expect_path = PathBuf::from(format!("{}.expect", file.display()));
    let text = std::fs::read_to_string(&expect_path)
        .unwrap_or_else(|_| panic!("{} has no expectation file", file.display()));
    let e: Expect =
        toml::from_str(&text).unwrap_or_else(|err| panic!("{}: {err}", expect_path.display()));
    let tmp = tempfile::tempdir().unwrap();
    let rel = file
        .strip_prefix(root())
        .unwrap()
        .to_str()
        .unwrap()
        .to_string();
    let dir = e
        .replaces
        .as_ref()
        .map(|r| replaced_copy(loader, r, file, tmp.path()));
    let args: Vec<String> = e
        .args
        .iter()
        .map(|a| {
            let a = a.replace("{file}", &rel);
            match &dir {
                Some(d) => a.replace("{dir}", d.to_str().unwrap()),
                None => a,
            }
        })
        .collect();
    let out = Command::new(env!("CARGO_BIN_EXE_locatieadvies"))
        .args(&args)
        .current_dir(root())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    let mut problems = Vec::new();
    let mut need = |ok: bool, what: String| {
        if !ok {
            problems.push(what);
        }
    };
    need(
        out.status.code() == Some(e.exit),
        format!("exit {:?}, expected {}", out.status.code(), e.exit),
    );
    need(!stderr.contains("panicked"), "a panic".into());
    let first = stderr.lines().find(|l| l.starts_with("error"));
    need(
        first.is_some_and(|l| l.starts_with(&format!("error[{}]", e.code))),
        format!("first problem {first:?}, expected code `{}`", e.code),
    );
    if !e.at.is_empty() {
        let shown = match &e.replaces {
            Some(r) => format!("{r}:{}", e.at),
            None => format!("{rel}:{}", e.at),
        };
        let location = stderr.lines().find(|l| l.trim_start().starts_with("-->"));
        need(
            location.is_some_and(|l| l.ends_with(&shown)),
            format!("first location {location:?}, expected `{shown}`"),
        );
    }
    for c in &e.contains {
        need(
            stderr.contains(c.as_str()),
            format!("no `{c}` in the messages"),
        );
    }
    let max = e.max_stderr_bytes.unwrap_or(64 * 1024);
    need(
        stderr.len() <= max,
        format!("{} bytes of messages, more than {max}", stderr.len()),
    );
    if !problems.is_empty() {
        problems.push(format!("stderr was:\n{stderr}"));
    }
    problems
}

#[test]
fn every_bad_input_in_the_corpus_gets_its_located_error() {
    let mut files = Vec::new();
    for loader in std::fs::read_dir(root().join("tests/corpus"))
        .unwrap()
        .flatten()
    {
        for f in std::fs::read_dir(loader.path()).unwrap().flatten() {
            let p = f.path();
            if p.extension().is_some_and(|x| x != "expect") {
                files.push((loader.file_name().to_string_lossy().to_string(), p));
            }
        }
    }
    files.sort();
    assert!(files.len() >= 60, "the corpus has {} files", files.len());
    let mut failures = Vec::new();
    for (loader, f) in &files {
        let p = check(loader, f);
        if !p.is_empty() {
            failures.push(format!("{}:\n  {}", f.display(), p.join("\n  ")));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} corpus files fail:\n{}",
        failures.len(),
        files.len(),
        failures.join("\n\n")
    );
}
