"""Pause Python's cyclic garbage collector while a builder makes many small objects.

Building the map's layers makes tens of thousands of small lists, dicts and strings; in the dashboard's
process, whose heap is large (Streamlit, cached frames), each of the full collections that this triggers
scans the whole heap, and they cost more than the building (about a third of a filter change's server time
in bench/bench_dashboard_live.py). Nothing built here forms reference cycles, so no garbage is missed.
"""
from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused_gc() -> Iterator[None]:
    """Run the block with the cyclic collector off (restored to its previous state after, also on error)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
