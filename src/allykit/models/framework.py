"""The domain objects: frameworks, stages, characteristics, prompts, principles.

Every class is a frozen attrs class whose collections are tuples, so
instances are immutable, hashable and safe to share between threads. The
on-disk format (see ``docs/data-format.md``) is derived from these classes:
each field's ``metadata["doc"]`` becomes its description in the JSON Schema.
"""

# Annotations are not postponed here: attrs keeps each field's type as an
# object, which the converter (models/_convert.py) reads without evaluating
# strings again.

import functools
from typing import Any, Literal, NewType

import attrs

from allykit.errors import AllykitDeprecationWarning, UnknownIdError, short_repr
from allykit.models._document import Document

__all__ = [
    "Characteristic",
    "CharacteristicId",
    "Citation",
    "CitationId",
    "Collection",
    "DeprecatedId",
    "Direction",
    "Framework",
    "FrameworkId",
    "FrameworkKind",
    "ItemId",
    "Level",
    "Licence",
    "ModellingNote",
    "Principle",
    "PrincipleId",
    "PrincipleKind",
    "PromptId",
    "PromptKind",
    "ReflectivePrompt",
    "SharedItems",
    "SourceLocator",
    "Stage",
    "StageId",
]

FrameworkId = NewType("FrameworkId", str)
StageId = NewType("StageId", str)
CharacteristicId = NewType("CharacteristicId", str)
PromptId = NewType("PromptId", str)
PrincipleId = NewType("PrincipleId", str)
CitationId = NewType("CitationId", str)
#: The id of an item in any of a framework's collections.
ItemId = NewType("ItemId", str)

#: What sort of framework it is.
FrameworkKind = Literal[
    "stage-model",
    "practice-guide",
    "continuum",
    "repertoire",
    "positionality-tool",
    "reflective-cycle",
    "typology",
    "level-model",
]
#: Where a characteristic plays out.
Level = Literal["intrapersonal", "interpersonal", "system"]
#: Which way a stage points: practice to move towards, behaviour to move
#: away from, or other people placed on a map (not the user's own stage).
Direction = Literal["towards", "away", "map"]
#: What a reflective prompt asks the person to do.
PromptKind = Literal["question", "exercise", "scenario"]
#: What sort of cross-stage idea a principle is.
PrincipleKind = Literal["principle", "lesson", "perspective", "application"]
#: The collections of a framework whose items have ids.
Collection = Literal["stages", "characteristics", "prompts", "principles", "citations"]


def _doc(text: str, **constraints: object) -> dict[str, object]:
    """Field metadata: a description for the schema plus value constraints."""
    return {"doc": text, **constraints}


@attrs.frozen(kw_only=True)
class Citation:
    """A published source that a framework draws on.

    Attributes:
        id: Stable id, unique within the framework.
        authors: Authors or the corporate author, in citation order.
        year: Year of publication, or None when undated.
        title: Title of the work.
        publisher: Journal, publisher, book or website, or empty.
        url: Where the public can find it, or empty.
        note: Anything else worth knowing (edition, pages, date), or empty.
    """

    id: CitationId = attrs.field(metadata=_doc("Stable kebab-case id."))
    authors: tuple[str, ...] = attrs.field(
        metadata=_doc("Authors or corporate author, in citation order.")
    )
    year: int | None = attrs.field(metadata=_doc("Year, or null."))
    title: str = attrs.field(metadata=_doc("Title of the work."))
    publisher: str = attrs.field(
        default="", metadata=_doc("Journal, publisher or site.")
    )
    url: str = attrs.field(default="", metadata=_doc("Public URL."))
    note: str = attrs.field(default="", metadata=_doc("Edition, date, pages."))

    def __str__(self) -> str:
        """Render as a short reference: ``Authors (year). Title. Publisher. URL``.

        A part that already ends in a full stop, question mark or
        exclamation mark gets no second mark, and a publisher that is the
        author is not named twice (as APA does).

        >>> print(Citation(id="c", authors=("A. Author",), year=2019,
        ...                title="What Is Allyship?", publisher="A. Author"))
        A. Author (2019). What Is Allyship?
        """
        year = self.year if self.year is not None else "n.d."
        authors = ", ".join(self.authors)
        if self.authors:
            text = f"{authors} ({year}). {_sentence(self.title)}"
        else:  # author unknown: lead with the title, as APA does
            text = f"{self.title} ({year})."
        if self.publisher and self.publisher != authors:
            text += f" {_sentence(self.publisher)}"
        if self.url:
            text += f" {self.url}"
        return text


