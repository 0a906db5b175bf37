//! The second-order sections of the lane kernel, one step of each on every lane: plain sections
//! (exactly [`Biquad::step`]'s operations), and the fused forms a cascade takes when its zeros lie
//! on the unit circle — unit sections (numerator `1 + b1 z⁻¹ + z⁻²`, one add and three fused
//! multiply-adds) and resonators (numerator `1 − z⁻²`, one add and two).
//!
//! A band-pass design's sections carry their zeros in pairs at `z = 1` and `z = −1`
//! (`(1 − z⁻¹)²` and `(1 + z⁻¹)²`); their product is `(1 − z⁻²)²`, so each such pair of sections
//! is re-paired as two resonators with the same poles: the same filter, one multiply-add less per
//! section and frame.

use tonus_dsp::Biquad;
use tonus_dsp::Sos;

/// A section divided by its `b0` whose `b2` equals its `b0`: numerator `1 + b1 z⁻¹ + z⁻²`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct UnitSection {
    b1: f64,
    /// `−a1`.
    neg_a1: f64,
    /// `−a2`.
    neg_a2: f64,
}

/// A section with numerator `1 − z⁻²` (zeros at `z = 1` and `z = −1`).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Resonator {
    /// `−a1`.
    neg_a1: f64,
    /// `−a2`.
    neg_a2: f64,
}

/// A cascade in fused form: its resonators first, then its unit sections, and the square of
/// the product of the sections' `b0`s (the gain the fused forms leave out, applied to the mean
/// square at the end).
#[derive(Debug, Clone)]
pub(crate) struct Fused {
    /// The band-pass pairs, re-paired.
    pub(crate) resonators: Vec<Resonator>,
    /// The other sections, in cascade order.
    pub(crate) sections: Vec<UnitSection>,
    /// The square of the cascade's gain.
    pub(crate) gain_squared: f64,
}

impl Fused {
    /// The cascade in fused form, or `None` when a section's zeros are not on the unit circle
    /// (`b0 = 0` or `b2 ≠ b0`).
    pub(crate) fn of(sos: &Sos) -> Option<Self> {
        let mut gain = 1.0;
        let mut units = Vec::with_capacity(sos.len());
        for s in sos.sections() {
            if s.b0 == 0.0 || s.b2 != s.b0 {
                return None;
            }
            gain *= s.b0;
            units.push(UnitSection {
                b1: s.b1 / s.b0,
                neg_a1: -s.a1,
                neg_a2: -s.a2,
            });
        }
        // Zeros at 1 twice (`b1 = −2`) with zeros at −1 twice (`b1 = 2`): two resonators.
        let (mut at_one, mut at_minus_one): (Vec<_>, Vec<_>) = (Vec::new(), Vec::new());
        for (i, u) in units.iter().enumerate() {
            if u.b1 == -2.0 {
                at_one.push(i);
            } else if u.b1 == 2.0 {
                at_minus_one.push(i);
            }
        }
        let pairs = at_one.len().min(at_minus_one.len());
        let paired: Vec<usize> = at_one[..pairs]
            .iter()
            .chain(&at_minus_one[..pairs])
            .copied()
            .collect();
        let mut resonators = Vec::with_capacity(2 * pairs);
        let mut sections = Vec::with_capacity(units.len() - 2 * pairs);
        for (i, u) in units.into_iter().enumerate() {
            if paired.contains(&i) {
                resonators.push(Resonator {
                    neg_a1: u.neg_a1,
                    neg_a2: u.neg_a2,
                });
            } else {
                sections.push(u);
            }
        }
        Some(Self {
            resonators,
            sections,
            gain_squared: gain * gain,
        })
    }
}

/// One unit section on every lane: `y = v + z0`, `z0 = b1·v + z1 − a1·y`, `z1 = v − a2·y`, the
/// products fused.
#[inline(always)]
pub(crate) fn unit_section<const L: usize>(
    s: &UnitSection,
    z: &mut [[f64; L]; 2],
    v: [f64; L],
) -> [f64; L] {
    let mut y = [0.0; L];
    for l in 0..L {
        y[l] = v[l] + z[0][l];
    }
    for l in 0..L {
        z[0][l] = crate::math::mul_add(s.neg_a1, y[l], crate::math::mul_add(s.b1, v[l], z[1][l]));
    }
    for l in 0..L {
        z[1][l] = crate::math::mul_add(s.neg_a2, y[l], v[l]);
    }
    y
}

/// One resonator on every lane: `y = v + z0`, `z0 = z1 − a1·y`, `z1 = −v − a2·y`, the products
/// fused.
#[inline(always)]
pub(crate) fn resonator<const L: usize>(
    s: &Resonator,
    z: &mut [[f64; L]; 2],
    v: [f64; L],
) -> [f64; L] {
    let mut y = [0.0; L];
    for l in 0..L {
        y[l] = v[l] + z[0][l];
    }
    for l in 0..L {
        z[0][l] = crate::math::mul_add(s.neg_a1, y[l], z[1][l]);
    }
    for l in 0..L {
        z[1][l] = crate::math::mul_add(s.neg_a2, y[l], -v[l]);
    }
    y
}

/// One section on every lane (exactly [`Biquad::step`]'s operations).
#[inline(always)]
pub(crate) fn section<const L: usize>(s: &Biquad, z: &mut [[f64; L]; 2], v: [f64; L]) -> [f64; L] {
    let mut y = [0.0; L];
    for l in 0..L {
        y[l] = s.b0 * v[l] + z[0][l];
    }
    for l in 0..L {
        z[0][l] = (s.b1 * v[l] + z[1][l]) - s.a1 * y[l];
    }
    for l in 0..L {
        z[1][l] = s.b2 * v[l] - s.a2 * y[l];
    }
    y
}

#[cfg(test)]
mod tests {
    use super::*;
    use tonus_dsp::{butterworth, notch, Band};

    fn band_pass(order: usize) -> Sos {
        let band = Band::BandPass {
            low_hz: 20.0,
            high_hz: 450.0,
        };
        butterworth(order, band, 2000.0).expect("design")
    }

    /// Band-pass sections pair up into resonators; a notch, a high-pass (zeros at 1 only) or an
    /// odd low-pass (a first-order section) do not.
    #[test]
    fn band_pass_pairs_become_resonators_and_nothing_else_does() {
        let count = |sos: &Sos| Fused::of(sos).map(|f| (f.resonators.len(), f.sections.len()));
        assert_eq!(count(&band_pass(4)), Some((4, 0)));
        assert_eq!(count(&band_pass(2)), Some((2, 0)));
        let with_notch =
            band_pass(4).then(&Sos::new(vec![notch(50.0, 30.0, 2000.0).expect("notch")]));
        assert_eq!(count(&with_notch), Some((4, 1)));
        let high = butterworth(4, Band::HighPass { cutoff_hz: 20.0 }, 2000.0).expect("design");
        assert_eq!(count(&high), Some((0, 2)));
        let odd = butterworth(5, Band::LowPass { cutoff_hz: 300.0 }, 2000.0).expect("design");
        assert_eq!(count(&odd), None);
        // The gain left out is the product of the b0s, whatever the pairing.
        let f = Fused::of(&with_notch).expect("fused");
        let gain: f64 = with_notch.sections().iter().map(|s| s.b0).product();
        assert_eq!(f.gain_squared, gain * gain);
    }
}
