#!/usr/bin/env python3
"""Derives the broken return-file fixtures of each XML bank from its valid return.xml, and writes
invalid/expected.tsv (file, the one error code reading must give, its line).

  not-well-formed.xml  a record's end tag is missing (a file cut or mangled in transit)
  schema-invalid.xml   a value the bank's schema forbids (well-formed, but not a valid message)
  wrong-total.xml      the control sum is off by 0.10 yuan
  duplicate-id.xml     the second record repeats the first one's transaction id
  unknown-code.xml     the fourth record carries a reason code that is not in the bank's table
  tampered.xml         a valid signed file with one amount digit changed after signing
  unsigned.xml         a valid file without its ds:Signature
All but the first are signed by the bank as they are (a bank that sent a bad message), so the
signature checks and the defect itself is what reading reports; a not-well-formed file cannot
carry a signature anyone could check. Run by regenerate.sh.
"""
import re
import shutil
import subprocess

PIKOU = "../../.build/debug/pikou"
CONFIG = "../keys/pikou-test.yaml"
SIGNATURE = re.compile(rb"<ds:Signature .*?</ds:Signature>", re.S)


def sign(bank, path):
    subprocess.run([PIKOU, "file", "sign", "--formats", "../../Formats", "--config", CONFIG, "--bank", bank,
                    "--kind", "return", path], check=True, stdout=subprocess.DEVNULL)


def line_of(data, offset):
    return data.count(b"\n", 0, offset) + 1


def nth(data, needle, n):
    """Offset of the n-th (1-based) occurrence of needle."""
    offset = -1
    for _ in range(n):
        offset = data.index(needle, offset + 1)
    return offset


def replace_at(data, offset, old, new):
    assert data[offset:offset + len(old)] == old, (data[offset:offset + 40], old)
    return data[:offset] + new + data[offset + len(old):]


def broken(bank, record, parent, total_tag, id_first, id_second, code, unknown_code, schema_old, schema_new,
           amount_tag=None, detached=False):
    signed = open(f"{bank}/valid/return.xml", "rb").read()
    data = SIGNATURE.sub(b"", signed)
    expected = []
    out = {}

    # A record's end tag missing: libxml2 reports the mismatch where the parent closes.
    at = nth(data, b"</" + record + b">", 2)
    mangled = replace_at(data, at, b"</" + record + b">", b"")
    out["not-well-formed"] = None
    open(f"{bank}/invalid/not-well-formed.xml", "wb").write(mangled)
    if detached:
        # A detached signature covers any bytes: the bank signed what it mangled, and the XML itself is at fault.
        sign(bank, f"{bank}/invalid/not-well-formed.xml")
    expected.append(("not-well-formed.xml", "xml.notWellFormed", line_of(mangled, mangled.index(b"</" + parent + b">"))))

    at = nth(data, schema_old, 1)
    out["schema-invalid"] = replace_at(data, at, schema_old, schema_new)
    expected.append(("schema-invalid.xml", "xml.schemaInvalid", line_of(data, at)))

    at = data.index(b"<" + total_tag + b">") + len(total_tag) + 2
    end = data.index(b"<", at)
    total = data[at:end]
    whole, fraction = total.split(b".")
    fen = int(whole) * 100 + int(fraction) + 10
    out["wrong-total"] = data[:at] + b"%d.%02d" % (fen // 100, fen % 100) + data[end:]
    expected.append(("wrong-total.xml", "file.totalMismatch", line_of(data, at)))

    at = nth(data, id_second, 1)
    out["duplicate-id"] = replace_at(data, at, id_second, id_first)
    record_start = data.rindex(b"<" + record, 0, at)
    expected.append(("duplicate-id.xml", "file.duplicateSequence", line_of(data, record_start)))

    at = nth(data, code, 1)
    out["unknown-code"] = replace_at(data, at, code, unknown_code)
    record_start = data.rindex(b"<" + record, 0, at)
    expected.append(("unknown-code.xml", "return.unmappedResultCode", line_of(data, record_start)))

    for name, content in out.items():
        if content is None:
            continue
        path = f"{bank}/invalid/{name}.xml"
        open(path, "wb").write(content)
        sign(bank, path)

    # One amount digit changed after signing.
    tampered = bytearray(signed)
    if amount_tag:
        at = signed.index(b"<" + amount_tag + b">")
    else:
        at = signed.index(b"Amount") if b"<Amount>" in signed else signed.index(b"InstdAmt Ccy")
    at = signed.index(b">", at) + 1
    tampered[at] = tampered[at] + 1 if tampered[at] < 0x39 else 0x31
    open(f"{bank}/invalid/tampered.xml", "wb").write(bytes(tampered))
    if detached:
        # The bank's .sig beside the changed file: the signature no longer matches (said for the file, no line).
        shutil.copy(f"{bank}/valid/return.xml.sig", f"{bank}/invalid/tampered.xml.sig")
        expected.append(("tampered.xml", "signature.invalid", "-"))
    else:
        expected.append(("tampered.xml", "signature.invalid", line_of(signed, signed.index(b"<ds:Signature"))))

    open(f"{bank}/invalid/unsigned.xml", "wb").write(data)
    expected.append(("unsigned.xml", "signature.missing", "-"))

    with open(f"{bank}/invalid/expected.tsv", "w") as f:
        for row in expected:
            f.write("\t".join(str(c) for c in row) + "\n")


broken("ISO20022", b"TxInfAndSts", b"OrgnlPmtInfAndSts", b"OrgnlCtrlSum",
       b"<OrgnlEndToEndId>1<", b"<OrgnlEndToEndId>2<",
       b"<Cd>AC06</Cd>", b"<Cd>AC99</Cd>",
       b"<TxSts>ACSC</TxSts>", b"<TxSts>DONE</TxSts>")
broken("WHRCB", b"Item", b"Items", b"TotalAmount",
       b'SeqNo="1"', b'SeqNo="2"',
       b"<Code>E102</Code>", b"<Code>E777</Code>",
       b"<Period>202612</Period>", b"<Period>202613</Period>")
# Namespaced names (r:Line, @r:code), the answer in attributes, a detached raw SM2 signature.
broken("HBNX", b"r:Line", b"r:Lines", b"r:Total",
       b'r:seq="000001"', b'r:seq="000002"',
       b'r:code="0102"', b'r:code="0555"',
       b'r:seq="000003"', b'r:seq="3"',
       amount_tag=b"r:Amount", detached=True)
