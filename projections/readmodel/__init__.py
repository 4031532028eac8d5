"""The materialised read model: the interval tables, their catch-up, rebuild and storage."""
