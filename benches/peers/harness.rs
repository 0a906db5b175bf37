//! The Tonus side of the peers' harness (`../shared/peer-bench`): runs one pipeline on a harness
//! fixture and prints one JSON line with `bench_peer.py`'s keys (`fixture`, `peer`, `n_samples`,
//! `times_s`, `median_s`, `rss_mib_loaded`, `rss_mib_peak`, `onsets`), so `report.py` and
//! `benches/peers/side_by_side.py` put it in the same table as the peers.
//!
//! `cargo bench --bench peers_harness -- --peer P --fixture DIR/pf_x10 [--reps N] [--warmup W]
//! [--check] [--report FILE]` (`--report`: `tonus-analysis` writes the last pass's report there as
//! JSON, to compare reports between versions or fixture lengths).
//!
//! Peers:
//! - `tonus-causal`: the harness chain exactly as `scipy-causal` runs it: Butterworth band-pass
//!   20–450 Hz order 4 + `iirnotch` Q=30 at 50/100/150 Hz (7 sections, causal), 200-sample moving
//!   RMS, the harness's hysteresis onsets (5×/3× the median RMS of the first 10 s, ≥ 100 ms on,
//!   gaps < 200 ms merged). Channel 0 loaded as f64 outside the clock, as the peers do; streamed
//!   through the chain and the onset rules in chunks of 4096 samples, as Tonus runs, by Tonus's
//!   fastest single-channel path to an envelope, the lane kernel with one lane
//!   (`LaneChain::<1>`; `ChannelChain`'s block form, which also hands back the filtered signal,
//!   is `tonus-stream-1ch`). `--check` also runs the block form on whole-length arrays and fails
//!   unless the onsets are the same.
//! - `tonus-limit`: the limit kernel's own chain (RBJ high-pass 20 Hz, low-pass 450 Hz, notch
//!   50 Hz Q=30; 200-sample RMS) through Tonus's filters, on the limit kernel's terms: channel 0
//!   de-interleaved into an `f32` array before the clock, computed in `f64`, the envelope written
//!   to a whole-length `f32` array, in one streamed pass (the same memory traffic as its `f64`
//!   build).
//! - `tonus-causal-8ch`: the same chain on 8 channels at once (channel 0 eight times, one per SIMD
//!   lane, `LaneChain::<8>::process_channels`: per-channel slices in and out, gathered into lanes
//!   64 frames at a time), streamed in chunks of 4096 samples; throughput counts all 8 channels.
//! - `tonus-frames-8ch`: the same 8 channels in the layout a multi-channel sensor sends them,
//!   interleaved frames (sample `i` of every channel side by side; built outside the clock, as
//!   channel 0 is loaded as f64 outside it, on whole 64-byte cache lines as a frame buffer for
//!   vectors is allocated), `LaneChain::<8>::process_into` chunk by chunk into a
//!   chunk of envelope frames: the lanes without the transposition of `tonus-causal-8ch`.
//! - `tonus-stream-1ch`: one channel streamed the same way (chunk in, `BlockSos` + `BlockRms`,
//!   envelope out): the single-channel reference for the 8-channel ratio.
//! - `tonus-lanes-1ch`: one channel through the lane kernel with one lane (`LaneChain::<1>`, the
//!   per-sample recursion): the same arithmetic per channel as `tonus-causal-8ch`, so the ratio of
//!   the two is what the lanes alone gain.
//! - `tonus-analysis`: the full analysis (mains detection, calibration, filters, contraction
//!   detector, metrics, flags) of channels 0 and 1, streamed from the fixture file inside the clock;
//!   onsets are the pelvic contractions' onsets.

use std::fs::File;
use std::hint::black_box;
use std::io::{BufReader, Read};
use std::path::{Path, PathBuf};
use std::time::Instant;