def _sentence(text: str) -> str:
    """End *text* with one full stop, unless it already ends a sentence."""
    text = text.rstrip()
    return text if text.endswith((".", "?", "!")) else f"{text}."


@attrs.frozen(kw_only=True)
class Licence:
    """The licence of a data file's own text.

    Attributes:
        spdx: SPDX identifier (``"CC-BY-4.0"``), or None when not an SPDX
            licence (for example metadata-only records).
        note: Who wrote the text, what is quoted, what the source's
            copyright is.
        url: Where the licence text is, or empty.
    """

    spdx: str | None = attrs.field(metadata=_doc("SPDX licence id, or null."))
    note: str = attrs.field(metadata=_doc("Authorship and copyright note."))
    url: str = attrs.field(default="", metadata=_doc("Licence URL."))


@attrs.frozen(kw_only=True)
class SourceLocator:
    """Where in a cited work an element's content comes from.

    Paragraphs of a web article are numbered as ``docs/sources.md``
    describes: every non-blank line of the article's text, headings
    included, counted from 1. Printed works use *pages* instead.

    Attributes:
        citation: Id of one of the framework's citations.
        section: The heading of the section the passage sits under, or
            empty before the first heading or when the work has none. A
            passage that spans sections names each heading, in order,
            separated by ``"; "``.
        paragraphs: Paragraph numbers of the passage, or empty.
        pages: Page range of the passage in a printed work, or empty.
    """

    citation: CitationId = attrs.field(
        metadata=_doc("Id of one of the framework's citations.")
    )
    section: str = attrs.field(
        default="", metadata=_doc("Heading of the section, or empty.")
    )
    paragraphs: tuple[int, ...] = attrs.field(
        default=(), metadata=_doc("Paragraph numbers (see docs/sources.md).")
    )
    pages: str = attrs.field(default="", metadata=_doc("Pages, or empty."))

    def __str__(self) -> str:
        """Render as ``citation, "section", para. 3, 4``.

        A passage that spans sections names them all, in order.

        >>> print(SourceLocator(citation="rip-2024",
        ...     section="Introduction; Allyship as a practice", paragraphs=(4, 12)))
        rip-2024, "Introduction" and "Allyship as a practice", para. 4, 12
        """
        text = str(self.citation)
        if self.section:
            text += ", " + " and ".join(f'"{s}"' for s in self.sections)
        if self.paragraphs:
            numbers = ", ".join(str(n) for n in self.paragraphs)
            text += f", para. {numbers}"
        if self.pages:
            text += f", p. {self.pages}"
        return text

    @property
    def sections(self) -> tuple[str, ...]:
        """Return the headings the passage sits under, in order.

        A passage that spans sections lists their headings in *section*,
        separated by ``"; "``; most passages sit under one heading.
        """
        return tuple(part for part in self.section.split("; ") if part)


@attrs.frozen(kw_only=True)
class ModellingNote:
    """A decision allykit made that its source does not state.

    Marking a framework cyclic, assigning a level, pairing items or writing
    examples are allykit's own choices; a modelling note says which choice,
    why, and, when the choice follows another publication, which one.

    Attributes:
        about: What the decision concerns (a field name such as
            ``"cyclic"``, ``"level"`` or ``"examples"``).
        note: The decision and its reason, in allykit's own words.
        citation: Id of the framework citation the decision follows, or
            None when it is allykit's own.
    """

    about: str = attrs.field(metadata=_doc("What the decision concerns."))
    note: str = attrs.field(metadata=_doc("The decision and its reason."))
    citation: CitationId | None = attrs.field(
        default=None, metadata=_doc("Citation the decision follows, or null.")
    )


