#!/usr/bin/env python3
"""The console in a real browser: headless Chromium driven over WebDriver (chromedriver).

A small month is prepared with the built pikou (2,000 synthetic payers, every bank answered by the
simulator), an operator and a finance user are added, and `pikou console` is started on a free
loopback port. The browser then does what an operator and a finance officer do in a day:

  log in · 总览 · 网格进度 and a drill into a district · 失败明细 filtered by outcome · 重扣 preview
  and confirm · 异常处理 resolve with a note · 短信通知 · 报表下载 the XLSX · 审计日志 (refused to the operator)

and each page is saved as a screenshot under .build/console-screenshots/. Any step that does not
find what it expects fails the run (exit 1) naming the step.

Needs chromium and chromium-driver (Debian); `make test` installs them. Usage:
  python3 scripts/console_browser_test.py [--keep]      (--keep leaves the workspace for a look)
"""
import base64
import json
import re
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

from loopback import free_port, listening

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PIKOU = os.path.join(ROOT, ".build", "debug", "pikou")
SHOTS = os.path.join(ROOT, ".build", "console-screenshots")
ELEMENT = "element-6066-11e4-a52e-4f735466cecf"


class Failure(Exception):
    pass


def run(*args):
    result = subprocess.run([PIKOU, *args], capture_output=True, text=True)
    if result.returncode != 0:
        raise Failure(f"pikou {' '.join(args)} failed ({result.returncode}): {result.stderr.strip()[-800:]}")
    return result.stdout


def bank_files(ws, folder="outbox"):
    """Every (bank, file) in the workspace's outbox (or inbox) now."""
    top = os.path.join(ws, folder)
    if not os.path.isdir(top):
        return set()
    return {(bank, name) for bank in os.listdir(top) if os.path.isdir(os.path.join(top, bank)) for name in os.listdir(os.path.join(top, bank))}


def answer(ws, seed, skip=frozenset()):
    """Each bank answers each debit file of the outbox but those in `skip` (30 % failing): the return files made."""
    before = bank_files(ws, "inbox")
    for bank, name in sorted(bank_files(ws) - set(skip)):
        if name.endswith((".sig", ".p7s")) or name.startswith("."):
            continue
        run("bank", "simulate", "--workspace", ws, "--bank", bank, os.path.join(ws, "outbox", bank, name),
            "--out", os.path.join(ws, "inbox", bank), "--seed", str(seed), "--fail-rate", "0.3")
    return [os.path.join(ws, "inbox", bank, name) for bank, name in sorted(bank_files(ws, "inbox") - before)
            if not name.endswith((".sig", ".p7s"))]


def prepare(ws):
    """A month on 2,000 payers, answered and ingested; users 张经办 (operator) and 李财务 (finance)."""
    run("init", ws, "--test-keys")
    subprocess.run([sys.executable, os.path.join(ROOT, "scripts", "make_roster.py"), "--payers", "2000", "--seed", "1", "--bad", "0",
                    "--out", os.path.join(ws, "input")], check=True, capture_output=True)
    run("roster", "import", os.path.join(ws, "input", "roster.csv"), "--workspace", ws)
    run("cycle", "run", "--period", "2026-12", "--date", "2026-12-01", "--workspace", ws)
    # Exit status 1 (MISMATCH while exceptions are open) is expected here.
    subprocess.run([PIKOU, "returns", "ingest", "--workspace", ws, *answer(ws, seed=7)], capture_output=True, text=True)
    run("notify", "plan", "--kind", "debit_failed", "--period", "2026-12", "--date", "2026-12-20", "--workspace", ws)
    password = os.path.join(ws, "browser-password")
    with open(password, "w") as f:
        f.write("browser-test-2026\n")
    os.chmod(password, 0o600)
    # A county's residents too (300, one round answered): 网格进度's villages and their door-to-door lists.
    county = os.path.join(ws, "input-residents")
    subprocess.run([sys.executable, os.path.join(ROOT, "scripts", "make_residents.py"), "--residents", "300", "--seed", "3", "--out", county],
                   check=True, capture_output=True)
    run("roster", "import", os.path.join(county, "residents.csv"), "--workspace", ws, "--quiet")
    before = bank_files(ws)
    run("cycle", "run", "--scheme", "residents-annual", "--year", "2027", "--date", "2026-10-15", "--workspace", ws, "--quiet")
    subprocess.run([PIKOU, "returns", "ingest", "--workspace", ws, *answer(ws, seed=5, skip=before)], capture_output=True, text=True)
    run("users", "add", "张经办", "--role", "operator", "--password-file", password, "--workspace", ws)
    run("users", "add", "李财务", "--role", "finance", "--password-file", password, "--workspace", ws)
    run("users", "add", "王管理", "--role", "admin", "--password-file", password, "--workspace", ws)


