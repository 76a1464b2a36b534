#!/usr/bin/env python3
"""No English in a person's day: the English-leak test (issue 31).

Runs, in Chinese (the default language), what a bureau's people meet:
  * the whole demo, both schemes (scripts/demo.sh and scripts/demo_residents.sh, small), through a
    wrapper that keeps everything pikou prints;
  * the everyday commands and mistakes the demo does not make (a file that does not exist, a card
    number that fails its check digit, a payer not in the roster, keys, lists, CSV for finance, ...);
  * the files a person opens: every CSV and XLSX the demo writes for people, and the rejects files;
  * every console page for every role (operator, finance, auditor, admin), crawled from 总览 by its
    links, and the files its download links give.

It fails on any line or cell holding a Latin word of three or more letters outside a short, reviewed
allow-list (ALLOWED below: bank codes, units, names of standards), after taking out (STRIP below) what
is not prose: a command in backticks or a `pikou ...` line, a value in quotes as the person wrote it or
must write it ('dental', 'tier'), an error's stable code ([roster.invalid]), a certificate's subject
(the issuer's words), a path or file name, an option and its placeholder (--period <period>), a hash,
an identifier with digits. A program's output (`--columns keys`, JSON) is not read. It prints every
leak with where it was seen, then the count: `English leaks: 0` is the target. A scanner self-check
runs first, so that a scanner that finds nothing fails too.

Usage: python3 scripts/english_leak_test.py [--keep] [--limit N]   (needs .build/debug/pikou)
"""
import argparse
import csv
import html.parser
import http.cookiejar
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import urllib.error
import urllib.parse
import urllib.request
import zipfile

from loopback import free_port, listening

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PIKOU = os.path.join(ROOT, ".build", "debug", "pikou")

# Latin words a Chinese reader meets as they are, each with why. Compared case-insensitively.
ALLOWED = {
    # The banks' own codes (Formats/banks/*.yaml are added at start) and standards' names.
    "iso": "ISO 20022, a standard's name",
    "sepa": "a standard's name",
    "sha": "SHA-256, an algorithm's name",
    "rsa": "an algorithm's name",
    "gbk": "an encoding's name",
    "utf": "UTF-8, an encoding's name",
    "csv": "a file type",
    "xlsx": "a file type",
    "json": "a file type",
    "xml": "a file type",
    "sftp": "a protocol's name",
    "ssh": "a protocol's name",
    "totp": "two-step codes' standard",
    "app": "手机 App, as said in Chinese",
    "test": "TEST keys: the demo's keys say so in capitals on purpose",
    "pikou": "the program's name",
    "sqlite": "the store's product name",
    "postgresql": "the store's product name",
    "pem": "a key file's type",
    "csr": "证书请求 (CSR), as named in Chinese",
    "cer": "a certificate file's type",
    "txt": "a file type",
    "excel": "a product's name (旧版 Excel)",
    "sig": "a signature file's extension (.sig 文件)",
    "utc": "a time zone's name",
    "mib": "a unit",
    "yyyy": "YYYY-MM, the form of a period people type",
    "ctrl": "Ctrl+P, a key on the keyboard (the print view's hint)",
    "p7s": "a CMS signature file's extension (.p7s 文件)",
}

WORD = re.compile(r"[A-Za-z]{3,}")
# Taken out before looking for words: a pikou command line (to the end of its clause), an option, a
# path or file name, a hash, an e-mail-like or URL-like token, a YAML key in a spec's own words.
STRIP = [
    re.compile(r"`[^`\n]*`"),                                         # `pikou exceptions list`, `--limit`
    re.compile(r"'[^'\n]*'"),                                         # a value as the person wrote it or must write it: 'dental', 'tier'
    re.compile(r"\[[a-z]+(?:\.[A-Za-z]+)+\]"),                          # an error's stable code: [roster.invalid]
    re.compile(r"\b(?:CN|O|OU|C|L|ST)=[^,，\n]*"),                       # a certificate's subject, the issuer's own words
    re.compile(r"https?://\S+"),
    re.compile(r"(?:[\w.@+<>-]*/)+[\w.@+<>-]*"),                         # paths
    re.compile(r"[\w@+-]+(?:\.[\w@+-]+)*\.(?:csv|xlsx|txt|xml|sig|yaml|yml|sqlite|pem|cer|csr|log|HP|json|dat|key|crt|zip)\b", re.I),
    re.compile(r"(?:\./)?pikou(?:\s+(?:--?[\w-]+(?:=\S+)?|[\w./@:=<>-]+))*"),  # pikou command lines
    re.compile(r"--[A-Za-z][\w-]*(?:=\S+)?"),                         # options
    re.compile(r"<[a-z][\w-]*>"),                                      # an option's value placeholder: <period>
    re.compile(r"\b[0-9a-f]{16,}\b"),                                 # hashes
    re.compile(r"\b[A-Za-z_]*\d[\w-]*"),                               # identifiers with digits: WHBOC000001157, sm3
]


