"""A batch file is read line by line, as often as a retry needs, with the lines numbered as
the whole text's lines are."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from commands.batch_file import BatchFile
from ledger.errors import BadInput

LEAVE = {"command": "end_leave", "term": "nordjylland/2022", "effective": "2023-01-01",
         "person_id": "member-0"}


class Unseekable(io.BytesIO):
    def seekable(self) -> bool:
        return False


def test_standard_input_is_kept_so_that_a_retry_reads_the_same_commands_again() -> None:
    # given a batch on a stream that cannot seek, as standard input
    text = "\n".join([json.dumps(LEAVE), "", json.dumps(LEAVE | {"person_id": "member-1"})])
    batch = BatchFile(Unseekable(text.encode()))
    # when it is read twice
    first, second = list(batch), list(batch)
    batch.close()
    # then both readings give the same commands, numbered by their lines
    assert [c.line for c in first] == [c.line for c in second] == [1, 3]
    assert second[1].command.model_dump()["person_id"] == "member-1"


def test_lines_are_split_on_line_feeds_only() -> None:
    # given text with Windows line ends, and characters JSON allows inside strings that
    # str.splitlines would break on (U+2028, U+0085, a lone carriage return)
    text = "a\r\nb\rc\u2028d\x85e\n\nf"
    # when it is read line by line
    batch = BatchFile(io.BytesIO(text.encode()))
    # then only line feeds end a line
    assert list(batch.lines()) == ["a", "b\rc\u2028d\x85e", "", "f"]


def test_a_batch_with_a_byte_order_mark_is_read() -> None:
    # given a batch saved by an editor that writes a UTF-8 byte order mark
    text = "\ufeff" + json.dumps(LEAVE) + "\n"
    # when its commands are read, then the first line is a command
    batch = BatchFile(io.BytesIO(text.encode()))
    assert [c.command.model_dump()["person_id"] for c in batch] == ["member-0"]


def test_a_line_separator_inside_a_json_string_stays_in_its_line(tmp_path: Path) -> None:
    # given a batch line whose source text holds U+2028, as JSON allows
    line = json.dumps(LEAVE | {"source": "brev\u2028side 2"}, ensure_ascii=False)
    path = tmp_path / "batch.jsonl"
    path.write_text(line + "\n", encoding="utf-8")
    # when it is read, then it is one command with that source
    with path.open("rb") as file:
        batch = BatchFile(file)
        assert [c.command.source for c in batch] == ["brev\u2028side 2"]


@pytest.mark.parametrize(("content", "message"), [
    (b'{"a": 1}\n\xff\xfe\n', "line 2: not UTF-8 text"),
    (b'{"a": 1}\n{}\n{"\x00"}\n', "line 3: binary data"),
])
def test_a_line_that_is_not_text_is_named(content: bytes, message: str) -> None:
    # given a batch whose later line is not text
    batch = BatchFile(io.BytesIO(content))
    # when its lines are read, then the error names that line
    with pytest.raises(BadInput, match=message):
        list(batch.lines())
