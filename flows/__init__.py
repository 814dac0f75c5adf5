"""bundlecheck: flows."""
