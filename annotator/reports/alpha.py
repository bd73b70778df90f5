"""Krippendorff's alpha (nominal), from sums over units that add up across articles (see agreement.py)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field


def nominal_alpha(units: Counter[tuple[str, ...]]) -> float | None:
    """Krippendorff's alpha (nominal) of units given as the values their coders gave, with how many such units.

    Units with fewer than two values cannot be paired and change nothing; None when alpha is undefined.
    """
    stats = AlphaStats()
    for values, count in units.items():
        stats.add_unit(values, count)
    return stats.alpha()


def unit_sums(values: Sequence[str]) -> tuple[int, int, Counter[str]]:
    """A pairable unit's part of AlphaStats: its m, its m² − Σ_v n_uv², its n_uv."""
    per_value = Counter(values)
    m = len(values)
    return m, m * m - sum(c * c for c in per_value.values()), per_value


@dataclass
class AlphaStats:
    """What Krippendorff's alpha (nominal) needs of a set of units, in sums that add up across articles:
    alpha = 1 − observed / expected, with
      observed = Σ over pairable units u of (m_u² − Σ_v n_uv²) / (m_u − 1)   (m_u values in u, n_uv of them v)
      expected = (n² − Σ_v n_v²) / (n − 1)                                   (n_v = Σ_u n_uv, n = Σ_v n_v),
    the `krippendorff` package's formula (a test checks the two agree). Kept as integers, exactly:
    `disagreement[m]` sums m_u² − Σ_v n_uv² over the units with m values."""

    units: int = 0
    disagreement: Counter[int] = field(default_factory=Counter)
    totals: Counter[str] = field(default_factory=Counter)

    def add_unit(self, values: Sequence[str], count: int = 1) -> None:
        if len(values) >= 2:
            m, disagreement, per_value = unit_sums(values)
            self.units += count
            self.disagreement[m] += count * disagreement
            for value, c in per_value.items():
                self.totals[value] += count * c

    def alpha(self) -> float | None:
        if not self.units or len(self.totals) < 2:
            return None
        observed = sum(d / (m - 1) for m, d in self.disagreement.items())
        n = sum(self.totals.values())
        expected = (n * n - sum(c * c for c in self.totals.values())) / (n - 1)
        return 1 - observed / expected if expected else None