use tonus_analysis::{analyze_replay, AnalysisConfig};
use tonus_core::{ChannelInfo, Marker, Replay};
use tonus_dsp::{butterworth, notch, Band, Biquad, BlockRms, BlockSos, Sos};
use tonus_lanes::LaneChain;

const CAL_S: f64 = 10.0;
const ON_FACTOR: f64 = 5.0;
const OFF_FACTOR: f64 = 3.0;
const MIN_ON_S: f64 = 0.100;
const MIN_GAP_S: f64 = 0.200;
const RMS_WIN: usize = 200;
/// Samples per channel per chunk in the streaming modes (fits the L2 cache with 8 channels).
const CHUNK: usize = 4096;

struct Fixture {
    prefix: PathBuf,
    rate: f64,
    channels: usize,
    n: usize,
    truth: Vec<i64>,
}

fn load_fixture(prefix: &Path) -> Fixture {
    let meta: serde_json::Value = serde_json::from_slice(
        &std::fs::read(prefix.with_extension("json")).expect("fixture sidecar (.json)"),
    )
    .expect("sidecar JSON");
    let truth_path = prefix
        .parent()
        .unwrap_or(Path::new("."))
        .join(meta["truth"].as_str().unwrap_or(""));
    let truth = std::fs::read(&truth_path)
        .ok()
        .and_then(|b| serde_json::from_slice::<serde_json::Value>(&b).ok())
        .map(|t| {
            t["events"]
                .as_array()
                .map(|e| {
                    e.iter()
                        .filter_map(|x| x["onset_sample"].as_i64())
                        .collect()
                })
                .unwrap_or_default()
        })
        .unwrap_or_default();
    Fixture {
        prefix: prefix.to_path_buf(),
        rate: meta["sample_rate_hz"].as_f64().expect("sample_rate_hz"),
        channels: meta["n_channels"].as_u64().expect("n_channels") as usize,
        n: meta["n_samples"].as_u64().expect("n_samples") as usize,
        truth,
    }
}

/// Channel 0 as f64 (outside the clock, as the peers load it).
fn channel0(f: &Fixture) -> Vec<f64> {
    let raw = std::fs::read(f.prefix.with_extension("bin")).expect("fixture .bin");
    raw.chunks_exact(4 * f.channels)
        .map(|frame| f64::from(f32::from_le_bytes([frame[0], frame[1], frame[2], frame[3]])))
        .collect()
}

/// The fixture streamed from its file in one-second chunks (channels 0 and 1).
struct FixtureSource {
    path: PathBuf,
    stride: usize,
    infos: Vec<ChannelInfo>,
}

impl Replay for FixtureSource {
    type Error = std::io::Error;

    fn channels(&self) -> &[ChannelInfo] {
        &self.infos
    }

    fn markers(&self) -> &[Marker] {
        &[]
    }

    fn duration_s(&self) -> Option<f64> {
        let bytes = std::fs::metadata(&self.path).ok()?.len();
        let frames = bytes / (4 * self.stride as u64);
        Some(frames as f64 / self.infos.first()?.rate_hz)
    }

    fn replay(
        &mut self,
        limit_s: Option<f64>,
        f: &mut dyn FnMut(usize, &[f64]),
    ) -> Result<(), Self::Error> {
        let rate = self.infos[0].rate_hz as usize;
        let mut file = BufReader::new(File::open(&self.path)?);
        let mut bytes = vec![0u8; rate * 4 * self.stride];
        let mut chans = vec![vec![0.0f64; rate]; self.infos.len()];
        let limit = limit_s.map_or(usize::MAX, |l| (l * rate as f64).ceil() as usize);
        let mut done = 0;
        while done < limit {
            let mut got = 0;
            while got < bytes.len() {
                let n = file.read(&mut bytes[got..])?;
                if n == 0 {
                    break;
                }
                got += n;
            }
            let frames = (got / (4 * self.stride)).min(limit - done);
            if frames == 0 {
                break;
            }
            for (i, frame) in bytes.chunks_exact(4 * self.stride).take(frames).enumerate() {
                for (c, ch) in chans.iter_mut().enumerate() {
                    let b = &frame[4 * c..4 * c + 4];
                    ch[i] = f64::from(f32::from_le_bytes([b[0], b[1], b[2], b[3]]));
                }
            }
            for (c, ch) in chans.iter().enumerate() {
                f(c, &ch[..frames]);
            }
            done += frames;
        }
        Ok(())
    }
}

