//! The draft locatieadvies in Markdown: Dutch by default (the advice goes to the minister),
//! English on request. Names instead of codes, Dutch criterion labels with units, no rule syntax:
//! a letter an advisor can send after light editing.

use std::fmt::Write as _;

use super::Lang;
use super::letter::{self, number, t};
use super::model::Advice;

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
    case_table(&mut o, a, lang);

    let _ = writeln!(o, "## {}\n", t(lang, "Advies", "Advice"));
    let _ = writeln!(o, "{}\n", letter::advice_sentence(a, lang));
    if let Some(s) = letter::robustness_sentence(a, lang) {
        let _ = writeln!(o, "{s}\n");
    }

    if !a.shortlist.is_empty() {
        let _ = writeln!(o, "## {}\n", t(lang, "Alternatieven", "Alternatives"));
        for s in &a.shortlist {
            let _ = writeln!(o, "{}", letter::shortlist_line(s, lang));
        }
        o.push('\n');
    }

    let pref = letter::preference_lines(a, lang);
    if !pref.is_empty() {
        let _ = writeln!(
            o,
            "## {}\n",
            t(
                lang,
                "De voorkeur van het ministerie",
                "The ministry's preference"
            )
        );
        let _ = writeln!(o, "{}\n", pref[0]);
        for line in &pref[1..] {
            let _ = writeln!(o, "- {line}");
        }
        o.push('\n');
    }

    ranking(&mut o, a, lang, top);

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
            let cut_by = if p.reduction_fte > 0.0 {
                format!(
                    "-{} {}",
                    number(p.reduction_fte, 1, lang),
                    t(lang, "fte", "FTE")
                )
            } else {
                t(lang, "geen krimp", "no reduction").to_string()
            };
            let _ = writeln!(
                o,
                "- {}: {cut_by}{}",
                p.name,
                p.current_fte
                    .map(|c| format!(" ({} {})", t(lang, "nu", "now"), number(c, 1, lang)))
                    .unwrap_or_default()
            );
        }
        let _ = writeln!(
            o,
            "\n{}: {}\n",
            t(lang, "Methode", "Method"),
            match lang {
                Lang::Nl => &split.method_nl,
                Lang::En => &split.method,
            }
        );
    }

    if let Some(rb) = &a.robustness {
        robustness(&mut o, a, rb, lang);
    }
    principles(&mut o, a, lang);
    if !a.flags.is_empty() {
        let _ = writeln!(o, "## {}\n", t(lang, "Signaleringen", "Flags"));
        for f in &a.flags {
            let _ = writeln!(
                o,
                "- {}",
                letter::capitalised(match lang {
                    Lang::Nl => &f.message_nl,
                    Lang::En => &f.message,
                })
            );
        }
        o.push('\n');
    }
    excluded(&mut o, a, lang, top);
    sources(&mut o, a, lang);
    o
}

