//! End to end over a real pseudo-terminal: virtual sensor → serial port → decoder → ring.
//! Without faults the samples equal what the sensor sent (after unit conversion); with corruption
//! and dropped frames every lost sample is covered by a gap of the right length and every other
//! sample is exact; stalls and disconnects are detected and recorded.

use std::time::{Duration, Instant};

use serialport::SerialPort;

use tonus_core::{Recording, Unit};
use tonus_io::serial::{AcqError, AcqEvent, Acquisition, AcquisitionConfig};
use tonus_sim::sensor::{self, to_count, SensorConfig};
use tonus_sim::{generate, Faults, Profile, ScenarioConfig};

const SPEED: f64 = 4.0;

fn recording(seconds: f64) -> Recording {
    let config = ScenarioConfig {
        profile: Profile::Normal,
        protocol: "glazer-mini".into(),
        seed: 9,
        rate_hz: 2000.0,
        artifacts: vec![],
        seconds: Some(seconds),
    };
    generate(&config).expect("session").recording
}

/// What the host must read for each sample: the device's count converted back to units.
fn expected(rec: &Recording) -> Vec<Vec<f64>> {
    rec.channels
        .iter()
        .zip(&rec.samples)
        .map(|(c, s)| {
            let (scale, offset) = if c.unit == Unit::MmHg {
                (0.01f32, -5.0f32)
            } else {
                (0.023_437_5f32, 0.0f32)
            };
            s.iter()
                .map(|v| f64::from(offset) + f64::from(scale) * f64::from(to_count(*v, c.unit)))
                .collect()
        })
        .collect()
}

/// Per channel: (index, value) of every received sample, and the gaps (index, length).
struct Received {
    samples: Vec<Vec<(u64, f64)>>,
    gaps: Vec<Vec<(u64, u64)>>,
    /// First sample (channel 0) of every block marked as a discontinuity.
    discontinuities: Vec<u64>,
    events: Vec<AcqEvent>,
}

fn acquire(
    rec: &Recording,
    faults: Faults,
    link: Option<std::path::PathBuf>,
    until: impl Fn(&Received) -> bool,
) -> Received {
    acquire_at(SPEED, rec, faults, link, until)
}

fn acquire_at(
    speed: f64,
    rec: &Recording,
    faults: Faults,
    link: Option<std::path::PathBuf>,
    until: impl Fn(&Received) -> bool,
) -> Received {
    let config = SensorConfig {
        speed,
        faults,
        ..SensorConfig::default()
    };
    let sensor = sensor::start(rec.clone(), config, link).expect("pty");
    let mut acq = Acquisition::start(AcquisitionConfig {
        stall_timeout: Duration::from_millis(150),
        ..AcquisitionConfig::new(sensor.path())
    })
    .expect("acquisition starts");
    let channels = rec.channels.len();
    let mut got = Received {
        samples: vec![Vec::new(); channels],
        gaps: vec![Vec::new(); channels],
        discontinuities: Vec::new(),
        events: Vec::new(),
    };
    let deadline = Instant::now() + Duration::from_secs_f64(rec.duration_s() / speed + 10.0);
    while Instant::now() < deadline && !until(&got) {
        while let Some(block) = acq.pop() {
            if block.discontinuity {
                got.discontinuities.push(block.first_sample[0]);
            }
            for c in 0..channels {
                if block.gap_before[c] > 0 {
                    got.gaps[c].push((
                        block.first_sample[c] - block.gap_before[c],
                        block.gap_before[c],
                    ));
                }
                for (i, v) in block.samples(c).iter().enumerate() {
                    got.samples[c].push((block.first_sample[c] + i as u64, *v));
                }
            }
        }
        got.events.extend(acq.events().try_iter());
        std::thread::sleep(Duration::from_millis(5));
    }
    acq.stop();
    got
}

fn all_received(n: usize) -> impl Fn(&Received) -> bool {
    move |r| r.samples[0].last().is_some_and(|(i, _)| *i + 1 >= n as u64)
}

#[test]
fn without_faults_the_recording_equals_what_the_sensor_sent() {
    let rec = recording(6.0);
    let want = expected(&rec);
    let n = want[0].len();
    let got = acquire(&rec, Faults::default(), None, all_received(n));
    for (c, want) in want.iter().enumerate() {
        assert!(
            got.gaps[c].is_empty(),
            "channel {c}: gaps {:?}",
            got.gaps[c]
        );
        let values: Vec<f64> = got.samples[c].iter().map(|(_, v)| *v).collect();
        let indices_ok = got.samples[c]
            .iter()
            .enumerate()
            .all(|(k, (i, _))| *i == k as u64);
        assert!(indices_ok, "channel {c}: indices are consecutive from 0");
        assert_eq!(values.len(), n, "channel {c}: every sample arrived");
        assert!(
            values == *want,
            "channel {c}: values equal the sent counts in units"
        );
    }
}

