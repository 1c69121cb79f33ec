"""The commands of ``allykit``, one module each, registered by ``cli._app``."""
