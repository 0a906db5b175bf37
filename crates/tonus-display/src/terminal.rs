//! Running a started pipeline on a terminal for `live`, `demo` and `replay`: the full-screen
//! display (ratatui) with its keys (space pause, m mark, q quit), or without a terminal one status
//! line a second, or a progress bar for a replay faster than real time; the event stream written
//! beside it.

use std::io::IsTerminal;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use tonus_analysis::Protocol;
use tonus_core::ChannelInfo;
use tonus_pipeline::{Builder, EventFile, EventFileError, Outcome, PipelineError};

/// Why a session could not be shown to its end.
#[derive(Debug, thiserror::Error)]
pub enum TerminalError {
    /// The pipeline failed (the recording is intact up to the failure).
    #[error(transparent)]
    Pipeline(#[from] PipelineError),
    /// The event stream could not be written.
    #[error(transparent)]
    Events(#[from] EventFileError),
    /// The terminal could not be taken over or drawn on.
    #[error("the terminal: {0}")]
    Terminal(std::io::Error),
    /// The display's snapshot buffer was already taken.
    #[error("the display's snapshot buffer was already taken")]
    Display,
}

/// How the session is shown and when it ends.
pub struct View {
    /// What the header names as the source.
    pub source: String,
    /// A note on the clock (a simulated or replayed session not in real time).
    pub clock_note: Option<String>,
    /// The protocol, for cues.
    pub protocol: Option<Protocol>,
    /// Stop once every channel has reached this session time (the protocol's end).
    pub stop_at_s: Option<f64>,
    /// The full-screen display (needs a terminal); else status lines, or a progress bar.
    pub mode: Mode,
}

/// How the session is shown.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Mode {
    /// ratatui full screen if stdout is a terminal, else one status line a second on stderr.
    Live,
    /// A progress bar over this many seconds of recording (replay faster than real time).
    Progress(f64),
}

/// Subscribes the display (and the event stream if asked), starts the pipeline, runs the view
/// until the end, and returns the outcome.
pub fn run(
    mut builder: Builder,
    channels: &[ChannelInfo],
    view: View,
    events_path: Option<&Path>,
    stop: &Arc<AtomicBool>,
) -> Result<Outcome, TerminalError> {
    let display_events = builder.subscribe(4096);
    let writer = match events_path {
        Some(path) => Some(EventFile::start(path, builder.subscribe(1 << 16))?),
        None => None,
    };
    let mut pipeline = builder.start()?;
    let mut snapshots = pipeline.take_display().ok_or(TerminalError::Display)?;
    let mut state = crate::DisplayState::new(&view.source, channels, view.protocol.clone());
    state.clock_note.clone_from(&view.clock_note);
    let tty = std::io::stdout().is_terminal();
    let over =
        |state: &crate::DisplayState| view.stop_at_s.is_some_and(|t| state.snapshot.time_s >= t);
    match view.mode {
        Mode::Live if tty => {
            let mut terminal = ratatui::try_init().map_err(TerminalError::Terminal)?;
            let result = (|| -> std::io::Result<()> {
                use ratatui::crossterm::event::{self, Event as Key, KeyCode, KeyModifiers};
                loop {
                    state.update(snapshots.read());
                    for e in display_events.try_iter() {
                        state.on_event(&e);
                    }
                    terminal.draw(|f| crate::draw(f, &state))?;
                    if stop.load(Ordering::SeqCst) || pipeline.is_finished() || over(&state) {
                        return Ok(());
                    }
                    if event::poll(Duration::from_millis(50))? {
                        if let Key::Key(k) = event::read()? {
                            match k.code {
                                KeyCode::Char('q') | KeyCode::Esc => return Ok(()),
                                KeyCode::Char('c')
                                    if k.modifiers.contains(KeyModifiers::CONTROL) =>
                                {
                                    return Ok(())
                                }
                                KeyCode::Char(' ') => state.paused = !state.paused,
                                KeyCode::Char('m') => {
                                    pipeline.mark();
                                }
                                _ => {}
                            }
                        }
                    }
                }
            })();
            ratatui::restore();
            result.map_err(TerminalError::Terminal)?;
        }
        Mode::Live => {
            let mut last = Instant::now() - Duration::from_secs(1);
            loop {
                state.update(snapshots.read());
                for e in display_events.try_iter() {
                    state.on_event(&e);
                }
                if last.elapsed() >= Duration::from_secs(1) {
                    eprintln!("{}", state.status_line());
                    last = Instant::now();
                }
                if stop.load(Ordering::SeqCst) || pipeline.is_finished() || over(&state) {
                    break;
                }
                std::thread::sleep(Duration::from_millis(50));
            }
        }
        Mode::Progress(total_s) => {
            let bar = indicatif::ProgressBar::new((total_s * 10.0).ceil() as u64);
            if !std::io::stderr().is_terminal() {
                bar.set_draw_target(indicatif::ProgressDrawTarget::hidden());
            }
            bar.set_style(
                indicatif::ProgressStyle::with_template(
                    "{spinner} [{bar:40}] {msg} ({elapsed}, {eta} left)",
                )
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
            );
            loop {
                state.update(snapshots.read());
                for e in display_events.try_iter() {
                    state.on_event(&e);
                }
                bar.set_position((state.snapshot.time_s * 10.0) as u64);
                bar.set_message(format!(
                    "{:.0} / {:.0} s, {} contractions, {} flags",
                    state.snapshot.time_s,
                    total_s,
                    state.contractions,
                    state.flags.len()
                ));
                if stop.load(Ordering::SeqCst) || pipeline.is_finished() {
                    break;
                }
                std::thread::sleep(Duration::from_millis(50));
            }
            bar.finish_and_clear();
        }
    }
    pipeline.stop();
    let outcome = pipeline.join();
    let written = writer.map(EventFile::finish).transpose()?;
    let outcome = outcome?;
    if let Some((path, n)) = written {
        eprintln!("events: {} ({n} lines)", path.display());
    }
    Ok(outcome)
}
