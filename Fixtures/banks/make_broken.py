#!/usr/bin/env python3
"""Derives the broken return-file fixtures of each bank from its valid return.txt.

Each broken file has exactly one defect, so that reading it gives one specific diagnostic:
  bad-length.txt           line 5 has one byte too many (fixed) or one field too few (delimited)
  wrong-total.txt          the summary record's total is off by 0.10 yuan
  unknown-code.txt         line 4 carries a result code that is not in the bank's table
  truncated-last-line.txt  the file stops in the middle of its last line
  wrong-encoding.txt       the file was re-encoded (GBK <-> UTF-8)
  tampered.txt             a valid signed file with one byte changed after signing
  unsigned.txt             a valid file without its signature (.sig file or signature line)
The first five are signed by the bank as they are (a bank that sent a malformed file), so the
signature checks and the defect itself is what reading reports; for a bank whose signature is a
trailer line, truncation loses that line, as it would in transit. Run by regenerate.sh.
"""
import os, shutil, subprocess

PIKOU = "../../.build/debug/pikou"
CONFIG = "../keys/pikou-test.yaml"
TRAILER = {"CCB": b"<SIGN>", "HKB": b"SIGN;"}

def sign(bank, path):
    subprocess.run([PIKOU, "file", "sign", "--formats", "../../Formats", "--config", CONFIG, "--bank", bank,
                    "--kind", "return", path], check=True, stdout=subprocess.DEVNULL)

def strip_signature(bank, data):
    """The signed payload: a trailer signature line removed."""
    if bank not in TRAILER:
        return data
    body = data.rstrip(b"\r\n")
    start = body.rfind(b"\n") + 1
    assert body[start:].startswith(TRAILER[bank])
    return data[:start]

EOL = b"\r\n"

def lines_of(data):
    lines = data.split(EOL)
    return lines[:-1] if lines[-1] == b"" else lines

def join(lines):
    return b"".join(l + EOL for l in lines)

def broken(bank, enc, mutate_length, mutate_total, code_edit, eol=b"\r\n"):
    global EOL
    EOL = eol
    signed = open(f"{bank}/valid/return.txt", "rb").read()
    data = strip_signature(bank, signed)
    lines = lines_of(data)
    out = {}
    l = list(lines); l[4] = mutate_length(l[4]); out["bad-length"] = join(l)
    l = list(lines); idx, new = mutate_total(l); l[idx] = new; out["wrong-total"] = join(l)
    l = list(lines); l[3] = code_edit(l[3]); out["unknown-code"] = join(l)
    end = len(data) - (len(EOL) if data.endswith(EOL) else 0)
    truncated = data[: end - len(lines[-1]) // 2]
    text = data.decode(enc)
    if enc in ("gbk", "gb18030"):
        out["wrong-encoding"] = text.encode("utf-8")
    else:
        out["wrong-encoding"] = text.encode("utf-8-sig").decode("utf-8-sig").encode("gbk")
    if bank not in TRAILER:
        out["truncated-last-line"] = truncated
    for name, content in out.items():
        path = f"{bank}/invalid/{name}.txt"
        open(path, "wb").write(content)
        sign(bank, path)
    if bank in TRAILER:
        open(f"{bank}/invalid/truncated-last-line.txt", "wb").write(truncated)
    # One changed byte after signing: an amount digit on line 3.
    tampered = bytearray(signed)
    third = signed.index(b"\n", signed.index(b"\n") + 1) + 1
    for i in range(third + 1, len(tampered)):
        if 0x30 <= tampered[i] <= 0x38:
            tampered[i] += 1
            break
    open(f"{bank}/invalid/tampered.txt", "wb").write(bytes(tampered))
    if bank not in TRAILER:
        shutil.copy(f"{bank}/valid/return.txt.sig", f"{bank}/invalid/tampered.txt.sig")
    open(f"{bank}/invalid/unsigned.txt", "wb").write(data)

def boc_total(lines):
    t = lines[-1]
    total = int(t[9:24]) + 10
    return len(lines) - 1, t[:9] + str(total).zfill(15).encode() + t[24:]

def boc_code(line):
    # result_code sits after 140 bytes of the debit detail.
    return line[:140] + b"7777" + line[144:]

def ccb_total(lines):
    parts = lines[0].split(b"|")
    parts[5] = b"%.2f" % (float(parts[5]) + 0.10)
    return 0, b"|".join(parts)

def ccb_code(line):
    parts = line.split(b"|")
    parts[8] = b"ZZ"; parts[9] = "其他错误".encode("gbk")
    return b"|".join(parts)

def icbc_total(lines):
    parts = lines[-1].split(b",")
    parts[2] = str(int(parts[2]) + 10).encode()
    return len(lines) - 1, b",".join(parts)

def icbc_code(line):
    parts = line.split(b",")
    parts[7] = b"F"; parts[8] = "未知错误".encode("utf-8")
    return b",".join(parts)

broken("BOC", "gbk", lambda l: l[:60] + b" " + l[60:], boc_total, boc_code)
broken("CCB", "gbk", lambda l: l.replace(b"|", b"", 1), ccb_total, ccb_code)
broken("ICBC", "utf-8-sig", lambda l: l.replace(b",", b"", 1), icbc_total, icbc_code)

def hkb_total(lines):
    parts = lines[0].split(b";")
    parts[3] = b"%.2f" % (float(parts[3]) + 0.10)
    return 0, b";".join(parts)

def hkb_code(line):
    parts = line.split(b";")
    parts[3] = b"555"; parts[4] = "暂停服务".encode("gb18030")
    return b";".join(parts)

broken("HKB", "gb18030", lambda l: l.replace(b";", b"", 1), hkb_total, hkb_code, eol=b"\n")

def hubb_total(lines):
    # The header's grouped, quoted total: "10,264.60" -> "10,264.70".
    parts = lines[0].split(b',"')
    whole, fraction = parts[1].rstrip(b'"').replace(b",", b"").split(b".")
    fen = int(whole) * 100 + int(fraction) + 10
    return 0, parts[0] + b',"' + "{:,}.{:02d}".format(fen // 100, fen % 100).encode() + b'"'

def hubb_code(line):
    # A well-formed four-digit code the table does not map: a line for review.
    assert b',0000,"' in line
    return line.replace(b',0000,"', b',0555,"', 1)

broken("HUBB", "gbk", lambda l: l.replace(b",", b"", 1), hubb_total, hubb_code)
