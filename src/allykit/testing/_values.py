"""Hypothesis strategies for plain values: ids, texts, citations, JSON, bad input.

Part of :mod:`allykit.testing`, the one strategies module: import from there.
"""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from allykit.models.framework import (
    Citation,
    CitationId,
)

__all__ = ["bad_values", "citations", "ids", "json_values", "texts"]

_WORD = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789", min_size=1, max_size=8)


def ids() -> st.SearchStrategy[str]:
    """Return a strategy for kebab-case ids (``"self-examination"``)."""
    return st.lists(_WORD, min_size=1, max_size=3).map("-".join)


def texts(*, max_size: int = 40) -> st.SearchStrategy[str]:
    """Return a strategy for non-blank text, including non-ASCII letters.

    Text holds no control characters but tab and newline (no C0, DEL or
    C1), nor a bidirectional override or isolate: data files refuse them
    (see ``control_problems`` in the catalogue).
    """
    alphabet = st.characters(
        codec="utf-8",
        exclude_characters=[
            *(chr(c) for c in range(32) if chr(c) not in "\t\n"),
            *(chr(c) for c in range(0x7F, 0xA0)),
            *(chr(c) for c in range(0x202A, 0x202F)),
            *(chr(c) for c in range(0x2066, 0x206A)),
        ],
    )
    return st.text(alphabet, min_size=1, max_size=max_size).filter(
        lambda t: bool(t.strip())
    )


def _optional_text() -> st.SearchStrategy[str]:
    return st.one_of(st.just(""), texts())


def _tags() -> st.SearchStrategy[tuple[str, ...]]:
    return st.lists(ids(), max_size=3, unique=True).map(tuple)


@st.composite
def citations(draw: st.DrawFn) -> Citation:
    """Return a strategy for citations whose parts may end in their own marks.

    Titles and publishers often end in a question mark, an exclamation mark
    or a full stop ("What Is Allyship?", "Routledge."); authors may be
    missing, and the publisher may be the author, as for a web page.
    """
    ending = st.sampled_from(["", ".", "?", "!", " "])
    title = draw(texts(max_size=20)) + draw(ending)
    authors = tuple(draw(st.lists(texts(max_size=12), max_size=3)))
    own = draw(texts(max_size=12)) + draw(ending)
    publisher = draw(st.sampled_from(["", ", ".join(authors), own]))
    return Citation(
        id=CitationId(draw(ids())),
        authors=authors,
        year=draw(st.one_of(st.none(), st.integers(1900, 2100))),
        title=title,
        publisher=publisher,
        url=draw(st.sampled_from(["", "https://example.org/a"])),
        note=draw(_optional_text()),
    )


def json_values(*, max_leaves: int = 30) -> st.SearchStrategy[Any]:
    """Return a strategy for arbitrary JSON values (what ``json.loads`` returns).

    Nulls, booleans, integers of any size, floats (infinities too, which
    ``json.dumps`` writes as ``Infinity``; not NaN), text, and lists and
    objects nesting them: for fuzzing code that reads user documents.
    """
    return st.recursive(
        st.none()
        | st.booleans()
        | st.integers()
        | st.floats(allow_nan=False)
        | st.text(max_size=20),
        lambda children: (
            st.lists(children, max_size=4)
            | st.dictionaries(st.text(max_size=12), children, max_size=5)
        ),
        max_leaves=max_leaves,
    )


def bad_values() -> st.SearchStrategy[Any]:
    """Return a strategy for values of the wrong type or out of range.

    None, booleans, huge and negative integers, NaN and infinities, bytes,
    empty and non-id strings, nested lists, dicts with non-string keys,
    plain objects, and arbitrary JSON: for checking that a function given
    any of them raises a helpful error rather than crashing.
    """
    return st.one_of(
        st.sampled_from(
            [
                None,
                True,
                False,
                0,
                -1,
                10**30,
                -(10**30),
                10**5000,
                float("nan"),
                float("inf"),
                float("-inf"),
                1.5,
                "",
                " ",
                "Not An Id",
                b"bytes",
                [],
                [[1]],
                {},
                {1: 2},
                {None: "x"},
                ("a", ["b"]),
                frozenset({1}),
            ]
        ),
        st.builds(object),
        json_values(max_leaves=8),
    )
