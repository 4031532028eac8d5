"""Indexed reads of the read model: rosters, a person's places, exports."""
