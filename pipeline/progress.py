"""Progress bars: tqdm on a terminal, nothing when the output goes elsewhere or -q is given."""
from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

Progress = Callable[[int, int], None]


@contextmanager
def progress_bar(what: str, quiet: bool = False, stream=None) -> Iterator[Progress]:
    """A progress callback (done, total; total 0 when unknown) drawing a tqdm bar on a terminal."""
    stream = stream or sys.stderr
    if quiet or not stream.isatty():
        yield lambda done, total: None
        return
    from tqdm import tqdm

    bar = tqdm(desc=what, unit="article", file=stream, dynamic_ncols=True)
    try:
        def update(done: int, total: int) -> None:
            if total and bar.total != total:
                bar.total = total
            bar.update(done - bar.n)

        yield update
    finally:
        bar.close()
