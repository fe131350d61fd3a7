//! `match <pipeline.toml>`: place several services at once, exactly, under capacities.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::time::Duration;

use super::{EXIT_INCOMPLETE, EXIT_INVALID, out, world_or_report};
use crate::config::SourceOptions;
use crate::diag::Diagnostics;
use crate::engine::Engine;
use crate::pipeline::{MatchOutcome, load, run as run_match};
use crate::report::num;

/// Output format of `match`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum MatchFormat {
    Text,
    Json,
    Markdown,
}

/// Arguments of `match`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The pipeline file (TOML).
    pub pipeline: PathBuf,
    /// Stop the solver after this many seconds and report the best assignment found with its
    /// gap to the best bound (0 or less: no limit).
    #[arg(long, default_value_t = 60.0)]
    pub time_limit: f64,
    #[arg(long, value_enum, default_value_t = MatchFormat::Text)]
    pub format: MatchFormat,
}

/// Runs `match`. Exit code 1 when the pipeline has no feasible assignment.
pub fn run(args: &Args, opts: &SourceOptions) -> u8 {
    let world = match world_or_report(opts) {
        Ok(w) => w,
        Err(c) => return c,
    };
    let mut diags = Diagnostics::default();
    let Some(p) = load(&args.pipeline, &world, &mut diags) else {
        eprint!("{}", diags.render());
        return EXIT_INVALID;
    };
    let engine = Engine::new(world);
    let limit = (args.time_limit.is_finite() && args.time_limit > 0.0)
        .then(|| Duration::from_secs_f64(args.time_limit));
    match run_match(&engine, &p, limit) {
        Ok(o) => out(&match args.format {
            MatchFormat::Json => serde_json::to_string_pretty(&o).expect("serialises") + "\n",
            MatchFormat::Text => text(&o),
            MatchFormat::Markdown => markdown(&o),
        }),
        Err(e) => {
            let body =
                match args.format {
                    MatchFormat::Json => serde_json::to_string_pretty(
                        &serde_json::json!({"id": e.id, "feasible": if e.timed_out { None } else { Some(false) }, "timed_out": e.timed_out, "reasons": e.reasons}),
                    )
                    .expect("serialises")
                        + "\n",
                    _ => {
                        let mut s = if e.timed_out {
                            format!(
                                "Pipeline {}: no assignment found within the time limit.\n",
                                e.id
                            )
                        } else {
                            format!("Pipeline {}: no assignment meets every constraint.\n", e.id)
                        };
                        for r in &e.reasons {
                            let _ = writeln!(s, "  - {r}");
                        }
                        s
                    }
                };
            out(&body);
            EXIT_INCOMPLETE
        }
    }
}

fn place(o: &crate::pipeline::ServiceOutcome) -> String {
    o.placed
        .iter()
        .map(|p| {
            if p.share < 1.0 {
                format!("{} ({:.0}%)", p.name, p.share * 100.0)
            } else {
                p.name.clone()
            }
        })
        .collect::<Vec<_>>()
        .join(" + ")
}

fn text(o: &MatchOutcome) -> String {
    let mut s = format!("Pipeline {}: {}\n", o.id, o.title);
    if let Some(d) = &o.description {
        let _ = writeln!(s, "{d}");
    }
    let _ = writeln!(
        s,
        "status     {}{}; objective {:.4} (LP bound {:.4})",
        o.status,
        o.gap
            .map(|g| format!(", gap {:.2}%", g * 100.0))
            .unwrap_or_default(),
        o.objective,
        o.bound
    );
    let _ = writeln!(
        s,
        "search     {} of {} pairs (service, gemeente) left after fixing by reduced costs; {} branch-and-bound nodes",
        o.search.pairs_kept, o.search.pairs_eligible, o.search.nodes
    );
    let _ = writeln!(s, "objective  {}", o.objective_note);
    s.push_str("\nAssignment:\n");
    let _ = writeln!(
        s,
        "  {:<34} {:>6}  {:<24} {:>6}  {:<24} {:>7}",
        "service", "FTE", "placed at", "score", "own best", "regret"
    );
    for x in &o.services {
        let placed = x.placed.iter().map(|p| p.score * p.share).sum::<f64>();
        let _ = writeln!(
            s,
            "  {:<34} {:>6}  {:<24} {:>6.3}  {:<24} {:>7.3}",
            x.case.chars().take(34).collect::<String>(),
            num(x.fte, 0),
            place(x).chars().take(24).collect::<String>(),
            placed,
            format!("{} {:.3}", x.best_name, x.best_score)
                .chars()
                .take(24)
                .collect::<String>(),
            x.regret
        );
    }
    s.push_str("\nBinding constraints:\n");
    for x in o.services.iter().filter(|x| !x.binding.is_empty()) {
        let _ = writeln!(
            s,
            "  {} is not at {}: {}",
            x.case,
            x.best_name,
            x.binding.join("; ")
        );
    }
    if o.services.iter().all(|x| x.binding.is_empty()) {
        s.push_str("  none: every service is at its own best location\n");
    }
    let _ = writeln!(
        s,
        "\nSpreading: {} FTE, {} inside the Randstad, {} outside ({:.0}%)",
        num(o.fte_total, 0),
        num(o.fte_inside_randstad, 0),
        num(o.fte_outside_randstad, 0),
        o.fte_outside_randstad / o.fte_total * 100.0
    );
    for p in o.per_province.iter().filter(|p| p.fte > 0.0) {
        let _ = writeln!(s, "  {:<16} {:>8}", p.name, num(p.fte, 0));
    }
    if let Some(n) = &o.capacity_note {
        let _ = writeln!(s, "\n{n}");
    }
    s
}

fn markdown(o: &MatchOutcome) -> String {
    let mut s = format!("# Plaatsing van de pijplijn: {}\n\n", o.title);
    if let Some(d) = &o.description {
        let _ = writeln!(s, "{d}\n");
    }
    let _ = writeln!(
        s,
        "Status: **{}**{}; totale gewogen score {:.4} (LP-grens {:.4}).\n",
        o.status,
        o.gap
            .map(|g| format!(", gat {:.2}%", g * 100.0))
            .unwrap_or_default(),
        o.objective,
        o.bound
    );
    s.push_str("| Dienst | fte | Locatie | Score | Eigen beste | Spijt | Waarom niet de eigen beste |\n|---|---:|---|---:|---|---:|---|\n");
    for x in &o.services {
        let placed = x.placed.iter().map(|p| p.score * p.share).sum::<f64>();
        let _ = writeln!(
            s,
            "| {} | {} | {} | {:.3} | {} ({:.3}) | {:.3} | {} |",
            x.title,
            num(x.fte, 0),
            place(x),
            placed,
            x.best_name,
            x.best_score,
            x.regret,
            x.binding.join("; ")
        );
    }
    let _ = writeln!(
        s,
        "\nSpreiding: {} fte, waarvan {} buiten de Randstad ({:.0}%).\n",
        num(o.fte_total, 0),
        num(o.fte_outside_randstad, 0),
        o.fte_outside_randstad / o.fte_total * 100.0
    );
    if let Some(n) = &o.capacity_note {
        let _ = writeln!(s, "{n}\n");
    }
    s
}
