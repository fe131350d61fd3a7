//! The terminal rendering of an advice: the same content as the draft letter (the advice
//! sentence, how sure it is, the alternatives, the ministry's preference, the ranking and why the
//! first place scores as it does, principles, flags and exclusions), as plain text in columns,
//! Dutch by default and English with `--lang en`.

use std::fmt::Write as _;

use super::Lang;
use super::letter::{self, number, t};
use super::model::{Advice, Robustness};

/// Width the sentences are wrapped to.
const WIDTH: usize = 100;

/// A paragraph wrapped to [`WIDTH`] with an indent of two spaces.
fn para(o: &mut String, text: &str) {
    let opts = textwrap::Options::new(WIDTH)
        .initial_indent("  ")
        .subsequent_indent("  ")
        .word_splitter(textwrap::WordSplitter::NoHyphenation);
    for line in textwrap::wrap(text, &opts) {
        let _ = writeln!(o, "{line}");
    }
}

/// A list item wrapped to [`WIDTH`], continuation lines under the text.
fn item(o: &mut String, bullet: &str, text: &str) {
    let first = format!("  {bullet} ");
    let rest = " ".repeat(first.chars().count());
    let opts = textwrap::Options::new(WIDTH)
        .initial_indent(&first)
        .subsequent_indent(&rest)
        .word_splitter(textwrap::WordSplitter::NoHyphenation);
    for line in textwrap::wrap(text, &opts) {
        let _ = writeln!(o, "{line}");
    }
}

fn heading(o: &mut String, text: &str) {
    let _ = writeln!(o, "\n{}", text.to_uppercase());
}

/// Cuts a name to `n` characters for a column.
fn cut(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        let mut c: String = s.chars().take(n - 1).collect();
        c.push('…');
        c
    }
}

