"""Peak memory of importing a survey export, against the export's size.

Writes a REDCap raw export of the asked size (a realistic one: record id,
survey timestamp, 20 item columns with codes 1-5, 10 free-text fields of
another form and the ``*_complete`` column; or ``--shape items``: the record
id and 20 item columns only, the worst case) into a temporary folder, then
imports it in a fresh interpreter with :func:`allykit.surveys.load_redcap_export`
and prints the peak resident memory the import added (``ru_maxrss`` after,
minus before) and its ratio to the file's size. ``--format surveyjs``
writes the same answers as a SurveyJS results array (JSON, which is still
read whole) and imports it with :func:`allykit.surveys.load_surveyjs_results`.

The result itself (one ``dict`` per respondent) is part of the peak: about
40 bytes per mapped answer whatever the importer does, which is the floor
for an export of one-character answers and commas (the ``items`` shape).

    python benchmarks/bench_import_memory.py --mb 20 --mb 100

Measured (issue 21, Python 3.11, Linux): before streaming, the realistic
20 MB export peaked at +171 MB (8.5x) and the items-only one at +548 MB
(27.4x); after, the realistic 20 MB and 100 MB exports peak at +40 MB and
+199 MB (2.0x both), and the items-only 20 MB one at +322 MB (16.1x), of
which the result's 448,565 dicts are about 290 MB. SurveyJS results (read
whole): +71 MB for 20 MB and +359 MB for 100 MB (3.5x and 3.6x).
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
from pathlib import Path

ITEMS = 20
_CHILD = """
import resource, sys, time
from allykit.surveys import load_redcap_export, load_surveyjs_results
fields = {{f"q{{k}}": f"item-{{k}}" for k in range({items})}}
load = load_surveyjs_results if sys.argv[1].endswith(".json") else load_redcap_export
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
start = time.perf_counter()
imported = load(
    sys.argv[1], fields=fields, id_column="record_id", strict=False,
    ignore=["other_*", "form_*"],
)
seconds = time.perf_counter() - start
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(len(imported.rows), (after - before) * 1024, seconds)
"""


def write_export(path: Path, megabytes: float, shape: str) -> int:
    """Write a REDCap raw export of about *megabytes* MB; return its size."""
    chance = random.Random(1)
    target = int(megabytes * 1024 * 1024)
    items = [f"q{k}" for k in range(ITEMS)]
    if shape == "items":
        header = ["record_id", *items]
    else:
        others = [f"other_{k}" for k in range(10)]
        header = ["record_id", "form_timestamp", *items, *others, "form_complete"]
    written = 0
    with path.open("w", encoding="utf-8", newline="") as out:
        line = ",".join(header) + "\n"
        out.write(line)
        written += len(line)
        record = 1
        while written < target:
            codes = [str(chance.randint(1, 5)) for _ in items]
            if shape == "items":
                cells = [str(record), *codes]
            else:
                stamp = f"2026-0{chance.randint(1, 9)}-1{chance.randint(0, 9)} 10:22:13"
                texts = [
                    f"free text answer number {chance.randint(0, 10**6)}"
                    for _ in range(10)
                ]
                cells = [str(record), stamp, *codes, *texts, "2"]
            line = ",".join(cells) + "\n"
            out.write(line)
            written += len(line)
            record += 1
    return path.stat().st_size


def write_results(path: Path, megabytes: float) -> int:
    """Write a SurveyJS results array of about *megabytes* MB; return its size."""
    chance = random.Random(1)
    target = int(megabytes * 1024 * 1024)
    written = 0
    with path.open("w", encoding="utf-8") as out:
        out.write("[")
        record = 1
        while written < target:
            result = {
                "record_id": str(record),
                **{f"q{k}": chance.randint(1, 5) for k in range(ITEMS)},
                **{
                    f"other_{k}": f"free text answer number {chance.randint(0, 10**6)}"
                    for k in range(10)
                },
            }
            text = ("," if record > 1 else "") + json.dumps(result)
            out.write(text)
            written += len(text)
            record += 1
        out.write("]")
    return path.stat().st_size


def measure(path: Path) -> tuple[int, int, float]:
    """Import *path* in a fresh interpreter: (rows, added peak bytes, seconds)."""
    out = subprocess.run(
        [sys.executable, "-c", _CHILD.format(items=ITEMS), str(path)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    return int(out[0]), int(out[1]), float(out[2])


def main() -> None:
    """Write each export, import it, print the peak against the size."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--mb", type=float, action="append", default=None)
    parser.add_argument("--shape", choices=["realistic", "items"], default="realistic")
    parser.add_argument("--format", choices=["redcap", "surveyjs"], default="redcap")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        for megabytes in args.mb or [20.0, 100.0]:
            if args.format == "surveyjs":
                path = Path(folder) / f"results-{megabytes:g}.json"
                size = write_results(path, megabytes)
            else:
                path = Path(folder) / f"export-{megabytes:g}.csv"
                size = write_export(path, megabytes, args.shape)
            rows, peak, seconds = measure(path)
            ratio = peak / size
            print(
                f"{args.format} {args.shape} export {size / 2**20:.1f} MB, {rows} "
                "rows: peak +"
                f"{peak / 2**20:.0f} MB = {ratio:.1f}x the export, {seconds:.1f} s"
            )
            path.unlink()


if __name__ == "__main__":
    main()
