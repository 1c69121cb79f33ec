"""Shared fixtures and Hypothesis profiles."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, settings

import allykit

settings.register_profile(
    "default",
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
# ALLYKIT_HYPOTHESIS=patience runs every property much longer.
settings.register_profile(
    "patience",
    max_examples=1000,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile(os.environ.get("ALLYKIT_HYPOTHESIS", "default"))


@pytest.fixture(name="fresh_cache")
def _fresh_cache() -> Iterator[None]:
    """Start and end the test with an empty catalogue cache."""
    allykit.clear_cache()
    yield
    allykit.clear_cache()
