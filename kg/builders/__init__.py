"""Builders, one module per curated content kind; each registers itself on import."""

import importlib
import pkgutil
from typing import Any

from kg.builders.base import REGISTRY, BuildContext, Builder

for _info in pkgutil.iter_modules(__path__):
    if not _info.name.startswith("_") and _info.name != "base":
        importlib.import_module(f"{__name__}.{_info.name}")

__all__ = ["REGISTRY", "BuildContext", "Builder", "get_builders"]


def get_builders() -> list[Builder[Any]]:
    """Return one instance of every registered builder, in name order."""
    return [REGISTRY[name]() for name in sorted(REGISTRY)]
