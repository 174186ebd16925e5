"""ruamel.yaml's pure-Python parser, made to give libyaml's events.

Without the libyaml extra (``ruamel.yaml.clibz``), :mod:`newsitem._tree` reads the events
of ruamel.yaml's own scanner and parser. They are libyaml's events but for a few places
where the two disagree, each of which would make a file load, or edit, differently with
and without the extra. This module mends them, always towards libyaml, which is what the
default install runs:

- Tabs: ruamel.yaml refuses a tab as a separator in block context (``key:<tab>value``,
  ``value<tab># comment``, between the words of a plain scalar, after a block scalar's
  header); libyaml takes one wherever a simple key cannot start, and refuses a tab in
  indentation with its own error and position.
- Empty values: ruamel.yaml marks the empty value of ``key:`` at the start of the next
  key (a variable reused in its parser), and that of ``{key: }`` just after the colon;
  libyaml marks the first right after the colon, the second at the token after it. The
  span matters: an edit writes the new value there.
- A node whose tag comes before its anchor (``!!str &a x``) starts at the tag in libyaml,
  at the anchor in ruamel.yaml.
- Plain scalars in flow collections: libyaml ends one at '?' and refuses a ':' inside one
  (``[06:00]``, ``[https://a.b]``), where ruamel.yaml reads YAML 1.2's longer scalars; in
  a flow collection every ':' is a value indicator (``["key":value]``).
- ``: value`` with no key is an error in libyaml, a null key in ruamel.yaml.
- A character YAML does not allow: libyaml's words for it, and its position counted as
  libyaml counts it, in UTF-8 bytes (``_tree`` turns that into a column).
- NEL, LS and PS (U+0085, U+2028, U+2029) break lines in libyaml, as YAML 1.1 has it;
  ruamel.yaml's reader, YAML 1.2's, counts them as characters of the line.
- Escapes: libyaml refuses ``\\u`` and ``\\U`` for a surrogate or past U+10FFFF (ruamel.yaml
  builds the surrogate, or fails with a bare ValueError), and points at an unknown
  escape's backslash.

``tests/test_pure.py`` parses the corpus, the fixtures, a list of edge cases and
generated front matter with both and requires the same tree or the same error place.
What still differs is listed there: error positions in YAML that is broken in several
ways at once, and corners no front matter uses.

Each parse has its own :class:`ruamel.yaml.YAML` instance: the pure parser keeps its state
there, and an abandoned parse resets that state when its generator is collected, which
would break a parse that shared the instance.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, NoReturn

from ruamel.yaml import YAML
from ruamel.yaml.parser import Parser, ParserError
from ruamel.yaml.reader import Reader, ReaderError
from ruamel.yaml.scanner import Scanner, ScannerError
from ruamel.yaml.tokens import (
    AnchorToken,
    BlockEndToken,
    FlowEntryToken,
    FlowMappingEndToken,
    FlowSequenceEndToken,
    KeyToken,
    ScalarToken,
    TagToken,
    ValueToken,
)

__all__ = ["event_source"]

_BREAKS = "\r\n\x85\u2028\u2029"
_END = "\0" + _BREAKS
_BLOCK_PLAIN_END = " \t" + _END
_FLOW_PLAIN_END = _BLOCK_PLAIN_END + ",:?[]{}"


class _Reader(Reader):
    # NEL, LS and PS break lines, as in libyaml (YAML 1.1): they end a line and reset
    # the column, so indentation after them counts as it does there.
    forward = Reader.forward_1_1


class _Scanner(Scanner):
    def scan_to_next_token(self) -> None:
        peek, forward = self.reader.peek, self.reader.forward
        if self.reader.index == 0 and peek() == "\ufeff":
            forward()
        while True:
            # A tab separates tokens in flow context, and in block context wherever a
            # simple key cannot start: never as indentation, nor right after '-' or '?'.
            while (ch := peek()) == " " or (ch == "\t" and (self.flow_level or not self.allow_simple_key)):
                forward()
            if peek() == "#":
                while peek() not in _END:
                    forward()
            if not self.scan_line_break():
                return
            if not self.flow_level:
                self.allow_simple_key = True

    def check_value(self) -> Any:
        # In a flow collection every ':' is a value indicator (["key":value]).
        return bool(self.flow_level) or super().check_value()

    def scan_flow_scalar(self, style: Any) -> Any:
        if style == '"':
            self._refuse_bad_code_escapes()
        return super().scan_flow_scalar(style)

    def _refuse_bad_code_escapes(self) -> None:
        # libyaml refuses an escape ("\u", "\U") for a surrogate or past U+10FFFF, where
        # ruamel.yaml makes the surrogate, or raises a bare ValueError or OverflowError.
        # It also points at an unknown escape's '\\', where ruamel.yaml points past it.
        # Look ahead through the double-quoted scalar, as far as ruamel.yaml would go
        # before refusing something else (bad hex digits, a document marker, the end).
        peek = self.reader.peek
        i = 1
        while (ch := peek(i)) not in '"\0':
            if ch in _BREAKS:
                i += 1
                if peek(i - 1) == "\r" and peek(i) == "\n":
                    i += 1
                mark = peek(i)
                if mark in "-." and peek(i + 1) == mark == peek(i + 2) and peek(i + 3) in " \t" + _END:
                    return  # a document marker, which ruamel.yaml refuses first
                continue
            if ch != "\\":
                i += 1
                continue
            code = peek(i + 1)
            length = self.ESCAPE_CODES.get(code)
            if length is None:
                if code == "\0":
                    return
                if code in self.ESCAPE_REPLACEMENTS or code in _BREAKS:
                    i += 1 if code in _BREAKS else 2
                    continue
                self._quoted_scalar_error(i, "found unknown escape character")  # at the '\\'
            value = 0
            for k in range(length):
                digit = peek(i + 2 + k)
                if digit not in "0123456789ABCDEFabcdef":
                    return
                value = value * 16 + int(digit, 16)
            if 0xD800 <= value <= 0xDFFF or value > 0x10FFFF:
                self._quoted_scalar_error(i + 2, "found invalid Unicode character escape code")
            i += 2 + length

    def _quoted_scalar_error(self, offset: int, problem: str) -> NoReturn:
        start_mark = self.reader.get_mark()
        self.reader.forward(offset)
        raise ScannerError("while parsing a quoted scalar", start_mark, problem, self.reader.get_mark())

    def scan_plain(self) -> Any:
        # libyaml's plain scalar: in a flow collection it ends at ',', '?', '[', ']', '{',
        # '}' and ': ', and a ':' followed by anything else is an error ([06:00], [a:b]).
        peek, forward = self.reader.peek, self.reader.forward
        start_mark = end_mark = self.reader.get_mark()
        indent = self.indent + 1
        chunks: list[str] = []
        spaces: list[str] | None = []
        while peek() != "#":
            length = 0
            while True:
                ch = peek(length)
                if self.flow_level:
                    if ch == ":" and peek(length + 1) not in " \t" + _END:
                        forward(length)
                        raise ScannerError(
                            "while scanning a plain scalar",
                            start_mark,
                            "found unexpected ':'",
                            self.reader.get_mark(),
                        )
                    if ch in _FLOW_PLAIN_END:
                        break
                elif ch in _BLOCK_PLAIN_END or (ch == ":" and peek(length + 1) in " \t" + _END):
                    break
                length += 1
            if length == 0:
                break
            self.allow_simple_key = False
            chunks.extend(spaces or ())
            chunks.append(self.reader.prefix(length))
            forward(length)
            end_mark = self.reader.get_mark()
            spaces = self.scan_plain_spaces(indent, start_mark)
            if not spaces or (not self.flow_level and self.reader.column < indent):
                break
        return ScalarToken("".join(chunks), True, start_mark, end_mark)

    def scan_plain_spaces(self, indent: int, start_mark: Any) -> list[str] | None:
        # Blanks between the words of a plain scalar are spaces or tabs; a tab in the
        # indentation of a continuation line is an error, as in libyaml.
        peek, forward = self.reader.peek, self.reader.forward
        length = 0
        while peek(length) in " \t":
            length += 1
        blanks = self.reader.prefix(length)
        forward(length)
        if peek() not in _BREAKS:
            return [blanks] if blanks else []
        line_break = self.scan_line_break()
        self.allow_simple_key = True
        breaks: list[str] = []
        while True:
            if (
                self.reader.column == 0
                and self.reader.prefix(3) in ("---", "...")
                and peek(3) in " \t" + _END
            ):
                return None  # a document marker ends the scalar
            ch = peek()
            if ch == "\t" and not self.flow_level and self.reader.column < indent:
                raise ScannerError(
                    "while scanning a plain scalar",
                    start_mark,
                    "found a tab character that violates indentation",
                    self.reader.get_mark(),
                )
            if ch in " \t":
                forward()
            elif ch in _BREAKS:
                breaks.append(self.scan_line_break())
            else:
                break
        if line_break != "\n":
            return [line_break, *breaks]
        return breaks or [" "]

    def scan_block_scalar_indicators(self, start_mark: Any) -> tuple[bool | None, int | None]:
        # '|', '>' then chomping and indentation in either order; libyaml lets a tab or
        # a '#' follow them, as well as a space or the end of the line.
        peek = self.reader.peek
        chomping: bool | None = None
        increment: int | None = None
        while True:
            ch = peek()
            if ch in "+-" and chomping is None:
                chomping = ch == "+"
            elif ch in "0123456789" and increment is None:
                if ch == "0":
                    raise ScannerError(
                        "while scanning a block scalar",
                        start_mark,
                        "expected indentation indicator in the range 1-9, but found 0",
                        self.reader.get_mark(),
                    )
                increment = int(ch)
            else:
                break
            self.reader.forward()
        if peek() not in " \t#" + _END:
            raise ScannerError(
                "while scanning a block scalar",
                start_mark,
                f"expected chomping or indentation indicators, but found {peek()!r}",
                self.reader.get_mark(),
            )
        return chomping, increment

    def scan_block_scalar(self, style: Any, rt: bool | None = False) -> Any:
        self._block_scalar_mark = self.reader.get_mark()
        return super().scan_block_scalar(style, rt)

    def _no_tab_in_indentation(self, indent: int | None = None) -> None:
        if self.reader.peek() == "\t" and (indent is None or self.reader.column < indent):
            raise ScannerError(
                "while scanning a block scalar",
                self._block_scalar_mark,
                "found a tab character where an indentation space is expected",
                self.reader.get_mark(),
            )

    def scan_block_scalar_indentation(self) -> tuple[list[str], int, Any]:
        # The lines before the first one with content, which sets the indentation.
        chunks: list[str] = []
        max_indent = 0
        end_mark = self.reader.get_mark()
        while True:
            while self.reader.peek() == " ":
                self.reader.forward()
            max_indent = max(max_indent, self.reader.column)
            self._no_tab_in_indentation()
            if self.reader.peek() not in _BREAKS:
                return chunks, max_indent, end_mark
            chunks.append(self.scan_line_break())
            end_mark = self.reader.get_mark()

    def scan_block_scalar_breaks(self, indent: int) -> tuple[list[str], Any]:
        chunks: list[str] = []
        end_mark = self.reader.get_mark()
        while True:
            while self.reader.column < indent and self.reader.peek() == " ":
                self.reader.forward()
            self._no_tab_in_indentation(indent)
            if self.reader.peek() not in _BREAKS:
                return chunks, end_mark
            chunks.append(self.scan_line_break())
            end_mark = self.reader.get_mark()

    def scan_block_scalar_ignored_line(self, start_mark: Any) -> Any:
        # The rest of a block scalar's header line: blanks, then a comment or nothing.
        while self.reader.peek() in " \t":
            self.reader.forward()
        return super().scan_block_scalar_ignored_line(start_mark)


class _Parser(Parser):
    def parse_node(self, block: bool = False, indentless_sequence: bool = False) -> Any:
        first = self.scanner.peek_token()
        event = super().parse_node(block=block, indentless_sequence=indentless_sequence)
        if isinstance(first, (TagToken, AnchorToken)):
            event.start_mark = first.start_mark  # the node starts at its first property
        return event

    def parse_block_mapping_key(self) -> Any:
        if not self.scanner.check_token(KeyToken) and self.scanner.check_token(ValueToken):
            # ': value' with no key: ruamel.yaml reads a null key, libyaml refuses it
            raise ParserError(
                "while parsing a block mapping",
                self.marks[-1],
                "did not find expected key",
                self.scanner.peek_token().start_mark,
            )
        return super().parse_block_mapping_key()

    def parse_block_mapping_value(self) -> Any:
        if not self.scanner.check_token(ValueToken):
            return super().parse_block_mapping_value()
        token = self.scanner.get_token()
        if not self.scanner.check_token(KeyToken, ValueToken, BlockEndToken):
            self.states.append(self.parse_block_mapping_key)
            return self.parse_block_node_or_indentless_sequence()
        self.state = self.parse_block_mapping_key
        return self.process_empty_scalar(token.end_mark)  # right after the ':'

    def parse_flow_mapping_value(self) -> Any:
        if self.scanner.check_token(ValueToken):
            self.scanner.get_token()
            if not self.scanner.check_token(FlowEntryToken, FlowMappingEndToken):
                self.states.append(self.parse_flow_mapping_key)
                return self.parse_flow_node()
        self.state = self.parse_flow_mapping_key
        return self.process_empty_scalar(self.scanner.peek_token().start_mark)  # at the next token

    def parse_flow_sequence_entry_mapping_value(self) -> Any:  # [key: value] is parsed alike
        if self.scanner.check_token(ValueToken):
            self.scanner.get_token()
            if not self.scanner.check_token(FlowEntryToken, FlowSequenceEndToken):
                self.states.append(self.parse_flow_sequence_entry_mapping_end)
                return self.parse_flow_node()
        self.state = self.parse_flow_sequence_entry_mapping_end
        return self.process_empty_scalar(self.scanner.peek_token().start_mark)


def event_source(text: str) -> Callable[[], Any]:
    """A function that returns the next event of *text* each call, then ``None``."""
    yaml = YAML(typ="safe", pure=True)
    yaml.Reader, yaml.Scanner, yaml.Parser = _Reader, _Scanner, _Parser
    events: Iterator[Any] = iter(yaml.parse(text))

    def get() -> Any:
        try:
            return next(events, None)
        except ReaderError as e:
            if e.reason == "special characters are not allowed":
                e.reason = "control characters are not allowed"
            e.position = len(text[: e.position].encode("utf-8", "surrogatepass"))  # as libyaml counts
            raise

    return get
