//! Drawing one frame of the live display with ratatui.

use ratatui::layout::{Constraint, Direction, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::symbols::Marker;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Axis, Block, Borders, Chart, Dataset, GraphType, Paragraph, Wrap};
use ratatui::Frame;

use crate::state::DisplayState;

/// Draws the whole screen.
pub fn draw(frame: &mut Frame, state: &DisplayState) {
    let traced: Vec<usize> = (0..state.channels.len().min(state.snapshot.channels)).collect();
    let mut constraints = vec![Constraint::Length(4)];
    constraints.extend(traced.iter().map(|_| Constraint::Min(5)));
    constraints.push(Constraint::Length(7));
    constraints.push(Constraint::Length(1));
    let rows = Layout::default()
        .direction(Direction::Vertical)
        .constraints(constraints)
        .split(frame.area());
    header(frame, rows[0], state);
    for (i, &c) in traced.iter().enumerate() {
        trace(frame, rows[1 + i], state, c);
    }
    let n = rows.len();
    bottom(frame, rows[n - 2], state);
    footer(frame, rows[n - 1], state);
}

fn header(frame: &mut Frame, area: Rect, state: &DisplayState) {
    let s = &state.snapshot;
    let mut title = format!(" Tonus — {} — t {:.1} s ", state.source, s.time_s);
    if let Some(note) = &state.clock_note {
        title += &format!("— {note} ");
    }
    let phase = s.phase.as_str();
    let mut lines = Vec::new();
    match (&state.ended, state.cue()) {
        (Some(pattern), _) => {
            lines.push(Line::from(vec![
                Span::styled("SESSION OVER", Style::default().add_modifier(Modifier::BOLD)),
                Span::raw(format!(
                    "  the evidence suggests: {pattern} (a suggestion for the clinician, not a diagnosis)"
                )),
            ]));
            if !state.domains.is_empty() {
                lines.push(Line::from(domain_summary(&state.domains)));
            }
        }
        (None, Some(cue)) => {
            let color = match cue.word {
                "SQUEEZE" | "PUSH" => Color::Green,
                "IN" => Color::Cyan,
                "OUT" => Color::Blue,
                _ => Color::Yellow,
            };
            let mut spans = vec![
                Span::styled(
                    format!("{} ", phase.to_uppercase()),
                    Style::default().add_modifier(Modifier::BOLD),
                ),
                Span::raw(match cue.rep {
                    Some((k, n)) => format!("{k}/{n}   "),
                    None => "   ".into(),
                }),
                Span::styled(
                    cue.text(),
                    Style::default()
                        .fg(Color::Black)
                        .bg(color)
                        .add_modifier(Modifier::BOLD),
                ),
            ];
            if let Some(goal) = cue.goal_pct_mvc {
                spans.push(Span::raw(format!("   goal {goal:.0} % of max")));
            }
            lines.push(Line::from(spans));
            if let Some(sentence) = &cue.sentence {
                lines.push(Line::from(sentence.clone()));
            }
        }
        (None, None) => lines.push(Line::from(if phase.is_empty() {
            "free session (no protocol)".to_string()
        } else {
            phase.to_uppercase()
        })),
    }
    frame.render_widget(
        Paragraph::new(lines).block(Block::default().borders(Borders::ALL).title(title)),
        area,
    );
}

/// `tone increased · contraction normal · …`: each domain's rating in the ICS words.
pub(crate) fn domain_summary(domains: &[tonus_core::DomainRating]) -> String {
    domains
        .iter()
        .map(|d| {
            let name = match d.domain.as_str() {
                "resting_tone" => "tone",
                "contraction" => "contraction",
                "relaxation" => "relaxation",
                "endurance" => "endurance",
                "coordination" => "coordination",
                other => other,
            };
            format!("{name} {}", d.rating.replace('_', " "))
        })
        .collect::<Vec<_>>()
        .join(" · ")
}

