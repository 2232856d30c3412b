"""JSON files that are replaced whole or not at all, formatted for small git diffs."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..files import replace_file


def dumps(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def write_atomically(path: Path, data: Any) -> None:
    """Write to a temporary file beside ``path``, then rename it over ``path``:
    a reader (or a process killed half-way) sees the old file or the new one."""
    replace_file(path, dumps(data).encode("utf-8"), durable=True)