#[test]
fn corrupted_and_dropped_frames_become_exact_gaps() {
    let rec = recording(8.0);
    let want = expected(&rec);
    let n = want[0].len();
    let faults: Faults = "corrupt=0.0003,drop=0.03".parse().expect("faults");
    let got = acquire(&rec, faults, None, all_received(n));
    for (c, want) in want.iter().enumerate() {
        // Every received sample is exact at its index.
        for (i, v) in &got.samples[c] {
            assert_eq!(*v, want[*i as usize], "channel {c} sample {i}");
        }
        // Received samples and gaps tile 0..last without overlap.
        let mut covered = vec![0u8; n];
        for (i, _) in &got.samples[c] {
            covered[*i as usize] += 1;
        }
        for (start, len) in &got.gaps[c] {
            for k in *start..start + len {
                covered[k as usize] += 1;
            }
        }
        let last = got.samples[c].last().expect("samples").0 as usize;
        assert!(
            covered[..=last].iter().all(|k| *k == 1),
            "channel {c}: every index once, as sample or gap"
        );
        assert!(
            !got.gaps[c].is_empty(),
            "faults at these rates lose some frames"
        );
    }
}

#[test]
fn a_stall_is_reported_and_its_samples_recorded_as_a_gap() {
    let rec = recording(6.0);
    let n = rec.samples[0].len();
    let faults: Faults = "stall=2:1.5".parse().expect("faults");
    let got = acquire(&rec, faults, None, all_received(n));
    assert!(
        got.events
            .iter()
            .any(|e| matches!(e, AcqEvent::Stalled { .. })),
        "{:?}",
        got.events
    );
    assert!(got
        .events
        .iter()
        .any(|e| matches!(e, AcqEvent::Resumed { .. })));
    // The device discarded whole frames from 2.0 s to 3.5 s: one gap of 1.5 s of samples (± a frame).
    let gaps: Vec<u64> = got.gaps[0].iter().map(|g| g.1).collect();
    assert_eq!(gaps.len(), 1, "{gaps:?}");
    assert!(
        (gaps[0] as i64 - 3000).abs() <= 16,
        "gap of {} samples",
        gaps[0]
    );
}

/// Every sample received is the session's sample at that index, and the gaps cover exactly the
/// indices not received: nothing lost undeclared, nothing at a wrong time.
fn assert_exact(got: &Received, want: &[Vec<f64>]) {
    for (c, want) in want.iter().enumerate() {
        let mut next = 0u64;
        let mut gaps = got.gaps[c].iter().peekable();
        for &(i, v) in &got.samples[c] {
            while let Some(&&(at, n)) = gaps.peek() {
                if at + n > i {
                    break;
                }
                assert_eq!(at, next, "channel {c}: a gap where samples are missing");
                next += n;
                gaps.next();
            }
            assert_eq!(i, next, "channel {c}: sample {i} follows {next} undeclared");
            assert_eq!(v, want[i as usize], "channel {c} sample {i}");
            next += 1;
        }
    }
}

fn reconnected(r: &Received) -> bool {
    r.events
        .iter()
        .any(|e| matches!(e, AcqEvent::Reconnected { .. }))
}

/// After a disconnect the host asks the device where its stream stands (Locate → Position):
/// the loss is exact to the sample, at any speed, and a stall just before it (no bytes, so no
/// clue in the host's clock) changes nothing.
#[test]
fn a_disconnect_costs_exactly_the_samples_missed_even_after_a_stall() {
    let rec = recording(8.0);
    let want = expected(&rec);
    let n = want[0].len();
    for faults in ["disconnect=2:1", "stall=2:1.5,disconnect=3.5:1"] {
        let dir = tempfile::tempdir().expect("tempdir");
        let link = dir.path().join("tonus-sensor");
        let got = acquire(&rec, faults.parse().expect("faults"), Some(link), |r| {
            reconnected(r) && all_received(n)(r)
        });
        assert!(
            got.events
                .iter()
                .any(|e| matches!(e, AcqEvent::Disconnected { .. })),
            "{faults}: {:?}",
            got.events
        );
        let lost = got.events.iter().find_map(|e| match e {
            AcqEvent::Reconnected { lost, .. } => Some(lost.clone()),
            _ => None,
        });
        assert!(matches!(lost, Some(Some(_))), "{faults}: the loss is known");
        assert!(!got.gaps[0].is_empty(), "{faults}: a gap is declared");
        assert!(got.discontinuities.is_empty(), "{faults}");
        assert_exact(&got, &want);
        assert_eq!(got.samples[0].last().map(|s| s.0 + 1), Some(n as u64));
    }
}

