//! `case`: the register of cases (zaakregister) — register a case, list and show cases, mark one
//! as taken up, give an advice and store it, record the minister's decision, and re-run a stored
//! advice to check it.

use std::path::{Path, PathBuf};

use clap::{Args as ClapArgs, Subcommand, ValueEnum};

use super::{EXIT_FAILURE, EXIT_INCOMPLETE, EXIT_INVALID, PlainFormat, out, world_or_report};
use crate::config::{SourceFile, SourceOptions, check_case, read_text};
use crate::diag::Diagnostics;
use crate::register::{AdviceRecord, Register, RegisterError, default_path, parse_date, today};

#[derive(Debug, ClapArgs)]
pub struct Args {
    /// The register file (SQLite). Default: `locatieadvies/register.sqlite` in the user's data
    /// directory.
    #[arg(long, global = true, value_name = "PATH")]
    pub db: Option<PathBuf>,
    #[command(subcommand)]
    pub command: CaseCommand,
}

/// Whether the responsible minister followed the advice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Followed {
    Yes,
    No,
}

/// The register's subcommands.
#[derive(Debug, Subcommand)]
pub enum CaseCommand {
    /// Register a case file under a case number.
    Add {
        /// The case file (TOML, as for `advise`).
        file: PathBuf,
        /// The case number, for example `2026-014`.
        #[arg(long)]
        number: String,
        /// The date the case was received (YYYY-MM-DD).
        #[arg(long)]
        received: String,
    },
    /// List the registered cases.
    List {
        /// Only the cases received in this year.
        #[arg(long)]
        year: Option<i16>,
        #[arg(long, value_enum, default_value_t = PlainFormat::Text)]
        format: PlainFormat,
    },
    /// Show one case with every advice given for it.
    Show {
        number: String,
        #[arg(long, value_enum, default_value_t = PlainFormat::Text)]
        format: PlainFormat,
    },
    /// Mark a received case as taken up (status `in behandeling`).
    Start { number: String },
    /// Advise on a registered case (with the current profiles and rules) and store the advice.
    Advise {
        number: String,
        /// The date of the advice (YYYY-MM-DD); default today.
        #[arg(long)]
        date: Option<String>,
    },
    /// Record the responsible minister's decision.
    Decide {
        number: String,
        /// The date of the decision (YYYY-MM-DD).
        #[arg(long)]
        date: String,
        /// The decision in the ministry's words, for example "gevestigd in Assen".
        #[arg(long)]
        decision: String,
        /// Whether the decision follows the advice.
        #[arg(long, value_enum)]
        followed: Followed,
        /// Why the advice was not followed (required with `--followed no`).
        #[arg(long)]
        motivation: Option<String>,
    },
    /// Re-run the last stored advice of a case and check that it comes out the same.
    Verify { number: String },
}

/// Runs `case`.
pub fn run(args: &Args, opts: &SourceOptions) -> u8 {
    let path = args.db.clone().unwrap_or_else(default_path);
    let reading = matches!(
        args.command,
        CaseCommand::List { .. } | CaseCommand::Show { .. } | CaseCommand::Verify { .. }
    );
    let opened = if reading {
        Register::open_existing(&path)
    } else {
        Register::open(&path)
    };
    let mut register = match opened {
        Ok(r) => r,
        Err(e) => return fail(&e),
    };
    let result = match &args.command {
        CaseCommand::Add {
            file,
            number,
            received,
        } => add(&mut register, opts, file, number, received),
        CaseCommand::List { year, format } => list(&register, opts, *year, *format),
        CaseCommand::Show { number, format } => show(&register, opts, number, *format),
        CaseCommand::Start { number } => register
            .start(number)
            .map(|status| out(&format!("case {number}: {status}\n"))),
        CaseCommand::Advise { number, date } => advise(&mut register, opts, number, date),
        CaseCommand::Decide {
            number,
            date,
            decision,
            followed,
            motivation,
        } => parse_date(date).and_then(|d| {
            register
                .decide(
                    number,
                    d,
                    decision,
                    *followed == Followed::Yes,
                    motivation.as_deref(),
                )
                .map(|_| out(&format!("case {number}: besluit genomen\n")))
        }),
        CaseCommand::Verify { number } => verify(&register, opts, number),
    };
    result.unwrap_or_else(|e| fail(&e))
}

/// A register problem on stderr: exit 2 for bad input (a missing register, an unknown case, a bad
/// date), 3 for a register that cannot be used.
pub(super) fn fail(e: &RegisterError) -> u8 {
    eprintln!("error: {e}");
    match e {
        RegisterError::Sqlite { .. }
        | RegisterError::Folder { .. }
        | RegisterError::Newer { .. } => EXIT_FAILURE,
        _ => EXIT_INVALID,
    }
}

/// Validates the case file against the current profiles and rules, then registers it.
fn add(
    register: &mut Register,
    opts: &SourceOptions,
    file: &Path,
    number: &str,
    received: &str,
) -> Result<u8, RegisterError> {
    let received = parse_date(received)?;
    let world = match world_or_report(opts) {
        Ok(w) => w,
        Err(code) => return Ok(code),
    };
    let mut diags = Diagnostics::default();
    let Some(text) = read_text(file, &mut diags) else {
        eprint!("{}", diags.render());
        return Ok(EXIT_INVALID);
    };
    let source = SourceFile {
        key: file.display().to_string(),
        display: file.display().to_string(),
        text: text.clone(),
    };
    let Some(case) = check_case(&source, &world, &mut diags).filter(|_| diags.is_empty()) else {
        eprint!("{}", diags.render());
        return Ok(EXIT_INVALID);
    };
    register.add(number, &case, &text, received)?;
    Ok(out(&format!(
        "case {number}: {} ({}), ontvangen {received}\n",
        case.title, case.id
    )))
}

