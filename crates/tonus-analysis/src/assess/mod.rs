//! The assessment: the session's measurements in ([`Inputs`]), one finding per domain out, then
//! the pattern the findings suggest. Each domain is a pure function of the inputs (and of the
//! domains it depends on), testable alone:
//!
//! | domain | module | reads |
//! |---|---|---|
//! | relaxation | [`relaxation`] | release times, post-hold levels |
//! | coordination | [`coordination`] | pelvic activity while bearing down, abdominal activity during contractions |
//! | resting tone | [`tone`] | rest instability, rest rising, post-baseline, rest % MVC (support only), the relaxation and coordination findings |
//! | contraction | [`contraction`] | MVC rise over rest (judged against the tone finding) |
//! | endurance | [`endurance`] | the endurance hold's decline |
//! | pattern | [`pattern`] | the five findings |
//!
//! Rest as % of MVC cannot decide tone on its own (CLINICAL.md §2b): a weak floor's low MVC raises
//! the ratio as raised tone does. Tone is raised only on evidence a low MVC cannot create.

pub(crate) mod contraction;
pub(crate) mod coordination;
pub(crate) mod endurance;
pub(crate) mod pattern;
pub(crate) mod relaxation;
pub(crate) mod tone;

#[cfg(test)]
mod tests;

use crate::capture::Capture;
use crate::config::AnalysisConfig;
use crate::domain::{Domain, DomainFinding, Measure, Rating};
use crate::report::{Contraction, Flag, Pattern};

/// A reported contraction with the figures captured for it (reads as the contraction).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Held<'a> {
    pub(crate) c: &'a Contraction,
    pub(crate) k: &'a Capture,
}

impl std::ops::Deref for Held<'_> {
    type Target = Contraction;
    fn deref(&self) -> &Contraction {
        self.c
    }
}

impl Held<'_> {
    /// Whether it belongs to the phase `name`.
    pub(crate) fn in_phase(&self, name: &str) -> bool {
        self.phase.as_deref() == Some(name)
    }

    /// Whether it is a hold (a tonic or endurance repetition), after which relaxation is judged.
    pub(crate) fn is_hold(&self) -> bool {
        self.in_phase("tonic") || self.in_phase("endurance")
    }
}

/// The pelvic rest over the pre-baseline, artifacts left out.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub(crate) struct RestStats {
    /// Where it was measured, s.
    pub(crate) span: (f64, f64),
    /// Mean of the 0.5 s means of the envelope, µV RMS.
    pub(crate) mean: f64,
    /// Their standard deviation (outlying blocks left out), µV.
    pub(crate) sd: f64,
    /// Their coefficient of variation: the instability of rest.
    pub(crate) cv: f64,
    /// How many 0.5 s blocks it rests on.
    pub(crate) blocks: usize,
}

/// The minima between the repetitions of one set.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct SetMinima {
    /// The set's phase name.
    pub(crate) set: String,
    /// From its first onset to its last offset, s.
    pub(crate) span: (f64, f64),
    /// The lowest 0.5 s mean between each pair of repetitions, in order, µV.
    pub(crate) minima: Vec<f64>,
}

/// Bearing down: the pelvic floor and anal pressure while the abdominal channel pushes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct PushInputs {
    /// The push phase, s.
    pub(crate) span: (f64, f64),
    /// Pushes found on the abdominal channel.
    pub(crate) pushes: usize,
    /// Mean pelvic envelope while pushing, µV.
    pub(crate) pelvic_during: f64,
    /// How far anal pressure fell below rest while pushing, % (with a pressure channel).
    pub(crate) anal_relaxation_pct: Option<f64>,
}

/// The abdominal channel during pelvic contractions.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct AccessoryInputs {
    /// Abdominal rest and its median inside the pelvic contractions, µV.
    pub(crate) rest: f64,
    pub(crate) during: f64,
    /// How many contractions, and from the first one's onset to the last one's offset, s.
    pub(crate) contractions: usize,
    pub(crate) span: (f64, f64),
}

/// What the domains read (see the module docs).
#[derive(Debug, Clone)]
pub(crate) struct Inputs<'a> {
    /// The thresholds.
    pub(crate) config: &'a AnalysisConfig,
    /// Pelvic rest before the exercises.
    pub(crate) rest: RestStats,
    /// Pelvic rest after the exercises (the post-baseline), when there is one.
    pub(crate) post_rest: Option<RestStats>,
    /// The pelvic session MVC (largest 0.5 s mean over contractions), µV.
    pub(crate) mvc: f64,
    /// The typical rise of a maximal effort above the level it started from (see
    /// `typical_increment` in `build.rs`), µV: the voluntary contraction itself, whatever it rose
    /// from.
    pub(crate) increment: f64,
    /// The pelvic contractions inside the protocol's contraction phases (not the push), with their
    /// figures, artifacts left out.
    pub(crate) contractions: &'a [Held<'a>],
    /// Whether the session asked for contractions (a contraction phase exists).
    pub(crate) asked_contractions: bool,
    /// The minima between repetitions, per set.
    pub(crate) sets: Vec<SetMinima>,
    /// Bearing down, when there is a push phase and an abdominal channel.
    pub(crate) push: Option<PushInputs>,
    /// The abdominal channel during pelvic contractions, when there is one.
    pub(crate) accessory: Option<AccessoryInputs>,
    /// The whole session, s.
    pub(crate) duration_s: f64,
}

