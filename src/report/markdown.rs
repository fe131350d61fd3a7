//! The draft locatieadvies in Markdown: Dutch by default (the advice goes to the minister),
//! English on request.

use std::fmt::Write as _;

use super::model::Advice;
use super::{Lang, num};

fn t<'a>(lang: Lang, nl: &'a str, en: &'a str) -> &'a str {
    match lang {
        Lang::Nl => nl,
        Lang::En => en,
    }
}

fn kind_word(lang: Lang, kind: &str) -> &'static str {
    match (lang, kind) {
        (Lang::Nl, "new") => "nieuwe dienst",
        (Lang::Nl, "growth") => "groei",
        (Lang::Nl, "shrink") => "krimp",
        (Lang::Nl, "relocation") => "verplaatsing",
        (Lang::En, "new") => "new service",
        (Lang::En, "growth") => "growth",
        (Lang::En, "shrink") => "shrinkage",
        (Lang::En, "relocation") => "relocation",
        _ => "?",
    }
}

/// Renders the draft advice; `top` limits the ranking table.
pub fn render(a: &Advice, lang: Lang, top: usize) -> String {
    let mut o = String::new();
    let c = &a.case;
    let _ = writeln!(
        o,
        "# {}: {}\n",
        t(lang, "Concept-locatieadvies", "Draft location advice"),
        c.title
    );
    let _ = writeln!(
        o,
        "*{}*\n",
        t(
            lang,
            "Dit is een concept, opgesteld met locatieadvies. Het advies is adviserend: de verantwoordelijke minister besluit.",
            "This is a draft produced with locatieadvies. The advice is advisory: the responsible minister decides."
        )
    );

    let _ = writeln!(o, "## {}\n", t(lang, "Casus", "Case"));
    let _ = writeln!(o, "| | |\n|---|---|");
    let _ = writeln!(o, "| {} | `{}` |", t(lang, "Kenmerk", "Id"), c.id);
    let _ = writeln!(
        o,
        "| {} | {} |",
        t(lang, "Ministerie", "Ministry"),
        c.ministry
    );
    let _ = writeln!(o, "| {} | {} |", t(lang, "Sector", "Sector"), c.sector);
    let _ = writeln!(
        o,
        "| {} | {} |",
        t(lang, "Soort", "Kind"),
        kind_word(lang, &c.kind)
    );
    let _ = writeln!(
        o,
        "| {} | {} fte |",
        t(lang, "Omvang", "Size"),
        num(c.fte, 0)
    );
    if !c.current_locations.is_empty() {
        let _ = writeln!(
            o,
            "| {} | {} |",
            t(lang, "Huidige locaties", "Current locations"),
            c.current_locations.join(", ")
        );
    }
    if let Some(p) = &c.preferred_location {
        let _ = writeln!(
            o,
            "| {} | {} |",
            t(lang, "Voorkeurslocatie", "Preferred location"),
            p
        );
    }
    let _ = writeln!(
        o,
        "| {} | {} |\n",
        t(lang, "Locatieadvies BZK vereist", "BZK advice required"),
        if a.advice_required {
            t(lang, "ja (100 fte of meer)", "yes (100 FTE or more)")
        } else {
            t(lang, "nee (minder dan 100 fte)", "no (less than 100 FTE)")
        }
    );

    let _ = writeln!(o, "## {}\n", t(lang, "Samenvatting", "Summary"));
    let shrink = a.ranking_meaning == "shrink-priority";
    match a.ranking.first() {
        None => {
            let _ = writeln!(
                o,
                "{}\n",
                t(
                    lang,
                    "Geen enkele kandidaatlocatie voldoet aan de harde eisen. Alle uitgesloten locaties staan hieronder met hun redenen.",
                    "No candidate location meets the hard requirements. Every excluded location is listed below with its reasons."
                )
            );
        }
        Some(best) if shrink => {
            let _ = writeln!(
                o,
                "{} **{}** ({}), {} {}.\n",
                t(lang, "Krimp bij voorkeur eerst in", "Shrink first in"),
                best.name,
                best.location,
                t(lang, "krimpprioriteit", "shrink priority"),
                num(best.score, 3)
            );
        }
        Some(best) => {
            let _ = writeln!(
                o,
                "{} **{}** ({}, {}), {} {}{}.\n",
                t(lang, "Best passend is", "The best fit is"),
                best.name,
                best.location,
                best.province,
                t(lang, "met score", "with score"),
                num(best.score, 3),
                if best.randstad {
                    t(lang, " (binnen de Randstad)", " (inside the Randstad)")
                } else {
                    t(lang, " (buiten de Randstad)", " (outside the Randstad)")
                }
            );
        }
    }
    let _ = writeln!(
        o,
        "{} {} {} {} {}.\n",
        a.ranking.len(),
        t(lang, "locaties zijn haalbaar;", "locations are feasible;"),
        a.excluded.len(),
        t(
            lang,
            "zijn uitgesloten op harde eisen",
            "are excluded by hard requirements"
        ),
        t(lang, "(zie hieronder)", "(see below)")
    );

    if !a.shortlist.is_empty() {
        let _ = writeln!(o, "## {}\n", t(lang, "Alternatieven", "Alternatives"));
        for s in &a.shortlist {
            let _ = writeln!(
                o,
                "{}. {} ({}){}{}",
                s.rank,
                s.name,
                s.location,
                if s.randstad {
                    t(lang, ", Randstad", ", Randstad")
                } else {
                    ""
                },
                if s.reason == "top" {
                    String::new()
                } else {
                    format!(
                        " ({} `{}`)",
                        t(lang, "toegevoegd door", "added by"),
                        s.reason
                    )
                }
            );
        }
        o.push('\n');
    }

    let _ = writeln!(
        o,
        "## {}\n",
        if shrink {
            t(lang, "Krimpvolgorde", "Shrink order")
        } else {
            t(lang, "Ranglijst", "Ranking")
        }
    );
    if !a.ranking.is_empty() {
        let _ = writeln!(
            o,
            "| # | {} | {} | Randstad | Score | {} |\n|---:|---|---|---|---:|---|",
            t(lang, "Locatie", "Location"),
            t(lang, "Provincie", "Province"),
            t(lang, "Aanpassingen", "Adjustments")
        );
        for r in a.ranking.iter().take(top) {
            let adj: Vec<String> = r
                .adjustments
                .iter()
                .map(|x| format!("{} {:+.2}", x.principle, x.delta))
                .collect();
            let _ = writeln!(
                o,
                "| {} | {} ({}) | {} | {} | {} | {} |",
                r.rank,
                r.name,
                r.location,
                r.province,
                if r.randstad {
                    t(lang, "ja", "yes")
                } else {
                    t(lang, "nee", "no")
                },
                num(r.score, 3),
                adj.join(", ")
            );
        }
        o.push('\n');
        if let Some(best) = a.ranking.first() {
            let _ = writeln!(
                o,
                "{} {}:\n",
                t(lang, "Opbouw van de score van", "How the score of"),
                best.name
            );
            let _ = writeln!(
                o,
                "| {} | {} | {} | {} | {} |\n|---|---:|---:|---:|---:|",
                t(lang, "Criterium", "Criterion"),
                t(lang, "Gegeven", "Figure"),
                t(lang, "Waarde", "Value"),
                t(lang, "Gewicht", "Weight"),
                t(lang, "Bijdrage", "Contribution")
            );
            for c in &best.contributions {
                let raw = super::raw(c.raw, t(lang, "ontbreekt", "missing"));
                let _ = writeln!(
                    o,
                    "| {} | {}{} | {} | {} | {} |",
                    c.criterion,
                    raw,
                    if c.estimate { " ¹" } else { "" },
                    num(c.value, 3),
                    num(c.weight, 3),
                    num(c.contribution, 3)
                );
            }
            let _ = writeln!(
                o,
                "\n¹ {}\n",
                t(
                    lang,
                    "schatting, benadering of modeluitkomst",
                    "estimate, proxy or model output"
                )
            );
        }
    }

    if let Some(rb) = &a.robustness {
        robustness(&mut o, a, rb, lang);
    }

    if let Some(split) = &a.shrink_split {
        let _ = writeln!(
            o,
            "## {}\n",
            t(
                lang,
                "Voorgestelde verdeling van de krimp",
                "Proposed split of the reduction"
            )
        );
        for p in &split.parts {
            let _ = writeln!(
                o,
                "- {} ({}): -{} fte{}",
                p.name,
                p.location,
                num(p.reduction_fte, 1),
                p.current_fte
                    .map(|c| format!(" {} {}", t(lang, "van", "of"), num(c, 1)))
                    .unwrap_or_default()
            );
        }
        let _ = writeln!(o, "\n{}: {}\n", t(lang, "Methode", "Method"), split.method);
    }

    let _ = writeln!(
        o,
        "## {}\n",
        t(lang, "Richtinggevende principes", "Guiding principles")
    );
    for p in &a.principles {
        let state = if p.disabled {
            t(lang, "uitgeschakeld", "disabled")
        } else if p.applied {
            t(lang, "toegepast", "applied")
        } else {
            t(lang, "niet van toepassing", "did not apply")
        };
        let status = if p.status == "cabinet-policy" {
            t(lang, "kabinetsbeleid", "cabinet policy")
        } else {
            t(lang, "werkwijze van de engine", "engine practice")
        };
        let _ = writeln!(o, "- **{}** (`{}`, {}): {}", p.title, p.id, status, state);
    }
    o.push('\n');

    if !a.motivations.is_empty() {
        let _ = writeln!(
            o,
            "## {}\n",
            t(lang, "Pas toe of leg uit", "Comply or explain")
        );
        for m in &a.motivations {
            let _ = writeln!(
                o,
                "- `{}` ({}): {}",
                m.principle,
                m.location,
                m.text.clone().unwrap_or_else(|| t(
                    lang,
                    "**motivering ontbreekt: het advies is onvolledig**",
                    "**motivation missing: the advice is incomplete**"
                )
                .into())
            );
        }
        o.push('\n');
    }

    if !a.flags.is_empty() {
        let _ = writeln!(o, "## {}\n", t(lang, "Signaleringen", "Flags"));
        for f in &a.flags {
            let _ = writeln!(
                o,
                "- {}",
                if lang == Lang::Nl {
                    &f.message_nl
                } else {
                    &f.message
                }
            );
        }
        o.push('\n');
    }

    if !a.excluded.is_empty() {
        let _ = writeln!(
            o,
            "## {} ({})\n",
            t(lang, "Uitgesloten locaties", "Excluded locations"),
            a.excluded.len()
        );
        for x in a.excluded.iter().take(top) {
            let reasons: Vec<String> = x
                .reasons
                .iter()
                .map(|r| {
                    format!(
                        "{} (`{}`)",
                        if lang == Lang::Nl {
                            &r.message_nl
                        } else {
                            &r.message
                        },
                        r.by
                    )
                })
                .collect();
            let _ = writeln!(o, "- {} ({}): {}", x.name, x.location, reasons.join("; "));
        }
        if a.excluded.len() > top {
            let _ = writeln!(
                o,
                "- … {} {}",
                a.excluded.len() - top,
                t(
                    lang,
                    "meer (zie de JSON-uitvoer)",
                    "more (see the JSON output)"
                )
            );
        }
        o.push('\n');
    }

    let _ = writeln!(
        o,
        "## {}\n",
        t(
            lang,
            "Criteria, gewichten en bronnen",
            "Criteria, weights and sources"
        )
    );
    let _ = writeln!(
        o,
        "| {} | {} | {} | {} |\n|---|---:|---|---|",
        t(lang, "Criterium", "Criterion"),
        t(lang, "Gewicht", "Weight"),
        t(lang, "Bron", "Source"),
        t(lang, "Peildatum", "Reference date")
    );
    for w in &a.weights {
        let _ = writeln!(
            o,
            "| {} (`{}`) | {}{} | {} | {} |",
            w.title,
            w.criterion,
            num(w.weight, 3),
            if w.origin == "case" {
                t(lang, " (casus)", " (case)")
            } else {
                ""
            },
            w.source,
            w.reference_date
        );
    }
    o.push('\n');

    let _ = writeln!(o, "## {}\n", t(lang, "Aannames", "Assumptions"));
    for s in &a.assumptions {
        let _ = writeln!(
            o,
            "- {}",
            if lang == Lang::Nl {
                &s.message_nl
            } else {
                &s.message
            }
        );
    }
    let _ = writeln!(
        o,
        "\n{}: `{}`, engine {}",
        t(lang, "Invoerkenmerk", "Input digest"),
        a.input_digest,
        a.engine_version
    );
    o
}

