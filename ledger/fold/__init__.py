"""The timeline fold: the statute applied to a term's facts (`fold`), its handlers and table."""

from ledger.fold.fold import effective_order, fold, new_timeline

__all__ = ["effective_order", "fold", "new_timeline"]
