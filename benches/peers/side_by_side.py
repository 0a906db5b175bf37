#!/usr/bin/env python3
"""Tonus side by side with the peers, in one run, on the peers' own harness and fixtures.

Builds Tonus in release mode, generates the harness fixtures (6 min and 1 h at 2 kHz, with ground
truth) with ../shared/peer-bench/make_fixture.py, then runs, strictly one at a time:
  - Tonus (`cargo bench --bench peers_harness` binary): tonus-causal (the harness chain exactly as
    scipy-causal runs it, streamed in chunks), tonus-stream-1ch / tonus-lanes-1ch / tonus-causal-8ch
    / tonus-frames-8ch (one channel in block form, one channel through the lane kernel, eight
    channels in lanes from per-channel arrays, and from interleaved frames as a sensor sends them),
    tonus-limit (the limit kernel's chain through Tonus's filters) and tonus-analysis (the full
    analysis, streamed from the fixture file);
  - the peers through the harness's own bench_peer.py (SciPy, BrainFlow, BioSPPy, NeuroKit2);
  - the limit kernels (C and Rust, built with -O3 -march=native);
each in-process (median of --reps passes after a warm-up) and once whole-process under GNU time for
the peak memory; then prints one table with the ratios Tonus/peer.

Not part of CI: it takes minutes (NeuroKit2's emg_process alone takes about 8 minutes on the 1-hour
fixture; --skip-neurokit-1h skips that run and uses RESULTS.md's figure instead, saying so).

  python3 benches/peers/side_by_side.py [--peers "scipy-causal brainflow ..."] [--reps 5]
        [--skip-neurokit-1h] [--venv DIR] [--out target/peer-bench]

The peers' Python environment is created in --venv (default target/peer-bench/venv) from the
harness's requirements-peers.txt when missing.
"""
import argparse
import json
import os
import re
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HARNESS = (ROOT / ".." / "shared" / "peer-bench").resolve()
TONUS_PEERS = ["tonus-causal", "tonus-stream-1ch", "tonus-lanes-1ch", "tonus-causal-8ch", "tonus-frames-8ch", "tonus-limit", "tonus-analysis"]
DEFAULT_PEERS = "scipy-causal scipy-zerophase scipy-stream brainflow brainflow-env biosppy neurokit-dsp neurokit"


def sh(cmd, **kw):
    return subprocess.run(cmd, check=True, text=True, capture_output=True, **kw)


def tonus_binary():
    out = sh(["cargo", "bench", "--no-run", "--bench", "peers_harness", "--message-format", "json"], cwd=ROOT)
    for line in out.stdout.splitlines():
        msg = json.loads(line)
        if msg.get("reason") == "compiler-artifact" and msg.get("target", {}).get("name") == "peers_harness":
            if msg.get("executable"):
                return msg["executable"]
    raise SystemExit("could not find the peers_harness bench binary")


