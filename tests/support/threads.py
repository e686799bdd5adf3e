"""Calls that must not hang the suite: a read blocked on a FIFO fails its test instead."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any


def returns_within(call: Callable[[], Any], *, seconds: float = 60, blocked: str) -> Any:
    """``call()`` run in a daemon thread: its result, or its exception raised again here.
    Fails with ``blocked`` if it has not returned within ``seconds``."""
    results: list[Any] = []
    raised: list[BaseException] = []

    def run() -> None:
        try:
            results.append(call())
        except BaseException as exc:  # raised again in the caller's thread
            raised.append(exc)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(timeout=seconds)
    assert not thread.is_alive(), blocked
    if raised:
        raise raised[0]
    return results[0]