impl RestStats {
    /// The coefficient of variation pooled with `other`'s (each block relative to its own
    /// phase's mean, so a rest that moved between the phases does not count as instability), and
    /// the blocks it rests on.
    pub(crate) fn pooled_cv(&self, other: Option<&RestStats>) -> (f64, usize) {
        let parts = std::iter::once(self)
            .chain(other)
            .filter(|r| r.blocks >= 2 && r.mean > 0.0);
        let (mut ss, mut dof, mut blocks) = (0.0, 0usize, 0usize);
        for r in parts {
            ss += r.cv * r.cv * (r.blocks - 1) as f64;
            dof += r.blocks - 1;
            blocks += r.blocks;
        }
        (
            if dof > 0 {
                (ss / dof as f64).sqrt()
            } else {
                0.0
            },
            blocks,
        )
    }
}

impl Inputs<'_> {
    /// Whether rest and a maximum are both known (otherwise nothing can be judged).
    pub(crate) fn calibrated(&self) -> bool {
        self.rest.mean > 0.0 && self.mvc > 0.0
    }

    /// The span from the first contraction's onset to the last one's offset (those `keep`
    /// selects), s.
    pub(crate) fn span_of(&self, keep: impl Fn(&Held) -> bool) -> Option<(f64, f64)> {
        let mut it = self.contractions.iter().filter(|c| keep(c));
        let first = it.next()?;
        let last = it.last().unwrap_or(first);
        Some((first.onset_s, last.offset_s))
    }
}

/// One domain's finding and the flags it raised.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Finding {
    /// The finding.
    pub(crate) domain: DomainFinding,
    /// The flags behind it.
    pub(crate) flags: Vec<Flag>,
    /// Signs short of the rating's thresholds but within [`GUARD`] of them (the resting tone of a
    /// rest that is almost unstable, say): the pattern does not build a strengthening advice on it.
    pub(crate) borderline: Option<String>,
}

/// How close to a threshold a sign must come to count as borderline (80 % of the way) \[design:
/// the harms are not symmetric: strengthening an overactive floor worsens it, so the advice to
/// strengthen needs tone clearly normal\].
pub(crate) const GUARD: f64 = 0.8;

impl Finding {
    /// A finding of `domain` rated `rating`, with its measurements, flags and message.
    pub(crate) fn new(
        domain: Domain,
        rating: Rating,
        evidence: Vec<Measure>,
        flags: Vec<Flag>,
        message: String,
    ) -> Self {
        Self {
            domain: DomainFinding {
                domain,
                rating,
                evidence,
                flags: flags.iter().map(|f| f.code).collect(),
                message,
            },
            flags,
            borderline: None,
        }
    }

    /// `domain` with nothing to judge it by.
    pub(crate) fn not_assessed(domain: Domain, why: &str) -> Self {
        Self::new(
            domain,
            Rating::NotAssessed,
            Vec::new(),
            Vec::new(),
            why.into(),
        )
    }

    /// The rating.
    pub(crate) fn rating(&self) -> Rating {
        self.domain.rating
    }
}

/// The assessment of a session.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Assessment {
    /// One finding per domain, in [`Domain`] order.
    pub(crate) domains: Vec<DomainFinding>,
    /// The flags the domains raised, in domain order.
    pub(crate) flags: Vec<Flag>,
    /// The pattern.
    pub(crate) pattern: Pattern,
}

/// Assesses every domain, then the pattern.
pub(crate) fn assess(inputs: &Inputs) -> Assessment {
    let relaxation = relaxation::assess(inputs);
    let coordination = coordination::assess(inputs);
    let tone = tone::assess(inputs, relaxation.rating(), coordination.rating());
    let contraction = contraction::assess(inputs, tone.rating());
    let endurance = endurance::assess(inputs);
    let findings = [tone, contraction, relaxation, endurance, coordination];
    let pattern = pattern::suggest(
        &findings.each_ref().map(|f| &f.domain),
        inputs.calibrated(),
        findings[0].borderline.as_deref(),
    );
    let flags = findings.iter().flat_map(|f| f.flags.clone()).collect();
    Assessment {
        domains: findings.into_iter().map(|f| f.domain).collect(),
        flags,
        pattern,
    }
}

/// Percent, for messages.
pub(crate) fn pct(x: f64) -> f64 {
    100.0 * x
}
