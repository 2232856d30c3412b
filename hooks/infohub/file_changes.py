"""How `make serve` learns that a file was saved: from the system's file events, or by looking.

The engine's live-reload server looks at every watched file twice a second (watchdog's polling
observer): at 1,500 posts that kept 11 % of a core busy while the preview sat idle (4 % at 300),
and the looking ran on beside each build, which it slowed. MkDocs chose it because the system's
events do not cross some file systems (a folder shared into Docker or a virtual machine, a
network share). Here the preview asks the system for events (inotify on Linux, FSEvents on macOS,
ReadDirectoryChangesW on Windows: watchdog's ``Observer``) and looks twice a second only when
told to (`make serve POLL=1`) or when the system refuses (too many watches or event queues open:
the terminal says so once).

Two things differ from looking, and are dealt with here:
- The system also reports reads (opened, closed without writing). The build reads every watched
  file, so passing those on would build again after every build, for ever: only what changes a
  file (created, deleted, modified, moved, closed after writing) is passed on.
- The server passes on only events of files. A folder moved or deleted is one event of the folder
  for the system (its files are not reported one by one, as looking reports them): it is passed on
  as a change too.
Symbolic links inside the watched folders are not followed (an office's folder may not hold one:
checks/office_folder.py); a watched path that is itself a link is watched where it leads.
"""
from __future__ import annotations

import os
from typing import Callable

from watchdog.events import (DirCreatedEvent, DirDeletedEvent, DirMovedEvent, FileClosedEvent, FileCreatedEvent,
                             FileDeletedEvent, FileModifiedEvent, FileMovedEvent, FileSystemEvent,
                             FileSystemEventHandler)
from watchdog.observers import Observer
from watchdog.observers.polling import PollingObserver

POLLING_INTERVAL = 0.5  # seconds: the engine's own
CHANGES = [FileCreatedEvent, FileDeletedEvent, FileModifiedEvent, FileMovedEvent, FileClosedEvent,
           DirCreatedEvent, DirDeletedEvent, DirMovedEvent]


def _looking() -> PollingObserver:
    """An observer that looks at every watched file twice a second, as the engine's own does."""
    return PollingObserver(timeout=POLLING_INTERVAL)


class _AsFileChange(FileSystemEventHandler):
    """Hands a folder's creation, deletion or move to ``handler`` as a change of a file there."""

    def __init__(self, handler: FileSystemEventHandler) -> None:
        self.handler = handler

    def dispatch(self, event: FileSystemEvent) -> None:
        self.handler.dispatch(FileModifiedEvent(event.src_path) if event.is_directory else event)


class SaveWatcher:
    """What the live-reload server uses as its observer (``schedule``, ``unschedule``, ``start``,
    ``stop``, ``join``): the system's events, or looking when ``poll`` or when the system refuses
    to start watching (``said`` is told why, in the terminal's words)."""

    def __init__(self, poll: bool, said: Callable[[str], None]) -> None:
        self.polling = poll
        self._said = said
        self._observer = _looking() if poll else Observer()
        self._scheduled: list[tuple[FileSystemEventHandler, str, bool]] = []

    def schedule(self, handler: FileSystemEventHandler, path: str, recursive: bool = False):
        self._scheduled.append((handler, path, recursive))
        return self._schedule(handler, path, recursive)

    def _schedule(self, handler: FileSystemEventHandler, path: str, recursive: bool):
        if self.polling:
            return self._observer.schedule(handler, path, recursive=recursive)
        return self._observer.schedule(_AsFileChange(handler), os.path.realpath(path), recursive=recursive,
                                       event_filter=CHANGES)

    def unschedule(self, watch) -> None:
        self._observer.unschedule(watch)

    def start(self) -> None:
        try:
            self._observer.start()
        except OSError as exc:  # inotify's limits of watches or instances, reached by other programs
            self._said(exc.strerror or str(exc))
            self.polling = True
            self._observer = _looking()
            for handler, path, recursive in self._scheduled:
                self._schedule(handler, path, recursive)
            self._observer.start()

    def stop(self) -> None:
        self._observer.stop()

    def join(self, timeout: float | None = None) -> None:
        if self._observer.is_alive():
            self._observer.join(timeout)
