#!/usr/bin/env python3
"""The docs are tests (issue 30): what docs/operations.md and the README's "The monthly cycle" tell a
bureau to run is run, from an installed copy, as a bureau would.

1. `make install` into a temporary PREFIX (INSTALL_CONFIG=debug: the build `make test` just made).
2. Every ```sh block of both, in order, each in its own `bash -e -o pipefail`, from `/`, with `env -i`:
   PATH is PREFIX/bin then /usr/bin:/bin (the system's tools; never the checkout, never
   /usr/local/bin), a fresh HOME, LANG=C.UTF-8. The documents' /usr/local, /srv/pikou, /etc/pikou and
   /backup stand for folders of this run's own. A block the docs mark
   `<!-- docs-test: skip — reason -->` is left out (the reason is printed); one marked
   `<!-- docs-test: provides … -->` gets the bank certificates it names, made as a bank would.
3. The installed crontab's jobs on the rehearsal workspace, with cron's environment (the file's own
   variables, `\\%` unescaped).
4. The bureau's production workspace the docs made (its own keys, certificates requested and the
   banks' imported): the examples' roster, then each systemd unit's ExecStart as systemd runs it
   (WorkingDirectory, Environment=, LoadCredential= through CREDENTIALS_DIRECTORY, `%%` unescaped),
   the banks played with their own keys (`bank simulate --bank-key`), the answers ingested.
5. Both months end in 相符 and `pikou check` OK.

A command that fails fails the test (exit 1) naming the document, the block's line and its output.
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MARKER = re.compile(r"<!--\s*docs-test:\s*(skip|provides)\s*[—-]?\s*(.*?)\s*-->")


def blocks(path, section=None):
    """(line, text, marker) of each ```sh block of `path` (of `section` only, a `## ` heading)."""
    lines = open(path, encoding="utf-8").read().split("\n")
    found, inside, start, body, marker, current = [], False, 0, [], None, None
    for number, line in enumerate(lines, 1):
        if line.startswith("## "):
            current = line[3:].strip()
        if inside:
            if line.strip() == "```":
                inside = False
                if section is None or current == section:
                    found.append((start, "\n".join(body), marker))
                marker = None
            else:
                body.append(line)
            continue
        match = MARKER.search(line)
        if match:
            marker = (match.group(1), match.group(2))
        elif line.strip() == "```sh":
            inside, start, body = True, number, []
        elif line.strip() and not line.startswith("<!--"):
            marker = None if line.startswith("#") else marker
    return found


