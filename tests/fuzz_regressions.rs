//! Every committed fuzz input runs through its target again: the corpus each fuzz target built
//! (`fuzz/corpus/<target>/`, minimised) and every input that once crashed it
//! (`fuzz/artifacts/<target>/`). A crash found once stays fixed; see `fuzz/README.md`.

use std::path::{Path, PathBuf};

use locatieadvies::fuzz::{TARGETS, run};

fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.flatten()
                .map(|e| e.path())
                .filter(|p| p.is_file())
                .collect()
        })
        .unwrap_or_default();
    out.sort();
    out
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz")
}

/// Runs every file of `kind` (`corpus` or `artifacts`) through its target, the targets side by
/// side on the machine's cores; returns how many.
fn replay(kind: &str) -> usize {
    let per_target = |t: &str| {
        let mut n = 0;
        for f in files(&root().join(kind).join(t)) {
            let data = std::fs::read(&f).unwrap();
            let ok = std::panic::catch_unwind(|| run(t, &data));
            assert!(
                matches!(ok, Ok(true)),
                "fuzz target `{t}` panics on {}",
                f.display()
            );
            n += 1;
        }
        n
    };
    std::thread::scope(|s| {
        let handles: Vec<_> = TARGETS
            .iter()
            .map(|t| s.spawn(move || per_target(t)))
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).sum()
    })
}

#[test]
fn every_crash_found_by_fuzzing_stays_fixed() {
    let n = replay("artifacts");
    assert!(
        n >= 1,
        "the reproducers are committed under fuzz/artifacts/"
    );
}

#[test]
fn the_fuzz_corpus_runs_without_a_panic() {
    let n = replay("corpus");
    // Every target has a corpus (at least its seeds).
    for t in TARGETS {
        assert!(
            !files(&root().join("corpus").join(t)).is_empty(),
            "no corpus for fuzz target `{t}`"
        );
    }
    assert!(n >= TARGETS.len());
}

/// The reproducers found so far, by what they broke, so each finding has a test by name.
#[test]
fn a_non_ascii_gemeente_code_gets_a_suggestion_not_a_panic() {
    // A candidate `GǾp9M9`: the "did you mean" cut the code after two bytes, inside `Ǿ`.
    let case = "[case]\nid = \"x\"\ntitle = \"x\"\nministry = \"BZK\"\nsector = \"ministeries\"\n\
                kind = \"new\"\nfte = 120\ncandidates = [\"GǾp9M9\"]\n";
    assert!(run("case", case.as_bytes()));
}
