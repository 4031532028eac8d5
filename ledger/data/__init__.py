"""Package data of the domain: the municipality list."""
