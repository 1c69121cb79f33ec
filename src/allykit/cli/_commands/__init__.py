"""The commands of ``allykit``, one module each, registered by ``cli._app``."""

__all__: list[str] = []
