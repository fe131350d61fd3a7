//! The terminal rendering of an advice: a short header, the ranking table, the shortlist,
//! principles, flags and exclusions.

use std::fmt::Write as _;

use super::model::Advice;
use super::num;

/// Renders the advice for a terminal; `top` limits the ranking rows (`None`: all).
pub fn render(a: &Advice, top: Option<usize>) -> String {
    let mut o = String::new();
    let c = &a.case;
    let _ = writeln!(o, "Locatieadvies: {} ({})", c.title, c.id);
    let _ = writeln!(
        o,
        "case      {} of {} FTE, ministry {}, sector {}",
        c.kind,
        num(c.fte, 0),
        c.ministry,
        c.sector
    );
    if !c.current_locations.is_empty() {
        let _ = writeln!(o, "current   {}", c.current_locations.join(", "));
    }
    let _ = writeln!(
        o,
        "advice    {}",
        if a.advice_required {
            "required (at or above the advice threshold)"
        } else {
            "not required (below the advice threshold)"
        }
    );
    let meaning = if a.ranking_meaning == "shrink-priority" {
        "shrink priority: rank 1 shrinks first"
    } else {
        "suitability: rank 1 fits best"
    };
    let _ = writeln!(
        o,
        "ranking   {meaning}; {} feasible, {} excluded",
        a.ranking.len(),
        a.excluded.len()
    );
    o.push('\n');

    let rows: Vec<_> = match top {
        Some(n) => a.ranking.iter().take(n).collect(),
        None => a.ranking.iter().collect(),
    };
    if rows.is_empty() {
        o.push_str("No feasible location.\n");
    } else {
        let _ = writeln!(
            o,
            "{:>4}  {:<6}  {:<24}  {:<4}  {:<8}  {:>6}  {:>8}  {:>6}",
            "rank", "code", "name", "prov", "randstad", "score", "criteria", "adjust"
        );
        for r in rows {
            let crit = r.contributions.iter().fold(0.0, |s, c| s + c.contribution);
            let adj = r.adjustments.iter().fold(0.0, |s, x| s + x.delta);
            let name: String = r.name.chars().take(24).collect();
            let _ = writeln!(
                o,
                "{:>4}  {:<6}  {:<24}  {:<4}  {:<8}  {:>6}  {:>8}  {:>+6.3}",
                r.rank,
                r.location,
                name,
                r.province,
                if r.randstad { "yes" } else { "no" },
                num(r.score, 3),
                num(crit, 3),
                adj
            );
        }
        if let Some(n) = top
            && a.ranking.len() > n
        {
            let _ = writeln!(o, "... {} more (use --all)", a.ranking.len() - n);
        }
    }

    if let Some(best) = a.ranking.first() {
        let _ = writeln!(o, "\nWhy {} ({}):", best.name, best.location);
        for c in &best.contributions {
            let raw = super::raw(c.raw, "missing");
            let _ = writeln!(
                o,
                "  {:<24} raw {:>9}{}  value {}  x weight {}  = {}",
                c.criterion,
                raw,
                if c.estimate { "*" } else { " " },
                num(c.value, 3),
                num(c.weight, 3),
                num(c.contribution, 3)
            );
        }
        for x in &best.adjustments {
            let _ = writeln!(o, "  {:<24} adjustment {:+.3}", x.principle, x.delta);
        }
        for t in &best.travel {
            let _ = writeln!(
                o,
                "  travel to {:<13} {} min{} ({} km)",
                t.name,
                super::raw(t.minutes, "unknown"),
                if t.measured { "" } else { "*" },
                super::raw(t.km, "unknown")
            );
        }
        o.push_str("  (* estimate, proxy or model output)\n");
    }

    if !a.shortlist.is_empty() {
        o.push_str("\nShortlist:\n");
        for s in &a.shortlist {
            let _ = writeln!(
                o,
                "  {}. {} ({}){}{}",
                s.rank,
                s.name,
                s.location,
                if s.randstad { ", Randstad" } else { "" },
                if s.reason == "top" {
                    String::new()
                } else {
                    format!(" [added by {}]", s.reason)
                }
            );
        }
    }

    if let Some(split) = &a.shrink_split {
        let _ = writeln!(
            o,
            "\nProposed split of {} FTE ({}):",
            num(split.total_fte, 1),
            split.method
        );
        for p in &split.parts {
            let _ = writeln!(
                o,
                "  {:<24} -{} FTE{}",
                p.name,
                num(p.reduction_fte, 1),
                p.current_fte
                    .map(|c| format!(" of {}", num(c, 1)))
                    .unwrap_or_default()
            );
        }
    }

    o.push_str("\nPrinciples:\n");
    for p in &a.principles {
        let state = if p.disabled {
            "disabled"
        } else if p.applied {
            "applied"
        } else {
            "not applied"
        };
        let _ = writeln!(
            o,
            "  {:<26} {:<12} {:<12}{}",
            p.id,
            p.effect,
            state,
            if p.locations_affected > 0 {
                format!(" {} location(s)", p.locations_affected)
            } else {
                String::new()
            }
        );
    }
    if !a.motivations.is_empty() {
        o.push_str("\nComply or explain:\n");
        for m in &a.motivations {
            let _ = writeln!(
                o,
                "  {} at {}: {}",
                m.principle,
                m.location,
                m.text.as_deref().unwrap_or("MISSING motivation")
            );
        }
    }
    if let Some(rb) = &a.robustness {
        robustness(&mut o, a, rb);
    }
    if !a.flags.is_empty() {
        o.push_str("\nFlags:\n");
        for f in &a.flags {
            let _ = writeln!(o, "  [{}] {}", f.by, f.message);
        }
    }
    if !a.excluded.is_empty() {
        let _ = writeln!(o, "\nExcluded ({}):", a.excluded.len());
        let show = match top {
            Some(n) => n.min(a.excluded.len()),
            None => a.excluded.len(),
        };
        for x in &a.excluded[..show] {
            let reasons: Vec<String> = x
                .reasons
                .iter()
                .map(|r| format!("{}: {}", r.by, r.message))
                .collect();
            let _ = writeln!(o, "  {} {}: {}", x.location, x.name, reasons.join("; "));
        }
        if show < a.excluded.len() {
            let _ = writeln!(
                o,
                "  ... {} more (use --all or --format json)",
                a.excluded.len() - show
            );
        }
    }
    let _ = writeln!(
        o,
        "\ninput digest {}  engine {}",
        a.input_digest, a.engine_version
    );
    o
}

