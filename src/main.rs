//! `tonus`: the command-line front end of the Tonus pelvic-floor biofeedback engine.
//!
//! ```text
//! tonus filter fixtures/demo_session.csv -o filtered.csv --envelope rms
//! ```
//! Each subcommand lives in `src/cmd/`; the engine itself is in the `crates/` libraries.

#![cfg_attr(not(test), warn(clippy::unwrap_used, clippy::expect_used))]

mod cmd;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Real-time biofeedback signal processing for pelvic-floor EMG and pressure sensors.
#[derive(Parser, Debug)]
#[command(name = "tonus", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Filter every channel of a CSV recording by its kind (EMG or pressure) and write the same columns.
    Filter(cmd::filter::FilterArgs),
    /// Generate a simulated pelvic-floor session (EMG, abdominal EMG, anal pressure) with its truth.
    Sim(cmd::sim::SimArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Filter(args) => cmd::filter::run(&args),
        Command::Sim(args) => cmd::sim::run(&args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}
