"""Sources: parsers for every listing shape, format detection, live fetchers, and ingest."""
