//! The sentences of the advice that the Markdown letter and the terminal text share: the advice
//! itself, the assessment of the ministry's preference, how sure the ranking is, and the
//! cross-check, in Dutch (default) or English, with names instead of codes and no rule syntax.

use super::Lang;
use super::model::{Advice, Contribution, Excluded, PrincipleUse, Ranked};

/// Picks the Dutch or the English text.
pub fn t<'a>(lang: Lang, nl: &'a str, en: &'a str) -> &'a str {
    match lang {
        Lang::Nl => nl,
        Lang::En => en,
    }
}

/// A number with `digits` decimals and thousands grouped: `353.797` and `5,2` in Dutch,
/// `353,797` and `5.2` in English.
pub fn number(x: f64, digits: usize, lang: Lang) -> String {
    let s = format!("{:.digits$}", x.abs());
    let (int, frac) = match s.split_once('.') {
        Some((i, f)) => (i.to_string(), Some(f.to_string())),
        None => (s.clone(), None),
    };
    let (group, point) = match lang {
        Lang::Nl => ('.', ','),
        Lang::En => (',', '.'),
    };
    let mut grouped = String::new();
    for (k, ch) in int.chars().enumerate() {
        if k > 0 && (int.len() - k) % 3 == 0 {
            grouped.push(group);
        }
        grouped.push(ch);
    }
    let negative = x < 0.0 && s.chars().any(|c| c.is_ascii_digit() && c != '0');
    let mut out = String::new();
    if negative {
        out.push('-');
    }
    out.push_str(&grouped);
    if let Some(f) = frac {
        out.push(point);
        out.push_str(&f);
    }
    out
}

/// A share (0..1) as a percentage without needless decimals: `71%`, `26,4%`.
pub fn percent(x: f64, lang: Lang) -> String {
    let p = x * 100.0;
    if (p - p.round()).abs() < 0.05 {
        format!("{}%", number(p, 0, lang))
    } else {
        format!("{}%", number(p, 1, lang))
    }
}

/// A message as a sentence: first letter in upper case.
pub fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(first) => first.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// Joins items as a list: "a, b en c" / "a, b and c".
pub fn list(items: &[String], lang: Lang) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} {} {last}", init.join(", "), t(lang, "en", "and")),
    }
}

/// The kind of change in words: "groei", "nieuwe dienst".
pub fn kind_word(lang: Lang, kind: &str) -> &'static str {
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

/// A principle's force in words: "rangorde vóór de score", "harde eis".
pub fn principle_force(effect: &str, lang: Lang) -> &'static str {
    match (lang, effect) {
        (Lang::Nl, "tier") => "rangorde vóór de score",
        (Lang::Nl, "require") => "harde eis",
        (Lang::Nl, "adjust") => "aanpassing van de score",
        (Lang::Nl, "weigh") => "weegt via criteria",
        (Lang::Nl, "flag") => "signalering",
        (Lang::Nl, "explain") => "pas toe of leg uit",
        (Lang::Nl, "alternatives") => "alternatieven",
        (Lang::En, "tier") => "order before the score",
        (Lang::En, "require") => "hard requirement",
        (Lang::En, "adjust") => "score adjustment",
        (Lang::En, "weigh") => "weighs through criteria",
        (Lang::En, "flag") => "message",
        (Lang::En, "explain") => "comply or explain",
        (Lang::En, "alternatives") => "alternatives",
        _ => "",
    }
}

/// What a principle did on this case: applied, did not apply, switched off, or gave way to
/// another principle (stated precedence).
pub fn principle_state(a: &Advice, p: &PrincipleUse, lang: Lang) -> String {
    if p.disabled {
        t(lang, "uitgeschakeld", "switched off").to_string()
    } else if let Some(by) = &p.overridden_by {
        let title = a
            .principles
            .iter()
            .find(|q| &q.id == by)
            .map_or(by.as_str(), |q| q.title.as_str());
        match lang {
            Lang::Nl => format!("wijkt voor '{title}'"),
            Lang::En => format!("gives way to '{title}'"),
        }
    } else if p.applied {
        t(lang, "toegepast", "applied").to_string()
    } else {
        t(lang, "niet van toepassing", "did not apply").to_string()
    }
}