class Browser:
    """Just enough of the W3C WebDriver protocol."""

    def __init__(self, driver_port, downloads):
        self.base = f"http://127.0.0.1:{driver_port}"
        caps = {"capabilities": {"alwaysMatch": {"browserName": "chrome", "goog:chromeOptions": {
            "binary": shutil.which("chromium") or "/usr/bin/chromium",
            "args": ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--window-size=1366,768", "--lang=zh-CN"],
            "prefs": {"download.default_directory": downloads, "download.prompt_for_download": False,
                      "intl.accept_languages": "zh-CN,zh"}}}}}
        self.session = self.call("POST", "/session", caps)["sessionId"]

    def call(self, method, path, body=None):
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.base + path, data=data, method=method, headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                return json.loads(response.read() or b"{}").get("value")
        except urllib.error.HTTPError as error:
            raise Failure(f"WebDriver {method} {path}: {error.read().decode(errors='replace')[:400]}")

    def s(self, method, path, body=None):
        return self.call(method, f"/session/{self.session}{path}", body)

    def go(self, url):
        self.s("POST", "/url", {"url": url})

    def find(self, css):
        return self.s("POST", "/element", {"using": "css selector", "value": css})[ELEMENT]

    def type(self, css, text):
        element = self.find(css)
        self.s("POST", f"/element/{element}/clear", {})
        self.s("POST", f"/element/{element}/value", {"text": text})

    def click(self, css):
        self.s("POST", f"/element/{self.find(css)}/click", {})

    def source(self):
        return self.s("GET", "/source")

    def page(self, *marks, seconds=15):
        """The page's source once it holds every one of `marks` (a form's answer may still be loading)."""
        deadline = time.time() + seconds
        while True:
            page = self.source()
            if all(mark in page for mark in marks) or time.time() > deadline:
                return page
            time.sleep(0.2)

    def url(self):
        return self.s("GET", "/url")

    def run(self, script):
        """`script`'s value in the page (WebDriver's, not the page's: the console itself runs no script)."""
        return self.s("POST", "/execute/sync", {"script": script, "args": []})

    def shot(self, name):
        os.makedirs(SHOTS, exist_ok=True)
        with open(os.path.join(SHOTS, name + ".png"), "wb") as f:
            f.write(base64.b64decode(self.s("GET", "/screenshot")))

    def close(self):
        try:
            self.call("DELETE", f"/session/{self.session}")
        except Exception:
            pass


def expect(step, condition, detail=""):
    if not condition:
        raise Failure(f"{step}: {detail}")
    print(f"  ok  {step}")


def wait_for(port, seconds=30):
    if not listening(port, seconds):
        raise Failure(f"nothing listens on 127.0.0.1:{port} after {seconds} s")


