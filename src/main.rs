//! The `locatieadvies` binary: parses arguments and runs the library's CLI.

fn main() -> std::process::ExitCode {
    locatieadvies::cli::run()
}
