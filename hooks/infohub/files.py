"""Files replaced whole or not at all.

The build's outputs and caches are written by worker processes in parallel,
and the hub's feeds are rewritten inside a published site: a reader, another
worker or a run killed half-way must see the old file or the new one, never
part of one. So every such file is written to a temporary file of its own
beside the target (a unique name: two workers may write the same cached card)
and renamed over it.

Everything written here, and every built site once MkDocs has written it, is
readable by the web server: files 0644, folders 0755, set explicitly
(tempfile.mkstemp creates 0600, and the machine's umask may be stricter than
022). nginx's worker runs as another user than the build; a file it cannot read
is a 403 for every reader.
"""
from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

PUBLIC_FILE = 0o644
PUBLIC_FOLDER = 0o755
# A cache keeps what it read from a file under the file's status (status_stamp): device,
# inode, size, modification and change times in ns. A file whose status is the same
# has the same bytes: writing it changes its change time, which no tool can set back (`cp -p`,
# `rsync -t` and os.utime set the modification time only, so size and modification time alone
# do not tell). But the clock's tick is coarser than a nanosecond: a file written again within
# the tick in which it was read keeps its status. So, as git does with its "racily clean"
# entries, what was kept at a moment T is trusted only for a file last written RACY_NS or more
# before T (stamp_trusted); the others are read again.
RACY_NS = 2_000_000_000


def replace_file(path: Path, data: bytes, durable: bool = False) -> None:
    """Write ``data`` to ``path`` atomically; ``durable`` also waits until it is on disk
    (for records a crash must not lose, such as the social ledger)."""
    try:
        fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except FileNotFoundError:  # the folder is made when missing only (a mkdir per file cost more)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        os.fchmod(fd, PUBLIC_FILE)
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            if durable:
                out.flush()
                os.fsync(out.fileno())
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def link(existing: str | os.PathLike, new: str | os.PathLike) -> None:
    """``os.link``, making ``new``'s folder only when it is missing (most are there already, and
    a mkdir a file cost more than the link). Raises as ``os.link`` does: FileExistsError when
    ``new`` is there, another OSError when no link can be made (another file system)."""
    try:
        os.link(existing, new)
    except FileNotFoundError:
        if not os.path.exists(existing):
            raise
        os.makedirs(os.path.dirname(new), exist_ok=True)
        os.link(existing, new)


def link_in_place(existing: str | os.PathLike, target: str | os.PathLike) -> None:
    """``target`` becomes a link to ``existing``, whole at once, whatever was there: a new name
    appears whole, and a name that is there has a link renamed over it. Raises OSError when no
    link can be made: the caller copies instead."""
    try:
        link(existing, target)  # a build's output folder starts with no file: no rename needed
        return
    except FileExistsError:
        pass
    folder, name = os.path.split(target)
    temporary = os.path.join(folder, f".{name}.{os.getpid()}.link")
    os.link(existing, temporary)
    os.replace(temporary, target)


def status_stamp(path: str | os.PathLike) -> list[int]:
    """What the file's status says of its bytes (see RACY_NS), as a record keeps it (a list)."""
    return stamp_of(os.stat(path))


def stamp_of(status: os.stat_result) -> list[int]:
    """``status_stamp`` of a status already asked for."""
    return [status.st_dev, status.st_ino, status.st_size, status.st_mtime_ns, status.st_ctime_ns]


def stamp_trusted(stamp: list[int], kept_at: int) -> bool:
    """Whether what was read from a file of this ``stamp`` and kept at ``kept_at`` (ns since the
    epoch, no earlier than the reading) still holds for a file whose status is ``stamp`` now:
    the file was last written at least RACY_NS before (see RACY_NS)."""
    return max(stamp[3], stamp[4]) + RACY_NS <= kept_at


def modified_ns(path: Path) -> int:
    """``path``'s modification time in ns; 0 when it cannot be asked (a record not there)."""
    try:
        return os.stat(path).st_mtime_ns
    except OSError:
        return 0


def text_of(data: bytes) -> str:
    """``data`` as Python reads a text file (``open(path, encoding="utf-8-sig")``): a byte order
    mark dropped, every line end (CRLF, CR) read as LF; UnicodeDecodeError when it is not UTF-8."""
    text = data.decode("utf-8-sig")
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text


def read_record(path: Path, format_id: str, key: str) -> dict:
    """``key`` of a build cache's JSON record written by write_record in format ``format_id``;
    empty when the record is missing, unreadable or of another format (a cache costs time only)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("format") != format_id:
        return {}
    entries = data.get(key)
    return entries if isinstance(entries, dict) else {}


def write_record(path: Path, format_id: str, key: str, entries: dict) -> None:
    """A build cache's record, written whole at once (replace_file)."""
    replace_file(path, json.dumps({"format": format_id, key: entries}, ensure_ascii=False,
                                  separators=(",", ":")).encode("utf-8", "surrogatepass"))

def not_public(folder: Path) -> list[Path]:
    """What below ``folder`` another user could not read: files without read for all,
    folders without read and enter for all."""
    found = [folder] if folder.stat().st_mode & 0o555 != 0o555 else []
    for parent, folders, files in os.walk(folder):
        for name, needed in [(n, 0o555) for n in folders] + [(n, 0o444) for n in files]:
            path = Path(parent, name)
            if not path.is_symlink() and path.stat().st_mode & needed != needed:
                found.append(path)
    return sorted(found)
