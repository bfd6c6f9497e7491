"""Self-registering plugin classes: builders and exporters register themselves by ``name``.

A family of plugins (:class:`kg.builders.Builder`, :class:`kg.exports.Exporter`) subclasses
:class:`Registered` and gives its root class a :class:`Registry`; every subclass that sets ``name``
in its own body is then registered when Python creates it, so adding a module is enough to add
a plugin. Abstract intermediate classes (``EntityBuilder``) set no ``name`` and stay out.
"""

from __future__ import annotations

from typing import Any, ClassVar, TypeVar

T = TypeVar("T")


class Registry(dict[str, type[T]]):
    """Name -> plugin class. ``version`` changes whenever a class is added or removed, so values
    derived from the registry (the entity kinds...) can be cached and still see a plugin a test
    registers and removes."""

    def __init__(self, what: str) -> None:
        super().__init__()
        #: What the plugins are, for error messages ("builder", "exporter")
        self.what = what
        self.version = 0

    def register(self, name: str, cls: type[T]) -> None:
        """Add ``cls`` under ``name``; two plugins with one name are a programming error."""
        if name in self:
            raise TypeError(f"duplicate {self.what} name {name!r}: {self[name]} and {cls}")
        self[name] = cls
        self.version += 1

    def unregister(self, name: str) -> None:
        """Remove the plugin ``name`` (tests that register a toy plugin clean up with this)."""
        del self[name]
        self.version += 1


class Registered:
    """Mixin: a subclass setting ``name`` in its own body is added to the family's ``registry``."""

    #: The plugin's name: the content table, the ``--format`` choice...
    name: ClassVar[str]
    #: The registry of the family, set once on its root class
    registry: ClassVar[Registry[Any]]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "name" in cls.__dict__:
            cls.registry.register(cls.name, cls)
