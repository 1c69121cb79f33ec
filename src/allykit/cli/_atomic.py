"""Atomic writes for the command: now :mod:`allykit.outputs` (kept for old imports)."""

from __future__ import annotations

from allykit.outputs import AtomicFile, discard_pending, write_text_atomic

__all__ = ["AtomicFile", "discard_pending", "write_text_atomic"]
