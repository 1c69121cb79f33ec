"""The domain objects: typed, frozen, cited data with no I/O.

Each kind of document has a module of its own, and each module names its
classes in ``__all__``:

- :mod:`allykit.models.framework`: frameworks, their stages,
  characteristics, prompts, principles and citations;
- :mod:`allykit.models.instrument`: self-assessment instruments, their items,
  scales, response scales and bands;
- :mod:`allykit.models.published`: records of published scales (never their
  wording);
- :mod:`allykit.models.crosswalk`: crosswalks between frameworks and profile
  translations.

This package itself names nothing, so importing one kind builds only the
classes of that kind (and of what it refers to): a first framework does not
pay for the instrument and crosswalk classes. The most used classes are also
served by the root package (``allykit.Framework``). Nothing here reads a file
or imports pydantic; the catalogue (:mod:`allykit.catalog`) turns files into
these objects.

>>> from allykit.models.framework import Framework
>>> Framework.__name__
'Framework'
"""

__all__: list[str] = []
