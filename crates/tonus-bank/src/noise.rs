//! Random streams of the bank, written here rather than borrowed from `tonus-sim` or `tonus-dsp`
//! so the bank shares no code with what it validates: SplitMix64 numbers, Box–Muller normals, an
//! Ornstein–Uhlenbeck process for slow fluctuations, and EMG-like noise (white noise through an
//! RBJ-cookbook band-pass biquad, scaled to unit RMS).

use core::f64::consts::PI;

/// SplitMix64 (Steele, Lea & Flood 2014): small, fast, and good enough for test signals.
#[derive(Debug, Clone)]
pub struct Rng {
    state: u64,
    spare: Option<f64>,
}

impl Rng {
    /// A stream from `seed`.
    pub fn new(seed: u64) -> Self {
        Self {
            state: seed ^ 0x5DEE_CE66_D1A4_F00D,
            spare: None,
        }
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    pub fn uniform(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Uniform in [a, b).
    pub fn between(&mut self, a: f64, b: f64) -> f64 {
        a + (b - a) * self.uniform()
    }

    /// Standard normal (Box–Muller, both values used).
    pub fn normal(&mut self) -> f64 {
        if let Some(z) = self.spare.take() {
            return z;
        }
        let u1 = self.uniform().max(1e-300);
        let u2 = self.uniform();
        let r = (-2.0 * u1.ln()).sqrt();
        self.spare = Some(r * (2.0 * PI * u2).sin());
        r * (2.0 * PI * u2).cos()
    }
}

/// A unit-variance Ornstein–Uhlenbeck process sampled every `dt` seconds with time constant `tau`.
#[derive(Debug, Clone)]
pub struct Ou {
    x: f64,
    a: f64,
    b: f64,
}

impl Ou {
    /// Started at a draw from its stationary distribution.
    pub fn new(tau_s: f64, dt_s: f64, rng: &mut Rng) -> Self {
        let a = (-dt_s / tau_s).exp();
        Self {
            x: rng.normal(),
            a,
            b: (1.0 - a * a).sqrt(),
        }
    }

    /// The next value.
    pub fn next(&mut self, rng: &mut Rng) -> f64 {
        self.x = self.a * self.x + self.b * rng.normal();
        self.x
    }
}

/// White noise through a band-pass biquad (RBJ Audio EQ Cookbook, constant 0 dB peak gain),
/// scaled to unit RMS: surface-EMG-like noise whose power lies between about 30 and 200 Hz.
#[derive(Debug, Clone)]
pub struct EmgNoise {
    b0: f64,
    b2: f64,
    a1: f64,
    a2: f64,
    x1: f64,
    x2: f64,
    y1: f64,
    y2: f64,
    scale: f64,
}

impl EmgNoise {
    /// Centre frequency and Q of the band (pelvic EMG content lies mostly below 100–150 Hz).
    const CENTRE_HZ: f64 = 90.0;
    const Q: f64 = 0.7;

    /// Noise for a channel sampled at `rate_hz`.
    pub fn new(rate_hz: f64) -> Self {
        let w0 = 2.0 * PI * Self::CENTRE_HZ / rate_hz;
        let alpha = w0.sin() / (2.0 * Self::Q);
        let a0 = 1.0 + alpha;
        let mut f = Self {
            b0: alpha / a0,
            b2: -alpha / a0,
            a1: -2.0 * w0.cos() / a0,
            a2: (1.0 - alpha) / a0,
            x1: 0.0,
            x2: 0.0,
            y1: 0.0,
            y2: 0.0,
            scale: 1.0,
        };
        // The biquad's noise gain, measured once on a fixed stream (deterministic per rate).
        let mut rng = Rng::new(0xB1A5);
        let n = 200_000;
        let power = (0..n).map(|_| f.raw(rng.normal()).powi(2)).sum::<f64>() / n as f64;
        f.scale = 1.0 / power.sqrt();
        (f.x1, f.x2, f.y1, f.y2) = (0.0, 0.0, 0.0, 0.0);
        f
    }

    fn raw(&mut self, x: f64) -> f64 {
        let y = self.b0 * x + self.b2 * self.x2 - self.a1 * self.y1 - self.a2 * self.y2;
        (self.x2, self.x1) = (self.x1, x);
        (self.y2, self.y1) = (self.y1, y);
        y
    }

    /// The next unit-RMS value.
    pub fn next(&mut self, rng: &mut Rng) -> f64 {
        self.raw(rng.normal()) * self.scale
    }
}
