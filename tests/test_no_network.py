"""allykit never uses the network.

No module imports a network library, and loading, searching and scoring
open no socket.
"""

from __future__ import annotations

import ast
import socket
from pathlib import Path
from typing import Any

import pytest

import allykit

_NETWORK = {"socket", "ssl", "http", "urllib", "ftplib", "smtplib", "requests",
            "httpx", "aiohttp", "xmlrpc", "asyncio", "webbrowser"}  # fmt: skip
_SOURCE = Path(allykit.__file__).parent
#: Pure string helpers inside a network package: parsing a ``file:`` URL
#: (an editable install's ``direct_url.json``) opens no connection.
_PURE = {"urllib.parse"}


def _imported(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(
                alias.name.split(".")[0]
                for alias in node.names
                if alias.name not in _PURE
            )
        elif (
            isinstance(node, ast.ImportFrom)
            and node.module
            and not node.level
            and node.module not in _PURE
        ):
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize(
    "path",
    sorted(_SOURCE.rglob("*.py")),
    ids=lambda path: str(path.relative_to(_SOURCE)),
)
def test_no_network_imports(path: Path) -> None:
    """No module of allykit imports a network library."""
    assert not (_imported(path) & _NETWORK)


def test_catalogue_opens_no_socket(monkeypatch: pytest.MonkeyPatch) -> None:
    """Loading every document, searching and scoring open no socket."""

    def refuse(*_args: Any, **_kwargs: Any) -> None:
        pytest.fail("a socket was opened")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    allykit.clear_cache()
    for framework_id in allykit.catalog.available_frameworks():
        allykit.load_framework(framework_id)
    for instrument_id in allykit.catalog.available_instruments():
        allykit.load_instrument(instrument_id)
    allykit.search("ally")
    instrument = allykit.load_instrument("ally-model-reflection")
    allykit.score(instrument, {item.id: 3 for item in instrument.items})
