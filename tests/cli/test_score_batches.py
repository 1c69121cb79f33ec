"""``allykit score`` in batches (frames) equals row by row; signals, pipes, formulas."""

from __future__ import annotations

import csv
import json
import math
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner, Result

from allykit.catalog import load_instrument
from allykit.cli._app import app

pytest.importorskip("narwhals", reason="the frames extra (narwhals) is not installed")
pytest.importorskip("pyarrow", reason="pyarrow is not installed")

from allykit.outputs import neutralised
from allykit.scoring import _batches

runner = CliRunner()
INVENTORY = "ally-model-reflection"
ITEMS = [item.id for item in load_instrument(INVENTORY).items]
_NUMBERS = ["1", "2", "3", "4", "5", " 4 ", "2.0"]
_LABELS = ["Agree", "strongly  DISAGREE", "Neutral", "Does not apply", "N/A"]
_ODD = ["7", "banana", "inf", "nan", "1_0", "Point 1", "-1"]


def _score(*args: str | Path) -> Result:
    return runner.invoke(app, ["score", INVENTORY, *map(str, args)])


@st.composite
def _tables(draw: st.DrawFn) -> list[list[str]]:
    """CSV rows (header first): per column numbers, labels, both, or odd cells."""
    n_rows = draw(st.integers(min_value=1, max_value=40))
    columns = [[f"r{n}" for n in range(n_rows)]]
    for _ in ITEMS:
        kind = draw(st.sampled_from(["numbers", "labels", "mixed", "odd"]))
        pool = {
            "numbers": _NUMBERS,
            "labels": _LABELS,
            "mixed": _NUMBERS + _LABELS,
            "odd": _NUMBERS + _ODD,
        }[kind] + ["", " "]
        columns.append(
            draw(st.lists(st.sampled_from(pool), min_size=n_rows, max_size=n_rows))
        )
    return [["who", *ITEMS], *map(list, zip(*columns, strict=True))]


