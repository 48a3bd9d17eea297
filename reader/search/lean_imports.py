"""Whoosh imported without the modules it imports and a search never uses.

A cold `reader search` pays for every import, and Whoosh pulls in several it
never needs here: `urllib.request` (with http, email, ssl and socket: ~25 ms
of `-X importtime`) for a download helper, `whoosh.lang.morph_en` (~11 ms of
regexes) for the English `Variations` query, through `cached_property`
`asyncio` (~13 ms) for async properties Whoosh does not have, and (~5 ms
together) `whoosh.lang.porter` and `whoosh.lang.dmetaphone` for English
stemming and sounds-alike filters, `html` for its highlighter's HTML
formatter, `queue` for its multiprocess writer, `calendar` for date fields.
While the module that imports one of them runs, a stand-in takes its place in
`sys.modules`; the stand-in imports the real module the first time anything of
it is used, so nothing changes but when the cost is paid. A module already
imported (the app's asyncio) is used as it is.
"""

from __future__ import annotations

import importlib
import importlib.machinery
import inspect
import sys
import types
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, cast

if TYPE_CHECKING:
    import importlib.abc

# The importing module -> the modules it need not load yet.
_DEFERRED = {
    "whoosh.compat": ("urllib.request", "html", "queue"),
    "whoosh.query.terms": ("whoosh.lang.morph_en",),
    "whoosh.analysis.morph": ("whoosh.lang.porter", "whoosh.lang.dmetaphone"),
    "whoosh.analysis.analyzers": ("whoosh.lang.porter",),
    "whoosh.util.times": ("calendar",),
    "cached_property": ("asyncio",),
}
# A deferred module -> the functions its importer takes by `from … import f`, forwarded (as
# default arguments too: a stemming analyzer, which our schema has not, would hold a forwarder).
_FUNCTIONS = {
    "urllib.request": ["urlretrieve"],
    "html": ["escape"],
    "whoosh.lang.morph_en": ["variations"],
    "whoosh.lang.porter": ["stem"],
    "whoosh.lang.dmetaphone": ["double_metaphone"],
}


class _StandIn(types.ModuleType):
    """A module not imported yet: the first attribute asked of it imports it."""

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        if sys.modules.get(self.__name__) is self:
            del sys.modules[self.__name__]  # the real import must not find us
        return getattr(importlib.import_module(self.__name__), name)


class _Forwarding(_StandIn):
    """A stand-in whose functions, taken by `from … import f` at import time, forward to the real ones."""

    def __init__(self, name: str, functions: Sequence[str]) -> None:
        super().__init__(name)
        for function in functions:
            setattr(self, function, self._forward(function))

    def _forward(self, function: str) -> Callable[..., Any]:
        def call(*args: Any, **kwargs: Any) -> Any:
            return getattr(importlib.import_module(self.__name__), function)(*args, **kwargs)

        call.__name__ = function
        return call


class _AsyncioStandIn(_StandIn):
    """asyncio for `cached_property`, which asks it only whether a getter is a coroutine function."""

    @staticmethod
    def iscoroutinefunction(func: Any) -> bool:
        return inspect.iscoroutinefunction(func)  # asyncio's answer too, for a def or an async def


def _stand_in(name: str) -> types.ModuleType:
    if name == "asyncio":
        return _AsyncioStandIn(name)
    return _Forwarding(name, _FUNCTIONS.get(name, []))


class _Loader:
    """The module's own loader, run with the stand-ins in place (importlib.abc would cost ~3 ms to import)."""

    def __init__(self, loader: Any, deferred: Sequence[str]) -> None:
        self.loader = loader
        self.deferred = deferred

    def __getattr__(self, name: str) -> Any:
        return getattr(self.loader, name)  # get_source, is_package, … as the module's own loader

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> types.ModuleType | None:
        module: types.ModuleType | None = self.loader.create_module(spec)
        return module

    def exec_module(self, module: types.ModuleType) -> None:
        stand_ins = {name: _stand_in(name) for name in self.deferred if name not in sys.modules}
        sys.modules.update(stand_ins)
        try:
            self.loader.exec_module(module)
        finally:
            for name, stand_in in stand_ins.items():
                if sys.modules.get(name) is stand_in:
                    del sys.modules[name]


class _Finder:
    """Finds the importing modules as Python would, and gives them `_Loader`."""

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: types.ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        deferred = [name for name in _DEFERRED.get(fullname, ()) if name not in sys.modules]
        if not deferred:
            return None
        spec = importlib.machinery.PathFinder.find_spec(fullname, path, target)
        if spec is None or spec.loader is None:
            return None
        spec.loader = cast("importlib.abc.Loader", _Loader(spec.loader, deferred))
        return spec


def install() -> None:
    """Defer those imports from now on (once; before Whoosh is first imported: the CLI does)."""
    if not any(isinstance(finder, _Finder) for finder in sys.meta_path):
        sys.meta_path.insert(0, _Finder())
