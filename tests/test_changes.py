"""Tests of change control: deprecated ids, released-id snapshot, diffs, hashes."""

from __future__ import annotations

import json
import warnings
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given, settings

import allykit
from allykit import DataFileError, StageId
from allykit.catalog._store import bundled_ids
from allykit.errors import AllykitDeprecationWarning
from allykit.models.framework import DeprecatedId, ItemId, PrincipleId
from allykit.testing import frameworks

SNAPSHOT = Path(__file__).parent / "released_ids.json"
COLLECTIONS = ("stages", "characteristics", "prompts", "principles", "citations")


def _with_deprecation(**changes: Any) -> dict[str, Any]:
    data = allykit.load_framework("ally-model").to_dict()
    entry = {
        "collection": "stages",
        "id": "self-reflection",
        "replaced_by": "self-examination",
        "since": "1.1.0",
    }
    entry.update(changes)
    data["deprecated_ids"] = [entry]
    return data


class TestDeprecatedIds:
    def test_old_id_resolves_with_warning(self) -> None:
        """A deprecated stage id returns the replacement and warns."""
        framework = allykit.Framework.from_dict(_with_deprecation())

        with pytest.warns(AllykitDeprecationWarning, match="use 'self-examination'"):
            stage = framework.stage("self-reflection")

        assert stage.id == "self-examination"

    def test_prompts_for_old_stage(self) -> None:
        """Stage-based helpers resolve old ids too."""
        framework = allykit.Framework.from_dict(_with_deprecation())

        with pytest.warns(AllykitDeprecationWarning):
            prompts = framework.prompts_for("self-reflection")

        assert prompts == framework.prompts_for("self-examination")

    def test_live_ids_do_not_warn(self) -> None:
        """Live ids resolve silently."""
        framework = allykit.Framework.from_dict(_with_deprecation())

        with warnings.catch_warnings():
            warnings.simplefilter("error")
            framework.stage("self-examination")

    def test_replacement_must_exist(self) -> None:
        """A replaced_by that is not a live id is reported with a suggestion."""
        with pytest.raises(DataFileError, match="did you mean 'self-examination'"):
            allykit.Framework.from_dict(
                _with_deprecation(replaced_by="self-examinaton")
            )

    def test_old_id_must_not_be_live(self) -> None:
        """A live id cannot also be deprecated."""
        with pytest.raises(DataFileError, match="still live"):
            allykit.Framework.from_dict(_with_deprecation(id="action"))

    def test_default_is_empty(self) -> None:
        """Existing files need no deprecated_ids field."""
        assert allykit.load_framework("ally-model").deprecated_ids == ()

    def test_unknown_still_raises(self) -> None:
        """An id that is neither live nor deprecated raises UnknownIdError."""
        framework = allykit.Framework.from_dict(_with_deprecation())

        with pytest.raises(allykit.UnknownIdError):
            framework.stage("nowhere")


class TestReleasedIds:
    def test_no_released_id_disappears(self) -> None:
        """Every released id is still live, or deprecated with a replacement."""
        released = json.loads(SNAPSHOT.read_text("utf-8"))
        missing = []
        for framework_id, collections in released["frameworks"].items():
            framework = allykit.get_framework(framework_id)
            if framework is None:
                missing.append(framework_id)
                continue
            retired = {(d.collection, d.id) for d in framework.deprecated_ids}
            for collection, ids in collections.items():
                live = {item.id for item in getattr(framework, collection)}
                missing.extend(
                    f"{framework_id}:{collection}:{item_id}"
                    for item_id in ids
                    if item_id not in live and (collection, item_id) not in retired
                )
        missing.extend(
            c
            for c in released["crosswalks"]
            if c not in allykit.catalog.available_crosswalks()
        )
        missing.extend(
            s for s in released["scales"] if s not in allykit.catalog.available_scales()
        )

        assert not missing, "released ids removed without replaced_by: " + ", ".join(
            missing
        )

    def test_snapshot_covers_current_ids(self) -> None:
        """The snapshot lists every id shipped now (regenerate it when adding)."""
        released = json.loads(SNAPSHOT.read_text("utf-8"))

        for framework_id in bundled_ids("frameworks"):
            framework = allykit.load_framework(framework_id)
            for collection in COLLECTIONS:
                ids = {item.id for item in getattr(framework, collection)}
                assert ids <= set(released["frameworks"][framework_id][collection])


class TestDiff:
    def test_identical(self) -> None:
        """A framework compared with itself is unchanged."""
        framework = allykit.load_framework("becoming-an-ally")

        diff = allykit.changes.diff_frameworks(framework, framework)

        assert diff.unchanged
        assert not diff.breaking

    def test_added_removed_moved_reworded(self) -> None:
        """Each kind of change is listed under its own heading."""
        old = allykit.load_framework("ally-development-levels")
        first, second, *rest = old.stages
        new = attrs.evolve(
            old,
            data_version="1.1.0",
            stages=(
                attrs.evolve(second, position=1),
                attrs.evolve(first, position=2, summary="Changed."),
                *rest,
            ),
            prompts=old.prompts[1:],
            principles=(
                *old.principles,
                attrs.evolve(old.principles[0], id=PrincipleId("brand-new")),
            ),
        )

        diff = allykit.changes.diff_frameworks(old, new)

        assert [(c.collection, c.id) for c in diff.added] == [
            ("principles", "brand-new")
        ]
        assert [c.id for c in diff.removed] == [old.prompts[0].id]
        assert [(c.id, c.fields) for c in diff.reworded] == [
            ("awareness", ("summary",))
        ]
        assert [(c.id, c.fields) for c in diff.moved] == [
            ("awareness", ("position",)),
            ("knowledge", ("position",)),
        ]
        assert diff.framework_fields == ("data_version",)
        assert diff.breaking

    def test_deprecated_is_not_removed(self) -> None:
        """A retired id with replaced_by is listed as deprecated, not removed."""
        old = allykit.load_framework("ally-model")
        stage = attrs.evolve(old.stages[0], id=StageId("self-reflection"))
        new = attrs.evolve(
            old,
            stages=(stage, *old.stages[1:]),
            deprecated_ids=(
                DeprecatedId(
                    collection="stages",
                    id=ItemId("self-examination"),
                    replaced_by=ItemId("self-reflection"),
                    since="1.1.0",
                ),
            ),
        )

        diff = allykit.changes.diff_frameworks(old, new)

        assert [(c.id, c.replaced_by) for c in diff.deprecated] == [
            ("self-examination", "self-reflection")
        ]
        assert not diff.removed

    @settings(max_examples=25)
    @given(old=frameworks(), new=frameworks())
    def test_added_and_removed_are_disjoint(
        self, old: allykit.Framework, new: allykit.Framework
    ) -> None:
        """No item is both added and removed, and self-diffs are empty."""
        diff = allykit.changes.diff_frameworks(old, new)

        added = {(c.collection, c.id) for c in diff.added}
        removed = {(c.collection, c.id) for c in diff.removed}
        assert not added & removed
        assert allykit.changes.diff_frameworks(new, new).unchanged


class TestProvenance:
    @pytest.mark.parametrize("framework_id", bundled_ids("frameworks"))
    def test_version_and_hash(self, framework_id: str) -> None:
        """Every framework has a data version and a stable sha256 content hash."""
        framework = allykit.load_framework(framework_id)

        assert framework.data_version
        assert len(framework.content_hash) == 64
        assert (
            framework.content_hash
            == allykit.Framework.from_json(framework.to_json(indent=None)).content_hash
        )
