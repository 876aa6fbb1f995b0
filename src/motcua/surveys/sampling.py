"""Sample size and reproducible random sampling for SIPAS campaigns (framework-free).

n = ⌈N / (1 + N·e²)⌉ (Yamane/Slovin, the BNV sampling guide; rounded up [verify]): N = distinct applicants with a
finished dossier in the period, e = margin of error (5 % by default). Computed with exact fractions so that
N = 400, e = 5 % gives exactly 200 and not 201 through a float rounding error.
"""

import math
import random
from collections.abc import Iterable
from decimal import Decimal
from fractions import Fraction


def sample_size(population: int, margin: Decimal | float | str = Decimal("0.05")) -> int:
    if population < 0:
        raise ValueError("population must be ≥ 0")
    e = Fraction(Decimal(str(margin)))
    if not 0 < e < 1:
        raise ValueError("margin of error must lie strictly between 0 and 1")
    return min(population, math.ceil(Fraction(population) / (1 + population * e * e)))


def draw(keys: Iterable[str], n: int, seed: int) -> list[str]:
    """`n` distinct keys chosen with a seeded generator; the population is sorted first so the result depends only
    on the set of keys and the seed (not on database order)."""
    population = sorted(set(keys))
    return random.Random(seed).sample(population, min(n, len(population)))
