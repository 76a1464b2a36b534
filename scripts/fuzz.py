#!/usr/bin/env python3
"""Builds the libFuzzer targets in Fuzz/ and runs each for a while, one after the other (issue 17, item 14).

  python3 scripts/fuzz.py [--seconds 600] [--fresh] [--no-build] [TARGET ...]     (make fuzz / make fuzz-smoke)
  python3 scripts/fuzz.py --typecheck                                             (make lint)

--typecheck compiles nothing: it type-checks every target's sources against the main package's debug build
(.build/debug, as `make build` leaves it) in a few seconds, so that a change to an API the targets use fails
`make test` at once rather than the sanitizer build of `make fuzz`, minutes later.

Seeds come from the fixtures (Fixtures/banks/*/valid and invalid, Formats/banks/*.yaml, Fixtures/crashers/,
a small roster from scripts/make_roster.py) and are made anew in Fuzz/corpus/seeds/ on every run; what
libFuzzer finds grows Fuzz/corpus/work/ (kept between runs; --fresh starts it empty). Both are git-ignored.

The build is niced and runs one job at a time (FUZZ_JOBS=2 for two). Every run is niced (nice 19), one target at a time, with -max_total_time, -timeout=10, -rss_limit_mb=2048
and leak detection on. Per target it prints executions, exec/s, cov and ft (libFuzzer's final stats line)
and findings; a crash, timeout, leak or out-of-memory input is copied to Fixtures/crashers/ as
fuzz-<target>-<kind>-<sha1 prefix>, and the script exits 1. Logs: Fuzz/logs/.
"""
import argparse, glob, hashlib, os, re, shutil, subprocess, sys, tempfile, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FUZZ = os.path.join(ROOT, "Fuzz")
CORPUS = os.path.join(FUZZ, "corpus")
LOGS = os.path.join(FUZZ, "logs")
CRASHERS = os.path.join(ROOT, "Fixtures", "crashers")
TARGETS = ["FuzzSpecLoader", "FuzzFixedWidth", "FuzzDelimited", "FuzzXML", "FuzzCSV", "FuzzMoney"]
# Crashers larger than this are left out of the seeds: they would raise libFuzzer's -max_len for every input.
SEED_LIMIT = 64 * 1024


def bank_files(*banks):
    """The bank fixtures to read (not their detached signatures or expectation tables)."""
    files = []
    for bank in banks:
        for folder in ("valid", "invalid"):
            files += [f for f in sorted(glob.glob(os.path.join(ROOT, "Fixtures", "banks", bank, folder, "*")))
                      if not f.endswith((".sig", ".tsv"))]
    return files


def crashers(*patterns):
    return [f for p in patterns for f in sorted(glob.glob(os.path.join(CRASHERS, p)))
            if os.path.getsize(f) <= SEED_LIMIT]


def make_seeds(target, folder):
    """Fills `folder` with the seeds of `target`."""
    shutil.rmtree(folder, ignore_errors=True)
    os.makedirs(folder)
    files, texts = [], {}
    if target == "FuzzSpecLoader":
        files = sorted(glob.glob(os.path.join(ROOT, "Formats", "banks", "*.yaml")))
    elif target == "FuzzFixedWidth":
        files = bank_files("BOC") + crashers("boc-*", "fuzz-FuzzFixedWidth-*")
    elif target == "FuzzDelimited":
        files = bank_files("CCB", "HUBB") + crashers("ccb-*", "hubb-*", "fuzz-FuzzDelimited-*")
    elif target == "FuzzXML":
        files = bank_files("WHRCB", "ISO20022", "HBNX") + crashers("whrcb-*", "iso20022-*", "hbnx-*", "fuzz-FuzzXML-*")
    elif target == "FuzzCSV":
        with tempfile.TemporaryDirectory() as out:
            subprocess.run([sys.executable, os.path.join(ROOT, "scripts", "make_roster.py"), "--payers", "12",
                            "--seed", "7", "--bad", "4", "--out", out], check=True, stdout=subprocess.DEVNULL)
            for name in ("roster.csv", "payments.csv"):
                with open(os.path.join(out, name), "rb") as f:
                    texts[name] = f.read()
        files = sorted(glob.glob(os.path.join(ROOT, "Fixtures", "banks", "*", "*.csv"))) + crashers("fuzz-FuzzCSV-*")
    elif target == "FuzzMoney":
        for i, text in enumerate(["0", "1234.56", "-0.05", "12.3", "92233720368547758.07", "-92233720368547758.08",
                                  "1.2.3", "1.234", "", "-", "00000000000000000000001.00"]):
            texts[f"money-{i}.txt"] = text.encode()
        files = crashers("money-*", "fuzz-FuzzMoney-*")
    for path in files:
        relative = os.path.relpath(path, ROOT).replace(os.sep, "_")
        shutil.copyfile(path, os.path.join(folder, relative))
    for name, data in texts.items():
        with open(os.path.join(folder, name), "wb") as f:
            f.write(data)
    return len(files) + len(texts)


