//! The CSV recording contract: what reads, and the error for each kind of bad file.

use std::path::Path;

use tonus_core::Replay;
use tonus_core::{ChannelKind, Unit};
use tonus_io::csv::{read_recording, CsvError, CsvHeader, CsvReader, CsvRow, CsvSource, CsvWriter};

fn write(dir: &tempfile::TempDir, name: &str, text: &str) -> std::path::PathBuf {
    let p = dir.path().join(name);
    std::fs::write(&p, text).unwrap();
    p
}

fn open_err(path: &Path, rate: Option<f64>) -> CsvError {
    match read_recording(path, rate) {
        Err(e) => e,
        Ok(r) => panic!("expected an error, read {} channels", r.channels.len()),
    }
}

#[test]
fn a_valid_file_with_time_and_markers_reads_completely() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(
        &dir,
        "ok.csv",
        "t,pelvic[uV],abdominal[uV],anal[mmHg],marker\n\
         0.0000,1.5,2,60,pre_baseline\n\
         0.0005,-1.5,2.5,60.5,\n\
         0.0010,3,1,61,phasic\n\
         0.0015,4e-1,0,62,\n",
    );
    let rec = read_recording(&p, None).unwrap();
    assert_eq!(rec.channels.len(), 3);
    assert_eq!(rec.channels[0].rate_hz, 2000.0);
    assert_eq!(rec.channels[2].unit, Unit::MmHg);
    assert_eq!(rec.channels[2].kind(), ChannelKind::Pressure);
    assert_eq!(rec.samples[0], vec![1.5, -1.5, 3.0, 0.4]);
    assert_eq!(rec.markers.len(), 2);
    assert_eq!(rec.markers[1].label, "phasic");
    assert!((rec.markers[1].time_s - 0.001).abs() < 1e-12);
    assert!((rec.duration_s() - 0.002).abs() < 1e-12);
}

#[test]
fn without_a_time_column_the_rate_is_required() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(&dir, "no_t.csv", "pelvic[uV]\n1\n2\n3\n");
    let e = open_err(&p, None);
    assert!(matches!(e, CsvError::MissingRate { .. }));
    assert!(e.to_string().contains("--rate"), "{e}");
    let rec = read_recording(&p, Some(1000.0)).unwrap();
    assert_eq!(rec.samples[0], vec![1.0, 2.0, 3.0]);
    let e = open_err(&p, Some(0.0));
    assert!(e.to_string().contains("rate"), "{e}");
}

#[test]
fn a_bad_number_names_file_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(
        &dir,
        "bad.csv",
        "t,pelvic[uV],anal[mmHg]\n0,1,2\n0.001,1,2\n0.002,1,abc\n",
    );
    let e = open_err(&p, None);
    let msg = e.to_string();
    assert!(
        matches!(
            e,
            CsvError::BadNumber {
                line: 4,
                column: 3,
                ..
            }
        ),
        "{msg}"
    );
    assert!(
        msg.contains("bad.csv:4") && msg.contains("column 3") && msg.contains("anal[mmHg]"),
        "{msg}"
    );
    for cell in ["NaN", "inf", ""] {
        let p = write(
            &dir,
            "nan.csv",
            &format!("pelvic[uV],anal[mmHg]\n1,2\n{cell},2\n"),
        );
        let e = open_err(&p, Some(100.0));
        assert!(
            matches!(
                e,
                CsvError::BadNumber {
                    line: 3,
                    column: 1,
                    ..
                }
            ),
            "{cell}: {e}"
        );
    }
}

#[test]
fn an_unknown_unit_names_the_column() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(&dir, "unit.csv", "t,pelvic[uV],force[N]\n0,1,2\n");
    let e = open_err(&p, None);
    assert!(matches!(e, CsvError::BadHeader { column: 3, .. }), "{e}");
    assert!(e.to_string().contains("unknown unit 'N'"), "{e}");
    let p = write(&dir, "nounit.csv", "t,pelvic\n0,1\n");
    assert!(open_err(&p, None).to_string().contains("name[unit]"));
    let p = write(&dir, "dup.csv", "t,a[uV],a[mV]\n0,1,2\n");
    assert!(open_err(&p, None).to_string().contains("appears twice"));
    let p = write(&dir, "late_t.csv", "a[uV],t\n1,0\n");
    assert!(open_err(&p, Some(1.0)).to_string().contains("first column"));
    let p = write(&dir, "only_t.csv", "t,marker\n0,x\n");
    assert!(open_err(&p, None)
        .to_string()
        .contains("no channel columns"));
}

