//! Artifacts the engine must recognise (CLINICAL.md §7), placed at fixed points of the script.

use core::fmt;
use core::str::FromStr;

use serde::{Deserialize, Serialize};

/// A kind of artifact; its serialised name is the flag code the engine should raise.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ArtifactKind {
    /// 50 Hz hum, 3 µV peak, on both EMG channels, throughout.
    MainsInterference,
    /// QRS-like spikes at 70 beats/min, mostly on the abdominal channel, throughout.
    EcgContamination,
    /// 0.4 s synchronous burst on every channel; pressure +120 mmHg.
    CoughArtifact,
    /// 1.5 s of large 3–5 Hz movement on both EMG channels.
    MotionArtifact,
    /// 2 s of pelvic flatline on a 250 µV DC step (probe lift-off).
    ElectrodeOff,
    /// 0.5 s of the pelvic channel driven into its rail (just above the recording's own maximum)
    /// during a hold.
    Saturation,
}

impl ArtifactKind {
    /// Every kind.
    pub const ALL: [ArtifactKind; 6] = [
        Self::MainsInterference,
        Self::EcgContamination,
        Self::CoughArtifact,
        Self::MotionArtifact,
        Self::ElectrodeOff,
        Self::Saturation,
    ];

    /// Short command-line name.
    pub fn name(self) -> &'static str {
        match self {
            Self::MainsInterference => "mains",
            Self::EcgContamination => "ecg",
            Self::CoughArtifact => "cough",
            Self::MotionArtifact => "motion",
            Self::ElectrodeOff => "electrode-off",
            Self::Saturation => "saturation",
        }
    }

    /// The flag code the engine should raise for it.
    pub fn flag(self) -> &'static str {
        match self {
            Self::MainsInterference => "mains_interference",
            Self::EcgContamination => "ecg_contamination",
            Self::CoughArtifact => "cough_artifact",
            Self::MotionArtifact => "motion_artifact",
            Self::ElectrodeOff => "electrode_off",
            Self::Saturation => "saturation",
        }
    }
}

impl fmt::Display for ArtifactKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for ArtifactKind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if s == "all" {
            return Err("'all' expands to every kind; parse it with ArtifactKind::ALL".into());
        }
        ArtifactKind::ALL.into_iter().find(|k| k.name() == s).ok_or_else(|| {
            format!("unknown artifact '{s}' (expected mains, ecg, cough, motion, electrode-off or saturation)")
        })
    }
}

/// One artifact span in the truth.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Artifact {
    /// Kind (its flag code).
    pub kind: ArtifactKind,
    /// Start, s.
    pub start_s: f64,
    /// End, s.
    pub end_s: f64,
    /// Channels affected.
    pub channels: Vec<String>,
}