/// numpy's `median`: the middle value, or the mean of the two middle values (by selection, O(n)).
fn median(values: &[f64]) -> Option<f64> {
    let mut v = values.to_vec();
    let n = v.len();
    if n == 0 {
        return None;
    }
    let (below, &mut mid, _) = v.select_nth_unstable_by(n / 2, f64::total_cmp);
    if n % 2 == 1 {
        Some(mid)
    } else {
        let lower = below.iter().copied().max_by(f64::total_cmp).unwrap_or(mid);
        Some(0.5 * (lower + mid))
    }
}

/// `bench_peer.py`'s `detect_onsets`, sample for sample.
fn detect_onsets(rms: &[f64], fs: f64) -> Vec<i64> {
    let n_cal = rms.len().min((CAL_S * fs) as usize);
    let rest = median(&rms[..n_cal]).unwrap_or(0.0);
    let (on, off) = (ON_FACTOR * rest, OFF_FACTOR * rest);
    let mut runs: Vec<(usize, usize, bool)> = Vec::new();
    let mut start = None;
    let mut reached = false;
    for (i, &v) in rms.iter().enumerate() {
        if v > off {
            if start.is_none() {
                start = Some(i);
                reached = false;
            }
            reached |= v > on;
        } else if let Some(s) = start.take() {
            runs.push((s, i, reached));
        }
    }
    if let Some(s) = start {
        runs.push((s, rms.len(), reached));
    }
    let kept: Vec<(usize, usize)> = runs
        .into_iter()
        .filter(|r| r.2)
        .map(|r| (r.0, r.1))
        .collect();
    let min_gap = (MIN_GAP_S * fs) as usize;
    let mut merged: Vec<(usize, usize)> = Vec::new();
    for (s, e) in kept {
        match merged.last_mut() {
            Some(last) if s - last.1 < min_gap => last.1 = e,
            _ => merged.push((s, e)),
        }
    }
    let min_on = (MIN_ON_S * fs) as usize;
    merged
        .into_iter()
        .filter(|(s, e)| e - s >= min_on)
        .map(|(s, _)| s as i64)
        .collect()
}

/// [`detect_onsets`] fed as the envelope arrives: the first `CAL_S` seconds are kept for the rest
/// median, then every value passes the same hysteresis, merge and minimum-length rules.
struct StreamOnsets {
    n_cal: usize,
    cal: Vec<f64>,
    levels: Option<(f64, f64)>,
    i: usize,
    start: Option<usize>,
    reached: bool,
    last: Option<(usize, usize)>,
    min_gap: usize,
    min_on: usize,
    onsets: Vec<i64>,
}

impl StreamOnsets {
    fn new(fs: f64) -> Self {
        let n_cal = (CAL_S * fs) as usize;
        Self {
            n_cal,
            cal: Vec::with_capacity(n_cal),
            levels: None,
            i: 0,
            start: None,
            reached: false,
            last: None,
            min_gap: (MIN_GAP_S * fs) as usize,
            min_on: (MIN_ON_S * fs) as usize,
            onsets: Vec::new(),
        }
    }