def build():
    """Builds every target with libFuzzer and AddressSanitizer; returns the seconds it took."""
    os.makedirs(LOGS, exist_ok=True)
    resolved = os.path.join(FUZZ, "Package.resolved")
    if not os.path.exists(resolved) and os.path.exists(os.path.join(ROOT, "Package.resolved")):
        shutil.copyfile(os.path.join(ROOT, "Package.resolved"), resolved)  # the main build's versions
    # --sanitize=fuzzer tells SwiftPM to leave `main` to libFuzzer; -sanitize=fuzzer,address then gives swiftc
    # both sanitizers in one flag (given as two --sanitize flags, swiftc keeps only the last).
    # One job by default, so a developer's machine stays usable; CI, with nothing else to do, sets FUZZ_JOBS.
    jobs = os.environ.get("FUZZ_JOBS", "1")
    if not jobs.isdigit() or int(jobs) < 1:
        sys.exit(f"fuzz: FUZZ_JOBS must be a whole number of parallel jobs, 1 or more (it is '{jobs}')")
    command = ["nice", "-n", "19", "swift", "build", "--package-path", FUZZ, "-c", "debug", "-j", jobs,
               "--sanitize=fuzzer", "-Xswiftc", "-sanitize=fuzzer,address"]
    print("fuzz: building Fuzz/ (" + " ".join(command[3:]) + ")", flush=True)
    start = time.monotonic()
    with open(os.path.join(LOGS, "build.log"), "w") as log:
        status = subprocess.run(command, stdout=log, stderr=subprocess.STDOUT).returncode
    seconds = time.monotonic() - start
    if status != 0:
        with open(os.path.join(LOGS, "build.log")) as log:
            # gold's "Cannot export local symbol '__asan_…'" warnings are noise; show the rest.
            lines = [l for l in log if "Cannot export local symbol" not in l]
        sys.stderr.write("".join(lines[-40:]))
        sys.exit(f"fuzz: the build failed ({seconds:.0f} s); whole log in Fuzz/logs/build.log")
    print(f"fuzz: built in {seconds:.0f} s", flush=True)
    return seconds


def typecheck():
    """Type-checks FuzzSupport and every target against the main package's debug modules; exits 1 on an error."""
    modules = os.path.join(ROOT, ".build", "debug", "Modules")
    if not os.path.isdir(modules):
        sys.exit("fuzz: no debug build to type-check against (.build/debug/Modules): run `make build` first")
    maps = []
    for top in ("Sources", ".build/debug", ".build/checkouts"):
        for folder, dirs, files in os.walk(os.path.join(ROOT, top), followlinks=True):
            dirs[:] = [d for d in dirs if not d.endswith("-tool.build") and d not in ("Tests", "Fuzz", ".git")]
            if "module.modulemap" in files:
                maps += ["-Xcc", "-fmodule-map-file=" + os.path.join(folder, "module.modulemap")]
    # The system libraries' headers, as SwiftPM finds them for the package's .systemLibrary targets
    # (a fresh machine has no clang module cache that already holds them).
    for package in re.findall(r'pkgConfig: "([^"]+)"', open(os.path.join(ROOT, "Package.swift")).read()):
        flags = subprocess.run(["pkg-config", "--cflags", package], capture_output=True, text=True).stdout.split()
        maps += [item for flag in flags for item in ("-Xcc", flag)]
    failed = []
    with tempfile.TemporaryDirectory() as out:
        support = sorted(glob.glob(os.path.join(FUZZ, "Sources", "FuzzSupport", "*.swift")))
        steps = [("FuzzSupport", ["-emit-module", "-emit-module-path", os.path.join(out, "FuzzSupport.swiftmodule"),
                                  "-parse-as-library"], support)]
        steps += [(t, ["-typecheck", "-parse-as-library"], sorted(glob.glob(os.path.join(FUZZ, "Sources", t, "*.swift"))))
                  for t in TARGETS]
        for name, mode, sources in steps:
            # A module cache of its own: what the machine's cache already holds must not hide a missing header.
            result = subprocess.run(["swiftc", *mode, "-module-name", name, "-I", modules, "-I", out, *maps,
                                     "-module-cache-path", os.path.join(out, "module-cache"), *sources],
                                    capture_output=True, text=True, cwd=out)
            if result.returncode != 0:
                failed.append(name)
                sys.stderr.write(result.stderr)
    if failed:
        sys.exit(f"fuzz: {', '.join(failed)} do(es) not type-check against the current sources: fix Fuzz/Sources")
    print(f"fuzz: FuzzSupport and {len(TARGETS)} targets type-check")


def binary_dir():
    out = subprocess.run(["swift", "build", "--package-path", FUZZ, "-c", "debug", "--show-bin-path"],
                         capture_output=True, text=True, check=True).stdout.strip()
    return out


