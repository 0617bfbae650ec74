"""Properties of the signed pagination cursors (``app.core.pagination.CursorCodec``)."""

from __future__ import annotations

import base64
import binascii
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.core.pagination import CursorCodec, InvalidCursorError, fingerprint

SECRET = "a-test-secret-of-at-least-32-characters"
PURPOSE = "stations.search"
PROPERTY = settings(max_examples=200, deadline=None, derandomize=True)

scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**63), max_value=2**64 - 1)
    | st.floats(allow_nan=False)
    | st.text(max_size=20)
)
positions = st.lists(scalars, max_size=6)
fingerprints = st.text(max_size=40)
B64_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"


def _codec(secret: str = SECRET, purpose: str = PURPOSE) -> CursorCodec:
    return CursorCodec(secret, purpose)


def _token(cursor: str) -> bytes | None:
    """The bytes a lenient base64 decoder reads from ``cursor`` (None: not decodable)."""
    try:
        return base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
    except (ValueError, binascii.Error):
        return None


@PROPERTY
@given(position=positions, fp=fingerprints)
def test_round_trip(position: list[Any], fp: str) -> None:
    codec = _codec()
    cursor = codec.encode(position, fp)
    assert cursor.isascii()
    assert set(cursor) <= set(B64_ALPHABET)
    assert codec.decode(cursor, fp) == position
    # A fresh codec with the same secret and purpose (another process) accepts it too.
    assert _codec().decode(cursor, fp) == position


@st.composite
def mutated_cursors(draw: st.DrawFn) -> tuple[str, str, list[Any], str]:
    position = draw(positions)
    fp = draw(fingerprints)
    cursor = _codec().encode(position, fp)
    kind = draw(
        st.sampled_from(["flip", "truncate", "extend", "random", "non-ascii", "splice", "swap"])
    )
    if kind == "flip":
        i = draw(st.integers(0, len(cursor) - 1))
        c = draw(st.sampled_from(B64_ALPHABET).filter(lambda x: x != cursor[i]))
        mutated = cursor[:i] + c + cursor[i + 1 :]
    elif kind == "truncate":
        mutated = cursor[: draw(st.integers(0, len(cursor) - 1))]
    elif kind == "extend":
        mutated = cursor + draw(st.text(alphabet=B64_ALPHABET, min_size=1, max_size=600))
    elif kind == "random":
        mutated = draw(st.text(max_size=700))
    elif kind == "non-ascii":
        i = draw(st.integers(0, len(cursor)))
        junk = draw(st.text(st.characters(min_codepoint=128), min_size=1, max_size=4))
        mutated = cursor[:i] + junk + cursor[i:]
    elif kind == "splice":
        other = _codec().encode(draw(positions), draw(fingerprints))
        cut = draw(st.integers(1, len(cursor) - 1))
        mutated = cursor[:cut] + other[cut:]
    else:
        i = draw(st.integers(0, len(cursor) - 2))
        mutated = cursor[:i] + cursor[i + 1] + cursor[i] + cursor[i + 2 :]
    return cursor, mutated, position, fp


@settings(PROPERTY, max_examples=600, suppress_health_check=[HealthCheck.filter_too_much])
@given(sample=mutated_cursors())
def test_any_mutation_is_refused_as_invalid_cursor(sample: tuple[str, str, list[Any], str]) -> None:
    cursor, mutated, position, fp = sample
    try:
        decoded = _codec().decode(mutated, fp)
    except InvalidCursorError:
        return
    # Never another exception, and only the exact issued spelling is accepted.
    assert mutated == cursor, (cursor, mutated)
    assert decoded == position


@PROPERTY
@given(position=positions, fp=fingerprints, other=fingerprints)
def test_cursor_of_another_query_is_refused(position: list[Any], fp: str, other: str) -> None:
    codec = _codec()
    cursor = codec.encode(position, fp)
    if other == fp:
        assert codec.decode(cursor, other) == position
        return
    with pytest.raises(InvalidCursorError, match="different query"):
        codec.decode(cursor, other)


@PROPERTY
@given(position=positions, fp=fingerprints, secret=st.text(min_size=1, max_size=64))
def test_another_secret_or_purpose_refuses_it(position: list[Any], fp: str, secret: str) -> None:
    cursor = _codec().encode(position, fp)
    if secret != SECRET:
        with pytest.raises(InvalidCursorError):
            _codec(secret=secret).decode(cursor, fp)
    with pytest.raises(InvalidCursorError):
        _codec(purpose="another.listing").decode(cursor, fp)


def test_overlong_cursor_is_refused_before_decoding() -> None:
    with pytest.raises(InvalidCursorError, match="too long"):
        _codec().decode("A" * 513, "fp")


def test_fingerprint_tells_queries_apart() -> None:
    assert fingerprint(1.0, 2.0, None) == fingerprint(1.0, 2.0, None)
    assert fingerprint(1.0, 2.0, None) != fingerprint(1.0, 2.0, ())
    assert fingerprint(frozenset({"A"}), 1) != fingerprint(frozenset({"B"}), 1)


@pytest.mark.parametrize(
    "mutate",
    [
        pytest.param(lambda c: c + "!", id="junk-character-appended"),
        pytest.param(lambda c: "*" + c, id="junk-character-prepended"),
        pytest.param(lambda c: c + "==", id="extra-padding"),
        pytest.param(lambda c: c + "\n", id="newline-appended"),
        pytest.param(lambda c: c.replace("-", "+").replace("_", "/"), id="standard-alphabet"),
    ],
)
def test_non_canonical_spellings_are_refused(mutate: Any) -> None:
    codec = _codec()
    # A position whose token contains both '-' and '_' in its canonical spelling.
    cursor = next(
        c
        for c in (codec.encode([i * 1.5, i], "fp") for i in range(10_000))
        if "-" in c and "_" in c
    )
    mutated = mutate(cursor)
    assert mutated != cursor
    with pytest.raises(InvalidCursorError):
        codec.decode(mutated, "fp")
