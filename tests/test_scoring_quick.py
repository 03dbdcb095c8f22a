"""`quick_init`: a frozen dataclass built in one step is the object its generated
`__init__` built, field for field; what it cannot build the same way, it refuses."""

from __future__ import annotations

import copy
import dataclasses
import inspect
import pickle
import sys
from dataclasses import MISSING, FrozenInstanceError, dataclass, field
from decimal import Decimal
from types import ModuleType, SimpleNamespace
from typing import Any

import pytest

from toc_engine.schema.model import Interning, _to_number
from toc_engine.scoring import confidence, progress, result, values
from toc_engine.scoring.quick import quick_init


def _quick_classes(*modules: ModuleType) -> list[type]:
    found = []
    for module in modules:
        for item in vars(module).values():
            if (isinstance(item, type) and dataclasses.is_dataclass(item)
                    and item.__module__ == module.__name__
                    and "_set" in item.__init__.__code__.co_names):
                found.append(item)
    return found


QUICK = _quick_classes(result, confidence, progress, values)


def _as_generated(cls: type, kwargs: dict[str, Any]) -> Any:
    """What the dataclass-generated `__init__` did: `object.__setattr__` per field, in order,
    defaults filled in."""
    made = object.__new__(cls)
    for f in dataclasses.fields(cls):
        object.__setattr__(made, f.name, kwargs.get(f.name, f.default))
    return made


def test_the_score_objects_are_built_quickly() -> None:
    names = {cls.__name__ for cls in QUICK}
    assert {"TargetPoint", "ValuePoint", "Hypothesis", "ClaimEffect", "ResultScore",
            "LinkScore", "Delivery", "Judgement", "BaseValue", "ChosenTarget"} <= names


@pytest.mark.parametrize("cls", QUICK, ids=lambda c: c.__name__)
def test_a_quick_object_is_the_generated_one(cls: type) -> None:
    fields = dataclasses.fields(cls)
    required = {f.name: (index, f"v{index}") for index, f in enumerate(fields)
                if f.default is MISSING}
    given = {name: value for name, (_, value) in required.items()}
    by_keyword = cls(**given)
    by_position = cls(*[given[f.name] for f in fields if f.name in given])
    expected = _as_generated(cls, given)
    for made in (by_keyword, by_position):
        assert type(made) is cls
        assert made.__dict__ == expected.__dict__
        # As compact as the generated one's: the fields kept as the class's shared-key
        # values, not in a dict of the object's own (+200 bytes an object).
        assert sys.getsizeof(made.__dict__) == sys.getsizeof(expected.__dict__)
        assert list(made.__dict__) == [f.name for f in fields]  # in field order, as before
        assert made == expected
        assert repr(made) == repr(expected)
        assert hash(made) == hash(expected)
        assert pickle.loads(pickle.dumps(made)) == made
        assert copy.deepcopy(made) == made
        with pytest.raises(FrozenInstanceError):
            made.__setattr__(fields[0].name, "changed")
    # Every field given by keyword, defaults overridden too.
    everything = {f.name: f"w{index}" for index, f in enumerate(fields)}
    assert cls(**everything).__dict__ == _as_generated(cls, everything).__dict__
    replaced = dataclasses.replace(by_keyword, **{fields[-1].name: "other"})
    assert getattr(replaced, fields[-1].name) == "other"
    # The signature (names, order, defaults) is the generated one's.
    parameters = list(inspect.signature(cls).parameters.values())
    assert [p.name for p in parameters] == [f.name for f in fields]
    assert [p.default for p in parameters] == [
        inspect.Parameter.empty if f.default is MISSING else f.default for f in fields
    ]
    if required:
        with pytest.raises(TypeError):
            cls()
    with pytest.raises(TypeError):
        cls(**given, no_such_field=1)


def test_quick_init_refuses_what_it_would_build_differently() -> None:
    class Plain:
        pass

    @dataclass
    class Mutable:
        x: int

    @dataclass(frozen=True)
    class WithFactory:
        x: list[int] = field(default_factory=list)

    @dataclass(frozen=True)
    class WithPostInit:
        x: int

        def __post_init__(self) -> None:
            pass

    @dataclass(frozen=True, kw_only=True)
    class KeywordOnly:
        x: int

    @dataclass(frozen=True, slots=True)
    class Slotted:
        x: int

    @dataclass(frozen=True)
    class NotInInit:
        x: int = field(default=1, init=False)

    for cls in (Plain, Mutable, WithFactory, WithPostInit, KeywordOnly, Slotted, NotInInit):
        with pytest.raises(TypeError):
            quick_init(cls)


def test_equal_whole_numbers_load_as_one_decimal() -> None:
    """Scoring looks breakdowns' numbers up by value: one object per whole number means
    its hash is worked out once (and 160,000 readings hold a few dozen Decimals)."""
    loading: Any = SimpleNamespace(context=Interning())  # as schema.validation passes it
    assert _to_number(40, loading) is _to_number(40, loading)
    assert _to_number(40, loading) == Decimal(40) and str(_to_number(-3, loading)) == "-3"
    # as written: 40.0 stays 40.0
    assert _to_number(Decimal("40.0"), loading) is not _to_number(40, loading)
    assert str(_to_number(Decimal("40.0"), loading)) == "40.0"