def walk(b, base, downloads):
    b.go(base + "/")
    expect("without a session, the login page", "/login" in b.url() and "登录" in b.source())
    b.type("input[name=user]", "张经办")
    b.type("input[name=password]", "browser-test-2026")
    b.click("form[action='/login'] button")
    page = b.page("<h1>总览</h1>")
    expect("log in as 张经办 (operator): 总览", "<h1>总览</h1>" in page and "钱表相符" in page and "<svg" in page, b.url())
    b.shot("1-overview")

    b.click("nav a[href='/grid']")
    expect("网格进度 by district", "<h1>网格进度</h1>" in b.page("<h1>网格进度</h1>"))
    b.click("td a[href^='/grid?period=']")
    page = b.page("小计")
    expect("drill into a district: its streets and a subtotal", "小计" in page and "<th>街道</th>" in page)
    b.shot("2-grid-district")

    # The residents' villages: one opens its door-to-door list, on screen and in its print view.
    b.go(base + "/grid?scheme=residents-annual&year=2027&level=community")
    b.page("/grid/unpaid")
    b.click("td a[href^='/grid/unpaid']")
    page = b.page("未缴费名单")
    expect("a village's door-to-door list", "年度城乡居民两险未缴费名单" in page and "网格员（签字）" in page and "公示期" in page, b.url())
    b.shot("2b-door-to-door")
    b.s("POST", "/goog/cdp/execute", {"cmd": "Emulation.setEmulatedMedia", "params": {"media": "print"}})
    shown = b.run("return [getComputedStyle(document.querySelector('header')).display, getComputedStyle(document.querySelector('h1.printonly')).display,"
                  " getComputedStyle(document.querySelector('p.tabs')).display, document.querySelector('p.signatures').innerText]")
    expect("its print view: no console around it, the title, the signature lines",
           shown[0] == "none" and shown[1] == "block" and shown[2] == "none" and "网格员" in shown[3], f"{shown}")
    b.shot("2c-door-to-door-print")
    pdf = base64.b64decode(b.s("POST", "/print", {"orientation": "landscape"}))
    expect("it prints (A4 landscape, a PDF)", pdf.startswith(b"%PDF"), f"{pdf[:16]!r}")
    with open(os.path.join(SHOTS, "2d-door-to-door.pdf"), "wb") as f:
        f.write(pdf)
    b.s("POST", "/goog/cdp/execute", {"cmd": "Emulation.setEmulatedMedia", "params": {"media": ""}})

    b.click("nav a[href='/failures']")
    b.click("select[name=outcome] option[value=insufficientFunds]")
    b.click("form[action='/failures'] button")
    page = b.page("outcome=insufficientFunds")
    expect("失败明细 filtered to 余额不足", "outcome=insufficientFunds" in b.url() and "余额不足" in page and "共 " in page)
    b.shot("3-failures")

    # The busiest page on an office screen: fifteen rows or more in view, no ID, card, bank or period wrapped.
    b.go(base + "/failures?period=2026-12")
    b.page("<h1>失败明细</h1>")
    seen = b.run("""const rows = [...document.querySelectorAll('table.compact tbody tr')];
        const tallest = Math.max(...rows.map(r => r.getBoundingClientRect().height));
        return {height: window.innerHeight, width: window.innerWidth, rows: rows.length, tallest: tallest,
                inView: rows.filter(r => r.getBoundingClientRect().bottom <= window.innerHeight).length};""")
    expect(f"失败明细 at {seen['width']}×{seen['height']}: {seen['inView']} rows in view, none wrapped",
           seen["inView"] >= 15 and seen["tallest"] < 30, json.dumps(seen))
    b.shot("3b-failures-1366x768")
    first_id = re.search(r'href="/payer\?id=([0-9X]{18})"', b.source()).group(1)
    b.type("input[name=q]", first_id)
    b.click("form[action='/failures'] button")
    page = b.page("q=" + first_id)
    expect("失败明细 searched by ID", first_id in page and "共 " in page)
    b.click("input[type=checkbox][form=bulk]")
    b.type("form#bulk input[name=note]", "已电话通知（浏览器测试）")
    b.click("form#bulk button[value=note]")
    expect("a note on the ticked row, journaled", "已为 1 笔失败扣款添加备注" in b.page("添加备注（记入日志"))
    b.go(base + "/failures?period=2026-12")
    b.click("a[href*='/failures/export'][href*='format=xlsx']")
    deadline, exported = time.time() + 30, None
    while time.time() < deadline and not exported:
        exported = next((n for n in os.listdir(downloads) if n.endswith("失败明细.xlsx")), None)
        time.sleep(0.3)
    expect("失败明细 exported as XLSX", exported is not None, f"downloads: {os.listdir(downloads)}")

    b.go(base + "/resubmit?period=2026-12")
    page = b.page("将写出")
    expect("重扣 preview: what would be written, by bank", "将写出" in page and "可立即重扣" in page and "form method=\"post\" action=\"/resubmit\"" in page)
    b.shot("4-resubmit-preview")
    b.click("form.confirm button")
    page = b.page("已写出并签名")
    expect("重扣 confirmed: files written and signed", "已写出并签名" in page, page[-600:])
    b.shot("5-resubmit-done")

    b.go(base + "/exceptions")
    page = b.page("<h1>异常处理</h1>")
    expect("异常处理 lists open exceptions", "<h1>异常处理</h1>" in page and "form method=\"post\" action=\"/exceptions\"" in page)
    b.type("form.inline input[name=note]", "已与银行核实（浏览器测试）")
    b.click("form.inline button")
    page = b.page("（张经办")
    expect("an exception resolved with a note", "已处理" in page and "已与银行核实（浏览器测试）（张经办" in page)
    b.shot("6-exceptions")

    # 撤销协议: a confirmation page naming what changes, with a required reason.
    b.go(base + f"/agreements?id={first_id}")
    b.click("form[action='/agreements/revoke'] button")
    page = b.page("<h1>确认撤销协议</h1>")
    expect("撤销协议 asks for confirmation and a reason", "不可撤回" in page and 'name="reason"' in page)
    b.shot("6b-revoke-confirm")
    b.type("input[name=reason]", "本人来电要求解约（浏览器测试）")
    b.click("form.confirm button[value=revoke]")
    expect("the revocation done, back on the payer's page", "<h1>缴费人查询</h1>" in b.page("<h1>缴费人查询</h1>"))

    b.click("nav a[href='/trends']")
    page = b.page("<h1>趋势</h1>")
    expect("趋势: success rate, failures by reason, resubmissions, as SVG with tables", page.count("<svg") >= 3 and "重扣成功率" in page)
    b.shot("6c-trends")

    b.click("nav a[href='/notices']")
    page = b.page("<h1>短信通知</h1>")
    expect("短信通知: the outbox counted by kind, period and state", "扣款失败" in page and "2026-12" in page and "待发送" in page)
    b.click("a[href*='/notices?kind=debit_failed'][href*='state=planned']")
    page = b.page("<option value=\"planned\" selected>")
    expect("短信通知: a count opens its notices, the text in Chinese", "【示范市税务局】" in page and "共 " in page)
    b.shot("6d-notices")

    b.go(base + "/reports")
    b.shot("7-downloads")
    b.click("a[href*='what=xlsx']")
    deadline, found = time.time() + 30, None
    while time.time() < deadline and not found:
        done = [n for n in os.listdir(downloads) if n.endswith(".xlsx")]
        found = done[0] if done else None
        time.sleep(0.3)
    expect("报表下载: the XLSX arrives", found is not None, f"downloads: {os.listdir(downloads)}")
    with open(os.path.join(downloads, found), "rb") as f:
        expect("the XLSX is a workbook (zip)", f.read(2) == b"PK")

    b.go(base + "/audit")
    expect("审计日志 refused to an operator", "无权访问" in b.page("无权访问"))
    b.click("header form.who button")
    b.page("form method=\"post\" action=\"/login\"")
    b.type("input[name=user]", "李财务")
    b.type("input[name=password]", "browser-test-2026")
    b.click("form[action='/login'] button")
    page = b.page("<h1>总览</h1>")
    expect("finance: no 重扣 in the navigation", "href=\"/resubmit\"" not in page and "<h1>总览</h1>" in page)
    b.go(base + "/failures")
    page = b.page("<h1>失败明细</h1>")
    expect("finance: failures with IDs and accounts masked", "********" in page and not re.search(r"\d{17}[\dX]", page))
    b.go(base + "/payer")
    b.shot("8-payer-search")
    expect("finance: no 用户管理", "href=\"/users\"" not in b.source())

    b.click("header form.who button")
    b.page("form method=\"post\" action=\"/login\"")
    b.type("input[name=user]", "王管理")
    b.type("input[name=password]", "browser-test-2026")
    b.click("form[action='/login'] button")
    b.page("<h1>总览</h1>")
    b.click("nav a[href='/users']")
    page = b.page("<h1>用户管理</h1>")
    expect("admin: 用户管理 lists the users", "张经办" in page and "李财务" in page)
    b.type("form.filters input[name=name]", "赵审计")
    b.click("form.filters select[name=role] option[value=auditor]")
    b.type("form.filters input[name=password]", "browser-test-2027")
    b.type("form.filters input[name=again]", "browser-test-2027")
    b.click("form.filters button[value=add]")
    expect("admin: a user added", "已新增用户 赵审计" in b.page("已新增用户"))
    b.shot("9-users")


