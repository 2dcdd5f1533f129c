"""Keeping what was made from an input that did not change."""

from __future__ import annotations

import pytest

from custom_components.sunpower_pvs.pvs.reuse import SameResult


def test_the_same_input_gives_the_previous_result_without_making_it_again() -> None:
    made: list[bytes] = []

    def make(body: bytes) -> list[bytes]:
        made.append(body)
        return [body]

    memo: SameResult[list[bytes]] = SameResult()
    first = memo.get(b"abc", lambda: make(b"abc"))
    assert memo.get(b"abc", lambda: make(b"abc")) is first
    assert made == [b"abc"]
    other = memo.get(b"abd", lambda: make(b"abd"))
    assert other == [b"abd"]
    assert made == [b"abc", b"abd"]
    # only the last input is kept
    assert memo.get(b"abc", lambda: make(b"abc")) is not first


def test_a_failed_make_keeps_nothing() -> None:
    memo: SameResult[str] = SameResult()
    assert memo.get(1, lambda: "one") == "one"

    def broken() -> str:
        raise ValueError("bad")

    with pytest.raises(ValueError, match="bad"):
        memo.get(2, broken)
    assert memo.get(1, lambda: "again") == "one"
    assert memo.get(2, lambda: "two") == "two"
