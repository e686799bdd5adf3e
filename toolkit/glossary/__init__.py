"""The glossary: loading, matching and pinning proper nouns, protected spans."""
