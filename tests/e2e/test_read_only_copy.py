"""A read-only SQLite copy (an auditor's copy, an archive, a read-only mount) is opened
read-only: every reading command answers from the projection as stored, saying on stderr
how many events it lacks; every writing command exits 6 in one line; nothing changes.

Real `kkr` processes on real read-only files. File modes do not stop root, so a test run
as root reads the copy as an unprivileged user (`setpriv`); the read-only mount needs root.
A way the machine does not allow is skipped with the reason.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from click.testing import CliRunner

from commands.batch import apply_batch, parse_lines
from commands.cli.main import kkr
from ledger.store.application import Ledger
from tests.builders import constitution_line

KKR = str(Path(sys.executable).parent / "kkr")
NOBODY = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
KNOWN_AT = "2100-01-01T00:00:00+00:00"  # the answers do not depend on the clock
UNPROJECTED = 2  # the lagging copy's constitution of nordjylland/2026 and the 2022 term's end
READERS = [
    ["roster", "nordjylland", "--on", "2023-06-01", "--known-at", KNOWN_AT, "--json"],
    ["roster", "--all", "--on", "2024-06-01", "--known-at", KNOWN_AT, "--format", "csv"],
    ["who", "{person}", "--known-at", KNOWN_AT, "--json"],
    ["audit", "--on", "2023-06-01", "--known-at", KNOWN_AT, "--json"],
    ["trail", "nordjylland/2022", "--known-at", KNOWN_AT, "--json"],
    ["replay", "nordjylland/2022", "--known-at", KNOWN_AT, "--json"],
    ["export", "nordjylland/2022", "--known-at", KNOWN_AT, "--json"],
    ["verify", "--json"],
    ["digest"],
]
LEAVE = {"command": "start_leave", "term": "nordjylland/2022", "effective": "2023-03-01",
         "person_id": "{person}", "expected_until": "2023-09-01", "reason": "health"}
WRITERS = [
    ["apply", "{batch}"],
    ["leave", "start", "nordjylland/2022", "{person}", "--effective", "2023-03-01", "--until",
     "2023-09-01", "--reason", "health"],
    ["demo"],
    ["rebuild"],
]


@dataclass
class Originals:
    """The demo ledger, projected; and one more term stored but not projected (lagging)."""

    current: Path
    lagging: Path
    person: str
    answers: dict[str, str] = field(default_factory=dict)


@pytest.fixture(scope="module")
def originals(tmp_path_factory: pytest.TempPathFactory) -> Originals:
    folder = tmp_path_factory.mktemp("originals")
    current = folder / "current.sqlite"
    assert CliRunner().invoke(kkr, ["--db", f"sqlite:///{current}", "demo"]).exit_code == 0
    lagging = folder / "lagging.sqlite"
    shutil.copyfile(current, lagging)
    ledger = Ledger(f"sqlite:///{lagging}")
    try:  # stored without the projection's catch-up, as a writer killed after its commit
        apply_batch(ledger, parse_lines([json.dumps(constitution_line(
            "nordjylland/2026", "2026-01-20"))]), "test")
    finally:
        ledger.close()
    roster = CliRunner().invoke(kkr, ["--db", f"sqlite:///{current}", *READERS[0]])
    person = json.loads(roster.stdout)["seats"][0]["member"]["person_id"]
    found = Originals(current, lagging, person)
    for args in READERS:  # what the writable original answers
        done = CliRunner().invoke(kkr, ["--db", f"sqlite:///{current}",
                                        *filled(args, person, "")])
        assert done.exit_code == 0, done.output
        found.answers[" ".join(args)] = done.stdout
    for suffix in ("-wal", "-shm"):  # closed: the log is in the file, nothing beside it
        assert not Path(f"{current}{suffix}").exists()
        assert not Path(f"{lagging}{suffix}").exists()
    return found


def filled(args: list[str], person: str, batch: str) -> list[str]:
    return [a.format(person=person, batch=batch) for a in args]


# -- the ways a copy is read-only ------------------------------------------------------------


@dataclass
class Copy:
    """A read-only copy of an original, and how to run `kkr` on it."""

    path: Path
    batch: Path  # a valid batch file, readable by the user that runs `kkr`
    prefix: list[str]  # the command that runs `kkr` as the user the copy is read-only for

    def kkr(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([*self.prefix, KKR, "--db", f"sqlite:///{self.path}", *args],
                              capture_output=True, text=True, timeout=120, check=False,
                              cwd=self.batch.parent)

    def fingerprint(self) -> tuple[str, list[str]]:
        """The file's bytes (a digest) and what its folder holds."""
        digest = hashlib.sha256(self.path.read_bytes()).hexdigest()
        return digest, sorted(os.listdir(self.path.parent))


