//! What the person is asked to do now: the protocol phase's cue and its countdown.

use tonus_analysis::{PhaseKind, Protocol};

/// The cue of the moment.
#[derive(Debug, Clone, PartialEq)]
pub struct Cue {
    /// One or two words: `SQUEEZE`, `RELAX`, `REST`, `PUSH`, `IN`, `OUT`.
    pub word: &'static str,
    /// Seconds until the next change.
    pub seconds_left: f64,
    /// The phase's own sentence (e.g. "Squeeze and hold").
    pub sentence: Option<String>,
    /// The goal line in % of MVC, during a contraction.
    pub goal_pct_mvc: Option<f64>,
    /// Repetition `k` of `n` (contractions and pushes).
    pub rep: Option<(usize, usize)>,
}

impl Cue {
    /// `SQUEEZE 7 s` (whole seconds, rounded up, as a countdown reads).
    pub fn text(&self) -> String {
        format!(
            "{} {} s",
            self.word,
            self.seconds_left.ceil().max(0.0) as u64
        )
    }
}

/// The cue at session time `t` in phase `phase` (started at `start`) of `protocol`.
pub fn cue(protocol: &Protocol, phase: &str, start: f64, t: f64) -> Option<Cue> {
    let spec = protocol.phases.iter().find(|p| p.name == phase)?;
    let into = (t - start).max(0.0);
    let sentence = spec.cue.clone();
    match spec.kind {
        PhaseKind::Rest => Some(Cue {
            word: "REST",
            seconds_left: spec.seconds.unwrap_or(0.0) - into,
            sentence,
            goal_pct_mvc: None,
            rep: None,
        }),
        PhaseKind::Breathing => {
            // Inhale 40 % of the breath, exhale 60 % (a longer out-breath helps the floor let go).
            let period = 60.0 / spec.breaths_per_min.unwrap_or(6.0).max(1.0);
            let pos = into % period;
            let (word, left) = if pos < 0.4 * period {
                ("IN", 0.4 * period - pos)
            } else {
                ("OUT", period - pos)
            };
            Some(Cue {
                word,
                seconds_left: left,
                sentence,
                goal_pct_mvc: None,
                rep: None,
            })
        }
        PhaseKind::Contractions | PhaseKind::Push => {
            let (on, off) = (spec.on_s.unwrap_or(0.0), spec.off_s.unwrap_or(0.0));
            let reps = spec.reps.unwrap_or(0);
            let step = (on + off).max(1e-9);
            let k = ((into / step) as usize).min(reps.saturating_sub(1));
            let pos = into - k as f64 * step;
            let active = spec.kind == PhaseKind::Contractions;
            let (word, left, goal) = if pos < on {
                (
                    if active { "SQUEEZE" } else { "PUSH" },
                    on - pos,
                    if active { spec.level_pct_mvc } else { None },
                )
            } else {
                ("RELAX", step - pos, None)
            };
            Some(Cue {
                word,
                seconds_left: left,
                sentence,
                goal_pct_mvc: goal,
                rep: Some((k + 1, reps)),
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn countdowns_follow_the_script() {
        let p = Protocol::load("glazer-mini").expect("built-in");
        // phasic: 3 × (2 s on, 3 s off) from 8 s.
        let c = cue(&p, "phasic", 8.0, 8.5).expect("cue");
        assert_eq!(
            (c.word, c.text(), c.rep),
            ("SQUEEZE", "SQUEEZE 2 s".to_string(), Some((1, 3)))
        );
        assert_eq!(c.goal_pct_mvc, Some(100.0));
        let c = cue(&p, "phasic", 8.0, 11.0).expect("cue");
        assert_eq!((c.word, c.text()), ("RELAX", "RELAX 2 s".to_string()));
        let c = cue(&p, "phasic", 8.0, 18.2).expect("cue");
        assert_eq!((c.word, c.rep), ("SQUEEZE", Some((3, 3))));
        let c = cue(&p, "pre_baseline", 0.0, 1.0).expect("cue");
        assert_eq!(c.text(), "REST 7 s");
        let c = cue(&p, "push", 59.0, 60.0).expect("cue");
        assert_eq!(c.text(), "PUSH 2 s");
        let d = Protocol::load("down-training").expect("built-in");
        let breathing = d
            .phases
            .iter()
            .find(|p| p.kind == PhaseKind::Breathing)
            .expect("pacer");
        // 6 breaths a minute: 4 s in, 6 s out.
        let c = cue(&d, &breathing.name, 0.0, 1.0).expect("cue");
        assert_eq!(c.text(), "IN 3 s");
        let c = cue(&d, &breathing.name, 0.0, 5.0).expect("cue");
        assert_eq!(c.text(), "OUT 5 s");
        assert!(cue(&p, "no-such-phase", 0.0, 1.0).is_none());
    }
}
