"""Converting a monitoring value between units that differ by a magnitude (亿元 ↔ 万亿元,
万人 ↔ 人), with the magnitudes of ``data/units.yaml``."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from luoshi.resources.loader import load_yaml, package_data


@dataclass(frozen=True)
class UnitConverter:
    magnitudes: dict[str, float]

    def split(self, unit: str) -> tuple[float, str]:
        """(factor, base unit): 亿千瓦时 → (1e11, 瓦时); a unit without a magnitude → (1, unit)."""
        factor, rest = 1.0, unit.strip()
        while True:
            prefix = next((m for m in sorted(self.magnitudes, key=len, reverse=True)
                           if rest.startswith(m) and len(rest) > len(m)), None)
            if prefix is None:
                return factor, rest
            factor *= self.magnitudes[prefix]
            rest = rest[len(prefix):]

    def factor(self, from_unit: str, to_unit: str) -> float | None:
        """What a value in ``from_unit`` is multiplied by to be in ``to_unit``; None when they differ
        in more than a magnitude."""
        if from_unit == to_unit:
            return 1.0
        (f1, base1), (f2, base2) = self.split(from_unit), self.split(to_unit)
        return f1 / f2 if base1 == base2 else None

    def convert(self, value: float, from_unit: str | None, to_unit: str) -> float | None:
        factor = self.factor(from_unit or to_unit, to_unit)
        return None if factor is None else value * factor


@lru_cache(maxsize=1)
def unit_converter() -> UnitConverter:
    # YAML 1.1 reads 1.0e3 (no sign in the exponent) as a string
    return UnitConverter({k: float(v) for k, v in load_yaml(package_data("units.yaml"))["magnitudes"].items()})
