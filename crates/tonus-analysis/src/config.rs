//! Detection and flag thresholds, every one relative to the person's own rest or MVC
//! (CLINICAL.md §2), with its default and where the default comes from.

/// Everything the analysis can be tuned by.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AnalysisConfig {
    /// Mains notch (with harmonics) on EMG channels. `None`: batch analysis notches mains hum it
    /// finds in the first seconds (more than 10 dB above the neighbouring bands); the
    /// `mains_interference` flag is raised either way.
    pub mains: Option<tonus_dsp::Mains>,
    /// Which harmonics of `mains` are notched too: all by default; when the analysis finds the hum
    /// itself, only those that carry it (see [`AnalysisConfig::mains`]).
    pub mains_harmonics: tonus_dsp::Harmonics,
    /// Onset threshold: rest mean + `onset_k` × rest SD (Leitner 2019: k = 1) …
    pub onset_k: f64,
    /// … but at least this fraction above the local rest level \[design\]: an RMS envelope at rest
    /// wanders by tens of percent (more in an unstable, overactive floor), which k·SD alone mistakes
    /// for contractions.
    pub onset_min_rise: f64,
    /// … and at least this many µV. Off (0) by default: an absolute floor would make the result
    /// depend on the device's gain (a 0.3× device would lose a weak floor's contractions). A device
    /// profile that knows its own interference level (CLINICAL.md §4: radio ≈ 1 µV) may set it
    /// \[design\].
    pub onset_min_rise_uv: f64,
    /// For this long after a contraction phase starts (its cue), the onset threshold is halved: a
    /// rise right at a cue is expected, and a sub-maximal hold over a high, unstable rest rises little
    /// more than the rest fluctuates \[design\].
    pub cue_window_s: f64,
    /// Offset threshold as a fraction of the onset rise above rest (hysteresis) \[design\].
    pub offset_fraction: f64,
    /// Minimum active duration, s (NeuroKit2 uses 50 ms; pelvic flicks last ≥ 0.5 s) \[src/design\].
    pub min_active_s: f64,
    /// Minimum rest between contractions, s \[design\].
    pub min_rest_s: f64,
    /// Time constant with which the local rest level follows a slowly rising baseline, s \[design\].
    pub baseline_follow_s: f64,
    /// Seconds skipped at the start of the calibration phase while the filters settle.
    pub settle_s: f64,
    /// Calibration length when the recording has no `pre_baseline` marker, s.
    pub default_calibration_s: f64,
    /// A reference range of resting µV for the device's own electrodes, when a device profile
    /// gives one: rest above it is evidence of raised tone, below it of decreased tone. `None` by
    /// default: published healthy rest differs 2–3× between devices (CLINICAL.md §2), so absolute
    /// µV never judge tone without it.
    pub rest_reference_uv: Option<(f64, f64)>,
    /// `elevated_rest`: rest above this % of the session MVC: above the healthy 20–23 % (Kasper 2025)
    /// with a margin \[design\].
    pub elevated_rest_pct_mvc: f64,
    /// `unstable_rest`: coefficient of variation of the rest envelope's 0.5 s means above this
    /// (CLINICAL.md §6.3; a stable rest measures ≈ 0.05 once the RMS estimator noise is averaged out)
    /// \[design\].
    pub unstable_rest_cv: f64,
    /// `rising_baseline`: the post-baseline rest above the pre-baseline's by more than this
    /// fraction \[design: twice the healthy spread of ≈ 10 %, Oleksy 2020 6.26 against 6.93 µV\].
    pub post_rest_rise: f64,
    /// Relaxation `absent`: after most holds the envelope stays above this fraction of the hold's
    /// rise above rest \[design\].
    pub absent_relaxation_fraction: f64,
    /// How many times rest a raised rest is inflated by, to judge a contraction against it: Glazer
    /// 1995 reports resting tension down 68 % after down-training, i.e. raised rest ≈ 3.1 × \[src\].
    pub raised_rest_factor: f64,
    /// `incomplete_relaxation`: the envelope 1.5–3.5 s after a hold above pre-baseline mean + this many SD
    /// (CLINICAL.md §6.2: + 2 SD within 3 s) \[design\].
    pub incomplete_relaxation_sd: f64,
    /// … and at least this fraction above the pre-baseline mean (so a very quiet, stable rest with a
    /// tiny SD is not flagged for a microvolt) \[design\].
    pub incomplete_relaxation_min_rise: f64,
    /// `rising_baseline`: inter-repetition minima rising by more than this fraction of rest across a
    /// set \[design\].
    pub rising_baseline_fraction: f64,
    /// `slow_release`: median release time (peak → offset) above this, s (Leitner 2019 reports faster
    /// release in continent women; not specific to hypertonicity, CLINICAL.md §4) \[design\].
    pub slow_release_s: f64,
    /// `paradoxical_push`: pelvic envelope during a push above this multiple of rest (should fall
    /// below rest, CLINICAL.md §6.1) \[design\].
    pub paradoxical_push_ratio: f64,
    /// `accessory_cocontraction`: abdominal rise during holds above this multiple of abdominal rest
    /// \[design\].
    pub accessory_ratio: f64,
    /// `weak_contraction`: the MVC rises less than this multiple of rest above rest (healthy ≈ 7 in
    /// Oleksy 2020: 49.8 vs 6.26 µV; but ≈ 1.8 in Kasper 2025 with another device — so configurable)
    /// \[design\].
    pub weak_mvc_over_rest: f64,
    /// `endurance_fatigue`: endurance amplitude decline above this fraction (≈ 35 % in fatigue
    /// studies, CLINICAL.md §6) \[design\].
    pub endurance_decline: f64,
}

impl Default for AnalysisConfig {
    fn default() -> Self {
        Self {
            mains: None,
            mains_harmonics: tonus_dsp::Harmonics::ALL,
            onset_k: 3.0,
            onset_min_rise: 0.75,
            onset_min_rise_uv: 0.0,
            cue_window_s: 2.0,
            offset_fraction: 0.5,
            min_active_s: 0.3,
            min_rest_s: 0.3,
            baseline_follow_s: 4.0,
            settle_s: 1.0,
            default_calibration_s: 10.0,
            rest_reference_uv: None,
            elevated_rest_pct_mvc: 30.0,
            unstable_rest_cv: 0.12,
            post_rest_rise: 0.25,
            absent_relaxation_fraction: 0.5,
            raised_rest_factor: 3.1,
            incomplete_relaxation_sd: 2.0,
            incomplete_relaxation_min_rise: 0.25,
            rising_baseline_fraction: 0.2,
            slow_release_s: 1.0,
            paradoxical_push_ratio: 1.3,
            accessory_ratio: 3.0,
            weak_mvc_over_rest: 5.0,
            endurance_decline: 0.3,
        }
    }
}