def run(target, seconds, fresh, bin_dir):
    """Runs one target; returns its figures and the artifacts it left."""
    seeds = os.path.join(CORPUS, "seeds", target)
    work = os.path.join(CORPUS, "work", target)
    count = make_seeds(target, seeds)
    if fresh:
        shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work, exist_ok=True)
    artifacts = tempfile.mkdtemp(prefix=f"fuzz-{target}-")
    log_path = os.path.join(LOGS, f"{target}.log")
    env = dict(os.environ, PIKOU_ROOT=ROOT,
               # The Swift runtime's own backtracer reads the stack in a way ASan reports, and can wait for a
               # debugger: leave the report to libFuzzer and ASan.
               SWIFT_BACKTRACE="enable=no",
               ASAN_OPTIONS=":".join(filter(None, [os.environ.get("ASAN_OPTIONS"), "detect_leaks=1"])),
               # What a global holds for the whole run is not a leak; Fuzz/lsan.supp says why LSan thinks so.
               LSAN_OPTIONS=":".join(filter(None, [os.environ.get("LSAN_OPTIONS"),
                                                   "suppressions=" + os.path.join(FUZZ, "lsan.supp")])))
    command = ["nice", "-n", "19", os.path.join(bin_dir, target), f"-max_total_time={seconds}", "-timeout=10",
               "-rss_limit_mb=2048", "-detect_leaks=1", "-print_final_stats=1", f"-artifact_prefix={artifacts}/",
               work, seeds]
    print(f"fuzz: {target} for {seconds} s ({count} seeds; log Fuzz/logs/{target}.log)", flush=True)
    start = time.monotonic()
    with open(log_path, "w") as log:
        try:
            status = subprocess.run(command, stdout=log, stderr=subprocess.STDOUT, env=env,
                                    timeout=seconds + 600).returncode
        except subprocess.TimeoutExpired:
            status = "hung"
    elapsed = time.monotonic() - start
    with open(log_path, errors="replace") as log:
        text = log.read()
    figures = {"target": target, "seconds": round(elapsed), "status": status}
    stat = lambda name: (re.findall(rf"stat::{name}:\s+(\d+)", text) or [None])[-1]
    figures["execs"] = stat("number_of_executed_units")
    figures["exec/s"] = stat("average_exec_per_sec")
    progress = re.findall(r"^#(\d+)\s+\w+\s+cov: (\d+) ft: (\d+) corp: (\d+)/", text, re.M)
    if progress:
        figures["cov"], figures["ft"], figures["corpus"] = progress[-1][1], progress[-1][2], progress[-1][3]
        figures["execs"] = figures["execs"] or progress[-1][0]
    kept = []
    for path in sorted(glob.glob(os.path.join(artifacts, "*"))):
        kind = os.path.basename(path).split("-")[0]  # crash, timeout, leak, oom, slow-unit
        if kind == "slow":
            continue
        with open(path, "rb") as f:
            digest = hashlib.sha1(f.read()).hexdigest()[:12]
        name = f"fuzz-{target}-{kind}-{digest}"
        shutil.copyfile(path, os.path.join(CRASHERS, name))
        kept.append(name)
    shutil.rmtree(artifacts, ignore_errors=True)
    figures["findings"] = kept
    return figures


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("targets", nargs="*", help=f"some of {', '.join(TARGETS)} (default: all)")
    ap.add_argument("--seconds", type=int, default=int(os.environ.get("FUZZ_SECONDS", "600")))
    ap.add_argument("--fresh", action="store_true", help="start each target's working corpus empty")
    ap.add_argument("--no-build", action="store_true", help="run the targets as last built")
    ap.add_argument("--typecheck", action="store_true", help="only type-check the targets against .build/debug")
    args = ap.parse_args()
    if args.typecheck:
        typecheck()
        return
    unknown = [t for t in args.targets if t not in TARGETS]
    if unknown:
        sys.exit(f"fuzz: unknown target(s) {', '.join(unknown)}; the targets are {', '.join(TARGETS)}")
    if not args.no_build:
        build()
    bin_dir = binary_dir()
    results = [run(t, args.seconds, args.fresh, bin_dir) for t in (args.targets or TARGETS)]

    columns = ["target", "seconds", "execs", "exec/s", "cov", "ft", "corpus", "findings"]
    rows = [[str(r.get(c) if c != "findings" else (len(r["findings"]) if r["findings"] else
             ("0" if r["status"] == 0 else f"exit {r['status']}"))) for c in columns] for r in results]
    widths = [max(len(c), *(len(row[i]) for row in rows)) for i, c in enumerate(columns)]
    print()
    for row in [columns] + rows:
        print("  ".join(cell.ljust(w) if i == 0 else cell.rjust(w) for i, (cell, w) in enumerate(zip(row, widths))))
    failed = False
    for r in results:
        for name in r["findings"]:
            print(f"fuzz: {r['target']} found Fixtures/crashers/{name} (log Fuzz/logs/{r['target']}.log)")
            failed = True
        if r["status"] != 0 and not r["findings"]:
            print(f"fuzz: {r['target']} stopped with status {r['status']} and no input (log Fuzz/logs/{r['target']}.log)")
            failed = True
    if failed:
        print("fuzz: add each kept input to Fixtures/crashers/README.md once it is understood")
        sys.exit(1)
    print("fuzz: no crash, timeout or leak")


if __name__ == "__main__":
    main()
