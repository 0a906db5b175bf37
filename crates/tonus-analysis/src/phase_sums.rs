//! Running sums over one phase of a 10 Hz track: its mean, and the spread of its 0.5 s means (the
//! coefficient of variation of rest, CLINICAL.md §3), without keeping the phase's values.

/// Values per block (0.5 s at 10 Hz).
const BLOCK: u64 = 5;

/// See the module docs. Blocks start at the phase's first value, as `chunks(5)` of its window.
#[derive(Debug, Clone, Default)]
pub(crate) struct PhaseSums {
    sum: f64,
    n: u64,
    /// The block being filled: sum and count.
    block_sum: f64,
    block_n: u64,
    /// Welford's running mean and sum of squared deviations of the block means.
    blocks: u64,
    block_mean: f64,
    block_m2: f64,
}

impl PhaseSums {
    /// Adds the phase's next value.
    #[inline]
    pub(crate) fn push(&mut self, v: f64) {
        self.sum += v;
        self.n += 1;
        self.block_sum += v;
        self.block_n += 1;
        if self.block_n == BLOCK {
            self.close_block();
        }
    }

    fn close_block(&mut self) {
        if self.block_n == 0 {
            return;
        }
        let m = self.block_sum / self.block_n as f64;
        self.blocks += 1;
        let d = m - self.block_mean;
        self.block_mean += d / self.blocks as f64;
        self.block_m2 += d * (m - self.block_mean);
        self.block_sum = 0.0;
        self.block_n = 0;
    }

    /// Values added.
    pub(crate) fn len(&self) -> u64 {
        self.n
    }

    /// Mean of the values (0 without any).
    pub(crate) fn mean(&self) -> f64 {
        if self.n == 0 {
            0.0
        } else {
            self.sum / self.n as f64
        }
    }

    /// Coefficient of variation of the block means (a last, partial block counts as one), 0 when
    /// their mean is not positive or there is a single block.
    pub(crate) fn block_cv(&self) -> f64 {
        let mut s = self.clone();
        s.close_block();
        if s.blocks < 2 || s.block_mean <= 0.0 {
            return 0.0;
        }
        (s.block_m2 / (s.blocks - 1) as f64).sqrt() / s.block_mean
    }
}

#[cfg(test)]
mod tests {
    use super::PhaseSums;

    #[test]
    fn matches_the_two_pass_figures_over_the_whole_phase() {
        // 23 values: four whole blocks and a partial one of three.
        let xs: Vec<f64> = (0..23).map(|k| 10.0 + ((k * k) % 7) as f64).collect();
        let mut s = PhaseSums::default();
        xs.iter().for_each(|&x| s.push(x));
        let mean = xs.iter().sum::<f64>() / xs.len() as f64;
        let blocks: Vec<f64> = xs
            .chunks(5)
            .map(|b| b.iter().sum::<f64>() / b.len() as f64)
            .collect();
        let bm = blocks.iter().sum::<f64>() / blocks.len() as f64;
        let sd = (blocks.iter().map(|b| (b - bm).powi(2)).sum::<f64>() / (blocks.len() - 1) as f64)
            .sqrt();
        assert!((s.mean() - mean).abs() < 1e-12);
        assert!((s.block_cv() - sd / bm).abs() < 1e-12);
        assert_eq!(s.len(), 23);
    }
}
