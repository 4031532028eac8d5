"""The statute as plain functions: Bilag 1's rules, the composition of a KKR, d'Hondt."""