fn case_table(o: &mut String, a: &Advice, lang: Lang) {
    let c = &a.case;
    let _ = writeln!(o, "## {}\n", t(lang, "Casus", "Case"));
    let _ = writeln!(o, "| | |\n|---|---|");
    let _ = writeln!(
        o,
        "| {} | {} |",
        t(lang, "Ministerie", "Ministry"),
        match lang {
            Lang::Nl => format!("Ministerie van {}", c.ministry_name),
            Lang::En => format!("Ministerie van {} ({})", c.ministry_name, c.ministry),
        }
    );
    let _ = writeln!(o, "| {} | {} |", t(lang, "Sector", "Sector"), c.sector);
    let _ = writeln!(
        o,
        "| {} | {}{} |",
        t(lang, "Soort", "Kind"),
        letter::kind_word(lang, &c.kind),
        if c.policy_core {
            t(lang, " (beleidskern)", " (policy core)")
        } else {
            ""
        }
    );
    let _ = writeln!(
        o,
        "| {} | {} fte |",
        t(lang, "Omvang", "Size"),
        number(c.fte, 0, lang)
    );
    if !c.current_location_names.is_empty() {
        let _ = writeln!(
            o,
            "| {} | {} |",
            t(lang, "Huidige locaties", "Current locations"),
            c.current_location_names.join(", ")
        );
    }
    if let Some(p) = &c.preferred_location_name {
        let _ = writeln!(
            o,
            "| {} | {} |",
            t(lang, "Voorkeur van het ministerie", "Ministry's preference"),
            p
        );
    }
    if !c.theme_titles.is_empty() {
        let _ = writeln!(
            o,
            "| {} | {} |",
            t(lang, "Thema's", "Themes"),
            c.theme_titles.join(", ")
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
}

fn ranking(o: &mut String, a: &Advice, lang: Lang, top: usize) {
    let shrink = a.ranking_meaning == "shrink-priority";
    let _ = writeln!(
        o,
        "## {}\n",
        if shrink {
            t(lang, "Krimpvolgorde", "Shrink order")
        } else {
            t(lang, "Ranglijst", "Ranking")
        }
    );
    let _ = writeln!(
        o,
        "{} {} {} {}.\n",
        a.ranking.len(),
        t(lang, "locaties zijn haalbaar;", "locations are feasible;"),
        a.excluded.len(),
        t(
            lang,
            "vallen af op harde eisen (zie hieronder)",
            "are excluded by hard requirements (see below)"
        )
    );
    if a.ranking.is_empty() {
        return;
    }
    let _ = writeln!(
        o,
        "| # | {} | {} | Randstad | {} | Score |\n|---:|---|---|---|---|---:|",
        t(lang, "Locatie", "Location"),
        t(lang, "Provincie", "Province"),
        t(lang, "Groep", "Group")
    );
    for r in a.ranking.iter().take(top) {
        let group = letter::tier_label(r, lang);
        let _ = writeln!(
            o,
            "| {} | {} | {} | {} | {} | {} |",
            r.rank,
            r.name,
            r.province_name,
            if r.randstad {
                t(lang, "ja", "yes")
            } else {
                t(lang, "nee", "no")
            },
            if group.is_empty() {
                t(lang, "eerste groep", "first group").to_string()
            } else {
                group
            },
            number(r.score, 3, lang)
        );
    }
    o.push('\n');
    if a.ranking.iter().any(|r| r.tier > 0) {
        let _ = writeln!(
            o,
            "{}\n",
            t(
                lang,
                "De principes ordenen eerst in groepen, de score ordent daarbinnen: een locatie in een latere groep komt na elke locatie in een eerdere groep, hoe hoog haar score ook is.",
                "The principles order in groups first, the score within a group: a location in a later group comes after every location in an earlier group, however high its score."
            )
        );
    }
    let Some(best) = a.ranking.first() else {
        return;
    };
    let _ = writeln!(
        o,
        "{} {}:\n",
        if shrink {
            t(
                lang,
                "Opbouw van de krimpprioriteit van",
                "How the shrink priority is made up for",
            )
        } else {
            t(
                lang,
                "Opbouw van de score van",
                "How the score is made up for",
            )
        },
        best.name
    );
    let _ = writeln!(
        o,
        "| {} | {} | {} | {} | {} |\n|---|---:|---:|---:|---:|",
        t(lang, "Criterium", "Criterion"),
        t(lang, "Gegeven", "Figure"),
        t(lang, "Waarde (0-1)", "Value (0-1)"),
        t(lang, "Gewicht", "Weight"),
        t(lang, "Bijdrage", "Contribution")
    );
    for c in best.contributions.iter().filter(|c| c.weight > 0.0) {
        let _ = writeln!(
            o,
            "| {} | {}{} | {} | {} | {} |",
            letter::criterion_title(a, &c.criterion, lang),
            if c.applies {
                letter::figure(a, c, lang)
            } else {
                t(lang, "telt hier niet", "does not count here").into()
            },
            if c.estimate { " ¹" } else { "" },
            number(c.value, 3, lang),
            number(c.weight, 3, lang),
            number(c.contribution, 3, lang)
        );
    }
    for x in &best.adjustments {
        let title = a
            .principles
            .iter()
            .find(|p| p.id == x.principle)
            .map_or(x.principle.as_str(), |p| p.title.as_str());
        let _ = writeln!(
            o,
            "| {} ({}) | | | | {} |",
            title,
            t(lang, "aanpassing", "adjustment"),
            number(x.delta, 3, lang)
        );
    }
    for tr in &best.travel {
        let _ = writeln!(
            o,
            "| {} {} | {}{} | | | |",
            t(lang, "Reistijd naar", "Rail minutes to"),
            tr.name,
            tr.minutes
                .map_or(t(lang, "onbekend", "unknown").into(), |m| {
                    format!("{} {}", number(m, 0, lang), t(lang, "minuten", "minutes"))
                }),
            if tr.measured { "" } else { " ¹" },
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

fn principles(o: &mut String, a: &Advice, lang: Lang) {
    let _ = writeln!(
        o,
        "## {}\n",
        t(lang, "Richtinggevende principes", "Guiding principles")
    );
    for p in &a.principles {
        let state = letter::principle_state(a, p, lang);
        let force = letter::principle_force(&p.effect, lang);
        let status = letter::principle_status(&p.status, lang);
        let _ = writeln!(o, "- **{}** ({status}; {force}): {state}", p.title);
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
                "- {} ({}): {}",
                m.title,
                m.name,
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
}

fn excluded(o: &mut String, a: &Advice, lang: Lang, top: usize) {
    if a.excluded.is_empty() {
        return;
    }
    let _ = writeln!(
        o,
        "## {} ({})\n",
        t(lang, "Uitgesloten locaties", "Excluded locations"),
        a.excluded.len()
    );
    for x in a.excluded.iter().take(top) {
        let _ = writeln!(
            o,
            "- {} ({}): {}",
            x.name,
            x.province_name,
            letter::exclusion_reasons(a, x, lang)
        );
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

fn sources(o: &mut String, a: &Advice, lang: Lang) {
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
            "| {} | {}{} | {} | {} |",
            match lang {
                Lang::Nl => &w.title,
                Lang::En => &w.title_en,
            },
            number(w.weight, 3, lang),
            match w.origin.as_str() {
                "case" => t(lang, " (casus)", " (case)"),
                "not-applicable" => t(
                    lang,
                    " (telt niet voor deze casus)",
                    " (does not count for this case)"
                ),
                _ => "",
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
            match lang {
                Lang::Nl => &s.message_nl,
                Lang::En => &s.message,
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
}

/// How sure the advice is: the details behind the sentence at the top.
fn robustness(o: &mut String, a: &Advice, rb: &super::model::Robustness, lang: Lang) {
    use super::name_of;
    let shrink = a.ranking_meaning == "shrink-priority";
    let _ = writeln!(o, "## {}\n", t(lang, "Robuustheid", "Robustness"));
    let band = match rb.weight_band {
        Some(b) => match lang {
            Lang::Nl => format!(
                "de gewichten varieerden tot ±{} rond de gebruikte gewichten",
                letter::percent(b, lang)
            ),
            Lang::En => format!(
                "the weights varied up to ±{} around the weights used",
                letter::percent(b, lang)
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
        "{} {} {} (SMAA-2, seed {}): {}, {} ±{}.\n",
        t(lang, "Doorgerekend met", "Computed with"),
        number(rb.samples as f64, 0, lang),
        t(lang, "trekkingen", "samples"),
        rb.seed,
        band,
        t(
            lang,
            "en de gegevens die schattingen, benaderingen of modeluitkomsten zijn tot",
            "and the figures that are estimates, proxies or model outputs by up to"
        ),
        letter::percent(rb.estimate_band, lang)
    );
    let place = if shrink {
        t(
            lang,
            "bovenaan de krimpvolgorde",
            "first in the shrink order",
        )
    } else {
        t(lang, "op de eerste plaats", "in first place")
    };
    let _ = writeln!(
        o,
        "| {} | {} | {} |\n|---|---:|---:|",
        t(lang, "Locatie", "Location"),
        place,
        t(lang, "Betrouwbaarheidsfactor", "Confidence factor")
    );
    for acc in rb.rank_acceptability.iter().take(5) {
        let _ = writeln!(
            o,
            "| {} | {} | {} |",
            acc.name,
            letter::percent(acc.ranks.first().copied().unwrap_or(0.0), lang),
            acc.confidence_factor
                .map_or("-".into(), |c| number(c, 2, lang))
        );
    }
    o.push('\n');
    if let Some(best) = a.ranking.first() {
        let _ = writeln!(
            o,
            "{} {} {}\n",
            t(
                lang,
                "Zolang het gewicht van een criterium binnen de grenzen hieronder blijft (de andere gewichten naar verhouding), blijft",
                "While a criterion's weight stays within the bounds below (the other weights in proportion),"
            ),
            best.name,
            t(lang, "bovenaan:", "stays first:")
        );
        let _ = writeln!(
            o,
            "| {} | {} | {} | {} | {} |\n|---|---:|---:|---:|---|",
            t(lang, "Criterium", "Criterion"),
            t(lang, "Gewicht", "Weight"),
            t(lang, "Van", "From"),
            t(lang, "Tot", "To"),
            t(lang, "Daarbuiten bovenaan", "Beyond, first")
        );
        for iv in rb.stability_intervals.iter().filter(|iv| iv.weight > 0.0) {
            let beyond: Vec<String> = [&iv.below, &iv.above]
                .into_iter()
                .flatten()
                .map(|c| name_of(a, c))
                .collect();
            let _ = writeln!(
                o,
                "| {} | {} | {} | {} | {} |",
                letter::criterion_title(a, &iv.criterion, lang),
                number(iv.weight, 3, lang),
                number(iv.lower, 3, lang),
                number(iv.upper, 3, lang),
                if beyond.is_empty() {
                    "-".to_string()
                } else {
                    beyond.join(" / ")
                }
            );
        }
        o.push('\n');
    }
    if let Some(s) = letter::cross_check_sentence(a, lang) {
        let _ = writeln!(o, "{s}\n");
    }
}
