//! A report of a generated session: the HTML is well-formed (it is written XHTML-compatible so an
//! XML parser can check it), holds every figure as inline SVG and every table with one row per
//! phase, flag and contraction; the PNGs decode at the expected size, with text drawn by the
//! embedded font.

use tonus_analysis::{analyze, AnalysisConfig, Report};
use tonus_report::{write_report, Trace, FIGURES, SIZES};
use tonus_sim::{generate, Profile, ScenarioConfig};

fn session() -> (Report, Trace) {
    let config = ScenarioConfig {
        profile: Profile::Overactive,
        protocol: "glazer-mini".into(),
        seed: 3,
        rate_hz: 1000.0,
        ..Default::default()
    };
    let recording = generate(&config).expect("session").recording;
    let report = analyze(&recording, AnalysisConfig::default()).expect("analysis");
    let trace = Trace::from_replay(&mut &recording, &report.processing)
        .unwrap_or_else(|never| match never {});
    (report, trace)
}

fn rows(doc: &roxmltree::Document, table: &str) -> usize {
    let t = doc
        .descendants()
        .find(|n| n.attribute("id") == Some(table))
        .unwrap_or_else(|| panic!("table {table} missing"));
    t.children().filter(|n| n.has_tag_name("tr")).count() - 1
}

#[test]
fn the_html_holds_every_figure_and_table() {
    let (report, trace) = session();
    assert!(!report.flags.is_empty() && !report.contractions.is_empty());
    let dir = tempfile::tempdir().expect("tempdir");
    let written = write_report(dir.path(), "s1", &report, &trace).expect("report");
    let html = std::fs::read_to_string(&written.html).expect("html");
    let doc = roxmltree::Document::parse_with_options(
        &html,
        roxmltree::ParsingOptions {
            allow_dtd: true,
            ..Default::default()
        },
    )
    .expect("the page is well-formed");
    for (id, caption) in FIGURES {
        let fig = doc
            .descendants()
            .find(|n| n.attribute("id") == Some(&format!("fig-{id}")))
            .unwrap_or_else(|| panic!("figure {id} missing"));
        let svg = fig
            .descendants()
            .find(|n| n.tag_name().name() == "svg")
            .unwrap_or_else(|| panic!("figure {id} has no inline svg"));
        assert!(svg.descendants().count() > 20, "figure {id} is empty");
        let shown = fig
            .descendants()
            .find(|n| n.has_tag_name("figcaption"))
            .and_then(|n| n.text());
        assert_eq!(shown, Some(caption));
    }
    assert_eq!(rows(&doc, "phase-table"), report.phases.len());
    assert_eq!(rows(&doc, "flag-table"), report.flags.len());
    assert_eq!(rows(&doc, "domain-table"), report.domains.len());
    assert_eq!(report.domains.len(), 5);
    assert_eq!(rows(&doc, "contraction-table"), report.contractions.len());
    assert_eq!(rows(&doc, "quality-table"), report.quality.len());
    // The pattern, its reasons, each flag's sentence and source, and the caveat are on the page.
    let text: String = doc.descendants().filter_map(|n| n.text()).collect();
    assert!(text.contains(report.pattern.label.as_str()) && text.contains("not a diagnosis"));
    for f in &report.flags {
        assert!(
            text.contains(&f.message),
            "flag {} sentence missing",
            f.code
        );
        assert!(text.contains(tonus_report::flag_source(f.code.as_str())));
    }
    // Reference values beside the phases (Oleksy 2020 rest 6.26 ± 2.4 µV; Kasper 2025 22 %).
    assert!(text.contains("6.26 ± 2.4") && text.contains("Kasper 2025"));
}

#[test]
fn the_pngs_decode_at_their_size_with_text() {
    let (report, trace) = session();
    let dir = tempfile::tempdir().expect("tempdir");
    let written = write_report(dir.path(), "s2", &report, &trace).expect("report");
    assert_eq!(written.figures.len(), FIGURES.len());
    for ((png_path, svg_path), (w, h)) in written.figures.iter().zip(SIZES) {
        let file = std::fs::File::open(png_path).expect("png");
        let mut reader = png::Decoder::new(std::io::BufReader::new(file))
            .read_info()
            .expect("png header");
        let mut buf = vec![0; reader.output_buffer_size().expect("size")];
        let info = reader.next_frame(&mut buf).expect("png data");
        assert_eq!((info.width, info.height), (w, h), "{}", png_path.display());
        // The caption (top 30 rows, middle half) has dark text pixels: the font rendered.
        let channels = info.color_type.samples();
        let dark = (0..30u32)
            .flat_map(|y| (w / 4..3 * w / 4).map(move |x| (x, y)))
            .filter(|&(x, y)| {
                let i = (y as usize * w as usize + x as usize) * channels;
                buf[i..i + 3].iter().all(|v| *v < 100)
            })
            .count();
        assert!(
            dark > 50,
            "{}: no caption text ({dark} dark pixels)",
            png_path.display()
        );
        let svg = std::fs::read_to_string(svg_path).expect("svg");
        roxmltree::Document::parse(&svg).expect("svg well-formed");
    }
}

/// The trace is filtered as the analysis was: with mains hum in the recording (which the analysis
/// notches), the trace's pre-baseline level is the analysis's rest, not the hum's.
#[test]
fn the_trace_uses_the_analysis_chain_with_its_notch() {
    let config = ScenarioConfig {
        profile: Profile::Normal,
        protocol: "glazer-mini".into(),
        seed: 5,
        rate_hz: 1000.0,
        artifacts: vec![tonus_sim::ArtifactKind::MainsInterference],
        ..Default::default()
    };
    let recording = generate(&config).expect("session").recording;
    let report = analyze(&recording, AnalysisConfig::default()).expect("analysis");
    assert!(
        report.processing.mains_notch_hz.is_some(),
        "the analysis notched the hum"
    );
    let rest = report.quality[0].rest_mean.expect("rest");
    let level = |trace: &Trace| {
        let v = &trace.channels[0].values[20..70]; // 2–7 s: the pre-baseline
        v.iter().sum::<f64>() / v.len() as f64
    };
    let trace = Trace::from_replay(&mut &recording, &report.processing)
        .unwrap_or_else(|never| match never {});
    assert!(
        (level(&trace) / rest - 1.0).abs() < 0.15,
        "trace {} vs rest {rest}",
        level(&trace)
    );
    let unnotched = tonus_analysis::Processing {
        mains_notch_hz: None,
        notch_harmonics: vec![],
    };
    let raw =
        Trace::from_replay(&mut &recording, &unnotched).unwrap_or_else(|never| match never {});
    assert!(
        level(&raw) > 1.1 * level(&trace),
        "without the notch the hum shows: {} vs {}",
        level(&raw),
        level(&trace)
    );
}
