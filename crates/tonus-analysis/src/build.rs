//! How the report is derived from what the engine saw: each contraction with its figures, artifact
//! spans kept out of everything, rest statistics, phase metrics; then the domain assessment
//! ([`crate::assess`]) gives the flags, the domain findings and the pattern.

use std::collections::BTreeMap;

use tonus_core::ChannelKind;

use crate::assess::{self, AccessoryInputs, Held, Inputs, PushInputs, RestStats, SetMinima};
use crate::capture::Capture;
use crate::engine::{ChannelState, Engine, Roles};
use crate::protocol::is_rest_phase;
use crate::quality::{ArtifactSpan, QualityState};
use crate::report::{
    mean, Contraction, Flag, Phase, Processing, Quality, Report, Source, SourceChannel,
};
use crate::runs::Runs;
use crate::streams::Streams;

/// How far around an excluded artifact span its influence reaches, s: the 100 ms RMS window and
/// the band-pass filters' ringing after a step (a rail, a DC jump) spread it, more after than
/// before \[design\].
pub(crate) const EXCLUDE_MARGIN_S: (f64, f64) = (0.5, 1.0);

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

/// Median of a slice (sorted in place; 0 when empty).
fn median(v: &mut [f64]) -> f64 {
    v.sort_by(f64::total_cmp);
    let n = v.len();
    match n {
        0 => 0.0,
        _ if n % 2 == 1 => v[n / 2],
        _ => 0.5 * (v[n / 2 - 1] + v[n / 2]),
    }
}

/// Rest statistics of 0.5 s block means: blocks further than 4 robust SDs (1.4826 × MAD) from
/// their median are left out (what an artifact left behind), then the mean, SD and CV of the rest.
pub(crate) fn rest_stats(blocks: &[f64], span: (f64, f64)) -> RestStats {
    let mut v = blocks.to_vec();
    let med = median(&mut v);
    let mut dev: Vec<f64> = v.iter().map(|x| (x - med).abs()).collect();
    let robust_sd = 1.4826 * median(&mut dev);
    let kept: Vec<f64> = blocks
        .iter()
        .copied()
        .filter(|x| (x - med).abs() <= 4.0 * robust_sd || robust_sd == 0.0)
        .collect();
    let m = mean(&kept);
    let sd = if kept.len() < 2 {
        0.0
    } else {
        (kept.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (kept.len() - 1) as f64).sqrt()
    };
    RestStats {
        span,
        mean: m,
        sd,
        cv: if m > 0.0 { sd / m } else { 0.0 },
        blocks: kept.len(),
    }
}

/// The start of the post-baseline skipped, s: the last hold's release is still under way there
/// \[design\].
const POST_SETTLE_S: f64 = 2.0;

/// Gaps between repetitions shorter than this hold no rest to compare (quick flicks 1 s apart:
/// the release's tail and one partial 0.5 s mean), s \[design\].
const MIN_GAP_S: f64 = 1.0;

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

/// The typical rise of a maximal effort above the level it started from: the median, over the
/// contractions of the maximal-effort phases (`phasic`, `tonic`; all contractions when there are
/// none), of the plateau's mean minus the second before the onset. The median of many efforts,
/// and plateau means rather than peaks, so an unstable rest's upswings do not pass for strength.
fn typical_increment(holds: &[Held]) -> f64 {
    let maximal: Vec<f64> = holds
        .iter()
        .filter(|c| c.in_phase("phasic") || c.in_phase("tonic"))
        .map(|c| c.k.release.plateau_mean - c.k.before)
        .collect();
    let mut v = if maximal.is_empty() {
        holds
            .iter()
            .map(|c| c.k.release.plateau_mean - c.k.before)
            .collect()
    } else {
        maximal
    };
    median(&mut v).max(0.0)
}

