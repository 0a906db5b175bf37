//! `tonus`: the command-line front end of the Tonus pelvic-floor biofeedback engine.
//!
//! ```text
//! tonus demo                        # a simulated session on the live display
//! tonus replay tonus-demo/recording.bdf --events events.jsonl
//! ```
//! Each subcommand lives in `src/cmd/`; the engine itself is in the `crates/` libraries.

#![forbid(unsafe_code)]
#![cfg_attr(not(test), warn(clippy::unwrap_used, clippy::expect_used))]

mod cmd;

use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

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
    /// Run a virtual sensor on a pseudo-terminal, or write a simulated session with its ground truth.
    Sim(cmd::sim::SimArgs),
    /// Record a serial sensor into a CSV, EDF+ or BDF+ file (gaps marked) until Ctrl-C or --seconds.
    Record(cmd::record::RecordArgs),
    /// List the serial ports of this machine.
    Ports,
    /// Analyse a recording: contractions, phase metrics, flags with evidence, suggested pattern.
    Analyze(cmd::analyze::AnalyzeArgs),
    /// A session with a serial sensor: protocol cues, live display, flags; recording, events and
    /// report into a folder.
    Live(cmd::live::LiveArgs),
    /// A whole session with no hardware: a simulated person on a virtual sensor, run by `live`.
    Demo(cmd::demo::DemoArgs),
    /// Play a recording through the live pipeline: the same events and report as live.
    Replay(cmd::replay::ReplayArgs),
    /// Write an HTML report with PNG/SVG figures for a recording or a folder of them.
    Report(cmd::report::ReportArgs),
    /// Mend an EDF/BDF file whose header does not match its data (a copy; the original is kept).
    Repair(cmd::repair::RepairArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    // Ctrl-C asks long-running commands to stop cleanly (files complete); a second Ctrl-C is ignored
    // by design, as stopping takes well under a second.
    let stop = Arc::new(AtomicBool::new(false));
    let flag = Arc::clone(&stop);
    let _ = ctrlc::set_handler(move || flag.store(true, Ordering::SeqCst));
    let result = match cli.command {
        Command::Filter(args) => cmd::filter::run(&args),
        Command::Sim(args) => cmd::sim::run(&args, stop),
        Command::Record(args) => cmd::record::run(&args, stop),
        Command::Ports => cmd::ports::run(),
        Command::Analyze(args) => cmd::analyze::run(&args),
        Command::Live(args) => cmd::live::run(&args, stop),
        Command::Demo(args) => cmd::demo::run(&args, stop),
        Command::Replay(args) => cmd::replay::run(&args, stop),
        Command::Report(args) => cmd::report::run(&args),
        Command::Repair(args) => cmd::repair::run(&args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}
