"""``allykit bundle -o DIR``: the command over :func:`allykit.bundle.write_bundle`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from allykit.bundle import build_bundle
from allykit.cli._app import app

runner = CliRunner()


def _tree(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def _own(path: Path, framework_id: str = "my-model") -> Path:
    path.write_text(
        json.dumps(
            {
                "id": framework_id,
                "name": "Mine",
                "summary": "Written for the tests.",
                "kind": "stage-model",
                "licence": {"spdx": "MIT", "note": "Mine."},
                "citations": [{"id": "me", "authors": ["Me"], "year": 1, "title": "T"}],
            }
        ),
        encoding="utf-8",
    )
    return path


class TestBundleCommand:
    def test_writes_the_library_bundle(self, tmp_path: Path) -> None:
        """The folder holds what build_bundle gives; the summary goes to stderr."""
        result = runner.invoke(app, ["bundle", "-o", str(tmp_path / "out")])

        assert result.exit_code == 0, result.output
        assert _tree(tmp_path / "out") == dict(build_bundle().files)
        assert result.stdout == ""
        bundle = build_bundle()
        frameworks = sum(e["kind"] == "framework" for e in bundle.documents)
        assert f"{frameworks} frameworks, " in result.stderr
        assert f"licence {bundle.licence}" in result.stderr

    def test_json_summary(self, tmp_path: Path) -> None:
        """--json prints what was written, for a script to read."""
        result = runner.invoke(
            app, ["bundle", "-o", str(tmp_path / "out"), "--json", "--name", "x-y"]
        )
        summary = json.loads(result.stdout)

        assert summary["name"] == "x-y"
        assert summary["documents"] == len(build_bundle().documents)
        assert summary["files"] == len(_tree(tmp_path / "out"))

    def test_twice_the_same_bytes(self, tmp_path: Path) -> None:
        """Two runs, two folders, identical bytes."""
        for name in ("a", "b"):
            result = runner.invoke(app, ["bundle", "-o", str(tmp_path / name)])
            assert result.exit_code == 0, result.output

        assert _tree(tmp_path / "a") == _tree(tmp_path / "b")

    def test_refuses_a_folder_with_files(self, tmp_path: Path) -> None:
        """Status 1, one line that says what to do, the folder untouched."""
        (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
        result = runner.invoke(app, ["bundle", "-o", str(tmp_path)])

        assert result.exit_code == 1
        assert "is not empty" in result.stderr
        assert "--force" in result.stderr
        assert "Traceback" not in result.output
        assert _tree(tmp_path) == {"notes.txt": b"mine"}

    def test_force_replaces_an_earlier_bundle(self, tmp_path: Path) -> None:
        """--force replaces the files an earlier bundle wrote."""
        out = str(tmp_path / "out")
        first = runner.invoke(
            app, ["bundle", "-o", out, "--file", str(_own(tmp_path / "m.json"))]
        )
        again = runner.invoke(app, ["bundle", "-o", out, "--force"])

        assert (first.exit_code, again.exit_code) == (0, 0)
        assert _tree(tmp_path / "out") == dict(build_bundle().files)

    def test_own_files_and_version(self, tmp_path: Path) -> None:
        """--file (repeatable) adds documents; --version sets the package version."""
        result = runner.invoke(
            app,
            [
                "bundle",
                "-o",
                str(tmp_path / "out"),
                "--file",
                str(_own(tmp_path / "one.json", "one-model")),
                "--file",
                str(_own(tmp_path / "two.json", "two-model")),
                "--version",
                "3.0.0",
            ],
        )
        package = json.loads((tmp_path / "out" / "package.json").read_bytes())

        assert result.exit_code == 0, result.output
        assert package["version"] == "3.0.0"
        catalogue = build_bundle().licence.split(" AND ")
        assert package["license"] == " AND ".join(sorted({*catalogue, "MIT"}))
        assert (tmp_path / "out" / "frameworks" / "two-model.json").is_file()

    def test_bad_arguments_are_one_line(self, tmp_path: Path) -> None:
        """A bad name, version or file: status 1, a message, nothing written."""
        for extra in (
            ["--name", "Not A Name"],
            ["--version", "1.0"],
            ["--file", str(tmp_path / "missing.json")],
        ):
            result = runner.invoke(app, ["bundle", "-o", str(tmp_path / "o"), *extra])

            assert result.exit_code == 1, extra
            assert result.stderr.startswith("allykit: error: "), extra
            assert "Traceback" not in result.output
            assert not (tmp_path / "o").exists()

    def test_no_stdout(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        """-o - (stdout for other commands) is refused: a bundle is a folder."""
        monkeypatch.chdir(tmp_path)
        result = runner.invoke(app, ["bundle", "-o", "-"])

        assert result.exit_code == 1
        assert "name a folder" in result.stderr
        assert list(tmp_path.iterdir()) == []

    def test_output_is_required(self) -> None:
        """Without -o the command says so (usage error, status 2)."""
        result = runner.invoke(app, ["bundle"])

        assert result.exit_code == 2
        assert "-o" in result.output


class TestReadFilesNeverReplaced:
    """--force replaces an earlier bundle, never a file the same run reads."""

    @pytest.mark.parametrize("link", ["same", "hard"])
    def test_file_from_the_bundle_itself(self, tmp_path: Path, link: str) -> None:
        """A --file inside the bundle (or a hard link to one) is refused."""
        mine = _own(tmp_path / "mine.json")
        out = tmp_path / "bundle"
        first = runner.invoke(app, ["bundle", "-o", str(out), "--file", str(mine)])
        assert first.exit_code == 0, first.output
        inner = next(out.rglob("my-model.json"))
        read = inner
        if link == "hard":
            read = tmp_path / "linked.json"
            read.hardlink_to(inner)
        before = _tree(out)
        again = runner.invoke(
            app, ["bundle", "-o", str(out), "--force", "--file", str(read)]
        )
        assert again.exit_code == 1, again.output
        assert "a file this run reads" in again.output
        assert _tree(out) == before
