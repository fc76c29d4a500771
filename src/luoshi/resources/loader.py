"""Reading data files: YAML without duplicate keys, and frozen typed records built from it.

``record(cls, data, where)`` turns a parsed mapping into the frozen dataclass ``cls``: every
key must be a field, every field without a default must be present, and every value must have
the field's type — ``str``, ``int``, ``float``, ``bool``, ``tuple[X, ...]``, ``frozenset[X]``,
``dict[K, V]``, ``X | None``, a compiled ``re.Pattern`` (written as a regex string) or a nested
record. A problem is a ``DataFileError`` naming the file and the key path
(``lexicon.yaml: status.target_cues[3]: expected a string, got 5``).
"""

from __future__ import annotations

import dataclasses
import re
import types
import typing
from functools import lru_cache
from importlib import resources as importlib_resources
from pathlib import Path
from typing import Any, TypeVar

import yaml

from luoshi.errors import DataFileError

T = TypeVar("T")


# libyaml's parser when PyYAML has it (ten times faster at start-up), the pure-Python one otherwise
_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _UniqueKeyLoader(_SafeLoader):  # type: ignore[misc, valid-type]
    """A YAML loader that rejects duplicate mapping keys instead of keeping the last one."""


def _construct_unique_mapping(loader: _UniqueKeyLoader, node: yaml.MappingNode, deep: bool = False):
    mapping: dict[Any, Any] = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=deep)
        try:
            hash(key)
        except TypeError:
            raise yaml.constructor.ConstructorError(None, None, f"unhashable key {key!r}", key_node.start_mark) from None
        if key in mapping:
            raise yaml.constructor.ConstructorError(None, None, f"duplicate key {key!r}", key_node.start_mark)
        mapping[key] = loader.construct_object(value_node, deep=deep)
    return mapping


_UniqueKeyLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_unique_mapping)


def load_yaml(path: str | Path) -> dict[str, Any]:
    """Read one YAML data file; any problem becomes a DataFileError naming the file."""
    try:
        text = Path(path).read_text(encoding="utf-8")
        data = yaml.load(text, Loader=_UniqueKeyLoader)
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise DataFileError(f"{path}: {exc}") from exc
    if not isinstance(data, dict):
        raise DataFileError(f"{path}: expected a mapping at the top level")
    return data


def package_data(name: str) -> Path:
    return Path(str(importlib_resources.files("luoshi") / "data" / name))


def load_record(cls: type[T], name: str) -> T:
    """A packaged data file (``data/NAME``) as the record ``cls``."""
    return record(cls, load_yaml(package_data(name)), name)


def record(cls: type[T], data: Any, source: str) -> T:
    """The frozen dataclass ``cls`` from a mapping read from ``source``, every key and value checked."""
    return _record(cls, data, source, "")


def _at(source: str, path: str) -> str:
    return f"{source}: {path}" if path else source


def _record(cls: type[T], data: Any, source: str, path: str) -> T:
    where = _at(source, path)
    if not isinstance(data, dict):
        raise DataFileError(f"{where}: expected a mapping, got {_shown(data)}")
    hints = _hints(cls)
    known = {f.name: f for f in dataclasses.fields(cls)}
    unknown = [str(k) for k in data if k not in known]
    if unknown:
        raise DataFileError(f"{where}: unknown key{'s' if len(unknown) > 1 else ''} {', '.join(unknown)} "
                            f"(expected {', '.join(known)})")
    values = {}
    for name, spec in known.items():
        if name in data:
            values[name] = _convert(hints[name], data[name], source, f"{path}.{name}" if path else name)
        elif spec.default is dataclasses.MISSING and spec.default_factory is dataclasses.MISSING:
            raise DataFileError(f"{where}: missing key {name}")
    return cls(**values)


@lru_cache(maxsize=None)
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _convert(kind: Any, value: Any, source: str, path: str) -> Any:
    where = _at(source, path)
    origin, args = typing.get_origin(kind), typing.get_args(kind)
    if kind is Any:
        return value
    if origin in (typing.Union, types.UnionType):
        if value is None and type(None) in args:
            return None
        (inner,) = [a for a in args if a is not type(None)]
        return _convert(inner, value, source, path)
    if dataclasses.is_dataclass(kind):
        return _record(kind, value, source, path)
    if origin in (tuple, frozenset):
        if not isinstance(value, list):
            raise DataFileError(f"{where}: expected a list, got {_shown(value)}")
        if origin is tuple and not (len(args) == 2 and args[1] is Ellipsis):
            if len(value) != len(args):
                raise DataFileError(f"{where}: expected a list of {len(args)}, got {len(value)}")
            return tuple(_convert(a, v, source, f"{path}[{i}]") for i, (a, v) in enumerate(zip(args, value)))
        items = [_convert(args[0], v, source, f"{path}[{i}]") for i, v in enumerate(value)]
        return tuple(items) if origin is tuple else frozenset(items)
    if origin is dict:
        if not isinstance(value, dict):
            raise DataFileError(f"{where}: expected a mapping, got {_shown(value)}")
        return {_convert(args[0], k, source, f"{path} (key {k!r})"): _convert(args[1], v, source, f"{path}.{k}")
                for k, v in value.items()}
    return _scalar(kind, value, where)


def _scalar(kind: Any, value: Any, where: str) -> Any:
    if kind is re.Pattern:
        if not isinstance(value, str):
            raise DataFileError(f"{where}: expected a regular expression (a string), got {_shown(value)}")
        try:
            return re.compile(value)
        except re.error as exc:
            raise DataFileError(f"{where}: not a valid regular expression ({exc})") from exc
    if kind is float:
        # YAML 1.1 reads 1.0e3 (no sign in the exponent) as a string: accept a numeric string
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return float(value)
        if isinstance(value, str):
            try:
                return float(value)
            except ValueError:
                pass
        raise DataFileError(f"{where}: expected a number, got {_shown(value)}")
    if kind is int:
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        raise DataFileError(f"{where}: expected an integer, got {_shown(value)}")
    if kind is bool:
        if isinstance(value, bool):
            return value
        raise DataFileError(f"{where}: expected true or false, got {_shown(value)}")
    if kind is str:
        if isinstance(value, str):
            return value
        raise DataFileError(f"{where}: expected a string, got {_shown(value)}")
    raise TypeError(f"{where}: no conversion for field type {kind!r}")  # a schema bug, not a data error
