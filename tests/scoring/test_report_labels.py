r"""Labels handed to Matplotlib are plain text (issue 20 item 4).

A scale name with ``$\foo$`` crashed the report (Matplotlib read it as
mathtext) and ``$5 and $10`` rendered in math italics.
"""

from __future__ import annotations

import re
import warnings

import attrs
import pytest

from allykit.catalog import load_instrument

pytest.importorskip("matplotlib", reason="the report needs the report extra")

from allykit.scoring import html_report


@pytest.mark.parametrize("name", [r"$\foo$ scale", "Between $5 and $10"])
def test_a_dollar_in_a_scale_name_is_plain_text(name: str) -> None:
    """The report renders, and no glyph is set in the oblique (math) face."""
    inventory = load_instrument("ally-model-reflection")
    scales = tuple(attrs.evolve(scale, name=name) for scale in inventory.scales)
    renamed = attrs.evolve(inventory, scales=scales)
    rows = [
        {"id": f"p{n}"}
        | {item.id: 1 + (n + i) % 5 for i, item in enumerate(renamed.items)}
        for n in range(12)
    ]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        page = html_report(renamed, rows)

    # Glyph ids carry a per-figure prefix (ids are unique across the page).
    faces = set(
        re.findall(r'id="(?:f[0-9a-f]+-)?(DejaVuSans[A-Za-z-]*)-[0-9a-f]+"', page)
    )
    assert faces, "the histograms draw their labels"
    assert not any("Oblique" in face or "Italic" in face for face in faces), faces