@attrs.frozen(kw_only=True)
class Stage:
    """One step of a framework, in developmental (or cycle) order.

    Attributes:
        id: Stable id, unique among the framework's stages.
        name: Human-readable title; may quote the source's stage name.
        position: 1-based place in the framework's order.
        summary: One or two sentences in allykit's own words.
        description: Longer text in allykit's own words, or empty.
        phrase: How the stage reads inside a sentence, lower case, after a
            preposition ("taking action"); prompt templates use it in place
            of the name. Empty: the name is used.
        direction: Which way the stage points: ``"towards"`` (practice to
            move towards), ``"away"`` (behaviour to move away from) or
            ``"map"`` (other people placed on a map, not the user's own
            stage). None: not stated, read as ``"towards"`` (files written
            before the field keep loading; validation reports a continuum
            whose stages do not say).
        source: Where in a citation the content comes from, or None.
        modelling_notes: allykit's own modelling decisions about it.
    """

    id: StageId = attrs.field(metadata=_doc("Stable kebab-case id."))
    name: str = attrs.field(metadata=_doc("Stage name."))
    position: int = attrs.field(metadata=_doc("1-based position in order.", ge=1))
    summary: str = attrs.field(metadata=_doc("One or two sentences."))
    description: str = attrs.field(default="", metadata=_doc("Longer text."))
    phrase: str = attrs.field(
        default="",
        metadata=_doc("How it reads inside a sentence (after 'linked to'), or empty."),
    )
    direction: Direction | None = attrs.field(
        default=None,
        metadata=_doc(
            "Which way the stage points: towards (practice to move towards), "
            "away (behaviour to move away from) or map (other people on a map); "
            "null: not stated, read as towards."
        ),
    )
    source: SourceLocator | None = attrs.field(
        default=None, metadata=_doc("Where in a citation this comes from, or null.")
    )
    modelling_notes: tuple[ModellingNote, ...] = attrs.field(
        default=(), metadata=_doc("allykit's own modelling decisions here.")
    )


@attrs.frozen(kw_only=True)
class Characteristic:
    """A behaviour or quality that describes a stage (or the whole framework).

    Attributes:
        id: Stable id, unique among the framework's characteristics.
        name: Short title.
        description: What it involves, in allykit's own words.
        stage: The stage it describes, or None when it applies throughout.
        level: Where it plays out: within the person, between people, or
            in systems; None when not stated.
        examples: Concrete behaviours that show it.
        tags: Free-form labels for filtering.
        phrase: How it reads inside a sentence, lower case, after a
            preposition ("skin colour"); prompt templates use it in place of
            the name (a dimension of a positionality tool). Empty: the name.
        source: Where in a citation the content comes from, or None.
        modelling_notes: allykit's own modelling decisions about it.
    """

    id: CharacteristicId = attrs.field(metadata=_doc("Stable kebab-case id."))
    name: str = attrs.field(metadata=_doc("Short title."))
    description: str = attrs.field(metadata=_doc("What it involves."))
    stage: StageId | None = attrs.field(
        default=None, metadata=_doc("Id of the stage it describes, or null.")
    )
    level: Level | None = attrs.field(
        default=None, metadata=_doc("intrapersonal, interpersonal or system.")
    )
    examples: tuple[str, ...] = attrs.field(
        default=(), metadata=_doc("Concrete behaviours.")
    )
    tags: tuple[str, ...] = attrs.field(default=(), metadata=_doc("Free-form labels."))
    phrase: str = attrs.field(
        default="",
        metadata=_doc("How it reads inside a sentence (after 'linked to'), or empty."),
    )
    source: SourceLocator | None = attrs.field(
        default=None, metadata=_doc("Where in a citation this comes from, or null.")
    )
    modelling_notes: tuple[ModellingNote, ...] = attrs.field(
        default=(), metadata=_doc("allykit's own modelling decisions here.")
    )