    fn push(&mut self, values: &[f64]) {
        let mut rest = values;
        if self.levels.is_none() {
            let take = rest.len().min(self.n_cal - self.cal.len());
            self.cal.extend_from_slice(&rest[..take]);
            rest = &rest[take..];
            if self.cal.len() == self.n_cal {
                self.calibrate();
            }
        }
        if let Some((on, off)) = self.levels {
            // Blocks of eight that cannot change the run state (all at or below `off` outside a
            // run; all above it inside one) are decided by their extremes alone.
            let mut blocks = rest.chunks_exact(8);
            for b in blocks.by_ref() {
                let (lo, hi) = b
                    .iter()
                    .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &v| {
                        (lo.min(v), hi.max(v))
                    });
                match self.start {
                    None if hi <= off => self.i += 8,
                    Some(_) if lo > off => {
                        self.reached |= hi > on;
                        self.i += 8;
                    }
                    _ => b.iter().for_each(|&v| self.step(v, on, off)),
                }
            }
            for &v in blocks.remainder() {
                self.step(v, on, off);
            }
        }
    }

    /// Levels from the kept values, which then go through the rules.
    fn calibrate(&mut self) {
        let rest = median(&self.cal).unwrap_or(0.0);
        let (on, off) = (ON_FACTOR * rest, OFF_FACTOR * rest);
        self.levels = Some((on, off));
        for v in std::mem::take(&mut self.cal) {
            self.step(v, on, off);
        }
    }

    fn step(&mut self, v: f64, on: f64, off: f64) {
        if v > off {
            if self.start.is_none() {
                self.start = Some(self.i);
                self.reached = false;
            }
            self.reached |= v > on;
        } else if let Some(s) = self.start.take() {
            self.run_ended(s, self.i);
        }
        self.i += 1;
    }

    fn run_ended(&mut self, s: usize, e: usize) {
        if !self.reached {
            return;
        }
        match self.last.as_mut() {
            Some(last) if s - last.1 < self.min_gap => last.1 = e,
            _ => {
                self.flush();
                self.last = Some((s, e));
            }
        }
    }

    fn flush(&mut self) {
        if let Some((s, e)) = self.last.take() {
            if e - s >= self.min_on {
                self.onsets.push(s as i64);
            }
        }
    }

    fn finish(mut self) -> Vec<i64> {
        if self.levels.is_none() {
            self.calibrate();
        }
        if let Some(s) = self.start.take() {
            self.run_ended(s, self.i);
        }
        self.flush();
        self.onsets
    }
}

/// `bench_peer.py`'s `score_onsets`: hits, extras and median lag against the ground truth.
fn score(onsets: &[i64], truth: &[i64], fs: f64) -> String {
    let mut det = onsets.to_vec();
    det.sort_unstable();
    let mut used = vec![false; det.len()];
    let mut lags = Vec::new();
    for &t in truth {
        let (lo, hi) = (t - (0.25 * fs) as i64, t + fs as i64);
        let mut i = det.partition_point(|&d| d < lo);
        while i < det.len() && det[i] <= hi && used[i] {
            i += 1;
        }
        if i < det.len() && det[i] <= hi {
            used[i] = true;
            lags.push((det[i] - t) as f64 * 1000.0 / fs);
        }
    }
    let median = median(&lags).map_or("null".to_string(), |m| format!("{m:.1}"));
    format!(
        "{{\"truth\": {}, \"detected\": {}, \"hits\": {}, \"extra\": {}, \"median_lag_ms\": {median}}}",
        truth.len(),
        det.len(),
        lags.len(),
        used.iter().filter(|u| !**u).count()
    )
}

/// The process's peak resident memory so far, MiB (Linux `VmHWM`).
fn peak_rss_mib() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kib| kib.parse::<f64>().ok())
        })
        .map_or(f64::NAN, |kib| kib / 1024.0)
}

/// The harness chain's filters: band-pass 20–450 Hz order 4 and notches at 50/100/150 Hz, Q=30.
fn harness_sos(fs: f64) -> Sos {
    let mut sos = butterworth(
        4,
        Band::BandPass {
            low_hz: 20.0,
            high_hz: 450.0,
        },
        fs,
    )
    .expect("band-pass");
    for f0 in [50.0, 100.0, 150.0] {
        sos = sos.then(&Sos::new(vec![notch(f0, 30.0, fs).expect("notch")]));
    }
    sos
}

