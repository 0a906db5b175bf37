//! The pattern the domain findings suggest, and the exercise direction they support (the rules the
//! README's "Patterns" table documents):
//!
//! | pattern | when |
//! |---|---|
//! | `inconclusive` | no rest calibration or no contraction |
//! | `overactive_weak` | overactive (below) and the contraction weak or absent |
//! | `overactive` | resting tone increased, or relaxation partial or absent |
//! | `uncoordinated` | coordination dyssynergic or accessory, without over-activity |
//! | `inconclusive` | weak (below) while signs of raised tone come within 80 % of their thresholds |
//! | `weak` | contraction weak or absent, or endurance reduced, with resting tone clearly normal |
//! | `within_reference` | otherwise |
//!
//! Delayed relaxation alone is not over-activity (it is not specific: Leitner 2019); an overactive
//! floor, weak or not, is directed to relaxation first.

use crate::domain::{Domain, DomainFinding, Rating};
use crate::report::Pattern;
use tonus_core::PatternLabel;

fn rating(domains: &[&DomainFinding], d: Domain) -> Rating {
    domains
        .iter()
        .find(|f| f.domain == d)
        .map_or(Rating::NotAssessed, |f| f.rating)
}

/// The codes of every flag behind the domains, in order, once each.
fn reasons(domains: &[&DomainFinding]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for code in domains.iter().flat_map(|d| &d.flags) {
        if !out.iter().any(|o| code == o.as_str()) {
            out.push(code.to_string());
        }
    }
    out
}

/// The pattern (see the module docs); `borderline_tone` names signs of raised tone just short of
/// their thresholds.
pub(crate) fn suggest(
    domains: &[&DomainFinding],
    calibrated: bool,
    borderline_tone: Option<&str>,
) -> Pattern {
    let tone = rating(domains, Domain::RestingTone);
    let relaxation = rating(domains, Domain::Relaxation);
    let contraction = rating(domains, Domain::Contraction);
    let endurance = rating(domains, Domain::Endurance);
    let coordination = rating(domains, Domain::Coordination);
    let over = tone == Rating::Increased || matches!(relaxation, Rating::Partial | Rating::Absent);
    let weak_contraction = matches!(contraction, Rating::Weak | Rating::Absent);
    let reasons = reasons(domains);
    let (label, direction) = if !calibrated {
        return Pattern {
            label: PatternLabel::Inconclusive,
            reasons: vec!["no rest calibration or no contraction was found".into()],
            direction: "Repeat the assessment with a rest period and cued contractions before drawing conclusions.".into(),
        };
    } else if over && weak_contraction {
        (
            PatternLabel::OveractiveWeak,
            "The evidence suggests an overactive pelvic floor that is also weak on contraction (a non-relaxing floor often \
             contracts poorly because it starts shortened): relaxation and down-training first; strengthening only once \
             rest is quiet and release complete; the clinician decides.",
        )
    } else if over {
        (
            PatternLabel::Overactive,
            "The evidence suggests an overactive pelvic floor: relaxation and down-training (breathing-paced release) \
             would come before any strengthening; the clinician decides.",
        )
    } else if matches!(coordination, Rating::Dyssynergic | Rating::Accessory) {
        (
            PatternLabel::Uncoordinated,
            "The evidence suggests poor coordination: isolation and relaxation practice (pelvic floor without \
             abdominal bracing, relaxing while bearing down) would come first; the clinician decides.",
        )
    } else if let (true, Some(signs)) = (
        weak_contraction || endurance == Rating::Reduced,
        borderline_tone,
    ) {
        let mut reasons = reasons;
        reasons.push(format!("borderline signs of raised resting tone: {signs}"));
        return Pattern {
            label: PatternLabel::Inconclusive,
            reasons,
            direction: "The contraction looks weak, but resting tone is borderline: strengthening an overactive floor \
                        worsens it, so reassess rest and relaxation (a longer rest period) before any strengthening; \
                        the clinician decides."
                .into(),
        };
    } else if weak_contraction || endurance == Rating::Reduced {
        (
            PatternLabel::Weak,
            "The evidence suggests a weak pelvic floor: graded strengthening (holds and quick flicks) is supported; \
             the clinician decides.",
        )
    } else {
        (
            PatternLabel::WithinReference,
            "No sign of over-activity or weakness relative to this person's own rest and maximum.",
        )
    };
    Pattern {
        label,
        reasons,
        direction: direction.into(),
    }
}