def whole_process_rss(cmd, with_stdout=False):
    """Peak RSS (MiB) and wall (s) of one run under GNU time -v (and its stdout if asked)."""
    out = subprocess.run(["/usr/bin/time", "-v"] + cmd, text=True, capture_output=True)
    if out.returncode != 0:
        raise SystemExit(f"{cmd}: {out.stderr[-2000:]}")
    rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", out.stderr)
    wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): ([\d:.]+)", out.stderr)
    secs = 0.0
    if wall:
        for part in wall.group(1).split(":"):
            secs = secs * 60 + float(part)
    result = (int(rss.group(1)) / 1024 if rss else float("nan")), secs
    return (result, out.stdout) if with_stdout else result


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--peers", default=DEFAULT_PEERS)
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--skip-neurokit-1h", action="store_true")
    ap.add_argument("--venv", default=str(ROOT / "target" / "peer-bench" / "venv"))
    ap.add_argument("--out", default=str(ROOT / "target" / "peer-bench"))
    args = ap.parse_args()
    if not HARNESS.is_dir():
        raise SystemExit(f"the peers' harness is not at {HARNESS}")
    out = Path(args.out)
    data = out / "data"
    build = out / "build"
    data.mkdir(parents=True, exist_ok=True)
    build.mkdir(parents=True, exist_ok=True)

    print("== building Tonus (release)", file=sys.stderr)
    tonus = tonus_binary()
    py = Path(args.venv) / "bin" / "python"
    if not py.exists():
        print(f"== creating the peers' environment in {args.venv} (several minutes)", file=sys.stderr)
        sh([sys.executable, "-m", "venv", args.venv])
        sh([str(py), "-m", "pip", "install", "-q", "-r", str(HARNESS / "requirements-peers.txt")])
    print("== fixtures", file=sys.stderr)
    if not (data / "pf_x1.bin").exists():
        sh([str(py), str(HARNESS / "make_fixture.py"), "--mult", "1", "--no-csv", "--out-dir", str(data)])
    if not (data / "pf_x10.bin").exists():
        sh([str(py), str(HARNESS / "make_fixture.py"), "--mult", "10", "--no-csv", "--out-dir", str(data)])
    print("== limit kernels", file=sys.stderr)
    sh(["gcc", "-O3", "-march=native", "-o", str(build / "limit_c_f32"), str(HARNESS / "limit" / "limit_kernel.c"), "-lm"])
    sh(["gcc", "-O3", "-march=native", "-DREAL=double", "-o", str(build / "limit_c_f64"),
        str(HARNESS / "limit" / "limit_kernel.c"), "-lm"])
    sh(["rustc", "-C", "opt-level=3", "-C", "target-cpu=native", "-o", str(build / "limit_rs_f64"),
        "--cfg", "real_f64", str(HARNESS / "limit" / "limit_kernel.rs")])

    rows = []
    for fx in ["pf_x1", "pf_x10"]:
        prefix = str(data / fx)
        reps = args.reps if fx == "pf_x1" else max(1, args.reps // 2)
        for peer in TONUS_PEERS:
            print(f"-- {fx} {peer}", file=sys.stderr)
            res = json.loads(sh([tonus, "--peer", peer, "--fixture", prefix, "--reps", str(reps)]).stdout.strip().splitlines()[-1])
            res["wp_rss_mib"], res["wp_wall_s"] = whole_process_rss(
                [tonus, "--peer", peer, "--fixture", prefix, "--reps", "1", "--warmup", "0"])
            rows.append(res)
        for peer in args.peers.split():
            if peer == "neurokit" and fx == "pf_x10" and args.skip_neurokit_1h:
                continue
            print(f"-- {fx} {peer}", file=sys.stderr)
            slow = peer == "neurokit"
            cmd = [str(py), str(HARNESS / "bench_peer.py"), "--peer", peer, "--fixture", prefix,
                   "--reps", "1" if slow else str(reps), "--warmup", "0" if slow else "1"]
            if slow:
                # One pass takes minutes: the whole-process run's single pass is the in-process sample.
                (rss_wall, stdout) = whole_process_rss(cmd, with_stdout=True)
                res = json.loads(stdout.strip().splitlines()[-1])
                res["wp_rss_mib"], res["wp_wall_s"] = rss_wall
            else:
                res = json.loads(sh(cmd).stdout.strip().splitlines()[-1])
                res["wp_rss_mib"], res["wp_wall_s"] = whole_process_rss(
                    cmd[:-4] + ["--reps", "1", "--warmup", "0"])
            rows.append(res)
    limits = []
    for name, cmd in [("limit C f32", [str(build / "limit_c_f32"), str(data / "pf_x10.bin"), "2", "1", "7"]),
                      ("limit C f64", [str(build / "limit_c_f64"), str(data / "pf_x10.bin"), "2", "1", "7"]),
                      ("limit Rust f64", [str(build / "limit_rs_f64"), str(data / "pf_x10.bin"), "2", "7"])]:
        print(f"-- {name}", file=sys.stderr)
        res = json.loads(sh(cmd).stdout.strip().splitlines()[-1])
        limits.append((name, res["median_s"], res["samples_per_s_per_channel"]))

    json_path = out / "side_by_side.jsonl"
    with open(json_path, "w") as fh:
        for r in rows:
            fh.write(json.dumps(r) + "\n")
    report(rows, limits, args)
    print(f"\nraw results: {json_path}")


def report(rows, limits, args):
    def get(fx, peer):
        return next((r for r in rows if r["fixture"] == fx and r["peer"] == peer), None)

    for fx, title in [("pf_x1", "6 min (720 000 samples of ch0)"), ("pf_x10", "1 h (7 200 000 samples of ch0)")]:
        one, lane = get(fx, "tonus-stream-1ch"), get(fx, "tonus-lanes-1ch")
        singles = [(r, name) for r, name in ((one, "one channel streamed in block form"),
                                             (lane, "one channel through the lane kernel")) if r]
        if singles:
            # The target compares 8 channels with the fastest single-channel path of the same run.
            best, best_name = min(singles, key=lambda s: s[0]["median_s"])
            for peer, layout in [("tonus-causal-8ch", "from per-channel arrays"),
                                 ("tonus-frames-8ch", "as interleaved frames (the sensor's layout)")]:
                eight = get(fx, peer)
                if eight:
                    print(f"\n{fx}: 8 channels in lanes {layout} move "
                          f"{8 * best['median_s'] / eight['median_s']:.2f}x the samples per second of the "
                          f"fastest single channel in this run ({best_name}, {best['median_s']:.4g} s)")
        print(f"\n### {title}\n")
        print("| pipeline | median s | samples/s per channel | whole-process peak RSS MiB | onsets hit/truth (+extra), median lag | tonus-causal ÷ it | tonus-analysis ÷ it |")
        print("|---|---|---|---|---|---|---|")
        causal, analysis = get(fx, "tonus-causal"), get(fx, "tonus-analysis")
        for r in [x for x in rows if x["fixture"] == fx]:
            o = r.get("onsets")
            ons = f"{o['hits']}/{o['truth']} (+{o['extra']}), {o['median_lag_ms']} ms" if o else "-"
            ratio = lambda t: f"{r['median_s'] / t['median_s']:.1f}x" if t and r.get("median_s") else "-"
            per_channel = r["n_samples"] / r["median_s"] / 1e6
            if r["peer"].endswith("-8ch"):
                per_channel *= 8  # all 8 channels' samples
            print(f"| {r['peer']} | {r['median_s']:.4g} | {per_channel:.3g} M | "
                  f"{r['wp_rss_mib']:.0f} | {ons} | {ratio(causal)} | {ratio(analysis)} |")
        if fx == "pf_x10" and args.skip_neurokit_1h and analysis:
            print(f"| neurokit (RESULTS.md, not rerun) | 498 | 0.0144 M | 1406 | 110/110 (+0), 47.5 ms | - | "
                  f"{498 / analysis['median_s']:.0f}x |")
    lim = get("pf_x10", "tonus-limit")
    print("\n### The limit kernel's chain (3 biquads + 200-sample RMS), ch0 of the 1-h fixture\n")
    print("| kernel | median s | samples/s | tonus-limit as % of it |")
    print("|---|---|---|---|")
    for name, med, sps in limits:
        pct = f"{100 * med / lim['median_s']:.0f} %" if lim else "-"
        print(f"| {name} | {med:.4g} | {sps / 1e6:.3g} M | {pct} |")
    if lim:
        print(f"| tonus-limit | {lim['median_s']:.4g} | {lim['n_samples'] / lim['median_s'] / 1e6:.3g} M | - |")


if __name__ == "__main__":
    main()
