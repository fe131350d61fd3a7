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
    "profiles/banen_corop.csv",
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
    "profiles/rail/ferries.csv",
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
    "templates/dashboard/advise.nl.html",
    "templates/dashboard/area.nl.html",
    "templates/dashboard/base.nl.html",
    "templates/dashboard/case.nl.html",
    "templates/dashboard/cases.nl.html",
    "templates/dashboard/deliveries.nl.html",
    "templates/dashboard/error.nl.html",
    "templates/dashboard/gemeente.nl.html",
    "templates/dashboard/overview.nl.html",
    "templates/dashboard/scenario.nl.html",
    "templates/dashboard/words.j2",
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

macro_rules! embed_examples {
    ($($path:literal),* $(,)?) => {
        /// `(key, contents)` of the example cases and scenarios the dashboard offers, sorted by
        /// key. Scenarios with an `advice` mutation name a case file and run only from the
        /// command line, so they are not here.
        pub static EXAMPLES: &[(&str, &str)] = &[
            $( ($path, include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/", $path))), )*
        ];
    };
}

embed_examples![
    "cases/beleidsdirectie-nabij-den-haag.toml",
    "cases/groei-belastingdienst-box3.toml",
    "cases/groei-rijkswaterstaat-oost.toml",
    "cases/krimp-taakstelling-rijkswaterstaat.toml",
    "cases/nieuwe-toezichthouder-digitaal.toml",
    "cases/nieuwe-zbo-energie.toml",
    "cases/scenarios/taakstelling-ienw-22-proportional.toml",
    "cases/scenarios/taakstelling-ienw-22-protect-under-served.toml",
    "cases/scenarios/taakstelling-ienw-22-randstad-first.toml",
    "cases/scenarios/verplaatsing-rws-naar-middelburg.toml",
    "cases/verplaatsing-inspectie-klein.toml",
    "cases/verplaatsing-uitvoeringsdienst-utrecht.toml",
];
