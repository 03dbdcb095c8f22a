"""Frozen dataclasses whose `__init__` sets their fields through one bound setter.

A frozen dataclass's generated `__init__` sets each field with
`object.__setattr__(self, name, value)` (the class forbids `self.x = ...`), and each
such call looks the slot wrapper up and checks its arguments again: a six-field
`TargetPoint` took ~10,000 machine instructions to build. The score objects built this
way were about a twelfth of `score()` on a national programme (counted with
cachegrind; bench/README.md). `quick_init` gives the class an `__init__` with the same
parameters (names, order, defaults) that binds `object.__setattr__` to the new instance
once and sets every field through it (~8,000 for a `TargetPoint`).

Why not assign the instance's `__dict__` in one step (~5,000)? It replaces the compact
per-instance values that Python keeps for objects of one class with a full dict of
their own: 136 -> 336 bytes for a `TargetPoint`, +83 MB of peak memory at 20,000 results
and 500,000 CSV rows. Setting the fields one by one keeps the compact form.
"""

from __future__ import annotations

from dataclasses import MISSING, fields, is_dataclass
from typing import TypeVar

T = TypeVar("T")

_RESERVED = frozenset({"self", "_set", "_field"})


def quick_init(cls: type[T]) -> type[T]:
    """Replace the generated `__init__` of the frozen dataclass `cls` (see the module).

    Nothing else changes: the instance is filled with the same calls in the same order,
    so equality, hashing, `repr`, immutability, pickling, `dataclasses.replace` and the
    instance's memory are those of the generated `__init__`. Only plain fields are
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
    lines: list[str] = []
    for f in fields(cls):
        if (not f.init or f.kw_only or f.default_factory is not MISSING
                or f.name in _RESERVED or f.name.startswith("_default_")):
            raise TypeError(f"{cls.__name__}.{f.name}: field not supported by quick_init")
        if f.default is MISSING:
            arguments.append(f.name)
        else:
            namespace[f"_default_{f.name}"] = f.default
            arguments.append(f"{f.name}=_default_{f.name}")
        lines.append(f"    _field({f.name!r}, {f.name})\n")
    source = (
        f"def __init__(self, {', '.join(arguments)}):\n"
        "    _field = _set.__get__(self)\n" + "".join(lines)
    )
    exec(source, namespace)  # as dataclasses itself writes `__init__`
    init = namespace["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"  # type: ignore[attr-defined]
    setattr(cls, "__init__", init)  # noqa: B010 (mypy forbids assigning a method)
    return cls