@attrs.frozen(kw_only=True)
class ReflectivePrompt:
    """A reflective question, exercise or scenario.

    Attributes:
        id: Stable id, unique among the framework's prompts.
        text: The prompt, in allykit's own words.
        stage: The stage it serves, or None when it serves the framework.
        characteristics: Ids of the characteristics it works on.
        kind: question, exercise or scenario.
        tags: Free-form labels for filtering.
        fits: For a template (a prompt with a ``{focus}`` slot): the stage
            directions it may be rendered for as written. Empty: ``towards``
            only. Rendered for a stage it does not fit, the slot reads
            "moving on from ..." (an ``away`` stage) or "the people your map
            places at ..." (a ``map`` stage); see ``docs/sequencing.md``.
        source: Where in a citation the content comes from, or None.
        modelling_notes: allykit's own modelling decisions about it.
    """

    id: PromptId = attrs.field(metadata=_doc("Stable kebab-case id."))
    text: str = attrs.field(metadata=_doc("The prompt text."))
    stage: StageId | None = attrs.field(
        default=None, metadata=_doc("Id of the stage it serves, or null.")
    )
    characteristics: tuple[CharacteristicId, ...] = attrs.field(
        default=(), metadata=_doc("Ids of the characteristics it works on.")
    )
    kind: PromptKind = attrs.field(
        default="question", metadata=_doc("question, exercise or scenario.")
    )
    tags: tuple[str, ...] = attrs.field(default=(), metadata=_doc("Free-form labels."))
    fits: tuple[Direction, ...] = attrs.field(
        default=(),
        metadata=_doc(
            "Stage directions a template may be rendered for as written "
            "(towards, away, map); empty: towards only."
        ),
    )
    source: SourceLocator | None = attrs.field(
        default=None, metadata=_doc("Where in a citation this comes from, or null.")
    )
    modelling_notes: tuple[ModellingNote, ...] = attrs.field(
        default=(), metadata=_doc("allykit's own modelling decisions here.")
    )


@attrs.frozen(kw_only=True)
class Principle:
    """An idea that holds across stages: principle, lesson, perspective or application.

    Attributes:
        id: Stable id, unique among the framework's principles.
        name: Short title.
        description: What it means, in allykit's own words.
        kind: principle, lesson (from practice), perspective (a view the
            model takes) or application (how it applies in a setting).
        tags: Free-form labels for filtering.
        source: Where in a citation the content comes from, or None.
        modelling_notes: allykit's own modelling decisions about it.
    """

    id: PrincipleId = attrs.field(metadata=_doc("Stable kebab-case id."))
    name: str = attrs.field(metadata=_doc("Short title."))
    description: str = attrs.field(metadata=_doc("What it means."))
    kind: PrincipleKind = attrs.field(
        default="principle",
        metadata=_doc("principle, lesson, perspective or application."),
    )
    tags: tuple[str, ...] = attrs.field(default=(), metadata=_doc("Free-form labels."))
    source: SourceLocator | None = attrs.field(
        default=None, metadata=_doc("Where in a citation this comes from, or null.")
    )
    modelling_notes: tuple[ModellingNote, ...] = attrs.field(
        default=(), metadata=_doc("allykit's own modelling decisions here.")
    )


@attrs.frozen(kw_only=True)
class DeprecatedId:
    """A released id that was retired, and the live id that replaces it.

    Looking up the old id still works: it returns the replacement and emits
    an :class:`~allykit.errors.AllykitDeprecationWarning`.

    Attributes:
        collection: Which collection the id belonged to (``"stages"``, ...).
        id: The retired id; no live item in that collection may use it.
        replaced_by: The live id in the same collection that replaces it.
        since: The ``data_version`` in which the id was retired.
        note: Why it changed, or empty.
    """

    collection: Collection = attrs.field(
        metadata=_doc("stages, characteristics, prompts, principles or citations.")
    )
    id: ItemId = attrs.field(metadata=_doc("The retired id."))
    replaced_by: ItemId = attrs.field(
        metadata=_doc("The live id, in the same collection, that replaces it.")
    )
    since: str = attrs.field(metadata=_doc("data_version in which it was retired."))
    note: str = attrs.field(default="", metadata=_doc("Why it changed."))


@attrs.frozen(kw_only=True)
class SharedItems:
    """Prompts and principles kept by another framework, used here as they are.

    Two frameworks that say the same thing (the positionality templates and
    principles of the Social GRACES and the wheel of power and privilege)
    keep one copy in the data: the other lists the ids here, and loading
    fills them into its :attr:`Framework.prompts` and
    :attr:`Framework.principles` exactly as the named framework has them, so
    the two cannot drift apart. A loaded framework is self-contained:
    ``to_dict()`` writes the items out, and a copy that matches its keeper
    (or whose keeper is not installed) loads as it is.

    Attributes:
        framework: Id of the framework that keeps the items.
        prompts: Ids of its prompts used here, in order.
        principles: Ids of its principles used here, in order.
        note: Why they are shared, or empty.

    >>> from allykit import load_framework
    >>> wheel = load_framework("wheel-of-power-and-privilege")
    >>> shared = wheel.shared[0]
    >>> shared.framework, shared.prompts[0] in {p.id for p in wheel.prompts}
    ('social-graces', True)
    """

    framework: FrameworkId = attrs.field(
        metadata=_doc("Id of the framework that keeps the items.")
    )
    prompts: tuple[PromptId, ...] = attrs.field(
        default=(), metadata=_doc("Ids of its prompts used here, in order.")
    )
    principles: tuple[PrincipleId, ...] = attrs.field(
        default=(), metadata=_doc("Ids of its principles used here, in order.")
    )
    note: str = attrs.field(default="", metadata=_doc("Why they are shared."))


