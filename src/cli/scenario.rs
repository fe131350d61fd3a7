//! `scenario <file.toml...>`: apply mutations to a baseline and compare scenarios side by side.

use std::fmt::Write as _;
use std::path::PathBuf;

use super::{EXIT_INVALID, out, world_or_report};
use crate::baseline::fit::fit;
use crate::baseline::{Baseline, estimate, ingest::ingest};
use crate::config::SourceOptions;
use crate::diag::{Diagnostic, Diagnostics};
use crate::engine::Engine;
use crate::report::num;
use crate::scenario::{Outcome, apply, diagnostic, load};

/// Output format of `scenario`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ScenarioFormat {
    Text,
    Json,
    Markdown,
}

/// Arguments of `scenario`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Scenario files (TOML); several are compared side by side.
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// Delivery files to use as the baseline instead of the model estimate of the scenario's
    /// `baseline_year`.
    #[arg(long)]
    pub deliveries: Vec<PathBuf>,
    #[arg(long, value_enum, default_value_t = ScenarioFormat::Text)]
    pub format: ScenarioFormat,
}

/// Runs `scenario`.
pub fn run(args: &Args, opts: &SourceOptions) -> u8 {
    let world = match world_or_report(opts) {
        Ok(w) => w,
        Err(c) => return c,
    };
    let mut diags = Diagnostics::default();
    let scenarios: Vec<_> = args
        .files
        .iter()
        .filter_map(|f| load(f, &world, &mut diags))
        .collect();
    let delivered: Option<Baseline> = if args.deliveries.is_empty() {
        None
    } else {
        let paths: Vec<&std::path::Path> = args.deliveries.iter().map(PathBuf::as_path).collect();
        ingest(&paths, &world, &mut diags)
    };
    if !diags.is_empty() {
        eprint!("{}", diags.render());
        return EXIT_INVALID;
    }
    let engine = scenarios
        .iter()
        .any(|s| {
            s.mutations
                .iter()
                .any(|m| matches!(m, crate::scenario::Mutation::Advice { .. }))
        })
        .then(|| Engine::new(world.clone()));
    // The model baseline is fitted once, when a scenario needs it.
    let fitted = if delivered.is_none() && !scenarios.is_empty() {
        match fit(&world) {
            Ok(f) => Some(f),
            Err(e) => {
                eprintln!("error: {e}");
                return super::EXIT_FAILURE;
            }
        }
    } else {
        None
    };
    let mut outcomes = Vec::new();
    for s in &scenarios {
        let base = match (&delivered, &fitted) {
            (Some(b), _) => b.clone(),
            (None, None) => continue,
            (None, Some(f)) => match estimate(&world, f, s.baseline_year) {
                Ok(b) => b,
                Err(e) => {
                    diags.push(Diagnostic::file("invalid-scenario", &s.file, e));
                    continue;
                }
            },
        };
        match apply(&world, engine.as_ref(), &base, s) {
            Ok(o) => outcomes.push(o),
            Err(e) => diags.push(diagnostic(&e)),
        }
    }
    if !diags.is_empty() {
        eprint!("{}", diags.render());
        return EXIT_INVALID;
    }
    let text = match args.format {
        ScenarioFormat::Json => {
            serde_json::to_string_pretty(&serde_json::json!({ "scenarios": outcomes }))
                .expect("serialises")
                + "\n"
        }
        ScenarioFormat::Text => {
            let mut s = outcomes.iter().map(render).collect::<Vec<_>>().join("\n");
            if outcomes.len() > 1 {
                s.push_str(&compare(&outcomes));
            }
            s
        }
        ScenarioFormat::Markdown => markdown(&outcomes),
    };
    out(&text)
}

fn est(o: &Outcome) -> &'static str {
    if o.estimate {
        " (ESTIMATE: model baseline fitted to published figures)"
    } else {
        ""
    }
}

/// A check's verdict as shown: its status, the share that complies and whether it is estimated.
fn verdict(c: &crate::scenario::Check, estimate_word: &str) -> String {
    let mut v = c.status.clone();
    if let (Some(share), "partly") = (c.share, c.status.as_str()) {
        v.push_str(&format!(" {:.0}%", share * 100.0));
    }
    if c.estimate {
        v.push_str(", ");
        v.push_str(estimate_word);
    }
    v
}

