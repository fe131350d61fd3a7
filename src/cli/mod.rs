//! The command line: argument definitions (clap derive) and one file per subcommand. `main.rs`
//! only calls [`run`].
//!
//! Exit codes: 0 ok; 1 the run succeeded but the advice is incomplete (a comply-or-explain
//! motivation is missing); 2 invalid input (every problem is printed on stderr); 3 any other
//! failure (for example an output that cannot be written).

mod about;
mod advise;
mod annual;
mod explain;
mod gemeente;
mod generate;
mod ingest;
mod matching;
pub(crate) mod mcda;
mod register;
mod scenario;
mod serve;
mod travel;
mod validate;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use crate::config::{SourceOptions, Sources, load_world};
use crate::diag::Diagnostics;
use crate::model::World;

/// Decision support for the spreading of central-government jobs (spreiding van
/// rijkswerkgelegenheid): ranks candidate locations for a government service against the
/// guiding principles, with every number explained.
#[derive(Debug, Parser)]
#[command(name = "locatieadvies", version, about, long_about = None)]
pub struct Cli {
    /// Use the profiles in this directory instead of the embedded defaults.
    #[arg(long, global = true, value_name = "DIR")]
    pub profiles: Option<PathBuf>,
    /// Use the rules in this directory instead of the embedded defaults.
    #[arg(long, global = true, value_name = "DIR")]
    pub rules: Option<PathBuf>,
    /// Use the published figures and estimate model in this directory instead of the embedded
    /// `baseline/`.
    #[arg(long, global = true, value_name = "DIR")]
    pub baseline_data: Option<PathBuf>,
    /// Render documents with the templates in this directory where it has one of the same name
    /// as a shipped template (`templates/`); the others stay the embedded ones.
    #[arg(long, global = true, value_name = "DIR")]
    pub templates: Option<PathBuf>,
    /// More log output on stderr (-v info, -vv debug).
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,
    /// Only errors on stderr.
    #[arg(short, long, global = true)]
    pub quiet: bool,
    /// The largest input file read, in bytes (a larger one is refused before it is read).
    #[arg(long, global = true, value_name = "BYTES", default_value_t = crate::limits::DEFAULT_MAX_INPUT_BYTES)]
    pub max_input_size: u64,
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Rank candidate locations for a case and draft the advice.
    Advise(advise::Args),
    /// Check profiles, rules and case files; print every problem.
    Validate(validate::Args),
    /// Print the documentation of a principle, criterion or attribute.
    Explain(explain::Args),
    /// Validate the ministries' deliveries and aggregate them.
    Ingest(ingest::Args),
    /// Apply moves, growth, shrinkage and cuts to a baseline; compare scenarios.
    Scenario(scenario::Args),
    /// The annual state of spreading.
    Report(annual::Args),
    /// Place a pipeline of several services at once, exactly, under capacities.
    Match(matching::Args),
    /// Rail minutes between two gemeenten or stations, with their breakdown.
    Travel(travel::Args),
    /// A gemeente's code, province and figures with their sources, found by name or code.
    Gemeente(gemeente::Args),
    /// General multi-criteria methods on a plain decision matrix (for analysts).
    Mcda(mcda::Args),
    /// The register of cases: add, list, show, advise, decide, verify.
    Case(register::Args),
    /// Serve the dashboard (/) and the JSON API (/api/) on 127.0.0.1:8080.
    Serve(serve::Args),
    /// Regenerate profiles/ from the source data in data/ (for maintainers).
    GenerateProfiles(generate::Args),
    /// Print the shell completion script for bash, zsh, fish or powershell.
    Completions(about::CompletionArgs),
    /// Print the man page (roff; `locatieadvies manpage > locatieadvies.1`).
    Manpage,
}

/// Output format of `advise`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Text,
    Json,
    Markdown,
}

/// Output format of `explain` and `validate`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PlainFormat {
    Text,
    Json,
}

