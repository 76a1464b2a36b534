#!/usr/bin/env python3
"""make crash-test: kill -9 `cycle run` and `returns ingest` at random moments, recover, compare.

Issue 17's closing requirement: a kill -9 loop at random moments of `cycle run` and `returns
ingest` ends with `check` clean and totals equal to an uninterrupted run.

1. Reference: a workspace with a synthetic roster (scripts/make_roster.py --seed 1 --bad 8, as
   scripts/demo.sh), roster and payments import, then (snapshot "before cycle") cycle run
   --period 2026-12 --date 2026-12-01, bank simulate --seed 7 of every debit file, (snapshot
   "before ingest") returns ingest of every return file. Its figures are recorded (below) and
   the durations of cycle run and ingest measured.
2. cycle loop: per iteration a fresh copy of "before cycle"; cycle run is SIGKILLed after a random
   delay within its measured duration (stratified: iteration i of N draws from the i-th slice of
   the duration, so the kills cover every phase); in every other iteration `check` must then say
   0 (clean) or 3 (pending work only), in the others the re-run is the first to open the store
   after the kill; cycle run again to completion (every few iterations that re-run is killed too, and
   a third run completes); simulate and ingest as the reference did; compare.
3. ingest loop: the same from a copy of "before ingest", killing `returns ingest` of all the
   return files; the re-run must post the rest and skip the posted ones as already ingested.

What "totals equal to an uninterrupted run" is taken to mean, all compared exactly:
  - report --format json by bank (per bank and TOTAL: payers owing/paid, lines, succeeded,
    failed, pending, in counts and fen), by file and by outcome; its return_files (declared and
    stored count and fen per return file), exceptions (bank, file, line, kind, detail, resolved),
    money_state and the report's exit status;
  - `status --period` text and `check` text, with `check` exit 0;
  - the debit files written (and, in the cycle loop, the return files simulated): the same names,
    the same bytes except signature values (SM2 signatures are randomised; `check` and ingest
    verify the signatures), and no stray file left in outbox/;
  - the store: for every table but the journal, its row count and a digest of its rows without
    timestamps, actors, file digests and byte counts (which carry the randomised signatures), ids
    included; and the archive's file count (names too in the ingest loop).

Each iteration prints one line; a mismatch prints the differing figures, keeps the workspace and
exits 1. Workspaces are deleted on success unless --keep.

Environment: PIKOU (default .build/debug/pikou), the Formats folder of this repository.
Python 3 standard library only.
"""
import argparse
import difflib
import hashlib
import json
import os
import random
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PERIOD = "2026-12"
DATE = "2026-12-01"
SIM_SEED = "7"


class Failure(Exception):
    pass


def log(text=""):
    print(text, flush=True)