/// Renders the advice for a terminal; `top` limits the ranking and exclusion rows (`None`: all).
pub fn render(a: &Advice, lang: Lang, top: Option<usize>) -> String {
    let mut o = String::new();
    let c = &a.case;
    let _ = writeln!(
        o,
        "{}: {}",
        t(lang, "Concept-locatieadvies", "Draft location advice"),
        c.title
    );
    let mut kind = letter::kind_word(lang, &c.kind).to_string();
    if c.policy_core {
        kind.push_str(t(lang, " (beleidskern)", " (policy core)"));
    }
    let _ = writeln!(
        o,
        "  {:<10} {kind}, {} {}",
        t(lang, "casus", "case"),
        number(c.fte, 0, lang),
        t(lang, "fte", "FTE"),
    );
    let _ = writeln!(
        o,
        "  {:<10} Ministerie van {} ({} {})",
        t(lang, "ministerie", "ministry"),
        c.ministry_name,
        t(lang, "sector", "sector"),
        c.sector
    );
    if !c.current_location_names.is_empty() {
        let _ = writeln!(
            o,
            "  {:<10} {}",
            t(lang, "huidig", "current"),
            c.current_location_names.join(", ")
        );
    }
    if let Some(p) = &c.preferred_location_name {
        let _ = writeln!(o, "  {:<10} {p}", t(lang, "voorkeur", "preferred"));
    }
    if !c.theme_titles.is_empty() {
        let _ = writeln!(
            o,
            "  {:<10} {}",
            t(lang, "thema's", "themes"),
            c.theme_titles.join(", ")
        );
    }
    let _ = writeln!(
        o,
        "  {:<10} {}",
        t(lang, "BZK-advies", "BZK advice"),
        if a.advice_required {
            t(
                lang,
                "vereist (100 fte of meer)",
                "required (100 FTE or more)",
            )
        } else {
            t(
                lang,
                "niet vereist (minder dan 100 fte)",
                "not required (less than 100 FTE)",
            )
        }
    );

    heading(&mut o, t(lang, "Advies", "Advice"));
    para(&mut o, &letter::advice_sentence(a, lang));
    if let Some(s) = letter::robustness_sentence(a, lang) {
        o.push('\n');
        para(&mut o, &s);
    }

    if !a.shortlist.is_empty() {
        heading(&mut o, t(lang, "Alternatieven", "Alternatives"));
        for s in &a.shortlist {
            let _ = writeln!(o, "  {}", letter::shortlist_line(s, lang));
        }
    }

    let pref = letter::preference_lines(a, lang);
    if let Some((first, rest)) = pref.split_first() {
        heading(
            &mut o,
            t(
                lang,
                "De voorkeur van het ministerie",
                "The ministry's preference",
            ),
        );
        para(&mut o, first);
        for line in rest {
            item(&mut o, "-", &line.replace('*', ""));
        }
    }

    ranking(&mut o, a, lang, top);

    if let Some(split) = &a.shrink_split {
        heading(
            &mut o,
            t(
                lang,
                "Voorgestelde verdeling van de krimp",
                "Proposed split of the reduction",
            ),
        );
        for p in &split.parts {
            let of = p
                .current_fte
                .map(|c| {
                    format!(
                        " ({} {} {})",
                        t(lang, "nu", "now"),
                        number(c, 1, lang),
                        t(lang, "fte", "FTE")
                    )
                })
                .unwrap_or_default();
            let cut_by = if p.reduction_fte > 0.0 {
                format!(
                    "-{} {}",
                    number(p.reduction_fte, 1, lang),
                    t(lang, "fte", "FTE")
                )
            } else {
                t(lang, "geen krimp", "no reduction").to_string()
            };
            let _ = writeln!(o, "  {:<26} {cut_by}{of}", p.name);
        }
        para(
            &mut o,
            &format!(
                "{}: {}",
                t(lang, "Methode", "Method"),
                match lang {
                    Lang::Nl => &split.method_nl,
                    Lang::En => &split.method,
                }
            ),
        );
    }

    if let Some(rb) = &a.robustness {
        robustness(&mut o, a, rb, lang);
    }

    heading(
        &mut o,
        t(lang, "Richtinggevende principes", "Guiding principles"),
    );
    for p in &a.principles {
        let touched = if p.locations_affected > 0 {
            format!(
                ", {} {}",
                p.locations_affected,
                t(lang, "locaties geraakt", "locations touched")
            )
        } else {
            String::new()
        };
        item(
            &mut o,
            "-",
            &format!(
                "{} ({}; {}): {}{touched}",
                p.title,
                letter::principle_status(&p.status, lang),
                letter::principle_force(&p.effect, lang),
                letter::principle_state(a, p, lang)
            ),
        );
    }
    if !a.motivations.is_empty() {
        heading(&mut o, t(lang, "Pas toe of leg uit", "Comply or explain"));
        for m in &a.motivations {
            let text = m.text.clone().unwrap_or_else(|| {
                t(
                    lang,
                    "MOTIVERING ONTBREEKT: het advies is onvolledig",
                    "MOTIVATION MISSING: the advice is incomplete",
                )
                .into()
            });
            item(&mut o, "-", &format!("{} ({}): {text}", m.title, m.name));
        }
    }
    if !a.flags.is_empty() {
        heading(&mut o, t(lang, "Signaleringen", "Flags"));
        for f in &a.flags {
            let msg = match lang {
                Lang::Nl => &f.message_nl,
                Lang::En => &f.message,
            };
            item(&mut o, "-", &letter::capitalised(msg));
        }
    }
    if !a.excluded.is_empty() {
        heading(
            &mut o,
            &format!(
                "{} ({})",
                t(lang, "Uitgesloten locaties", "Excluded locations"),
                a.excluded.len()
            ),
        );
        let show = top.map_or(a.excluded.len(), |n| n.min(a.excluded.len()));
        for x in &a.excluded[..show] {
            item(
                &mut o,
                "-",
                &format!(
                    "{} ({}): {}",
                    x.name,
                    x.province_name,
                    letter::exclusion_reasons(a, x, lang)
                ),
            );
        }
        if show < a.excluded.len() {
            let _ = writeln!(
                o,
                "  … {} {}",
                a.excluded.len() - show,
                t(
                    lang,
                    "meer (--all of --format json)",
                    "more (--all or --format json)"
                )
            );
        }
    }
    let _ = writeln!(
        o,
        "\n{} {}  engine {}",
        t(lang, "invoerkenmerk", "input digest"),
        a.input_digest,
        a.engine_version
    );
    o
}

