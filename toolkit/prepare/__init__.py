"""Preparation: bytes to cleaned, language-identified, segmented documents."""