/// Adds the requested artifacts to `[pelvic, abdominal, anal]` and returns their spans. An artifact
/// whose place falls outside a shortened recording is left out (and not reported).
pub(crate) fn apply(
    kinds: &[ArtifactKind],
    phases: &[crate::truth::PhaseTruth],
    contractions: &[crate::truth::TruthContraction],
    fs: f64,
    seed: u64,
    channels: [&mut Vec<f64>; 3],
) -> Vec<Artifact> {
    use core::f64::consts::PI;
    let [pelvic, abdominal, anal] = channels;
    let n = pelvic.len();
    let duration = n as f64 / fs;
    let at = |name: &str, frac: f64| {
        phases
            .iter()
            .find(|p| p.name == name)
            .map(|p| p.start_s + frac * (p.end_s - p.start_s))
    };
    let range = |start: f64, len: f64| {
        crate::scenario::index(start, fs, n)..crate::scenario::index(start + len, fs, n)
    };
    let names = |c: &[&str]| c.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    let mut noise = crate::noise::Noise::new(seed, 5);
    let mut out = Vec::new();
    for &kind in kinds {
        match kind {
            ArtifactKind::MainsInterference => {
                for i in 0..n {
                    let t = i as f64 / fs;
                    pelvic[i] += 3.0 * libm::sin(2.0 * PI * 50.0 * t);
                    abdominal[i] += 3.0 * libm::sin(2.0 * PI * 50.0 * t + 0.3);
                }
                out.push(Artifact {
                    kind,
                    start_s: 0.0,
                    end_s: duration,
                    channels: names(&["pelvic", "abdominal"]),
                });
            }
            ArtifactKind::EcgContamination => {
                let mut beat = 0.2;
                while beat + 0.04 < duration {
                    for i in range(beat, 0.04) {
                        let w = libm::sin(2.0 * PI * (i as f64 / fs - beat) / 0.04);
                        abdominal[i] += 20.0 * w;
                        pelvic[i] += 5.0 * w;
                    }
                    beat += 60.0 / 70.0;
                }
                out.push(Artifact {
                    kind,
                    start_s: 0.0,
                    end_s: duration,
                    channels: names(&["abdominal", "pelvic"]),
                });
            }
            ArtifactKind::CoughArtifact => {
                for start in [at("pre_baseline", 0.4), at("post_baseline", 0.8)]
                    .into_iter()
                    .flatten()
                {
                    if start + 0.4 > duration {
                        continue;
                    }
                    for i in range(start, 0.4) {
                        let env = libm::sin(PI * (i as f64 / fs - start) / 0.4);
                        pelvic[i] += 80.0 * env * noise.gaussian();
                        abdominal[i] += 80.0 * env * noise.gaussian();
                        anal[i] += 120.0 * env;
                    }
                    let channels = names(&["pelvic", "abdominal", "anal"]);
                    out.push(Artifact {
                        kind,
                        start_s: start,
                        end_s: start + 0.4,
                        channels,
                    });
                }
            }
            ArtifactKind::MotionArtifact => {
                if let Some(start) = at("post_baseline", 0.1).filter(|s| s + 1.5 <= duration) {
                    for i in range(start, 1.5) {
                        let t = i as f64 / fs;
                        let env = libm::sin(PI * (t - start) / 1.5);
                        let wobble = libm::sin(2.0 * PI * 3.0 * t)
                            + 0.6 * libm::sin(2.0 * PI * 5.0 * t + 1.0);
                        pelvic[i] += 40.0 * env * wobble;
                        abdominal[i] += 25.0 * env * wobble;
                    }
                    out.push(Artifact {
                        kind,
                        start_s: start,
                        end_s: start + 1.5,
                        channels: names(&["pelvic", "abdominal"]),
                    });
                }
            }
            ArtifactKind::ElectrodeOff => {
                if let Some(start) = at("post_baseline", 0.45).filter(|s| s + 2.0 <= duration) {
                    for i in range(start, 2.0) {
                        pelvic[i] = 250.0 + 0.05 * noise.gaussian();
                    }
                    out.push(Artifact {
                        kind,
                        start_s: start,
                        end_s: start + 2.0,
                        channels: names(&["pelvic"]),
                    });
                }
            }
            ArtifactKind::Saturation => {
                let first_hold = contractions.iter().find(|c| c.phase == "tonic");
                if let Some(start) = first_hold
                    .map(|c| c.plateau_s + 0.5)
                    .filter(|s| s + 0.5 <= duration)
                {
                    // The rail sits just above everything else the channel records (an ADC clips every
                    // sample at its rail), and the overloaded span is driven into it.
                    let rail = 1.05 * pelvic.iter().fold(100.0f64, |m, v| m.max(v.abs()));
                    for i in range(start, 0.5) {
                        pelvic[i] = (pelvic[i] * 20.0).clamp(-rail, rail);
                    }
                    out.push(Artifact {
                        kind,
                        start_s: start,
                        end_s: start + 0.5,
                        channels: names(&["pelvic"]),
                    });
                }
            }
        }
    }
    out
}
