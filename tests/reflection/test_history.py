"""Tests of History: reading what it writes at any size, shared use, constructors."""

from __future__ import annotations

import json
import sys
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import allykit
from allykit import DataFileError, Framework, History, InvalidArgumentError
from allykit.catalog._loading import load_document, parse_json
from allykit.models.framework import FrameworkId, PromptId, StageId
from allykit.reflection import HistoryEntry
from allykit.reflection.history import MAX_HISTORY_BYTES


def _slow(text: str) -> History:
    """The full validation path (schema, then structure), for comparison."""
    data = parse_json(text, "<history>", limit=MAX_HISTORY_BYTES)
    return load_document(History, data, source="<history>", title="allykit history")


_IDS = st.sampled_from(["a", "ac-speak-up", "x" * 80, "x" * 81, "Bad Id", "a\n", ""])
_VALUES = _IDS | st.sampled_from([None, 3, 1.5, True, [], {}, ["a"], {"a": 1}])
_KEYS = st.sampled_from(["prompt", "stage", "cycle_step", "framework", "cycle", "x"])


@st.composite
def _documents(draw: st.DrawFn) -> str:
    """History-like JSON text, valid or broken in the ways a stored file can be."""
    entries: list[Any] = []
    for _ in range(draw(st.integers(min_value=0, max_value=6))):
        if draw(st.integers(min_value=0, max_value=9)) == 0:
            entries.append(draw(_VALUES))
            continue
        entry: dict[str, Any] = {"prompt": draw(_IDS)}
        entry.update(draw(st.dictionaries(_KEYS, _VALUES, max_size=3)))
        if draw(st.booleans()):
            del entry["prompt"]
        entries.append(entry)
    document: dict[str, Any] = {"entries": entries}
    if draw(st.booleans()):
        document["schema_version"] = draw(st.sampled_from([1, 2, True, 1.0, "1"]))
    if draw(st.integers(min_value=0, max_value=5)) == 0:
        document["$schema"] = draw(st.sampled_from(["x", None, 3]))
    if draw(st.integers(min_value=0, max_value=5)) == 0:
        document["extra"] = 1
    text = json.dumps(document)
    if draw(st.integers(min_value=0, max_value=5)) == 0:  # a duplicate key
        text = text.replace('"prompt": ', '"prompt": "a", "prompt": ', 1)
    return text


class TestFromJsonIsTheFullValidation:
    @settings(max_examples=300)
    @given(text=_documents())
    def test_same_result_or_same_errors(self, text: str) -> None:
        """The one-pass reader builds what the full check builds, or its errors."""
        try:
            expected = _slow(text)
        except DataFileError as error:
            with pytest.raises(DataFileError) as caught:
                History.from_json(text)
            assert caught.value.problems == error.problems
            if '"prompt": "a", "prompt"' in text:
                return  # a JSON-level error: there is no mapping to give from_dict
            with pytest.raises(DataFileError) as caught:
                History.from_dict(json.loads(text))
            assert caught.value.problems == error.problems
        else:
            assert History.from_json(text) == expected
            assert History.from_json(text.encode()) == expected
            assert History.from_dict(json.loads(text)) == expected

    def test_entries_not_a_list(self) -> None:
        """An object where the entries belong is located, not read as no entries."""
        with pytest.raises(DataFileError, match="entries"):
            History.from_json('{"entries": {}}')


def _long_entry(n: int) -> HistoryEntry:
    tail = f"-{n}"
    return HistoryEntry(
        prompt=PromptId("p" * (80 - len(tail)) + tail),
        stage=StageId("s" * 80),
        cycle_step=StageId("c" * 80),
        framework=FrameworkId("f" * 80),
        cycle=FrameworkId("y" * 80),
    )


class TestEveryHistoryWrittenReadsBack:
    def test_past_the_old_limit(self) -> None:
        """40,000 steps (past the 2 MiB of other documents) read back."""
        history = History(
            entries=tuple(
                HistoryEntry(prompt=PromptId(f"prompt-{n % 97}")) for n in range(40_000)
            )
        )

        text = history.to_json()

        assert len(text) > 2 * 1024 * 1024
        assert History.from_json(text) == history
        assert History.from_json(history.to_json(indent=2)) == history

    def test_at_the_cap(self) -> None:
        """The largest history to_json writes reads back; one step more is refused."""
        entry_size = len(
            json.dumps(History(entries=(_long_entry(0),)).to_dict()["entries"][0])
        )
        header = len(History().to_json())
        count = (MAX_HISTORY_BYTES - header + 2) // (entry_size + 2)
        entries = tuple(_long_entry(n % 1000) for n in range(count))
        history = History(entries=entries)

        text = history.to_json()

        assert MAX_HISTORY_BYTES - entry_size - 2 < len(text) <= MAX_HISTORY_BYTES
        assert History.from_json(text) == history
        grown = History(entries=(*entries, _long_entry(1)))
        with pytest.raises(InvalidArgumentError, match="from_json reads"):
            grown.to_json()
        with pytest.raises(DataFileError, match="larger than the limit"):
            History.from_json(json.dumps(grown.to_dict()))