def unprivileged() -> list[str]:
    """How to run `kkr` so that file modes apply: as it is, or as nobody when root."""
    if os.geteuid() != 0:
        return []
    if shutil.which("setpriv") is None:
        pytest.skip("run as root, whom file modes do not stop, and no setpriv to run kkr as "
                    "an unprivileged user; the read-only mount tests the same as root")
    trial = subprocess.run([*NOBODY, KKR, "--version"], capture_output=True, check=False)
    if trial.returncode != 0:
        pytest.skip("run as root, whom file modes do not stop, and kkr cannot run as user "
                    f"nobody here: {trial.stderr.decode(errors='replace')[:200]}")
    return NOBODY


@pytest.fixture(params=["file_and_folder_by_mode", "file_by_mode", "read_only_mount"])
def way(request: pytest.FixtureRequest) -> str:
    return str(request.param)


MakeCopy = Callable[[Path], "Copy"]


@pytest.fixture
def make_copy(way: str) -> Iterator[MakeCopy]:
    """`make_copy(original)`: a read-only copy of it, made in the way under test."""
    # a folder under /tmp that an unprivileged user may enter (pytest's own is the runner's)
    base = Path(tempfile.mkdtemp(prefix="kkr-read-only-"))
    base.chmod(0o755)
    mounted: list[Path] = []
    changed: list[Path] = []

    def make(original: Path) -> Copy:
        folder = base / f"copy-{len(changed) + len(mounted)}"
        folder.mkdir()
        shutil.copyfile(original, folder / "kkr.sqlite")
        batch = base / "batch.jsonl"
        batch.write_text(json.dumps(LEAVE).replace("{person}", "unused") + "\n")
        batch.chmod(0o644)
        if way == "read_only_mount":
            return Copy(mount_read_only(folder, base, mounted) / "kkr.sqlite", batch, [])
        prefix = unprivileged()
        (folder / "kkr.sqlite").chmod(0o444)
        if way == "file_and_folder_by_mode":
            folder.chmod(0o555)
        else:  # the folder stays writable for the reader: SQLite makes its index (-shm) there
            folder.chmod(0o777)
        changed.append(folder)
        return Copy(folder / "kkr.sqlite", batch, prefix)

    try:
        yield make
    finally:
        for point in mounted:
            subprocess.run(["umount", str(point)], check=False, capture_output=True)
        for folder in changed:
            folder.chmod(0o755)
        shutil.rmtree(base, ignore_errors=True)


def mount_read_only(folder: Path, base: Path, mounted: list[Path]) -> Path:
    """`folder` bound read-only at a new mount point (root only); skips where not allowed."""
    if os.geteuid() != 0:
        pytest.skip("a read-only mount needs root; the file modes test the same without it")
    point = base / f"mount-{len(mounted)}"
    point.mkdir()
    for command in (["mount", "--bind", str(folder), str(point)],
                    ["mount", "-o", "remount,bind,ro", str(point)]):
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            said = done.stderr.strip()[:200]
            pytest.skip(f"this machine does not allow a read-only bind mount ({said})")
        if point not in mounted:
            mounted.append(point)  # unmounted when the test ends
    return point


# -- the tests -------------------------------------------------------------------------------


def assert_one_error_line(stderr: str) -> str:
    lines = stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), stderr
    return lines[0]


