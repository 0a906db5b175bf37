//! The report of a session (DESIGN.md's output contract) and how it is derived from what the engine
//! saw: contractions with metrics, phases with metrics, flags with evidence, and the pattern.

use std::collections::BTreeMap;

use serde::Serialize;
use tonus_core::ChannelKind;

use crate::capture::Capture;
use crate::engine::{ChannelState, Engine};
use crate::quality::QualityState;
use crate::runs::Runs;

/// Everything `tonus analyze` reports.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    /// The recording analysed.
    pub source: Source,
    /// Signal quality per channel.
    pub quality: Vec<Quality>,
    /// Detected contractions, every EMG channel, in time order.
    pub contractions: Vec<Contraction>,
    /// Phases with their metrics.
    pub phases: Vec<Phase>,
    /// Flags with evidence.
    pub flags: Vec<Flag>,
    /// What the evidence suggests.
    pub pattern: Pattern,
}

impl Report {
    /// The contractions detected on the channel named `channel`, in time order.
    pub fn contractions_on<'a>(
        &'a self,
        channel: &'a str,
    ) -> impl Iterator<Item = &'a Contraction> {
        self.contractions
            .iter()
            .filter(move |c| c.channel == channel)
    }
}

/// The recording.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Source {
    /// Channels.
    pub channels: Vec<SourceChannel>,
    /// Duration, s.
    pub duration_s: f64,
}

/// One channel of the source.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SourceChannel {
    /// Name.
    pub name: String,
    /// `emg` or `pressure`.
    pub kind: ChannelKind,
    /// Unit symbol.
    pub unit: String,
    /// Sample rate, Hz.
    pub rate: f64,
}

/// Quality of one channel.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Quality {
    /// Channel name.
    pub channel: String,
    /// Rest level of the envelope (EMG, µV RMS) or mean (pressure) during calibration.
    pub rest_mean: Option<f64>,
    /// Its standard deviation.
    pub rest_sd: Option<f64>,
}

/// One contraction.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Contraction {
    /// Channel name.
    pub channel: String,
    /// Phase its midpoint falls in, if any.
    pub phase: Option<String>,
    /// Onset, s.
    pub onset_s: f64,
    /// Time of the envelope's peak, s.
    pub peak_s: f64,
    /// Offset, s.
    pub offset_s: f64,
    /// Peak envelope (µV RMS).
    pub peak: f64,
    /// Mean envelope over the contraction.
    pub mean: f64,
    /// Peak (averaged over 0.5 s, as the MVC is) as % of the channel's session MVC.
    pub pct_mvc: f64,
    /// Onset to peak, s (poor reliability, Oleksy 2021).
    pub time_to_peak_s: f64,
    /// End of the plateau (last time within 80 % of the rise) until 80 % released, s (10 if not
    /// within 10 s; poor reliability, Oleksy 2021).
    pub release_s: f64,
    /// Coefficient of variation of the envelope over the plateau (≥ 80 % of peak).
    pub hold_cv: f64,
    /// Offset until the envelope is back within rest mean + 2 SD, s (`None`: not within 10 s).
    pub return_to_baseline_s: Option<f64>,
}

/// One phase.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Phase {
    /// Name.
    pub name: String,
    /// Start, s.
    pub start_s: f64,
    /// End, s.
    pub end_s: f64,
    /// Metrics (µV RMS, %, s, mmHg).
    pub metrics: BTreeMap<String, f64>,
}

/// One flag.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Flag {
    /// Code (README lists them).
    pub code: String,
    /// Start, s.
    pub start_s: f64,
    /// End, s.
    pub end_s: f64,
    /// `mild`, `moderate` or `marked` (by how far past the threshold).
    pub severity: String,
    /// The numbers that triggered it.
    pub evidence: BTreeMap<String, f64>,
    /// The threshold used.
    pub threshold: f64,
    /// One plain sentence.
    pub message: String,
}

