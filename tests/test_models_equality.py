"""The domain classes' shared methods behave as attrs' own would.

``allykit.models.framework`` writes equality, hash and repr once (``_Value``,
``_field_repr``) instead of letting attrs compile them for every class, and
``allykit.models.instrument`` reuses them. These tests compare them with twin
classes for which attrs does generate them.
"""

from __future__ import annotations

import copy
import itertools
import pickle
from typing import Any

import attrs
from hypothesis import given
from hypothesis import strategies as st

import allykit
from allykit import instruments, models, scales
from allykit.catalog import bundled_ids
from allykit.models._convert import structure
from allykit.testing import frameworks
from allykit.testing import instruments as generated_instruments

_CLASSES = (
    models.Citation,
    models.Licence,
    models.Stage,
    models.Characteristic,
    models.ReflectivePrompt,
    models.Principle,
    models.DeprecatedId,
    models.Framework,
    instruments.Choice,
    instruments.Alias,
    instruments.ResponseScale,
    instruments.Item,
    instruments.Scale,
    instruments.Band,
    instruments.Instrument,
    scales.Subscale,
    scales.PublishedScale,
)
#: Classes whose repr is the field list (the others print a summary).
_FIELD_REPR = tuple(
    cls for cls in _CLASSES if cls not in {models.Framework, instruments.Instrument}
)

_TWINS: dict[type, type] = {
    cls: attrs.make_class(
        f"{cls.__name__}Twin",
        {f.name: attrs.field(eq=f.eq, hash=f.hash) for f in attrs.fields(cls)},
        frozen=True,
    )
    for cls in _CLASSES
}


def _twin(obj: Any) -> Any:
    twin = _TWINS[type(obj)]
    return twin(*[getattr(obj, f.name) for f in attrs.fields(type(obj))])


def _parts(framework: models.Framework) -> list[Any]:
    return [
        framework,
        framework.licence,
        *framework.citations,
        *framework.stages,
        *framework.characteristics,
        *framework.prompts,
        *framework.principles,
        *framework.deprecated_ids,
    ]


def _instrument_parts(instrument: instruments.Instrument) -> list[Any]:
    found: list[Any] = [instrument, *instrument.citations, *instrument.items]
    found.extend([*instrument.scales, *instrument.bands])
    found.append(instrument.licence)
    if instrument.published is not None:
        found.extend([instrument.published, *instrument.published.subscales])
    scales = [instrument.response_scale, *(i.response_scale for i in instrument.items)]
    for scale in scales:
        if scale is not None:
            found.extend([scale, *scale.choices, *scale.aliases])
    return found


def _check_pair(a: Any, b: Any) -> None:
    if type(a) in _FIELD_REPR:
        twin_repr = repr(_twin(a))
        assert repr(a) == type(a).__name__ + twin_repr[twin_repr.index("(") :]
    assert (a == b) is (_twin(a) == _twin(b) if type(a) is type(b) else False)
    assert (a != b) is (a != b)
    if a == b:
        assert hash(a) == hash(b)


def test_generated_by_attrs_is_off() -> None:
    """The classes use the shared methods (the point of the change)."""
    for cls in _CLASSES:
        assert cls.__eq__ is models._Value.__eq__
        assert cls.__hash__ is models._Value.__hash__


def test_bundled_frameworks() -> None:
    """Copies are equal with equal hashes; different parts differ, as twins do."""
    loaded = [allykit.load_framework(f) for f in bundled_ids("frameworks")]
    for framework in loaded:
        fresh = models.Framework.from_dict(framework.to_dict())
        assert fresh is not framework
        if framework.stages:
            framework.stage(framework.stages[0].id)  # fills the eq=False cache
        assert fresh == framework
        assert hash(fresh) == hash(framework)
        assert pickle.loads(pickle.dumps(framework)) == framework  # noqa: S301
        assert copy.deepcopy(framework) == framework
        parts = _parts(framework)
        for a, b in itertools.pairwise(parts):
            _check_pair(a, b)
    for a, b in itertools.pairwise(loaded):
        _check_pair(a, b)
        assert hash(a) != hash(b)
    assert loaded[0] != "not a framework"
    assert loaded[0].__eq__(object()) is NotImplemented


@given(data=st.data())
def test_changed_fields(data: st.DataObject) -> None:
    """Changing any compared field breaks equality, exactly as for the twins."""
    framework = data.draw(frameworks())
    for part in _parts(framework):
        for field in attrs.fields(type(part)):
            if not field.init:
                continue
            other = data.draw(st.sampled_from(_parts(framework)))
            value = getattr(other, field.name, None)
            try:
                changed = attrs.evolve(part, **{field.alias: value})
            except (TypeError, ValueError):
                continue
            _check_pair(part, changed)
            _check_pair(changed, part)


def test_bundled_instruments() -> None:
    """The instrument classes compare, hash and print as attrs' would."""
    for instrument_id in bundled_ids("instruments"):
        instrument = allykit.load_instrument(instrument_id)
        fresh = instruments.Instrument.from_dict(instrument.to_dict())
        assert fresh is not instrument
        assert fresh == instrument
        assert hash(fresh) == hash(instrument)
        parts = _instrument_parts(instrument)
        for a, b in itertools.pairwise(parts):
            _check_pair(a, b)
        for part in parts:
            _check_pair(part, copy.copy(part))


def test_bundled_scales() -> None:
    """The published-scale classes compare, hash, print and pickle as attrs' would."""
    loaded = [allykit.load_scale(s) for s in bundled_ids("scales")]
    for scale in loaded:
        fresh = structure(scales.PublishedScale, scale.to_dict())
        assert fresh is not scale
        assert fresh == scale
        assert hash(fresh) == hash(scale)
        assert pickle.loads(pickle.dumps(scale)) == scale  # noqa: S301
        assert copy.deepcopy(scale) == scale
        parts: list[Any] = [scale, *scale.subscales, scale.citation, scale.licence]
        for a, b in itertools.pairwise(parts):
            _check_pair(a, b)
        for part in parts:
            _check_pair(part, copy.copy(part))
            for field in attrs.fields(type(part)):
                changed = attrs.evolve(part, **{field.alias: None})
                _check_pair(part, changed)
                _check_pair(changed, part)
    for a, b in itertools.pairwise(loaded):
        _check_pair(a, b)
        assert hash(a) != hash(b)


@given(data=st.data())
def test_changed_instrument_fields(data: st.DataObject) -> None:
    """Changing any compared field of an instrument part, as for the twins."""
    instrument = data.draw(generated_instruments())
    parts = _instrument_parts(instrument)
    for part in parts:
        for field in attrs.fields(type(part)):
            if not field.init:
                continue
            other = data.draw(st.sampled_from(parts))
            value = getattr(other, field.name, None)
            try:
                changed = attrs.evolve(part, **{field.alias: value})
            except (TypeError, ValueError):
                continue
            _check_pair(part, changed)
            _check_pair(changed, part)
