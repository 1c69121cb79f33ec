"""``allykit list`` counts agree with their nouns: "1 stage", "1 framework"."""

from __future__ import annotations

from typing import Any

from rich.console import Console

from allykit.cli._commands.browse import Listing, _print_stacked


def test_one_of_each_is_singular() -> None:
    """A single entry with one stage and one prompt reads in the singular."""
    out = Console(record=True, width=60)
    row: dict[str, Any] = {
        "id": "my-steps",
        "kind": "stage-model",
        "stages": 1,
        "prompts": 1,
        "name": "My steps",
        "source": "plugin",
    }

    _print_stacked(
        out, Listing.frameworks, [row], ("id", "kind", "stages", "prompts", "name")
    )

    text = out.export_text()
    assert text.splitlines()[0] == "1 framework"
    assert "kind: stage-model, 1 stage, 1 prompt" in text


def test_many_keep_the_plural() -> None:
    """Two entries, six stages: plural nouns."""
    out = Console(record=True, width=60)
    rows: list[dict[str, Any]] = [
        {"id": f"f{n}", "stages": 6, "prompts": 0, "name": "F", "source": "bundled"}
        for n in range(2)
    ]

    _print_stacked(out, Listing.frameworks, rows, ("id", "stages", "prompts", "name"))

    text = out.export_text()
    assert text.splitlines()[0] == "2 frameworks"
    assert "6 stages, 0 prompts" in text