fn trace(frame: &mut Frame, area: Rect, state: &DisplayState, c: usize) {
    let t = &state.snapshot.traces[c];
    let ch = &state.channels[c];
    let unit = ch.unit.symbol();
    let points: Vec<(f64, f64)> = t.points[..t.len]
        .iter()
        .enumerate()
        .map(|(i, v)| ((i as f64 - t.len as f64) * 0.1, f64::from(*v)))
        .collect();
    let x0 = -(crate::TRACE_SECONDS);
    let flat = |y: f64| vec![(x0, y), (0.0, y)];
    let goal = state
        .cue()
        .and_then(|cue| cue.goal_pct_mvc)
        .filter(|_| t.max_peak > 0.0 && t.rest.is_some())
        .map(|pct| pct / 100.0 * t.max_peak);
    let mut title = format!(" {} [{unit}] {:.1}", ch.name, t.last);
    let band = t
        .rest
        .map(|(m, sd)| (flat(m + sd), flat((m - sd).max(0.0))));
    let threshold = t.threshold.map(flat);
    let goal_line = goal.map(flat);
    if let Some((m, sd)) = t.rest {
        title += &format!("  rest {m:.1}±{sd:.1}");
    }
    if let Some(th) = t.threshold {
        title += &format!("  threshold {th:.1}");
    }
    if let Some(g) = goal {
        title += &format!("  goal {g:.1}");
    }
    if t.active_since_s.is_some() {
        title += "  ● contracting";
    }
    title.push(' ');
    let mut datasets = Vec::new();
    if let Some((hi, lo)) = &band {
        for line in [hi, lo] {
            datasets.push(
                Dataset::default()
                    .marker(Marker::Dot)
                    .graph_type(GraphType::Line)
                    .style(Style::default().fg(Color::DarkGray))
                    .data(line),
            );
        }
    }
    if let Some(line) = &threshold {
        datasets.push(
            Dataset::default()
                .name("threshold")
                .marker(Marker::Dot)
                .graph_type(GraphType::Line)
                .style(Style::default().fg(Color::Yellow))
                .data(line),
        );
    }
    if let Some(line) = &goal_line {
        datasets.push(
            Dataset::default()
                .name("goal")
                .marker(Marker::Dot)
                .graph_type(GraphType::Line)
                .style(Style::default().fg(Color::Green))
                .data(line),
        );
    }
    datasets.push(
        Dataset::default()
            .marker(Marker::Braille)
            .graph_type(GraphType::Line)
            .style(Style::default().fg(Color::Cyan))
            .data(&points),
    );
    let top = points
        .iter()
        .map(|p| p.1)
        .chain(t.threshold)
        .chain(goal)
        .fold(1e-9, f64::max)
        * 1.15;
    let chart = Chart::new(datasets)
        .block(Block::default().borders(Borders::ALL).title(title))
        .x_axis(
            Axis::default()
                .bounds([x0, 0.0])
                .labels([format!("-{:.0} s", crate::TRACE_SECONDS), "now".into()]),
        )
        .y_axis(
            Axis::default()
                .bounds([0.0, top])
                .labels(["0".to_string(), format!("{top:.0}")]),
        );
    frame.render_widget(chart, area);
}

fn bottom(frame: &mut Frame, area: Rect, state: &DisplayState) {
    let cols = Layout::default()
        .direction(Direction::Horizontal)
        .constraints([
            Constraint::Percentage(25),
            Constraint::Percentage(50),
            Constraint::Percentage(25),
        ])
        .split(area);
    let last = match &state.last {
        Some(l) => vec![
            Line::from(format!(
                "{}: peak {:.1} {}",
                state
                    .channels
                    .get(l.channel)
                    .map_or("?", |c| c.name.as_str()),
                l.peak,
                state
                    .channels
                    .get(l.channel)
                    .map_or("", |c| c.unit.symbol())
            )),
            Line::from(format!("{:.0} % of max so far", l.pct_mvc)),
            Line::from(format!("lasted {:.1} s", l.duration_s)),
            Line::from(format!("time to peak {:.2} s", l.time_to_peak_s)),
            Line::from(format!("{} contractions", state.contractions)),
        ],
        None => vec![Line::from("none yet")],
    };
    frame.render_widget(
        Paragraph::new(last).block(
            Block::default()
                .borders(Borders::ALL)
                .title(" Last contraction "),
        ),
        cols[0],
    );
    let flags: Vec<Line> = if state.flags.is_empty() {
        vec![Line::from("no flag raised")]
    } else {
        state
            .flags
            .iter()
            .rev()
            .map(|f| {
                Line::from(vec![
                    Span::styled(
                        format!("{} ({}) ", f.code, f.severity),
                        Style::default().fg(Color::Red).add_modifier(Modifier::BOLD),
                    ),
                    Span::raw(f.message.clone()),
                ])
            })
            .collect()
    };
    frame.render_widget(
        Paragraph::new(flags).wrap(Wrap { trim: true }).block(
            Block::default()
                .borders(Borders::ALL)
                .title(" Flags (suggestions, with evidence in the report) "),
        ),
        cols[1],
    );
    let quality: Vec<Line> = state.quality().into_iter().map(Line::from).collect();
    frame.render_widget(
        Paragraph::new(quality)
            .wrap(Wrap { trim: true })
            .block(Block::default().borders(Borders::ALL).title(" Signal ")),
        cols[2],
    );
}

fn footer(frame: &mut Frame, area: Rect, state: &DisplayState) {
    let mut text = format!(" space pause · m mark ({}) · q quit", state.marks);
    if state.paused {
        text += "    PAUSED (display frozen; recording goes on)";
    }
    frame.render_widget(Paragraph::new(text), area);
}