def strip(text):
    for pattern in STRIP:
        text = pattern.sub(" ", text)
    return text


class Leaks:
    def __init__(self, allowed):
        self.allowed = allowed
        self.found = []  # (where, line, words)
        self.seen = set()

    def scan(self, where, text):
        for line in text.splitlines():
            words = [w for w in WORD.findall(strip(line)) if w.lower() not in self.allowed]
            if words:
                key = re.sub(r"\d+", "#", " ".join(sorted(set(words))) + " " + strip(line).strip())[:200]
                if key in self.seen:
                    continue
                self.seen.add(key)
                self.found.append((where, line.strip()[:240], words))


# ---- the CLI, through a wrapper ------------------------------------------------------------------

WRAPPER = """#!/usr/bin/env bash
# Runs pikou and keeps what it printed, with the command, in $PIKOU_LEAK_LOG.
out=$(mktemp); err=$(mktemp)
"$PIKOU_LEAK_REAL" "$@" >"$out" 2>"$err"; rc=$?
{ printf '\\x1e$ pikou %s\\n' "$*"; cat "$out" "$err"; } >> "$PIKOU_LEAK_LOG"
cat "$out"; cat "$err" >&2; rm -f "$out" "$err"; exit $rc
"""


def cli_log_scan(leaks, log):
    with open(log, encoding="utf-8", errors="replace") as f:
        records = f.read().split("\x1e")
    for record in records:
        if not record.strip():
            continue
        command, _, output = record.partition("\n")
        leaks.scan(command[:90], output)


def run(env, *args, ok=(0,)):
    result = subprocess.run(["pikou", *args], capture_output=True, text=True, env=env)
    if ok is not None and result.returncode not in ok:
        sys.exit(f"english_leak_test: pikou {' '.join(args)} exited {result.returncode}: {result.stderr[-600:]}")
    return result


def everyday(env, ws, res, tmp):
    """What people run or get wrong that the demo does not show."""
    failures = run(env, "failures", "list", "--period", "2026-12", "--show-ids", "--workspace", ws).stdout.splitlines()
    payer = failures[1].split()[2] if len(failures) > 2 else "110105194912310029"
    for args, ok in [
        (["roster", "import", os.path.join(tmp, "nosuch.csv"), "--workspace", ws], None),
        (["agreements", "update", "--payer", payer, "--account", "6225760000000001", "--actor", "张经办", "--workspace", ws], None),
        (["payer", "show", "11010519491231002X", "--workspace", ws], None),
        (["payer", "show", "110105194912310021", "--workspace", ws], None),
        (["payer", "show", payer, "--period", "2026-12", "--workspace", ws], (0,)),
        (["keys", "show", "--workspace", ws], None),
        (["status", "--workspace", ws], None),
        (["failures", "list", "--workspace", ws], None),
        (["failures", "list", "--format", "csv", "--workspace", ws], None),
        (["exceptions", "list", "--state", "all", "--workspace", ws], None),
        (["exceptions", "list", "--state", "all", "--format", "csv", "--workspace", ws], None),
        (["report", "--period", "2026-12", "--workspace", ws], None),
        (["report", "--period", "2026-12", "--format", "csv", "--workspace", ws], None),
        (["report", "--period", "2026-12", "--by", "district", "--format", "csv", "--workspace", ws], None),
        (["lists", "notice", "--period", "2026-12", "--workspace", ws], None),
        (["lists", "interrupted", "--months", "1", "--workspace", ws], None),
        (["lists", "refunds", "--period", "2026-12", "--workspace", ws], None),
        (["users", "list", "--workspace", ws], None),
        (["journal", "head", "--workspace", ws], None),
        (["doctor", "--workspace", ws], None),
        (["formats", "list"], None),
        (["report", "--scheme", "residents-annual", "--year", "2027", "--by", "file", "--workspace", res], None),
        (["report", "--scheme", "residents-annual", "--year", "2027", "--format", "csv", "--workspace", res], None),
        (["groups", "import", "--group", "低保", os.path.join(tmp, "bad-group.csv"), "--workspace", res], None),
        (["roster", "import", os.path.join(tmp, "bad-roster.csv"), "--workspace", res], None),
        (["payments", "import", os.path.join(tmp, "bad-payments.csv"), "--workspace", ws], None),
        (["cycle", "run", "--period", "2026-13", "--workspace", ws], None),
        (["resubmit", "--period", "2026-12", "--dry-run", "--date", "2026-12-24", "--workspace", ws], None),
        (["exceptions", "resolve", "999", "--note", "查无此条", "--workspace", ws], None),
        (["agreements", "revoke", "--payer", payer, "--reason", "x", "--workspace", ws], None),
        (["keys", "show", os.path.join(ROOT, "Fixtures", "keys", "test-bank-sm2.cert.pem")], None),
        (["status", "--wide", "--workspace", ws], None),
    ]:
        run(env, *args, ok=ok)
    # A return file altered after the bank signed it: the ingest refuses it, saying why.
    inbox = os.path.join(ws, "inbox", "BOC")
    answered = sorted(n for n in os.listdir(inbox) if not n.endswith(".sig"))[0]
    tampered = os.path.join(tmp, "tampered", "BOC")
    os.makedirs(tampered)
    for name in (answered, answered + ".sig"):
        if os.path.exists(os.path.join(inbox, name)):
            shutil.copy(os.path.join(inbox, name), tampered)
    with open(os.path.join(tampered, answered), "r+b") as f:
        f.seek(200)
        byte = f.read(1)
        f.seek(200)
        f.write(b"9" if byte != b"9" else b"8")
    run(env, "returns", "ingest", os.path.join(tampered, answered), "--workspace", ws, ok=None)


