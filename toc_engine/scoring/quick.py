"""Frozen dataclasses whose `__init__` fills the instance in one step.

A frozen dataclass's generated `__init__` sets each field with `object.__setattr__`
(the class forbids `self.x = ...`). Each such call costs about 2,000 machine
instructions: a six-field `TargetPoint` took ~13,000 to build, and the score objects
built this way were about a fifth of `score()` on a national programme (measured with
cachegrind; bench/README.md). `quick_init` gives the class an `__init__` with the same
parameters (names, order, defaults) that assigns the instance's `__dict__` once.
"""

from __future__ import annotations

from dataclasses import MISSING, fields, is_dataclass
from typing import TypeVar

T = TypeVar("T")

_RESERVED = frozenset({"self", "_set"})


def quick_init(cls: type[T]) -> type[T]:
    """Replace the generated `__init__` of the frozen dataclass `cls` (see the module).

    Nothing else changes: equality, hashing, `repr`, immutability, pickling and
    `dataclasses.replace` read and guard the same attributes. Only plain fields are
    supported (positional or defaulted); anything else is refused here, at import, rather
    than built differently.
    """
    params = getattr(cls, "__dataclass_params__", None)
    if not is_dataclass(cls) or params is None or not params.frozen:
        raise TypeError(f"{cls.__name__}: quick_init is for frozen dataclasses")
    if hasattr(cls, "__post_init__") or "__slots__" in cls.__dict__:
        raise TypeError(f"{cls.__name__}: __post_init__ and __slots__ are not supported")
    namespace: dict[str, object] = {"_set": object.__setattr__}
    arguments: list[str] = []
    items: list[str] = []
    for f in fields(cls):
        if (not f.init or f.kw_only or f.default_factory is not MISSING
                or f.name in _RESERVED or f.name.startswith("_default_")):
            raise TypeError(f"{cls.__name__}.{f.name}: field not supported by quick_init")
        if f.default is MISSING:
            arguments.append(f.name)
        else:
            namespace[f"_default_{f.name}"] = f.default
            arguments.append(f"{f.name}=_default_{f.name}")
        items.append(f"{f.name!r}: {f.name}")
    source = (
        f"def __init__(self, {', '.join(arguments)}):\n"
        f"    _set(self, '__dict__', {{{', '.join(items)}}})\n"
    )
    exec(source, namespace)  # as dataclasses itself writes `__init__`
    init = namespace["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"  # type: ignore[attr-defined]
    setattr(cls, "__init__", init)  # noqa: B010 (mypy forbids assigning a method)
    return cls