#[test]
fn a_ragged_row_is_reported_with_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(
        &dir,
        "ragged.csv",
        "t,pelvic[uV],anal[mmHg]\n0,1,2\n0.01,1,2\n0.02,1\n",
    );
    let e = open_err(&p, None);
    assert!(
        matches!(
            e,
            CsvError::RaggedRow {
                line: 4,
                expected: 3,
                found: 2,
                ..
            }
        ),
        "{e}"
    );
    assert!(
        e.to_string()
            .starts_with(&format!("{}:4: ragged row", p.display())),
        "{e}"
    );
}

#[test]
fn time_must_increase_regularly() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(
        &dir,
        "back.csv",
        "t,pelvic[uV]\n0,1\n0.01,1\n0.02,1\n0.015,1\n",
    );
    let e = open_err(&p, None);
    assert!(
        matches!(e, CsvError::NonMonotonicTime { line: 5, .. }),
        "{e}"
    );
    let p = write(&dir, "same.csv", "t,pelvic[uV]\n0,1\n0,1\n");
    assert!(matches!(
        open_err(&p, None),
        CsvError::NonMonotonicTime { line: 3, .. }
    ));
    let p = write(
        &dir,
        "gap.csv",
        "t,pelvic[uV]\n0,1\n0.01,1\n0.02,1\n0.05,1\n",
    );
    let e = open_err(&p, None);
    assert!(matches!(e, CsvError::IrregularTime { line: 5, .. }), "{e}");
    assert!(e.to_string().contains("missing or duplicated"));
    let p = write(&dir, "one.csv", "t,pelvic[uV]\n0,1\n");
    assert!(matches!(
        open_err(&p, None),
        CsvError::TooShortForRate { .. }
    ));
}

#[test]
fn a_gap_marker_allows_exactly_its_time_jump() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(
        &dir,
        "gap.csv",
        "t,pelvic[uV],marker\n0,1,\n0.01,7,\n0.04,3,gap:2\n0.05,4,\n",
    );
    let rec = read_recording(&p, None).unwrap();
    // Time-true: the two missing samples hold the value before the gap.
    assert_eq!(rec.samples[0], vec![1.0, 7.0, 7.0, 7.0, 3.0, 4.0]);
    assert_eq!(rec.markers[0].label, "gap:2");
    assert!((rec.markers[0].time_s - 0.04).abs() < 1e-12);
    let p = write(
        &dir,
        "badgap.csv",
        "t,pelvic[uV],marker\n0,1,\n0.01,1,\n0.04,1,gap:5\n",
    );
    assert!(matches!(
        open_err(&p, None),
        CsvError::IrregularTime { line: 4, .. }
    ));
}

#[test]
fn empty_and_missing_files_are_clear() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(&dir, "empty.csv", "");
    assert!(matches!(open_err(&p, Some(1.0)), CsvError::Empty { .. }));
    let e = open_err(&dir.path().join("nope.csv"), None);
    assert!(e.to_string().contains("nope.csv: cannot open"), "{e}");
}

#[test]
fn the_writer_reproduces_the_layout_and_values_exactly() {
    let dir = tempfile::tempdir().unwrap();
    let text = "t,pelvic[uV],marker,anal[mmHg]\n0.0000,0.1,rest,60\n0.0005,-1e-7,,61.25\n";
    let p = write(&dir, "in.csv", text);
    let mut r = CsvReader::open(&p, None).unwrap();
    let header: CsvHeader = r.header().clone();
    let out = dir.path().join("out.csv");
    let mut w = CsvWriter::create(&out, &header).unwrap();
    let mut row = CsvRow::default();
    while r.next_row(&mut row).unwrap() {
        w.write_row(&row.time_text, &row.values, &row.marker)
            .unwrap();
    }
    w.finish().unwrap();
    let back = std::fs::read_to_string(&out).unwrap();
    assert_eq!(
        back,
        "t,pelvic[uV],marker,anal[mmHg]\n0.0000,0.1,rest,60\n0.0005,-0.0000001,,61.25\n"
    );
    assert_eq!(
        read_recording(&out, None).unwrap(),
        read_recording(&p, None).unwrap()
    );
}

