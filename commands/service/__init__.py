"""The application as every front end uses it (the CLI now, the web next): a `Session` opens
the ledger for one request; `questions` answer each reading question as the JSON contract's
data; `writes` record batches and rebuild. No printing, no click: errors are LedgerErrors."""
