"""Sphinx configuration for the newsitem documentation.

Build with::

    sphinx-build -W -n -b html docs docs/_build/html
"""

from __future__ import annotations

import sys
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

try:
    release = version("newsitem")
except PackageNotFoundError:  # not installed: document the source tree next door
    import tomllib

    _root = Path(__file__).resolve().parent.parent
    sys.path.insert(0, str(_root / "src"))
    with open(_root / "pyproject.toml", "rb") as f:
        release = tomllib.load(f)["project"]["version"]

project = "newsitem"
author = "newsitem developers"
copyright = "newsitem developers"
version = ".".join(release.split(".")[:2])

extensions = ["sphinx.ext.autodoc"]

root_doc = "index"
source_suffix = {".rst": "restructuredtext"}
exclude_patterns = ["_build"]
templates_path: list[str] = []

nitpicky = False
# With ``-n`` Sphinx checks every cross-reference. The standard library and
# attrs have no inventory to link to (no intersphinx: the build runs offline),
# and the type variables ``T`` of the generic signatures are not documented.
nitpick_ignore_regex = [
    ("py:class", r"(os|io|typing|contextlib|collections\.abc|datetime|pathlib|attrs|cattrs)\..+"),
    # newsitem.dask's types come from Dask, distributed, pandas and fsspec (no inventory either)
    ("py:(class|meth|func|data)", r"(dask|distributed|pandas|pd|dd|db|fsspec)\..+"),
    ("py:(class|data)", r"(newsitem\.dask\.)?(UrlPath|Errors|Outcome|Kind|Bag|DataFrame)"),
    ("py:class", r"(newsitem\._\w+\.)?T"),
]
autodoc_typehints = "description"
autodoc_member_order = "bysource"

html_theme = "furo"  # maintained, readable on phones; the "docs" extra installs it
html_title = f"newsitem {release}"
html_static_path: list[str] = []
