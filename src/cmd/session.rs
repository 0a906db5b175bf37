//! Running a started pipeline for `live`, `demo` and `replay`: the display (ratatui on a terminal,
//! else one status line a second, or a progress bar), the keys, the event stream, and the files
//! written at the end.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use crossbeam_channel::Receiver;
use tonus_analysis::Protocol;
use tonus_core::{ChannelInfo, Event};
use tonus_display::DisplayState;
use tonus_pipeline::{Builder, Outcome};

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
) -> Result<Outcome> {
    let display_events = builder.subscribe(4096);
    let writer = match events_path {
        Some(path) => Some(EventWriter::start(path, builder.subscribe(1 << 16))?),
        None => None,
    };
    let mut pipeline = builder.start()?;
    let mut snapshots = pipeline
        .take_display()
        .context("the display's snapshot buffer was already taken")?;
    let mut state = DisplayState::new(&view.source, channels, view.protocol.clone());
    state.clock_note.clone_from(&view.clock_note);
    let tty = std::io::stdout().is_terminal();
    let over = |state: &DisplayState| view.stop_at_s.is_some_and(|t| state.snapshot.time_s >= t);
    match view.mode {
        Mode::Live if tty => {
            let mut terminal = ratatui::try_init().context("cannot take over the terminal")?;
            let result = (|| -> Result<()> {
                use ratatui::crossterm::event::{self, Event as Key, KeyCode, KeyModifiers};
                loop {
                    state.update(snapshots.read());
                    for e in display_events.try_iter() {
                        state.on_event(&e);
                    }
                    terminal.draw(|f| tonus_display::draw(f, &state))?;
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
            result?;
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
    let written = writer.map(EventWriter::finish).transpose()?;
    let outcome = outcome?;
    if let Some((path, n)) = written {
        eprintln!("events: {} ({n} lines)", path.display());
    }
    Ok(outcome)
}

/// The event stream consumer: JSON lines into a file, on its own thread.
struct EventWriter {
    path: PathBuf,
    thread: JoinHandle<std::io::Result<u64>>,
}

impl EventWriter {
    fn start(path: &Path, events: Receiver<Event>) -> Result<Self> {
        let file = std::fs::File::create(path)
            .with_context(|| format!("{}: cannot create the event stream", path.display()))?;
        let thread = std::thread::Builder::new()
            .name("tonus-events".into())
            .spawn(move || {
                let mut out = std::io::BufWriter::new(file);
                let mut n = 0;
                for e in events {
                    serde_json::to_writer(&mut out, &e)?;
                    out.write_all(b"\n")?;
                    n += 1;
                }
                out.flush()?;
                Ok(n)
            })
            .context("cannot start the event writer")?;
        Ok(Self {
            path: path.to_path_buf(),
            thread,
        })
    }

    fn finish(self) -> Result<(PathBuf, u64)> {
        let n = self
            .thread
            .join()
            .map_err(|_| anyhow::anyhow!("the event writer panicked"))?
            .with_context(|| format!("{}: cannot write the event stream", self.path.display()))?;
        Ok((self.path, n))
    }
}

/// Writes `report.json` into `dir` and prints the readable summary.
pub fn write_report(dir: &Path, outcome: &Outcome, recording: &Path) -> Result<PathBuf> {
    let json = dir.join("report.json");
    std::fs::write(&json, serde_json::to_string_pretty(&outcome.report)? + "\n")
        .with_context(|| format!("{}: cannot write", json.display()))?;
    print!("{}", tonus_report::text_summary(&outcome.report, recording));
    Ok(json)
}
