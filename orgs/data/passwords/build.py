"""Rebuild `breached.txt.gz` and `words.txt.gz` from their sources (see README.md).

    python orgs/data/passwords/build.py PASSWORDS_JSON FI_PACKAGE_SRC

PASSWORDS_JSON is `src/passwords.json` of the npm package @zxcvbn-ts/language-common
(4.1.3); FI_PACKAGE_SRC is the `src/` folder of @zxcvbn-ts/language-fi (3.0.2). Django's
list comes from the installed Django. The output is sorted, lower case and
deterministic (gzip without a time stamp), so a rebuild from the same sources gives the
same bytes.
"""

import csv
import gzip
import json
import sys
from pathlib import Path

import django

HERE = Path(__file__).resolve().parent
ORGS_DATA = HERE.parent


def normalise(value: str) -> str:
    return value.strip().casefold()


def write_list(path: Path, values: set[str]) -> None:
    body = "".join(f"{value}\n" for value in sorted(values)).encode("utf-8")
    with open(path, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, filename="") as handle:
        handle.write(body)
    print(f"{path.name}: {len(values)} entries, {path.stat().st_size} bytes")


def django_common_passwords() -> set[str]:
    path = Path(django.__file__).parent / "contrib" / "auth" / "common-passwords.txt.gz"
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        return {normalise(line) for line in handle if line.strip()}


def reference_place_names() -> set[str]:
    names = set()
    for filename, columns in [
        ("municipalities.csv", ["name_fi", "name_sv", "name_en"]),
        ("regions.csv", ["name_fi", "name_sv"]),
        ("welfare_areas.csv", ["short_name_fi", "short_name_sv"]),
    ]:
        with open(ORGS_DATA / filename, encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                names.update(normalise(row[column]) for column in columns if row.get(column))
    return names


def project_words() -> set[str]:
    lines = (HERE / "finnish_swedish.txt").read_text(encoding="utf-8").splitlines()
    return {normalise(line) for line in lines if line.strip() and not line.startswith("#")}


def main(passwords_json: str, fi_src: str) -> None:
    breached = {normalise(value) for value in json.loads(Path(passwords_json).read_text(encoding="utf-8"))}
    breached |= django_common_passwords()
    breached.discard("")

    words = project_words() | reference_place_names()
    for name in ("femaleFirstnames", "maleFirstnames"):
        words |= {normalise(value) for value in json.loads((Path(fi_src) / f"{name}.json").read_text(encoding="utf-8"))}
    words = {word for word in words if len(word) >= 3}

    write_list(HERE / "breached.txt.gz", breached)
    write_list(HERE / "words.txt.gz", words)


if __name__ == "__main__":
    main(*sys.argv[1:3])
