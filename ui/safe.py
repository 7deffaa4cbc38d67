"""Text from the data, shown literally: never rendered as Markdown or HTML.

Streamlit renders most of its text arguments (titles, captions, alerts, metric labels, buttons, radio options,
tabs) as Markdown with extensions: coloured directives ``:red[..]``, icons ``:material/..:``, emoji shortcodes,
LaTeX ``$..$``, autolinked URLs and typographic replacements. A carrier or commune name such as ``**x**`` or
``http://...`` must show as typed. Two layers do it (checked in Chromium against Streamlit 1.67):

1. a backslash before every ASCII punctuation character, which disarms Markdown syntax, directives, LaTeX and
   emoji shortcodes;
2. an invisible WORD JOINER (U+2060) inside the patterns Streamlit rewrites after parsing, where a backslash no
   longer helps: ``http://``, ``www.``, ``a@b``, ``:material_x:``, ``:streamlit:``, ``->``, ``--``, ``>=``...

Selectbox and multiselect options and table cells are plain text already: pass data there unchanged.
"""

from __future__ import annotations

import re

WORD_JOINER = "\u2060"
_ASCII_PUNCT = re.compile(r"([!\"#$%&'()*+,\-./:;<=>?@\[\\\]^_`{|}~])")
_TYPOGRAPHY = re.compile(r"(?:^|(?<=\s))(<->|->|<-|--|>=|<=|~=)(?=\s|$)", re.M)


def plain(text: object, *, newlines: str = "space") -> str:
    """Markdown that Streamlit renders as exactly the characters of ``text``.

    ``newlines``: "space" folds line breaks (labels, titles), "break" keeps them as hard breaks."""
    s = str(text)
    s = re.sub(r"(?i)(?<=http)(?=s?://)", WORD_JOINER, s)
    s = re.sub(r"(?i)(?<=www)(?=\.)", WORD_JOINER, s)
    s = re.sub(r"(?<=@)(?=[-\w])", WORD_JOINER, s)
    s = re.sub(r"(?<=:)(?=material_\w+:)", WORD_JOINER, s)
    s = re.sub(r"(?<=:)(?=streamlit:)", WORD_JOINER, s)
    s = _TYPOGRAPHY.sub(lambda m: m.group(1)[0] + WORD_JOINER + m.group(1)[1:], s)
    s = _ASCII_PUNCT.sub(r"\\\1", s)
    lines = [line.strip(" \t") for line in s.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    if newlines == "space":
        return " ".join(line for line in lines if line)
    return "  \n".join(lines)