/// What the evidence suggests, never a diagnosis.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Pattern {
    /// `overactive`, `weak`, `uncoordinated`, `within_reference` or `inconclusive`.
    pub label: String,
    /// Why.
    pub reasons: Vec<String>,
    /// The exercise direction the evidence supports, for the clinician to weigh.
    pub direction: String,
}

pub(crate) fn mean(v: &[f64]) -> f64 {
    if v.is_empty() {
        return 0.0;
    }
    v.iter().sum::<f64>() / v.len() as f64
}

fn sd(v: &[f64]) -> f64 {
    if v.len() < 2 {
        return 0.0;
    }
    let m = mean(v);
    (v.iter().map(|x| (x - m) * (x - m)).sum::<f64>() / (v.len() - 1) as f64).sqrt()
}

fn severity(ratio: f64) -> &'static str {
    if ratio >= 2.0 {
        "marked"
    } else if ratio >= 1.4 {
        "moderate"
    } else {
        "mild"
    }
}

/// A reported contraction with the figures captured for it (reads as the contraction).
#[derive(Clone, Copy)]
struct Held<'a> {
    c: &'a Contraction,
    k: &'a Capture,
}

impl std::ops::Deref for Held<'_> {
    type Target = Contraction;
    fn deref(&self) -> &Contraction {
        self.c
    }
}

/// The time that places a contraction in a phase: its midpoint (an onset found a little before a
/// cue still belongs to the phase the cue opens).
fn midpoint(onset_s: f64, offset_s: f64) -> f64 {
    (onset_s + offset_s) / 2.0
}

/// Whether contraction `c` belongs to the phase spanning `[start_s, end_s)` (by [`midpoint`], as
/// its own `phase` is given).
fn within(c: &Contraction, start_s: f64, end_s: f64) -> bool {
    (start_s..end_s).contains(&midpoint(c.onset_s, c.offset_s))
}

/// The lowest 0.5 s mean of the pelvic envelope between two repetitions. Captured with `b` when
/// `a` is the contraction detected just before it; when contractions between them were left out
/// (artifacts), the lowest of the captured gaps in between (their own spans are not counted).
fn gap_minimum<'a>(
    a: &Held,
    b: &Held,
    pelvic: &ChannelState,
    captures: impl Iterator<Item = &'a Capture>,
) -> f64 {
    match b.k.gap {
        Some((prev, min)) if prev == a.offset_s => min,
        _ => {
            let fs = pelvic.info.rate_hz;
            pelvic
                .contractions
                .iter()
                .zip(captures)
                .filter(|(d, _)| {
                    let on = d.onset as f64 / fs;
                    on > a.onset_s && on <= b.onset_s
                })
                .filter_map(|(_, k)| k.gap.map(|g| g.1))
                .fold(f64::INFINITY, f64::min)
        }
    }
}

impl Engine {
    /// Phases from the markers: each runs to the next marker (or the end).
    pub(crate) fn phases(&self, end: f64) -> Vec<(String, f64, f64)> {
        self.phase_spans_s(end)
            .map(|(name, a, b)| (name.to_string(), a, b))
            .collect()
    }

    /// [`Engine::phases`] without allocating: (name, start, end) in marker order.
    pub(crate) fn phase_spans_s(&self, end: f64) -> impl Iterator<Item = (&str, f64, f64)> {
        self.markers
            .iter()
            .enumerate()
            .filter(|(_, m)| m.is_phase())
            .map(move |(i, m)| {
                let stop = self.markers[i + 1..]
                    .iter()
                    .find(|n| n.is_phase())
                    .map_or(end, |n| n.time_s);
                (m.label.as_str(), m.time_s, stop)
            })
    }

    /// Finishes the session and builds the report.
    pub fn finish(mut self) -> Report {
        for ch in &mut self.channels {
            if let Some(q) = &mut ch.quality {
                q.finish();
            }
        }
        self.build()
    }

