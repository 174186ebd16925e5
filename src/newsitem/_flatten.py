"""Flat columns for tables: one item's JSON-ready data as ``column -> value``.

Used by :mod:`newsitem.dask` (``to_dataframe``) and by ``newsitem export --format
parquet``, so both write the same columns:

- a nested mapping becomes dotted columns: ``provider: {name: X}`` is ``provider.name``;
  an empty mapping stays ``{}`` under its own key (so it is not lost);
- every list stays one column, its value the list as it is (``topics``,
  ``images``, ``related``...); :func:`cell` turns it (and an empty mapping) into JSON
  text for a table, so a list of objects with varying keys needs no nested schema;
- scalars (strings, integers, floats, booleans, null) stay as they are; date-times
  are already ISO 8601 strings in JSON-ready data.

A table needs one type per column, known before it is written: :func:`kind` names
the kind of one value, :func:`merge` the kind of a column whose values have several
(integers and floats are ``float``; any other mix, and any list, is ``json``), and
:func:`cell` gives the value a table cell of that kind holds.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from collections.abc import Iterable, Mapping
from typing import Any, Literal, TypeAlias

from ._convert import unstructure
from ._jsonschema import json_ready

__all__ = [
    "ARROW_TYPES",
    "KINDS",
    "Kind",
    "cell",
    "flatten",
    "item_data",
    "kind",
    "merge",
    "record_kinds",
    "write_parquet",
]

#: The kind of a column: what type a table gives it.
Kind: TypeAlias = Literal["null", "string", "int", "float", "bool", "json"]
KINDS: tuple[Kind, ...] = ("null", "string", "int", "float", "bool", "json")


def item_data(item: Any) -> dict[str, Any]:
    """What ``newsitem export`` writes for an item: keys as in the file, date-times
    in ISO 8601. :class:`ValueError` for what JSON cannot hold."""
    data = json_ready(unstructure(item))
    assert isinstance(data, dict)
    return data


def flatten(data: Mapping[str, Any]) -> dict[str, Any]:
    """Flat columns for one item's JSON-ready data (see the module docstring).

    >>> flatten({"title": "T", "provider": {"name": "N", "images": []}, "topics": ["a", "b"]})
    {'title': 'T', 'provider.name': 'N', 'provider.images': [], 'topics': ['a', 'b']}
    >>> flatten({"a": {}, "b": {"c": {"d": 1}}})
    {'a': {}, 'b.c.d': 1}

    :class:`ValueError` when two keys flatten to the same column (``a.b: 1`` beside
    ``a: {b: 2}``).
    """
    out: dict[str, Any] = {}
    _flatten_into(out, data, "")
    return out


def _flatten_into(out: dict[str, Any], data: Mapping[Any, Any], prefix: str) -> None:
    for key, value in data.items():
        column = f"{prefix}{key}"
        if isinstance(value, Mapping) and value:
            _flatten_into(out, value, column + ".")
            continue
        if column in out:
            raise ValueError(f"two keys flatten to the same column {column!r}")
        out[column] = value


def kind(value: Any) -> Kind:
    """The kind of one flattened value."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int" if -(2**63) <= value < 2**63 else "json"  # a table's integers are 64-bit
    if isinstance(value, float):
        return "float"
    if isinstance(value, str):
        return "string"
    return "json"


def merge(a: Kind, b: Kind) -> Kind:
    """The kind of a column holding values of kinds *a* and *b*.

    >>> merge("null", "int"), merge("int", "float"), merge("int", "string"), merge("json", "null")
    ('int', 'float', 'json', 'json')
    """
    if a == b or b == "null":
        return a
    if a == "null":
        return b
    if {a, b} == {"int", "float"}:
        return "float"
    return "json"


def record_kinds(
    records: Iterable[Mapping[str, Any]], into: dict[str, Kind] | None = None
) -> dict[str, Kind]:
    """The columns of *records* with their kinds, in order of first appearance
    (added to *into*, if given)."""
    kinds: dict[str, Kind] = {} if into is None else into
    for record in records:
        for column, value in record.items():
            kinds[column] = merge(kinds.get(column, "null"), kind(value))
    return kinds


def cell(value: Any, of: Kind) -> Any:
    """What a table cell of kind *of* holds for *value*: ``None`` for null, JSON text
    for every value of a ``json`` column, a float for an integer in a ``float``
    column, the value itself otherwise.

    Text UTF-8 cannot hold (a file name that is not UTF-8, which Python holds as lone
    surrogates) is written with backslash escapes.

    >>> cell(["a"], "json"), cell("x", "json"), cell(3, "float"), cell(None, "json")
    ('["a"]', '"x"', 3.0, None)
    >>> cell("caf\\udce9", "string")
    'caf\\\\udce9'
    """
    if value is None:
        return None
    if of == "json":
        return json.dumps(value, ensure_ascii=False, allow_nan=False)
    if of == "float":
        return float(value)
    return _utf8(value) if isinstance(value, str) else value


def _utf8(text: str) -> str:
    if text.isascii():
        return text
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-8", "backslashreplace").decode("utf-8")
    return text


#: The Arrow type of each kind (what Parquet stores); :mod:`newsitem.dask` gives pandas
#: columns the same types.
ARROW_TYPES: dict[Kind, str] = {
    "null": "string",
    "string": "string",
    "json": "string",
    "int": "int64",
    "float": "float64",
    "bool": "bool",
}


def write_parquet(records: list[dict[str, Any]], path: str) -> None:
    """Write flat *records* to a Parquet file at *path*: one column per key, in
    order of first appearance, typed by :func:`record_kinds`.

    The file is written under a temporary name in the same folder and renamed
    over *path*, so a reader never sees half a file. :class:`ImportError` without
    pyarrow (the ``dask`` extra).
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    kinds = record_kinds(records)
    table = pa.table(
        {
            column: pa.array([cell(r.get(column), k) for r in records], type=ARROW_TYPES[k])
            for column, k in kinds.items()
        }
    )
    folder = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".newsitem-", suffix=".parquet.tmp")
    os.close(fd)
    try:
        pq.write_table(table, tmp)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
