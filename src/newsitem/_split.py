"""Exact splitting of a file's text into BOM, fences, front matter and body.

Nothing here changes a character: ``parts.join() == text`` for every split. This
module is the one owner of fences, the BOM, the line ending, the front matter's
format and "bare" documents.

The format is read from the opening fence, never guessed from the content:

* ``---`` on the first line: YAML, closed by a ``---`` or ``...`` line (Jekyll's rule);
* ``+++`` on the first line that is not blank: TOML, closed by a ``+++`` line;
* ``{`` as the first character that is not a space, a tab or a line break: JSON,
  one object, which ends at its matching ``}`` (Hugo's rules for both); ``{{`` and
  ``{%`` open template tags, not JSON.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from ._errors import ParseError

__all__ = ["BOM", "FORMATS", "Parts", "split"]

BOM = "\ufeff"
#: The front-matter formats, by name.
FORMATS = ("yaml", "toml", "json")
_FENCE = {"yaml": "---", "toml": "+++"}
_OPEN_YAML = re.compile(r"---[ \t]*(?:\r\n|\n|\r|\Z)")
_OPEN_TOML = re.compile(r"(?:[ \t]*(?:\r\n|\n|\r))*\+\+\+[ \t]*(?:\r\n|\n|\r|\Z)")
# Only JSON's (and Hugo's) white space may come before the "{": spaces, tabs, line
# breaks. "{{" and "{%" open Liquid and Go template tags (a Jekyll include, a Hugo
# shortcode), never a JSON object: a page that starts with one has no front matter.
_OPEN_JSON = re.compile(r"[ \t\r\n]*\{(?![{%])")
_REST_OF_FENCE = re.compile(r"[ \t]*(?:\r\n|\n|\r|\Z)")
_REST_OF_JSON = re.compile(r"[ \t]*(?:\r\n|\n|\r|\Z)")
_NEWLINE = re.compile(r"\r\n|\n|\r")
#: A JSON string, or a brace or bracket: enough to find where an object ends.
_JSON_TOKENS = re.compile(r'"(?:[^"\\]|\\.)*"|[{}\[\]]', re.S)


class Parts:
    """The pieces of a document's text, in order.

    ``open_fence`` and ``close_fence`` include their line breaks (a closing fence at
    the very end of the text may have none; a TOML fence may have blank lines
    before it); both are empty when the text has no front matter (then ``front`` is
    empty too) or when the whole text is front matter (``bare``). JSON front matter
    has no opening fence: ``front`` is the object (with the spaces and tabs before it
    on its line, so that columns in ``front`` are the file's), ``close_fence`` the rest
    of the line after its closing brace. ``format`` is ``"yaml"``, ``"toml"`` or
    ``"json"``; ``line_offset`` is how many lines come before ``front``.
    """

    __slots__ = ("bare", "body", "bom", "close_fence", "format", "front", "has_front_matter", "open_fence")

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
        format: str = "yaml",
    ) -> None:
        self.bom = bom
        self.open_fence = open_fence
        self.front = front
        self.close_fence = close_fence
        self.body = body
        self.has_front_matter = has_front_matter
        self.bare = bare
        self.format = format

    def __repr__(self) -> str:
        return (
            f"Parts(format={self.format!r}, bom={self.bom}, open_fence={self.open_fence!r}, "
            f"front={self.front[:30]!r}..., close_fence={self.close_fence!r}, body={self.body[:30]!r}..., "
            f"bare={self.bare})"
        )

    @classmethod
    def new(cls, *, format: str = "yaml", newline: str = "\n", bom: bool = False, body: str = "") -> Parts:
        """Fences for front matter that a text did not have yet (or in another format)."""
        fence = _FENCE.get(format)
        open_fence = fence + newline if fence is not None else ""
        close_fence = fence + newline if fence is not None else newline
        return cls(
            bom=bom,
            open_fence=open_fence,
            front="",
            close_fence=close_fence,
            body=body,
            has_front_matter=True,
            format=format,
        )

    @property
    def offset(self) -> int:
        return len(self.open_fence)

    @property
    def line_offset(self) -> int:
        return len(_NEWLINE.findall(self.open_fence))

    @property
    def newline(self) -> str:
        """The line ending the file uses (its first), ``"\\n"`` if it has none."""
        m = _NEWLINE.search(self.open_fence) or _NEWLINE.search(self.front)
        if m is None and self.format == "json":
            m = _NEWLINE.search(self.close_fence)
        if m is None and not self.has_front_matter:
            m = _NEWLINE.search(self.body)
        return m.group() if m else "\n"

    def _close(self, body: str) -> str:
        """The closing fence, with a line break once a body follows one that had none."""
        close = self.close_fence
        if body == self.body:  # as it was: JSON's body may start on the closing brace's line
            return close
        if body and self.has_front_matter and not self.bare and not close.endswith(("\n", "\r")):
            close += self.newline
        if body.startswith("\n") and close.endswith("\r"):
            close += "\n"  # a lone CR before a body's LF would read as one CRLF line break
        return close

    def join(self, front: str | None = None, body: str | None = None) -> str:
        """The text, with new front matter or a new body if given.

        A closing fence that ended the text without a line break gets one when a
        body now follows it.
        """
        if body is None:
            body = self.body
            close = self.close_fence
        else:
            close = self._close(body)
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
        return Parts(
            bom=self.bom,
            open_fence=self.open_fence,
            front=self.front if front is None else front,
            close_fence=self.close_fence if body is None else self._close(body),
            body=self.body if body is None else body,
            has_front_matter=self.has_front_matter,
            bare=self.bare,
            format=self.format,
        )


def _close(text: str, start: int, fences: tuple[str, ...]) -> tuple[int, int] | None:
    """The closing fence's ``(start, end)``: one of *fences* on a line of its own, at or
    after the line break just before *start*."""
    best: tuple[int, int] | None = None
    for marker in fences:
        for brk in ("\n", "\r"):
            pos = start - 1
            needle = brk + marker
            while True:
                i = text.find(needle, pos)
                if i < 0 or (best is not None and i + 1 >= best[0]):
                    break
                m = _REST_OF_FENCE.match(text, i + 1 + len(marker))
                if m is not None:
                    best = (i + 1, m.end())
                    break
                pos = i + 1
            if brk == "\n" and "\r" not in text:
                break
    return best


def _json_end(text: str, start: int) -> int | None:
    """Where the JSON object opening at *start* ends (just past its ``}``).

    Valid JSON ends where json's C decoder stops; for anything it refuses, the
    matching brace is found token by token, and the JSON reader reports the mistake.
    """
    global _raw_decode
    if _raw_decode is None:
        import json  # only for JSON front matter

        _raw_decode = json.JSONDecoder().raw_decode
    try:
        return _raw_decode(text, start)[1]
    except (ValueError, RecursionError):
        return _matching_brace(text, start)


_raw_decode: Callable[[str, int], tuple[Any, int]] | None = None


def _matching_brace(text: str, start: int) -> int | None:
    """Just past the ``}`` that closes the ``{`` at *start*, minding strings; or just
    past the first bracket that closes the wrong kind (``{"a": [1}``: the JSON reader
    then reports the mistake where it is)."""
    expected: list[str] = []
    for m in _JSON_TOKENS.finditer(text, start):
        part = m.group()
        if part in "{[":
            expected.append("}" if part == "{" else "]")
        elif part in "}]" and (expected.pop() != part or not expected):
            return m.end()
    return None


def _line_of(text: str, index: int) -> int:
    return len(_NEWLINE.findall(text, 0, index)) + 1


def split(text: str, *, bare: bool = False, format: str | None = None) -> Parts:
    """Split *text*; raise :class:`ParseError` for front matter that is never closed.

    With ``bare=True`` the whole text is front matter in *format* (YAML if not
    given), as in a data file.
    """
    bom = text.startswith(BOM)
    if bom:
        text = text[1:]
    if bare:
        fmt = format or "yaml"
        if fmt not in FORMATS:
            raise ValueError(f"format must be one of {', '.join(FORMATS)}, not {fmt!r}")
        return Parts(
            bom=bom,
            open_fence="",
            front=text,
            close_fence="",
            body="",
            has_front_matter=True,
            bare=True,
            format=fmt,
        )
    m = _OPEN_YAML.match(text)
    if m is not None:
        return _fenced(text, bom, m.end(), "yaml", ("---", "..."))
    m = _OPEN_TOML.match(text)
    if m is not None:
        return _fenced(text, bom, m.end(), "toml", ("+++",))
    m = _OPEN_JSON.match(text)
    if m is not None:
        start = m.end() - 1
        end = _json_end(text, start)
        if end is None:
            raise ParseError(
                "JSON front matter opened with '{' is never closed (no matching '}')",
                line=_line_of(text, start),
                column=start - max(text.rfind("\n", 0, start), text.rfind("\r", 0, start)),
            )
        rest = _REST_OF_JSON.match(text, end)
        close_end = rest.end() if rest is not None and rest.end() > end else end
        # spaces and tabs before the "{" on its line are the front matter's (JSON white
        # space), so that its columns are the file's
        line_start = max(text.rfind("\n", 0, start), text.rfind("\r", 0, start)) + 1
        return Parts(
            bom=bom,
            open_fence=text[:line_start],
            front=text[line_start:end],
            close_fence=text[end:close_end],
            body=text[close_end:],
            has_front_matter=True,
            format="json",
        )
    return Parts(bom=bom, open_fence="", front="", close_fence="", body=text, has_front_matter=False)


def _fenced(text: str, bom: bool, start: int, format: str, fences: tuple[str, ...]) -> Parts:
    c = _close(text, start, fences) if start < len(text) else None
    if c is None:
        line = _line_of(text, start) - (1 if text[:start].endswith(("\n", "\r")) else 0)
        raise ParseError(
            f"front matter opened with {_FENCE[format]!r} on line {line} is never closed "
            f"(no {' or '.join(repr(f) for f in fences)} line)",
            line=line,
            column=1,
        )
    return Parts(
        bom=bom,
        open_fence=text[:start],
        front=text[start : c[0]],
        close_fence=text[c[0] : c[1]],
        body=text[c[1] :],
        has_front_matter=True,
        format=format,
    )
