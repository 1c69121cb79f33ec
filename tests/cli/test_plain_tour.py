"""The plain tour (``python -m allykit`` without the cli extra) says what is true."""

from __future__ import annotations

import pytest

from allykit.catalog import available_frameworks
from allykit.catalog._store import bundled_ids
from allykit.cli._plain import main


def test_heading_does_not_call_plugins_bundled(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The list holds every available framework, so it is not called bundled."""
    main()
    lines = capsys.readouterr().out.splitlines()

    assert lines[0] == "allykit: available frameworks"
    listed = [line.split()[0] for line in lines[1 : 1 + len(available_frameworks())]]
    assert set(bundled_ids("frameworks")) <= set(listed)


def test_prompt_counts_agree(capsys: pytest.CaptureFixture[str]) -> None:
    """Each stage's prompt count agrees with its noun."""
    main()
    out = capsys.readouterr().out

    assert "(1 prompts)" not in out
    assert " prompts)" in out
