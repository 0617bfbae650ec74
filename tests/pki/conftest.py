"""Fixtures of the PKI tests: a pinned clock, one ecosystem per session, real vectors."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from pki_testkit import PEER_PYTHON, PEER_SETUP_COMMAND, PINNED_NOW

from pki.clock import FixedClock
from pki.ecosystem import Ecosystem, build_ecosystem
from pki.keystore import MemoryKeyStore
from pki.revocation.registry import InMemoryRevocationRegistry


@pytest.fixture(scope="session")
def clock() -> FixedClock:
    return FixedClock(PINNED_NOW)


@pytest.fixture(scope="session")
def registry() -> InMemoryRevocationRegistry:
    return InMemoryRevocationRegistry()


@pytest.fixture(scope="session")
def keystore() -> MemoryKeyStore:
    return MemoryKeyStore()


@pytest.fixture(scope="session")
def ecosystem(
    keystore: MemoryKeyStore, clock: FixedClock, registry: InMemoryRevocationRegistry
) -> Ecosystem:
    return build_ecosystem(keystore, clock, registry=registry)


@pytest.fixture(scope="session")
def peer_python() -> Path:
    """The interpreter of the iso15118 peer venv; missing means a broken setup, not a skip."""
    if os.environ.get("EMSP_SKIP_ISO15118_PEER") == "1":
        pytest.skip("EMSP_SKIP_ISO15118_PEER=1: independent iso15118 peer checks skipped")
    if not PEER_PYTHON.exists():
        pytest.fail(
            f"the iso15118 peer venv is missing; create it from the repo root with:\n"
            f"  {PEER_SETUP_COMMAND}\n"
            "(or set EMSP_SKIP_ISO15118_PEER=1 to skip these independent checks)"
        )
    return PEER_PYTHON