/// Whether `[a, b]` touches an excluded artifact span (widened by [`EXCLUDE_MARGIN_S`]).
fn excluded(artifacts: &[ArtifactSpan], a: f64, b: f64) -> bool {
    artifacts.iter().any(|x| {
        x.excludes && x.start_s - EXCLUDE_MARGIN_S.0 < b && x.end_s + EXCLUDE_MARGIN_S.1 > a
    })
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

    /// Every contraction's figures: captured before its history was dropped, or taken now.
    fn all_captures(&self) -> Vec<Vec<Capture>> {
        (0..self.channels.len())
            .map(|c| {
                let ch = &self.channels[c];
                let pending =
                    (ch.captured.len()..ch.contractions.len()).map(|i| self.capture(c, i));
                ch.captured.iter().copied().chain(pending).collect()
            })
            .collect()
    }

    /// Each contraction of the EMG channels with its figures, in onset order, and each channel's
    /// MVC: the session maximum of the 100 ms RMS averaged over 0.5 s (a single 100 ms window
    /// carries ±11 % estimation noise, which would otherwise inflate the maximum).
    fn contraction_rows(
        &self,
        captures: &[Vec<Capture>],
        phases: &[(String, f64, f64)],
    ) -> (Vec<(Contraction, Capture)>, Vec<f64>) {
        let mut mvc = vec![0.0f64; self.channels.len()];
        let mut rows = Vec::new();
        for (c, ch) in self.channels.iter().enumerate() {
            if ch.info.kind() != ChannelKind::Emg {
                continue;
            }
            for (d, k) in ch.contractions.iter().zip(&captures[c]) {
                mvc[c] = mvc[c].max(if k.smooth_peak > 0.0 {
                    k.smooth_peak
                } else {
                    d.peak
                });
            }
            let fs = ch.info.rate_hz;
            for (d, k) in ch.contractions.iter().zip(&captures[c]) {
                let (on, off) = (d.onset as f64 / fs, d.offset as f64 / fs);
                let mid = midpoint(on, off);
                rows.push((
                    Contraction {
                        channel: ch.info.name.clone(),
                        phase: phases
                            .iter()
                            .find(|p| mid >= p.1 && mid < p.2)
                            .map(|p| p.0.clone()),
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
                        release_s: k.release.release_s,
                        hold_cv: k.release.hold_cv,
                        return_to_baseline_s: k.return_s,
                    },
                    *k,
                ));
            }
        }
        rows.sort_by(|a, b| a.0.onset_s.total_cmp(&b.0.onset_s));
        (rows, mvc)
    }

    /// With contractions inside artifacts left out, each channel's MVC is the largest of those
    /// kept, and their % MVC follows.
    fn rescale_mvc(&self, rows: &mut [(Contraction, Capture)], mvc: &mut [f64]) {
        for (c, ch) in self.channels.iter().enumerate() {
            let name = &ch.info.name;
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
    }

    /// The whole-recording figures, fed to the end (a copy: the engine may go on).
    fn finished_streams(&self) -> Streams {
        let mut streams = self.streams.clone();
        self.feed(&mut streams, None);
        streams
            .motion
            .iter_mut()
            .chain(streams.flat.iter_mut())
            .chain(std::iter::once(&mut streams.cough))
            .flatten()
            .for_each(Runs::finish);
        streams
    }

    /// Pelvic rest over `(a, b)`: 0.5 s means (they remove the envelope's estimation noise, so
    /// the CV measures the physiological instability of rest), excluded artifact spans and their
    /// margins left out everywhere. Without a marked rest phase the first seconds stand in for
    /// rest; contractions there (and the second after each) are efforts, not resting tone, and
    /// are left out too. In a marked rest phase a contraction is part of how the person rests,
    /// and stays.
    fn pelvic_rest(
        &self,
        roles: Roles,
        (a, b): (f64, f64),
        held: &[Held],
        artifacts: &[ArtifactSpan],
    ) -> RestStats {
        let marked = self.markers.iter().any(|m| m.label == "pre_baseline");
        let pelvic = &self.channels[roles.pelvic];
        let blocks: Vec<f64> = pelvic
            .history
            .window(a, b)
            .chunks(5)
            .enumerate()
            .filter(|(k, _)| {
                let t = a + *k as f64 * 0.5;
                let effort = !marked
                    && held.iter().any(|c| {
                        c.channel == pelvic.info.name && c.onset_s < t + 0.5 && c.offset_s + 1.0 > t
                    });
                !effort && !excluded(artifacts, t, t + 0.5)
            })
            .map(|(_, b)| mean(b))
            .collect();
        if blocks.is_empty() {
            let rest = self.rest(roles.pelvic).map_or(0.0, |r| r.0);
            return RestStats {
                span: (a, b),
                mean: rest,
                ..RestStats::default()
            };
        }
        rest_stats(&blocks, (a, b))
    }

    /// The minima between the repetitions of each set (each `phasic` or `tonic` phase) of the
    /// pelvic channel.
    fn set_minima(
        &self,
        pelvic: usize,
        phases: &[(String, f64, f64)],
        holds: &[Held],
        captures: &[Capture],
    ) -> Vec<SetMinima> {
        phases
            .iter()
            .filter(|p| matches!(p.0.as_str(), "phasic" | "tonic"))
            .filter_map(|(set, a, b)| {
                let reps: Vec<&Held> = holds.iter().filter(|c| within(c, *a, *b)).collect();
                let minima: Vec<f64> = reps
                    .windows(2)
                    .filter(|w| w[1].onset_s - w[0].offset_s >= MIN_GAP_S)
                    .map(|w| gap_minimum(w[0], w[1], &self.channels[pelvic], captures.iter()))
                    .filter(|v| v.is_finite())
                    .collect();
                let (first, last) = (reps.first()?, reps.last()?);
                Some(SetMinima {
                    set: set.clone(),
                    span: (first.onset_s, last.offset_s),
                    minima,
                })
            })
            .collect()
    }

    /// Bearing down: pushes found on the abdominal channel in the `push` phase.
    fn push_inputs(&self, roles: Roles, held: &[Held], pressure_rest: f64) -> Option<PushInputs> {
        let abd = roles.abdominal?;
        let (pa, pb) = self
            .phase_spans_s(self.end_s())
            .find(|p| p.0 == "push")
            .map(|p| (p.1, p.2))?;
        let name = &self.channels[abd].info.name;
        let pushes: Vec<&Held> = held
            .iter()
            .filter(|c| &c.channel == name && within(c, pa, pb))
            .collect();
        if pushes.is_empty() {
            return None;
        }
        let during: Vec<f64> = pushes.iter().map(|q| q.k.pressure_inner).collect();
        Some(PushInputs {
            span: (pa, pb),
            pushes: pushes.len(),
            pelvic_during: mean(&pushes.iter().map(|p| p.k.pelvic_inner).collect::<Vec<_>>()),
            anal_relaxation_pct: (roles.pressure.is_some() && pressure_rest > 0.0)
                .then(|| 100.0 * (pressure_rest - mean(&during)) / pressure_rest),
        })
    }

    /// The abdominal channel inside the pelvic contractions of the contraction phases.
    fn accessory_inputs(&self, roles: Roles, pelvic_holds: &[Held]) -> Option<AccessoryInputs> {
        let (rest, _) = self.rest(roles.abdominal?)?;
        let during: Vec<f64> = pelvic_holds.iter().map(|c| c.k.abdominal_inner).collect();
        let (first, last) = (pelvic_holds.first()?, pelvic_holds.last()?);
        Some(AccessoryInputs {
            span: (first.onset_s, last.offset_s),
            rest,
            during: mean(&during),
            contractions: during.len(),
        })
    }

    /// Metrics of each phase (pelvic mean and CV, its contractions, pressure and squeezes).
    fn phase_metrics(
        &self,
        phases: &[(String, f64, f64)],
        streams: &Streams,
        pelvic_holds: &[Held],
        pressure: bool,
    ) -> Vec<Phase> {
        let mut out = Vec::new();
        for (i, (name, a, b)) in phases.iter().enumerate() {
            let mut m = BTreeMap::new();
            let sums = streams.pelvic.get(i).cloned().unwrap_or_default();
            m.insert("pelvic_mean_uv".into(), sums.mean());
            if sums.len() > 0 {
                m.insert("pelvic_cv".into(), sums.block_cv());
            }
            let inside: Vec<&Held> = pelvic_holds.iter().filter(|c| within(c, *a, *b)).collect();
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
            if pressure {
                let sums = streams.pressure.get(i).cloned().unwrap_or_default();
                m.insert("pressure_mean".into(), sums.mean());
                // The largest squeeze of the phase (IAPWG, Ang 2022; duration: Oblizajek 2022).
                let best = inside.iter().filter_map(|c| c.k.squeeze).fold(
                    None,
                    |b: Option<(f64, f64)>, s| {
                        if b.is_none_or(|b| b.0 < s.0) {
                            Some(s)
                        } else {
                            b
                        }
                    },
                );
                if let Some((increment, duration)) = best {
                    m.insert("squeeze_increment".into(), increment);
                    m.insert("squeeze_duration_s".into(), duration);
                }
            }
            out.push(Phase {
                name: name.clone(),
                start_s: *a,
                end_s: *b,
                metrics: m,
            });
        }
        out
    }

    fn build(&self) -> Report {
        let roles = self.roles();
        let duration = self.end_s();
        let phases = self.phases(duration);
        let captures = self.all_captures();
        let (mut rows, mut mvc) = self.contraction_rows(&captures, &phases);
        let streams = self.finished_streams();
        // Resting anal pressure: the pre-baseline mean of the filtered pressure (CLINICAL.md §5:
        // 60 s baseline; 30 s agrees almost perfectly, Ang 2022).
        let pressure_rest = self.pressure_rest();
        let pelvic_name = self.channels[roles.pelvic].info.name.clone();
        // Each pelvic contraction's squeeze (onset, peak pressure): a cough's spike exceeds them.
        let squeezes: Vec<(f64, f64)> = rows
            .iter()
            .filter(|(c, _)| c.channel == pelvic_name)
            .filter_map(|(c, k)| k.squeeze.map(|s| (c.onset_s, s.0 + pressure_rest)))
            .collect();
        let artifacts = self.artifacts(&streams, &squeezes, duration);
        // Artifact spans (other than whole-recording hum or ECG) are kept out of contractions, MVC,
        // rest, release and fatigue: a contraction touching one is not reported.
        rows.retain(|(c, _)| !excluded(&artifacts, c.onset_s, c.offset_s));
        self.rescale_mvc(&mut rows, &mut mvc);
        let (contractions, figures): (Vec<Contraction>, Vec<Capture>) = rows.into_iter().unzip();
        let held: Vec<Held> = contractions
            .iter()
            .zip(&figures)
            .map(|(c, k)| Held { c, k })
            .collect();
        let pelvic_holds: Vec<Held> = held
            .iter()
            .copied()
            // The contractions of the exercises: not those of the push, nor a rest phase's.
            .filter(|c| {
                c.channel == pelvic_name
                    && c.phase
                        .as_deref()
                        .is_some_and(|p| p != "push" && !is_rest_phase(p))
            })
            // The release's after-window must be clear of artifacts too.
            .filter(|c| {
                let pe = c.k.release.plateau_end_s;
                !excluded(&artifacts, pe, pe + crate::capture::AFTER_S.1)
            })
            .collect();
        let inputs = Inputs {
            config: &self.config,
            rest: self.pelvic_rest(roles, self.pre_span(duration), &held, &artifacts),
            // After the exercises, past [`POST_SETTLE_S`] (when there is a post-baseline).
            post_rest: phases
                .iter()
                .find(|p| p.0 == "post_baseline")
                .map(|(_, a, b)| {
                    self.pelvic_rest(roles, ((a + POST_SETTLE_S).min(*b), *b), &held, &artifacts)
                })
                .filter(|r| r.blocks > 0),
            mvc: mvc[roles.pelvic],
            increment: typical_increment(&pelvic_holds),
            contractions: &pelvic_holds,
            asked_contractions: phases
                .iter()
                .any(|p| matches!(p.0.as_str(), "phasic" | "tonic" | "endurance")),
            sets: self.set_minima(
                roles.pelvic,
                &phases,
                &pelvic_holds,
                &captures[roles.pelvic],
            ),
            push: self.push_inputs(roles, &held, pressure_rest),
            accessory: self.accessory_inputs(roles, &pelvic_holds),
            duration_s: duration,
        };
        let assessment = assess::assess(&inputs);
        let mut phase_out =
            self.phase_metrics(&phases, &streams, &pelvic_holds, roles.pressure.is_some());
        if let (Some((decline, slope)), Some(p)) = (
            assess::endurance::decline(&inputs),
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
            inputs.push.and_then(|p| p.anal_relaxation_pct),
            phase_out.iter_mut().find(|p| p.name == "push"),
        ) {
            push.metrics.insert("push_relaxation_pct".into(), r);
        }
        if let (Some(_), Some(pre)) = (
            roles.pressure,
            phase_out.iter_mut().find(|p| p.name == "pre_baseline"),
        ) {
            pre.metrics.insert("resting_pressure".into(), pressure_rest);
        }
        let mut flags = assessment.flags;
        flags.extend(artifacts.iter().map(ArtifactSpan::flag));
        Report {
            source: self.source(duration),
            quality: self.quality(),
            contractions,
            phases: phase_out,
            flags,
            domains: assessment.domains,
            pattern: assessment.pattern,
            processing: self.processing(),
        }
    }

    /// The notch the EMG channels were filtered with.
    fn processing(&self) -> Processing {
        let nyquist = self
            .channels
            .iter()
            .filter(|c| c.info.kind() == ChannelKind::Emg)
            .map(|c| c.info.rate_hz / 2.0)
            .fold(0.0, f64::max);
        let mains = self.config.mains;
        Processing {
            mains_notch_hz: mains.map(|m| m.hz()),
            notch_harmonics: mains.map_or(Vec::new(), |m| {
                (2..=65)
                    .filter(|&k| {
                        self.config.mains_harmonics.contains(k) && f64::from(k) * m.hz() < nyquist
                    })
                    .collect()
            }),
        }
    }

    fn source(&self, duration: f64) -> Source {
        Source {
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
        }
    }

    fn quality(&self) -> Vec<Quality> {
        self.channels
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
            .collect()
    }
}

impl ArtifactSpan {
    /// The quality flag of this span.
    fn flag(&self) -> Flag {
        Flag::raise(
            self.code,
            (self.start_s, self.end_s),
            self.value,
            self.threshold,
            self.ratio,
            &self.evidence,
            self.message.clone(),
        )
    }
}
