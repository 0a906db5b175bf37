//! Latency from a sensor writing a Samples frame to the display state reflecting it: through a real
//! pseudo-terminal, the reader thread, the SPSC ring, the engine thread (filters, detector, session)
//! and the snapshot triple buffer; p50, p99 and max over 10 000 frames at 2 kHz (one frame per
//! millisecond, two samples per channel, three EMG channels), plus the engine thread's CPU time.
//!
//! The device is a minimal in-process one that stamps each frame with the shared monotonic clock just
//! before writing it; the display side spins on the triple buffer and takes each new snapshot's
//! publication time. The filters' own group delay is not included (it is a property of the signal,
//! not of the pipeline). Run: `cargo bench --bench display_latency [-- FRAMES]`.

use std::time::{Duration, Instant};

use serialport::{SerialPort, TTYPort};
use tonus_analysis::{AnalysisConfig, Session, SessionConfig};
use tonus_io::serial::{Acquisition, AcquisitionConfig};
use tonus_pipeline::{Pipeline, SerialFeed};

#[path = "common/latency_device.rs"]
mod latency_device;

use latency_device::device;

fn main() {
    let frames: u64 = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(10_000);
    let epoch = Instant::now();
    let (master, slave) = TTYPort::pair().expect("pty");
    let path = slave.name().expect("pty name");
    let dev = std::thread::spawn(move || device(master, epoch, frames));
    let acq = Acquisition::start(AcquisitionConfig::new(&path)).expect("acquisition");
    let channels: Vec<_> = acq
        .identity()
        .channels
        .iter()
        .map(|c| c.info.clone())
        .collect();
    // Mains given: the engine runs from the first sample (no 4 s head).
    let config = SessionConfig {
        analysis: AnalysisConfig {
            mains: Some(tonus_dsp::Mains::Hz50),
            ..AnalysisConfig::default()
        },
        ..SessionConfig::default()
    };
    let session = Session::new(&channels, &[], None, config).expect("session");
    let mut pipeline = Pipeline::builder(Box::new(SerialFeed::new(acq)), session)
        .start()
        .expect("pipeline");
    let mut display = pipeline.take_display().expect("display");
    let mut lat = Vec::with_capacity(frames as usize);
    let mut last = u64::MAX;
    let deadline = Instant::now() + Duration::from_secs(frames / 1000 + 10);
    let mut seen_last_frame = false;
    while !seen_last_frame && Instant::now() < deadline {
        let s = display.read();
        if s.last_device_time_us != last {
            if let Some(published) = s.published {
                last = s.last_device_time_us;
                let at = published.duration_since(epoch).as_micros() as u64;
                lat.push(at.saturating_sub(last));
                seen_last_frame = s.blocks >= frames;
            }
        } else {
            std::hint::spin_loop();
        }
    }
    pipeline.stop();
    let outcome = pipeline.join().expect("session");
    let _ = dev.join();
    drop(slave);
    lat.sort_unstable();
    let q = |p: f64| lat[((lat.len() as f64 - 1.0) * p) as usize] as f64 / 1000.0;
    let cpu = outcome.stats.engine_cpu_s.unwrap_or(f64::NAN);
    println!(
        "{{\"frames\": {}, \"snapshots_seen\": {}, \"p50_ms\": {:.3}, \"p99_ms\": {:.3}, \"max_ms\": {:.3}, \"engine_cpu_s\": {:.3}, \"wall_s\": {:.2}, \"engine_cpu_pct_of_core\": {:.2}}}",
        outcome.stats.blocks,
        lat.len(),
        q(0.5),
        q(0.99),
        lat.last().copied().unwrap_or(0) as f64 / 1000.0,
        cpu,
        outcome.stats.wall_s,
        100.0 * cpu / outcome.stats.wall_s
    );
}
