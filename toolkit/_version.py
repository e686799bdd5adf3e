"""The toolkit's version, in a module of its own: provenance, exports and ``--version`` read it
without importing the ``toolkit`` facade (whose functions import every stage)."""

__version__ = "0.6.0"