/// Channel 0 streamed through the harness chain in `CHUNK`-sample chunks (filtered out of place into
/// `outs[0]`, enveloped into `outs[1]`); `each` sees every chunk's envelope.
fn stream_chain(x: &[f64], fs: f64, outs: &mut [Vec<f64>], mut each: impl FnMut(&[f64])) {
    let filter = BlockSos::new(&harness_sos(fs));
    let mut state = filter.new_state();
    let mut env = BlockRms::new(RMS_WIN).expect("window");
    for part in x.chunks(CHUNK) {
        let n = part.len();
        let (a, b) = outs.split_at_mut(1);
        let (buf, env_out) = (&mut a[0][..n], &mut b[0][..n]);
        filter.process(&mut state, black_box(part), buf);
        env.process(buf, env_out);
        each(env_out);
    }
}

/// Channel 0 streamed through the harness chain by the lane kernel with one lane, in `CHUNK`-sample
/// chunks enveloped into `out`; `each` sees every chunk's envelope.
fn lane_chain(x: &[f64], fs: f64, out: &mut [f64], mut each: impl FnMut(&[f64])) {
    let mut chain = LaneChain::<1>::new(&harness_sos(fs), RMS_WIN).expect("chain");
    for part in x.chunks(CHUNK) {
        let env = &mut out[..part.len()];
        chain.process_channels([black_box(part)], [&mut *env]);
        each(env);
    }
}

