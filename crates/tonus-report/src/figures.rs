//! The figures, drawn with plotters on any backend (SVG for the HTML page, PNG beside it): the
//! whole trace with phases shaded and contractions marked, per-phase bars against reference
//! values, and the endurance hold's fatigue plot.

use plotters::coord::Shift;
use plotters::prelude::*;
use tonus_analysis::Report;

use crate::reference::PHASES;
use crate::trace::{Trace, TRACE_HZ};

/// Font family every figure uses (the embedded DejaVu Sans, see [`crate::register_font`]).
pub const FONT: &str = "sans-serif";

/// Figure size in pixels (width, height): trace, bars, fatigue.
pub const SIZES: [(u32, u32); 3] = [(1200, 700), (900, 500), (900, 500)];

type Result<DB> = std::result::Result<(), DrawingAreaErrorKind<<DB as DrawingBackend>::ErrorType>>;

const SHADES: [RGBColor; 2] = [RGBColor(234, 242, 251), RGBColor(250, 243, 230)];

/// The report's MVC of the pelvic (first EMG) channel, as its contractions' %MVC imply.
pub fn pelvic_mvc(report: &Report) -> Option<f64> {
    let pelvic = report
        .source
        .channels
        .iter()
        .find(|c| c.kind == tonus_core::ChannelKind::Emg)?;
    report
        .contractions
        .iter()
        .filter(|c| c.channel == pelvic.name && c.pct_mvc > 0.0)
        .map(|c| c.peak / (c.pct_mvc / 100.0))
        .reduce(f64::max)
}

/// Each channel's trace over the whole session, phases shaded and labelled, contractions marked
/// from onset to offset with their peak.
pub fn trace<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    report: &Report,
    trace: &Trace,
) -> Result<DB> {
    root.fill(&WHITE)?;
    let shown: Vec<_> = trace
        .channels
        .iter()
        .filter(|c| !c.values.is_empty())
        .collect();
    let areas = root.split_evenly((shown.len().max(1), 1));
    let duration = report.source.duration_s.max(0.1);
    for (area, ch) in areas.iter().zip(shown) {
        let top = ch.values.iter().copied().fold(1e-9, f64::max) * 1.1;
        let unit = ch.info.unit.symbol();
        let what = if ch.info.kind() == tonus_core::ChannelKind::Emg {
            "RMS envelope"
        } else {
            "filtered"
        };
        let mut chart = ChartBuilder::on(area)
            .caption(format!("{} ({what}, {unit})", ch.info.name), (FONT, 18))
            .margin(8)
            .x_label_area_size(28)
            .y_label_area_size(56)
            .build_cartesian_2d(0.0..duration, 0.0..top)?;
        chart
            .configure_mesh()
            .disable_mesh()
            .x_desc("time (s)")
            .label_style((FONT, 13))
            .draw()?;
        for (i, p) in report.phases.iter().enumerate() {
            chart.draw_series(std::iter::once(Rectangle::new(
                [(p.start_s, 0.0), (p.end_s.min(duration), top)],
                SHADES[i % 2].filled(),
            )))?;
            chart.draw_series(std::iter::once(Text::new(
                p.name.clone(),
                (p.start_s + 0.3, top * 0.97),
                (FONT, 12).into_font().color(&RGBColor(90, 90, 90)),
            )))?;
        }
        chart.draw_series(LineSeries::new(
            ch.values
                .iter()
                .enumerate()
                .map(|(i, v)| (i as f64 / TRACE_HZ, *v)),
            BLUE.stroke_width(1),
        ))?;
        let mine = report
            .contractions
            .iter()
            .filter(|c| c.channel == ch.info.name);
        for c in mine {
            chart.draw_series(std::iter::once(Rectangle::new(
                [(c.onset_s, 0.0), (c.offset_s, top * 0.03)],
                RED.mix(0.8).filled(),
            )))?;
            chart.draw_series(std::iter::once(Circle::new(
                (c.peak_s, c.peak),
                3,
                RED.filled(),
            )))?;
        }
    }
    root.present()
}

