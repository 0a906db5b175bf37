//! The committed simulated fixtures are exactly what `scripts/make_sim_fixtures.sh` generates: each of
//! its `tonus sim` commands is run into a temporary folder and both files must match byte for byte, so
//! the fixtures and the generator cannot drift apart.

use std::path::Path;
use std::process::Command;

#[test]
fn committed_sim_fixtures_regenerate_byte_for_byte() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let script =
        std::fs::read_to_string(root.join("scripts/make_sim_fixtures.sh")).expect("script");
    let dir = tempfile::tempdir().expect("tempdir");
    let mut checked = 0;
    for line in script.lines().filter(|l| l.starts_with("$tonus sim ")) {
        let args: Vec<String> = line
            .split_whitespace()
            .skip(1)
            .map(|a| a.replace("fixtures/sim/", &format!("{}/", dir.path().display())))
            .collect();
        let out = Command::new(env!("CARGO_BIN_EXE_tonus"))
            .args(&args)
            .output()
            .expect("run tonus");
        assert!(
            out.status.success(),
            "{line}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let csv = line
            .split_whitespace()
            .find(|a| a.ends_with(".csv"))
            .expect("csv name");
        for file in [csv.to_string(), csv.replace(".csv", ".truth.json")] {
            let name = Path::new(&file).file_name().expect("name");
            let fresh = std::fs::read(dir.path().join(name)).expect("generated");
            let committed = std::fs::read(root.join(&file))
                .unwrap_or_else(|e| panic!("{file}: {e} (run scripts/make_sim_fixtures.sh)"));
            assert!(fresh == committed, "{file} differs from what the generator makes now (run scripts/make_sim_fixtures.sh and review)");
        }
        checked += 1;
    }
    assert_eq!(
        checked, 5,
        "one fixture per profile plus one with artifacts"
    );
}
