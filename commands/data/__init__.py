"""Package data of the commands layer: the demo batches."""
