//! Loading input files: the profile and rule files (embedded defaults or a directory) and case
//! files, in two phases. Phase one deserialises raw structs with spans (`raw`), reporting syntax
//! errors, unknown keys and wrong types; phase two (`world`, `case`) checks meaning (ranges,
//! duplicates, references) and builds the validated [`crate::model`]. All problems of a load are
//! collected and reported together.

mod case;
mod checker;
pub(crate) mod embedded;
mod ferries;
mod jobs;
pub(crate) mod raw;
mod world;

use std::path::Path;

use serde::de::DeserializeOwned;
use sha2::{Digest, Sha256};

use crate::diag::{Diagnostic, Diagnostics};

pub(crate) use case::check_raw_case;
pub use case::{check_case, load_case};
pub(crate) use case::{fte_expected, fte_problem};
pub(crate) use checker::Checker;
pub use embedded::{EMBEDDED, TEMPLATES};
pub(crate) use raw::PreferenceRaw;
pub use world::load_world;
pub(crate) use world::preference;

/// One input file's text, with the name it is shown under.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Path relative to its root, with `/` separators, e.g. `rules/criteria.toml`.
    pub key: String,
    /// Name shown in diagnostics.
    pub display: String,
    pub text: String,
}

/// Where the profiles and rules come from.
#[derive(Debug, Clone, Default)]
pub struct SourceOptions {
    /// Directory that replaces the embedded `profiles/`.
    pub profiles: Option<std::path::PathBuf>,
    /// Directory that replaces the embedded `rules/`.
    pub rules: Option<std::path::PathBuf>,
    /// Directory that replaces the embedded `baseline/` (published figures, estimate model).
    pub baseline: Option<std::path::PathBuf>,
    /// Directory whose templates replace the embedded ones of the same name (`templates/`).
    pub templates: Option<std::path::PathBuf>,
}

/// The files that make up the profiles and rules, sorted by key.
#[derive(Debug, Clone, Default)]
pub struct Sources {
    pub files: Vec<SourceFile>,
}

impl Sources {
    /// The file with this key, if loaded.
    pub fn get(&self, key: &str) -> Option<&SourceFile> {
        self.files.iter().find(|f| f.key == key)
    }

    /// Files whose key starts with `prefix`.
    pub fn under<'a>(&'a self, prefix: &'a str) -> impl Iterator<Item = &'a SourceFile> + 'a {
        self.files.iter().filter(move |f| f.key.starts_with(prefix))
    }

    /// SHA-256 over every file's key and text, in key order.
    pub fn digest(&self) -> String {
        let mut h = Sha256::new();
        for f in &self.files {
            h.update(f.key.as_bytes());
            h.update([0]);
            h.update(f.text.as_bytes());
            h.update([0]);
        }
        hex(&h.finalize())
    }
}

/// Lower-case hexadecimal.
pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Reads a file as UTF-8, turning every failure into a diagnostic. Only regular files are read
/// (not a device, a pipe or a directory), and at most [`crate::limits::max_input_bytes`]
/// bytes: a larger file is refused before it is read.
pub fn read_text(path: &Path, diags: &mut Diagnostics) -> Option<String> {
    let shown = path.display().to_string();
    let bytes = match read_bounded(path) {
        Ok(b) => b,
        Err(Refused::NotRegular(what)) => {
            diags.push(
                Diagnostic::file(
                    "unreadable-file",
                    &shown,
                    format!("`{shown}` is {what}, not a regular file"),
                )
                .expected("a regular text file"),
            );
            return None;
        }
        Err(Refused::TooLarge(size)) => {
            diags.push(too_large(&shown, size));
            return None;
        }
        Err(Refused::Io(e)) => {
            let what = match e.kind() {
                std::io::ErrorKind::NotFound => "file not found".to_string(),
                std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
                _ => format!("cannot read file: {e}"),
            };
            diags.push(
                Diagnostic::file("unreadable-file", &shown, what)
                    .expected("a readable UTF-8 text file"),
            );
            return None;
        }
    };
    match String::from_utf8(bytes) {
        Ok(s) => Some(s),
        Err(e) => {
            let good = e.utf8_error().valid_up_to();
            let lossy = String::from_utf8_lossy(e.as_bytes()).into_owned();
            let prefix = String::from_utf8_lossy(&e.as_bytes()[..good]).into_owned();
            let mut d = Diagnostic::at(
                "not-utf8",
                &shown,
                &lossy,
                prefix.len()..prefix.len() + 1,
                format!("invalid UTF-8 at byte {good}"),
            );
            d = d
                .expected("a UTF-8 encoded text file")
                .help("save the file as UTF-8");
            diags.push(d);
            None
        }
    }
}

