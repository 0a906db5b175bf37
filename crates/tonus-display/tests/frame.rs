//! A frame of the live display, drawn on ratatui's `TestBackend`: the cue with its countdown, the
//! traces with rest band, threshold and goal, the latest contraction, a flag with its sentence and
//! signal quality. Compared with the committed snapshot `tests/snapshots/frame.txt` (regenerate
//! with `UPDATE_SNAPSHOTS=1` after an intended change, and review the diff).

use ratatui::backend::TestBackend;
use ratatui::Terminal;
use tonus_analysis::Protocol;
use tonus_core::{ChannelInfo, Event, EventKind};
use tonus_display::{draw, DisplayState};
use tonus_pipeline::{Label, Snapshot};

fn state() -> DisplayState {
    let channels = vec![
        ChannelInfo::from_header("pelvic[uV]", 2000.0).expect("header"),
        ChannelInfo::from_header("abdominal[uV]", 2000.0).expect("header"),
        ChannelInfo::from_header("anal[mmHg]", 2000.0).expect("header"),
    ];
    let protocol = Protocol::load("glazer-mini").expect("built-in");
    let mut state = DisplayState::new("simulated sensor", &channels, Some(protocol));
    state.clock_note = Some("clock ×2".into());
    let mut s = Snapshot {
        time_s: 13.6,
        channels: 3,
        phase: Label::new("phasic"),
        phase_start_s: 8.0,
        gap_samples: 0,
        ..Snapshot::default()
    };
    for (c, level) in [(0, 12.0f32), (1, 4.0), (2, 40.0)] {
        let t = &mut s.traces[c];
        t.len = 136;
        for (i, p) in t.points.iter_mut().take(136).enumerate() {
            // Rest, then a flick at 8–10 s and the start of one at 13 s.
            let x = i as f32 * 0.1;
            let on = (8.0..10.0).contains(&x) || x >= 13.0;
            *p = if on { level * 4.0 } else { level };
        }
        t.last = f64::from(t.points[135]);
        if c < 2 {
            t.rest = Some((f64::from(level), 1.5));
            t.threshold = Some(f64::from(level) * 1.6);
            t.max_peak = f64::from(level) * 4.2;
            t.active_since_s = Some(13.0);
        }
    }
    state.update(&s);
    for e in [
        Event {
            time_s: 4.0,
            kind: EventKind::Mains { hz: 50 },
        },
        Event {
            time_s: 10.9,
            kind: EventKind::Contraction {
                channel: 0,
                onset_s: 8.05,
                peak_s: 8.6,
                offset_s: 10.1,
                peak: 50.4,
                mean: 41.0,
                pct_mvc: 100.0,
            },
        },
        Event {
            time_s: 8.0,
            kind: EventKind::Flag {
                code: tonus_core::FlagCode::ElevatedRest,
                start_s: 1.0,
                end_s: 8.0,
                severity: tonus_core::Severity::Moderate,
                evidence: Default::default(),
                threshold: 30.0,
                message: "Resting activity is 45 % of the maximum contraction (threshold 30 %)."
                    .into(),
            },
        },
    ] {
        state.on_event(&e);
    }
    state
}

fn screen(state: &DisplayState) -> String {
    let mut terminal = Terminal::new(TestBackend::new(110, 36)).expect("terminal");
    terminal.draw(|f| draw(f, state)).expect("draw");
    let buffer = terminal.backend().buffer().clone();
    let mut out = String::new();
    for y in 0..buffer.area.height {
        let mut line = String::new();
        for x in 0..buffer.area.width {
            line.push_str(buffer[(x, y)].symbol());
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

#[test]
fn a_frame_shows_the_cue_the_traces_a_flag_and_quality() {
    let state = state();
    let text = screen(&state);
    for needle in [
        "PHASIC",
        "2/3",
        "SQUEEZE 2 s", // 13.6 s is 1.4 s before the second flick (13–15 s) ends
        "goal 100 % of max",
        "clock ×2",
        "pelvic [uV]",
        "rest 12.0±1.5",
        "threshold 19.2",
        "goal 50.4",
        "● contracting",
        "elevated_rest (moderate)",
        "Resting activity is 45 %",
        "50 Hz mains hum: notch on",
        "peak 50.4",
        "space pause",
    ] {
        assert!(text.contains(needle), "'{needle}' not on screen:\n{text}");
    }
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/snapshots/frame.txt");
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        std::fs::write(path, &text).expect("write snapshot");
    }
    let want = std::fs::read_to_string(path).expect("snapshot committed");
    assert_eq!(
        text, want,
        "the frame differs from tests/snapshots/frame.txt"
    );
}

#[test]
fn paused_display_keeps_its_frame_and_says_so() {
    let mut state = state();
    state.paused = true;
    let before = state.snapshot.clone();
    state.update(&Snapshot::default());
    assert_eq!(state.snapshot, before);
    assert!(screen(&state).contains("PAUSED"));
    let line = state.status_line();
    assert!(
        line.contains("cue=\"SQUEEZE 2 s\"") && line.contains("flags=elevated_rest"),
        "{line}"
    );
}

#[test]
fn the_end_of_a_session_shows_the_pattern_and_each_domain() {
    let mut state = state();
    let domains = [
        ("resting_tone", "increased"),
        ("contraction", "weak"),
        ("relaxation", "partial"),
        ("endurance", "not_assessed"),
        ("coordination", "dyssynergic"),
    ]
    .map(|(domain, rating)| tonus_core::DomainRating {
        domain: domain.into(),
        rating: rating.into(),
    });
    state.on_event(&Event {
        time_s: 79.0,
        kind: EventKind::End {
            pattern: tonus_core::PatternLabel::OveractiveWeak,
            domains: domains.to_vec(),
        },
    });
    let text = screen(&state);
    for needle in [
        "SESSION OVER",
        "suggests: overactive_weak",
        "tone increased · contraction weak · relaxation partial · endurance not assessed · coordination dyssynergic",
    ] {
        assert!(text.contains(needle), "'{needle}' not on screen:\n{text}");
    }
}
