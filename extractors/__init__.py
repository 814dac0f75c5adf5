"""bundlecheck: extractors."""
