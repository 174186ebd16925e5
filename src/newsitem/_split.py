"""Exact splitting of a file's text into BOM, fences, front matter and body.

Nothing here changes a character: ``parts.join() == text`` for every split.
"""

from __future__ import annotations

import re

from ._errors import ParseError

__all__ = ["Parts", "split"]

BOM = "\ufeff"
_OPEN = re.compile(r"---[ \t]*(?:\r\n|\n|\r|\Z)")
# Matches the line break before the closing fence: a leading character class lets
# the regex engine scan fast (a lookbehind would be tried at every position).
_CLOSE = re.compile(r"[\r\n](---|\.\.\.)[ \t]*(?:\r\n|\n|\r|\Z)")
_NEWLINE = re.compile(r"\r\n|\n|\r")


class Parts:
    """The pieces of a document's text, in order.

    ``open_fence`` and ``close_fence`` include their line breaks; both are empty
    when the text has no front matter (then ``yaml`` is empty too) or when the
    whole text is YAML (``bare``). ``offset`` is where ``yaml`` starts in the text
    after the BOM, ``line_offset`` how many lines come before it.
    """

    __slots__ = ("body", "bom", "close_fence", "has_front_matter", "open_fence", "yaml")

    def __init__(
        self,
        *,
        bom: bool,
        open_fence: str,
        yaml: str,
        close_fence: str,
        body: str,
        has_front_matter: bool,
    ) -> None:
        self.bom = bom
        self.open_fence = open_fence
        self.yaml = yaml
        self.close_fence = close_fence
        self.body = body
        self.has_front_matter = has_front_matter

    @property
    def offset(self) -> int:
        return len(self.open_fence)

    @property
    def line_offset(self) -> int:
        return 1 if self.open_fence else 0

    def join(self, yaml: str | None = None, body: str | None = None) -> str:
        return "".join(
            (
                BOM if self.bom else "",
                self.open_fence,
                self.yaml if yaml is None else yaml,
                self.close_fence,
                self.body if body is None else body,
            )
        )

    def newline(self) -> str:
        """The line ending the front matter uses (its first), ``"\\n"`` if none."""
        m = _NEWLINE.search(self.open_fence) or _NEWLINE.search(self.yaml)
        return m.group() if m else "\n"


def split(text: str, *, bare: bool = False) -> Parts:
    """Split *text*; raise :class:`ParseError` for an unclosed front matter."""
    bom = text.startswith(BOM)
    if bom:
        text = text[1:]
    if bare:
        return Parts(bom=bom, open_fence="", yaml=text, close_fence="", body="", has_front_matter=True)
    m = _OPEN.match(text)
    if m is None:
        return Parts(bom=bom, open_fence="", yaml="", close_fence="", body=text, has_front_matter=False)
    start = m.end()
    c = _CLOSE.search(text, start - 1) if start < len(text) else None
    if c is None:
        raise ParseError(
            "front matter opened on line 1 is never closed (no '---' or '...' line)",
            line=1,
            column=1,
        )
    return Parts(
        bom=bom,
        open_fence=text[:start],
        yaml=text[start : c.start(1)],
        close_fence=text[c.start(1) : c.end()],
        body=text[c.end() :],
        has_front_matter=True,
    )