def main():
    tmp = tempfile.mkdtemp(prefix="pikou-docs-")
    prefix, world = os.path.join(tmp, "prefix"), os.path.join(tmp, "world")
    home = os.path.join(world, "home")
    for folder in (home, os.path.join(world, "srv/pikou"), os.path.join(world, "etc/pikou")):
        os.makedirs(folder, mode=0o700)
    subs = [("/usr/local", prefix), ("/srv/pikou", world + "/srv/pikou"), ("/etc/pikou", world + "/etc/pikou"),
            ("/backup", world + "/backup")]

    def localize(text):
        for old, new in subs:
            text = re.sub(r"(?<![\w.-])" + re.escape(old) + r"(?=[/\s'\"]|$)", new, text)
        return text

    env = {"PATH": prefix + "/bin:/usr/bin:/bin", "HOME": home, "LANG": "C.UTF-8", "USER": "pikou", "LOGNAME": "pikou"}
    print(f"docs_test: make install PREFIX={prefix}", flush=True)
    subprocess.run(["make", "--no-print-directory", "install", f"PREFIX={prefix}", "INSTALL_CONFIG=debug"], cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL)
    failures = []

    def run(label, script, cwd="/", environment=None, ok=(0,)):
        result = subprocess.run(["bash", "-e", "-o", "pipefail", "-c", script], cwd=cwd, env=environment or env,
                                capture_output=True, text=True, timeout=600)
        status = "ok" if result.returncode in ok else f"FAILED (exit {result.returncode})"
        print(f"docs_test: {label}: {status}", flush=True)
        if result.returncode not in ok:
            failures.append(label)
            print(localize_back(script), "\n--- stdout\n" + result.stdout[-4000:] + "\n--- stderr\n" + result.stderr[-4000:])
        return result

    def localize_back(text):
        for old, new in subs:
            text = text.replace(new, old)
        return text

    documents = [(os.path.join(ROOT, "docs/operations.md"), None), (os.path.join(ROOT, "README.md"), "The monthly cycle")]
    for path, section in documents:
        name = os.path.relpath(path, ROOT)
        for line, text, marker in blocks(path, section):
            if marker and marker[0] == "skip":
                print(f"docs_test: {name}:{line}: skipped — {marker[1]}")
                continue
            if marker and marker[0] == "provides":
                provide_bank_certificates(prefix, world + "/srv/pikou/from-banks", env)
            run(f"{name}:{line}", localize(text))

    rehearsal = world + "/srv/pikou/rehearsal"
    # cron: the installed crontab's jobs, as cron runs them.
    crontab = open(os.path.join(prefix, "share/pikou/cron/pikou.crontab"), encoding="utf-8").read()
    cron_env = {"HOME": home, "SHELL": "/bin/sh", "LOGNAME": "pikou", "USER": "pikou", "PATH": "/usr/bin:/bin"}
    jobs = []
    for line in crontab.split("\n"):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        assignment = re.match(r"^([A-Z_]+)=(.*)$", line)
        if assignment:
            cron_env[assignment.group(1)] = rehearsal if assignment.group(1) == "PIKOU_WORKSPACE" else assignment.group(2)
            continue
        command = line.split(None, 5)[5].replace("\\%", "%")
        jobs.append(command)
    for command in jobs:
        exchange = " send" in command or " fetch" in command
        result = run(f"cron: {command.split('>>')[0].strip()}", command, cwd=home, environment=cron_env, ok=(0, 1) if exchange else (0, 3, 4))
        if exchange and result.returncode == 1:
            # The rehearsal has no bank SFTP server (the exchange's own tests run a real sshd): the job
            # must say where to configure one, in the log its line names.
            log = re.search(r'>> "\$PIKOU_WORKSPACE/(logs/\w+\.log)"', command)
            said = open(os.path.join(rehearsal, log.group(1)), encoding="utf-8").read() if log else result.stderr
            if "sftp" not in said.lower():
                failures.append(f"cron {command}: exit 1 without naming the SFTP configuration")
    # The bureau's workspace, in production mode on the keys the docs made, requested and imported:
    # the examples' roster, then the units as systemd runs them (below), the banks played with their
    # own keys (from-banks/, never in the workspace), the answers ingested, 相符 and check OK.
    production = world + "/srv/pikou/ws"
    examples = prefix + "/share/pikou/examples"
    run("production: roster and payments", f"pikou roster import {examples}/roster.csv && pikou payments import {examples}/payments.csv",
        cwd=production)
    # systemd: each unit's ExecStart in its WorkingDirectory, with its Environment= and credentials.
    credentials = os.path.join(world, "credentials")
    os.makedirs(credentials, mode=0o700)
    systemd = os.path.join(prefix, "share/pikou/systemd")
    # The cycle first, as its timer fires first; the exchange's units then say where SFTP is configured.
    for unit in sorted(os.listdir(systemd), key=lambda name: (name != "pikou-cycle.service", name)):
        if not unit.endswith(".service"):
            continue
        text = open(os.path.join(systemd, unit), encoding="utf-8").read()
        unit_env = {"PATH": "/usr/bin:/bin", "HOME": home, "LANG": "C.UTF-8", "CREDENTIALS_DIRECTORY": credentials}
        for value in re.findall(r"^Environment=(.*)$", text, re.M):
            key, _, val = value.partition("=")
            unit_env[key] = val
        ok = [0] + [int(x) for x in " ".join(re.findall(r"^SuccessExitStatus=(.*)$", text, re.M)).split()]
        exec_start = re.search(r"^ExecStart=(.*)$", text, re.M).group(1).replace("%%", "%")
        if not re.search(r"^WorkingDirectory=/srv/pikou/ws$", text, re.M) or not re.search(r"^UMask=0077$", text, re.M):
            failures.append(f"{unit}: WorkingDirectory=/srv/pikou/ws and UMask=0077 expected")
        exchange = unit in ("pikou-send.service", "pikou-fetch.service")
        result = subprocess.run(["/bin/sh", "-c", "exec " + exec_start], cwd=production, env=unit_env, capture_output=True, text=True, timeout=600)
        good = result.returncode in ok or (exchange and result.returncode == 1 and "sftp" in (result.stdout + result.stderr).lower())
        print(f"docs_test: systemd {unit}: {'ok' if good else 'FAILED'} (exit {result.returncode})", flush=True)
        if not good:
            failures.append(unit)
            print(result.stdout[-3000:], result.stderr[-3000:])
    banks = world + "/srv/pikou/from-banks"
    run("production: the banks answer, signed with their own keys", f"""
        ls outbox/*/* | grep -q .                       # the cycle unit wrote this month's files
        for file in outbox/*/*; do
          case "$file" in *.sig) continue ;; esac
          bank=$(basename "$(dirname "$file")")
          pikou bank simulate --bank "$bank" "$file" --out "inbox/$bank" --seed 11 \\
            --bank-key "{banks}/$bank.key.pem" --bank-passphrase-file "{banks}/passphrase" > /dev/null
        done
        pikou returns ingest $(ls inbox/*/* | grep -v '\\.sig$')
        """, cwd=production)
    # Each month ends in 相符, check OK.
    run("rehearsal: report 2026-12 相符", "pikou report --period 2026-12 --workspace " + rehearsal + " | grep 相符")
    run("rehearsal: check", "pikou check --workspace " + rehearsal)
    run("production: report 相符", f'pikou report --period "$(date +%Y-%m)" --workspace {production} | grep 相符')
    run("production: check", "pikou check --workspace " + production)
    if failures:
        print("docs_test: FAILED: " + "; ".join(failures))
        sys.exit(1)
    shutil.rmtree(tmp, ignore_errors=True)
    print("docs_test: every documented command ran from the installed copy")


BANKS = (("BOC", "sm2"), ("CCB", "rsa"), ("HKB", "sm2"), ("ICBC", "rsa"), ("ISO20022", "rsa"), ("WHRCB", "sm2"), ("HUBB", "rsa"), ("HBNX", "sm2"))


def provide_bank_certificates(prefix, folder, env):
    """The banks' certificates the docs import, each of the algorithm its bank signs with, made as a
    bank makes them; the banks' private keys stay here, in from-banks/, for the test to play the banks."""
    if os.path.exists(os.path.join(folder, "BOC.cert.pem")):
        return
    os.makedirs(folder, mode=0o700, exist_ok=True)
    for name, algorithm in BANKS:
        subprocess.run([prefix + "/bin/pikou", "keys", "generate", "--algorithm", algorithm, "--out", folder, "--name", name,
                        "--subject", f"/C=CN/O=示例银行/CN={name} 批扣回盘签名", "--passphrase-file", folder + "/passphrase"],
                       env=env, check=True, stdout=subprocess.DEVNULL)


if __name__ == "__main__":
    main()