/// The ranking table and the make-up of the first place's score.
fn ranking(o: &mut String, a: &Advice, lang: Lang, top: Option<usize>) {
    let shrink = a.ranking_meaning == "shrink-priority";
    heading(
        o,
        &format!(
            "{} ({} {}, {} {})",
            if shrink {
                t(lang, "Krimpvolgorde", "Shrink order")
            } else {
                t(lang, "Ranglijst", "Ranking")
            },
            a.ranking.len(),
            t(lang, "haalbaar", "feasible"),
            a.excluded.len(),
            t(lang, "uitgesloten", "excluded")
        ),
    );
    if a.ranking.is_empty() {
        let _ = writeln!(
            o,
            "  {}",
            t(lang, "Geen haalbare locatie.", "No feasible location.")
        );
        return;
    }
    let _ = writeln!(
        o,
        "  {:>3}  {:<24}  {:<14}  {:<8}  {:<28}  {:>6}",
        "#",
        t(lang, "locatie", "location"),
        t(lang, "provincie", "province"),
        "Randstad",
        t(lang, "groep", "group"),
        "score"
    );
    let rows = top.map_or(a.ranking.len(), |n| n.min(a.ranking.len()));
    for r in &a.ranking[..rows] {
        let group = letter::tier_label(r, lang);
        let group = if group.is_empty() {
            t(lang, "eerste groep", "first group").to_string()
        } else {
            group
        };
        let _ = writeln!(
            o,
            "  {:>3}  {:<24}  {:<14}  {:<8}  {:<28}  {:>6}",
            r.rank,
            cut(&r.name, 24),
            cut(&r.province_name, 14),
            if r.randstad {
                t(lang, "ja", "yes")
            } else {
                t(lang, "nee", "no")
            },
            cut(&group, 28),
            number(r.score, 3, lang)
        );
    }
    if rows < a.ranking.len() {
        let _ = writeln!(
            o,
            "  … {} {}",
            a.ranking.len() - rows,
            t(lang, "meer (--all)", "more (--all)")
        );
    }
    if a.ranking.iter().any(|r| r.tier > 0) {
        o.push('\n');
        para(
            o,
            t(
                lang,
                "De principes ordenen eerst in groepen, de score ordent daarbinnen: een locatie in een latere groep komt na elke locatie in een eerdere groep, hoe hoog haar score ook is.",
                "The principles order in groups first, the score within a group: a location in a later group comes after every location in an earlier group, however high its score.",
            ),
        );
    }
    let best = &a.ranking[0];
    heading(
        o,
        &format!(
            "{} {}",
            if shrink {
                t(
                    lang,
                    "Opbouw van de krimpprioriteit van",
                    "Shrink priority made up:",
                )
            } else {
                t(lang, "Opbouw van de score van", "How the score is made up:")
            },
            best.name
        ),
    );
    let _ = writeln!(
        o,
        "  {:<34}  {:<40}  {:>6}  {:>7}  {:>8}",
        t(lang, "criterium", "criterion"),
        t(lang, "gegeven", "figure"),
        t(lang, "waarde", "value"),
        t(lang, "gewicht", "weight"),
        t(lang, "bijdrage", "contrib.")
    );
    for c in best.contributions.iter().filter(|c| c.weight > 0.0) {
        let shown = if c.applies {
            format!(
                "{}{}",
                letter::figure(a, c, lang),
                if c.estimate { " *" } else { "" }
            )
        } else {
            t(lang, "telt hier niet", "does not count here").into()
        };
        let _ = writeln!(
            o,
            "  {:<34}  {:<40}  {:>6}  {:>7}  {:>8}",
            cut(&letter::criterion_title(a, &c.criterion, lang), 34),
            cut(&shown, 40),
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
            "  {:<34}  {:<40}  {:>6}  {:>7}  {:>8}",
            cut(title, 34),
            t(lang, "aanpassing", "adjustment"),
            "",
            "",
            number(x.delta, 3, lang)
        );
    }
    for tr in &best.travel {
        let minutes = tr
            .minutes
            .map_or(t(lang, "onbekend", "unknown").into(), |m| {
                format!(
                    "{} {}{}",
                    number(m.round(), 0, lang),
                    t(lang, "minuten", "minutes"),
                    if tr.measured { "" } else { " *" }
                )
            });
        let _ = writeln!(
            o,
            "  {:<34}  {minutes}",
            cut(
                &format!(
                    "{} {}",
                    t(lang, "reistijd naar", "rail minutes to"),
                    tr.name
                ),
                34
            )
        );
    }
    let _ = writeln!(
        o,
        "  * {}",
        t(
            lang,
            "schatting, benadering of modeluitkomst",
            "estimate, proxy or model output"
        )
    );
}

