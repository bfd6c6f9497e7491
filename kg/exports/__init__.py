"""Exporters, one module per format; each registers itself on import (as ``kg.builders`` do)."""

import importlib
import pkgutil

from kg.exports.base import REGISTRY, Exporter, ExportFile, ExportSource

for _info in pkgutil.iter_modules(__path__):
    if not _info.name.startswith("_") and _info.name not in {"base", "canonical"}:
        importlib.import_module(f"{__name__}.{_info.name}")

__all__ = ["REGISTRY", "ExportFile", "ExportSource", "Exporter", "export_all", "get_exporter"]


def get_exporter(name: str) -> Exporter:
    """Return the exporter registered under ``name``.

    :raises KeyError: naming the formats there are
    """
    if name not in REGISTRY:
        raise KeyError(f"unknown export format {name!r}; formats: {', '.join(sorted(REGISTRY))}")
    return REGISTRY[name]()


def export_all(source: ExportSource, names: list[str] | None = None) -> list[ExportFile]:
    """Export ``source`` in the formats ``names`` (default: all), files sorted by name."""
    files = [
        file for name in sorted(names or REGISTRY) for file in get_exporter(name).export(source)
    ]
    return sorted(files, key=lambda file: file.name)
