//! `tonus repair FILE`: a copy of an EDF/BDF file with the whole records it holds and a header that
//! counts them (`tonus_io::edf::repair`); the original is kept.

use std::path::PathBuf;

use anyhow::Result;
use clap::Args;

/// Arguments of `tonus repair`.
#[derive(Args, Debug)]
pub struct RepairArgs {
    /// The EDF/EDF+/BDF/BDF+ file (a recording killed mid-way, a header count of -1 or wrong).
    pub file: PathBuf,
    /// Where the mended copy goes (default: FILE with `.repaired` before its extension).
    #[arg(short, long)]
    pub output: Option<PathBuf>,
}

/// Runs `tonus repair`.
pub fn run(args: &RepairArgs) -> Result<()> {
    let output = args.output.clone().unwrap_or_else(|| {
        let ext = args
            .file
            .extension()
            .map_or("edf".into(), |e| e.to_string_lossy().into_owned());
        args.file.with_extension(format!("repaired.{ext}"))
    });
    let r = tonus_io::edf::repair(&args.file, &output)?;
    eprintln!(
        "{} -> {}: {} whole records (the header said {}){}",
        args.file.display(),
        output.display(),
        r.records,
        r.declared,
        if r.partial_bytes > 0 {
            format!(
                "; {} bytes of an unfinished last record left out",
                r.partial_bytes
            )
        } else {
            String::new()
        }
    );
    Ok(())
}