/// How sure the advice is: the details behind the sentence at the top.
fn robustness(o: &mut String, a: &Advice, rb: &Robustness, lang: Lang) {
    use super::name_of;
    heading(o, t(lang, "Robuustheid", "Robustness"));
    let band = match rb.weight_band {
        Some(b) => format!(
            "{} ±{}",
            t(lang, "gewichten binnen", "weights within"),
            letter::percent(b, lang)
        ),
        None => t(lang, "gewichten vrij", "weights free").to_string(),
    };
    let _ = writeln!(
        o,
        "  SMAA-2, {} {}, seed {}; {band}, {} ±{}",
        number(rb.samples as f64, 0, lang),
        t(lang, "trekkingen", "samples"),
        rb.seed,
        t(
            lang,
            "geschatte gegevens binnen",
            "estimated figures within"
        ),
        letter::percent(rb.estimate_band, lang)
    );
    let shown = rb.ranks.min(3);
    let header: String = (1..=shown)
        .map(|r| format!("{:>9}", format!("{} {r}", t(lang, "plaats", "rank"))))
        .collect();
    let _ = writeln!(
        o,
        "  {:<26}{header}  {}",
        t(lang, "locatie", "location"),
        t(lang, "betrouwbaarheid", "confidence")
    );
    for acc in rb.rank_acceptability.iter().take(5) {
        let cells: String = acc
            .ranks
            .iter()
            .take(shown)
            .map(|x| format!("{:>9}", letter::percent(*x, lang)))
            .collect();
        let _ = writeln!(
            o,
            "  {:<26}{cells}  {}",
            cut(&acc.name, 26),
            acc.confidence_factor
                .map_or("-".into(), |c| number(c, 2, lang))
        );
    }
    if let Some(best) = a.ranking.first() {
        let _ = writeln!(
            o,
            "\n  {} {} {}",
            t(
                lang,
                "Zolang een gewicht binnen de grenzen blijft, blijft",
                "While a weight stays within the bounds,"
            ),
            best.name,
            t(lang, "bovenaan:", "stays first:")
        );
        for iv in rb.stability_intervals.iter().filter(|iv| iv.weight > 0.0) {
            let beyond: Vec<String> = [&iv.below, &iv.above]
                .into_iter()
                .flatten()
                .map(|c| name_of(a, c))
                .collect();
            let _ = writeln!(
                o,
                "  {:<34}  {}  [{} .. {}]  {}",
                cut(&letter::criterion_title(a, &iv.criterion, lang), 34),
                number(iv.weight, 3, lang),
                number(iv.lower, 3, lang),
                number(iv.upper, 3, lang),
                if beyond.is_empty() {
                    String::new()
                } else {
                    format!(
                        "{} {}",
                        t(lang, "daarbuiten", "beyond:"),
                        beyond.join(" / ")
                    )
                }
            );
        }
    }
    if let Some(s) = letter::cross_check_sentence(a, lang) {
        o.push('\n');
        para(o, &s);
    }
}
