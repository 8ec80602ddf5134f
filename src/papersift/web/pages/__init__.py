"""The pages, one module per area. Each module has a ``router``; :func:`routers` lists them.

To add an area (cards, topics, accounts …): write ``pages/<area>.py`` with an APIRouter named
``router`` and templates named ``<area>_*.html`` extending ``base.html``, then add its name
to ``AREAS`` below and its nav entry to ``papersift.web.render.NAV`` if it has one.
"""

from __future__ import annotations

from importlib import import_module

from fastapi import APIRouter

AREAS = [
    "today",
    "search",
    "paper",
    "account",
    "library",
    "topics",
    "docs",
]


def routers() -> list[APIRouter]:
    return [import_module(f"papersift.web.pages.{area}").router for area in AREAS]
