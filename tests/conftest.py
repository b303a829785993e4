"""Shared test fixtures: where the repository, the examples and the shared spec are."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

#: `.ci/run` sets OZML_HYPOTHESIS_PROFILE=ci: the same examples on every run, so that a commit
#: that passed here passes there; the examples a run of the tests draws anywhere else are new
#: ones (hypothesis's default), which is where new failures are found.
settings.register_profile("ci", derandomize=True, database=None, print_blob=True)
settings.load_profile(os.environ.get("OZML_HYPOTHESIS_PROFILE", "default"))

REPO = Path(__file__).resolve().parent.parent
#: CI runs with the project's shared folder (spec, seeds) beside the checkout.
SHARED = REPO.parent / "shared"


@pytest.fixture
def repo_root() -> Path:
    return REPO


@pytest.fixture
def shared_dir() -> Path:
    if not SHARED.is_dir():
        pytest.skip(f"the shared folder is not beside the checkout ({SHARED})")
    return SHARED
