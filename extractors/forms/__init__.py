"""One module per section type; each registers its extractor with ``@extractor(type)``."""