/// Exit code for invalid input.
pub const EXIT_INVALID: u8 = 2;
/// Exit code for an incomplete advice.
pub const EXIT_INCOMPLETE: u8 = 1;
/// Exit code for other failures.
pub const EXIT_FAILURE: u8 = 3;
/// Exit code for an advice without a feasible location: no location meets the hard
/// requirements together (the advice names the requirements that conflict).
pub const EXIT_INFEASIBLE: u8 = 4;

/// Parses the arguments, runs the command and returns the process exit code.
pub fn run() -> ExitCode {
    let cli = parse();
    init_tracing(cli.verbose, cli.quiet);
    crate::limits::set_max_input_bytes(cli.max_input_size);
    let opts = options(&cli);
    let code = match &cli.command {
        Command::Advise(a) => advise::run(a, &opts),
        Command::Validate(a) => validate::run(a, &opts),
        Command::Explain(a) => explain::run(a, &opts),
        Command::Ingest(a) => ingest::run(a, &opts),
        Command::Scenario(a) => scenario::run(a, &opts),
        Command::Report(a) => annual::run(a, &opts),
        Command::Match(a) => matching::run(a, &opts),
        Command::Travel(a) => travel::run(a, &opts),
        Command::Gemeente(a) => gemeente::run(a, &opts),
        Command::Mcda(a) => mcda::run(a, &opts),
        Command::Case(a) => register::run(a, &opts),
        Command::Serve(a) => serve::run(a, &opts),
        Command::GenerateProfiles(a) => generate::run(a),
        Command::Completions(a) => about::completions(a),
        Command::Manpage => about::manpage(),
    };
    ExitCode::from(code)
}

/// Where the profiles, rules, baseline and templates come from.
fn options(cli: &Cli) -> SourceOptions {
    SourceOptions {
        profiles: cli.profiles.clone(),
        rules: cli.rules.clone(),
        baseline: cli.baseline_data.clone(),
        templates: cli.templates.clone(),
    }
}

/// Parses the arguments. `--version` names the rules and data versions too, which takes
/// loading them, so that text is only made when it is asked for.
fn parse() -> Cli {
    use clap::{CommandFactory, FromArgMatches};
    let mut cmd = Cli::command();
    if std::env::args_os().any(|a| a == "--version") {
        // The directories given with the version flag, parsed leniently (the rest may be
        // incomplete: `locatieadvies --rules DIR --version`).
        let rest = std::env::args_os().filter(|a| a != "--version");
        let m = Cli::command()
            .ignore_errors(true)
            .try_get_matches_from(rest)
            .unwrap_or_default();
        let dir = |id: &str| m.try_get_one::<PathBuf>(id).ok().flatten().cloned();
        let dirs = SourceOptions {
            profiles: dir("profiles"),
            rules: dir("rules"),
            baseline: dir("baseline_data"),
            templates: None,
        };
        cmd = cmd.long_version(about::long_version(&dirs));
    }
    let matches = cmd.get_matches();
    Cli::from_arg_matches(&matches).unwrap_or_else(|e| e.exit())
}

