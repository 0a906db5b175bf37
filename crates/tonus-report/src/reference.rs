//! Reference values shown beside the session's figures, and where each flag's rule comes from
//! (CLINICAL.md, with its sources).

/// A phase's reference for healthy women.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PhaseReference {
    /// Phase name as in recordings.
    pub phase: &'static str,
    /// Mean amplitude, µV RMS, and its SD (Oleksy 2020; device-dependent).
    pub uv: (f64, f64),
    /// Mean amplitude as % of the person's own MVC (Kasper 2025).
    pub pct_mvc: f64,
}

/// Glazer-phase references (CLINICAL.md §3).
pub const PHASES: &[PhaseReference] = &[
    PhaseReference {
        phase: "pre_baseline",
        uv: (6.26, 2.40),
        pct_mvc: 22.0,
    },
    PhaseReference {
        phase: "phasic",
        uv: (49.8, 6.8),
        pct_mvc: 58.0,
    },
    PhaseReference {
        phase: "tonic",
        uv: (37.1, 7.0),
        pct_mvc: 62.0,
    },
    PhaseReference {
        phase: "endurance",
        uv: (16.1, 6.7),
        pct_mvc: 56.0,
    },
    PhaseReference {
        phase: "post_baseline",
        uv: (6.93, 2.17),
        pct_mvc: 20.0,
    },
];

/// Where the reference values come from.
pub const PHASE_SOURCE: &str = "Normative amplitudes (healthy women, mean ± SD µV RMS): Oleksy 2020 / Kasper 2025; \
as % of own MVC: Kasper 2025 (CLINICAL.md §3). Amplitudes depend on the device and electrode; the %MVC column compares \
across devices better.";

/// The source of each flag's rule.
pub fn flag_source(code: &str) -> &'static str {
    match code {
        "elevated_rest" => "Rest above the healthy ≈ 20–23 % of own MVC (Kasper 2025; CLINICAL.md §2, §6)",
        "unstable_rest" => "Rest variability (CV of 0.5 s means), CLINICAL.md §6.3",
        "incomplete_relaxation" => "Post-hold envelope above pre-baseline + 2 SD within 3 s (CLINICAL.md §6.2)",
        "rising_baseline" => "Inter-repetition minima rising across a set (CLINICAL.md §6)",
        "slow_release" => "Release slower than continent women (Leitner 2019); not specific to hypertonicity (CLINICAL.md §4)",
        "paradoxical_push" => "Pelvic activity rising instead of falling while bearing down (Rao; CLINICAL.md §5, §6.1)",
        "accessory_cocontraction" => "Abdominal channel rising with pelvic holds (MyoTrac Infiniti manual; CLINICAL.md §3)",
        "weak_contraction" => "MVC rise above rest small relative to rest (Oleksy 2020; Kasper 2025; CLINICAL.md §2)",
        "endurance_fatigue" => "Amplitude decline over the endurance hold (CLINICAL.md §3; median-frequency slope has poor reliability, Oleksy 2021)",
        "mains_interference" => "Power at 50/60 Hz above neighbouring bands (CLINICAL.md §4, §7)",
        "ecg_contamination" => "Periodic 20–80 Hz bursts at heart rate (Drake & Callaghan 2006; CLINICAL.md §7)",
        "cough_artifact" | "motion_artifact" | "electrode_off" | "saturation" | "signal_gap" => "Artifact recognition, CLINICAL.md §7",
        _ => "CLINICAL.md",
    }
}
