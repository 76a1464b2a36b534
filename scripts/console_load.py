#!/usr/bin/env python3
"""The console under load: wrk against a month's workspace (make bench runs it on its largest city).

  python3 scripts/console_load.py --workspace bench/work/city-2000000/ws [--seconds 30] [--connections 64] [--out FILE]

Starts the release `pikou console` on a free loopback port, adds a bench user (an operator: whole IDs,
the heaviest pages), logs in once, then for each page:
  - the first request, timed alone (the figures are computed from the store: the "cold" time), and
  - wrk with --connections connections for --seconds seconds (2 threads, --latency),
recording requests/s, p50/p90/p99 latency, and errors (socket errors and non-2xx answers).
Pages: 总览, 网格进度 (districts), 失败明细 page 1 and its last page.
Target (issue 14): p99 <= 200 ms and no error on each, on a 2,000,000-payer store.
Needs wrk (Debian); `make bench` installs it.
"""
import argparse, http.cookiejar, json, os, re, shutil, subprocess, sys, tempfile, time, urllib.parse, urllib.request

from loopback import free_port, listening

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PIKOU = os.path.join(ROOT, ".build", "release", "pikou")
USER, PASSWORD = "bench-operator", "bench-password-2026"


def wait_for(port, seconds=60):
    if not listening(port, seconds):
        sys.exit(f"console load: nothing listens on 127.0.0.1:{port} after {seconds} s")


def log_in(base):
    """The session cookie of the bench user, through the login form as a browser would."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(base + "/login").read().decode()
    token = re.search(r'name="csrf" value="([0-9a-f]+)"', page).group(1)
    body = urllib.parse.urlencode({"csrf": token, "user": USER, "password": PASSWORD, "next": "/"}).encode()
    opener.open(base + "/login", data=body).read()
    session = next((c.value for c in jar if c.name == "pikou_session"), None)
    if not session:
        sys.exit("console load: the bench user could not log in")
    return session


def first_request(base, path, session):
    request = urllib.request.Request(base + path, headers={"Cookie": f"pikou_session={session}"})
    start = time.perf_counter()
    with urllib.request.urlopen(request, timeout=600) as response:
        body = response.read().decode()
        status = response.status
    return time.perf_counter() - start, status, body


def milliseconds(text):
    value, unit = re.match(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(value) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit]


def wrk(base, path, session, seconds, connections):
    out = subprocess.run(["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s", "--latency",
                          "-H", f"Cookie: pikou_session={session}", base + path], capture_output=True, text=True, check=True).stdout
    latency = dict(re.findall(r"^\s+(50|75|90|99)%\s+(\S+)", out, re.M))
    requests = int(re.search(r"(\d+) requests in", out).group(1))
    non2xx = int(m.group(1)) if (m := re.search(r"Non-2xx or 3xx responses: (\d+)", out)) else 0
    socket_errors = sum(int(x) for x in re.findall(r"(?:connect|read|write|timeout) (\d+)", out)) if "Socket errors" in out else 0
    return {"requests": requests, "requests_per_s": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
            "p50_ms": milliseconds(latency["50"]), "p90_ms": milliseconds(latency["90"]), "p99_ms": milliseconds(latency["99"]),
            "errors": non2xx + socket_errors}


def run(workspace, seconds=30, connections=64):
    """Loads the console on `workspace`; returns the figures per page."""
    if not shutil.which("wrk"):
        sys.exit("console load: wrk is missing (Debian: wrk; `make bench` installs it)")
    with tempfile.NamedTemporaryFile("w", delete=False) as f:
        f.write(PASSWORD + "\n")
        password_file = f.name
    os.chmod(password_file, 0o600)
    env = dict(os.environ, PIKOU_LANG="zh")
    added = subprocess.run([PIKOU, "users", "add", USER, "--role", "operator", "--password-file", password_file, "--workspace", workspace],
                           capture_output=True, text=True, env=env)
    if added.returncode != 0:
        subprocess.run([PIKOU, "users", "passwd", USER, "--password-file", password_file, "--workspace", workspace], check=True,
                       capture_output=True, env=env)
    os.unlink(password_file)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = tempfile.NamedTemporaryFile("w", delete=False, suffix=".log")
    server = subprocess.Popen([PIKOU, "console", "--workspace", workspace, "--listen", f"127.0.0.1:{port}"], stdout=log, stderr=subprocess.STDOUT, env=env)
    try:
        wait_for(port)
        session = log_in(base)
        failures_cold, _, first = first_request(base, "/failures", session)
        period = re.search(r'name="period" value="(\d{4}-\d{2})"', first).group(1)
        pages = int(re.search(r"第 1 / (\d+) 页", first).group(1))
        targets = [("总览", f"/?period={period}"), ("网格进度", f"/grid?period={period}"), ("失败明细 p.1", f"/failures?period={period}"),
                   (f"失败明细 p.{pages}", f"/failures?period={period}&page={pages}")]
        results = []
        for name, path in targets:
            cold, status, _ = first_request(base, path, session)
            if name == "失败明细 p.1":
                cold = failures_cold  # the page that told how many pages there are computed its figures
            figures = wrk(base, path, session, seconds, connections)
            figures.update(page=name, path=path, first_request_ms=round(cold * 1000, 1), first_status=status)
            results.append(figures)
            print(f"  {name:<14} first {cold * 1000:8.1f} ms   {figures['requests_per_s']:8.1f} req/s   p50 {figures['p50_ms']:7.2f} ms   "
                  f"p99 {figures['p99_ms']:7.2f} ms   errors {figures['errors']}", flush=True)
        rss = 0.0
        with open(f"/proc/{server.pid}/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    rss = int(line.split()[1]) / 1024
        return {"connections": connections, "seconds": seconds, "pages": results, "server_peak_rss_mb": round(rss, 1),
                "failure_pages": pages}
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--workspace", required=True)
    ap.add_argument("--seconds", type=int, default=30)
    ap.add_argument("--connections", type=int, default=64)
    ap.add_argument("--out", help="also write the figures as JSON to this file")
    args = ap.parse_args()
    figures = run(args.workspace, args.seconds, args.connections)
    worst = max(p["p99_ms"] for p in figures["pages"])
    errors = sum(p["errors"] for p in figures["pages"])
    print(f"worst p99 {worst:.1f} ms (target 200), errors {errors} (target 0), server peak RSS {figures['server_peak_rss_mb']} MB")
    if args.out:
        with open(args.out, "w") as f:
            json.dump(figures, f, indent=2, ensure_ascii=False)


if __name__ == "__main__":
    main()