def main():
    keep = "--keep" in sys.argv
    for tool in ("chromium", "chromedriver"):
        if not shutil.which(tool):
            print(f"console browser test: {tool} is missing (Debian: chromium chromium-driver; `make test` installs them)")
            return 1
    if not os.path.exists(PIKOU):
        print(f"console browser test: build pikou first ({PIKOU})")
        return 1
    ws_root = tempfile.mkdtemp(prefix="pikou-browser-")
    ws, downloads = os.path.join(ws_root, "ws"), os.path.join(ws_root, "downloads")
    os.makedirs(downloads)
    processes, browser = [], None
    try:
        print("console browser test: preparing a month of 2,000 payers")
        prepare(ws)
        port, driver_port = free_port(), free_port()
        log = open(os.path.join(ws_root, "console.log"), "w")
        processes.append(subprocess.Popen([PIKOU, "console", "--workspace", ws, "--listen", f"127.0.0.1:{port}", "--date", "2026-12-20"],
                                          stdout=log, stderr=subprocess.STDOUT))
        processes.append(subprocess.Popen(["chromedriver", f"--port={driver_port}"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        wait_for(port)
        wait_for(driver_port)
        browser = Browser(driver_port, downloads)
        walk(browser, f"http://127.0.0.1:{port}", downloads)
        print(f"console browser test: passed; screenshots in {os.path.relpath(SHOTS, ROOT)}/")
        return 0
    except (Failure, OSError, subprocess.SubprocessError) as failure:
        print(f"console browser test: FAILED: {failure}")
        if browser:
            try:
                browser.shot("failed")
                print(f"  the page at the failure: {os.path.relpath(SHOTS, ROOT)}/failed.png")
            except Exception:
                pass
        return 1
    finally:
        if browser:
            browser.close()
        for process in processes:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
        if keep:
            print(f"workspace kept: {ws}")
        else:
            shutil.rmtree(ws_root, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
