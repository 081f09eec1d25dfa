"""Validated records, kept small while the checks that span records run.

Pydantic validates each record once, as it is read; the checks after only read the values. A
Pydantic instance carries a ``__dict__``, a set of the fields given and room for extras: for a
record of many citations that is four times the memory of its values (measured: 16.5 MB for the
10× corpus's records, 4.2 MB as below). So each validated record is turned into a named tuple
of the same fields, nested parts too, and short texts (ids, article ids, field names) are
interned, so the thousands of citations naming one article hold one string.

A compact record reads as its model does (``record.sources[0].evidence``) and answers
``model_fields`` and ``model_dump``, which is all the build asks of a record; ``model_of`` says
which model it was validated by (``isinstance`` cannot: Pydantic's models answer it only for
their own instances).
"""

from __future__ import annotations

import sys
from collections import namedtuple
from collections.abc import Callable
from enum import Enum
from typing import Any

from pydantic import BaseModel

# Texts this short are ids, article ids, field names and the like: one copy each is enough.
_INTERNED_CHARS = 48

_COMPACT_CLASSES: dict[type[BaseModel], type] = {}
_COMPACT_TYPES: set[type] = set()


def compact(value: Any) -> Any:
    """``value`` with every Pydantic model in it turned into its compact form."""
    kind = type(value)
    if kind is str:
        return sys.intern(value) if len(value) < _INTERNED_CHARS else value
    if kind is list:
        return [compact(part) for part in value]
    if isinstance(value, BaseModel):
        return _converter(kind)(value)
    return value


def model_of(record: Any) -> type:
    """The model ``record`` was validated by, compact or not."""
    return getattr(type(record), "compacted_from", type(record))


def is_model(value: Any) -> bool:
    """Whether ``value`` is a validated record or part of one, compact or not."""
    kind = type(value)
    if kind in _PLAIN:  # most values: a look-up, not Pydantic's instance check
        return False
    return kind in _COMPACT_TYPES or isinstance(value, BaseModel)


_PLAIN = frozenset({str, int, bool, float, type(None), list})


def _converter(model: type[BaseModel]) -> Callable[[BaseModel], Any]:
    compact_class = _COMPACT_CLASSES.get(model) or _compact_class(model)
    make, fields = compact_class._make, compact_class._fields
    return lambda record: make([compact(record.__dict__[name]) for name in fields])


def _compact_class(model: type[BaseModel]) -> type:
    base = namedtuple(f"Compact{model.__name__}", list(model.model_fields))  # type: ignore[misc]
    compact_class = type(base.__name__, (base,), {
        "__slots__": (), "model_fields": model.model_fields, "compacted_from": model,
        "model_dump": _model_dump, "__repr__": _repr,
    })
    _COMPACT_CLASSES[model] = compact_class
    _COMPACT_TYPES.add(compact_class)
    return compact_class


def _repr(self: Any) -> str:
    fields = ", ".join(f"{name}={value!r}" for name, value in zip(self._fields, self, strict=True))
    return f"{self.compacted_from.__name__}({fields})"


def _model_dump(self: Any, *, mode: str = "python", include: set[str] | None = None,
                exclude: set[str] | None = None) -> dict[str, Any]:
    """The fields as Pydantic's ``model_dump`` gives them, for the options the build uses."""
    return {
        name: _dumped(value, mode) for name, value in zip(self._fields, self, strict=True)
        if (include is None or name in include) and (exclude is None or name not in exclude)
    }


def _dumped(value: Any, mode: str) -> Any:
    if isinstance(value, list):
        return [_dumped(part, mode) for part in value]
    if hasattr(value, "model_dump"):
        return value.model_dump(mode=mode)
    if mode == "json" and isinstance(value, Enum):
        return value.value
    return value