class TestConstructors:
    def test_list_is_stored_as_tuple(self) -> None:
        """History(entries=[...]) takes a list (or any iterable) and keeps a tuple."""
        entry = HistoryEntry(prompt=PromptId("a"))

        history = History(entries=[entry, entry])

        assert history.entries == (entry, entry)
        assert history == History(entries=(entry, entry))
        assert hash(history) == hash(History(entries=iter([entry, entry])))

    @pytest.mark.parametrize("bad", [[1], ["a"], [{"prompt": "a"}], "ab", 5, None])
    def test_bad_entries(self, bad: Any) -> None:
        """Anything but entries (or steps) is an InvalidArgumentError, with where."""
        with pytest.raises(InvalidArgumentError, match="History"):
            History(entries=bad)

    def test_steps_become_entries(self, model: Framework) -> None:
        """Steps from next_step are converted with step.entry()."""
        step = allykit.next_step(model, History(), seed=1)

        assert History(entries=[step]).entries == (step.entry(),)

    @pytest.mark.parametrize(
        "fields", [{"prompt": 3}, {"prompt": None}, {"prompt": "a", "stage": 1}]
    )
    def test_bad_entry(self, fields: dict[str, Any]) -> None:
        """HistoryEntry refuses values that are not ids, with an allykit error."""
        with pytest.raises(InvalidArgumentError, match="HistoryEntry"):
            HistoryEntry(**fields)


@pytest.fixture(name="model")
def _model() -> Framework:
    return allykit.load_framework("ally-model")


@pytest.fixture(name="fast_switching")
def _fast_switching() -> Iterator[None]:
    """Switch threads as often as possible, to expose races."""
    before = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    yield
    sys.setswitchinterval(before)


@pytest.mark.usefixtures("fast_switching")
def test_sixteen_threads_share_one_history(model: Framework) -> None:
    """16 threads stepping, appending and reading one history agree with one thread."""
    history = History()
    for _ in range(40):
        history = history.append(allykit.next_step(model, history, seed=1))
    seeds = range(12)
    expected = {
        seed: allykit.next_step(model, History(entries=history.entries), seed=seed)
        for seed in seeds
    }
    errors: list[BaseException] = []
    wrong: list[int] = []
    start = threading.Barrier(16)

    def work(n: int) -> None:
        start.wait()
        try:
            for k in range(150):
                seed = (n + k) % 12
                if allykit.next_step(model, history, seed=seed) != expected[seed]:
                    wrong.append(seed)
                longer = history.append(expected[seed])
                allykit.next_step(model, longer, seed=seed)
        except BaseException as error:  # noqa: BLE001 -- any error is the failure
            errors.append(error)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert wrong == []


_ENTRY_FIELDS = ("prompt", "stage", "cycle_step", "framework", "cycle")


@given(
    field=st.sampled_from(_ENTRY_FIELDS),
    value=st.one_of(
        st.integers(), st.floats(), st.binary(), st.lists(st.text()), st.none()
    ),
)
def test_entry_refuses_a_field_that_is_not_an_id(field: str, value: object) -> None:
    """Each field is a str (or None, but for prompt); anything else names the field."""
    fields: dict[str, Any] = {"prompt": "a-prompt", field: value}
    if value is None and field != "prompt":
        assert getattr(HistoryEntry(**fields), field) is None
        return

    with pytest.raises(InvalidArgumentError, match=rf"HistoryEntry\.{field} must be"):
        HistoryEntry(**fields)


@given(values=st.lists(st.one_of(st.none(), st.text()), min_size=4, max_size=4))
def test_entry_keeps_str_and_none_fields(values: list[str | None]) -> None:
    """Any str or None in the optional fields is kept as given."""
    fields: dict[str, Any] = dict(zip(_ENTRY_FIELDS[1:], values, strict=True))
    entry = HistoryEntry(prompt=PromptId("p"), **fields)

    assert [getattr(entry, name) for name in _ENTRY_FIELDS[1:]] == values