/// A principle's standing: cabinet policy or a working choice of the engine.
pub fn principle_status(status: &str, lang: Lang) -> &'static str {
    if status == "cabinet-policy" {
        t(lang, "kabinetsbeleid", "cabinet policy")
    } else {
        t(lang, "werkwijze van de engine", "engine practice")
    }
}

/// The kind of change as a noun for the advice sentence.
fn service(lang: Lang, kind: &str) -> &'static str {
    match (lang, kind) {
        (Lang::Nl, "new") => "de nieuwe dienst",
        (Lang::Nl, "growth") => "de uitbreiding",
        (Lang::Nl, "relocation") => "de dienst",
        (Lang::En, "new") => "the new service",
        (Lang::En, "growth") => "the expansion",
        (Lang::En, "relocation") => "the service",
        _ => "",
    }
}

/// A criterion's title in the advice's language, from the weights the advice carries.
pub fn criterion_title(a: &Advice, id: &str, lang: Lang) -> String {
    a.weights
        .iter()
        .find(|w| w.criterion == id)
        .map_or(id.to_string(), |w| match lang {
            Lang::Nl => w.title.clone(),
            Lang::En => w.title_en.clone(),
        })
}

/// A raw figure with its unit ("75 minuten", "1.840.907 inwoners van 15 tot 65 jaar", "ja").
pub fn figure(a: &Advice, c: &Contribution, lang: Lang) -> String {
    let unit = a
        .weights
        .iter()
        .find(|w| w.criterion == c.criterion)
        .map_or("", |w| w.unit.as_str());
    figure_with_unit(c.raw, unit, lang)
}

/// A raw figure in a criterion's unit (the `unit` of rules/criteria.toml), written out in the
/// advice's language: `klasse 3`, `€ 458.000 per woning`, `26,4%`, `ja`.
pub fn figure_with_unit(raw: Option<f64>, unit: &str, lang: Lang) -> String {
    let Some(x) = raw else {
        return t(lang, "ontbreekt", "missing").into();
    };
    let plain = |x: f64| {
        let digits = if x.abs() >= 100.0 || x.fract() == 0.0 {
            0
        } else {
            1
        };
        number(x, digits, lang)
    };
    match unit {
        "ja/nee" => if x > 0.0 {
            t(lang, "ja", "yes")
        } else {
            t(lang, "nee", "no")
        }
        .into(),
        "klasse" => format!("{} {}", t(lang, "klasse", "class"), plain(x)),
        "EUR 1.000 per woning" => format!(
            "€ {} {}",
            number((x * 1000.0).round(), 0, lang),
            t(lang, "per woning", "per dwelling")
        ),
        "%" => format!("{}%", plain(x)),
        "aandeel" => percent(x, lang),
        "minuten" => format!(
            "{} {}",
            number(x.round(), 0, lang),
            t(lang, "minuten", "minutes")
        ),
        "inwoners" => format!("{} {}", plain(x), t(lang, "inwoners", "inhabitants")),
        "inwoners van 15-65" => format!(
            "{} {}",
            plain(x),
            t(lang, "inwoners van 15 tot 65 jaar", "people aged 15 to 65")
        ),
        other => format!("{} {other}", plain(x)).trim().to_string(),
    }
}

/// A title inside a sentence: the first letter in lower case unless the word is an
/// abbreviation ("Reistijd per trein naar Den Haag" becomes "reistijd per trein naar Den Haag";
/// "WOZ-waarde" stays).
pub fn lower_first(title: &str) -> String {
    let mut chars = title.chars();
    match (chars.next(), chars.next()) {
        (Some(first), Some(second)) if !second.is_uppercase() => {
            first.to_lowercase().chain(title.chars().skip(1)).collect()
        }
        _ => title.to_string(),
    }
}