    /// The report of what has been processed so far, as if the session ended now; processing can
    /// go on afterwards unchanged (a live session evaluates its flags with it at each phase end).
    /// Allocates: call it at phase boundaries, not per sample.
    pub fn report_now(&mut self) -> Report {
        let open: Vec<Option<QualityState>> = self
            .channels
            .iter_mut()
            .map(|ch| {
                let closed = ch.quality.clone().map(|mut q| {
                    q.finish();
                    q
                });
                std::mem::replace(&mut ch.quality, closed)
            })
            .collect();
        let report = self.build();
        for (ch, q) in self.channels.iter_mut().zip(open) {
            ch.quality = q;
        }
        report
    }

    fn build(&self) -> Report {
        let cfg = self.config;
        let emg: Vec<usize> = (0..self.channels.len())
            .filter(|&c| self.channels[c].info.kind() == ChannelKind::Emg)
            .collect();
        let pelvic = emg[0];
        let abdominal = emg.get(1).copied();
        let pressure = (0..self.channels.len())
            .find(|&c| self.channels[c].info.kind() == ChannelKind::Pressure);
        let duration = (0..self.channels.len())
            .map(|c| self.duration(c))
            .fold(0.0, f64::max);
        let phases = self.phases(duration);
        let phase_of = |t: f64| {
            phases
                .iter()
                .find(|p| t >= p.1 && t < p.2)
                .map(|p| p.0.clone())
        };
        let span = |name: &str| phases.iter().find(|p| p.0 == name).map(|p| (p.1, p.2));

        // Contractions with metrics: each one's figures, captured before its history was dropped
        // or taken now.
        let pending: Vec<Vec<Capture>> = (0..self.channels.len())
            .map(|c| {
                let ch = &self.channels[c];
                (ch.captured.len()..ch.contractions.len())
                    .map(|i| self.capture(c, i))
                    .collect()
            })
            .collect();
        let captures = |c: usize| self.channels[c].captured.iter().chain(&pending[c]);
        // MVC: session maximum of the 100 ms RMS averaged over 0.5 s (a single 100 ms window carries
        // ±11 % estimation noise, which would otherwise inflate the maximum), over contractions.
        let mut mvc = vec![0.0f64; self.channels.len()];
        for &c in &emg {
            for (d, k) in self.channels[c].contractions.iter().zip(captures(c)) {
                mvc[c] = mvc[c].max(if k.smooth_peak > 0.0 {
                    k.smooth_peak
                } else {
                    d.peak
                });
            }
        }
        // Each reported contraction with its figures.
        let mut rows: Vec<(Contraction, Capture)> = Vec::new();
        for &c in &emg {
            let ch = &self.channels[c];
            let fs = ch.info.rate_hz;
            for (d, k) in ch.contractions.iter().zip(captures(c)) {
                let (on, off) = (d.onset as f64 / fs, d.offset as f64 / fs);
                let contraction = Contraction {
                    channel: ch.info.name.clone(),
                    // By its midpoint: an onset found a few ms before the cue still belongs to the phase.
                    phase: phase_of(midpoint(on, off)),
                    onset_s: on,
                    peak_s: d.peak_at as f64 / fs,
                    offset_s: off,
                    peak: d.peak,
                    mean: d.mean,
                    // Like with like: the 0.5 s-smoothed peak against the (smoothed) MVC.
                    pct_mvc: if mvc[c] > 0.0 {
                        100.0 * k.pct_peak / mvc[c]
                    } else {
                        0.0
                    },
                    time_to_peak_s: (d.peak_at as f64 / fs - on).max(0.0),
                    release_s: k.release_s,
                    hold_cv: k.hold_cv,
                    return_to_baseline_s: k.return_s,
                };
                rows.push((contraction, *k));
            }
        }
        rows.sort_by(|a, b| a.0.onset_s.total_cmp(&b.0.onset_s));

        // Rest statistics of the pelvic channel: 0.5 s means remove the envelope's estimation noise,
        // so the CV measures the physiological instability of rest.
        let ph = &self.channels[pelvic].history;
        let (pre_a, pre_b) = self.pre_span(duration);
        // The robust (median) calibration rest sets the artifact thresholds; the rest statistics
        // below are then taken with the artifact spans left out.
        let rest = self.rest(pelvic).map_or(0.0, |r| r.0);
        // The whole-recording figures, fed to the end (a copy: the engine may go on).
        let mut streams = self.streams.clone();
        self.feed(&mut streams, None);
        streams
            .motion
            .iter_mut()
            .chain(streams.flat.iter_mut())
            .chain(std::iter::once(&mut streams.cough))
            .flatten()
            .for_each(Runs::finish);
        // Resting anal pressure: the pre-baseline mean of the filtered pressure (CLINICAL.md §5:
        // 60 s baseline; 30 s agrees almost perfectly, Ang 2022).
        let pressure_rest = self.pressure_rest();
        let pelvic_name = self.channels[pelvic].info.name.clone();
        // Each pelvic contraction's squeeze (onset, peak pressure): a cough's spike exceeds them.
        let squeezes: Vec<(f64, f64)> = rows
            .iter()
            .filter(|(c, _)| c.channel == pelvic_name)
            .filter_map(|(c, k)| k.squeeze.map(|s| (c.onset_s, s.0 + pressure_rest)))
            .collect();
        let artifacts = self.artifacts(&streams, &squeezes, duration);
        // Artifact spans (other than whole-recording hum or ECG) are kept out of contractions, MVC
        // and rest statistics.
        let hit = |a: f64, b: f64| {
            artifacts
                .iter()
                .any(|x| x.excludes && x.start_s < b && x.end_s > a)
        };
        rows.retain(|(c, _)| !hit(c.onset_s, c.offset_s));
        for &c in &emg {
            let name = &self.channels[c].info.name;
            let best = rows
                .iter()
                .filter(|k| &k.0.channel == name)
                .map(|k| k.0.pct_mvc * mvc[c] / 100.0)
                .fold(0.0, f64::max);
            if best > 0.0 && best < mvc[c] {
                for (k, _) in rows.iter_mut().filter(|k| &k.0.channel == name) {
                    k.pct_mvc = k.pct_mvc * mvc[c] / best;
                }
                mvc[c] = best;
            }
        }
        let (contractions, figures): (Vec<Contraction>, Vec<Capture>) = rows.into_iter().unzip();
        let held: Vec<Held> = contractions
            .iter()
            .zip(&figures)
            .map(|(c, k)| Held { c, k })
            .collect();
        // Without a rest phase the first seconds stand in for rest; contractions there (and the
        // second after each) are efforts, not resting tone, and are left out too. In a marked rest
        // phase a contraction is part of how the person rests, and stays.
        let marked_rest = span("pre_baseline").is_some();
        let rest_blocks: Vec<f64> = ph
            .window(pre_a, pre_b)
            .chunks(5)
            .enumerate()
            .filter(|(k, _)| {
                let t = pre_a + *k as f64 * 0.5;
                let effort = !marked_rest
                    && contractions.iter().any(|c| {
                        c.channel == pelvic_name && c.onset_s < t + 0.5 && c.offset_s + 1.0 > t
                    });
                !effort
                    && !artifacts
                        .iter()
                        .any(|x| x.excludes && x.start_s < t + 0.5 && x.end_s > t)
            })
            .map(|(_, b)| mean(b))
            .collect();
        let rest = if rest_blocks.is_empty() {
            rest
        } else {
            mean(&rest_blocks)
        };
        let rest_cv = if rest > 0.0 {
            sd(&rest_blocks) / rest
        } else {
            0.0
        };
        let rest_sd = sd(&rest_blocks);
        let pelvic_mvc = mvc[pelvic];
        let pelvic_holds: Vec<Held> = held
            .iter()
            .copied()
            .filter(|c| c.channel == pelvic_name && c.phase.as_deref().is_some_and(|p| p != "push"))
            .collect();

        // Phases with metrics.
        let mut phase_out = Vec::new();
        for (i, (name, a, b)) in phases.iter().enumerate() {
            let mut m = BTreeMap::new();
            let sums = streams.pelvic.get(i).cloned().unwrap_or_default();
            m.insert("pelvic_mean_uv".into(), sums.mean());
            if sums.len() > 0 {
                m.insert("pelvic_cv".into(), sums.block_cv());
            }
            let inside: Vec<Held> = pelvic_holds
                .iter()
                .copied()
                .filter(|c| within(c, *a, *b))
                .collect();
            if !inside.is_empty() {
                m.insert("contractions".into(), inside.len() as f64);
                m.insert(
                    "peak_mean_uv".into(),
                    mean(&inside.iter().map(|c| c.peak).collect::<Vec<_>>()),
                );
                m.insert(
                    "pct_mvc_mean".into(),
                    mean(&inside.iter().map(|c| c.pct_mvc).collect::<Vec<_>>()),
                );
            }
            if pressure.is_some() {
                let sums = streams.pressure.get(i).cloned().unwrap_or_default();
                m.insert("pressure_mean".into(), sums.mean());
                // The largest squeeze of the phase (IAPWG, Ang 2022; duration: Oblizajek 2022).
                let mut best: Option<(f64, f64)> = None;
                for (increment, duration) in inside.iter().filter_map(|c| c.k.squeeze) {
                    if best.is_none_or(|b| b.0 < increment) {
                        best = Some((increment, duration));
                    }
                }
                if let Some((increment, duration)) = best {
                    m.insert("squeeze_increment".into(), increment);
                    m.insert("squeeze_duration_s".into(), duration);
                }
            }
            phase_out.push(Phase {
                name: name.clone(),
                start_s: *a,
                end_s: *b,
                metrics: m,
            });
        }

        let mut flags = Vec::new();
        let mut flag = |code: &str,
                        a: f64,
                        b: f64,
                        value: f64,
                        threshold: f64,
                        ratio: f64,
                        evidence: &[(&str, f64)],
                        message: String| {
            flags.push(Flag {
                code: code.into(),
                start_s: a,
                end_s: b,
                severity: severity(ratio).into(),
                evidence: evidence
                    .iter()
                    .map(|(k, v)| (k.to_string(), *v))
                    .chain([("value".to_string(), value)])
                    .collect(),
                threshold,
                message,
            });
        };
        let calibrated = rest > 0.0 && pelvic_mvc > 0.0;
        let mut endurance_metrics: Option<(f64, Option<f64>)> = None;
        let mut elevated = false;
        if calibrated {
            // elevated_rest: rest as % of own MVC.
            let pct = 100.0 * rest / pelvic_mvc;
            if pct > cfg.elevated_rest_pct_mvc {
                elevated = true;
                flag("elevated_rest", pre_a, pre_b, pct, cfg.elevated_rest_pct_mvc, pct / cfg.elevated_rest_pct_mvc,
                     &[("rest_uv", rest), ("mvc_uv", pelvic_mvc)],
                     format!("Resting activity is {pct:.0} % of this session's maximal contraction (healthy rest is about 20 %), which suggests raised resting tone."));
            }
            if rest_cv > cfg.unstable_rest_cv {
                flag("unstable_rest", pre_a, pre_b, rest_cv, cfg.unstable_rest_cv, rest_cv / cfg.unstable_rest_cv,
                     &[("rest_uv", rest)],
                     format!("Resting activity varies by {:.0} % (coefficient of variation), which suggests unstable resting tone.", 100.0 * rest_cv));
            }
            // incomplete_relaxation: 1–3 s after each hold.
            let limit = (rest + cfg.incomplete_relaxation_sd * rest_sd)
                .max(rest * (1.0 + cfg.incomplete_relaxation_min_rise));
            let after: Vec<(f64, f64)> = pelvic_holds
                .iter()
                .filter(|c| matches!(c.phase.as_deref(), Some("tonic") | Some("endurance")))
                .map(|c| (c.offset_s, c.k.pelvic_after))
                .collect();
            let high: Vec<&(f64, f64)> = after.iter().filter(|(_, v)| *v > limit).collect();
            if !after.is_empty() && 2 * high.len() >= after.len() {
                let worst = high.iter().map(|x| x.1).fold(0.0, f64::max);
                flag("incomplete_relaxation", high[0].0, high[high.len() - 1].0 + 3.0, worst, limit, worst / limit,
                     &[("holds", after.len() as f64), ("holds_not_relaxed", high.len() as f64), ("pre_baseline_uv", rest)],
                     format!("After {} of {} holds the muscle did not return to its resting level within 3 s, which suggests incomplete relaxation.", high.len(), after.len()));
            }
            // rising_baseline: minima between repetitions within a set.
            for set in ["phasic", "tonic"] {
                let reps: Vec<&Held> = pelvic_holds
                    .iter()
                    .filter(|c| c.phase.as_deref() == Some(set))
                    .collect();
                let minima: Vec<f64> = reps
                    .windows(2)
                    .map(|w| gap_minimum(w[0], w[1], &self.channels[pelvic], captures(pelvic)))
                    .filter(|v| v.is_finite())
                    .collect();
                if minima.len() >= 2 {
                    let rise = (minima[minima.len() - 1] - minima[0]) / rest;
                    if rise > cfg.rising_baseline_fraction {
                        flag("rising_baseline", reps[0].onset_s, reps[reps.len() - 1].offset_s, rise, cfg.rising_baseline_fraction, rise / cfg.rising_baseline_fraction,
                             &[("first_minimum_uv", minima[0]), ("last_minimum_uv", minima[minima.len() - 1])],
                             format!("Between {set} repetitions the resting level rose by {:.0} % of rest, which suggests tension building up.", 100.0 * rise));
                    }
                }
            }
            // slow_release: median release time of the holds.
            let mut releases: Vec<f64> = pelvic_holds.iter().map(|c| c.release_s).collect();
            releases.sort_by(f64::total_cmp);
            if let Some(med) = releases.get(releases.len() / 2).copied() {
                if med > cfg.slow_release_s {
                    flag("slow_release", pelvic_holds[0].onset_s, pelvic_holds[pelvic_holds.len() - 1].offset_s, med, cfg.slow_release_s, med / cfg.slow_release_s,
                         &[("median_release_s", med)],
                         format!("Contractions take {med:.1} s to release (median), which suggests slow relaxation; slow release alone is not specific to an overactive floor."));
                }
            }
            // Weak signs, only where rest is not raised (a raised rest lowers the ratio by itself).
            let rise = (pelvic_mvc - rest) / rest;
            if !elevated && rise < cfg.weak_mvc_over_rest {
                flag("weak_contraction", 0.0, duration, rise, cfg.weak_mvc_over_rest, cfg.weak_mvc_over_rest / rise.max(1e-9),
                     &[("mvc_uv", pelvic_mvc), ("rest_uv", rest)],
                     format!("The strongest contraction rose only {rise:.1} times the resting level above it, which suggests a weak contraction."));
            }
            if let Some(end) = pelvic_holds
                .iter()
                .filter(|c| c.phase.as_deref() == Some("endurance"))
                .max_by(|a, b| (a.offset_s - a.onset_s).total_cmp(&(b.offset_s - b.onset_s)))
            {
                let (first, last) = (end.k.pelvic_first, end.k.pelvic_last);
                let decline = if first > 0.0 { 1.0 - last / first } else { 0.0 };
                endurance_metrics = Some((decline, end.k.mf_slope));
                if decline > cfg.endurance_decline {
                    flag("endurance_fatigue", end.onset_s, end.offset_s, decline, cfg.endurance_decline, decline / cfg.endurance_decline,
                         &[("first_s_uv", first), ("last_s_uv", last)],
                         format!("During the endurance hold the activity fell by {:.0} %, which suggests fast fatigue.", 100.0 * decline));
                }
            }
        }
        // Push: pelvic activity (and anal pressure) while the abdominal channel bears down.
        let mut push_relaxation = None;
        if let (Some(abd), Some((pa, pb))) = (abdominal, span("push")) {
            let abd_name = &self.channels[abd].info.name;
            let pushes: Vec<Held> = held
                .iter()
                .copied()
                .filter(|c| &c.channel == abd_name && within(c, pa, pb))
                .collect();
            if let (Some(_), false) = (pressure, pushes.is_empty()) {
                // Push relaxation: how far anal pressure falls below rest while bearing down (Rao:
                // at least 20 % is adequate; a rise is paradoxical).
                let during: Vec<f64> = pushes.iter().map(|q| q.k.pressure_inner).collect();
                if pressure_rest > 0.0 {
                    push_relaxation = Some(100.0 * (pressure_rest - mean(&during)) / pressure_rest);
                }
            }
            if !pushes.is_empty() && rest > 0.0 {
                let during = mean(&pushes.iter().map(|p| p.k.pelvic_inner).collect::<Vec<_>>());
                let ratio = during / rest;
                if ratio > cfg.paradoxical_push_ratio {
                    let mut evidence = vec![
                        ("pelvic_during_push_uv", during),
                        ("rest_uv", rest),
                        ("pushes", pushes.len() as f64),
                    ];
                    if let Some(r) = push_relaxation {
                        evidence.push(("anal_pressure_relaxation_pct", r));
                    }
                    flag("paradoxical_push", pa, pb, ratio, cfg.paradoxical_push_ratio, ratio / cfg.paradoxical_push_ratio,
                         &evidence,
                         format!("While bearing down the pelvic floor activity rose to {ratio:.1} times rest instead of falling, which suggests a paradoxical contraction (dyssynergia pattern)."));
                }
            }
        }
        // Accessory: abdominal activity during pelvic holds.
        if let Some((arest, _)) = abdominal.and_then(|a| self.rest(a)) {
            let holds: Vec<f64> = pelvic_holds
                .iter()
                .filter(|c| c.phase.as_deref() == Some("tonic"))
                .map(|c| c.k.abdominal_inner)
                .collect();
            if !holds.is_empty() && arest > 0.0 {
                let ratio = mean(&holds) / arest;
                if ratio > cfg.accessory_ratio {
                    flag("accessory_cocontraction", pelvic_holds[0].onset_s, pelvic_holds[pelvic_holds.len() - 1].offset_s, ratio, cfg.accessory_ratio, ratio / cfg.accessory_ratio,
                         &[("abdominal_during_holds_uv", mean(&holds)), ("abdominal_rest_uv", arest)],
                         format!("The abdominal muscles rose to {ratio:.1} times their rest during pelvic holds, which suggests accessory (substitution) activity."));
                }
            }
        }

        for a in &artifacts {
            flags.push(Flag {
                code: a.code.into(),
                start_s: a.start_s,
                end_s: a.end_s,
                severity: severity(a.ratio).into(),
                evidence: a
                    .evidence
                    .iter()
                    .map(|(k, v)| (k.to_string(), *v))
                    .chain([("value".to_string(), a.value)])
                    .collect(),
                threshold: a.threshold,
                message: a.message.clone(),
            });
        }
        if let (Some((decline, slope)), Some(p)) = (
            endurance_metrics,
            phase_out.iter_mut().find(|p| p.name == "endurance"),
        ) {
            p.metrics
                .insert("amplitude_decline_pct".into(), 100.0 * decline);
            // Median-frequency slope: poor test-retest reliability (Oleksy 2021); report, do not flag.
            if let Some(slope) = slope {
                p.metrics
                    .insert("median_frequency_slope_hz_per_s".into(), slope);
            }
        }
        if let (Some(r), Some(push)) = (
            push_relaxation,
            phase_out.iter_mut().find(|p| p.name == "push"),
        ) {
            push.metrics.insert("push_relaxation_pct".into(), r);
        }
        if let (Some(_), Some(pre)) = (
            pressure,
            phase_out.iter_mut().find(|p| p.name == "pre_baseline"),
        ) {
            pre.metrics.insert("resting_pressure".into(), pressure_rest);
        }
        let quality = self
            .channels
            .iter()
            .enumerate()
            .map(|(c, ch)| {
                let r = self.rest(c);
                Quality {
                    channel: ch.info.name.clone(),
                    rest_mean: r.map(|x| x.0),
                    rest_sd: r.map(|x| x.1),
                }
            })
            .collect();
        let pattern = pattern(&flags, calibrated);
        Report {
            source: Source {
                channels: self
                    .channels
                    .iter()
                    .map(|c| SourceChannel {
                        name: c.info.name.clone(),
                        kind: c.info.kind(),
                        unit: c.info.unit.to_string(),
                        rate: c.info.rate_hz,
                    })
                    .collect(),
                duration_s: duration,
            },
            quality,
            contractions,
            phases: phase_out,
            flags,
            pattern,
        }
    }
}

