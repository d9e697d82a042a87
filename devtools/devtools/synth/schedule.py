"""Business-day calendar and the one-month LIBOR path the synthetic deals accrue on.

Distribution dates fall on the 25th rolled to the next business day (the seed's
December 2003 distribution is on the 26th because the 25th is Christmas), and
floating classes accrue actual/360 over the real days between two such dates, so
the calendar has to know the US bank holidays that can land on a 25th.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from functools import lru_cache

MONTH_ABBR = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
MONTH_NAME = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)


def _nth_weekday(year: int, month: int, weekday: int, n: int) -> date:
    d = date(year, month, 1)
    d += timedelta(days=(weekday - d.weekday()) % 7)
    return d + timedelta(weeks=n - 1)


def _last_weekday(year: int, month: int, weekday: int) -> date:
    d = date(year + (month == 12), month % 12 + 1, 1) - timedelta(days=1)
    return d - timedelta(days=(d.weekday() - weekday) % 7)


def _observed(d: date) -> date:
    if d.weekday() == 5:
        return d - timedelta(days=1)
    if d.weekday() == 6:
        return d + timedelta(days=1)
    return d


@lru_cache(maxsize=256)
def bank_holidays(year: int) -> frozenset[date]:
    """US federal (Federal Reserve) holidays of ``year``, observed dates."""
    days = {
        _observed(date(year, 1, 1)),
        _nth_weekday(year, 1, 0, 3),  # Martin Luther King Jr. Day
        _nth_weekday(year, 2, 0, 3),  # Presidents' Day
        _last_weekday(year, 5, 0),  # Memorial Day
        _observed(date(year, 7, 4)),
        _nth_weekday(year, 9, 0, 1),  # Labor Day
        _nth_weekday(year, 10, 0, 2),  # Columbus Day
        _observed(date(year, 11, 11)),
        _nth_weekday(year, 11, 3, 4),  # Thanksgiving
        _observed(date(year, 12, 25)),
    }
    return frozenset(days)


def is_business_day(d: date) -> bool:
    """Weekdays that are not bank holidays."""
    return d.weekday() < 5 and d not in bank_holidays(d.year)


def roll_forward(d: date) -> date:
    """The first business day on or after ``d``."""
    while not is_business_day(d):
        d += timedelta(days=1)
    return d


def roll_back(d: date) -> date:
    """The last business day on or before ``d``."""
    while not is_business_day(d):
        d -= timedelta(days=1)
    return d


def add_months(year: int, month: int, n: int) -> tuple[int, int]:
    """(year, month) ``n`` months after (year, month)."""
    k = year * 12 + (month - 1) + n
    return k // 12, k % 12 + 1


def distribution_date(year: int, month: int) -> date:
    """The 25th of the month, rolled to the next business day."""
    return roll_forward(date(year, month, 25))


def record_date(dist: date) -> date:
    """Last business day of the month before the distribution date."""
    return roll_back(date(dist.year, dist.month, 1) - timedelta(days=1))


def days_30_360(start: date, end: date) -> int:
    """30/360 (bond basis) day count between two dates."""
    d1 = min(start.day, 30)
    d2 = end.day if not (end.day == 31 and d1 == 30) else 30
    return (end.year - start.year) * 360 + (end.month - start.month) * 30 + (d2 - d1)


# Rough month-start levels of one-month USD LIBOR (percent): the shape matters (low in
# 2003-04, 5.3 % in 2006-07, near zero after 2009), not the exact fixings.
_LIBOR_ANCHORS: dict[tuple[int, int], float] = {
    (1995, 1): 6.00, (1996, 1): 5.45, (1997, 1): 5.45, (1998, 1): 5.60, (1999, 1): 4.95,
    (2000, 1): 5.85, (2000, 7): 6.65, (2001, 1): 6.55, (2001, 7): 3.85, (2002, 1): 1.87,
    (2003, 1): 1.38, (2003, 7): 1.10, (2004, 1): 1.10, (2004, 7): 1.45, (2005, 1): 2.45,
    (2005, 7): 3.35, (2006, 1): 4.45, (2006, 7): 5.35, (2007, 1): 5.32, (2007, 7): 5.32,
    (2008, 1): 4.30, (2008, 4): 2.70, (2008, 10): 3.90, (2009, 1): 0.45, (2009, 7): 0.31,
    (2010, 1): 0.23, (2011, 1): 0.26, (2012, 1): 0.28, (2013, 1): 0.20, (2014, 1): 0.16,
    (2015, 1): 0.17, (2016, 1): 0.43, (2017, 1): 0.77, (2018, 1): 1.57, (2019, 1): 2.50,
    (2020, 1): 1.66, (2020, 4): 0.45, (2021, 1): 0.13, (2022, 1): 0.10, (2022, 7): 1.80,
    (2023, 1): 4.39, (2024, 1): 5.45, (2030, 1): 4.00,
}
_ANCHOR_KEYS = sorted(_LIBOR_ANCHORS)


def _anchor_level(year: int, month: int) -> float:
    k = year * 12 + month - 1
    keys = [ky * 12 + km - 1 for ky, km in _ANCHOR_KEYS]
    if k <= keys[0]:
        return _LIBOR_ANCHORS[_ANCHOR_KEYS[0]]
    if k >= keys[-1]:
        return _LIBOR_ANCHORS[_ANCHOR_KEYS[-1]]
    for i in range(1, len(keys)):
        if k <= keys[i]:
            lo, hi = keys[i - 1], keys[i]
            a, b = _LIBOR_ANCHORS[_ANCHOR_KEYS[i - 1]], _LIBOR_ANCHORS[_ANCHOR_KEYS[i]]
            return a + (b - a) * (k - lo) / (hi - lo)
    raise AssertionError("unreachable")


class LiborPath:
    """One-month LIBOR fixings by month, deterministic for a seed and shared by all deals."""

    def __init__(self, seed: int) -> None:
        self._seed = seed
        self._cache: dict[tuple[int, int], float] = {}

    def fixing(self, year: int, month: int) -> float:
        """Fixing (percent, to 1/800 of a point like real 5-decimal fixings) for a month."""
        key = (year, month)
        if key not in self._cache:
            rng = random.Random(f"{self._seed}:libor:{year}-{month}")
            level = max(0.05, _anchor_level(year, month) + rng.uniform(-0.04, 0.04))
            self._cache[key] = round(round(level * 800) / 800, 5)
        return self._cache[key]
