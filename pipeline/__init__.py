"""bundlecheck pipeline: plain functions for every stage (no Prefect imports here)."""