/// One scenario as text.
fn render(o: &Outcome) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "Scenario {}: {}", o.id, o.title);
    if let Some(d) = &o.description {
        let _ = writeln!(s, "{d}");
    }
    let _ = writeln!(s, "baseline   1 January {}{}", o.baseline_year, est(o));
    let _ = writeln!(
        s,
        "total      {} -> {} FTE ({:+.1})",
        num(o.total_before, 1),
        num(o.total_after, 1),
        o.total_after - o.total_before
    );
    let _ = writeln!(
        s,
        "Randstad   {:.2}% -> {:.2}% of FTE{}",
        o.randstad_share_before * 100.0,
        o.randstad_share_after * 100.0,
        est(o)
    );
    let _ = writeln!(
        s,
        "Theil      {:.5} -> {:.5} (FTE against population across provinces; 0 = spread like the population){}",
        o.theil_before,
        o.theil_after,
        est(o)
    );
    s.push_str("\nMutations:\n");
    for m in &o.mutations {
        let _ = writeln!(s, "  {}. {}", m.index, m.description);
        for c in &m.checks {
            let _ = writeln!(
                s,
                "       [{}] {}: {}",
                verdict(c, "ESTIMATE"),
                c.principle,
                c.message
            );
        }
    }
    if !o.reportable_moves.is_empty() {
        s.push_str("\nCross-province moves to report (50 FTE or more):\n");
        for r in &o.reportable_moves {
            let _ = writeln!(
                s,
                "  {} FTE of `{}`: {} ({}) -> {} ({})",
                num(r.fte, 1),
                r.unit,
                r.from,
                r.from_province,
                r.to,
                r.to_province
            );
        }
    }
    for (title, rows) in [
        ("province", &o.by_province),
        ("sector", &o.by_sector),
        ("ministry", &o.by_ministry),
    ] {
        let _ = writeln!(s, "\nPer {title}{}:", est(o));
        let _ = writeln!(
            s,
            "  {:<18} {:>11} {:>11} {:>9}",
            "", "before", "after", "delta"
        );
        for l in rows.iter() {
            let _ = writeln!(
                s,
                "  {:<18} {:>11.1} {:>11.1} {:>+9.1}",
                l.name.chars().take(18).collect::<String>(),
                l.before,
                l.after,
                l.delta
            );
        }
    }
    s
}

/// Several scenarios side by side.
fn compare(outcomes: &[Outcome]) -> String {
    let mut s = String::from("\nComparison:\n");
    if outcomes.iter().any(|o| o.estimate) {
        s.push_str(
            "  (ESTIMATE: figures rest on the model baseline fitted to published figures)\n",
        );
    }
    for (i, o) in outcomes.iter().enumerate() {
        let _ = writeln!(s, "  [{}] {}", i + 1, o.id);
    }
    let _ = write!(s, "  {:<22}", "");
    for i in 0..outcomes.len() {
        let _ = write!(s, " {:>16}", format!("[{}]", i + 1));
    }
    s.push('\n');
    let row = |s: &mut String, label: &str, f: &dyn Fn(&Outcome) -> String| {
        let _ = write!(s, "  {label:<22}");
        for o in outcomes {
            let _ = write!(s, " {:>16}", f(o));
        }
        s.push('\n');
    };
    row(&mut s, "total after", &|o| num(o.total_after, 1));
    row(&mut s, "Randstad share after", &|o| {
        format!("{:.2}%", o.randstad_share_after * 100.0)
    });
    row(&mut s, "Theil after", &|o| format!("{:.5}", o.theil_after));
    row(&mut s, "moves to report", &|o| {
        o.reportable_moves.len().to_string()
    });
    row(&mut s, "checks to explain", &|o| {
        o.mutations
            .iter()
            .flat_map(|m| &m.checks)
            .filter(|c| c.status == "explain" || c.status == "partly")
            .count()
            .to_string()
    });
    for (i, l) in outcomes[0].by_province.iter().enumerate() {
        row(&mut s, &format!("delta {}", l.name), &|o| {
            format!("{:+.1}", o.by_province[i].delta)
        });
    }
    s
}

fn markdown(outcomes: &[Outcome]) -> String {
    let mut s = String::new();
    for o in outcomes {
        let _ = writeln!(s, "# Scenario: {}\n", o.title);
        if let Some(d) = &o.description {
            let _ = writeln!(s, "{d}\n");
        }
        if o.estimate {
            s.push_str("> **Schatting.** De uitgangssituatie is de modelschatting (baseline/estimate.toml), gekalibreerd op de gepubliceerde cijfers; geen aanlevering. Het aandeel Randstad, de Theil-index en de oordelen over bezuinigingen zijn daarom ook schattingen.\n\n");
        }
        let _ = writeln!(
            s,
            "- Totaal {} → {} fte",
            num(o.total_before, 1),
            num(o.total_after, 1)
        );
        let mark = if o.estimate { " (schatting)" } else { "" };
        let _ = writeln!(
            s,
            "- Aandeel Randstad {:.2}% → {:.2}%{mark}",
            o.randstad_share_before * 100.0,
            o.randstad_share_after * 100.0
        );
        let _ = writeln!(
            s,
            "- Theil-index {:.5} → {:.5}{mark}\n",
            o.theil_before, o.theil_after
        );
        s.push_str("## Mutaties\n\n");
        for m in &o.mutations {
            let _ = writeln!(s, "{}. {}", m.index, m.description);
            for c in &m.checks {
                let _ = writeln!(
                    s,
                    "   - *{}* `{}`: {}",
                    verdict(c, "schatting"),
                    c.principle,
                    c.message
                );
            }
        }
        s.push_str("\n## Per provincie\n\n| | voor | na | verschil |\n|---|---:|---:|---:|\n");
        for l in &o.by_province {
            let _ = writeln!(
                s,
                "| {} | {:.1} | {:.1} | {:+.1} |",
                l.name, l.before, l.after, l.delta
            );
        }
        s.push('\n');
    }
    s
}