/// RBJ-cookbook biquad as the limit kernel designs it (0 high-pass, 1 low-pass, 2 notch).
fn rbj(kind: u8, f0: f64, q: f64, fs: f64) -> Biquad {
    let w0 = 2.0 * std::f64::consts::PI * f0 / fs;
    let (c, s) = (w0.cos(), w0.sin());
    let al = s / (2.0 * q);
    let (a0, a1, a2) = (1.0 + al, -2.0 * c, 1.0 - al);
    let (b0, b1, b2) = match kind {
        0 => ((1.0 + c) / 2.0, -(1.0 + c), (1.0 + c) / 2.0),
        1 => ((1.0 - c) / 2.0, 1.0 - c, (1.0 - c) / 2.0),
        _ => (1.0, -2.0 * c, 1.0),
    };
    Sos::from_rows(&[[b0 / a0, b1 / a0, b2 / a0, 1.0, a1 / a0, a2 / a0]]).sections()[0]
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let arg = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    let peer = arg("--peer").unwrap_or_else(|| "tonus-causal".into());
    let reps: usize = arg("--reps").and_then(|r| r.parse().ok()).unwrap_or(5);
    let warmup: usize = arg("--warmup").and_then(|r| r.parse().ok()).unwrap_or(1);
    let Some(prefix) = arg("--fixture") else {
        // `cargo bench` runs every bench target without arguments: say what this one needs.
        println!("peers_harness: give --fixture DIR/pf_x1 (see benches/peers/side_by_side.py)");
        return;
    };
    let fixture = load_fixture(Path::new(&prefix));
    let fs = fixture.rate;
    let x = if peer == "tonus-analysis" {
        Vec::new()
    } else {
        channel0(&fixture)
    };
    // Streaming chunk buffers: 8 channels' envelopes out (or one channel's).
    let mut outs = vec![vec![0.0f64; CHUNK]; 8];
    let rss_loaded = peak_rss_mib();
    // Whole-length buffers only where a pass needs them (the batch check).
    let check = args.iter().any(|a| a == "--check");
    let report_path = arg("--report");
    let whole = if check { x.len() } else { 0 };
    // The limit kernel's terms: f32 in, f32 envelope out (whole length).
    let (x32, mut env32): (Vec<f32>, Vec<f32>) = if peer == "tonus-limit" {
        (x.iter().map(|&v| v as f32).collect(), vec![0.0; x.len()])
    } else {
        (Vec::new(), Vec::new())
    };
    // Eight channels as interleaved frames (channel 0 at eight gains), only for that peer.
    // On whole cache lines, as a sensor's frame buffer would be allocated.
    let frames_len = if peer == "tonus-frames-8ch" {
        x.len()
    } else {
        0
    };
    let mut flat = vec![0.0f64; 8 * frames_len + 8];
    let skip = flat.as_ptr().align_offset(64).min(8);
    let (frames, _) = flat[skip..].as_chunks_mut::<8>();
    let frames = &mut frames[..frames_len];
    for (f, &v) in frames.iter_mut().zip(&x) {
        *f = core::array::from_fn(|l| v * (1.0 + l as f64 / 8.0));
    }
    let frames: &[[f64; 8]] = frames;
    let mut env_frames = vec![[0.0f64; 8]; if frames.is_empty() { 0 } else { CHUNK }];
    let mut y = vec![0.0; whole];
    let mut rms = vec![0.0; whole];
    let mut run = || -> Vec<i64> {
        match peer.as_str() {
            "tonus-causal" => {
                // Streamed as Tonus runs: each chunk of channel 0 is filtered, enveloped and fed to
                // the onset rules while it sits in cache.
                let mut onsets = StreamOnsets::new(fs);
                lane_chain(&x, fs, &mut outs[0], |env| onsets.push(env));
                let onsets = onsets.finish();
                if check {
                    // The block form, batch, on the whole envelope (the same filter, rounded
                    // differently) must find the very same onsets.
                    let filter = BlockSos::new(&harness_sos(fs));
                    y.copy_from_slice(&x);
                    filter.process_in_place(&mut filter.new_state(), &mut y[..]);
                    BlockRms::new(RMS_WIN).expect("window").process(&y, &mut rms);
                    assert_eq!(onsets, detect_onsets(&rms, fs), "streamed and batch onsets differ");
                }
                onsets
            }
            "tonus-limit" => {
                let sos = Sos::new(vec![
                    rbj(0, 20.0, std::f64::consts::FRAC_1_SQRT_2, fs),
                    rbj(1, 450.0, std::f64::consts::FRAC_1_SQRT_2, fs),
                    rbj(2, 50.0, 30.0, fs),
                ]);
                let filter = BlockSos::new(&sos);
                let mut state = filter.new_state();
                let mut env = BlockRms::new(RMS_WIN).expect("window");
                let (a, b) = outs.split_at_mut(1);
                for (part, out) in x32.chunks(CHUNK).zip(env32.chunks_mut(CHUNK)) {
                    let n = part.len();
                    let (buf, env_out) = (&mut a[0][..n], &mut b[0][..n]);
                    for (v, &s) in buf.iter_mut().zip(black_box(part)) {
                        *v = f64::from(s);
                    }
                    filter.process_in_place(&mut state, buf);
                    env.process(buf, env_out);
                    for (o, &e) in out.iter_mut().zip(env_out.iter()) {
                        *o = e as f32;
                    }
                }
                black_box(&env32);
                Vec::new()
            }
            "tonus-causal-8ch" => {
                // Eight channels (channel 0 eight times), as per-channel arrays: each chunk is
                // interleaved into frames, filtered in lanes, and the envelopes de-interleaved.
                let sos = harness_sos(fs);
                let mut chain = LaneChain::<8>::new(&sos, RMS_WIN).expect("chain");
                let mut check = 0.0;
                for part in x.chunks(CHUNK) {
                    let n = part.len();
                    let mut it = outs.iter_mut();
                    let out: [&mut [f64]; 8] =
                        core::array::from_fn(|_| it.next().map_or(&mut [][..], |o| &mut o[..n]));
                    chain.process_channels([black_box(part); 8], out);
                    check += outs[7][n - 1];
                }
                black_box(check);
                Vec::new()
            }
            "tonus-frames-8ch" => {
                let mut chain = LaneChain::<8>::new(&harness_sos(fs), RMS_WIN).expect("chain");
                let mut check = 0.0;
                for part in frames.chunks(CHUNK) {
                    let out = &mut env_frames[..part.len()];
                    chain.process_into(black_box(part), out);
                    check += out[part.len() - 1][7];
                }
                black_box(check);
                Vec::new()
            }
            "tonus-lanes-1ch" => {
                // The lane kernel with one lane: the same per-sample arithmetic as each of the
                // eight lanes of tonus-causal-8ch, so the ratio is the gain of the lanes alone.
                let mut check = 0.0;
                lane_chain(&x, fs, &mut outs[0], |env| check += env[env.len() - 1]);
                black_box(check);
                Vec::new()
            }
            "tonus-stream-1ch" => {
                // One channel the same way: chunk in, filtered, envelope out.
                let mut check = 0.0;
                stream_chain(&x, fs, &mut outs, |env| check += env[env.len() - 1]);
                black_box(check);
                Vec::new()
            }
            "tonus-analysis" => {
                let mut source = FixtureSource {
                    path: fixture.prefix.with_extension("bin"),
                    stride: fixture.channels,
                    infos: vec![
                        ChannelInfo::from_header("pelvic[uV]", fs).expect("header"),
                        ChannelInfo::from_header("pressure[mmHg]", fs).expect("header"),
                    ],
                };
                let report =
                    analyze_replay(&mut source, AnalysisConfig::default(), None).expect("analysis");
                if let Some(path) = &report_path {
                    let json = serde_json::to_string_pretty(&report).expect("report as JSON");
                    std::fs::write(path, json).expect("write the report");
                }
                report
                    .contractions_on("pelvic")
                    .map(|c| (c.onset_s * fs).round() as i64)
                    .collect()
            }
            other => panic!(
                "unknown peer {other}: tonus-causal, tonus-causal-8ch, tonus-frames-8ch, tonus-stream-1ch, tonus-lanes-1ch, tonus-limit, tonus-analysis"
            ),
        }
    };
    for _ in 0..warmup {
        run();
    }
    let mut times = Vec::new();
    let mut onsets = Vec::new();
    for _ in 0..reps {
        let t0 = Instant::now();
        onsets = run();
        times.push(t0.elapsed().as_secs_f64());
    }
    let median = median(&times).unwrap_or(f64::NAN);
    let name = fixture
        .prefix
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    let lanes = if peer.ends_with("-8ch") { 8 } else { 1 };
    // Only these two find onsets; every other peer times the chain alone.
    let onsets = if matches!(peer.as_str(), "tonus-causal" | "tonus-analysis") {
        score(&onsets, &fixture.truth, fs)
    } else {
        "null".to_string()
    };
    let times: Vec<String> = times.iter().map(|t| format!("{t:.6}")).collect();
    println!(
        "{{\"label\": \"inproc\", \"peer\": \"{peer}\", \"fixture\": \"{name}\", \"n_samples\": {n}, \"duration_s\": {d}, \
         \"reps\": {reps}, \"warmup\": {warmup}, \"times_s\": [{t}], \"median_s\": {median:.6}, \
         \"samples_per_s\": {sps:.1}, \"x_realtime\": {xr:.1}, \"rss_mib_loaded\": {rl:.1}, \"rss_mib_peak\": {rp:.1}, \
         \"onsets\": {onsets}}}",
        n = fixture.n,
        d = fixture.n as f64 / fs,
        t = times.join(", "),
        sps = (lanes * fixture.n) as f64 / median,
        xr = fixture.n as f64 / fs / median,
        rl = rss_loaded,
        rp = peak_rss_mib(),
    );
}
