"""Offline translation and normalization toolkit for multilingual news corpora."""

__version__ = "0.1.0"