def test_every_reader_answers_from_a_read_only_copy_as_from_the_original(
    originals: Originals, make_copy: MakeCopy, way: str
) -> None:
    # given a read-only copy of a projected ledger
    copy: Copy = make_copy(originals.current)
    before = copy.fingerprint()
    for args in READERS:
        # when a reading command runs on it
        done = copy.kkr(*filled(args, originals.person, ""))
        # then it answers as the writable original does, with no warning
        assert done.returncode == 0, (args, done.stderr)
        assert done.stdout == originals.answers[" ".join(args)], args
        assert done.stderr == "" or args[0] == "audit", (args, done.stderr)
    # and the file is as it was (and its folder, unless SQLite could make its index there)
    assert copy.fingerprint() == before or way == "file_by_mode"
    assert copy.fingerprint()[0] == before[0]


def test_a_read_only_copy_behind_its_log_answers_and_says_how_many_events_it_lacks(
    originals: Originals, make_copy: MakeCopy, way: str
) -> None:
    # given a read-only copy whose projection lacks the last two stored events
    copy: Copy = make_copy(originals.lagging)
    before = copy.fingerprint()
    # when the roster is asked for, and the log verified
    roster = copy.kkr(*READERS[0])
    verify = copy.kkr("verify", "--json")
    # then the roster is the projection as stored, with a warning saying what it lacks
    assert roster.returncode == 0, roster.stderr
    assert roster.stdout == originals.answers[" ".join(READERS[0])]
    assert roster.stderr.splitlines() == [
        f"warning: read-only access; the projection lacks the {UNPROJECTED} latest event(s) "
        "until a writer catches it up"]
    # and the log verifies, every event of it
    assert verify.returncode == 0, verify.stderr
    demo = json.loads(originals.answers["verify --json"])["events_checked"]
    assert json.loads(verify.stdout)["events_checked"] == demo + UNPROJECTED
    # and nothing was written
    assert copy.fingerprint() == before or way == "file_by_mode"
    assert copy.fingerprint()[0] == before[0]


@pytest.mark.parametrize("args", WRITERS, ids=[w[0] for w in WRITERS])
def test_a_writer_on_a_read_only_copy_exits_6_in_one_line_and_writes_nothing(
    originals: Originals, make_copy: MakeCopy, way: str, args: list[str]
) -> None:
    # given a read-only copy of a ledger
    copy: Copy = make_copy(originals.current)
    copy.batch.write_text(json.dumps(LEAVE).replace("{person}", originals.person) + "\n")
    before = copy.fingerprint()
    # when a writing command runs on it
    done = copy.kkr(*filled(args, originals.person, str(copy.batch)))
    # then it exits 6 with one line saying the database is read-only, and writes nothing
    assert done.returncode == 6, (done.returncode, done.stderr)
    assert "Traceback" not in done.stderr
    assert "read-only" in assert_one_error_line(done.stderr)
    assert copy.fingerprint() == before or way == "file_by_mode"  # there SQLite's -shm
    assert copy.fingerprint()[0] == before[0]


def test_a_read_only_copy_in_rollback_journal_mode_answers_too(
    originals: Originals, make_copy: MakeCopy, tmp_path: Path
) -> None:
    # given a read-only copy of a ledger whose journal is a rollback journal, not a
    # write-ahead log (as some copying tools leave a file); the ledger would switch it
    journal = tmp_path / "journal.sqlite"
    shutil.copyfile(originals.current, journal)
    with sqlite3.connect(journal) as conn:
        assert conn.execute("PRAGMA journal_mode=DELETE").fetchone() == ("delete",)
    conn.close()
    copy: Copy = make_copy(journal)
    # when the roster is asked for
    roster = copy.kkr(*READERS[0])
    # then it answers as the original does, and the file is left in its mode
    assert roster.returncode == 0, roster.stderr
    assert roster.stdout == originals.answers[" ".join(READERS[0])]
    assert copy.path.read_bytes()[18:20] == b"\x01\x01"  # the header's rollback journal