def tampered_store(env, ws, tmp):
    """Someone with the database file: a result's amount changed by hand; `check` names it, in Chinese."""
    copy = os.path.join(tmp, "tampered-city")
    shutil.copytree(ws, copy)
    subprocess.run(["sqlite3", os.path.join(copy, "pikou.sqlite"), "DROP TRIGGER results_append_only_update; UPDATE results SET amount_fen = amount_fen + 1 WHERE id = 1"],
                   check=True, capture_output=True)
    run(env, "check", "--workspace", copy, ok=None)


def bad_inputs(tmp):
    """A group list and a roster as people get them wrong."""
    with open(os.path.join(tmp, "bad-group.csv"), "w", encoding="utf-8") as f:
        f.write("id_number,valid_from,valid_to,issuer\n110105194912310021,2027-01-01,2027-12-31,民政局\n"
                "not-an-id,2027-01-01,2027-12-31,民政局\n")
    with open(os.path.join(tmp, "bad-payments.csv"), "w", encoding="utf-8") as f:
        f.write("id_number,insurance,period,amount_fen,channel,reference\n110105194912310021,dental,2026-12,-5,post,R1\n")
    with open(os.path.join(tmp, "bad-roster.csv"), "w", encoding="utf-8") as f:
        f.write("id_number,name,phone,bank,account,account_name,district,street,community,scheme,insurances,tier\n"
                "110105194912310021,测试甲,13800000000,BOC,6216610000000000001,测试甲,江岸区,一街,一社区,residents-annual,dental,A\n")


# ---- files people open ---------------------------------------------------------------------------

def xlsx_text(path):
    with zipfile.ZipFile(path) as z:
        parts = [n for n in z.namelist() if n.startswith("xl/") and n.endswith(".xml") and ("sheet" in n or "sharedStrings" in n)]
        text = []
        for name in parts:
            xml = z.read(name).decode("utf-8", errors="replace")
            text += [html.unescape(t) for t in re.findall(r"<t[^>]*>([^<]*)</t>", xml)]
        workbook = z.read("xl/workbook.xml").decode("utf-8", errors="replace")
        text += re.findall(r'<sheet name="([^"]*)"', workbook)
        return "\n".join(text)


