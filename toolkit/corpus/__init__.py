"""The corpus on disk: paths and document ids, atomic writes, formats, lock, corrections."""
