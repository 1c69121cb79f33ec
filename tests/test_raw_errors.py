"""Every raw exception is a bug; output cannot attack its reader.

Classes of input, not single examples: every C0 control character in text
and in keys, NUL bytes in every path-taking loader, ids of any length.
"""

from __future__ import annotations

import contextlib
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import allykit
from allykit.errors import (
    AllykitError,
    DataFileError,
    InvalidArgumentError,
    UnknownIdError,
)
from allykit.reflection.focus import plan_focus
from allykit.surveys import load_qualtrics_export, load_redcap_export
from allykit.testing import bad_values

_CONTROLS = [chr(code) for code in range(32) if chr(code) not in "\t\n"]


def _framework_dict() -> dict[str, Any]:
    return allykit.load_framework("ally-model").to_dict()


class TestControlCharacters:
    @pytest.mark.parametrize("control", _CONTROLS)
    def test_refused_in_text(self, control: str) -> None:
        """Each C0 control but tab and newline is refused in text, with its place."""
        data = _framework_dict()
        data["stages"][0]["name"] = f"Name{control}more"
        with pytest.raises(DataFileError) as caught:
            allykit.Framework.from_dict(data)
        paths = [problem.path for problem in caught.value.problems]
        assert "stages[0].name" in paths

    @pytest.mark.parametrize("allowed", ["\t", "\n"])
    def test_tab_and_newline_allowed(self, allowed: str) -> None:
        """Tab and newline stay allowed in text."""
        data = _framework_dict()
        data["stages"][0]["description"] = f"One{allowed}two"
        assert allykit.Framework.from_dict(data).stages[0].description.startswith("One")

    @pytest.mark.parametrize("control", ["\x1b", "\x07", "\x9b", "\x7f", "\r"])
    def test_messages_escape_controls(self, control: str) -> None:
        """No error message holds a raw control character (terminal escapes)."""
        data = _framework_dict()
        data[f"key{control}]0;title"] = 1
        with pytest.raises(DataFileError) as caught:
            allykit.Framework.from_dict(data)
        message = str(caught.value)
        assert control not in message.replace("\n", "")
        assert "\\x" in message or "\\r" in message

    def test_validate_prints_no_escape_sequence(self, tmp_path: Path) -> None:
        """`allykit validate` on a file whose key holds ESC prints it escaped."""
        from typer.testing import CliRunner

        from allykit.cli._app import app

        data = _framework_dict()
        data["x\x1b[2J\x1b]0;pwned\x07"] = 1
        path = tmp_path / "evil.json"
        path.write_text(json.dumps(data), encoding="utf-8")

        result = CliRunner().invoke(app, ["validate", str(path)])

        assert result.exit_code == 1
        assert "\x1b" not in result.output
        assert "\x07" not in result.output


class TestBoundedMessages:
    @pytest.mark.parametrize("size", [1_000, 1_000_000])
    def test_unknown_ids_cut(self, size: int) -> None:
        """An unknown id of any length gives a message of bounded length."""
        wanted = "x" * size
        framework = allykit.load_framework("ally-model")
        with pytest.raises(UnknownIdError) as stage_error:
            framework.stage(wanted)
        with pytest.raises(allykit.UnknownFrameworkError) as framework_error:
            allykit.load_framework(wanted)
        instrument = allykit.load_instrument("ally-model-reflection")
        with pytest.raises(UnknownIdError) as item_error:
            instrument.item(wanted)
        for caught in (stage_error, framework_error, item_error):
            assert len(str(caught.value)) < 1_000
            assert caught.value.wanted == wanted

    def test_huge_source_name_cut(self) -> None:
        """A huge source name is cut in the message, kept whole in the error."""
        source = "s" * 100_000
        with pytest.raises(DataFileError) as caught:
            allykit.Framework.from_json("{", source=source)
        assert len(str(caught.value)) < 1_000
        assert caught.value.source == source


class TestNoRawExceptions:
    @pytest.mark.parametrize(
        "load",
        [
            allykit.load_framework_file,
            allykit.load_instrument_file,
            lambda path: load_redcap_export(path, fields={"a": "a"}),
            lambda path: load_qualtrics_export(path, fields={"a": "a"}),
        ],
        ids=["framework", "instrument", "redcap", "qualtrics"],
    )
    def test_nul_byte_in_path(self, load: Any) -> None:
        """A NUL byte in a path is a DataFileError, not a ValueError from open()."""
        with pytest.raises(DataFileError, match="NUL byte"):
            load("bad\x00name.json")

    @pytest.mark.parametrize(
        "value", [10**400, -(10**5000), float("inf")], ids=["big", "huge", "inf"]
    )
    def test_huge_profile_value(self, value: float) -> None:
        """A huge profile score is an InvalidArgumentError, not an OverflowError."""
        framework = allykit.load_framework("ally-model")
        with pytest.raises(InvalidArgumentError, match="0-100"):
            plan_focus(framework, profile={"action": value})


class TestPathArguments:
    """Every function that takes a path names the argument that was not one."""

    @pytest.mark.parametrize("bad", [5, None, 2.5, ["a.csv"]])
    def test_score_file(self, bad: Any, tmp_path: Path) -> None:
        """Both the answers and the output must be paths."""
        from allykit.scoring import score_file

        instrument = allykit.load_instrument("ally-model-reflection")
        with pytest.raises(InvalidArgumentError, match="source must be a file path"):
            score_file(instrument, bad, tmp_path / "out.csv")
        with pytest.raises(InvalidArgumentError, match="output must be a file path"):
            score_file(instrument, tmp_path / "in.csv", bad)

    @settings(max_examples=80, deadline=None)
    @given(
        option=st.sampled_from(
            ["id_column", "encoding", "engine", "provenance", "reads", "ignore"]
        ),
        value=st.one_of(
            bad_values(), st.sampled_from(["\x00", "a\x00.json", [5], b"in"])
        ),
    )
    def test_score_file_options(self, option: str, value: Any) -> None:
        """Any value for any option of score_file: a result or an allykit error.

        score_file reads its file itself: it checks id_column and encoding
        as read_answers does (they were a raw TypeError or ValueError).
        """
        import tempfile

        from allykit.scoring import score_file

        instrument = allykit.load_instrument("ally-model-reflection")
        with tempfile.TemporaryDirectory() as folder:
            source = Path(folder) / "in.csv"
            source.write_text("id,ac-speak-up\np1,3\n", encoding="utf-8")
            with contextlib.suppress(AllykitError):
                score_file(
                    instrument, source, Path(folder) / "out.csv", **{option: value}
                )

    @pytest.mark.parametrize("bad", [5, 2.5, b"out"])
    def test_outputs_and_bundles(self, bad: Any) -> None:
        """The output guard and the bundle say which argument was not a path."""
        from allykit.bundle import build_bundle, write_bundle
        from allykit.outputs import check_output

        with pytest.raises(InvalidArgumentError, match="output must be a file path"):
            check_output(bad)
        with pytest.raises(InvalidArgumentError, match="directory must be a file path"):
            write_bundle(bad)
        with pytest.raises(InvalidArgumentError, match="files"):
            build_bundle(files=[bad])
        with pytest.raises(InvalidArgumentError, match="files must be a list"):
            build_bundle(files=5)  # type: ignore[arg-type]

    def test_instrument_status(self) -> None:
        """Anything but an instrument is named."""
        from allykit.scoring import instrument_status

        with pytest.raises(InvalidArgumentError, match="not 5"):
            instrument_status(5)  # type: ignore[arg-type]