/// Each Glazer phase's mean pelvic amplitude as % of the person's own MVC, against the healthy
/// reference (Kasper 2025).
pub fn phase_bars<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    report: &Report,
) -> Result<DB> {
    root.fill(&WHITE)?;
    let mvc = pelvic_mvc(report);
    let rows: Vec<(&str, Option<f64>, f64)> = PHASES
        .iter()
        .filter_map(|r| {
            let p = report.phases.iter().find(|p| p.name == r.phase)?;
            let pct = p
                .metrics
                .get("pelvic_mean_uv")
                .zip(mvc)
                .map(|(m, mvc)| 100.0 * m / mvc);
            Some((r.phase, pct, r.pct_mvc))
        })
        .collect();
    let top = rows
        .iter()
        .flat_map(|r| [r.1.unwrap_or(0.0), r.2])
        .fold(100.0f64, f64::max)
        * 1.1;
    let n = rows.len().max(1) as f64;
    let mut chart = ChartBuilder::on(root)
        .caption("Pelvic mean amplitude per phase, % of own MVC", (FONT, 18))
        .margin(10)
        .x_label_area_size(30)
        .y_label_area_size(50)
        .build_cartesian_2d(0.0..n, 0.0..top)?;
    chart
        .configure_mesh()
        .disable_x_mesh()
        .disable_x_axis()
        .y_desc("% of MVC")
        .label_style((FONT, 13))
        .draw()?;
    for (i, (name, pct, reference)) in rows.iter().enumerate() {
        let x = i as f64;
        if let Some(pct) = pct {
            chart.draw_series(std::iter::once(Rectangle::new(
                [(x + 0.15, 0.0), (x + 0.85, *pct)],
                RGBColor(70, 110, 180).filled(),
            )))?;
        }
        chart.draw_series(std::iter::once(PathElement::new(
            vec![(x + 0.05, *reference), (x + 0.95, *reference)],
            RGBColor(20, 150, 60).stroke_width(3),
        )))?;
        let label = match pct {
            Some(p) => format!("{name}: {p:.0} %"),
            None => format!("{name}: no MVC"),
        };
        chart.draw_series(std::iter::once(Text::new(
            label,
            (x + 0.1, pct.unwrap_or(0.0).max(*reference) + top * 0.04),
            (FONT, 13),
        )))?;
    }
    chart.draw_series(std::iter::once(Text::new(
        "green line: healthy reference (Kasper 2025)".to_string(),
        (0.1, top * 0.95),
        (FONT, 13).into_font().color(&RGBColor(20, 150, 60)),
    )))?;
    root.present()
}

/// The endurance hold: the pelvic envelope with its least-squares line, amplitude decline and
/// median-frequency slope (the latter with its reliability caveat).
pub fn fatigue<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    report: &Report,
    trace: &Trace,
) -> Result<DB> {
    root.fill(&WHITE)?;
    let Some(pelvic) = trace
        .channels
        .iter()
        .find(|c| c.info.kind() == tonus_core::ChannelKind::Emg)
    else {
        return root.present();
    };
    let hold = report
        .contractions
        .iter()
        .filter(|c| c.channel == pelvic.info.name && c.phase.as_deref() == Some("endurance"))
        .max_by(|a, b| (a.offset_s - a.onset_s).total_cmp(&(b.offset_s - b.onset_s)));
    let Some(hold) = hold else {
        root.draw(&Text::new(
            "No endurance hold in this session.",
            (20, 20),
            (FONT, 18),
        ))?;
        return root.present();
    };
    let a = (hold.onset_s * TRACE_HZ) as usize;
    let b = ((hold.offset_s * TRACE_HZ) as usize).min(pelvic.values.len());
    let pts: Vec<(f64, f64)> = (a..b.max(a))
        .map(|i| (i as f64 / TRACE_HZ - hold.onset_s, pelvic.values[i]))
        .collect();
    let top = pts.iter().map(|p| p.1).fold(1e-9, f64::max) * 1.15;
    let span = (hold.offset_s - hold.onset_s).max(0.1);
    let metrics = report
        .phases
        .iter()
        .find(|p| p.name == "endurance")
        .map(|p| &p.metrics);
    let decline = metrics
        .and_then(|m| m.get("amplitude_decline_pct"))
        .copied();
    let slope = metrics
        .and_then(|m| m.get("median_frequency_slope_hz_per_s"))
        .copied();
    let mut caption = "Endurance hold".to_string();
    if let Some(d) = decline {
        caption += &format!(": amplitude decline {d:.0} %");
    }
    let mut chart = ChartBuilder::on(root)
        .caption(caption, (FONT, 18))
        .margin(10)
        .x_label_area_size(30)
        .y_label_area_size(56)
        .build_cartesian_2d(0.0..span, 0.0..top)?;
    chart
        .configure_mesh()
        .x_desc("seconds into the hold")
        .y_desc(format!(
            "{} RMS ({})",
            pelvic.info.name,
            pelvic.info.unit.symbol()
        ))
        .label_style((FONT, 13))
        .draw()?;
    chart.draw_series(LineSeries::new(pts.iter().copied(), BLUE.stroke_width(1)))?;
    if let Some((k, c)) = least_squares(&pts) {
        chart.draw_series(LineSeries::new(
            [(0.0, c), (span, c + k * span)],
            RED.stroke_width(2),
        ))?;
    }
    if let Some(s) = slope {
        chart.draw_series(std::iter::once(Text::new(
            format!(
                "median frequency slope {s:+.2} Hz/s (poor test-retest reliability, Oleksy 2021)"
            ),
            (span * 0.02, top * 0.06),
            (FONT, 13),
        )))?;
    }
    root.present()
}

/// Slope and intercept of the least-squares line through `pts`.
pub fn least_squares(pts: &[(f64, f64)]) -> Option<(f64, f64)> {
    let n = pts.len() as f64;
    if pts.len() < 2 {
        return None;
    }
    let (sx, sy) = pts.iter().fold((0.0, 0.0), |a, p| (a.0 + p.0, a.1 + p.1));
    let (mx, my) = (sx / n, sy / n);
    let sxx: f64 = pts.iter().map(|p| (p.0 - mx).powi(2)).sum();
    let sxy: f64 = pts.iter().map(|p| (p.0 - mx) * (p.1 - my)).sum();
    (sxx > 0.0).then(|| {
        let k = sxy / sxx;
        (k, my - k * mx)
    })
}