def _write(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    return path


def _both(
    tmp_path: Path, source: Path, suffix: str, *options: str
) -> tuple[Result, Result, Path, Path]:
    rows_out = tmp_path / f"rows{suffix}"
    frames_out = tmp_path / f"frames{suffix}"
    common = ["--id-column", "who", "--json", *options]
    by_rows = _score(source, "-o", rows_out, "--engine", "rows", *common)
    by_frames = _score(source, "-o", frames_out, "--engine", "frames", *common)
    return by_rows, by_frames, rows_out, frames_out


def _same_summary(a: str, b: str) -> None:
    first, second = json.loads(a), json.loads(b)
    del first["output"], second["output"]
    for x, y in zip(first.pop("scales"), second.pop("scales"), strict=True):
        mean_x, mean_y = x.pop("mean"), y.pop("mean")
        assert x == y
        assert (mean_x is None and mean_y is None) or math.isclose(
            mean_x, mean_y, rel_tol=1e-12
        )
    assert first == second


class TestFramesEqualRows:
    @settings(
        max_examples=25,
        deadline=None,
        phases=[Phase.explicit, Phase.reuse, Phase.generate],  # shrinking is slow
        suppress_health_check=[HealthCheck.function_scoped_fixture],
    )
    @given(table=_tables(), invalid=st.sampled_from(["error", "missing"]))
    def test_csv(
        self,
        tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch,
        table: list[list[str]],
        invalid: str,
    ) -> None:
        """Same CSV bytes, summary and errors on both paths, batch by batch."""
        monkeypatch.setattr(_batches, "CSV_BLOCK_BYTES", 256)  # several batches
        tmp_path = Path(tempfile.mkdtemp(dir=tmp_path))  # one folder per example
        source = _write(tmp_path / "in.csv", table)

        by_rows, by_frames, rows_out, frames_out = _both(
            tmp_path, source, ".csv", "--invalid", invalid
        )

        assert by_frames.exit_code == by_rows.exit_code, by_frames.output
        if by_rows.exit_code:
            assert by_frames.stderr == by_rows.stderr
            assert not frames_out.exists()
            return
        assert frames_out.read_bytes() == rows_out.read_bytes()
        _same_summary(by_rows.stdout, by_frames.stdout)

    def test_clean_numbers_go_through_frames(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """A clean numeric file is scored by score_frame, not row by row."""
        calls: list[int] = []
        real = _batches._by_rows

        def counted(*args: Any, **options: Any) -> Any:
            calls.append(1)
            return real(*args, **options)

        monkeypatch.setattr(_batches, "_by_rows", counted)
        rows = [["who", *ITEMS]] + [
            [f"r{n}", *[str(1 + (n + i) % 5) for i in range(len(ITEMS))]]
            for n in range(50)
        ]
        source = _write(tmp_path / "in.csv", rows)

        _, by_frames, rows_out, frames_out = _both(tmp_path, source, ".csv")

        assert by_frames.exit_code == 0, by_frames.output
        assert calls == []
        assert frames_out.read_bytes() == rows_out.read_bytes()

    @pytest.mark.parametrize("suffix", [".csv", ".parquet"])
    def test_parquet_input(self, tmp_path: Path, suffix: str) -> None:
        """Parquet in (numbers, labels, NaN, nulls), both paths write the same."""
        import pyarrow as pa
        import pyarrow.parquet as pq

        n = 300
        columns: dict[str, Any] = {"who": [f"r{i}" for i in range(n)]}
        for k, item in enumerate(ITEMS):
            if k % 3 == 0:
                columns[item] = pa.array(
                    [["Agree", "Disagree", None, "N/A"][i % 4] for i in range(n)]
                )
            else:
                values = [float(1 + (i * k) % 5) for i in range(n)]
                values[k] = math.nan
                values[k + 1] = None  # type: ignore[call-overload]
                columns[item] = pa.array(values, pa.float64(), from_pandas=False)
        source = tmp_path / "in.parquet"
        pq.write_table(pa.table(columns), source, row_group_size=70)

        by_rows, by_frames, rows_out, frames_out = _both(tmp_path, source, suffix)

        assert by_rows.exit_code == 0, by_rows.output
        assert by_frames.exit_code == 0, by_frames.output
        if suffix == ".csv":
            assert frames_out.read_bytes() == rows_out.read_bytes()
        else:
            assert pq.read_table(frames_out).equals(pq.read_table(rows_out))
        _same_summary(by_rows.stdout, by_frames.stdout)


class TestFormulas:
    @pytest.mark.parametrize("engine", ["rows", "frames"])
    def test_id_cells_are_neutralised(self, tmp_path: Path, engine: str) -> None:
        """Id cells a spreadsheet would run get a leading apostrophe; opt out keeps."""
        ids = ["=HYPERLINK(1)", "+cmd|x", "-2", "@SUM(A1)", "\tx", "\rx", "ana"]
        # Every item answered: a run that scores nothing writes nothing.
        rows = [["who", *ITEMS], *[[i, *["3"] * len(ITEMS)] for i in ids]]
        source = _write(tmp_path / "in.csv", rows)
        out = tmp_path / "out.csv"

        result = _score(source, "-o", out, "--id-column", "who", "--engine", engine)
        kept = tmp_path / "kept.csv"
        _score(
            source, "-o", kept, "--id-column", "who", "--engine", engine,
            "--keep-formulas",
        )  # fmt: skip

        assert result.exit_code == 0, result.output
        with out.open(encoding="utf-8", newline="") as handle:
            written = [row[0] for row in csv.reader(handle)][1:]
        with kept.open(encoding="utf-8", newline="") as handle:
            raw = [row[0] for row in csv.reader(handle)][1:]
        # Ids are trimmed first (a leading tab or CR goes with the white space).
        neutral = ["'=HYPERLINK(1)", "'+cmd|x", "'-2", "'@SUM(A1)", "x", "x", "ana"]
        assert written == neutral
        assert raw == [i.strip() for i in ids]

    def test_neutralised_every_formula_start(self) -> None:
        """Every start OWASP lists gets the apostrophe; other text is kept."""
        for start in "=+-@\t\r":
            assert neutralised(start + "x") == "'" + start + "x"
        assert neutralised("x=1") == "x=1"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
class TestNamedPipe:
    def test_csv_from_a_pipe(self, tmp_path: Path) -> None:
        """A CSV named pipe is read once, to the end; scores as from a file."""
        rows = [
            ["who", *ITEMS],
            ["a", *["3"] * len(ITEMS)],
            ["b", *["Agree"] * len(ITEMS)],
        ]
        plain = _write(tmp_path / "plain.csv", rows)
        pipe = tmp_path / "pipe.csv"
        os.mkfifo(pipe)
        text = plain.read_text(encoding="utf-8")

        def feed() -> None:
            with pipe.open("w", encoding="utf-8") as handle:
                handle.write(text)

        writer = threading.Thread(target=feed)
        writer.start()
        result = _score(pipe, "-o", tmp_path / "out.csv", "--id-column", "who")
        writer.join(timeout=10)
        expected = _score(plain, "-o", tmp_path / "ref.csv", "--id-column", "who")

        assert result.exit_code == 0, result.output
        assert (tmp_path / "out.csv").read_bytes() == (
            tmp_path / "ref.csv"
        ).read_bytes()
        assert expected.exit_code == 0

    def test_parquet_from_a_pipe_is_refused(self, tmp_path: Path) -> None:
        """Parquet needs seeking: a pipe is refused before it is opened."""
        pipe = tmp_path / "pipe.parquet"
        os.mkfifo(pipe)

        result = _score(pipe, "-o", tmp_path / "out.csv")

        assert result.exit_code == 1
        assert "not a regular file" in result.stderr


def _temporaries(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
class TestSignals:
    @pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP])
    @pytest.mark.parametrize("engine", ["rows", "frames"])
    def test_no_temporary_left(self, tmp_path: Path, signum: int, engine: str) -> None:
        """SIGTERM or SIGHUP mid-run removes the temporary output, like Ctrl-C."""
        rows = [["who", *ITEMS]] + [
            [f"r{n}", *["Agree" if n % 2 else "3" for _ in ITEMS]]
            for n in range(60_000)
        ]
        source = _write(tmp_path / "in.csv", rows)
        out = tmp_path / "out.csv"
        command = [
            sys.executable, "-m", "allykit", "score", INVENTORY, str(source),
            "-o", str(out), "--id-column", "who", "--engine", engine,
        ]  # fmt: skip
        process = subprocess.Popen(  # noqa: S603 -- our own interpreter
            command, stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        deadline = time.monotonic() + 60
        while not _temporaries(tmp_path) and time.monotonic() < deadline:
            if process.poll() is not None:
                break
            time.sleep(0.005)
        if process.poll() is not None:
            pytest.skip("the run ended before the signal could be sent")
        process.send_signal(signum)
        _, stderr = process.communicate(timeout=60)
        if out.exists():  # the signal came after the output was complete
            pytest.skip("the run finished before the signal arrived")

        # Nothing left behind is the promise; the status is 128 + signal when
        # the signal lands in Python code (inside pyarrow's reader it may
        # surface as a read error instead, status 1).
        assert process.returncode in {128 + signum, 1}, stderr
        if process.returncode != 1:
            assert b"stopped by" in stderr
        assert _temporaries(tmp_path) == []
        assert not out.exists()

    @pytest.mark.parametrize("engine", ["rows", "frames"])
    @pytest.mark.parametrize("where", ["made", "header"])
    def test_signal_while_the_output_is_opened(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, engine: str, where: str
    ) -> None:
        """A signal between making the temporary and holding it leaves nothing.

        The subprocess test above sends its signal as soon as the temporary
        appears, which is this window; here it is hit every time: just after
        the file is made (before the sink holds it), or as the header goes in.
        """
        from allykit.outputs import AtomicFile, Stopped
        from allykit.scoring import _score_sink as command

        source = _write(tmp_path / "in.csv", [["who", *ITEMS], ["a", *["3"] * 8]])

        def stopped(*args: Any, **_: Any) -> Any:
            if where == "made":
                AtomicFile(*args)
            raise Stopped(signal.SIGTERM)

        if where == "made":
            monkeypatch.setattr(command, "AtomicFile", stopped)
        else:
            monkeypatch.setattr(csv, "writer", stopped)
        result = _score(
            source, "-o", tmp_path / "out.csv", "--id-column", "who",
            "--engine", engine,
        )  # fmt: skip

        assert result.exit_code == 128 + signal.SIGTERM, result.output
        assert "stopped by SIGTERM" in result.stderr
        assert _temporaries(tmp_path) == []
        assert not (tmp_path / "out.csv").exists()

    def test_stale_temporary_is_cleared(self, tmp_path: Path) -> None:
        """A temporary of ours left by a killed run is removed; fresh ones stay."""
        source = _write(
            tmp_path / "in.csv", [["who", *ITEMS], ["a", *["3"] * len(ITEMS)]]
        )
        stale = tmp_path / ".out.csv.0123abcd.tmp"
        fresh = tmp_path / ".out.csv.4567cdef.tmp"
        other = tmp_path / ".other.csv.0123abcd.tmp"
        for path in (stale, fresh, other):
            path.write_text("who\na\n", encoding="utf-8")
        old = time.time() - 3600
        os.utime(stale, (old, old))
        os.utime(other, (old, old))

        result = _score(source, "-o", tmp_path / "out.csv", "--id-column", "who")

        assert result.exit_code == 0, result.output
        assert _temporaries(tmp_path) == [".other.csv.0123abcd.tmp", fresh.name]


@given(
    values=st.lists(
        st.none() | st.floats(allow_nan=False, allow_infinity=False), max_size=50
    )
)
def test_float_cells_as_str_writes_them(values: list[float | None]) -> None:
    """Scores formatted by Arrow read exactly as str() of the float writes them."""
    import pyarrow as pa

    cells = _batches._float_text(pa.chunked_array([pa.array(values, pa.float64())]))

    assert cells == ["" if v is None else str(v) for v in values]


class TestSummaryNamesTheInstrument:
    def test_json_and_text_carry_the_status_and_hash(self, tmp_path: Path) -> None:
        """The summary says which instrument, version and content, and its status."""
        source = _write(
            tmp_path / "in.csv", [["who", *ITEMS], ["a", *["3"] * len(ITEMS)]]
        )
        instrument = load_instrument(INVENTORY)

        as_json = _score(
            source, "-o", tmp_path / "a.csv", "--id-column", "who", "--json"
        )
        as_text = _score(source, "-o", tmp_path / "b.csv", "--id-column", "who")

        about = json.loads(as_json.stdout)["instrument"]
        assert about == {
            "id": instrument.id,
            "version": instrument.version,
            "validated": False,
            "published": False,
            "status": "a reflective aid, not a validated measure",
            "content_hash": instrument.content_hash,
        }
        assert json.loads(as_json.stdout)["validated"] is False
        text = " ".join(as_text.stdout.split())
        assert "a reflective aid, not a validated measure" in text
        assert instrument.content_hash[:12] in text


class TestParquetNamesTheInstrument:
    @pytest.mark.parametrize("engine", ["rows", "frames"])
    def test_parquet_metadata(self, tmp_path: Path, engine: str) -> None:
        """A Parquet output file carries the instrument's id, version, status, hash."""
        pq = pytest.importorskip("pyarrow.parquet")
        source = _write(
            tmp_path / "in.csv", [["who", *ITEMS], ["a", *["3"] * len(ITEMS)]]
        )
        out = tmp_path / "out.parquet"
        instrument = load_instrument(INVENTORY)

        result = _score(source, "-o", out, "--id-column", "who", "--engine", engine)

        assert result.exit_code == 0, result.output
        metadata = pq.read_schema(out).metadata
        about = json.loads(metadata[b"allykit.instrument"])
        assert about == {
            "id": instrument.id,
            "version": instrument.version,
            "validated": False,
            "published": False,
            "status": "a reflective aid, not a validated measure",
            "content_hash": instrument.content_hash,
        }