/// The problem with a file above the input limit (its size, when known).
fn too_large(shown: &str, size: Option<u64>) -> Diagnostic {
    let limit = crate::limits::count(crate::limits::max_input_bytes() as usize);
    let this = size
        .map(|s| format!(" (this one has {})", crate::limits::count(s as usize)))
        .unwrap_or_default();
    Diagnostic::file(
        "file-too-large",
        shown,
        format!("the file is larger than {limit} bytes"),
    )
    .expected(format!("an input file of at most {limit} bytes{this}"))
    .help("if the file is meant to be this large, raise the limit with `--max-input-size BYTES`")
}

/// Why a file was not read.
enum Refused {
    /// A directory, device, pipe or socket (what it is).
    NotRegular(&'static str),
    /// Larger than the limit (its size, when known).
    TooLarge(Option<u64>),
    Io(std::io::Error),
}

/// The bytes of a regular file of at most the input limit.
fn read_bounded(path: &Path) -> Result<Vec<u8>, Refused> {
    use std::io::Read;
    let file = std::fs::File::open(path).map_err(Refused::Io)?;
    let meta = file.metadata().map_err(Refused::Io)?;
    if !meta.is_file() {
        return Err(Refused::NotRegular(if meta.is_dir() {
            "a directory"
        } else {
            "a device, pipe or socket"
        }));
    }
    let limit = crate::limits::max_input_bytes();
    if meta.len() > limit {
        return Err(Refused::TooLarge(Some(meta.len())));
    }
    // The file may grow while it is read: never take more than the limit.
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(Refused::Io)?;
    if bytes.len() as u64 > limit {
        return Err(Refused::TooLarge(None));
    }
    Ok(bytes)
}

impl Sources {
    /// Loads the embedded defaults, with `profiles/` or `rules/` replaced by directories when the
    /// options name them.
    pub fn load(opts: &SourceOptions, diags: &mut Diagnostics) -> Sources {
        let mut files = Vec::new();
        for (root, dir) in [
            ("baseline", &opts.baseline),
            ("profiles", &opts.profiles),
            ("rules", &opts.rules),
        ] {
            match dir {
                None => {
                    for (key, text) in EMBEDDED.iter().filter(|(k, _)| k.starts_with(root)) {
                        files.push(SourceFile {
                            key: key.to_string(),
                            display: format!("<embedded>/{key}"),
                            text: text.to_string(),
                        });
                    }
                }
                Some(dir) => {
                    if !dir.is_dir() {
                        diags.push(not_a_directory(dir, root));
                        continue;
                    }
                    let mut found = Vec::new();
                    collect(dir, dir, &mut found);
                    found.sort();
                    for rel in found {
                        let path = dir.join(&rel);
                        if let Some(text) = read_text(&path, diags) {
                            files.push(SourceFile {
                                key: format!("{root}/{rel}"),
                                display: path.display().to_string(),
                                text,
                            });
                        }
                    }
                }
            }
        }
        files.sort_by(|a, b| a.key.cmp(&b.key));
        Sources { files }
    }
}

/// Collects `.toml` and `.csv` files below `dir`, as `/`-separated paths relative to `root`.
pub(crate) fn collect(root: &Path, dir: &Path, out: &mut Vec<String>) {
    collect_with(root, dir, Some(&["toml", "csv"]), out);
}

/// Collects the files below `dir` with one of `extensions` (every file but hidden ones when
/// `None`), as `/`-separated paths relative to `root`.
pub(crate) fn collect_with(
    root: &Path,
    dir: &Path,
    extensions: Option<&[&str]>,
    out: &mut Vec<String>,
) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    for e in rd.flatten() {
        let p = e.path();
        let hidden = p
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with('.'));
        if hidden {
            continue;
        }
        if p.is_dir() {
            collect_with(root, &p, extensions, out);
        } else if extensions.is_none_or(|ext| {
            p.extension()
                .and_then(|x| x.to_str())
                .is_some_and(|x| ext.contains(&x))
        }) && let Ok(rel) = p.strip_prefix(root)
        {
            out.push(
                rel.components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect::<Vec<_>>()
                    .join("/"),
            );
        }
    }
}

