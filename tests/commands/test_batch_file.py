"""A batch file is read line by line, as often as a retry needs, with the lines numbered as
the whole text's lines are."""

from __future__ import annotations

import io
import json

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


def test_lines_are_split_and_numbered_as_the_whole_text_splits_them() -> None:
    # given text with Windows, old Mac and Unicode line breaks
    text = "a\r\nb\rc\u2028d\n\ne"
    # when it is read line by line
    batch = BatchFile(io.BytesIO(text.encode()))
    # then the lines are those of str.splitlines
    assert list(batch.lines()) == text.splitlines()


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
