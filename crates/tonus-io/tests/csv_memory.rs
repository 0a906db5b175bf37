//! Replaying a CSV recording (`CsvSource`) holds the same memory for 10 minutes as for 1: the
//! markers and one second of every channel, not the recording. (A binary of its own: the peak is
//! process-wide.)

use std::io::Write;

use tonus_core::Replay;
use tonus_io::csv::CsvSource;

#[global_allocator]
static GLOBAL: tonus_testkit::Counting = tonus_testkit::Counting;

/// `seconds` of three channels at 2 kHz with a phase marker every minute.
fn write(path: &std::path::Path, seconds: usize) {
    let mut out = std::io::BufWriter::new(std::fs::File::create(path).expect("create"));
    writeln!(out, "t,pelvic[uV],abdominal[uV],anal[mmHg],marker").expect("write");
    for i in 0..seconds * 2000 {
        let marker = if i % 120_000 == 0 { "phasic" } else { "" };
        let v = (i % 97) as f64 * 0.25;
        writeln!(
            out,
            "{:.4},{v},{},{},{marker}",
            i as f64 / 2000.0,
            -v,
            60.0 + v
        )
        .expect("write");
    }
    out.flush().expect("flush");
}

/// Peak bytes held while opening and replaying the file, and the samples seen per channel.
fn replay_peak(path: &std::path::Path) -> (usize, usize) {
    let mut seen = 0;
    let peak = tonus_testkit::peak_bytes_during(|| {
        let mut source = CsvSource::open(path, None).expect("open");
        source
            .replay(None, &mut |c, chunk| {
                if c == 0 {
                    seen += chunk.len();
                }
            })
            .expect("replay");
    });
    (peak, seen)
}

#[test]
fn replay_memory_does_not_grow_with_the_recording() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (short, long) = (dir.path().join("1min.csv"), dir.path().join("10min.csv"));
    write(&short, 60);
    write(&long, 600);
    let (peak_short, n_short) = replay_peak(&short);
    let (peak_long, n_long) = replay_peak(&long);
    assert_eq!((n_short, n_long), (120_000, 1_200_000));
    // One second of three channels is 48 KB; the 10-minute recording alone would be 29 MB.
    assert!(peak_short < 256 * 1024, "1 min: {peak_short} bytes");
    assert!(
        peak_long <= peak_short + 4096,
        "10 min: {peak_long} bytes, 1 min: {peak_short} bytes"
    );
}
