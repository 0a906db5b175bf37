//! Zeros, poles and gain of a filter, and the analog transforms of SciPy's `iirfilter` path.
//!
//! Each function mirrors the SciPy function of the same name (`lp2lp_zpk`, `lp2hp_zpk`, `lp2bp_zpk`,
//! `lp2bs_zpk`, `bilinear_zpk`) operation for operation, so that the designed coefficients agree with
//! SciPy's to rounding.

use alloc::vec::Vec;
use num_complex::Complex64;

/// A transfer function as zeros, poles and a real gain.
#[derive(Debug, Clone, PartialEq)]
pub struct Zpk {
    /// Zeros.
    pub z: Vec<Complex64>,
    /// Poles.
    pub p: Vec<Complex64>,
    /// Gain.
    pub k: f64,
}

/// Principal square root, as C99 `csqrt` computes it (CACM algorithm 312), which is what NumPy uses.
///
/// `num_complex`'s polar-form root differs in the last bits; in band transforms the small root comes
/// from a cancellation that magnifies those bits, so we follow NumPy's arithmetic instead.
pub(crate) fn csqrt(z: Complex64) -> Complex64 {
    let (a, b) = (z.re, z.im);
    if a == 0.0 && b == 0.0 {
        return Complex64::new(0.0, b);
    }
    let h = libm::hypot(a, b);
    if a >= 0.0 {
        let t = libm::sqrt((a + h) * 0.5);
        Complex64::new(t, b / (2.0 * t))
    } else {
        let t = libm::sqrt((-a + h) * 0.5);
        Complex64::new(libm::fabs(b) / (2.0 * t), libm::copysign(t, b))
    }
}

/// Complex division by Smith's method, as NumPy divides complex numbers.
pub(crate) fn cdiv(n: Complex64, d: Complex64) -> Complex64 {
    let (nr, ni, dr, di) = (n.re, n.im, d.re, d.im);
    if libm::fabs(dr) >= libm::fabs(di) {
        if dr == 0.0 && di == 0.0 {
            return Complex64::new(nr / libm::fabs(dr), ni / libm::fabs(di));
        }
        let rat = di / dr;
        let scl = 1.0 / (dr + di * rat);
        Complex64::new((nr + ni * rat) * scl, (ni - nr * rat) * scl)
    } else {
        let rat = dr / di;
        let scl = 1.0 / (di + dr * rat);
        Complex64::new((nr * rat + ni) * scl, (ni * rat - nr) * scl)
    }
}

/// Product of a sequence, left to right as `numpy.prod` does.
fn prod(values: impl Iterator<Item = Complex64>) -> Complex64 {
    values.fold(Complex64::new(1.0, 0.0), |acc, v| acc * v)
}

/// Each root `r` mapped to `m = map(r)` and split into `m ± √(m² − wo²)`: all the `+` roots, then all
/// the `−` roots, as SciPy's `lp2bp_zpk`/`lp2bs_zpk` concatenate them.
fn split_about(
    roots: &[Complex64],
    wo: f64,
    map: impl Fn(&Complex64) -> Complex64,
) -> Vec<Complex64> {
    let pairs: Vec<(Complex64, Complex64)> = roots
        .iter()
        .map(|r| {
            let m = map(r);
            let root = csqrt(m * m - wo * wo);
            (m + root, m - root)
        })
        .collect();
    let mut out: Vec<Complex64> = pairs.iter().map(|(a, _)| *a).collect();
    out.extend(pairs.iter().map(|(_, b)| *b));
    out
}

impl Zpk {
    /// Poles minus zeros: the number of zeros at infinity.
    fn relative_degree(&self) -> usize {
        self.p.len() - self.z.len()
    }

    /// `lp2lp_zpk`: low-pass prototype to a low-pass with cut-off `wo` (rad/s).
    pub(crate) fn lp2lp(self, wo: f64) -> Zpk {
        let degree = self.relative_degree();
        Zpk {
            z: self.z.iter().map(|z| z * wo).collect(),
            p: self.p.iter().map(|p| p * wo).collect(),
            k: self.k * libm::pow(wo, degree as f64),
        }
    }

    /// `lp2hp_zpk`: low-pass prototype to a high-pass with cut-off `wo`.
    pub(crate) fn lp2hp(self, wo: f64) -> Zpk {
        let degree = self.relative_degree();
        let wo_c = Complex64::new(wo, 0.0);
        let mut z: Vec<Complex64> = self.z.iter().map(|z| cdiv(wo_c, *z)).collect();
        z.extend(core::iter::repeat_n(Complex64::new(0.0, 0.0), degree));
        let k = self.k
            * cdiv(
                prod(self.z.iter().map(|z| -z)),
                prod(self.p.iter().map(|p| -p)),
            )
            .re;
        Zpk {
            z,
            p: self.p.iter().map(|p| cdiv(wo_c, *p)).collect(),
            k,
        }
    }

    /// `lp2bp_zpk`: low-pass prototype to a band-pass centred on `wo` with bandwidth `bw`.
    pub(crate) fn lp2bp(self, wo: f64, bw: f64) -> Zpk {
        let degree = self.relative_degree();
        let shift = |r: &Complex64| r * (bw / 2.0);
        let mut z = split_about(&self.z, wo, shift);
        z.extend(core::iter::repeat_n(Complex64::new(0.0, 0.0), degree));
        Zpk {
            z,
            p: split_about(&self.p, wo, shift),
            k: self.k * libm::pow(bw, degree as f64),
        }
    }

    /// `lp2bs_zpk`: low-pass prototype to a band-stop centred on `wo` with bandwidth `bw`.
    pub(crate) fn lp2bs(self, wo: f64, bw: f64) -> Zpk {
        let degree = self.relative_degree();
        let half = Complex64::new(bw / 2.0, 0.0);
        let shift = |r: &Complex64| cdiv(half, *r);
        let mut z = split_about(&self.z, wo, shift);
        z.extend(core::iter::repeat_n(Complex64::new(0.0, wo), degree));
        z.extend(core::iter::repeat_n(Complex64::new(0.0, -wo), degree));
        let k = self.k
            * cdiv(
                prod(self.z.iter().map(|z| -z)),
                prod(self.p.iter().map(|p| -p)),
            )
            .re;
        Zpk {
            z,
            p: split_about(&self.p, wo, shift),
            k,
        }
    }

    /// `bilinear_zpk`: analog to digital by the bilinear transform at sample rate `fs`.
    pub(crate) fn bilinear(self, fs: f64) -> Zpk {
        let degree = self.relative_degree();
        let fs2 = Complex64::new(2.0 * fs, 0.0);
        let mut z: Vec<Complex64> = self.z.iter().map(|z| cdiv(fs2 + z, fs2 - z)).collect();
        z.extend(core::iter::repeat_n(Complex64::new(-1.0, 0.0), degree));
        let k = self.k
            * cdiv(
                prod(self.z.iter().map(|z| fs2 - z)),
                prod(self.p.iter().map(|p| fs2 - p)),
            )
            .re;
        Zpk {
            z,
            p: self.p.iter().map(|p| cdiv(fs2 + p, fs2 - p)).collect(),
            k,
        }
    }
}
