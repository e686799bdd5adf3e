"""Exceptions a user can meet, each rendered as one line that names the thing and the fix."""

from __future__ import annotations


class ToolkitError(Exception):
    """Base class: ``str(err)`` is a complete one-line message for the user."""


class InputError(ToolkitError):
    """An input file cannot be processed.

    Raised with a message about the file ("is empty; ..."); :meth:`for_file`
    prefixes the file's name so the CLI prints ``path: is empty; ...``.
    """

    def for_file(self, name: str) -> InputError:
        return InputError(f"{name}: {self}")

    @classmethod
    def too_large(cls, size: int | None, limit: int) -> InputError:
        """An article over the limit (``size`` None: it was read only up to the limit, as
        from a pipe or a device, so its size is unknown)."""
        from toolkit.plural import byte_size

        # "is 8.0 MB, over the 8.0 MB limit" read as a contradiction: say "more than".
        shown = None if size is None else byte_size(size)
        what = f"is {shown}, over" if shown and shown != byte_size(limit) else "is more than"
        return cls(
            f"{what} the {byte_size(limit)} article limit; split it into articles or raise "
            "the limit with --max-bytes"
        )


class CorpusError(ToolkitError):
    """The corpus directory is missing, malformed or cannot be written."""