fn list(
    register: &Register,
    opts: &SourceOptions,
    year: Option<i16>,
    format: PlainFormat,
) -> Result<u8, RegisterError> {
    let cases = register.list(year)?;
    Ok(match format {
        PlainFormat::Json => json(&serde_json::json!({ "cases": cases })),
        PlainFormat::Text => rendered(
            opts,
            "register/list.en.txt",
            &serde_json::json!({ "cases": cases, "year": year }),
        ),
    })
}

fn show(
    register: &Register,
    opts: &SourceOptions,
    number: &str,
    format: PlainFormat,
) -> Result<u8, RegisterError> {
    let case = register.get(number)?;
    let advices = register.advices(number)?;
    // The stored advices' JSON as values, so that JSON output nests them rather than quoting.
    let advices: Vec<serde_json::Value> = advices
        .iter()
        .map(|a| {
            serde_json::json!({
                "seq": a.seq,
                "given": a.given,
                "input_digest": a.input_digest,
                "engine_version": a.engine_version,
                "rules_digest": a.rules_digest,
                "advice": serde_json::from_str::<serde_json::Value>(&a.output_json)
                    .unwrap_or(serde_json::Value::Null),
            })
        })
        .collect();
    let ctx = serde_json::json!({ "case": case, "advices": advices });
    Ok(match format {
        PlainFormat::Json => json(&ctx),
        PlainFormat::Text => rendered(opts, "register/show.en.txt", &ctx),
    })
}

/// Advises on the registered case file with the current profiles and rules, default run options
/// (the same as `advise`), and stores the advice.
fn advise(
    register: &mut Register,
    opts: &SourceOptions,
    number: &str,
    date: &Option<String>,
) -> Result<u8, RegisterError> {
    let given = date.as_deref().map_or_else(|| Ok(today()), parse_date)?;
    let Some((record, complete)) = advise_stored(register, opts, number)? else {
        return Ok(EXIT_INVALID);
    };
    let seq = register.record_advice(number, given, &record)?;
    let code = out(&format!(
        "case {number}: advice {seq} stored ({}), advies uitgebracht {given}\n",
        record.input_digest
    ));
    Ok(if code == 0 && !complete {
        EXIT_INCOMPLETE
    } else {
        code
    })
}

/// The advice on a registered case file now, as it would be stored, and whether it is complete;
/// `None` when the world or the stored case no longer validate (printed on stderr).
fn advise_stored(
    register: &Register,
    opts: &SourceOptions,
    number: &str,
) -> Result<Option<(AdviceRecord, bool)>, RegisterError> {
    let text = register.case_toml(number)?;
    let Ok(world) = world_or_report(opts) else {
        return Ok(None);
    };
    let Ok(engine) = super::engine(world, opts) else {
        return Ok(None);
    };
    let result = crate::register::advise_case(&engine, number, text);
    if super::words_problems(&engine).is_err() {
        return Ok(None);
    }
    match result {
        Ok(r) => Ok(Some(r)),
        Err(diags) => {
            eprint!("{}", diags.render());
            Ok(None)
        }
    }
}

/// Re-runs the last stored advice: exit 0 when digest and output are the same, 1 when not.
fn verify(register: &Register, opts: &SourceOptions, number: &str) -> Result<u8, RegisterError> {
    let Some(last) = register.advices(number)?.pop() else {
        return Err(RegisterError::NoAdvice {
            number: number.to_string(),
            what: "nothing to verify",
        });
    };
    let Some((now, _)) = advise_stored(register, opts, number)? else {
        return Ok(EXIT_INVALID);
    };
    let same_input = now.input_digest == last.input_digest;
    let same_output = now.output_json == last.output_json;
    let line = match (same_input, same_output) {
        (true, true) => format!(
            "case {number}: advice {} reproduced: same input digest ({}) and the same output\n",
            last.seq, last.input_digest
        ),
        (true, false) => format!(
            "case {number}: advice {} NOT reproduced: same input digest, but the output differs (engine {} then, {} now)\n",
            last.seq, last.engine_version, now.engine_version
        ),
        (false, _) => format!(
            "case {number}: advice {} NOT reproduced: the input changed (digest {} then, {} now; rules {} then, {} now)\n",
            last.seq, last.input_digest, now.input_digest, last.rules_digest, now.rules_digest
        ),
    };
    let code = out(&line);
    Ok(if code == 0 && !(same_input && same_output) {
        EXIT_INCOMPLETE
    } else {
        code
    })
}

fn json(v: &serde_json::Value) -> u8 {
    out(&(serde_json::to_string_pretty(v).expect("serialises") + "\n"))
}

fn rendered(opts: &SourceOptions, name: &str, ctx: &serde_json::Value) -> u8 {
    match super::render(opts, name, ctx) {
        Ok(text) => out(&text),
        Err(code) => code,
    }
}
