//! Helpers shared by the integration tests: running the binary, copying the shipped rules or
//! profiles into a temporary directory with an edit.

#![allow(dead_code)]

pub mod server;

use std::path::{Path, PathBuf};
use std::process::Command;

/// Exit code, stdout and stderr of one run.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// Exit code and both streams in one text, for snapshots; `tmp` is replaced by `[TMP]`.
    pub fn snapshot(&self, tmp: Option<&Path>) -> String {
        let mut s = format!(
            "exit code: {}\n--- stdout\n{}--- stderr\n{}",
            self.code, self.stdout, self.stderr
        );
        if let Some(t) = tmp {
            s = s.replace(&t.display().to_string(), "[TMP]");
        }
        s
    }
}

/// The names of the files in `dir` (relative to the repository), sorted.
pub fn file_names(dir: &str) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(root().join(dir))
        .unwrap_or_else(|e| panic!("{dir}: {e}"))
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

/// The crate root; tests run the binary from here so relative paths in output are stable.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs the binary with `args` in the crate root.
pub fn run(args: &[&str]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_locatieadvies"))
        .args(args)
        .current_dir(root())
        .env_remove("LOCATIEADVIES_LOG")
        .output()
        .expect("the binary runs");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8(out.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(out.stderr).expect("stderr is UTF-8"),
    }
}

/// Copies the shipped `dir` (`rules` or `profiles`) into a new temporary directory, then
/// replaces `from` by `to` in `file` (relative to `dir`). Panics when `from` is absent, so a
/// test cannot silently stop testing what it claims.
pub fn edited_copy(dir: &str, file: &str, from: &str, to: &str) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().expect("temp dir");
    copy_dir(&root().join(dir), tmp.path());
    let path = tmp.path().join(file);
    let text = std::fs::read_to_string(&path).expect("file to edit exists");
    assert!(text.contains(from), "`{from}` not found in {file}");
    std::fs::write(&path, text.replacen(from, to, 1)).expect("write edited file");
    tmp
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create dir");
    for e in std::fs::read_dir(from).expect("read dir").flatten() {
        let p = e.path();
        let target = to.join(e.file_name());
        if p.is_dir() {
            copy_dir(&p, &target);
        } else {
            std::fs::copy(&p, &target).expect("copy file");
        }
    }
}

/// The engine on the shipped world, loaded once per test binary.
pub fn engine() -> &'static locatieadvies::advice::Engine {
    use locatieadvies::config::{SourceOptions, Sources, load_world};
    static E: std::sync::OnceLock<locatieadvies::advice::Engine> = std::sync::OnceLock::new();
    E.get_or_init(|| {
        let mut d = locatieadvies::diag::Diagnostics::default();
        let s = Sources::load(&SourceOptions::default(), &mut d);
        let w = load_world(&s, &mut d).expect("shipped world is valid");
        assert!(d.is_empty(), "{}", d.render());
        locatieadvies::advice::Engine::new(w)
    })
}

/// A case from its TOML text, checked against the shipped world; it must be valid.
pub fn case(text: &str) -> locatieadvies::model::Case {
    let mut d = locatieadvies::diag::Diagnostics::default();
    let f = locatieadvies::config::SourceFile {
        key: "test.toml".into(),
        display: "test.toml".into(),
        text: text.into(),
    };
    let c = locatieadvies::config::check_case(&f, &engine().world, &mut d);
    assert!(d.is_empty(), "{}", d.render());
    c.expect("valid case")
}

/// A shipped example case from `cases/`.
pub fn shipped(name: &str) -> locatieadvies::model::Case {
    let path = format!("{}/cases/{name}.toml", env!("CARGO_MANIFEST_DIR"));
    case(&std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}")))
}
