"""Exact splitting of a file's text into BOM, fences, front matter and body.

Nothing here changes a character: ``parts.join() == text`` for every split. This
module is the one owner of fences, the BOM, the line ending and "bare" documents.
"""

from __future__ import annotations

import re

from ._errors import ParseError

__all__ = ["BOM", "Parts", "split"]

BOM = "\ufeff"
_OPEN = re.compile(r"---[ \t]*(?:\r\n|\n|\r|\Z)")
_REST_OF_FENCE = re.compile(r"[ \t]*(?:\r\n|\n|\r|\Z)")
_NEWLINE = re.compile(r"\r\n|\n|\r")


class Parts:
    """The pieces of a document's text, in order.

    ``open_fence`` and ``close_fence`` include their line breaks (a closing fence at
    the very end of the text may have none); both are empty when the text has no
    front matter (then ``front`` is empty too) or when the whole text is YAML
    (``bare``). ``offset`` is where ``front`` starts in the text after the BOM,
    ``line_offset`` how many lines come before it.
    """

    __slots__ = ("bare", "body", "bom", "close_fence", "front", "has_front_matter", "open_fence")

    def __init__(
        self,
        *,
        bom: bool,
        open_fence: str,
        front: str,
        close_fence: str,
        body: str,
        has_front_matter: bool,
        bare: bool = False,
    ) -> None:
        self.bom = bom
        self.open_fence = open_fence
        self.front = front
        self.close_fence = close_fence
        self.body = body
        self.has_front_matter = has_front_matter
        self.bare = bare

    def __repr__(self) -> str:
        return (
            f"Parts(bom={self.bom}, open_fence={self.open_fence!r}, front={self.front[:30]!r}..., "
            f"close_fence={self.close_fence!r}, body={self.body[:30]!r}..., bare={self.bare})"
        )

    @classmethod
    def new(cls, *, newline: str = "\n", bom: bool = False, body: str = "") -> Parts:
        """Fences for front matter that a text did not have yet."""
        fence = "---" + newline
        return cls(bom=bom, open_fence=fence, front="", close_fence=fence, body=body, has_front_matter=True)

    @property
    def offset(self) -> int:
        return len(self.open_fence)

    @property
    def line_offset(self) -> int:
        return 1 if self.open_fence else 0

    @property
    def newline(self) -> str:
        """The line ending the file uses (its first), ``"\\n"`` if it has none."""
        m = _NEWLINE.search(self.open_fence) or _NEWLINE.search(self.front)
        if m is None and not self.has_front_matter:
            m = _NEWLINE.search(self.body)
        return m.group() if m else "\n"

    def join(self, front: str | None = None, body: str | None = None) -> str:
        """The text, with new front matter or a new body if given.

        A closing fence that ended the text without a line break gets one when a
        body now follows it.
        """
        close = self.close_fence
        if body is None:
            body = self.body
        elif body and close and close[-1] not in "\r\n":
            close += self.newline
        return "".join(
            (
                BOM if self.bom else "",
                self.open_fence,
                self.front if front is None else front,
                close,
                body,
            )
        )

    def with_text(self, front: str | None = None, body: str | None = None) -> Parts:
        """The parts of :meth:`join`'s text (what :func:`split` would find in it)."""
        close = self.close_fence
        if body is not None and body and close and close[-1] not in "\r\n":
            close += self.newline
        return Parts(
            bom=self.bom,
            open_fence=self.open_fence,
            front=self.front if front is None else front,
            close_fence=close,
            body=self.body if body is None else body,
            has_front_matter=self.has_front_matter,
            bare=self.bare,
        )


def _close(text: str, start: int) -> tuple[int, int] | None:
    """The closing fence's ``(start, end)``: a ``---`` or ``...`` line at or after the
    line break just before *start*."""
    best: tuple[int, int] | None = None
    for marker in ("---", "..."):
        for brk in ("\n", "\r"):
            pos = start - 1
            needle = brk + marker
            while True:
                i = text.find(needle, pos)
                if i < 0 or (best is not None and i + 1 >= best[0]):
                    break
                m = _REST_OF_FENCE.match(text, i + 4)
                if m is not None:
                    best = (i + 1, m.end())
                    break
                pos = i + 1
            if brk == "\n" and "\r" not in text:
                break
    return best


def split(text: str, *, bare: bool = False) -> Parts:
    """Split *text*; raise :class:`ParseError` for an unclosed front matter."""
    bom = text.startswith(BOM)
    if bom:
        text = text[1:]
    if bare:
        return Parts(
            bom=bom, open_fence="", front=text, close_fence="", body="", has_front_matter=True, bare=True
        )
    m = _OPEN.match(text)
    if m is None:
        return Parts(bom=bom, open_fence="", front="", close_fence="", body=text, has_front_matter=False)
    start = m.end()
    c = _close(text, start) if start < len(text) else None
    if c is None:
        raise ParseError(
            "front matter opened on line 1 is never closed (no '---' or '...' line)",
            line=1,
            column=1,
        )
    return Parts(
        bom=bom,
        open_fence=text[:start],
        front=text[start : c[0]],
        close_fence=text[c[0] : c[1]],
        body=text[c[1] :],
        has_front_matter=True,
    )
