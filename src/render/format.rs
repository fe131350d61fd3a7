//! Words and numbers written the way a reader of each language expects: thousands grouped and a
//! decimal comma in Dutch (353.797; 5,2%), lists ("a, b en c"), figures in a criterion's unit
//! (`klasse 3`, `€ 458.000 per woning`). Used by the templates, the text renderers and the
//! engine's findings, so that every document formats alike.

use super::Lang;

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

/// A number as a remark states it: whole, or with one decimal, thousands grouped (`45`, `1,5`,
/// `1.250` in Dutch).
pub fn amount(x: f64, lang: Lang) -> String {
    number(x, if x.fract() == 0.0 { 0 } else { 1 }, lang)
}

/// A number in its shortest exact form: `1.312,5` and `1,3` in Dutch, `1312.5` in English.
pub fn shortest(x: f64, lang: Lang) -> String {
    let s = x.to_string();
    match lang {
        Lang::Nl => {
            let digits = s.split_once('.').map_or(0, |(_, f)| f.len());
            number(x, digits, lang)
        }
        Lang::En => s,
    }
}

/// A signed number as written, shortest form, with a decimal comma in Dutch: `+0,05`, `-0.1`.
pub fn plus(x: f64, lang: Lang) -> String {
    let s = format!("{x:+}");
    match lang {
        Lang::Nl => s.replace('.', ","),
        Lang::En => s,
    }
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

/// Joins items as a list: "a, b en c" / "a, b and c".
pub fn list(items: &[String], lang: Lang) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} {} {last}", init.join(", "), t(lang, "en", "and")),
    }
}

/// A raw figure in a criterion's unit (the `unit` of rules/criteria.toml), written out in the
/// reader's language: `klasse 3`, `€ 458.000 per woning`, `26,4%`, `ja`.
pub fn figure(raw: Option<f64>, unit: &str, lang: Lang) -> String {
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
        "score" => format!(
            "{} {}",
            number(x, 2, lang),
            t(lang, "(schaal 0-1)", "(scale 0-1)")
        ),
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

/// A number with `digits` decimals and no grouping, the way tables of figures are written
/// (`12691.0`).
pub fn fixed(x: f64, digits: usize) -> String {
    format!("{x:.digits$}")
}

/// A change with its sign and `digits` decimals (`+152`, `-2.3`); `tidy` rounds first so that a
/// change that rounds to zero reads `+0`, not `-0`.
pub fn signed(x: f64, digits: usize, tidy_zero: bool) -> String {
    let x = if tidy_zero { tidy(x, digits) } else { x };
    format!("{x:+.digits$}")
}

/// A number with `digits` decimals for a document: the Dutch way in Dutch (`353.797`, `5,2`);
/// in English as [`fixed`], plain digits as the English terminal outputs have always had them.
pub fn decimal(x: f64, digits: usize, lang: Lang) -> String {
    match lang {
        Lang::Nl => number(x, digits, lang),
        Lang::En => fixed(x, digits),
    }
}

/// [`signed`] for a document: the Dutch way in Dutch (`+17.527`, `+5,2`), plain in English.
pub fn decimal_signed(x: f64, digits: usize, tidy_zero: bool, lang: Lang) -> String {
    let x = if tidy_zero { tidy(x, digits) } else { x };
    match lang {
        Lang::Nl => {
            let sign = if x < 0.0 { "-" } else { "+" };
            format!("{sign}{}", number(x.abs(), digits, lang))
        }
        Lang::En => format!("{x:+.digits$}"),
    }
}

/// Rounds to `digits` decimals without a negative zero.
fn tidy(x: f64, digits: usize) -> f64 {
    let f = 10f64.powi(digits as i32);
    (x * f).round() / f + 0.0
}

/// Cuts a text to `n` characters for a column, marking the cut with `…`.
pub fn cut(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        let mut c: String = s.chars().take(n.saturating_sub(1)).collect();
        c.push('…');
        c
    }
}

/// A paragraph wrapped to `width` columns at word boundaries (never inside a word or at a
/// hyphen), the first line starting with `first`, the others with `rest`.
pub fn wrap(text: &str, width: usize, first: &str, rest: &str) -> String {
    let opts = textwrap::Options::new(width)
        .initial_indent(first)
        .subsequent_indent(rest)
        .word_splitter(textwrap::WordSplitter::NoHyphenation);
    textwrap::wrap(text, &opts).join("\n")
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

    #[test]
    fn remark_numbers() {
        assert_eq!(amount(45.0, Lang::Nl), "45");
        assert_eq!(amount(52.25, Lang::Nl), "52,2");
        assert_eq!(amount(1250.0, Lang::Nl), "1.250");
        assert_eq!(amount(1250.0, Lang::En), "1,250");
        assert_eq!(plus(0.05, Lang::Nl), "+0,05");
        assert_eq!(plus(-0.1, Lang::En), "-0.1");
        assert_eq!(shortest(312.5, Lang::Nl), "312,5");
        assert_eq!(shortest(1312.5, Lang::Nl), "1.312,5");
        assert_eq!(shortest(1.3, Lang::Nl), "1,3");
        assert_eq!(shortest(1.25, Lang::En), "1.25");
    }

    #[test]
    fn figures_carry_their_unit() {
        assert_eq!(
            figure(Some(458.0), "EUR 1.000 per woning", Lang::Nl),
            "€ 458.000 per woning"
        );
        assert_eq!(figure(Some(3.0), "klasse", Lang::Nl), "klasse 3");
        assert_eq!(figure(Some(74.96), "minuten", Lang::Nl), "75 minuten");
        assert_eq!(figure(Some(1.0), "ja/nee", Lang::En), "yes");
        assert_eq!(figure(None, "klasse", Lang::Nl), "ontbreekt");
        assert_eq!(lower_first("Reistijd per trein"), "reistijd per trein");
        assert_eq!(lower_first("WOZ-waarde"), "WOZ-waarde");
        assert_eq!(cut("Súdwest-Fryslân", 8), "Súdwest…");
    }
}
