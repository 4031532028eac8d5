"""The event store: the eventsourcing Application, its recorder (the storage seam), the map of
database failures and the prepared changes of a unit of work (the only SQL in the ledger)."""
