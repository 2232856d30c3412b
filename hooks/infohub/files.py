"""Files replaced whole or not at all.

The build's outputs and caches are written by worker processes in parallel,
and the hub's feeds are rewritten inside a published site: a reader, another
worker or a run killed half-way must see the old file or the new one, never
part of one. So every such file is written to a temporary file of its own
beside the target (a unique name: two workers may write the same cached card)
and renamed over it.
"""
from __future__ import annotations

import os
import tempfile
from pathlib import Path


def replace_file(path: Path, data: bytes, durable: bool = False) -> None:
    """Write ``data`` to ``path`` atomically; ``durable`` also waits until it is on disk
    (for records a crash must not lose, such as the social ledger)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            if durable:
                out.flush()
                os.fsync(out.fileno())
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
