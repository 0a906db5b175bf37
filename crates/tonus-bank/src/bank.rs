//! The bank itself: every combination of profile, severity, device gain, rate and protocol, one
//! seed each, and a runner that analyses a case as `tonus analyze` would.

use tonus_analysis::{analyze, AnalysisConfig, Report};

use crate::artifact::Artifact;
use crate::person::{Profile, Severity};
use crate::session::{generate, Case};

/// The built-in protocols the bank runs: those that ask for maximal efforts and rest phases, so
/// every domain it judges can be judged (`strength-10x10` holds at 40 % MVC and cannot rate
/// strength; `push`, `down-training` and `free` ask for no contraction).
pub const PROTOCOLS: [&str; 3] = ["glazer-mini", "glazer", "quick-flicks"];

/// Device gains of the bank.
pub const GAINS: [f64; 3] = [0.3, 1.0, 3.0];

/// EMG rates of the bank, Hz.
pub const RATES: [f64; 2] = [1000.0, 2000.0];

/// The artifacts of an `Artifacts` person: one kind (mild), two (moderate), or the cough, the
/// second of saturation and the hum together (marked), the kinds turning with the seed.
fn artifacts_for(severity: Severity, seed: u64) -> Vec<Artifact> {
    let k = Artifact::ALL.len();
    let first = seed as usize % k;
    match severity {
        Severity::Mild => vec![Artifact::ALL[first]],
        Severity::Moderate => vec![Artifact::ALL[first], Artifact::ALL[(first + 3) % k]],
        Severity::Marked => vec![Artifact::Cough, Artifact::Saturation, Artifact::Mains],
    }
}

/// Every case of the bank (324: 6 profiles × 3 severities × 3 gains × 2 rates × 3 protocols),
/// seeded from 1000.
pub fn cases() -> Vec<Case> {
    cases_from(1000)
}

/// The bank's cases with seeds from `first_seed` on (another draw of the same design: a
/// held-out bank).
pub fn cases_from(first_seed: u64) -> Vec<Case> {
    let mut out = Vec::new();
    for profile in Profile::ALL {
        for severity in Severity::ALL {
            for gain in GAINS {
                for rate_hz in RATES {
                    for protocol in PROTOCOLS {
                        let seed = first_seed + out.len() as u64;
                        let artifacts = if profile == Profile::Artifacts {
                            artifacts_for(severity, seed)
                        } else {
                            Vec::new()
                        };
                        out.push(Case {
                            profile,
                            severity,
                            seed,
                            gain,
                            rate_hz,
                            protocol,
                            artifacts,
                        });
                    }
                }
            }
        }
    }
    out
}

/// A case and what the analysis made of it.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// The case.
    pub case: Case,
    /// The analysis report.
    pub report: Report,
}

impl Outcome {
    /// Whether the suggested pattern is the one the person has.
    pub fn agrees(&self) -> bool {
        self.report.pattern.label == self.case.profile.expected_pattern()
    }
}

/// Runs every case on `threads` threads, in the cases' order.
pub fn run_all(all: &[Case], threads: usize) -> Vec<Outcome> {
    let chunk = all.len().div_ceil(threads.max(1)).max(1);
    std::thread::scope(|s| {
        let handles: Vec<_> = all
            .chunks(chunk)
            .map(|part| s.spawn(move || part.iter().map(run).collect::<Vec<_>>()))
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().expect("a bank worker panicked"))
            .collect()
    })
}

/// Generates `case` and analyses it with the default configuration (phases from its markers).
pub fn run(case: &Case) -> Outcome {
    let session = generate(case);
    let report = analyze(&session.recording, AnalysisConfig::default())
        .expect("bank sessions have EMG channels");
    Outcome {
        case: case.clone(),
        report,
    }
}
