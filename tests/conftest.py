"""Shared test fixtures: where the repository, the examples and the shared spec are."""

from __future__ import annotations

from pathlib import Path

import pytest

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