/// The robustness of the advice in words.
fn robustness(o: &mut String, a: &Advice, rb: &super::model::Robustness, lang: Lang) {
    use super::name_of;
    // Dutch writes a decimal comma.
    let pct = |x: f64| {
        let s = super::pct(x);
        if lang == Lang::Nl {
            s.replace('.', ",")
        } else {
            s
        }
    };
    let shrink = a.ranking_meaning == "shrink-priority";
    let _ = writeln!(o, "## {}\n", t(lang, "Robuustheid", "Robustness"));
    let firsts: Vec<(&str, f64)> = rb
        .rank_acceptability
        .iter()
        .filter(|x| x.ranks.first().is_some_and(|p| *p > 0.0))
        .map(|x| (x.name.as_str(), x.ranks[0]))
        .collect();
    let place = if shrink {
        t(
            lang,
            "bovenaan de krimpvolgorde",
            "at the top of the shrink order",
        )
    } else {
        t(lang, "op de eerste plaats", "in first place")
    };
    if let Some((name, p)) = firsts.first() {
        let _ = match lang {
            Lang::Nl => write!(
                o,
                "{name} staat in {} van de doorgerekende wegingen {place}",
                pct(*p)
            ),
            Lang::En => write!(
                o,
                "{name} is {place} in {} of the computed weightings",
                pct(*p)
            ),
        };
        let mut rest: Vec<(&str, f64)> = firsts.iter().skip(1).copied().collect();
        rest.sort_by(|a, b| b.1.total_cmp(&a.1));
        let rest: Vec<String> = rest
            .iter()
            .take(3)
            .map(|(n, p)| format!("{n} {}", pct(*p)))
            .collect();
        if !rest.is_empty() {
            let _ = write!(
                o,
                "; {} {}",
                t(lang, "daarna", "followed by"),
                rest.join(", ")
            );
        }
        o.push_str(".\n");
    }
    let band = match rb.weight_band {
        Some(b) => match lang {
            Lang::Nl => format!(
                "de gewichten varieerden tot ±{} rond de gebruikte gewichten",
                pct(b)
            ),
            Lang::En => format!(
                "the weights varied up to ±{} around the weights used",
                pct(b)
            ),
        },
        None => t(
            lang,
            "de gewichten varieerden vrij over alle mogelijke wegingen",
            "the weights varied freely over all possible weightings",
        )
        .to_string(),
    };
    let _ = writeln!(
        o,
        "{} {} {} (SMAA-2, seed {}): {}, {} ±{}.",
        t(lang, "Doorgerekend met", "Computed with"),
        rb.samples,
        t(lang, "trekkingen", "samples"),
        rb.seed,
        band,
        t(
            lang,
            "en de gegevens die schattingen, benaderingen of modeluitkomsten zijn tot",
            "and the figures that are estimates, proxies or model outputs by up to"
        ),
        pct(rb.estimate_band)
    );
    if let Some(top) = rb.rank_acceptability.first()
        && let Some(cf) = top.confidence_factor
    {
        let _ = writeln!(
            o,
            "\n{} {}: {} ({}).",
            t(lang, "Betrouwbaarheidsfactor van", "Confidence factor of"),
            top.name,
            num(cf, 2),
            t(
                lang,
                "het aandeel trekkingen van de geschatte gegevens waarin de locatie met haar centrale gewichten eerste blijft",
                "the share of draws of the estimated figures in which the location stays first with its central weights"
            )
        );
    }
    if let Some(best) = a.ranking.first() {
        let _ = writeln!(
            o,
            "\n{} {} {}\n",
            t(
                lang,
                "Zolang het gewicht van een criterium binnen de grenzen hieronder blijft (de andere gewichten naar verhouding), blijft",
                "While a criterion's weight stays within the bounds below (the other weights in proportion),"
            ),
            best.name,
            t(lang, "bovenaan:", "stays on top:")
        );
        let _ = writeln!(
            o,
            "| {} | {} | {} | {} | {} |\n|---|---:|---:|---:|---|",
            t(lang, "Criterium", "Criterion"),
            t(lang, "Gewicht", "Weight"),
            t(lang, "Van", "From"),
            t(lang, "Tot", "To"),
            t(lang, "Daarbuiten bovenaan", "Beyond, on top")
        );
        for iv in &rb.stability_intervals {
            let beyond: Vec<String> = [&iv.below, &iv.above]
                .into_iter()
                .flatten()
                .map(|c| name_of(a, c))
                .collect();
            let _ = writeln!(
                o,
                "| {} | {} | {} | {} | {} |",
                iv.criterion,
                num(iv.weight, 3),
                num(iv.lower, 3),
                num(iv.upper, 3),
                if beyond.is_empty() {
                    "-".to_string()
                } else {
                    beyond.join(" / ")
                }
            );
        }
        o.push('\n');
    }
    let cc = &rb.cross_check;
    let done: Vec<String> = cc
        .methods
        .iter()
        .filter(|m| m.skipped.is_none())
        .filter_map(|m| {
            m.ranking.first().map(|top| {
                format!(
                    "{} ({}): {} {} (Kendall's tau {})",
                    if m.method == "topsis" {
                        "TOPSIS"
                    } else {
                        "PROMETHEE II"
                    },
                    m.settings,
                    name_of(a, top),
                    t(lang, "bovenaan", "on top"),
                    num(m.kendall_tau, 2)
                )
            })
        })
        .collect();
    if !done.is_empty() {
        let _ = writeln!(
            o,
            "{} {}: {}.",
            t(
                lang,
                "Ter controle zijn dezelfde criteriumwaarden, zonder de aanpassingen van de principes, ook gerangschikt met relatieve methoden. De hoofdmethode zet daarop",
                "As a check, the same criterion values, without the principles' adjustments, were also ranked by relative methods. On that basis the main method puts"
            ),
            cc.main_top.as_deref().map_or("-".to_string(), |c| format!(
                "{} {}",
                name_of(a, c),
                t(lang, "bovenaan", "on top")
            )),
            done.join("; ")
        );
        if cc.methods.iter().any(|m| m.top_differs) {
            let _ = writeln!(
                o,
                "\n**{}**",
                t(
                    lang,
                    "Let op: een controlemethode zet een andere locatie bovenaan.",
                    "Note: a check method puts another location on top."
                )
            );
        }
        let _ = writeln!(
            o,
            "\n{}\n",
            t(
                lang,
                "Deze relatieve methoden kunnen van volgorde wisselen als kandidaten worden toegevoegd of weggelaten; de hoofdmethode scoort elke locatie op absolute waardefuncties en kan dat niet.",
                "These relative methods can reverse ranks when candidates are added or removed; the main method scores each location on absolute value functions and cannot."
            )
        );
    }
}
