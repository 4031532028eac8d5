"""A JSONL batch read from a file or standard input line by line, as often as a retry needs."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from typing import IO

from commands.batch import MAX_LINE_CHARS, NumberedCommand, numbered_commands
from ledger.errors import BadInput

# The longest line read whole: MAX_LINE_CHARS characters of up to four UTF-8 bytes each.
MAX_LINE_BYTES = 4 * MAX_LINE_CHARS + 2


class BatchFile:
    """The commands of a batch, validated as they are reached; each iteration reads the file
    again from its start. Standard input (or any stream that cannot seek) is copied to a
    temporary file first, so a retry after a write conflict can read it again."""

    def __init__(self, source: IO[bytes]) -> None:
        if source.seekable():
            self.file = source
        else:
            self.file = tempfile.TemporaryFile()  # noqa: SIM115 (closed with the batch)
            shutil.copyfileobj(source, self.file)

    def __iter__(self) -> Iterator[NumberedCommand]:
        self.file.seek(0)
        return numbered_commands(self.lines())

    def lines(self) -> Iterator[str]:
        """The text lines, split on line feeds only (`\r\n` too): U+2028, U+0085 and their
        kind are legal inside JSON strings. A UTF-8 byte order mark at the start is skipped."""
        number = 0
        while raw := self.file.readline(MAX_LINE_BYTES):
            if len(raw) == MAX_LINE_BYTES and not raw.endswith(b"\n"):
                raise BadInput(f"line {number + 1}: longer than {MAX_LINE_CHARS} characters")
            if number == 0:
                raw = raw.removeprefix(b"\xef\xbb\xbf")
            number += 1
            yield _decoded(raw, number).removesuffix("\n").removesuffix("\r")

    def count_lines(self) -> int:
        """How many lines the batch has (for a progress bar): one pass over its bytes."""
        self.file.seek(0)
        count, last = 0, b"\n"
        while chunk := self.file.read(1 << 20):
            count, last = count + chunk.count(b"\n"), chunk[-1:]
        return count + (last != b"\n")

    def close(self) -> None:
        self.file.close()


def _decoded(raw: bytes, line: int) -> str:
    if b"\x00" in raw:
        raise BadInput(f"line {line}: binary data, not JSON lines")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise BadInput(f"line {line}: not UTF-8 text ({error.reason} at byte "
                       f"{error.start} of the line)") from None
