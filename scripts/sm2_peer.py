#!/usr/bin/env python3
"""An independent SM2 implementation (Python `gmssl`, from PyPI) signing and verifying as a bank's
SDK would: SM3 with the default distinguishing ID 1234567812345678, the signature as raw r||s
(64 bytes) or DER. The interop tests run it against Pikou's files (Tests/BankFormatsTests).

  sm2_peer.py sign   --key KEY.pem --passphrase-file F --data FILE --encoding raw|der   (prints base64)
  sm2_peer.py verify --cert CERT.pem --data FILE --signature SIG.b64 --encoding raw|der  (exit 0 valid, 1 not)

Keys are read with the openssl command line (never printed). Needs `pip install gmssl` (make test
puts it in .build/test-venv).
"""
import argparse, base64, re, subprocess, sys

from gmssl import sm2


def hex_block(text, label):
    """The colon-separated hex after `label:` in `openssl pkey -text` output."""
    match = re.search(label + r":\s*\n((?:\s+[0-9a-f:]+\n)+)", text)
    if not match:
        sys.exit(f"sm2_peer: no {label} in openssl's output")
    return re.sub(r"[\s:]", "", match.group(1))


def public_xy(text):
    pub = hex_block(text, "pub")
    if not pub.startswith("04") or len(pub) != 130:
        sys.exit("sm2_peer: not an uncompressed SM2 public key")
    return pub[2:]


def peer(private_hex, public_hex, der):
    crypt = sm2.CryptSM2(private_key=private_hex, public_key=public_hex, asn1=der)
    # gmssl strips a leading "04" with str.lstrip, which also eats an x coordinate starting with 0 or 4.
    crypt.public_key = public_hex
    return crypt


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("action", choices=["sign", "verify"])
    ap.add_argument("--key")
    ap.add_argument("--passphrase-file")
    ap.add_argument("--cert")
    ap.add_argument("--data", required=True)
    ap.add_argument("--signature")
    ap.add_argument("--encoding", choices=["raw", "der"], required=True)
    args = ap.parse_args()
    data = open(args.data, "rb").read()
    der = args.encoding == "der"
    if args.action == "sign":
        text = subprocess.run(["openssl", "pkey", "-in", args.key, "-passin", f"file:{args.passphrase_file}", "-noout", "-text"],
                              capture_output=True, text=True, check=True).stdout
        crypt = peer(hex_block(text, "priv"), public_xy(text), der)
        signature = bytes.fromhex(crypt.sign_with_sm3(data))
        print(base64.b64encode(signature).decode())
        return 0
    pem = subprocess.run(["openssl", "x509", "-in", args.cert, "-noout", "-pubkey"], capture_output=True, text=True, check=True).stdout
    text = subprocess.run(["openssl", "pkey", "-pubin", "-noout", "-text"], input=pem, capture_output=True, text=True, check=True).stdout
    crypt = peer("00", public_xy(text), der)
    signature = base64.b64decode(open(args.signature, "rb").read())
    if not der and len(signature) != 64:
        return 1
    try:
        valid = crypt.verify_with_sm3(signature.hex(), data)
    except Exception:
        valid = False
    return 0 if valid else 1


if __name__ == "__main__":
    sys.exit(main())
