"""The lossless layer: YAML text to a tree of nodes that know their exact spans.

libyaml (through ``ruamel.yaml[libyaml]``) produces the event stream; every event
carries character offsets into the text and the scalar's style. This module turns
the events into a small tree of :class:`Scalar`, :class:`Mapping`,
:class:`Sequence` and :class:`Alias` nodes, each holding its span and its plain
Python value (what a YAML 1.2 safe load gives). Plain scalars are resolved with
ruamel.yaml's own resolver and constructors. No tag ever constructs an arbitrary
Python object: an unknown tag is a :class:`ParseError`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ruamel.yaml import events as _ev
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from . import _fastread  # the fast path of parse(): see the hook there
from ._errors import LimitError, ParseError, clip
from ._nodes import Alias, Mapping, Node, Scalar, Sequence
from ._scalars import MAP, MERGE, SEQ, construct, resolve

try:  # the libyaml extra; the pure-Python parser gives the same events, slower
    import _ruamel_yaml_clibz as _clib
except ImportError:  # pragma: no cover - exercised only where the extra is missing
    _clib = None

__all__ = ["Alias", "Mapping", "Node", "Scalar", "Sequence", "parse", "position_of"]


# -- events ----------------------------------------------------------------------------

_SCALAR, _MAP, _SEQ, _END, _ALIAS, _DOCUMENT, _OTHER = range(7)
_KIND: dict[type, int] = {
    _ev.ScalarEvent: _SCALAR,
    _ev.MappingStartEvent: _MAP,
    _ev.SequenceStartEvent: _SEQ,
    _ev.MappingEndEvent: _END,
    _ev.SequenceEndEvent: _END,
    _ev.AliasEvent: _ALIAS,
    _ev.DocumentStartEvent: _DOCUMENT,
}
if _clib is not None:
    _KIND.update(
        {
            _clib.ScalarEvent: _SCALAR,
            _clib.MappingStartEvent: _MAP,
            _clib.SequenceStartEvent: _SEQ,
            _clib.MappingEndEvent: _END,
            _clib.SequenceEndEvent: _END,
            _clib.AliasEvent: _ALIAS,
            _clib.DocumentStartEvent: _DOCUMENT,
        }
    )


def _event_source(text: str) -> Callable[[], Any]:
    if _clib is not None:
        return _clib.CParser(text).get_event  # type: ignore[no-any-return]
    from . import _pure  # only without the libyaml extra

    return _pure.event_source(text)  # ruamel.yaml's own parser, mended to give libyaml's events


def parse(text: str, *, line_offset: int = 0, max_depth: int = 64, max_nodes: int = 200_000) -> Node | None:
    """Parse one YAML document into a node tree; ``None`` if it holds no node.

    Raises :class:`ParseError` with 1-based line and column (shifted down by
    *line_offset* lines, the fence above the front matter) for any problem, and
    :class:`LimitError` when the document nests deeper than *max_depth* or holds
    more than *max_nodes* nodes once its aliases are expanded.
    """
    # -- fast-path hook (newsitem._fastread): the block-style subset straight from the
    # text; anything else is FALLBACK, read (and reported) by libyaml below, as before.
    if _fastread.ENABLED:
        root = _fastread.read(text, max_depth, max_nodes)
        if root is not _fastread.FALLBACK:
            return root
    # -- end of the fast-path hook
    try:
        return _build(text, max_depth, max_nodes)
    except MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        if e.context_mark is not None and (mark is None or not text[mark.index :].strip()):
            # It ran into the end of the front matter: point where the unfinished thing started.
            mark = e.context_mark
        message = " ".join(p for p in (e.context, e.problem) if p) or "invalid YAML"
        if mark is None:  # pragma: no cover - libyaml always marks its errors
            raise ParseError(message) from None
        # from the character index, not libyaml's line and column: YAML 1.1 counts NEL, LS
        # and PS as line breaks too, where the file's lines end only at CR, LF or CRLF
        line, column = position_of(text, mark.index)
        raise ParseError(message, line=line + line_offset, column=column) from None
    except YAMLError as e:  # ReaderError: a character YAML does not allow
        position = getattr(e, "position", None)
        reason = getattr(e, "reason", None) or str(e)
        if position is None:  # pragma: no cover
            raise ParseError(f"invalid YAML: {reason}") from None
        # libyaml counts this position in UTF-8 bytes (and _pure does as libyaml does)
        position = len(text.encode("utf-8", "surrogatepass")[:position].decode("utf-8", "ignore"))
        line, column = position_of(text, position)
        char = getattr(e, "character", None)
        what = f" (character {char!r})" if isinstance(char, str) else ""
        raise ParseError(f"{reason}{what}", line=line + line_offset, column=column) from None
    except _TreeError as e:
        line, column = position_of(text, e.index)
        raise e.error(e.message, line=line + line_offset, column=column) from None


class _TreeError(Exception):
    error = ParseError

    def __init__(self, message: str, index: int) -> None:
        super().__init__(message)
        self.message = message
        self.index = index


class _TreeLimitError(_TreeError):
    error = LimitError


def position_of(text: str, index: int) -> tuple[int, int]:
    """1-based ``(line, column)`` of character *index* in *text* (any line ending)."""
    before = text[:index]
    crlf = before.count("\r\n")
    line = before.count("\n") + before.count("\r") - crlf
    start = max(before.rfind("\n"), before.rfind("\r")) + 1
    return line + 1, index - start + 1


def _build(text: str, max_depth: int, max_nodes: int) -> Node | None:
    """The event loop: hot, so written flat, with locals for globals."""
    get = _event_source(text)
    kinds = _KIND
    plain = resolve
    new_scalar = tuple.__new__
    scalar_cls = Scalar
    mapping_cls = Mapping
    anchors: dict[str, Node] = {}
    stack: list[Mapping | Sequence] = []
    root: Node | None = None
    documents = 0
    node: Node
    # Alias expansion is counted, not performed: ``count`` nodes were read, and the
    # aliases among them stand for ``inflation`` more. ``marks`` holds both counts
    # at the start of each open container, to give it its expanded ``size``.
    count = inflation = 0
    marks: list[tuple[int, int]] = []
    while (event := get()) is not None:
        kind = kinds.get(type(event), _OTHER)
        if kind == _SCALAR:
            value = event.value
            style = event.style
            tag = event.ctag  # the raw slot: ``.tag`` is a Python property
            if tag is None:
                if not style:
                    style = ""
                    try:
                        tag, value = plain(value)
                    except (ValueError, OverflowError) as e:  # a 5,000-digit int
                        raise _TreeError(
                            f"invalid value {value[:40]!r}: {e}", event.start_mark.index
                        ) from None
            elif str(tag) == "!":
                tag = None
            else:
                tag, value = _tagged(str(tag), value, event.start_mark.index)
            count += 1
            anchor = event.anchor
            node = new_scalar(
                scalar_cls, (event.start_mark.index, event.end_mark.index, style or "", value, tag, anchor)
            )
            if anchor is not None:
                anchors[anchor] = node
        elif kind in (_MAP, _SEQ):
            count += 1
            if count + inflation > max_nodes:
                raise _TreeLimitError(f"more than {max_nodes} nodes", event.start_mark.index)
            marks.append((count, inflation))
            tag = event.ctag  # the raw slot: ``.tag`` is a Python property
            if tag is not None:
                tag = str(tag)
                if tag not in (MAP, SEQ, "!"):
                    raise _TreeError(f"unsupported YAML tag {clip(tag)!r}", event.start_mark.index)
            if len(stack) >= max_depth:
                raise _TreeLimitError(f"nesting deeper than {max_depth} levels", event.start_mark.index)
            cls = mapping_cls if kind == _MAP else Sequence
            container = cls(event.start_mark.index, bool(event.flow_style), tag, event.anchor)
            if container.anchor is not None:
                anchors[container.anchor] = container
            stack.append(container)
            continue
        elif kind == _END:
            node = stack.pop()
            node.end = event.end_mark.index
            first, inflated = marks.pop()
            node.size = count - first + 1 + inflation - inflated
            if type(node) is mapping_cls and node.merged:
                _merge(node)
        elif kind == _ALIAS:
            target = anchors.get(event.anchor)
            if target is None:
                raise _TreeError(f"unknown alias *{clip(event.anchor)}", event.start_mark.index)
            if any(target is s for s in stack):
                raise _TreeError(f"recursive alias *{clip(event.anchor)}", event.start_mark.index)
            count += 1
            inflation += (1 if type(target) is scalar_cls else target.size) - 1  # type: ignore[union-attr]
            if count + inflation > max_nodes:
                raise _TreeLimitError(
                    f"aliases expand to more than {max_nodes} nodes (a 'billion laughs' document?)",
                    event.start_mark.index,
                )
            node = Alias(event.start_mark.index, event.end_mark.index, target)
        else:
            if kind == _DOCUMENT:
                documents += 1
                if documents > 1:
                    raise _TreeError("expected one YAML document, found another", event.start_mark.index)
            continue
        if not stack:
            root = node
            continue
        parent = stack[-1]
        if type(parent) is mapping_cls:
            key = parent.pending
            if key is None:
                parent.pending = node
                parent.keys.append(node)
                if type(node) is not scalar_cls:
                    _check_key(node)
                elif node.tag == MERGE and not node.style:
                    parent.merged = True
            else:
                parent.pending = None
                parent.nodes.append(node)
                values = parent.value
                k = key.value
                if parent.merged and type(key) is scalar_cls and key.tag == MERGE and not key.style:
                    k = _MERGE_KEY  # "<<" merges; a quoted "<<" is an ordinary key
                if k in values:
                    raise _TreeError(f"duplicate key {k!r}", key.start)
                values[k] = node.value
        else:
            parent.nodes.append(node)
            parent.value.append(node.value)  # type: ignore[union-attr]
    return root


class _MergeKey:
    def __repr__(self) -> str:
        return "'<<'"


_MERGE_KEY: Any = _MergeKey()


def _tagged(tag: str, text: str, index: int) -> tuple[str, Any]:
    """An explicitly tagged scalar (``!!int "3"``): only the YAML core tags construct."""
    build = construct.get(tag)
    if build is None or tag == MERGE:
        raise _TreeError(f"unsupported YAML tag {clip(tag)!r}", index)
    try:
        return tag, build(text)
    except (ValueError, IndexError, OverflowError) as e:
        raise _TreeError(f"invalid {tag} value {clip(text)!r}: {clip(str(e), 120)}", index) from None


def _check_key(node: Node) -> None:
    if type(node) is Alias and type(node.target) is Scalar:
        return
    raise _TreeError("only scalar mapping keys are supported", node.start)


def _merge(node: Mapping) -> None:
    """Apply ``<<`` merge keys: merged keys first, the mapping's own keys win."""
    own: dict[Any, Any] = {}
    merged: dict[Any, Any] = {}
    for key, child in zip(node.keys, node.nodes, strict=True):
        if type(key) is Scalar and key.tag == MERGE and not key.style:
            sources = child.value if isinstance(child.value, list) else [child.value]
            for source in sources:
                if not isinstance(source, dict):
                    raise _TreeError("a merge key '<<' needs a mapping or a list of them", child.start)
                for k, v in source.items():
                    merged.setdefault(k, v)
        else:
            own[key.value] = child.value
    merged.update(own)
    node.value = merged
