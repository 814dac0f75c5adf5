"""bundlecheck: samples."""