fn init_tracing(verbose: u8, quiet: bool) {
    let level = match (quiet, verbose) {
        (true, _) => "error",
        (false, 0) => "warn",
        (false, 1) => "info",
        (false, _) => "debug",
    };
    let filter = tracing_subscriber::EnvFilter::try_from_env("LOCATIEADVIES_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(level));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .without_time()
        .try_init();
}

/// The profile and rule files and the world they make. A directory that cannot be read is the
/// one problem: the files it should hold are not each reported missing.
pub(crate) fn load_sources(
    opts: &SourceOptions,
    diags: &mut Diagnostics,
) -> (Sources, Option<World>) {
    let sources = Sources::load(opts, diags);
    let world = if diags.is_empty() {
        load_world(&sources, diags)
    } else {
        None
    };
    (sources, world)
}

/// Loads the world, printing every problem on stderr when it fails.
pub(crate) fn world_or_report(opts: &SourceOptions) -> Result<World, u8> {
    let mut diags = Diagnostics::default();
    let (_, world) = load_sources(opts, &mut diags);
    match world {
        Some(w) if diags.is_empty() => Ok(w),
        _ => {
            eprint!("{}", diags.render());
            Err(EXIT_INVALID)
        }
    }
}

/// The advice engine over `world`, its remarks worded from the catalogues (the shipped ones, or
/// a user's under `--templates`); a broken catalogue is printed on stderr and becomes exit 2.
pub(crate) fn engine(world: World, opts: &SourceOptions) -> Result<crate::advice::Engine, u8> {
    let mut diags = Diagnostics::default();
    let Some(words) = crate::render::words::Words::load(opts.templates.as_deref(), &mut diags)
    else {
        eprint!("{}", diags.render());
        return Err(EXIT_INVALID);
    };
    Ok(crate::advice::Engine::with_words(world, words))
}

/// Exit 2 with the problems a user's catalogue gave while the engine worded its remarks (a
/// missing macro, an unknown argument), printed on stderr; `Ok` when there were none.
pub(crate) fn words_problems(engine: &crate::advice::Engine) -> Result<(), u8> {
    let problems = engine.words.take_problems();
    if problems.is_empty() {
        return Ok(());
    }
    eprint!("{}", Diagnostics(problems).render());
    Err(EXIT_INVALID)
}

/// Writes to stdout; a closed pipe (`| head`) is not an error, a closed or failing stdout is
/// (exit 3: the output would be lost).
pub(crate) fn out(text: &str) -> u8 {
    use std::io::Write;
    if !stdout_open() {
        eprintln!("error: cannot write the output: standard output is closed");
        return EXIT_FAILURE;
    }
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(text.as_bytes())
        .and_then(|_| stdout.flush())
    {
        Ok(()) => 0,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => 0,
        Err(e) => {
            eprintln!("error: cannot write the output: {e}");
            EXIT_FAILURE
        }
    }
}

/// Loads the templates (embedded, or `--templates`) and renders `name` with `ctx`; every
/// template problem is printed on stderr and becomes exit code 2.
pub(crate) fn render(
    opts: &SourceOptions,
    name: &str,
    ctx: &impl serde::Serialize,
) -> Result<String, u8> {
    let mut diags = Diagnostics::default();
    let Some(templates) =
        crate::render::templates::Templates::load(opts.templates.as_deref(), &mut diags)
    else {
        eprint!("{}", diags.render());
        return Err(EXIT_INVALID);
    };
    templates.render(name, ctx).map_err(|d| {
        eprint!("{}", Diagnostics(vec![*d]).render());
        EXIT_INVALID
    })
}

/// Whether standard output was open when the program started. A process started with its stdout
/// closed gets `/dev/null` in its place from Rust's runtime (opened read-write), and writes to it
/// vanish; on Linux that is recognised from `/proc`, so the lost output is an error, not a
/// silent success. A user's own `> /dev/null` opens it write-only and is left alone.
#[cfg(target_os = "linux")]
fn stdout_open() -> bool {
    let null = std::fs::read_link("/proc/self/fd/1").is_ok_and(|p| p == Path::new("/dev/null"));
    if !null {
        return true;
    }
    let flags = std::fs::read_to_string("/proc/self/fdinfo/1")
        .ok()
        .and_then(|info| {
            info.lines()
                .find_map(|l| l.strip_prefix("flags:"))
                .and_then(|f| u32::from_str_radix(f.trim(), 8).ok())
        });
    // O_ACCMODE is 3; O_RDWR is 2.
    flags.is_none_or(|f| f & 3 != 2)
}

#[cfg(not(target_os = "linux"))]
fn stdout_open() -> bool {
    true
}
