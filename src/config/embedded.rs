//! The shipped profiles and rules, embedded in the binary so that `advise` works from any
//! directory. A test checks that this list and the files on disk agree.

macro_rules! embed {
    ($($path:literal),* $(,)?) => {
        /// `(key, contents)` of every shipped profile and rule file, sorted by key.
        pub static EMBEDDED: &[(&str, &str)] = &[
            $( ($path, include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/", $path))), )*
        ];
    };
}

embed![
    "baseline/estimate.toml",
    "baseline/published.toml",
    "profiles/corop.toml",
    "profiles/gemeenten.toml",
    "profiles/kernkwaliteiten.toml",
    "profiles/provinces/PV20.toml",
    "profiles/provinces/PV21.toml",
    "profiles/provinces/PV22.toml",
    "profiles/provinces/PV23.toml",
    "profiles/provinces/PV24.toml",
    "profiles/provinces/PV25.toml",
    "profiles/provinces/PV26.toml",
    "profiles/provinces/PV27.toml",
    "profiles/provinces/PV28.toml",
    "profiles/provinces/PV29.toml",
    "profiles/provinces/PV30.toml",
    "profiles/provinces/PV31.toml",
    "profiles/rail/ic_links.csv",
    "profiles/rail/links.csv",
    "profiles/rail/measured.csv",
    "profiles/rail/model.toml",
    "profiles/rail/stations.csv",
    "profiles/rijksaanwezigheid.toml",
    "rules/criteria.toml",
    "rules/principles.toml",
    "rules/settings.toml",
    "rules/themes.toml",
];

macro_rules! embed_templates {
    ($($path:literal),* $(,)?) => {
        /// `(key, contents)` of every shipped template (`templates/`), sorted by key.
        pub static TEMPLATES: &[(&str, &str)] = &[
            $( ($path, include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/", $path))), )*
        ];
    };
}

embed_templates![
    "templates/advice/letter.en.md",
    "templates/advice/letter.nl.md",
    "templates/advice/remarks.en.j2",
    "templates/advice/remarks.nl.j2",
    "templates/advice/text.en.txt",
    "templates/advice/text.nl.txt",
    "templates/advice/words.en.j2",
    "templates/advice/words.nl.j2",
    "templates/explain/entry.en.txt",
    "templates/explain/list.en.txt",
    "templates/gemeente/profile.en.txt",
    "templates/ingest/summary.en.txt",
    "templates/match/infeasible.en.txt",
    "templates/match/pipeline.en.txt",
    "templates/match/pipeline.nl.md",
    "templates/match/words.j2",
    "templates/mcda/ahp.en.txt",
    "templates/mcda/rank.en.txt",
    "templates/mcda/weights.en.txt",
    "templates/register/list.en.txt",
    "templates/register/show.en.txt",
    "templates/report/annual.en.txt",
    "templates/report/annual.nl.html",
    "templates/report/annual.nl.md",
    "templates/report/words.j2",
    "templates/scenario/scenarios.en.txt",
    "templates/scenario/scenarios.nl.md",
    "templates/scenario/words.j2",
    "templates/travel/cross-validation.en.md",
    "templates/travel/cross-validation.en.txt",
    "templates/travel/journey.en.txt",
];
