"""Reports folded on demand from a term's events: trail, explain, diff, replay, audit."""