/// A device whose sample clock restarted when re-plugged, or that cannot answer Locate: the loss
/// is unknown, so the samples continue as a declared discontinuity, not at a guessed time.
#[test]
fn a_reconnection_nobody_can_measure_is_a_declared_discontinuity() {
    let rec = recording(8.0);
    for clock in ["restarts", "unknown"] {
        let dir = tempfile::tempdir().expect("tempdir");
        let link = dir.path().join("tonus-sensor");
        let faults = format!("disconnect=2:1,clock={clock}");
        let got = acquire(&rec, faults.parse().expect("faults"), Some(link), |r| {
            reconnected(r) && r.samples[0].len() > 12_000
        });
        let lost = got.events.iter().find_map(|e| match e {
            AcqEvent::Reconnected { lost, .. } => Some(lost.clone()),
            _ => None,
        });
        assert_eq!(lost, Some(None), "{clock}: the loss is unknown");
        assert_eq!(got.discontinuities.len(), 1, "{clock}");
        assert!(got.gaps[0].is_empty(), "{clock}: nothing guessed");
        // The samples run on without a hole: index order is kept, the junction is declared.
        let idx: Vec<u64> = got.samples[0].iter().map(|s| s.0).collect();
        assert!(idx.windows(2).all(|w| w[1] == w[0] + 1), "{clock}");
    }
}

#[test]
fn a_full_ring_is_counted_and_its_lost_blocks_recorded_as_gaps() {
    let rec = recording(4.0);
    let want = expected(&rec);
    let sensor = sensor::start(
        rec.clone(),
        SensorConfig {
            speed: SPEED,
            ..SensorConfig::default()
        },
        None,
    )
    .expect("pty");
    let mut acq = Acquisition::start(AcquisitionConfig {
        ring_blocks: 4,
        ..AcquisitionConfig::new(sensor.path())
    })
    .expect("acquisition");
    // A consumer that falls behind: nothing popped for a while, so the 4-block ring overflows.
    std::thread::sleep(Duration::from_millis(400));
    let mut samples: Vec<(u64, f64)> = Vec::new();
    let mut gaps: Vec<(u64, u64)> = Vec::new();
    let deadline = Instant::now() + Duration::from_secs(5);
    while Instant::now() < deadline
        && samples
            .last()
            .is_none_or(|(i, _)| *i + 1 < want[0].len() as u64)
    {
        while let Some(block) = acq.pop() {
            if block.gap_before[0] > 0 {
                gaps.push((
                    block.first_sample[0] - block.gap_before[0],
                    block.gap_before[0],
                ));
            }
            samples.extend(
                block
                    .samples(0)
                    .iter()
                    .enumerate()
                    .map(|(i, v)| (block.first_sample[0] + i as u64, *v)),
            );
        }
        std::thread::sleep(Duration::from_millis(2));
    }
    let stats = acq.stop();
    assert!(stats.ring_overruns > 0, "the ring overflowed");
    let mut covered = vec![0u8; want[0].len()];
    for (i, v) in &samples {
        assert_eq!(*v, want[0][*i as usize]);
        covered[*i as usize] += 1;
    }
    for (start, len) in &gaps {
        for k in *start..start + len {
            covered[k as usize] += 1;
        }
    }
    let last = samples.last().expect("samples").0 as usize;
    assert!(
        covered[..=last].iter().all(|k| *k == 1),
        "every index once, as sample or gap"
    );
    assert_eq!(stats.gap_samples[0], gaps.iter().map(|g| g.1).sum::<u64>());
}

#[test]
fn bad_ports_and_silent_or_foreign_devices_give_one_clear_error() {
    let e = Acquisition::start(AcquisitionConfig::new("/dev/nonexistent-tonus"))
        .err()
        .expect("fails");
    assert!(matches!(e, AcqError::Open { .. }), "{e}");
    assert!(e.to_string().contains("/dev/nonexistent-tonus"));
    // A pty nobody answers on.
    let (_master, slave) = serialport::TTYPort::pair().expect("pty");
    let path = slave.name().expect("name");
    let config = AcquisitionConfig {
        handshake_timeout: Duration::from_millis(300),
        ..AcquisitionConfig::new(&path)
    };
    let e = Acquisition::start(config).err().expect("fails");
    assert!(matches!(e, AcqError::NoAnswer { .. }), "{e}");
    assert!(e.to_string().contains("no Tonus device answered"), "{e}");
}

#[test]
fn a_device_speaking_another_protocol_version_is_refused() {
    use std::io::{Read, Write};
    let (mut master, slave) = serialport::TTYPort::pair().expect("pty");
    let path = slave.name().expect("name");
    let fake = std::thread::spawn(move || {
        let _ = master.set_timeout(Duration::from_millis(50));
        let mut buf = [0u8; 64];
        for _ in 0..40 {
            if master.read(&mut buf).map(|n| n > 0).unwrap_or(false) {
                let mut out = [0u8; tonus_protocol::MAX_WIRE_FRAME];
                let n = tonus_protocol::encode_frame_with_version(
                    2,
                    0,
                    &tonus_protocol::Message::Pong { token: 0 },
                    &mut out,
                )
                .expect("encodes");
                let _ = master.write_all(&out[..n]);
                break;
            }
        }
        std::thread::sleep(Duration::from_millis(300));
    });
    let e = Acquisition::start(AcquisitionConfig::new(&path))
        .err()
        .expect("fails");
    assert!(
        matches!(
            e,
            AcqError::ProtocolVersion {
                device: 2,
                host: 1,
                ..
            }
        ),
        "{e}"
    );
    assert!(e.to_string().contains("protocol v2"), "{e}");
    let _ = fake.join();
    drop(slave);
}
