"""bundlecheck: checks."""