/// The pattern the flags suggest, and the exercise direction the evidence supports.
fn pattern(flags: &[Flag], calibrated: bool) -> Pattern {
    let has = |c: &str| flags.iter().any(|f| f.code == c);
    let over: Vec<String> = [
        "elevated_rest",
        "unstable_rest",
        "incomplete_relaxation",
        "rising_baseline",
        "slow_release",
        "paradoxical_push",
    ]
    .iter()
    .filter(|c| has(c))
    .map(|c| c.to_string())
    .collect();
    let strong_over = has("elevated_rest") || has("incomplete_relaxation") || over.len() >= 2;
    let weak: Vec<String> = ["weak_contraction", "endurance_fatigue"]
        .iter()
        .filter(|c| has(c))
        .map(|c| c.to_string())
        .collect();
    if !calibrated {
        return Pattern {
            label: "inconclusive".into(),
            reasons: vec!["no rest calibration or no contraction was found".into()],
            direction: "Repeat the assessment with a rest period and cued contractions before drawing conclusions.".into(),
        };
    }
    if strong_over {
        return Pattern {
            label: "overactive".into(),
            reasons: over,
            direction: "The evidence suggests an overactive pelvic floor: relaxation and down-training (breathing-paced release) \
                        would come before any strengthening; the clinician decides."
                .into(),
        };
    }
    if has("accessory_cocontraction") || has("paradoxical_push") {
        let mut reasons = over;
        if has("accessory_cocontraction") {
            reasons.push("accessory_cocontraction".into());
        }
        return Pattern {
            label: "uncoordinated".into(),
            reasons,
            direction: "The evidence suggests poor coordination: isolation and relaxation practice (pelvic floor without \
                        abdominal bracing, relaxing while bearing down) would come first; the clinician decides."
                .into(),
        };
    }
    if !weak.is_empty() {
        return Pattern {
            label: "weak".into(),
            reasons: weak,
            direction: "The evidence suggests a weak pelvic floor: graded strengthening (holds and quick flicks) is supported; \
                        the clinician decides."
                .into(),
        };
    }
    Pattern {
        label: "within_reference".into(),
        reasons: over,
        direction:
            "No sign of over-activity or weakness relative to this person's own rest and maximum."
                .into(),
    }
}