def files_scan(leaks, roots):
    for root in roots:
        for folder, dirs, names in os.walk(root):
            dirs[:] = [d for d in dirs if d not in ("outbox", "inbox", "archive", "keys", "console")]
            for name in names:
                path = os.path.join(folder, name)
                shown = os.path.relpath(path, os.path.dirname(root))
                if name.endswith(".xlsx"):
                    leaks.scan(shown, xlsx_text(path))
                elif name.endswith(".csv") and not folder.endswith("input") and "groups" not in folder:
                    with open(path, encoding="utf-8", errors="replace") as f:
                        leaks.scan(shown, f.read())
                elif name.endswith(".csv") and name.endswith("rejects.csv"):
                    # Pikou's columns (行, 字段, 原因); the field names a column of the person's own
                    # file, and the rest of each row is that file's row, echoed to be fixed.
                    with open(path, encoding="utf-8-sig", errors="replace") as f:
                        rows = list(csv.reader(f))
                    leaks.scan(shown, "\n".join(",".join(row[:1] + row[2:3]) for row in rows))


# ---- the console ---------------------------------------------------------------------------------

class PageText(html.parser.HTMLParser):
    """The text a person reads on a page: text nodes, titles, placeholders, buttons' values."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.text, self.links, self.skip = [], [], 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("style", "script"):
            self.skip += 1
        for key in ("title", "placeholder", "alt", "aria-label"):
            if attrs.get(key):
                self.text.append(attrs[key])
        if tag == "input" and attrs.get("type") in ("submit", "button") and attrs.get("value"):
            self.text.append(attrs["value"])
        if tag == "a" and attrs.get("href", "").startswith("/"):
            self.links.append(attrs["href"])

    def handle_endtag(self, tag):
        if tag in ("style", "script"):
            self.skip -= 1

    def handle_data(self, data):
        if not self.skip and data.strip():
            self.text.append(data.strip())


ROUTES = ["/grid", "/failures", "/exceptions", "/payer", "/agreements", "/resubmit", "/reports", "/audit", "/trends", "/users",
          "/failures/export?format=csv", "/nosuch"]


def console_scan(leaks, env, ws, limit):
    password = os.path.join(ws, "leak-password")
    with open(password, "w") as f:
        f.write("leak-test-2026\n")
    os.chmod(password, 0o600)
    roles = {"operator": "王经办", "finance": "李财务", "auditor": "赵审计", "admin": "钱管理"}
    for role, name in roles.items():
        run(env, "users", "add", name, "--role", role, "--password-file", password, "--workspace", ws, ok=None)
    port = free_port()
    server = subprocess.Popen([PIKOU, "console", "--workspace", ws, "--listen", f"127.0.0.1:{port}"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    pages, routes = 0, {}
    try:
        if not listening(port, 60):
            sys.exit("english_leak_test: the console did not start: " + server.stderr.read(2000).decode(errors="replace"))
        base = f"http://127.0.0.1:{port}"
        for role, name in roles.items():
            jar = http.cookiejar.CookieJar()
            opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
            login = opener.open(base + "/login").read().decode()
            leaks.scan(f"console /login", " ".join(text_of(login)[0]))
            token = re.search(r'name="csrf" value="([0-9a-f]+)"', login).group(1)
            body = urllib.parse.urlencode({"csrf": token, "user": name, "password": "leak-test-2026", "next": "/"}).encode()
            opener.open(base + "/login", body).read()
            # Every page by its address too, so that a role also reads the pages it may not open.
            queue, seen, per_route = ["/"] + ROUTES, set(), {}
            routes[role] = per_route
            while queue and pages < limit * len(roles):
                path = queue.pop(0)
                if path in seen:
                    continue
                seen.add(path)
                route = path.split("?")[0]
                if per_route.get(route, 0) >= 6:
                    continue
                per_route[route] = per_route.get(route, 0) + 1
                try:
                    answer = opener.open(base + path)
                    status, body, kind = answer.status, answer.read(), answer.headers.get("Content-Type", "")
                except urllib.error.HTTPError as error:
                    status, body, kind = error.code, error.read(), error.headers.get("Content-Type", "")
                pages += 1
                where = f"console[{role}] {os.path.basename(ws)} {path[:80]}"
                if "html" in kind:
                    text, links = text_of(body.decode("utf-8", errors="replace"))
                    leaks.scan(where, "\n".join(text))
                    queue += [link for link in links if link not in seen and not link.startswith("/static/")]
                    # A form's pages the links do not reach: the revocation's confirmation, for a payer shown here.
                    for payer in re.findall(r"/payer\?id=([0-9X]{18})", "\n".join(links))[:1]:
                        if f"/agreements/revoke?id={payer}" not in seen:
                            queue.append(f"/agreements/revoke?id={payer}")
                elif "csv" in kind or path.endswith(".csv"):
                    leaks.scan(where, decoded(body))
                elif "spreadsheet" in kind:
                    file = os.path.join(ws, "leak-download.xlsx")
                    with open(file, "wb") as f:
                        f.write(body)
                    leaks.scan(where, xlsx_text(file))
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    for role, visited in routes.items():
        print(f"console[{role}]: " + ", ".join(f"{route} ×{count}" for route, count in sorted(visited.items())))
    return pages


def decoded(body):
    """A CSV as people open it: UTF-8, else GBK (the 旧版 Excel download)."""
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        return body.decode("gbk", errors="replace")


def text_of(page):
    parser = PageText()
    parser.feed(page)
    return parser.text, parser.links


def self_check(allowed):
    """The scanner itself: English must be found, and what is allowed must pass."""
    leaks = Leaks(allowed)
    for line in ["check: OK — money balances per file", "cycle: done in 0.44 s", "钱表相符: 相符 MATCH — 扣款文件 12 个",
                 "字段 'tier'：unknown pension tier", "console.login", "<td>role auditor</td>"]:
        before = len(leaks.found)
        leaks.scan("self-check", line)
        if len(leaks.found) == before:
            sys.exit(f"english_leak_test: the scanner misses English in {line!r}")
    clean = Leaks(allowed)
    for line in ["钱表相符：相符 — 扣款文件 12 个", "用 `pikou exceptions list` 查看", "roster.csv:23: 错误：字段 'insurance'：'dental' 不是 [roster.invalid]",
                 "已写出 /tmp/x/report-2026-12.xlsx：7 个分组", "协议号：WHBOC000001157", "BOC 发件箱 SFTP 正常", "CN=Pikou TEST bank sm2 (not for production)，有效期至"]:
        clean.scan("self-check", line)
    if clean.found:
        sys.exit(f"english_leak_test: the scanner flags allowed text: {clean.found}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--keep", action="store_true", help="leave the workspaces and the log")
    parser.add_argument("--limit", type=int, default=120, help="console pages per role (default 120)")
    options = parser.parse_args()
    if not os.access(PIKOU, os.X_OK):
        sys.exit(f"english_leak_test: build first ({PIKOU} missing)")
    tmp = tempfile.mkdtemp(prefix="pikou-leak-")
    os.chmod(tmp, 0o700)
    bindir = os.path.join(tmp, "bin")
    os.mkdir(bindir)
    wrapper = os.path.join(bindir, "pikou")
    with open(wrapper, "w") as f:
        f.write(WRAPPER)
    os.chmod(wrapper, 0o755)
    log = os.path.join(tmp, "cli.log")
    env = {k: v for k, v in os.environ.items() if k not in ("PIKOU_LANG", "LANGUAGE")}
    env.update({"PATH": bindir + os.pathsep + env.get("PATH", ""), "PIKOU_LEAK_REAL": PIKOU, "PIKOU_LEAK_LOG": log,
                "PIKOU": wrapper, "LANG": "C.UTF-8"})
    ws, res = os.path.join(tmp, "city"), os.path.join(tmp, "county")
    allowed = dict(ALLOWED)
    for spec in os.listdir(os.path.join(ROOT, "Formats", "banks")):
        allowed[spec.rsplit(".", 1)[0].lower()] = "a bank's code"
    self_check(allowed)
    try:
        for script, extra in (("demo.sh", {"PAYERS": "2000", "PIKOU_DEMO_WORKSPACE": ws}),
                              ("demo_residents.sh", {"RESIDENTS": "3000", "PIKOU_DEMO_WORKSPACE": res})):
            done = subprocess.run(["bash", os.path.join(ROOT, "scripts", script)], env={**env, **extra}, cwd=ROOT,
                                  capture_output=True, text=True)
            if done.returncode != 0:
                sys.exit(f"english_leak_test: {script} failed ({done.returncode}):\n{done.stdout[-1500:]}\n{done.stderr[-1500:]}")
        bad_inputs(tmp)
        everyday(env, ws, res, tmp)
        leaks = Leaks(allowed)
        files_scan(leaks, [ws, res])
        pages = console_scan(leaks, env, ws, options.limit) + console_scan(leaks, env, res, options.limit)
        tampered_store(env, ws, tmp)
        cli_log_scan(leaks, log)
        for where, line, words in leaks.found:
            print(f"{where}: {', '.join(sorted(set(words)))}\n    {line}")
        print(f"English leaks: {len(leaks.found)} (commands, files and {pages} console pages read, in Chinese)")
        return 1 if leaks.found else 0
    finally:
        if options.keep:
            print(f"kept: {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