@attrs.frozen(kw_only=True)
class Framework(Document):
    """A published model of allyship, as typed, cited, immutable data.

    Attributes:
        id: Stable id; bundled files are named after it.
        name: Human-readable title.
        summary: One or two sentences in allykit's own words.
        kind: What sort of framework it is (stage model, continuum, ...).
        cyclic: Whether the stages are practised as a repeating cycle, so
            that the stage after the last is the first again.
        language: BCP 47 language tag of the text.
        data_version: Version of the content of this framework's data.
        licence: Licence of this framework's text.
        citations: The sources it draws on; at least one.
        stages: Ordered stages (empty for frameworks without stages).
        characteristics: Behaviours that describe its stages.
        prompts: Reflective prompts.
        principles: Cross-stage principles, lessons, perspectives and
            applications.
        description: Longer text, or empty.
        tags: Free-form labels for filtering.
        deprecated_ids: Retired ids that still resolve, with a warning, to
            their replacements.
        modelling_notes: allykit's own modelling decisions about the whole
            framework (such as marking it cyclic), with their reasons.
        shared: Prompts and principles kept by another framework and used
            here as they are there; loading puts them in :attr:`prompts`
            and :attr:`principles`, after the framework's own.

    >>> from allykit import load_framework
    >>> model = load_framework("ally-model")
    >>> [stage.name for stage in model.stages]
    ['Self-Examination and Critical Thinking', 'Awareness and Education', 'Action']
    """

    id: FrameworkId = attrs.field(metadata=_doc("Stable kebab-case id."))
    name: str = attrs.field(metadata=_doc("Human-readable title."))
    summary: str = attrs.field(metadata=_doc("One or two sentences."))
    kind: FrameworkKind = attrs.field(metadata=_doc("What sort of framework."))
    cyclic: bool = attrs.field(
        default=False, metadata=_doc("Whether stages repeat as a cycle.")
    )
    language: str = attrs.field(default="en", metadata=_doc("BCP 47 language tag."))
    data_version: str = attrs.field(
        default="1.0.0", metadata=_doc("Version of this content.")
    )
    licence: Licence = attrs.field(metadata=_doc("Licence of this text."))
    citations: tuple[Citation, ...] = attrs.field(
        metadata=_doc("Sources; at least one.")
    )
    stages: tuple[Stage, ...] = attrs.field(
        default=(), metadata=_doc("Stages in order.")
    )
    characteristics: tuple[Characteristic, ...] = attrs.field(
        default=(), metadata=_doc("Behaviours describing stages.")
    )
    prompts: tuple[ReflectivePrompt, ...] = attrs.field(
        default=(), metadata=_doc("Reflective prompts.")
    )
    principles: tuple[Principle, ...] = attrs.field(
        default=(), metadata=_doc("Principles, lessons, perspectives.")
    )
    description: str = attrs.field(default="", metadata=_doc("Longer text."))
    tags: tuple[str, ...] = attrs.field(default=(), metadata=_doc("Free-form labels."))
    deprecated_ids: tuple[DeprecatedId, ...] = attrs.field(
        default=(), metadata=_doc("Retired ids and their replacements.")
    )
    modelling_notes: tuple[ModellingNote, ...] = attrs.field(
        default=(), metadata=_doc("allykit's own modelling decisions.")
    )
    shared: tuple[SharedItems, ...] = attrs.field(
        default=(),
        metadata=_doc(
            "Prompts and principles kept by another framework, used here as "
            "they are there; loading adds them to prompts and principles."
        ),
    )

    def __repr__(self) -> str:
        """Return a short summary; ``to_dict()`` shows everything."""
        return (
            f"<Framework {self.id!r}: {len(self.stages)} stages, "
            f"{len(self.characteristics)} characteristics, "
            f"{len(self.prompts)} prompts, {len(self.principles)} principles>"
        )

    @functools.cached_property
    def _indexes(self) -> dict[str, dict[str, Any]]:
        """Each collection's items by id, built on first lookup (not data).

        Also the characteristics and prompts of each stage (keys
        ``"characteristics by stage"`` and ``"prompts by stage"``), so that
        per-stage queries cost the size of their answer, not of the framework.
        """
        indexes: dict[str, dict[str, Any]] = {
            collection: {item.id: item for item in getattr(self, collection)}
            for collection in (
                "stages",
                "characteristics",
                "prompts",
                "principles",
                "citations",
            )
        }
        for collection in ("characteristics", "prompts"):
            grouped: dict[str, list[Any]] = {}
            for item in getattr(self, collection):
                grouped.setdefault(item.stage, []).append(item)
            indexes[f"{collection} by stage"] = {
                stage: tuple(items) for stage, items in grouped.items()
            }
        return indexes

    def _table(self, collection: str) -> dict[str, Any]:
        return self._indexes[collection]

    def _lookup(self, collection: str, what: str, wanted: str) -> Any:
        table = self._table(collection)
        try:
            return table[wanted]
        except (KeyError, TypeError):
            pass
        for old in self.deprecated_ids:
            if old.collection == collection and old.id == wanted:
                message = (
                    f"{what} id {wanted!r} of framework {self.id!r} is deprecated "
                    f"since {old.since}; use {old.replaced_by!r}"
                )
                from allykit.errors import warn

                warn(message, AllykitDeprecationWarning)
                if old.replaced_by in table:
                    return table[old.replaced_by]
        raise UnknownIdError.for_id(
            what,
            wanted if isinstance(wanted, str) else short_repr(wanted),  # type: ignore[redundant-expr]
            table,
            where=f"framework {self.id!r}",
        )

    def stage(self, stage_id: str) -> Stage:
        """Return the stage with *stage_id*.

        Raises:
            UnknownIdError: If there is none; the message suggests close ids.

        >>> from allykit import load_framework
        >>> load_framework("ally-model").stage("action").position
        3
        """
        found: Stage = self._lookup("stages", "stage", stage_id)
        return found

    def characteristic(self, characteristic_id: str) -> Characteristic:
        """Return the characteristic with *characteristic_id*.

        Raises:
            UnknownIdError: If there is none; the message suggests close ids.
        """
        found: Characteristic = self._lookup(
            "characteristics", "characteristic", characteristic_id
        )
        return found

    def prompt(self, prompt_id: str) -> ReflectivePrompt:
        """Return the reflective prompt with *prompt_id*.

        Raises:
            UnknownIdError: If there is none; the message suggests close ids.
        """
        found: ReflectivePrompt = self._lookup("prompts", "prompt", prompt_id)
        return found

    def principle(self, principle_id: str) -> Principle:
        """Return the principle with *principle_id*.

        Raises:
            UnknownIdError: If there is none; the message suggests close ids.
        """
        found: Principle = self._lookup("principles", "principle", principle_id)
        return found

    def citation(self, citation_id: str) -> Citation:
        """Return the citation with *citation_id*.

        Raises:
            UnknownIdError: If there is none; the message suggests close ids.
        """
        found: Citation = self._lookup("citations", "citation", citation_id)
        return found

    def characteristics_for(self, stage_id: str) -> tuple[Characteristic, ...]:
        """Return the characteristics of one stage, in file order.

        Raises:
            UnknownIdError: If *stage_id* is not a stage of this framework.
        """
        stage = self.stage(stage_id)
        found: tuple[Characteristic, ...] = self._indexes[
            "characteristics by stage"
        ].get(stage.id, ())
        return found

    def prompts_for(self, stage_id: str) -> tuple[ReflectivePrompt, ...]:
        """Return the prompts of one stage, in file order.

        Raises:
            UnknownIdError: If *stage_id* is not a stage of this framework.

        >>> from allykit import load_framework
        >>> len(load_framework("ally-model").prompts_for("action")) >= 8
        True
        """
        stage = self.stage(stage_id)
        found: tuple[ReflectivePrompt, ...] = self._indexes["prompts by stage"].get(
            stage.id, ()
        )
        return found

    # -- conversion ------------------------------------------------------