fn robustness(o: &mut String, a: &Advice, rb: &super::model::Robustness) {
    use super::{name_of, pct};
    let band = rb
        .weight_band
        .map_or("over the whole simplex".to_string(), |b| {
            format!("within ±{}", pct(b))
        });
    let _ = writeln!(
        o,
        "\nRobustness (SMAA-2, {} samples, seed {}; weights {band}, estimated figures within ±{}):",
        rb.samples,
        rb.seed,
        pct(rb.estimate_band)
    );
    let shown = rb.ranks.min(3);
    let header: String = (1..=shown)
        .map(|r| format!("{:>8}", format!("rank {r}")))
        .collect();
    let _ = writeln!(o, "  {:<30}{header}  confidence", "location");
    for acc in rb.rank_acceptability.iter().take(5) {
        let cells: String = acc
            .ranks
            .iter()
            .take(shown)
            .map(|x| format!("{:>8}", pct(*x)))
            .collect();
        let label: String = format!("{} ({})", acc.name, acc.location)
            .chars()
            .take(30)
            .collect();
        let _ = writeln!(
            o,
            "  {label:<30}{cells}  {}",
            acc.confidence_factor.map_or("-".into(), |c| num(c, 2))
        );
    }
    if let Some(top) = a.ranking.first() {
        let _ = writeln!(
            o,
            "  Weight stability: {} stays on top while a weight stays within",
            top.name
        );
        for iv in &rb.stability_intervals {
            let mut beyond = Vec::new();
            if let Some(b) = &iv.below {
                beyond.push(format!("below: {}", name_of(a, b)));
            }
            if let Some(b) = &iv.above {
                beyond.push(format!("above: {}", name_of(a, b)));
            }
            let _ = writeln!(
                o,
                "    {:<24} {}  in [{}, {}]  {}",
                iv.criterion,
                num(iv.weight, 3),
                num(iv.lower, 3),
                num(iv.upper, 3),
                beyond.join(", ")
            );
        }
    }
    let cc = &rb.cross_check;
    let _ = writeln!(
        o,
        "  Cross-check on the criterion values (principle adjustments left out; main top: {}):",
        cc.main_top
            .as_deref()
            .map_or("-".to_string(), |c| name_of(a, c))
    );
    for m in &cc.methods {
        match (&m.skipped, m.ranking.first()) {
            (Some(why), _) => {
                let _ = writeln!(o, "    {:<13} skipped: {why}", m.method);
            }
            (None, Some(top)) => {
                let _ = writeln!(
                    o,
                    "    {:<13} {:<34} top {:<22} Kendall tau {}{}",
                    m.method,
                    m.settings,
                    name_of(a, top),
                    num(m.kendall_tau, 3),
                    if m.top_differs { "  TOP DIFFERS" } else { "" }
                );
            }
            (None, None) => {}
        }
    }
    let _ = writeln!(o, "  {}", cc.note);
}