class Pikou:
    def __init__(self, binary):
        self.binary = binary
        self.env = dict(os.environ, PIKOU_LANG="en")
        self.env.pop("PIKOU_WORKSPACE", None)

    def run(self, *args, ws=None, check=True):
        command = [self.binary] + list(args) + (["--workspace", ws] if ws else [])
        done = subprocess.run(command, env=self.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        out, err = done.stdout.decode("utf-8", "replace"), done.stderr.decode("utf-8", "replace")
        if check and done.returncode != 0:
            raise Failure("`%s` exited %d\nstdout: %s\nstderr: %s" % (
                " ".join(command), done.returncode, out[-2000:], err[-2000:]))
        return done.returncode, out, err

    def start(self, args, ws, out_path):
        command = [self.binary] + list(args) + ["--workspace", ws]
        with open(out_path, "wb") as sink:
            return subprocess.Popen(command, env=self.env, stdout=sink, stderr=subprocess.STDOUT)


# ---- the steps, as scripts/demo.sh runs them -------------------------------------------------

def cycle_args():
    return ["cycle", "run", "--period", PERIOD, "--date", DATE]


def ingest_args(ws):
    files = []
    inbox = os.path.join(ws, "inbox")
    for bank in sorted(os.listdir(inbox)):
        folder = os.path.join(inbox, bank)
        if not os.path.isdir(folder):
            continue
        for name in sorted(os.listdir(folder)):
            if not name.endswith(".sig") and not name.startswith("."):
                files.append(os.path.join(folder, name))
    if not files:
        raise Failure("no return file in %s" % inbox)
    return ["returns", "ingest"] + files


def simulate(pikou, ws):
    outbox = os.path.join(ws, "outbox")
    for bank in sorted(os.listdir(outbox)):
        folder = os.path.join(outbox, bank)
        if not os.path.isdir(folder):
            continue                         # outbox/.writing.lock
        for name in sorted(os.listdir(folder)):
            if name.endswith(".sig") or name.startswith("."):
                continue
            pikou.run("bank", "simulate", "--bank", bank, os.path.join(folder, name),
                      "--out", os.path.join(ws, "inbox", bank), "--seed", SIM_SEED, "--quiet", ws=ws)


def copy_workspace(src, dst):
    if os.path.exists(dst):
        shutil.rmtree(dst)
    shutil.copytree(src, dst, symlinks=True)


# ---- the figures compared ----------------------------------------------------------------------

SIGNATURE_VALUE = re.compile(rb"(<(?:[A-Za-z0-9_]+:)?SignatureValue[^>]*>)[^<]*(</)")
SIGN_TRAILER = re.compile(rb"(?m)^SIGN;[^\r\n]*")
VOLATILE_COLUMNS = {"at", "actor", "digest", "byte_count", "hash", "prev_hash"}
SKIPPED_TABLES = {"journal", "grdb_migrations", "sqlite_sequence"}


def normalized_digest(path):
    """The file's SHA-256 with signature values blanked (SM2 signs with a random nonce)."""
    with open(path, "rb") as handle:
        data = handle.read()
    data = SIGNATURE_VALUE.sub(rb"\1\2", data)
    data = SIGN_TRAILER.sub(b"SIGN;", data)
    return hashlib.sha256(data).hexdigest()


def folder_figures(root, with_content=True):
    """{relative path: normalized digest} of every file under root (.sig files: present)."""
    figures = {}
    for folder, _, names in os.walk(root):
        for name in names:
            path = os.path.join(folder, name)
            rel = os.path.relpath(path, root)
            if name.endswith(".sig") or not with_content or name.startswith("."):
                figures[rel] = "present"
            else:
                figures[rel] = normalized_digest(path)
    return figures


def store_figures(ws):
    path = os.path.join(ws, "pikou.sqlite")
    try:
        db = sqlite3.connect("file:%s?mode=ro" % path, uri=True)
        db.execute("select count(*) from sqlite_master").fetchone()
    except sqlite3.Error:
        db = sqlite3.connect(path)
    figures = {}
    try:
        tables = [r[0] for r in db.execute("select name from sqlite_master where type='table' order by name")]
        for table in tables:
            if table in SKIPPED_TABLES or table.startswith("sqlite_"):
                continue
            columns = [r[1] for r in db.execute('pragma table_info("%s")' % table)]
            kept = [c for c in columns if c not in VOLATILE_COLUMNS and not c.endswith("_at")]
            rows = sorted(repr(row) for row in db.execute(
                "select %s from \"%s\"" % (", ".join('"%s"' % c for c in kept), table)))
            figures[table + ".rows"] = len(rows)
            figures[table + ".digest"] = hashlib.sha256("\n".join(rows).encode()).hexdigest()[:16]
    finally:
        db.close()
    return figures


def flatten(value, prefix, out):
    if isinstance(value, dict):
        for key in sorted(value):
            flatten(value[key], "%s.%s" % (prefix, key) if prefix else key, out)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            # Rows of a report are named by their group, return files by bank and name.
            label = i
            if isinstance(item, dict):
                if "group" in item:
                    label = item["group"]
                elif "name" in item and "bank" in item:
                    label = "%s/%s" % (item["bank"], item["name"])
            flatten(item, "%s[%s]" % (prefix, label), out)
    else:
        out[prefix] = value


def figures(pikou, ws, archive_names):
    """Everything an uninterrupted run is compared on; `check` must exit 0."""
    result = {}
    for by in ("bank", "file", "outcome"):
        code, out, _ = pikou.run("report", "--period", PERIOD, "--by", by, "--format", "json", ws=ws, check=False)
        if code not in (0, 1, 3):
            raise Failure("report --by %s exited %d" % (by, code))
        report = json.loads(out)
        report.pop("money_check", None)      # the same figures as prose; compared through its parts
        report.pop("journal_head", None)     # the journal's head hashes timestamps: it differs from run to run by design
        if by != "bank":
            report = {"rows": report.get("rows"), "total": report.get("total")}
        flat = {}
        flatten(report, "report[%s]" % by, flat)
        result.update(flat)
        result["report[%s].exit" % by] = code
    code, out, _ = pikou.run("status", "--period", PERIOD, ws=ws, check=False)
    result["status.exit"] = code
    result["status.text"] = out
    code, out, _ = pikou.run("check", ws=ws, check=False)
    result["check.exit"] = code
    result["check.text"] = out
    for rel, digest in folder_figures(os.path.join(ws, "outbox")).items():
        result["outbox/" + rel] = digest
    for rel, digest in folder_figures(os.path.join(ws, "inbox")).items():
        result["inbox/" + rel] = digest
    archive = sorted(os.listdir(os.path.join(ws, "archive")))
    result["archive.count"] = len(archive)
    if archive_names:
        result["archive.names"] = archive
    for key, value in store_figures(ws).items():
        result["store." + key] = value
    return result


def compare(reference, got):
    differences = []
    for key in sorted(set(reference) | set(got)):
        a, b = reference.get(key, "<absent>"), got.get(key, "<absent>")
        if a != b:
            differences.append((key, a, b))
    return differences


def show_differences(differences, limit=40):
    for key, a, b in differences[:limit]:
        if isinstance(a, str) and "\n" in a or isinstance(b, str) and "\n" in b:
            log("    %s differs:" % key)
            for line in difflib.unified_diff(str(a).splitlines(), str(b).splitlines(), "reference", "this run", lineterm="", n=1):
                log("      " + line)
        else:
            log("    %s: reference %r, this run %r" % (key, a, b))
    if len(differences) > limit:
        log("    … and %d more" % (len(differences) - limit))


# ---- one killed run ------------------------------------------------------------------------

def last_progress(text):
    lines = [l.strip() for l in re.split(r"[\r\n]", text) if l.strip()]
    return lines[-1] if lines else ""


def kill_after(pikou, args, ws, delay, out_path):
    """Starts the command, SIGKILLs it after `delay` seconds; what the killed run had done."""
    process = pikou.start(args, ws, out_path)
    deadline = time.monotonic() + delay
    while time.monotonic() < deadline and process.poll() is None:
        time.sleep(min(0.005, max(0.0, deadline - time.monotonic())))
    if process.poll() is None:
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
        finished = None
    else:
        finished = process.returncode
    with open(out_path, "rb") as handle:
        printed = handle.read().decode("utf-8", "replace")
    return finished, printed


def workspace_state(ws, what):
    """What the killed run left: debit files written, return files archived, WAL size."""
    wal = os.path.join(ws, "pikou.sqlite-wal")
    wal_size = os.path.getsize(wal) if os.path.exists(wal) else 0
    if what == "cycle":
        written = stray = 0
        for folder, _, names in os.walk(os.path.join(ws, "outbox")):
            for name in names:
                if name.startswith("."):
                    if name != ".writing.lock":
                        stray += 1
                elif not name.endswith(".sig"):
                    written += 1
        text = "%d debit files" % written + (", %d temp" % stray if stray else "")
    else:
        archived = [n for n in os.listdir(os.path.join(ws, "archive")) if not n.endswith(".sig")]
        text = "%d archived" % len(archived)
    return "%s, wal %.1f MB" % (text, wal_size / 1e6)


def phase(finished, printed):
    """The step the run was killed in, for the summary: its last progress line without counts."""
    if finished is not None:
        return "finished before the kill"
    step = re.sub(r"^(cycle run|returns ingest): ", "", last_progress(printed))
    step = re.sub(r"(:? \d+/\d+.*|: \d+ files|\.\.\.)$", "", step)
    return step or "before any output"


def describe(finished, printed):
    if finished is not None:
        return "finished first (exit %d)" % finished
    lines = [l for l in re.split(r"[\r\n]", printed) if l.strip()]
    step = last_progress(printed)
    step = re.sub(r"^(cycle run|returns ingest): ", "", step)
    done = sum(1 for l in lines if l.startswith("wrote ") or ": posted to " in l or "already ingested" in l)
    said = "printed nothing" if not lines else "at \"%s\"" % step[:48]
    return said + (", %d file lines out" % done if done else "")


class Loop:
    def __init__(self, name, base, args_of, after, pikou, duration, work, reference, rng, iterations, twice_every):
        self.name, self.base, self.args_of, self.after = name, base, args_of, after
        self.pikou, self.duration, self.work, self.reference = pikou, duration, work, reference
        self.rng, self.iterations, self.twice_every = rng, iterations, twice_every
        self.kills = self.finished_first = 0
        self.phases = {}

    def delay(self, i):
        # Stratified: iteration i draws from the i-th of `iterations` slices of the measured
        # duration, so the kills spread over every phase, from exec to the last commit.
        span = self.duration / self.iterations
        return span * i + self.rng.uniform(0, span)

    def iteration(self, i):
        ws = os.path.join(self.work, "ws-%s-%02d" % (self.name, i + 1))
        copy_workspace(self.base, ws)
        delay = self.delay(i)
        finished, printed = kill_after(self.pikou, self.args_of(ws), ws, delay, ws + ".killed.out")
        self.kills += finished is None
        self.finished_first += finished is not None
        key = phase(finished, printed)
        self.phases[key] = self.phases.get(key, 0) + 1
        what = describe(finished, printed) + "; " + workspace_state(ws, self.name)
        # Every other iteration `check` looks at what the kill left (it must find nothing broken:
        # 0, or 3 for pending work only); in the others the re-run is the first to open the store.
        if i % 2 == 0:
            code, out, _ = self.pikou.run("check", ws=ws, check=False)
            if code not in (0, 3):
                raise Failure("after the kill, `check` exited %d (0 or 3, pending work only, expected):\n%s" % (code, out), ws)
            after_kill = "check after kill %d" % code
        else:
            after_kill = "no check"
        second = ""
        if self.twice_every and i % self.twice_every == self.twice_every - 1:
            delay2 = self.rng.uniform(0, self.duration)
            finished2, printed2 = kill_after(self.pikou, self.args_of(ws), ws, delay2, ws + ".killed2.out")
            self.kills += finished2 is None
            second = "; re-run killed at %d ms: %s" % (delay2 * 1000, describe(finished2, printed2))
        code, out, err = self.pikou.run(*self.args_of(ws), ws=ws, check=False)
        if code != 0:
            raise Failure("the re-run exited %d:\n%s%s" % (code, out[-3000:], err[-3000:]), ws)
        if self.name == "ingest":
            posted = out.count(": posted to ")
            skipped = out.count("already ingested")
            rerun = "re-run posted %d, skipped %d" % (posted, skipped)
        else:
            rerun = "re-run wrote %d" % sum(1 for l in out.splitlines() if l.startswith("wrote "))
        self.after(ws)
        differences = compare(self.reference, figures(self.pikou, ws, archive_names=self.name == "ingest"))
        line = "%-6s %2d/%d  kill at %5d ms: %s; %s%s; %s" % (
            self.name, i + 1, self.iterations, delay * 1000, what, after_kill, second, rerun)
        if differences:
            log(line + "  → MISMATCH")
            show_differences(differences)
            raise Failure("%s iteration %d differs from the uninterrupted run" % (self.name, i + 1), ws)
        log(line + "  → equal, check 0")
        return ws


def measure(pikou, args_of, ws, base, scratch):
    """The command's duration: the shorter of the reference run and one on a scratch copy (a
    busy moment of the machine should not push the kill moments past the end of the run)."""
    durations = []
    for target in (scratch, ws):
        if target == scratch:
            copy_workspace(base, scratch)
        start = time.monotonic()
        pikou.run(*args_of(target), ws=target)
        durations.append(time.monotonic() - start)
    shutil.rmtree(scratch)
    return min(durations)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--iterations", type=int, default=25, help="kills per command (default 25)")
    parser.add_argument("--payers", type=int, default=20000, help="synthetic payers (default 20000)")
    parser.add_argument("--seed", type=int, default=None, help="seed of the kill moments (default: random, printed)")
    parser.add_argument("--twice-every", type=int, default=5,
                        help="every Nth iteration also kills the first re-run (0: never; default 5)")
    parser.add_argument("--only", choices=["cycle", "ingest"], help="run one loop only")
    parser.add_argument("--keep", action="store_true", help="keep the workspaces")
    parser.add_argument("--workdir", help="where the workspaces go (default: a new folder in $TMPDIR)")
    parser.add_argument("--nice", type=int, default=10, help="niceness of the runs (default 10)")
    options = parser.parse_args()

    binary = os.path.abspath(os.environ.get("PIKOU") or os.path.join(REPO, ".build/debug/pikou"))
    formats = os.path.join(REPO, "Formats")
    if not os.access(binary, os.X_OK):
        sys.exit("crash-test: no pikou at %s (make build, or PIKOU=...)" % binary)
    if options.nice:
        os.nice(options.nice)
    seed = options.seed if options.seed is not None else random.SystemRandom().randrange(1 << 31)
    rng = random.Random(seed)
    pikou = Pikou(binary)
    if options.workdir:
        work = os.path.abspath(options.workdir)
        os.makedirs(work, exist_ok=True)
    else:
        work = tempfile.mkdtemp(prefix="pikou-crash-")
    began = time.monotonic()
    log("crash-test: %s, %d payers, %d iterations per command, seed %d, in %s" % (
        binary, options.payers, options.iterations, seed, work))
    log("  (again: python3 scripts/crash_test.py --seed %d --payers %d --iterations %d)" % (
        seed, options.payers, options.iterations))

    failed = None
    kept = []
    try:
        # 1. The uninterrupted run.
        ref = os.path.join(work, "ws-reference")
        if os.path.exists(ref):
            shutil.rmtree(ref)
        pikou.run("init", ref, "--test-keys", "--formats", formats)
        subprocess.run([sys.executable, os.path.join(REPO, "scripts/make_roster.py"), "--payers", str(options.payers),
                        "--seed", "1", "--out", os.path.join(ref, "input"), "--bad", "8"],
                       check=True, stdout=subprocess.DEVNULL)
        for folder, dirs, names in os.walk(os.path.join(ref, "input")):
            os.chmod(folder, 0o700)
            for name in names:
                os.chmod(os.path.join(folder, name), 0o600)
        # Exit 2: rows rejected, the 8 broken on purpose (they go to roster.csv.rejects.csv).
        code, out, err = pikou.run("roster", "import", os.path.join(ref, "input/roster.csv"), "--quiet", ws=ref, check=False)
        if code not in (0, 2) or "8 rejected" not in out:
            raise Failure("roster import exited %d:\n%s%s" % (code, out, err[-2000:]), ref)
        pikou.run("payments", "import", os.path.join(ref, "input/payments.csv"), ws=ref)
        before_cycle = os.path.join(work, "ws-before-cycle")
        copy_workspace(ref, before_cycle)
        scratch = os.path.join(work, "ws-timing")
        cycle_time = measure(pikou, lambda ws: cycle_args(), ref, before_cycle, scratch)
        simulate(pikou, ref)
        before_ingest = os.path.join(work, "ws-before-ingest")
        copy_workspace(ref, before_ingest)
        ingest_time = measure(pikou, ingest_args, ref, before_ingest, scratch)
        reference = figures(pikou, ref, archive_names=False)
        if reference["check.exit"] != 0:
            raise Failure("the uninterrupted run's check exited %d:\n%s" % (reference["check.exit"], reference["check.text"]), ref)
        ingest_reference = dict(reference, **{"archive.names": sorted(os.listdir(os.path.join(ref, "archive")))})
        total = reference.get("report[bank].total.lines"), reference.get("report[bank].total.lines_fen")
        log("reference: cycle run %.2f s, returns ingest %.2f s; %s lines, %.2f yuan; %d figures compared; check 0" % (
            cycle_time, ingest_time, total[0], (total[1] or 0) / 100, len(reference)))

        loops = []
        if options.only in (None, "cycle"):
            loops.append(Loop("cycle", before_cycle, lambda ws: cycle_args(),
                              lambda ws: (simulate(pikou, ws), pikou.run(*ingest_args(ws), ws=ws)),
                              pikou, cycle_time, work, reference, rng, options.iterations, options.twice_every))
        if options.only in (None, "ingest"):
            loops.append(Loop("ingest", before_ingest, ingest_args, lambda ws: None,
                              pikou, ingest_time, work, ingest_reference, rng, options.iterations, options.twice_every))
        for loop in loops:
            for i in range(options.iterations):
                try:
                    ws = loop.iteration(i)
                except Failure as failure:
                    if len(failure.args) == 1:
                        raise Failure("%s iteration %d: %s" % (loop.name, i + 1, failure.args[0]),
                                      os.path.join(work, "ws-%s-%02d" % (loop.name, i + 1)))
                    raise
                if options.keep:
                    kept.append(ws)
                else:
                    shutil.rmtree(ws)
                    for suffix in (".killed.out", ".killed2.out"):
                        if os.path.exists(ws + suffix):
                            os.remove(ws + suffix)
        log()
        for loop in loops:
            log("%-6s %d iterations, %d kills (%d runs finished before their kill), all equal to the uninterrupted run, check 0" % (
                loop.name, loop.iterations, loop.kills, loop.finished_first))
            log("       first kill in: " + ", ".join("%s %d" % (k, v) for k, v in loop.phases.items()))
            if loop.kills < min(20, loop.iterations):
                log("       warning: only %d kills: many runs ended before their kill moment (was the machine busy "
                    "while the durations were measured?)" % loop.kills)
        log("crash-test: passed in %.0f s (seed %d)" % (time.monotonic() - began, seed))
    except Failure as failure:
        failed = failure
    except subprocess.CalledProcessError as error:
        failed = Failure(str(error))
    if failed is not None:
        log()
        log("crash-test: FAILED (seed %d, after %.0f s): %s" % (seed, time.monotonic() - began, failed.args[0]))
        if len(failed.args) > 1:
            log("  workspace kept for inspection: %s (the killed run's output: %s.killed.out)" % (failed.args[1], failed.args[1]))
        log("  all workspaces kept in %s" % work)
        sys.exit(1)
    if not options.keep:
        shutil.rmtree(work)
    else:
        log("workspaces kept in %s" % work)


if __name__ == "__main__":
    main()
