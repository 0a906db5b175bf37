//! End-to-end analysis speed on an in-memory recording: the full Glazer session (410 s, 2 kHz,
//! pelvic EMG + abdominal EMG + anal pressure) repeated to the requested length, analysed by
//! `tonus_analysis::analyze`. Prints seconds, samples/s and x real time.
//!
//! Run: `cargo bench --bench analysis_speed [-- MINUTES]` (default 60). With `--write FILE.bdf`
//! it writes that recording as BDF+ (or, for `FILE.csv`, in the CSV contract) instead and exits (`--no-markers`: without its phase markers), for the from-file measurement of
//! `benches/analysis_from_file.sh` (the CLI streaming the file, timed with its peak memory).

use std::time::Instant;

use tonus_analysis::{analyze, AnalysisConfig};
use tonus_core::Recording;
use tonus_sim::{generate, Profile, ScenarioConfig};

fn main() {
    let minutes: f64 = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(60.0);
    let config = ScenarioConfig {
        profile: Profile::Overactive,
        protocol: "glazer".into(),
        rate_hz: 2000.0,
        ..Default::default()
    };
    let one = generate(&config).expect("session").recording;
    let n1 = one.samples[0].len();
    let reps = ((minutes * 60.0 * 2000.0) / n1 as f64).ceil() as usize;
    let mut rec = Recording {
        channels: one.channels.clone(),
        samples: vec![Vec::new(); 3],
        markers: one.markers.clone(),
    };
    for (dst, src) in rec.samples.iter_mut().zip(&one.samples) {
        dst.reserve(n1 * reps);
        for _ in 0..reps {
            dst.extend_from_slice(src);
        }
    }
    if std::env::args().any(|a| a == "--no-markers") {
        rec.markers.clear(); // analysis then calibrates with a pre-scan of the whole recording
    }
    if let Some(path) = std::env::args().skip_while(|a| a != "--write").nth(1) {
        if path.ends_with(".csv") {
            write_csv(path.as_ref(), &rec).expect("write CSV");
            println!("wrote {path}");
            return;
        }
        let records =
            tonus_io::edf::write_recording(path.as_ref(), &rec, tonus_io::edf::Depth::Bdf24)
                .expect("write BDF+");
        println!("wrote {path}: {records} one-second records");
        return;
    }
    let n = rec.samples[0].len();
    let seconds = n as f64 / 2000.0;
    let t0 = Instant::now();
    let report = analyze(&rec, AnalysisConfig::default()).expect("analysis");
    let wall = t0.elapsed().as_secs_f64();
    println!(
        "{{\"recording_s\": {seconds:.0}, \"channels\": 3, \"samples\": {}, \"wall_s\": {wall:.3}, \"samples_per_s\": {:.3e}, \"x_real_time\": {:.0}, \"contractions\": {}}}",
        3 * n,
        3.0 * n as f64 / wall,
        seconds / wall,
        report.contractions.len()
    );
}

/// `rec` in the CSV contract (`t`, one column per channel to 3 decimals, `marker`).
fn write_csv(path: &std::path::Path, rec: &Recording) -> std::io::Result<()> {
    use std::io::Write;
    let mut out = std::io::BufWriter::new(std::fs::File::create(path)?);
    let fs = rec.channels[0].rate_hz;
    let headers: Vec<String> = rec.channels.iter().map(|c| c.header()).collect();
    writeln!(out, "t,{},marker", headers.join(","))?;
    let mut markers = rec.markers.iter().peekable();
    for i in 0..rec.samples[0].len() {
        write!(out, "{:.4}", i as f64 / fs)?;
        for ch in &rec.samples {
            write!(out, ",{:.3}", ch[i])?;
        }
        out.write_all(b",")?;
        if let Some(m) = markers.next_if(|m| (m.time_s * fs).round() as usize <= i) {
            out.write_all(m.label.as_bytes())?;
        }
        out.write_all(b"\n")?;
    }
    out.flush()
}
