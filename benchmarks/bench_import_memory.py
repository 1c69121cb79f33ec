"""Peak memory of importing a survey export, against the export's size.

For each importer (REDCap and Qualtrics CSV, SurveyJS JSON results) and each
shape of export, writes an export of the asked size into a temporary folder,
imports it in a fresh interpreter and prints the peak resident memory the
import added (``ru_maxrss`` after, minus before) and its ratio to the file's
size. Shapes:

- ``realistic``: a record id, a timestamp, 20 item columns with codes 1-5,
  10 free-text fields of another form (ignored) and a ``*_complete`` column;
- ``items``: the record id and the 20 items only: the worst case, where the
  export is nothing but one-digit answers and commas (about 2 bytes per
  answer), so anything kept per answer shows.

    python benchmarks/bench_import_memory.py                  # all, 20 and 100 MB
    python benchmarks/bench_import_memory.py --mb 20 --format surveyjs --shape items

Measured (issue 21, Python 3.11, Linux, a busy two-core machine), peak
added memory over the export's size (and seconds, which vary with the load):

    format     shape        20 MB           100 MB
    redcap     realistic    0.3x   1.8 s    0.3x  10.9 s
    redcap     items        2.4x  20.4 s    2.3x  87.2 s
    qualtrics  realistic    0.3x   2.0 s    0.3x   9.0 s
    qualtrics  items        2.4x   9.8 s    2.3x  49.7 s
    surveyjs   realistic    0.5x   7.0 s    0.2x  21.8 s
    surveyjs   items        0.9x   5.1 s    0.5x  65.4 s

(The CSV times are from before CSV cells got their own text index; run
again after it, REDCap items at 20 MB took 5.6 s, memory unchanged.)

Before (the same exports): REDCap realistic 2.0x, items 16.1x (29.6 s at
20 MB): one dict per respondent costs about 30-40 bytes per answer, more
than the answer's two bytes in the file; SurveyJS (read whole) 3.5x. Now
each item keeps its distinct answers once and a one-byte code per
respondent (:class:`allykit.surveys.ResponseRows`); what remains for the
items shape is mostly the respondent ids (one ``str`` each, about 1.3x) and
the row numbers kept for messages.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

ITEMS = 20
FORMATS = ("redcap", "qualtrics", "surveyjs")
SHAPES = ("realistic", "items")
_CHILD = """
import resource, sys, time
from allykit.surveys import (
    load_qualtrics_export, load_redcap_export, load_surveyjs_results,
)
fields = {{f"q{{k}}": f"item-{{k}}" for k in range({items})}}
load = {{
    "redcap": load_redcap_export,
    "qualtrics": load_qualtrics_export,
    "surveyjs": load_surveyjs_results,
}}[sys.argv[2]]
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


def _records(shape: str) -> tuple[list[str], Iterator[list[str]]]:
    """The header and an endless generator of records (lists of cells)."""
    chance = random.Random(1)
    items = [f"q{k}" for k in range(ITEMS)]
    others = [f"other_{k}" for k in range(10)]
    if shape == "items":
        header = ["record_id", *items]
    else:
        header = ["record_id", "form_timestamp", *items, *others, "form_complete"]

    def records() -> Iterator[list[str]]:
        record = 1
        while True:
            codes = [str(chance.randint(1, 5)) for _ in items]
            if shape == "items":
                yield [str(record), *codes]
            else:
                stamp = f"2026-0{chance.randint(1, 9)}-1{chance.randint(0, 9)} 10:22:13"
                texts = [
                    f"free text answer number {chance.randint(0, 10**6)}"
                    for _ in others
                ]
                yield [str(record), stamp, *codes, *texts, "2"]
            record += 1

    return header, records()


def write_csv(path: Path, megabytes: float, shape: str, *, qualtrics: bool) -> int:
    """Write a REDCap (or Qualtrics) CSV export of about *megabytes* MB."""
    target = int(megabytes * 1024 * 1024)
    header, records = _records(shape)
    written = 0
    with path.open("w", encoding="utf-8", newline="") as out:
        lines = [",".join(header)]
        if qualtrics:  # the question texts, then the ImportIds
            lines.append(",".join(f"Text of {name}" for name in header))
            lines.append(",".join(f'"{{""ImportId"":""{name}""}}"' for name in header))
        for line in lines:
            out.write(line + "\n")
            written += len(line) + 1
        for cells in records:
            line = ",".join(cells) + "\n"
            out.write(line)
            written += len(line)
            if written >= target:
                break
    return path.stat().st_size


def write_results(path: Path, megabytes: float, shape: str) -> int:
    """Write a SurveyJS results array of about *megabytes* MB."""
    target = int(megabytes * 1024 * 1024)
    header, records = _records(shape)
    written = 0
    with path.open("w", encoding="utf-8") as out:
        out.write("[")
        first = True
        for cells in records:
            result: dict[str, object] = {}
            for name, cell in zip(header, cells, strict=True):
                if name == "form_complete":
                    continue
                result[name] = int(cell) if name.startswith("q") else cell
            text = ("" if first else ",") + json.dumps(result)
            first = False
            out.write(text)
            written += len(text)
            if written >= target:
                break
        out.write("]")
    return path.stat().st_size


def measure(path: Path, form: str) -> tuple[int, int, float]:
    """Import *path* in a fresh interpreter: (rows, added peak bytes, seconds)."""
    out = subprocess.run(
        [sys.executable, "-c", _CHILD.format(items=ITEMS), str(path), form],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    return int(out[0]), int(out[1]), float(out[2])


def main() -> None:
    """Write each export, import it, print the peak against the size."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--mb", type=float, action="append", default=None)
    parser.add_argument("--shape", choices=SHAPES, action="append", default=None)
    parser.add_argument("--format", choices=FORMATS, action="append", default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        for form in args.format or FORMATS:
            for shape in args.shape or SHAPES:
                for megabytes in args.mb or [20.0, 100.0]:
                    path = Path(folder) / f"{form}-{shape}-{megabytes:g}"
                    if form == "surveyjs":
                        size = write_results(path, megabytes, shape)
                    else:
                        size = write_csv(
                            path, megabytes, shape, qualtrics=form == "qualtrics"
                        )
                    rows, peak, seconds = measure(path, form)
                    print(
                        f"{form:9} {shape:9} {size / 2**20:6.1f} MB, {rows:7} rows: "
                        f"peak +{peak / 2**20:4.0f} MB = {peak / size:4.1f}x the "
                        f"export, {seconds:5.1f} s",
                        flush=True,
                    )
                    path.unlink()


if __name__ == "__main__":
    main()
