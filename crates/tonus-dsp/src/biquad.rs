//! One second-order section (biquad) and its transposed direct form II update.

/// Coefficients of one second-order section, normalised so that `a0 = 1`:
/// `H(z) = (b0 + b1 z⁻¹ + b2 z⁻²) / (1 + a1 z⁻¹ + a2 z⁻²)`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Biquad {
    /// Numerator coefficient of z⁰.
    pub b0: f64,
    /// Numerator coefficient of z⁻¹.
    pub b1: f64,
    /// Numerator coefficient of z⁻².
    pub b2: f64,
    /// Denominator coefficient of z⁻¹.
    pub a1: f64,
    /// Denominator coefficient of z⁻².
    pub a2: f64,
}

impl Biquad {
    /// A section from a SciPy-style row `[b0, b1, b2, a0, a1, a2]`, normalised by `a0`.
    ///
    /// `a0` must be non-zero; every designer in this crate produces `a0 = 1` exactly.
    pub fn from_row(row: [f64; 6]) -> Self {
        let a0 = row[3];
        Self {
            b0: row[0] / a0,
            b1: row[1] / a0,
            b2: row[2] / a0,
            a1: row[4] / a0,
            a2: row[5] / a0,
        }
    }

    /// The SciPy-style row `[b0, b1, b2, 1, a1, a2]`.
    pub fn to_row(&self) -> [f64; 6] {
        [self.b0, self.b1, self.b2, 1.0, self.a1, self.a2]
    }

    /// Gain at 0 Hz, `H(1) = (b0 + b1 + b2) / (1 + a1 + a2)`.
    pub fn dc_gain(&self) -> f64 {
        (self.b0 + self.b1 + self.b2) / (1.0 + self.a1 + self.a2)
    }

    /// One step of the transposed direct form II (SciPy `sosfilt`'s structure).
    ///
    /// The `z1` term is added before `a1·y` is subtracted, so the loop-carried dependency
    /// `y → z0 → y` is one multiply and two adds instead of SciPy's one multiply and three adds; the
    /// result differs from SciPy's only in rounding (tested to 1e-9 relative).
    #[inline(always)]
    pub fn step(&self, z: &mut [f64; 2], x: f64) -> f64 {
        let y = self.b0 * x + z[0];
        z[0] = (self.b1 * x + z[1]) - self.a1 * y;
        z[1] = self.b2 * x - self.a2 * y;
        y
    }

    /// Steady-state internal state for a unit step input (SciPy `lfilter_zi` for one section),
    /// solved as LAPACK's `gesv` does: LU with partial pivoting.
    pub fn step_state(&self) -> [f64; 2] {
        // (I - Aᵀ) zi = B with the companion matrix of [1, a1, a2].
        let mut m = [[1.0 + self.a1, -1.0], [self.a2, 1.0]];
        let mut rhs = [self.b1 - self.a1 * self.b0, self.b2 - self.a2 * self.b0];
        if libm::fabs(m[1][0]) > libm::fabs(m[0][0]) {
            m.swap(0, 1);
            rhs.swap(0, 1);
        }
        if m[0][0] == 0.0 {
            return [0.0, 0.0];
        }
        let l = m[1][0] * (1.0 / m[0][0]);
        let u11 = m[1][1] - l * m[0][1];
        let y1 = rhs[1] - l * rhs[0];
        let x1 = if u11 == 0.0 { 0.0 } else { y1 / u11 };
        let x0 = (rhs[0] - x1 * m[0][1]) / m[0][0];
        [x0, x1]
    }
}
