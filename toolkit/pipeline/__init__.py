"""The build: steps from originals to the aligned corpus, executors, provenance."""