/// 2.6 s of two channels at 100 Hz with a 3-sample gap at row 150 and markers: the streamed
/// source hands out at most one second of each channel at a time, channel by channel, and the
/// samples, markers and length come out as written (the gap held at the value before it).
#[test]
fn a_source_streams_a_second_of_every_channel_in_turn() {
    let dir = tempfile::tempdir().unwrap();
    let mut text = String::from("t,pelvic[uV],anal[mmHg],marker\n");
    let mut expected = [Vec::new(), Vec::new()];
    let mut i = 0u64;
    for row in 0..257u64 {
        let marker = match row {
            0 => "rest",
            150 => {
                // Three samples missing before this row: they hold row 149's values.
                for _ in 0..3 {
                    let (a, b) = (
                        expected[0][expected[0].len() - 1],
                        expected[1][expected[1].len() - 1],
                    );
                    expected[0].push(a);
                    expected[1].push(b);
                }
                i += 3;
                "gap:3"
            }
            200 => "squeeze",
            _ => "",
        };
        let (a, b) = (row as f64 * 0.5 - 7.0, 60.0 + row as f64);
        text.push_str(&format!("{:.2},{a},{b},{marker}\n", i as f64 / 100.0));
        expected[0].push(a);
        expected[1].push(b);
        i += 1;
    }
    let p = write(&dir, "long.csv", &text);
    let mut source = CsvSource::open(&p, None).unwrap();
    assert_eq!(source.samples(), 260);
    assert_eq!(source.duration_s(), Some(2.6));
    let labels: Vec<(&str, f64)> = source
        .markers()
        .iter()
        .map(|m| (m.label.as_str(), m.time_s))
        .collect();
    assert_eq!(labels, [("rest", 0.0), ("gap:3", 1.53), ("squeeze", 2.03)]);
    let mut got = [Vec::new(), Vec::new()];
    let mut order = Vec::new();
    source
        .replay(None, &mut |c, chunk| {
            assert!(chunk.len() <= 100, "a chunk of {} samples", chunk.len());
            order.push((c, chunk.len()));
            got[c].extend_from_slice(chunk);
        })
        .unwrap();
    assert_eq!(got, expected);
    assert_eq!(
        order,
        [(0, 100), (1, 100), (0, 100), (1, 100), (0, 60), (1, 60)]
    );
    // A limit stops every channel at the same sample, gap included.
    let mut limited = [0usize; 2];
    source
        .replay(Some(1.51), &mut |c, chunk| limited[c] += chunk.len())
        .unwrap();
    assert_eq!(limited, [151, 151]);
}

/// The quick first pass finds a ragged row; a bad number is found by the replay, with its line
/// and column, and nothing before it is lost.
#[test]
fn a_source_reports_bad_rows_with_their_line() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(&dir, "ragged.csv", "t,pelvic[uV]\n0,1\n0.5,2,3\n");
    assert!(matches!(
        CsvSource::open(&p, None),
        Err(CsvError::RaggedRow { line: 3, .. })
    ));
    let p = write(&dir, "nan.csv", "t,pelvic[uV]\n0,1\n0.5,2\n1.0,x\n");
    let mut source = CsvSource::open(&p, None).unwrap();
    let mut seen = Vec::new();
    let e = source
        .replay(None, &mut |_, chunk| seen.extend_from_slice(chunk))
        .unwrap_err();
    assert!(
        matches!(
            e,
            CsvError::BadNumber {
                line: 4,
                column: 2,
                ..
            }
        ),
        "{e}"
    );
    assert!(e.to_string().contains("nan.csv"), "{e}");
    assert_eq!(seen, [1.0, 2.0]);
}

/// Spaces around cells (as spreadsheets and hand-edited files have them) are not part of the
/// values, markers or header, in the full and the quick pass alike.
#[test]
fn spaces_around_cells_are_ignored() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(
        &dir,
        "spaces.csv",
        " t , pelvic[uV] , marker \n 0.0 , 1.5 , rest \n0.5,  -2 ,\n 1.0 ,3, squeeze\n",
    );
    let rec = read_recording(&p, None).unwrap();
    assert_eq!(rec.channels[0].name, "pelvic");
    assert_eq!(rec.samples[0], vec![1.5, -2.0, 3.0]);
    let labels: Vec<(&str, f64)> = rec
        .markers
        .iter()
        .map(|m| (m.label.as_str(), m.time_s))
        .collect();
    assert_eq!(labels, [("rest", 0.0), ("squeeze", 1.0)]);
    let p = write(&dir, "bad.csv", "t,pelvic[uV]\n0,1\n0.5, 2x \n");
    let e = open_err(&p, None);
    assert!(e.to_string().contains("'2x'"), "{e}");
}
