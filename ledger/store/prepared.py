"""What the facts of one unit of work changed, kept chunk by chunk on disk until projected.

A projector in the same process writes a fact's rows from these changes instead of decoding
and folding the fact again (`Term.track_changes`). A large batch records hundreds of
thousands of facts, so only the latest chunk stays in memory; earlier chunks go to a
temporary file and come back one at a time as the projector reaches their facts. The file
has no name (unlinked as soon as it is made), so it disappears with the process even when
that is killed. Each fact
is kept as the projector's `pack` function makes it: plain values (tuples, text, numbers),
which `marshal` writes and reads far faster than pickle does objects. The file is the
process's own scratch space: nothing in it is stored data.
"""

from __future__ import annotations

import marshal
import os
import tempfile
import weakref
from bisect import bisect_right
from collections import OrderedDict
from collections.abc import Callable, Sequence
from typing import Any
from uuid import UUID

from ledger.aggregate import FactChanges

Packed = tuple[Any, ...]  # what `pack` makes of one fact's changes: marshal's plain values
Chunk = dict[tuple[bytes, int], Packed]
CHUNKS_LOADED = 2  # the chunk the projector is in, and the one it reaches next


class PreparedChanges:
    """Packed changes by stream and version; `add` a chunk at a time, `get` in any order."""

    def __init__(self, pack: Callable[[FactChanges], Packed]) -> None:
        self.pack = pack
        self.count = 0
        self._spans: dict[UUID, list[tuple[int, int, int]]] = {}  # (first, last, chunk)
        self._places: list[tuple[int, int]] = []  # each chunk's (offset, length) in the file
        self._latest: Chunk | None = None  # the last chunk added, not written out yet
        self._loaded: OrderedDict[int, Chunk] = OrderedDict()
        self._fd = -1  # the unnamed file's descriptor, once a chunk was written out
        self._end = 0
        self._release: weakref.finalize[[int], PreparedChanges] | None = None

    def __len__(self) -> int:
        return self.count

    def add(self, changes: Sequence[FactChanges]) -> None:
        """A chunk: every stream's versions in it follow each other (one flush of a unit)."""
        if not changes:
            return
        if self._latest is not None:
            self._write_out(self._latest)
        index = len(self._places)
        self._latest = {(c.stream.bytes, c.version): self.pack(c) for c in changes}
        self._places.append((-1, 0))
        for c in changes:
            stream, version = c.stream, c.version
            spans = self._spans.setdefault(stream, [])
            if spans and spans[-1][2] == index:
                spans[-1] = (spans[-1][0], version, index)
            else:
                spans.append((version, version, index))
        self.count += len(changes)

    def get(self, stream: UUID, version: int) -> Packed | None:
        spans = self._spans.get(stream)
        if not spans:
            return None
        at = bisect_right(spans, version, key=lambda span: span[0]) - 1
        if at < 0 or version > spans[at][1]:
            return None
        return self._chunk(spans[at][2]).get((stream.bytes, version))

    def close(self) -> None:
        """Close the file now (it is closed when this object is collected otherwise)."""
        if self._release is not None:
            self._release()
        self._latest, self._loaded = None, OrderedDict()

    def _chunk(self, index: int) -> Chunk:
        if index == len(self._places) - 1 and self._latest is not None:
            return self._latest
        chunk = self._loaded.get(index)
        if chunk is None:
            offset, length = self._places[index]
            chunk = dict(marshal.loads(os.pread(self._fd, length, offset)))
            self._loaded[index] = chunk
            if len(self._loaded) > CHUNKS_LOADED:
                self._loaded.popitem(last=False)
        return chunk

    def _write_out(self, chunk: Chunk) -> None:
        if self._fd < 0:
            self._fd, path = tempfile.mkstemp(prefix="kkr-prepared-")
            os.unlink(path)
            self._release = weakref.finalize(self, os.close, self._fd)
        data = marshal.dumps(list(chunk.items()))
        os.pwrite(self._fd, data, self._end)
        self._places[-1] = (self._end, len(data))
        self._end += len(data)
