"""Tests for the framework worksheets (Markdown and printable HTML)."""

from __future__ import annotations

import shutil
import struct
import subprocess
import zlib
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import given

import allykit
from allykit import Framework
from allykit.testing import frameworks
from allykit.worksheets import render_html_worksheet, render_markdown_worksheet


def _hostile() -> Framework:
    model = allykit.load_framework("ally-model")
    data = model.to_dict()
    data["name"] = '<script>alert("x")</script> & *bold* [link](http://e.invalid)'
    data["stages"][0]["name"] = "<img src=x onerror=alert(1)>"
    return Framework.from_dict(data)


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.attributes: list[tuple[str, str | None]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attributes.extend(attrs)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _parse(page: str) -> _Collector:
    collector = _Collector()
    collector.feed(page)
    return collector


class TestMarkdownWorksheet:
    def test_stages_and_prompts_in_order(self) -> None:
        """Every stage is a heading, in order, with each of its prompts."""
        model = allykit.load_framework("ally-model")

        sheet = render_markdown_worksheet(model)

        positions = [sheet.index(f"## {s.position}. ") for s in model.stages]
        assert positions == sorted(positions)
        assert sheet.count("> &nbsp;") == 2 * len(model.prompts)

    def test_escapes_markup(self) -> None:
        """Markdown and HTML in the data are escaped."""
        sheet = render_markdown_worksheet(_hostile())

        assert "<script>" not in sheet
        assert "<img" not in sheet
        assert r"\*bold\*" in sheet

    def test_cites_sources(self) -> None:
        """The sheet ends with the citations and the licence."""
        model = allykit.load_framework("ally-model")

        sheet = render_markdown_worksheet(model)

        assert "Tulane University" in sheet
        assert "Licence: CC-BY-4.0" in sheet

    def test_no_stage_framework(self) -> None:
        """A framework without stages still gets a reflection section."""
        data = allykit.load_framework("ally-model").to_dict()
        data["stages"] = []
        data["characteristics"] = []
        data["prompts"] = [{"id": "p", "text": "What now?"}]

        sheet = render_markdown_worksheet(Framework.from_dict(data))

        assert "## Reflection" in sheet
        assert "What now?" in sheet


class TestHtmlWorksheet:
    def test_self_contained(self) -> None:
        """No scripts, no links, no external resources of any kind."""
        page = render_html_worksheet(allykit.load_framework("ally-model"))
        parsed = _parse(page)

        assert not {"script", "link", "img", "iframe", "a", "object"} & set(parsed.tags)
        assert not [name for name, _ in parsed.attributes if name in {"src", "href"}]
        assert "@media print" in page
        assert "url(" not in page

    def test_escapes_markup(self) -> None:
        """HTML in the data arrives as text, never as elements."""
        page = render_html_worksheet(_hostile())
        parsed = _parse(page)

        assert "script" not in parsed.tags
        assert "img" not in parsed.tags
        assert "<img src=x onerror=alert(1)>" in "".join(parsed.text)

    @given(framework=frameworks())
    def test_every_text_survives(self, framework: Framework) -> None:
        """Any framework renders; its stage names and prompts read back as text."""
        page = render_html_worksheet(framework)
        text = "".join(_parse(page).text)

        for stage in framework.stages:
            assert stage.name in text
        for prompt in framework.prompts:
            assert prompt.text in text
        assert "script" not in _parse(page).tags

    @given(framework=frameworks())
    def test_markdown_renders_any(self, framework: Framework) -> None:
        """Any framework renders to Markdown with one heading per stage."""
        sheet = render_markdown_worksheet(framework)

        assert sum(line.startswith("## ") for line in sheet.splitlines()) >= len(
            framework.stages
        )


def _chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome", "chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


def _png_facts(data: bytes) -> tuple[int, int, bool]:
    """Return (width, height, has non-white pixels) of an 8-bit RGB(A) PNG."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    offset = 8
    idat = b""
    width = height = 0
    channels = 3
    while offset < len(data):
        (length,) = struct.unpack(">I", data[offset : offset + 4])
        kind = data[offset + 4 : offset + 8]
        body = data[offset + 8 : offset + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour = struct.unpack(">IIBB", body[:10])
            assert depth == 8
            channels = {2: 3, 6: 4}[colour]
        elif kind == b"IDAT":
            idat += body
        offset += 12 + length
    raw = zlib.decompress(idat)
    stride = width * channels + 1
    # Filter bytes aside, a row of pure white is all 0xff (or 0 after a
    # Sub/Up filter); any other byte means something was drawn.
    dark = any(
        any(byte not in {0, 255} for byte in raw[row * stride + 1 : (row + 1) * stride])
        for row in range(0, height, 7)
    )
    return width, height, dark


class TestScreenshot:
    @pytest.mark.reference
    def test_renders_in_headless_chromium(self, tmp_path: Path) -> None:
        """The printable worksheet renders to a non-blank page in headless Chromium."""
        browser = _chromium()
        if browser is None:
            pytest.skip(
                "no chromium on PATH; .ci/run installs Debian's chromium with apt "
                "when it can ('apt-get install -y chromium')"
            )
        page = tmp_path / "worksheet.html"
        page.write_text(
            render_html_worksheet(allykit.load_framework("ally-model")),
            encoding="utf-8",
        )
        shot = tmp_path / "worksheet.png"
        command = [
            browser,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={tmp_path / 'profile'}",
            f"--screenshot={shot}",
            "--window-size=1200,1600",
            page.as_uri(),
        ]
        try:
            subprocess.run(  # noqa: S603 -- fixed arguments, local browser
                command, capture_output=True, timeout=90, check=False
            )
        except subprocess.TimeoutExpired:
            pytest.skip("chromium did not finish within 90 s on this machine")

        assert shot.exists(), "chromium wrote no screenshot"
        data = shot.read_bytes()
        width, height, drawn = _png_facts(data)
        assert len(data) > 20_000
        assert (width, height) == (1200, 1600)
        assert drawn
