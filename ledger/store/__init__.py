"""The event store: the eventsourcing Application, its recorder and configuration (the only
SQL in the ledger)."""
