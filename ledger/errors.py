"""The errors the domain raises; the CLI turns each into one line and an exit code."""

from __future__ import annotations


class LedgerError(Exception):
    """Base of every error a user can cause; never a bug."""

    exit_code = 1

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class RuleViolation(LedgerError):
    """A command the statute (or plain consistency) does not allow; nothing is written."""

    def __init__(self, rule: str, message: str) -> None:
        super().__init__(f"[{rule}] {message}")
        self.rule = rule
        self.reason = message


class NotFound(LedgerError):
    """A term, person or event that the ledger does not hold."""


class BadInput(LedgerError):
    """Input that cannot be read as what it claims to be (exit code 2)."""

    exit_code = 2


class WriteConflict(LedgerError):
    """Concurrent writers kept colliding; retries did not resolve it (exit code 3)."""

    exit_code = 3


class DamagedEvent(LedgerError):
    """A stored event that cannot be read: an unknown topic, bytes that are not the event
    (exit code 4, as an integrity check that failed)."""

    exit_code = 4


class StoreUnavailable(LedgerError):
    """The database cannot be reached or opened (exit code 2)."""

    exit_code = 2


class StoreReadOnly(LedgerError):
    """The database refuses this role a change (exit code 6): readers may still read."""

    exit_code = 6
