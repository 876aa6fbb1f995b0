"""Registry of auto sources: the system figures that decide some PAR criteria, keyed by the `source` named in the
criteria data (framework-free; the Django-backed fetchers are registered by `reform.sources` at start-up).

A fetcher is `fetch(agency, date_from, date_to) -> Figure`: the percentage the rule scores (None when the data has
no figure, e.g. no dossier finished) and the counts behind it, shown next to the proposal so the council can check
it.
"""

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Figure:
    value: float | None
    details: dict = field(default_factory=dict)   # {"finished": 1644, "early": 1605, ...}
    text: str = ""                                 # one sentence with the figures, in Vietnamese


@dataclass(frozen=True)
class AutoSource:
    key: str
    label: str
    fetch: Callable


_SOURCES: dict[str, AutoSource] = {}


def register(key: str, label: str, fetch: Callable) -> None:
    """Register (or replace) the fetcher of `key`."""
    _SOURCES[key] = AutoSource(key, label, fetch)


def get(key: str) -> AutoSource | None:
    return _SOURCES.get(key)


def keys() -> list[str]:
    return sorted(_SOURCES)