/// Parses TOML into `T`, turning a syntax or type error into a diagnostic with its position.
pub(crate) fn parse_toml<T: DeserializeOwned>(
    file: &SourceFile,
    diags: &mut Diagnostics,
) -> Option<T> {
    match toml::from_str::<T>(&file.text) {
        Ok(v) => Some(v),
        Err(e) => {
            let span = e.span().unwrap_or(0..0);
            let message = e.message().trim().to_string();
            let mut d = Diagnostic::at("invalid-toml", &file.display, &file.text, span.clone(), "");
            // serde's "unknown field `x`, expected one of `a`, `b`" gets a did-you-mean.
            if let Some(rest) = message.strip_prefix("unknown field `") {
                let given = rest.split('`').next().unwrap_or("");
                let expected: Vec<&str> = rest
                    .split("expected")
                    .nth(1)
                    .map(|s| s.split('`').skip(1).step_by(2).collect())
                    .unwrap_or_default();
                d.code = "unknown-key";
                d.message = format!("unknown key `{given}`");
                d = d.expected(format!(
                    "one of {}",
                    expected
                        .iter()
                        .map(|e| format!("`{e}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ));
                d = d.suggest(given, expected.iter().copied());
            } else if let Some(rest) = message.strip_prefix("missing field `") {
                let key = rest.split('`').next().unwrap_or("");
                d.code = "missing-key";
                d.message = format!("missing key `{key}`");
                d = d.expected(format!("a value for `{key}` in this table"));
            } else if let Some(rest) = message.strip_prefix("invalid type: ") {
                d.code = "wrong-type";
                let (got, wanted) = rest.split_once(", expected ").unwrap_or((rest, ""));
                d.message = format!("wrong type: {} found", plain_got(got));
                if !wanted.is_empty() {
                    d = d.expected(plain_type(wanted));
                }
            } else if message.starts_with("invalid length") {
                // A list where a table belongs (`preference = []`).
                d.code = "wrong-type";
                d.message = "wrong type: a list found".into();
                d = d.expected(plain_type(
                    message.split(", expected ").nth(1).unwrap_or(""),
                ));
            } else if message.starts_with("invalid value") {
                d.code = "wrong-type";
                d.message = plain_words(&message.replace(", expected", "; expected"));
            } else {
                d.message = plain_words(&message);
            }
            diags.push(d);
            None
        }
    }
}

/// serde's name of the type a key wants, in the words of a case-file author: `f64` is "a
/// number", a struct "a table".
fn plain_type(wanted: &str) -> String {
    let w = wanted.trim();
    match w {
        "f64" | "f32" => "a number".into(),
        "i64" | "i32" | "i16" | "i8" | "u64" | "u32" | "u16" | "u8" | "usize" | "isize" => {
            "a whole number".into()
        }
        "a boolean" => "true or false".into(),
        "a string" => "text in quotes".into(),
        "a sequence" => "a list in square brackets".into(),
        "a map" => "a table".into(),
        _ if w.starts_with("struct ") => "a table".into(),
        _ if w.starts_with("a sequence") => "a list in square brackets".into(),
        other => other.into(),
    }
}

/// A serde message with its Rust type names in plain words: `struct PreferenceRaw` is "a
/// table", `f64` "a number", `as i128` (a whole number too large for the type) is dropped.
fn plain_words(message: &str) -> String {
    let mut out: Vec<String> = Vec::new();
    let mut words = message.split(' ').peekable();
    while let Some(w) = words.next() {
        let bare = w.trim_end_matches([',', ';', '.']);
        let tail = &w[bare.len()..];
        if (bare == "struct" || bare == "enum") && words.peek().is_some() {
            let name = words.next().unwrap_or_default();
            let rest = &name[name.trim_end_matches([',', ';', '.']).len()..];
            let what = if bare == "struct" {
                "a table"
            } else {
                "one of the named values"
            };
            out.push(format!("{what}{rest}"));
        } else if bare == "as" && words.peek().is_some_and(|n| is_rust_number(n)) {
            let n = words.next().unwrap_or_default();
            out.push(n[n.trim_end_matches([',', ';', '.']).len()..].to_string());
        } else if is_rust_number(bare) {
            out.push(format!("{}{tail}", plain_type(bare)));
        } else {
            out.push(w.to_string());
        }
    }
    out.join(" ").replace(" ,", ",").replace(" ;", ";")
}

/// `f64`, `i128`, `u32`, ... (a Rust number type, possibly in backticks).
fn is_rust_number(w: &str) -> bool {
    let w = w.trim_matches(['`', ',', ';', '.']);
    matches!(w.as_bytes().first(), Some(b'f' | b'i' | b'u'))
        && w.len() > 1
        && (w[1..].bytes().all(|b| b.is_ascii_digit()) || &w[1..] == "size")
}

/// serde's description of the value found, in plain words: `string "veel"` is the text "veel".
fn plain_got(got: &str) -> String {
    let got = plain_words(got);
    let g = got.trim().trim_end_matches('`').trim();
    if let Some(v) = g.strip_prefix("string ") {
        format!("the text {v}")
    } else if let Some(v) = g.strip_prefix("integer ") {
        format!("the whole number {}", v.trim().trim_matches('`'))
    } else if let Some(v) = g.strip_prefix("floating point ") {
        format!("the number {}", v.trim_matches('`'))
    } else if let Some(v) = g.strip_prefix("boolean ") {
        format!("`{}`", v.trim_matches('`'))
    } else if g == "sequence" {
        "a list".into()
    } else if g == "map" {
        "a table".into()
    } else {
        g.into()
    }
}

/// `dir`, given for the shipped `root/`, is not a directory.
pub(crate) fn not_a_directory(dir: &Path, root: &str) -> Diagnostic {
    Diagnostic::file(
        "unreadable-file",
        &dir.display().to_string(),
        format!("`{}` is not a directory", dir.display()),
    )
    .expected(format!("a directory laid out like the shipped `{root}/`"))
}

#[cfg(test)]
mod plain_words {
    use super::{plain_got, plain_type, plain_words};

    #[test]
    fn type_names_are_the_users_words() {
        assert_eq!(plain_type("f64"), "a number");
        assert_eq!(plain_type("u32"), "a whole number");
        assert_eq!(plain_type("struct CaseRaw"), "a table");
        assert_eq!(plain_type("a boolean"), "true or false");
        assert_eq!(plain_got("string \"veel\""), "the text \"veel\"");
        assert_eq!(plain_got("integer `3`"), "the whole number 3");
        assert_eq!(
            plain_got("integer `99999999999999999999` as i128"),
            "the whole number 99999999999999999999"
        );
        assert_eq!(
            plain_words("invalid length 0, expected struct PreferenceRaw with 4 elements"),
            "invalid length 0, expected a table with 4 elements"
        );
        assert_eq!(plain_words("expected f64"), "expected a number");
    }
}
