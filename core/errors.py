"""Errors told to the person who ran the command or clicked the button, in their language.

A UserError carries a message key of core.i18n and the values it names (file, line, column, ...), never a
sentence: the command line prints it in the language chosen there, the Data page in the page's language, and
the page can replace a server path with the name the user uploaded (``exc.text(lang, file=name)``).
"""

from __future__ import annotations

from core import i18n


class UserError(Exception):
    """Bad input or a refused operation. The message names the file, row and column where known, and what to do."""

    def __init__(self, key: str, /, **values: object) -> None:
        super().__init__(key)
        self.key = key
        self.values = values

    def text(self, lang: str | None = None, **override: object) -> str:
        """The message in ``lang`` (default: the process's language), with ``override`` replacing values."""
        return i18n.t(self.key, lang or i18n.default_language(), **{**self.values, **override})

    def __str__(self) -> str:
        return self.text()