/// Why a location is excluded, each reason under the principle or criterion that gave it:
/// "Oog voor het primaire proces: stationsklasse 1 ...; Een plaats die de dienst kan dragen: ...".
pub fn exclusion_reasons(a: &Advice, x: &Excluded, lang: Lang) -> String {
    x.reasons
        .iter()
        .map(|r| {
            let message = match lang {
                Lang::Nl => &r.message_nl,
                Lang::En => &r.message,
            };
            let by = a
                .principles
                .iter()
                .find(|p| p.id == r.by)
                .map(|p| p.title.clone())
                .or_else(|| {
                    a.weights
                        .iter()
                        .any(|w| w.criterion == r.by)
                        .then(|| criterion_title(a, &r.by, lang))
                });
            match by {
                Some(title) => format!("{title}: {message}"),
                None => message.clone(),
            }
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// One alternative of the shortlist: "2. Utrecht (Utrecht), Randstad, alleen met motivering".
pub fn shortlist_line(s: &super::model::ShortlistItem, lang: Lang) -> String {
    let mut notes = Vec::new();
    if s.randstad {
        notes.push("Randstad");
    }
    if s.needs_motivation {
        notes.push(t(lang, "alleen met motivering", "only with a motivation"));
    }
    if s.reason != "top" {
        notes.push(t(
            lang,
            "toegevoegd als alternatief buiten de Randstad",
            "added as the alternative outside the Randstad",
        ));
    }
    let mut line = format!("{}. {} ({})", s.rank, s.name, s.province_name);
    for n in notes {
        line.push_str(", ");
        line.push_str(n);
    }
    line
}

/// The groups (tiers) a location is in, as a phrase: "alleen met motivering".
pub fn tier_label(r: &Ranked, lang: Lang) -> String {
    r.lower_tiers
        .iter()
        .map(|x| match lang {
            Lang::Nl => x.label.clone(),
            Lang::En => x.label_en.clone(),
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// The advice in one or two sentences: where, and why.
pub fn advice_sentence(a: &Advice, lang: Lang) -> String {
    let c = &a.case;
    let Some(con) = &a.conclusion else {
        return t(
            lang,
            "Geen enkele kandidaatlocatie voldoet aan de harde eisen; er is daarom geen locatie te adviseren. De uitgesloten locaties staan hieronder met hun redenen.",
            "No candidate location meets the hard requirements, so there is no location to advise. The excluded locations are listed below with their reasons.",
        )
        .into();
    };
    let fte = number(c.fte, 0, lang);
    let place = format!("{} ({})", con.name, con.province_name);
    let mut why: Vec<String> = Vec::new();
    let preferred_motivated = c.preferred_location.as_deref() == Some(con.location.as_str())
        && a.motivations
            .iter()
            .any(|m| m.location == con.location && m.given);
    let why_tier: Vec<String> = match lang {
        Lang::Nl => con.because.clone(),
        Lang::En => con.because_en.clone(),
    };
    let tiered = !why_tier.is_empty();
    why.extend(why_tier);
    let top_score = a.ranking.first().map_or(0.0, |r| r.score);
    let next_score = a.ranking.get(1).map_or(0.0, |r| r.score);
    if !con.gains.is_empty()
        && top_score >= next_score
        && let Some(next) = &con.runner_up_name
    {
        let titles: Vec<String> = con
            .gains
            .iter()
            .map(|g| match lang {
                Lang::Nl => lower_first(&g.title),
                Lang::En => lower_first(&g.title_en),
            })
            .collect();
        let shrink = a.ranking_meaning == "shrink-priority";
        why.push(match (lang, shrink) {
            (Lang::Nl, false) => format!(
                "het{} beter scoort dan {next}, vooral op {}",
                if tiered { " daarnaast" } else { "" },
                list(&titles, lang)
            ),
            (Lang::En, false) => format!(
                "it{} scores better than {next}, mainly on {}",
                if tiered { " also" } else { "" },
                list(&titles, lang)
            ),
            (Lang::Nl, true) => format!(
                "het{} een hogere krimpprioriteit heeft dan {next}, vooral door {}",
                if tiered { " daarbinnen" } else { "" },
                list(&titles, lang)
            ),
            (Lang::En, true) => format!(
                "it{} has a higher shrink priority than {next}, mainly through {}",
                if tiered { " also" } else { "" },
                list(&titles, lang)
            ),
        });
    }
    let because = if why.is_empty() {
        String::new()
    } else {
        format!(", {} {}", t(lang, "omdat", "because"), list(&why, lang))
    };
    let mut s = if a.ranking_meaning == "shrink-priority" {
        // Where the reduction lands, by the proposed split, and why the first place shrinks most.
        let parts: Vec<String> = a
            .shrink_split
            .iter()
            .flat_map(|x| &x.parts)
            .filter(|p| p.reduction_fte > 0.0)
            .map(|p| {
                format!(
                    "{} ({} {})",
                    p.name,
                    number(p.reduction_fte, 1, lang),
                    t(lang, "fte", "FTE")
                )
            })
            .collect();
        let spared: Vec<String> = a
            .shrink_split
            .iter()
            .flat_map(|x| &x.parts)
            .filter(|p| p.reduction_fte <= 0.0)
            .map(|p| p.name.clone())
            .collect();
        let mut s = match (lang, parts.is_empty()) {
            (Lang::Nl, false) => format!(
                "Het advies is de krimp van {fte} fte te laten landen in {}",
                list(&parts, lang)
            ),
            (Lang::En, false) => format!(
                "The advice is to let the reduction of {fte} FTE land in {}",
                list(&parts, lang)
            ),
            (Lang::Nl, true) => {
                format!("Het advies is de krimp van {fte} fte eerst te laten landen in {place}")
            }
            (Lang::En, true) => {
                format!("The advice is to let the reduction of {fte} FTE land first in {place}")
            }
        };
        if !spared.is_empty() && !parts.is_empty() {
            s.push_str(&match lang {
                Lang::Nl => format!("; {} blijven ontzien", list(&spared, lang)),
                Lang::En => format!("; {} are spared", list(&spared, lang)),
            });
        }
        s.push('.');
        if !why.is_empty() {
            s.push_str(&match lang {
                Lang::Nl => format!(
                    " {} krimpt het eerst, omdat {}.",
                    con.name,
                    list(&why, lang)
                ),
                Lang::En => format!(" {} shrinks first, because {}.", con.name, list(&why, lang)),
            });
        }
        s
    } else {
        match lang {
            Lang::Nl => format!(
                "Het advies is {} ({fte} fte) te vestigen in {place}{because}.",
                service(lang, &c.kind)
            ),
            Lang::En => format!(
                "The advice is to locate {} ({fte} FTE) in {place}{because}.",
                service(lang, &c.kind)
            ),
        }
    };
    if preferred_motivated {
        s.push(' ');
        s.push_str(&match lang {
            Lang::Nl => format!("{} is de voorkeur van het ministerie, dat de afwijking van de principes motiveert (zie hieronder).", con.name),
            Lang::En => format!("{} is the ministry's preference, which motivates its departure from the principles (see below).", con.name),
        });
    }
    if !a.complete {
        let missing: Vec<String> = a
            .motivations
            .iter()
            .filter(|m| !m.given)
            .map(|m| format!("'{}'", m.title))
            .collect();
        s.push(' ');
        s.push_str(&match (lang, missing.is_empty()) {
            (Lang::Nl, false) => format!(
                "Het advies is onvolledig: de voorkeurslocatie van het ministerie wijkt af van {} en de motivering daarvoor ontbreekt.",
                list(&missing, lang)
            ),
            (Lang::En, false) => format!(
                "The advice is incomplete: the ministry's preferred location departs from {} and the motivation is missing.",
                list(&missing, lang)
            ),
            (Lang::Nl, true) => "Het advies is onvolledig.".into(),
            (Lang::En, true) => "The advice is incomplete.".into(),
        });
    }
    s
}

/// The ministry's preference against every principle that applies, one line each.
pub fn preference_lines(a: &Advice, lang: Lang) -> Vec<String> {
    let Some(p) = &a.preference else {
        return Vec::new();
    };
    let mut out = vec![match (lang, p.rank, p.excluded) {
        (Lang::Nl, _, true) => format!("{} valt af op een harde eis.", p.name),
        (Lang::En, _, true) => format!("{} is excluded by a hard requirement.", p.name),
        (Lang::Nl, Some(r), _) => format!("{} staat op plaats {r} van de ranglijst.", p.name),
        (Lang::En, Some(r), _) => format!("{} ranks {r}.", p.name),
        (_, None, false) => p.name.clone(),
    }];
    for item in &p.items {
        let verdict = match (item.verdict.as_str(), lang, &item.motivation) {
            ("complies", Lang::Nl, _) => "Voldoet.".to_string(),
            ("complies", Lang::En, _) => "Complies.".into(),
            ("departs", Lang::Nl, Some(m)) => {
                format!("Wijkt af; de motivering van het ministerie: \"{m}\"")
            }
            ("departs", Lang::En, Some(m)) => {
                format!("Departs; the ministry's motivation: \"{m}\"")
            }
            ("departs", Lang::Nl, None) => "Wijkt af; **de motivering ontbreekt**.".into(),
            ("departs", Lang::En, None) => "Departs; **the motivation is missing**.".into(),
            ("weighs", Lang::Nl, _) => "Telt mee in de score.".into(),
            ("weighs", Lang::En, _) => "Counts in the score.".into(),
            (other, _, _) => other.into(),
        };
        let finding = match lang {
            Lang::Nl => &item.finding_nl,
            Lang::En => &item.finding,
        };
        let prefix = format!("{}: ", p.name);
        let finding = finding.strip_prefix(&prefix).unwrap_or(finding);
        out.push(format!("*{}*: {finding}. {verdict}", item.title));
    }
    out
}

/// How sure the ranking is, in plain words: who holds first place how often, and on which
/// weight the order between the first two hangs.
pub fn robustness_sentence(a: &Advice, lang: Lang) -> Option<String> {
    let rb = a.robustness.as_ref()?;
    let top = a.ranking.first()?;
    let firsts: Vec<(&str, f64)> = rb
        .rank_acceptability
        .iter()
        .filter(|x| x.ranks.first().is_some_and(|p| *p > 0.0))
        .map(|x| (x.name.as_str(), x.ranks[0]))
        .collect();
    let share = firsts
        .iter()
        .find(|(n, _)| *n == top.name)
        .map_or(0.0, |x| x.1);
    let mut s = match lang {
        Lang::Nl => format!(
            "Hoe zeker is dit? {} staat in {} van de {} doorgerekende wegingen bovenaan",
            top.name,
            percent(share, lang),
            number(rb.samples as f64, 0, lang)
        ),
        Lang::En => format!(
            "How sure is this? {} comes first in {} of the {} weightings computed",
            top.name,
            percent(share, lang),
            number(rb.samples as f64, 0, lang)
        ),
    };
    let others: Vec<String> = firsts
        .iter()
        .filter(|(n, _)| *n != top.name)
        .take(2)
        .map(|(n, p)| format!("{n} {}", percent(*p, lang)))
        .collect();
    if !others.is_empty() {
        s.push_str(&format!(
            "; {} {}",
            t(lang, "anders", "otherwise"),
            list(&others, lang)
        ));
    }
    s.push('.');
    // The weight with the narrowest room: the one the first place hangs on most.
    let tight = rb
        .stability_intervals
        .iter()
        .filter(|iv| iv.weight > 0.0)
        .map(|iv| {
            let room = ((iv.weight - iv.lower).min(iv.upper - iv.weight)) / iv.weight;
            (room, iv)
        })
        .min_by(|a, b| a.0.total_cmp(&b.0));
    // Another location first more often than the advised one: say so plainly.
    let rival = firsts
        .iter()
        .filter(|(n, p)| *n != top.name && *p > share)
        .max_by(|a, b| a.1.total_cmp(&b.1));
    if let Some((rival, p)) = rival {
        s.push_str(&match lang {
            Lang::Nl => format!(
                " Bij wisselende gewichten en gegevens staat {rival} dus vaker bovenaan ({}) dan {} ({}): de keuze tussen beide wordt door de criteria niet beslist en vraagt een eigen afweging.",
                percent(*p, lang),
                top.name,
                percent(share, lang)
            ),
            Lang::En => format!(
                " Under varying weights and figures {rival} thus comes first more often ({}) than {} ({}): the criteria do not decide between the two, which calls for a judgement of its own.",
                percent(*p, lang),
                top.name,
                percent(share, lang)
            ),
        });
    } else if share >= 0.95 {
        s.push_str(t(
            lang,
            " De eerste plaats is zeker binnen de onderzochte bandbreedte van gewichten en geschatte gegevens.",
            " First place is certain within the band of weights and estimated figures explored.",
        ));
    } else if let Some((_, iv)) = tight {
        let other = iv
            .below
            .as_ref()
            .or(iv.above.as_ref())
            .map(|c| super::name_of(a, c));
        s.push_str(&match lang {
            Lang::Nl => format!(
                " De eerste plaats hangt het meest af van het gewicht van {}: tussen {} en {} blijft {} bovenaan{}.",
                lower_first(&criterion_title(a, &iv.criterion, lang)),
                number(iv.lower, 3, lang),
                number(iv.upper, 3, lang),
                top.name,
                other.map_or(String::new(), |o| format!(", daarbuiten {o}"))
            ),
            Lang::En => format!(
                " First place depends most on the weight of {}: between {} and {} {} stays first{}.",
                lower_first(&criterion_title(a, &iv.criterion, lang)),
                number(iv.lower, 3, lang),
                number(iv.upper, 3, lang),
                top.name,
                other.map_or(String::new(), |o| format!(", beyond it {o}"))
            ),
        });
    }
    if a.ranking.iter().any(|r| r.tier > 0) {
        s.push_str(t(
            lang,
            " De groepen van de principes liggen vast: gewichten veranderen alleen de volgorde binnen een groep.",
            " The principles' groups are fixed: weights change the order within a group only.",
        ));
    }
    Some(s)
}

/// The cross-check, worded as what it is: the criteria alone, without the principles.
pub fn cross_check_sentence(a: &Advice, lang: Lang) -> Option<String> {
    let cc = &a.robustness.as_ref()?.cross_check;
    let main = super::name_of(a, cc.main_top.as_deref()?);
    let others: Vec<String> = cc
        .methods
        .iter()
        .filter(|m| m.skipped.is_none())
        .filter_map(|m| {
            let top = super::name_of(a, m.ranking.first()?);
            let method = if m.method == "topsis" {
                "TOPSIS"
            } else {
                "PROMETHEE II"
            };
            Some(match lang {
                Lang::Nl => format!(
                    "{method} {top} (Kendalls tau {})",
                    number(m.kendall_tau, 2, lang)
                ),
                Lang::En => format!(
                    "{method} {top} (Kendall's tau {})",
                    number(m.kendall_tau, 2, lang)
                ),
            })
        })
        .collect();
    let mut s = match lang {
        Lang::Nl => format!(
            "Ter controle: op de criteria alleen, zonder de principes, zet de gewogen som {main} bovenaan, en zetten de relatieve methoden bovenaan: {}.",
            list(&others, lang)
        ),
        Lang::En => format!(
            "As a check: on the criteria alone, without the principles, the weighted sum puts {main} first, and the relative methods put first: {}.",
            list(&others, lang)
        ),
    };
    if cc.methods.iter().any(|m| m.top_differs) {
        s.push_str(t(
            lang,
            " Dat een controlemethode een andere locatie bovenaan zet, zegt dat de keuze op de criteria alleen niet vanzelf spreekt; het advies weegt ook de principes.",
            " That a check method puts another location first says the choice is not self-evident on the criteria alone; the advice also weighs the principles.",
        ));
    }
    s.push_str(t(
        lang,
        " Relatieve methoden kunnen van volgorde wisselen als kandidaten worden toegevoegd of weggelaten; de hoofdmethode scoort elke locatie op absolute waardefuncties en kan dat niet.",
        " Relative methods can reverse ranks when candidates are added or removed; the main method scores each location on absolute value functions and cannot.",
    ));
    Some(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_written_the_dutch_way() {
        assert_eq!(number(353_797.0, 0, Lang::Nl), "353.797");
        assert_eq!(number(353_797.0, 0, Lang::En), "353,797");
        assert_eq!(number(5.2, 1, Lang::Nl), "5,2");
        assert_eq!(number(-1234.5, 1, Lang::Nl), "-1.234,5");
        assert_eq!(number(-0.04, 1, Lang::Nl), "0,0");
        assert_eq!(percent(0.264, Lang::Nl), "26,4%");
        assert_eq!(
            list(&["a".into(), "b".into(), "c".into()], Lang::Nl),
            "a, b en c"
        );
    }
}
