"""Every command door reads with the one reader and writes through the one guard.

The examples of issue #20 items 1-3, through the command: ``report`` is as
strict as ``score`` (the same reader, options and errors); no output may be
a file the same run reads, through any link, whatever ``--force`` says; a
signal leaves no temporary; journals are recognised by content and locked
where they really are.
"""

from __future__ import annotations

import csv
import json
import os
import signal
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner, Result

from allykit.catalog import load_instrument
from allykit.cli._app import app
from allykit.errors import DataFileError
from allykit.outputs import OutputError, check_output, is_journal, sweep_temporaries

runner = CliRunner()
INVENTORY = "ally-model-reflection"
_INSTRUMENT = load_instrument(INVENTORY)
ITEMS = [str(item.id) for item in _INSTRUMENT.items]
REDCAP = (
    Path(__file__).resolve().parents[2] / "docs" / "data" / "ally-reflection-redcap.csv"
)
FIELDS = {item: f"amr_{n:02d}" for n, item in enumerate(ITEMS, start=1)}


def _run(*args: str | Path) -> Result:
    return runner.invoke(app, [str(arg) for arg in args])


def _message(result: Result) -> str:
    return " ".join(result.stderr.split())


def _answers(path: Path, rows: int = 6, encoding: str = "utf-8") -> Path:
    with path.open("w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["who", *ITEMS])
        for n in range(rows):
            writer.writerow([f"p{n}", *(1 + (n + j) % 5 for j in range(len(ITEMS)))])
    return path


def _map(path: Path) -> Path:
    path.write_text(json.dumps(FIELDS), "utf-8")
    return path


def _temporaries(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def _instrument_file(folder: Path) -> Path:
    path = folder / "mine.json"
    path.write_text(_INSTRUMENT.to_json(), "utf-8")
    return path


class TestReportReadsAsScoreDoes:
    def test_sample_without_a_map_is_a_clear_error(self, tmp_path: Path) -> None:
        """The project's sample: exit 1 and why, never an empty report with exit 0."""
        out = tmp_path / "r.html"

        result = _run(
            "report", INVENTORY, REDCAP, "--id-column", "record_id", "-o", out
        )

        assert result.exit_code == 1
        assert "no column is named after an item" in _message(result)
        assert "--columns" in _message(result)
        assert not out.exists()

    def test_sample_with_a_map_is_a_real_report(self, tmp_path: Path) -> None:
        """With --columns the sample gives a report of its 12 rows."""
        out = tmp_path / "r.html"

        result = _run(
            "report", INVENTORY, REDCAP, "--id-column", "record_id",
            "--columns", _map(tmp_path / "map.json"), "-o", out,
        )  # fmt: skip

        assert result.exit_code == 0, result.output
        page = out.read_text("utf-8")
        assert "scores of all 12 rows" in page
        assert "had enough answers to score" not in page  # no empty histogram

    def test_misspelt_column_and_bad_cells(self, tmp_path: Path) -> None:
        """A misspelt column and 7, maybe, 3.5 are all named, not dropped."""
        source = tmp_path / "in.csv"
        source.write_text(
            "id,ac-speakup,ac-act-with-others\n1,3,7\n2,3,maybe\n3,3,3.5\n", "utf-8"
        )

        result = _run("report", INVENTORY, source, "-o", tmp_path / "r.html")

        assert result.exit_code == 1
        assert "did you mean 'ac-speak-up'" in _message(result)

        source.write_text("id,ac-act-with-others\n1,7\n2,maybe\n3,3.5\n", "utf-8")
        result = _run("report", INVENTORY, source, "-o", tmp_path / "r.html")

        assert result.exit_code == 1
        assert _message(result).count("column 'ac-act-with-others'") == 3

    def test_invalid_missing_says_how_many(self, tmp_path: Path) -> None:
        """--invalid missing scores the rest and the report counts the unusable."""
        source = _answers(tmp_path / "in.csv")
        text = source.read_text("utf-8").replace("\np0,1,", "\np0,9,", 1)
        source.write_text(text, "utf-8")
        out = tmp_path / "r.html"

        result = _run(
            "report", INVENTORY, source, "--id-column", "who", "--invalid", "missing",
            "-o", out,
        )  # fmt: skip

        assert result.exit_code == 0, result.output
        assert "1 unusable answer treated as missing" in out.read_text("utf-8")

    @pytest.mark.parametrize("kind", ["cp1252", "parquet", "big", "ignore"])
    def test_files_score_reads(self, tmp_path: Path, kind: str) -> None:
        """cp1252, Parquet and a 200 KB cell: a report or exit 1, never exit 3."""
        out = tmp_path / "r.html"
        extra: list[str] = []
        if kind == "cp1252":
            source = _answers(tmp_path / "in.csv", encoding="cp1252")
            text = source.read_text("cp1252").replace("p0", "Zoë")
            source.write_text(text, "cp1252")
            refused = _run("report", INVENTORY, source, "--id-column", "who", "-o", out)
            assert refused.exit_code == 1
            assert "--encoding cp1252" in _message(refused)
            extra = ["--encoding", "cp1252"]
        elif kind == "parquet":
            import pandas as pd

            source = tmp_path / "in.parquet"
            pd.read_csv(_answers(tmp_path / "in.csv"), dtype={"who": str}).to_parquet(
                source
            )
        elif kind == "big":
            source = tmp_path / "in.csv"
            source.write_text(
                "who," + ITEMS[0] + "\na," + "x" * 200_000 + "\n", "utf-8"
            )
        else:
            source = _answers(tmp_path / "in.csv")
            text = source.read_text("utf-8").replace("who,", "who,note,", 1)
            text = "\n".join(
                line.replace(",", ",n,", 1) if n else line
                for n, line in enumerate(text.split("\n"))
                if line
            )
            source.write_text(text + "\n", "utf-8")
            extra = ["--ignore", "not*"]

        result = _run(
            "report", INVENTORY, source, "--id-column", "who", "-o", out, *extra
        )

        if kind == "big":
            assert result.exit_code == 1
            assert "longer than" in _message(result)
        else:
            assert result.exit_code == 0, result.output
            assert "scores of all 6 rows" in out.read_text("utf-8")


class TestScoreExports:
    def test_redcap_export_with_a_map(self, tmp_path: Path) -> None:
        """The export's housekeeping columns are set aside; the rest is scored."""
        out = tmp_path / "s.csv"

        result = _run(
            "score", INVENTORY, REDCAP, "--id-column", "record_id",
            "--columns", _map(tmp_path / "map.json"), "-o", out,
        )  # fmt: skip

        assert result.exit_code == 0, result.output
        assert "Scored 12 rows" in result.stdout

    def test_four_bad_cells_in_four_rows_are_all_named(self, tmp_path: Path) -> None:
        """Every unusable answer is listed, with row, line, id and column."""
        source = _answers(tmp_path / "in.csv", rows=6)
        lines = source.read_text("utf-8").splitlines()
        for n, value in zip((1, 2, 4, 6), ("9", "maybe", "3.5", "0"), strict=True):
            cells = lines[n].split(",")
            cells[1] = value
            lines[n] = ",".join(cells)
        source.write_text("\n".join(lines) + "\n", "utf-8")

        result = _run(
            "score", INVENTORY, source, "--id-column", "who", "-o", tmp_path / "s.csv"
        )

        assert result.exit_code == 1
        message = _message(result)
        for row, line, who in ((1, 2, "p0"), (2, 3, "p1"), (4, 5, "p3"), (6, 7, "p5")):
            assert f"row {row} (line {line}), who '{who}'" in message
        assert not (tmp_path / "s.csv").exists()

    def test_id_header_is_neutralised(self, tmp_path: Path) -> None:
        """The id column's header is a cell too: it gets the leading apostrophe."""
        source = _answers(tmp_path / "in.csv")
        source.write_text(
            source.read_text("utf-8").replace("who,", "=cmd,", 1), "utf-8"
        )
        out = tmp_path / "s.csv"

        for engine in ("rows", "frames"):
            result = _run(
                "score", INVENTORY, source, "--id-column", "=cmd", "-o", out,
                "--force", "--engine", engine,
            )  # fmt: skip
            assert result.exit_code == 0, result.output
            assert out.read_text("utf-8").startswith("'=cmd,")

    def test_symlink_loop_names_the_file(self, tmp_path: Path) -> None:
        """A loop of links as the input or the output: exit 1, naming the file."""
        loop = tmp_path / "loop.csv"
        loop.symlink_to(loop)
        source = _answers(tmp_path / "in.csv")

        as_input = _run("score", INVENTORY, loop, "-o", tmp_path / "s.csv")
        as_output = _run("score", INVENTORY, source, "-o", loop, "--force")

        for result in (as_input, as_output):
            assert result.exit_code == 1
            assert "loop.csv" in _message(result)
            assert "loop of symbolic links" in _message(result)


class TestNoOutputIsAnInput:
    @pytest.mark.parametrize("link", ["same", "symlink", "hardlink"])
    def test_report_output_is_never_the_answers_or_before(
        self, tmp_path: Path, link: str
    ) -> None:
        """The answers or --before file, or a link to one, as -o: refused."""
        answers = _answers(tmp_path / "in.csv")
        before = _answers(tmp_path / "before.csv")
        for target in (answers, before):
            out = target
            if link == "symlink":
                out = tmp_path / f"link-{target.name}"
                out.symlink_to(target)
            elif link == "hardlink":
                out = tmp_path / f"hard-{target.name}"
                out.hardlink_to(target)
            kept = target.read_bytes()

            result = _run(
                "report", INVENTORY, answers, "--before", before, "--id-column", "who",
                "-o", out, "--force",
            )  # fmt: skip

            assert result.exit_code == 1
            assert "a file this run reads" in _message(result)
            assert target.read_bytes() == kept

    def test_score_never_replaces_the_instrument_or_the_map(
        self, tmp_path: Path
    ) -> None:
        """--provenance or -o naming the instrument file or the --columns map."""
        instrument = _instrument_file(tmp_path)
        columns = tmp_path / "map.json"
        columns.write_text(json.dumps({ITEMS[0]: ITEMS[0]}), "utf-8")
        source = _answers(tmp_path / "in.csv")
        for victim in (instrument, columns):
            kept = victim.read_bytes()
            args: list[str | Path] = ["-o", tmp_path / "s.csv", "--provenance", victim]

            result = _run(
                "score", instrument, source, "--id-column", "who",
                "--columns", columns, *args, "--force",
            )  # fmt: skip

            assert result.exit_code == 1
            assert "a file this run reads" in _message(result)
            assert victim.read_bytes() == kept

    @pytest.mark.parametrize("link", ["same", "hardlink"])
    def test_export_never_replaces_the_instrument(
        self, tmp_path: Path, link: str
    ) -> None:
        """Export surveyjs mine.json -o mine.json --force (or a hard link to it)."""
        instrument = _instrument_file(tmp_path)
        out = instrument
        if link == "hardlink":
            out = tmp_path / "form.json"
            out.hardlink_to(instrument)
        kept = instrument.read_bytes()

        result = _run("export", "surveyjs", instrument, "-o", out, "--force")

        assert result.exit_code == 1
        assert "a file this run reads" in _message(result)
        assert instrument.read_bytes() == kept


@pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs root to chown a link"
)
class TestSharedFolders:
    def test_another_users_symlink_in_a_sticky_folder_is_not_followed(
        self, tmp_path: Path
    ) -> None:
        """Another user's link in a sticky folder is never followed, --force or not."""
        shared = tmp_path / "shared"
        shared.mkdir()
        shared.chmod(0o1777)
        victim = tmp_path / "victim.txt"
        victim.write_text("keep", "utf-8")
        link = shared / "s.csv"
        link.symlink_to(victim)
        os.lchown(link, 12345, 12345)
        source = _answers(tmp_path / "in.csv")

        result = _run("score", INVENTORY, source, "-o", link, "--force")

        assert result.exit_code == 1
        assert "owned by another user" in _message(result)
        assert victim.read_text("utf-8") == "keep"
        with pytest.raises(OutputError, match="owned by another user"):
            check_output(link, force=True)

    def test_own_symlink_in_a_sticky_folder_is_followed(self, tmp_path: Path) -> None:
        """A link of one's own is fine: the rule is about other users' links."""
        shared = tmp_path / "shared"
        shared.mkdir()
        shared.chmod(0o1777)
        link = shared / "s.csv"
        link.symlink_to(tmp_path / "target.csv")

        check_output(link, force=True)


class TestSignals:
    @pytest.mark.parametrize("command", ["export", "report"])
    def test_sigterm_while_writing_leaves_no_temporary(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: str
    ) -> None:
        """SIGTERM during the write: exit 143, no temporary holding the output."""
        real = Path.write_bytes

        def killed(self: Path, data: Any) -> int:
            written = real(self, data)
            os.kill(os.getpid(), signal.SIGTERM)
            return written

        out = tmp_path / ("r.html" if command == "report" else "form.json")
        args: list[str | Path] = ["export", "surveyjs", INVENTORY, "-o", out]
        if command == "report":
            source = _answers(tmp_path / "in.csv")
            args = ["report", INVENTORY, source, "--id-column", "who", "-o", out]
        monkeypatch.setattr(Path, "write_bytes", killed)

        result = _run(*args)

        assert result.exit_code == 128 + signal.SIGTERM, result.output
        assert "stopped by SIGTERM" in result.stderr
        assert _temporaries(tmp_path) == []
        assert not out.exists()
        assert signal.getsignal(signal.SIGTERM) is signal.SIG_DFL

    def test_disk_full_names_the_file(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """No space left: the message names the file asked for, not a temporary."""
        import errno

        def full(self: Path, _data: Any) -> int:
            raise OSError(errno.ENOSPC, "No space left on device", str(self))

        monkeypatch.setattr(Path, "write_bytes", full)
        out = tmp_path / "form.json"

        result = _run("export", "surveyjs", INVENTORY, "-o", out)

        assert result.exit_code == 1
        assert str(out) in _message(result)
        assert ".tmp" not in _message(result)
        assert _temporaries(tmp_path) == []


class TestJournals:
    def _journal(self, path: Path, *, sort_keys: bool) -> Path:
        document = {
            "kind": "allykit-journal",
            "version": 2,
            "framework": "gibbs-reflective-cycle",
            "seed": 1,
            "entries": [{"answer": "x" * 5000, "stage": "description"}],
        }
        path.write_text(json.dumps(document, sort_keys=sort_keys, indent=2), "utf-8")
        return path

    @pytest.mark.parametrize("sort_keys", [False, True])
    def test_journal_recognised_whatever_its_key_order(
        self, tmp_path: Path, sort_keys: bool
    ) -> None:
        """Jq -S puts "entries" first: still a journal, still never replaced."""
        journal = self._journal(tmp_path / "j.json", sort_keys=sort_keys)

        assert is_journal(journal)
        result = _run("export", "surveyjs", INVENTORY, "-o", journal, "--force")
        assert result.exit_code == 1
        assert "reflection journal" in _message(result)

    def test_stale_journal_temporaries_are_swept_under_the_lock(
        self, tmp_path: Path
    ) -> None:
        """A killed session's temporary (private answers) goes at the next save."""
        from allykit.cli._commands.reflect import append_answer

        journal = tmp_path / "j.json"
        stale = tmp_path / ".j.json.0123abcd.tmp"
        stale.write_text("private answers", "utf-8")
        other = tmp_path / ".other.json.0123abcd.tmp"
        other.write_text("not this journal's", "utf-8")

        append_answer(
            journal, "gibbs-reflective-cycle", 1, {"prompt": "p", "answer": "a"}
        )

        assert not stale.exists()
        assert other.exists()

    def test_sweep_leaves_non_files_and_others_alone(self, tmp_path: Path) -> None:
        """Only regular files named after the target's temporaries are removed."""
        target = tmp_path / "j.json"
        (tmp_path / ".j.json.0123abcd.tmp").mkdir()
        (tmp_path / ".j.json.notours.tmp").write_text("x", "utf-8")

        assert sweep_temporaries(target) == 0

    def test_lock_is_taken_where_the_journal_really_is(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Two sessions through a symlink and the real path take one lock."""
        fcntl = pytest.importorskip("fcntl")
        from allykit.cli._commands import reflect

        real = tmp_path / "real"
        real.mkdir()
        linked = tmp_path / "linked"
        linked.mkdir()
        (linked / "j.json").symlink_to(real / "j.json")
        locked: list[str] = []
        flock = fcntl.flock

        def spy(fd: int, operation: int) -> None:
            locked.append(str(Path(f"/proc/self/fd/{fd}").readlink()))
            flock(fd, operation)

        if not Path("/proc/self/fd").is_dir():
            pytest.skip("needs /proc to see what is locked")
        monkeypatch.setattr(fcntl, "flock", spy)

        entry = {"prompt": "p", "answer": "a"}
        reflect.append_answer(linked / "j.json", "gibbs-reflective-cycle", 1, entry)
        reflect.append_answer(real / "j.json", "gibbs-reflective-cycle", 1, entry)

        assert locked == [str(real), str(real)]
        assert len(json.loads((real / "j.json").read_text("utf-8"))["entries"]) == 2

    def test_journal_through_another_users_link_is_refused(
        self, tmp_path: Path
    ) -> None:
        """check_writable applies the guard: a foreign link in a shared folder."""
        if not hasattr(os, "geteuid") or os.geteuid() != 0:
            pytest.skip("needs root to chown a link")
        from allykit.cli._commands.reflect import check_writable

        shared = tmp_path / "shared"
        shared.mkdir()
        shared.chmod(0o1777 | stat.S_IRWXU)
        link = shared / "j.json"
        link.symlink_to(tmp_path / "elsewhere.json")
        os.lchown(link, 12345, 12345)

        with pytest.raises(DataFileError, match="owned by another user"):
            check_writable(link)


def test_report_before_needs_an_id_column(tmp_path: Path) -> None:
    """Change pairs by id: without one, an error saying so, not 0 pairs."""
    source = tmp_path / "in.csv"
    source.write_text("ac-speak-up\n3\n4\n", "utf-8")

    result = _run(
        "report", INVENTORY, source, "--before", source, "-o", tmp_path / "r.html"
    )

    assert result.exit_code == 1
    assert "--id-column" in _message(result)


def test_score_reads_standard_input_and_never_writes_a_file_named_dash(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """'-' is CSV on standard input; as -o it is refused, not made a file."""
    source = _answers(tmp_path / "in.csv")
    monkeypatch.chdir(tmp_path)

    piped = runner.invoke(
        app,
        ["score", INVENTORY, "-", "--id-column", "who", "-o", "s.csv"],
        input=source.read_text("utf-8"),
    )
    dashed = _run("score", INVENTORY, source, "-o", "-")

    assert piped.exit_code == 0, piped.output
    assert (tmp_path / "s.csv").read_text("utf-8").startswith("who,")
    assert dashed.exit_code == 1
    assert not (tmp_path / "-").exists()


def test_score_disk_full_names_the_output(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No space left while the scores are written: the message names -o."""
    import errno

    source = _answers(tmp_path / "in.csv")
    out = tmp_path / "s.csv"

    class Full:
        def __init__(self, _handle: Any) -> None:
            pass

        def writerow(self, _row: Any) -> None:
            raise OSError(errno.ENOSPC, "No space left on device")

        writerows = writerow

    monkeypatch.setattr(csv, "writer", Full)

    result = _run("score", INVENTORY, source, "--id-column", "who", "-o", out)

    assert result.exit_code == 1
    assert f"cannot use the file {out}: No space left" in _message(result)
    assert _temporaries(tmp_path) == []
    assert not out.exists()


def test_both_engines_give_the_same_messages(tmp_path: Path) -> None:
    """Rows or frames: the same output, summary, errors and warnings."""
    source = _answers(tmp_path / "in.csv")
    results = []
    for engine in ("rows", "frames"):
        out = tmp_path / f"{engine}.csv"
        # A real process: the command shows warnings as a person sees them.
        result = subprocess.run(  # noqa: S603 -- this interpreter, fixed arguments
            [
                sys.executable, "-m", "allykit", "score", INVENTORY, str(source),
                "--id-column", "who", "-o", str(out), "--engine", engine,
            ],
            capture_output=True, text=True, check=False, timeout=120,
        )  # fmt: skip
        assert result.returncode == 0, result.stderr
        results.append((out.read_bytes(), result.stderr))

    assert results[0] == results[1]
