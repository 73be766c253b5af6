"""Deterministic generator of synthetic "Online Retail II" transaction CSV files.

The output imitates the pandas CSV export of the UCI "Online Retail II" data set closely enough
that the dbt project can be built and tested against it at any size, including the warts of the
real data: cancellations, missing customers, duplicates, zero prices, non-product stock codes,
bad-debt adjustments and a few malformed lines.

Design, driven by the need to write ~100M lines in minutes with bounded memory:

* Planning is done per invoice, never per line: customers, timestamps, basket sizes,
  cancellations and special lines are decided up front with one PCG64 ``Generator``.  That is a
  handful of arrays of length ~lines/20 and fixes the exact line total before anything is written.
* Line contents are a pure function of ``(invoice index, slot)`` built on a counter-based hash, so
  a cancellation can re-derive the lines it reverses without keeping old chunks in memory, and
  the bytes never depend on chunk boundaries or thread scheduling.
* Lines are rendered by gathering pre-rendered, NUL-padded byte fragments into a fixed-width
  matrix and then dropping the padding, which keeps all per-line work inside numpy.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
from collections import deque
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, fields
from datetime import date, timedelta
from itertools import pairwise
from pathlib import Path
from typing import Any, BinaryIO, TypeAlias

import numpy as np
import numpy.typing as npt
from tqdm import tqdm

I64: TypeAlias = npt.NDArray[np.int64]
I32: TypeAlias = npt.NDArray[np.int32]
U64: TypeAlias = npt.NDArray[np.uint64]
F64: TypeAlias = npt.NDArray[np.float64]
Bool: TypeAlias = npt.NDArray[np.bool_]
U8: TypeAlias = npt.NDArray[np.uint8]

HEADER = b"Invoice,StockCode,Description,Quantity,InvoiceDate,Price,Customer ID,Country\n"
START_DATE = date(2009, 12, 1)
END_DATE = date(2011, 12, 9)
FIRST_INVOICE = 489434
FIRST_CUSTOMER_ID = 12346
LINES_PER_CUSTOMER = 170
N_PRODUCTS = 4000
# The catalogue is independent of --seed so product codes and names stay comparable across runs.
CATALOG_SEED = 20091201
# Lines per rendering chunk, cut at invoice boundaries.  Small enough that a few chunks in
# flight stay well under a gigabyte; the output does not depend on it.
CHUNK_LINES = 200_000
QTY_MAX = 99_999

# Target shares of all lines.  Special line kinds get an exact count each (at least one once the
# file has 10k lines, so small test files still contain every kind).
MISSING_CUSTOMER_SHARE = 0.20
CANCELLATION_SHARE = 0.02
FOREIGN_SHARE = 0.095
ZERO_PRICE_STANDALONE_RATE = 0.0025
ADJUSTMENT_RATE = 0.00001
MALFORMED_RATE = 1 / 50_000
MIN_LINES_FOR_GUARANTEED_EXTRAS = 10_000
P_DUPLICATE = 0.0108
P_FREE_ITEM = 0.0006
P_FAVOURITE = 0.30
N_FAVOURITES = 24
DEDUP_ROUNDS = 8

# Invoice kinds.
K_SALE, K_ZERO, K_CANCEL, K_DISCOUNT, K_AMAZON, K_ADJUST, K_BADDEBT = range(7)
_PREFIX = ("", "", "C", "C", "C", "", "A")

# Non-product codes, in B-table order after the product rows.  ADJUST is rendered per line
# because its description embeds the date.
SP_POST, SP_DOT, SP_MANUAL, SP_DISCOUNT, SP_CARRIAGE, SP_BANK, SP_AMAZON, SP_BADDEBT = range(8)
_SPECIAL_FRAGMENTS = (
    "POST,POSTAGE,",
    "DOT,DOTCOM POSTAGE,",
    "M,Manual,",
    "D,Discount,",
    "C2,CARRIAGE,",
    "BANK CHARGES,Bank Charges,",
    "AMAZONFEE,AMAZON FEE,",
    "B,Adjust bad debt,",
)
# Extra lines that ride along inside sale invoices, with their share of all lines.
_EXTRA_RATES = {
    SP_POST: 0.0018,
    SP_DOT: 0.0012,
    SP_MANUAL: 0.0008,
    SP_CARRIAGE: 0.0003,
    SP_BANK: 0.0002,
}
# One-line invoices of their own.
_STANDALONE_RATES = {K_DISCOUNT: 0.0002, K_AMAZON: 0.00005, K_ADJUST: 0.0001}

COUNTRIES: tuple[str, ...] = (
    "United Kingdom", "Germany", "France", "EIRE", "Netherlands", "Spain", "Belgium",
    "Switzerland", "Portugal", "Australia", "Norway", "Italy", "Channel Islands", "Finland",
    "Cyprus", "Sweden", "Denmark", "Austria", "Japan", "Poland", "Israel", "USA", "Hong Kong",
    "Singapore", "Iceland", "Canada", "Greece", "Malta", "United Arab Emirates", "Lithuania",
    "Bahrain", "Czech Republic", "Lebanon", "RSA", "Saudi Arabia", "Brazil", "West Indies",
    "Korea", "Thailand", "Nigeria", "European Community", "Unspecified", "Bermuda",
)  # fmt: skip
_UK = 0
# Relative weights of foreign customers per country, roughly the real customer counts; EIRE is
# boosted because its few real customers are very large wholesalers.
_FOREIGN_WEIGHTS: dict[str, float] = {
    "Germany": 107, "France": 95, "EIRE": 25, "Netherlands": 22, "Spain": 41, "Belgium": 29,
    "Switzerland": 22, "Portugal": 24, "Australia": 15, "Norway": 12, "Italy": 17,
    "Channel Islands": 10, "Finland": 15, "Cyprus": 11, "Sweden": 19, "Denmark": 12,
    "Austria": 13, "Japan": 10, "Poland": 7, "Israel": 4, "USA": 8, "Singapore": 1,
    "Iceland": 1, "Canada": 5, "Greece": 6, "Malta": 3, "United Arab Emirates": 3,
    "Lithuania": 1, "Bahrain": 2, "Czech Republic": 1, "Lebanon": 1, "RSA": 1,
    "Saudi Arabia": 1, "Brazil": 1, "West Indies": 1, "Korea": 1, "Thailand": 1, "Nigeria": 1,
    "European Community": 1, "Unspecified": 8, "Bermuda": 1,
}  # fmt: skip
# Unregistered buyers are nearly all British; the real data has some foreign walk-in invoices.
_GUEST_FOREIGN = {"EIRE": 4, "Hong Kong": 3, "Unspecified": 2, "Bahrain": 1, "Israel": 1,
                  "Switzerland": 1, "France": 1, "Portugal": 1}  # fmt: skip
_GUEST_FOREIGN_SHARE = 0.02
_EU_POSTAGE = {
    "Germany", "France", "EIRE", "Netherlands", "Spain", "Belgium", "Switzerland", "Portugal",
    "Norway", "Italy", "Channel Islands", "Finland", "Cyprus", "Sweden", "Denmark", "Austria",
    "Poland", "Iceland", "Greece", "Malta", "Lithuania", "Czech Republic", "European Community",
}  # fmt: skip

# Monday..Sunday; Saturday is closed like in the real shop, Friday and Sunday are quieter.
_WEEKDAY_WEIGHT = np.array([1.0, 1.1, 1.1, 1.25, 0.8, 0.0, 0.7])
# January..December; the autumn build-up to Christmas peaks in November.
_MONTH_WEIGHT = np.array([0.8, 0.8, 1.0, 0.85, 0.95, 0.95, 0.95, 0.95, 1.25, 1.4, 1.7, 1.15])
_GROWTH_PER_YEAR = 0.2
# Hour weights for 07:00..20:00; Sunday trading is a short late-morning-to-afternoon day.
_HOUR_WEIGHT_WEEK = np.array([1, 4, 8, 11, 12, 13, 12, 10, 9, 6, 3, 1.5, 0.8, 0.4])
_HOUR_WEIGHT_SUN = np.array([0, 0, 1, 6, 10, 12, 11, 9, 6, 3, 0.5, 0, 0, 0])
_FIRST_HOUR = 7
_LAST_MINUTE_OF_DAY = 20 * 60 + 59
_CLOSED_DAYS = {
    date(2010, 4, 2), date(2010, 4, 5), date(2010, 5, 3), date(2010, 5, 31), date(2010, 8, 30),
    date(2011, 4, 22), date(2011, 4, 25), date(2011, 4, 29), date(2011, 5, 2), date(2011, 5, 30),
    date(2011, 8, 29),
}  # fmt: skip

# Customer segments: one-off buyers, occasional buyers, loyal regulars, churners, late newcomers.
SEG_ONEOFF, SEG_OCCASIONAL, SEG_REGULAR, SEG_CHURNER, SEG_NEWCOMER = range(5)
_SEG_P = np.array([0.28, 0.32, 0.12, 0.18, 0.10])
_SEG_RATE = np.array([0.0, 5.0, 45.0, 12.0, 10.0])  # invoices per unit of activity time
_SEG_BASE = np.array([1, 1, 2, 2, 1])  # invoices every customer of the segment has for sure
_SEG_BASKET = np.array([0.7, 1.0, 1.2, 1.0, 0.9])
_REG_BASKET_MEDIAN = 13.0
_REG_BASKET_SIGMA = 0.75
_REG_BASKET_MAX = 400
_NEWCOMER_FROM = date(2011, 9, 9)

# Discrete distributions, turned into 4096-entry quantile tables indexed by 12 hash bits.
_MULT_VALUES = [1, 2, 3, 4, 5, 6, 8, 10, 12, 16, 20, 25, 50, 100, 200]
_MULT_P = [0.55, 0.17, 0.06, 0.06, 0.02, 0.03, 0.025, 0.02, 0.015, 0.01, 0.01, 0.005, 0.008,
           0.004, 0.002]  # fmt: skip
_GUEST_Q_VALUES = [1, 2, 3, 4, 5, 6, 8, 10, 12, 24, 48, 100]
_GUEST_Q_P = [0.62, 0.16, 0.05, 0.05, 0.02, 0.03, 0.01, 0.02, 0.02, 0.01, 0.007, 0.003]
_POST_Q_VALUES = [1, 2, 3, 4, 5, 6]
_POST_Q_P = [0.6, 0.2, 0.1, 0.05, 0.03, 0.02]
_ZERO_Q_VALUES = [1, 2, 3, 4, 5, 6, 10, 12, 20, 24, 36, 48, 50, 72, 96, 100, 120, 144, 200, 240,
                  288, 300, 400, 500, 600, 720, 1000, 1200, 2000, 3100]  # fmt: skip
_ZERO_NOTES = (
    "damaged", "?", "check", "found", "missing", "lost", "wet damaged", "smashed", "thrown away",
    "sold as set on dotcom", "mixed up", "counted", "stock check", "wrongly marked", "crushed",
    "faulty", "Dotcom sales", "given away", "mouldy, thrown away", "water damaged", "can't find",
    "wet/rusty", "?lost", "incorrect stock entry.", "amazon", "ebay", "re-adjustment", "broken",
)  # fmt: skip


@dataclass(frozen=True)
class GenerationStats:
    """Counts of what was written; all counts are of physical lines unless named otherwise."""

    lines: int
    customers: int
    invoices: int
    cancellation_lines: int
    lines_without_customer: int
    duplicates: int
    malformed: int
    zero_price: int
    non_product: int
    adjustments: int

    def as_dict(self) -> dict[str, int]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


# --------------------------------------------------------------------------------------------
# Counter-based hashing: line content must be re-derivable from (invoice, slot) alone.

_MIX1 = np.uint64(0xBF58476D1CE4E5B9)
_MIX2 = np.uint64(0x94D049BB133111EB)
_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_SLOT_MUL = np.uint64(0xD6E8FEB86659FD93)
_STREAM_MUL = 0x632BE59BD9B4E019
_MASK64 = (1 << 64) - 1


def _mix(z: U64) -> U64:
    """splitmix64 finaliser, applied in place to a fresh array."""
    z ^= z >> np.uint64(30)
    z *= _MIX1
    z ^= z >> np.uint64(27)
    z *= _MIX2
    z ^= z >> np.uint64(31)
    return z


def _uniform(h: U64) -> F64:
    return (h >> np.uint64(11)).astype(np.float64) * (1.0 / (1 << 53))


def _bits(h: U64, shift: int, width: int) -> I64:
    return ((h >> np.uint64(shift)) & np.uint64((1 << width) - 1)).astype(np.int64)


class _Hasher:
    def __init__(self, seed: int) -> None:
        self._key = int(_mix(np.array([seed & _MASK64], dtype=np.uint64))[0])

    def __call__(self, inv: I64, slot: I64, stream: int) -> U64:
        salt = np.uint64((self._key ^ (stream * _STREAM_MUL)) & _MASK64)
        z = inv.astype(np.uint64)
        z *= _GOLDEN
        z += salt
        z = _mix(z)
        s = slot.astype(np.uint64)
        s *= _SLOT_MUL
        z ^= s
        return _mix(z)


# --------------------------------------------------------------------------------------------
# Static world: calendar and product catalogue.


def _quantile_table(values: Sequence[int], probs: Sequence[float]) -> I64:
    """Deterministic 4096-entry table whose uniform index follows the given distribution."""
    cum = np.cumsum(np.asarray(probs, dtype=np.float64))
    cum /= cum[-1]
    pos = (np.arange(4096) + 0.5) / 4096
    return np.asarray(values, dtype=np.int64)[np.searchsorted(cum, pos, side="right")]


def _csv_field(text: str) -> str:
    if any(ch in text for ch in ',"\n\r'):
        return '"' + text.replace('"', '""') + '"'
    return text


def _format_price(milli: int) -> str:
    """Format like pandas' float repr: shortest decimals, but always at least one."""
    sign = "-" if milli < 0 else ""
    whole, frac = divmod(abs(milli), 1000)
    decimals = f"{frac:03d}".rstrip("0") or "0"
    return f"{sign}{whole}.{decimals}"


def _fixed_width(items: Sequence[bytes]) -> U8:
    """Stack byte strings into a NUL-padded (n, width) matrix."""
    arr = np.array(items, dtype=bytes)
    if arr.size == 0 or arr.itemsize == 0:
        return np.zeros((len(items), 1), dtype=np.uint8)
    return arr.view(np.uint8).reshape(len(items), arr.itemsize)


class _Calendar:
    def __init__(self) -> None:
        n_days = (END_DATE - START_DATE).days + 1
        days = [START_DATE + timedelta(days=d) for d in range(n_days)]
        self.n_days = n_days
        self.weekday = np.array([d.weekday() for d in days], dtype=np.int64)
        self.month_index = np.array(
            [(d.year - START_DATE.year) * 12 + d.month - START_DATE.month for d in days],
            dtype=np.int64,
        )
        self.n_months = int(self.month_index[-1]) + 1
        self.calendar_month = np.array([d.month for d in days], dtype=np.int64)
        closed = np.array(
            [
                d in _CLOSED_DAYS
                or (d.month == 12 and d.day >= 24)
                or (d.month == 1 and d.day <= 3)
                for d in days
            ]
        )
        years = np.arange(n_days) / 365.25
        weight = (
            _WEEKDAY_WEIGHT[self.weekday]
            * _MONTH_WEIGHT[self.calendar_month - 1]
            * (1.0 + _GROWTH_PER_YEAR * years)
        )
        weight[closed] = 0.0
        # Warped "activity time" u in [0, 1): uniform u maps to days proportionally to weight.
        cum = np.cumsum(weight)
        self.cum = cum / cum[-1]
        self.cum[-1] = 1.0
        self.trading_days = np.flatnonzero(weight > 0)
        self.trading_index = np.full(n_days, -1, dtype=np.int64)
        self.trading_index[self.trading_days] = np.arange(self.trading_days.size)
        newcomer_day = (_NEWCOMER_FROM - START_DATE).days
        self.u_newcomer = float(self.cum[newcomer_day - 1])
        self.hour_cdf_week = np.cumsum(_HOUR_WEIGHT_WEEK) / _HOUR_WEIGHT_WEEK.sum()
        self.hour_cdf_sun = np.cumsum(_HOUR_WEIGHT_SUN) / _HOUR_WEIGHT_SUN.sum()
        self.hour_cdf_week[-1] = self.hour_cdf_sun[-1] = 1.0

    def day_of(self, u: F64) -> I64:
        return np.minimum(np.searchsorted(self.cum, u, side="right"), self.n_days - 1)

    def timestamps(self, rng: np.random.Generator, days: I64) -> I64:
        """Absolute minute (since START_DATE 00:00) in business hours of the given days."""
        u = rng.random(days.size)
        sunday = self.weekday[days] == 6
        hour = np.where(
            sunday,
            np.searchsorted(self.hour_cdf_sun, u, side="right"),
            np.searchsorted(self.hour_cdf_week, u, side="right"),
        )
        hour = np.minimum(hour, _HOUR_WEIGHT_WEEK.size - 1) + _FIRST_HOUR
        minute = rng.integers(0, 60, days.size)
        return days * 1440 + hour * 60 + minute

    def after(self, rng: np.random.Generator, orig: I64) -> I64:
        """A later timestamp for a follow-up (cancellation, discount) of an invoice at ``orig``.

        ``orig`` must not be on the last trading day, so a strictly later slot always exists.
        """
        n = orig.size
        day = orig // 1440
        k = self.trading_index[day]
        last = self.trading_days.size - 1
        same_day = rng.random(n) < 0.55
        later = k + np.where(same_day, 0, rng.geometric(1 / 8, n))
        later = np.minimum(later, last)
        too_late = (later == k) & (orig % 1440 >= _LAST_MINUTE_OF_DAY - 1)
        later = np.where(too_late, k + 1, later)
        fresh = self.timestamps(rng, self.trading_days[later])
        same = np.minimum(orig + 1 + rng.integers(0, 180, n), day * 1440 + _LAST_MINUTE_OF_DAY)
        return np.where(later == k, same, fresh)


@dataclass
class _Catalog:
    codes: list[str]
    descriptions: list[str]
    price_milli: I64
    pack: I64
    cdf_flat: F64  # per-month product CDFs, block m offset by m
    fav_cdf: F64

    @property
    def n(self) -> int:
        return len(self.codes)

    def draw(self, u: F64, month: npt.NDArray[np.integer]) -> I64:
        """Products for uniforms ``u`` from the popularity mix of each ``month``."""
        out = np.empty(u.size, dtype=np.int64)
        if u.size == 0:
            return out
        lo, hi = int(month.min()), int(month.max())
        # Chunks are time-ordered, so nearly always one or two months: searching one month's
        # 4000-entry table is far more cache-friendly than the table of all months.
        for m in range(lo, hi + 1):
            sel = slice(None) if lo == hi else np.flatnonzero(month == m)
            table = self.cdf_flat[m * self.n : (m + 1) * self.n]
            out[sel] = np.searchsorted(table, u[sel] + m, side="right")
        return np.minimum(out, self.n - 1)


_FAMOUS: tuple[tuple[str, str, int], ...] = (
    ("85123A", "WHITE HANGING HEART T-LIGHT HOLDER", 2550),
    ("22423", "REGENCY CAKESTAND 3 TIER", 12750),
    ("85099B", "JUMBO BAG RED RETROSPOT", 1950),
    ("84879", "ASSORTED COLOUR BIRD ORNAMENT", 1690),
    ("47566", "PARTY BUNTING", 4950),
    ("20725", "LUNCH BAG RED RETROSPOT", 1650),
    ("21212", "PACK OF 72 RETROSPOT CAKE CASES", 550),
    ("22197", "POPCORN HOLDER", 850),
    ("84077", "WORLD WAR 2 GLIDERS ASSTD DESIGNS", 290),
    ("22086", "PAPER CHAIN KIT 50'S CHRISTMAS", 2950),
    ("21232", "STRAWBERRY CERAMIC TRINKET BOX", 1250),
    ("21733", "RED HANGING HEART T-LIGHT HOLDER", 2950),
    ("79323P", "PINK CHERRY LIGHTS", 6750),
    ("85048", "15CM CHRISTMAS GLASS BALL 20 LIGHTS", 6950),
    ("22041", 'RECORD FRAME 7" SINGLE SIZE', 2100),
    ("23843", "PAPER CRAFT , LITTLE BIRDIE", 2080),
    ("48187", "DOORMAT, RED RETROSPOT", 7950),
    ("22960", "JAM MAKING SET WITH JARS", 4250),
    ("22720", "SET OF 3 CAKE TINS PANTRY DESIGN", 4950),
    ("22469", "HEART OF WICKER SMALL", 1650),
    ("22457", "NATURAL SLATE HEART CHALKBOARD", 2950),
    ("22138", "BAKING SET 9 PIECE RETROSPOT", 4950),
    ("22111", "SCOTTIE DOG HOT WATER BOTTLE", 4950),
    ("21034", "REX CASH+CARRY JUMBO SHOPPER", 950),
    ("22835", "HOT WATER BOTTLE I AM SO POORLY", 4650),
    ("21166", "COOK WITH WINE METAL SIGN", 2080),
    ("82484", "WOOD BLACK BOARD ANT WHITE FINISH", 6450),
    ("22178", "VICTORIAN GLASS HANGING T-LIGHT", 1250),
    ("84946", "ANTIQUE SILVER T-LIGHT GLASS", 1250),
    ("71053", "WHITE METAL LANTERN", 3750),
    ("22632", "HAND WARMER RED RETROSPOT", 2100),
    ("84406B", "CREAM CUPID HEARTS COAT HANGER", 3250),
    ("37370", "RETRO COFFEE MUGS ASSORTED", 1250),
    ("22752", "SET 7 BABUSHKA NESTING BOXES", 7650),
    ("21730", "GLASS STAR FROSTED T-LIGHT HOLDER", 4250),
    ("22633", "HAND WARMER UNION JACK", 2100),
    ("22386", "JUMBO BAG PINK POLKADOT", 1950),
    ("85099F", "JUMBO BAG STRAWBERRY", 1950),
    ("22112", "CHOCOLATE HOT WATER BOTTLE", 4950),
    ("21754", "HOME BUILDING BLOCK WORD", 5950),
)
_COLOURS = ("RED", "PINK", "BLUE", "GREEN", "WHITE", "IVORY", "BLACK", "CREAM", "SILVER", "GOLD",
            "PURPLE", "ORANGE", "YELLOW", "LILAC", "TURQUOISE", "GREY")  # fmt: skip
_PATTERNS = (
    "RED RETROSPOT", "PINK POLKADOT", "BLUE POLKADOT", "VINTAGE PAISLEY", "REGENCY", "SKULL",
    "DOLLY GIRL", "SPACEBOY", "WOODLAND", "VINTAGE LEAF", "PANTRY", "BAROQUE", "ENGLISH ROSE",
    "SWALLOWS", "LOVEBIRD", "OWL", "BIRD", "BUTTERFLY", "CHERRY", "STRAWBERRY", "APPLE", "LEMON",
    "PEACE", "HOMEMADE", "FRENCH", "SWEETHEART", "RETRO", "ANTIQUE", "SPOTTY", "STRIPEY",
    "FLORAL", "DAISY", "SCANDINAVIAN", "MOROCCAN", "UNION JACK", "JUNGLE", "CIRCUS PARADE",
    "TOADSTOOL", "SUKI", "ALPHABET", "HEARTS", "STARS", "GINGHAM", "TEA PARTY", "KEEP CALM",
    "LOVE", "WILD FLOWER", "PAISLEY PARK", "SPOTS", "DOTS", "ROSES", "VINTAGE", "NORDIC",
)  # fmt: skip
_MATERIALS = ("GLASS", "CERAMIC", "ENAMEL", "WOODEN", "FELT", "ZINC", "WICKER", "METAL", "TIN",
              "PAPER", "CHENILLE", "CRYSTAL", "PORCELAIN", "FABRIC", "RATTAN", "SLATE")  # fmt: skip
_ITEMS = (
    "T-LIGHT HOLDER", "CAKESTAND", "JUMBO BAG", "LUNCH BAG", "CAKE CASES", "BUNTING", "DOORMAT",
    "CHALKBOARD", "HOT WATER BOTTLE", "MUG", "TEACUP AND SAUCER", "CUSHION COVER", "NAPKINS",
    "PAPER PLATES", "PAPER CUPS", "WATER BOTTLE", "SHOPPING BAG", "STORAGE TIN", "PHOTO FRAME",
    "WALL CLOCK", "ALARM CLOCK BAKELIKE", "DRAWER KNOB", "COAT RACK", "HANGING DECORATION",
    "GIFT WRAP", "WRAPPING PAPER", "NOTEBOOK", "PENCILS", "STICKERS", "PURSE", "MIRROR",
    "LANTERN", "CANDLE", "VOTIVE HOLDER", "JEWELLERY BOX", "TRINKET BOX", "ORNAMENT", "SIGN",
    "PARASOL", "UMBRELLA", "APRON", "OVEN GLOVE", "TEA TOWEL", "TOAST RACK", "EGG CUP",
    "BISCUIT TIN", "CAKE TIN", "BAKING SET", "PICNIC BASKET", "BOTTLE OPENER", "KEY RING",
    "FRIDGE MAGNETS", "GREETING CARD", "CHILDRENS CUTLERY", "CHILDS APRON", "LUGGAGE TAG",
    "PASSPORT COVER", "HAND WARMER", "HAIR CLIP", "BRACELET", "NECKLACE", "EARRINGS",
    "SOAP DISH", "PEG BAG", "LAUNDRY BAG", "DOOR STOP", "PLANT POT", "WATERING CAN",
    "BIRD FEEDER", "GARDEN SIGN", "MEMO BOARD", "RECIPE BOX", "SPICE JAR", "STORAGE JAR",
    "SERVING BOWL", "DINNER PLATE", "CAKE PLATE", "MILK JUG", "TEAPOT", "EGG TIMER",
    "RIBBON REEL", "PARTY BAG", "PARTY HAT", "BALLOONS", "PARTY CANDLES", "SNACK BOX",
    "LUNCH BOX", "BEAKER", "BOWL", "PLACEMATS", "COASTERS", "TRAY", "MAGNETIC NOTEPAD",
    "ADDRESS BOOK", "DIARY", "PEN", "ERASER", "PENCIL CASE", "RULER", "CRAYONS", "JIGSAW",
    "SKIPPING ROPE", "SPINNING TOP", "DOMINOES", "PLAYING CARDS", "MONEY BOX", "NIGHT LIGHT",
    "FAIRY LIGHTS", "WALL ART", "PHOTO ALBUM", "SCRAPBOOK", "WRITING SET", "ENVELOPES",
    "GIFT TAGS", "GIFT BAG", "GIFT BOX", "TISSUE PAPER", "BOOKMARK", "HOOK", "COAT HANGER",
    "SHELF", "CABINET", "BASKET", "HAMPER", "BUCKET", "SEED PACKETS", "GARDEN KNEELER",
    "GLOVES", "SCARF", "CLOTHES PEGS", "CHOPPING BOARD", "SALAD SERVERS", "PHOTO CUBE",
    "TEA CADDY", "SUGAR BOWL", "CUTLERY SET", "WINE GLASS", "SHOT GLASSES", "ICE LOLLY MOULDS",
)  # fmt: skip
_XMAS_ITEMS = (
    "CHRISTMAS TREE DECORATION", "ADVENT CALENDAR", "CHRISTMAS BAUBLE", "CHRISTMAS STOCKING",
    "CHRISTMAS CRACKERS", "PAPER CHAIN KIT", "SNOWFLAKE DECORATION", "ANGEL DECORATION",
    "CHRISTMAS CARD", "CHRISTMAS GIFT WRAP", "CHRISTMAS LIGHTS", "REINDEER DECORATION",
    "STAR TREE TOPPER", "NATIVITY SET", "CHRISTMAS CANDLE", "CHRISTMAS WREATH",
    "SANTA DECORATION", "CHRISTMAS TABLE RUNNER", "CHRISTMAS NAPKINS",
)  # fmt: skip
_SIZES = ("SMALL", "LARGE", "MINI", "JUMBO", "MEDIUM")
_MAX_DESCRIPTION = 35


def _describe(rng: np.random.Generator, colour: str | None) -> tuple[str, bool]:
    """One random product description (with an optional fixed colour) and its Christmas flag."""

    def pick(options: Sequence[str]) -> str:
        return options[int(rng.integers(len(options)))]

    xmas = rng.random() < 0.08
    item = pick(_XMAS_ITEMS if xmas else _ITEMS)
    if colour is not None:
        form = int(rng.integers(3))
        if form == 0:
            return f"{item} {colour}", xmas
        if form == 1:
            return f"{colour} {pick(_MATERIALS)} {item}", xmas
        return f"{pick(_PATTERNS)} {item} {colour}", xmas
    r = rng.random()
    if r < 0.30:
        desc = f"{pick(_PATTERNS)} {item}"
    elif r < 0.50:
        desc = f"{item} {pick(_PATTERNS)}"
    elif r < 0.62:
        desc = f"{pick(_COLOURS)} {pick(_MATERIALS)} {item}"
    elif r < 0.72:
        desc = f"{pick(_SIZES)} {pick(_PATTERNS)} {item}"
    elif r < 0.80:
        desc = f"SET OF {pick(('2', '3', '4', '6', '12'))} {pick(_PATTERNS)} {item}"
    elif r < 0.87:
        desc = f"PACK OF {pick(('6', '12', '20', '24', '60', '72'))} {pick(_PATTERNS)} {item}"
    elif r < 0.96:
        desc = f"{pick(_COLOURS)} {item}"
    elif r < 0.995:
        # Real descriptions occasionally contain commas; they must be quoted in the CSV.
        desc = f"{item}, {pick(_PATTERNS)}"
    else:
        desc = f'{pick(_MATERIALS)} FRAME {pick(("4", "5", "7", "10"))}" {pick(_COLOURS)}'
    return desc, xmas


def _build_catalog(calendar: _Calendar) -> _Catalog:
    rng = np.random.default_rng(CATALOG_SEED)
    codes = [c for c, _, _ in _FAMOUS]
    descriptions = [d for _, d, _ in _FAMOUS]
    prices = [p for _, _, p in _FAMOUS]
    xmas = ["CHRISTMAS" in d for d in descriptions]
    used_codes = set(codes)
    used_bases = {c.rstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ") for c in codes}
    used_desc = set(descriptions)
    while len(codes) < N_PRODUCTS:
        base = str(int(rng.integers(10002, 90215)))
        if base in used_bases:
            continue
        n_variants = int(rng.choice([1, 2, 3, 4], p=[0.8, 0.1, 0.06, 0.04]))
        if n_variants == 1:
            desc, is_xmas = _describe(rng, None)
            family = [(base + ("B" if rng.random() < 0.05 else ""), desc)]
        else:
            colours = rng.choice(len(_COLOURS), n_variants, replace=False)
            desc, is_xmas = _describe(rng, "{}")
            family = [
                (base + "ABCD"[i], desc.replace("{}", _COLOURS[c])) for i, c in enumerate(colours)
            ]
        if any(len(d) > _MAX_DESCRIPTION or d in used_desc or c in used_codes for c, d in family):
            continue
        # Mostly cheap gifts; a few percent are furniture-like items with a far higher price.
        median = 25.0 if rng.random() < 0.03 else 2.1
        price = float(np.exp(np.log(median) + 0.85 * rng.standard_normal()))
        cents = max(6, round(price * 100))
        if cents >= 100:
            cents = round(cents / 5) * 5
        for code, desc in family[: N_PRODUCTS - len(codes)]:
            codes.append(code)
            descriptions.append(desc)
            prices.append(cents * 10)
            xmas.append(is_xmas or "CHRISTMAS" in desc)
            used_codes.add(code)
            used_desc.add(desc)
        used_bases.add(base)
    n = len(codes)
    price_milli = np.array(prices, dtype=np.int64)
    # A handful of cheap items are priced in tenths of a penny, as in the real data.
    third_decimal = rng.choice(np.arange(len(_FAMOUS), n), 6, replace=False)
    price_milli[third_decimal] = rng.choice([65, 145, 195, 325, 435], 6)

    cheap = price_milli < 1000
    mid = (price_milli >= 1000) & (price_milli < 3000)
    upper = (price_milli >= 3000) & (price_milli < 8000)
    pack = np.where(
        cheap,
        rng.choice([12, 24, 48, 6, 10, 25], n, p=[0.4, 0.2, 0.1, 0.15, 0.1, 0.05]),
        np.where(
            mid,
            rng.choice([6, 12, 4, 8, 1, 2, 3], n, p=[0.3, 0.25, 0.15, 0.05, 0.1, 0.1, 0.05]),
            np.where(
                upper,
                rng.choice([1, 2, 3, 4, 6, 12], n, p=[0.3, 0.25, 0.1, 0.15, 0.15, 0.05]),
                rng.choice([1, 2, 4], n, p=[0.6, 0.3, 0.1]),
            ),
        ),
    ).astype(np.int64)

    popularity = np.exp(1.3 * rng.standard_normal(n))
    # The famous products are the real best sellers; give them the top of the distribution.
    popularity[: len(_FAMOUS)] = np.sort(popularity)[::-1][: len(_FAMOUS)] * 1.5
    intro = np.where(rng.random(n) < 0.22, rng.integers(1, calendar.n_months, n), 0)
    retire = np.where(
        rng.random(n) < 0.12,
        np.minimum(intro + 3 + rng.integers(0, calendar.n_months, n), calendar.n_months),
        calendar.n_months,
    )
    intro[: len(_FAMOUS)] = 0
    retire[: len(_FAMOUS)] = calendar.n_months
    xmas_arr = np.array(xmas)
    # Christmas stock sells from late summer and peaks in November.
    xmas_season = np.array([0.2, 0.1, 0.1, 0.1, 0.15, 0.2, 0.4, 1.2, 3.0, 5.0, 6.0, 2.5])
    cdfs = []
    for m in range(calendar.n_months):
        cal_month = (START_DATE.month - 1 + m) % 12
        w = popularity * ((intro <= m) & (m < retire))
        w = np.where(xmas_arr, w * xmas_season[cal_month], w)
        cdf = np.cumsum(w) / w.sum()
        cdf[-1] = 1.0
        cdfs.append(cdf + m)
    always = (intro == 0) & (retire == calendar.n_months)
    fav_w = popularity * always * ~xmas_arr
    fav_cdf = np.cumsum(fav_w) / fav_w.sum()
    fav_cdf[-1] = 1.0
    return _Catalog(
        codes=codes,
        descriptions=descriptions,
        price_milli=price_milli,
        pack=pack,
        cdf_flat=np.concatenate(cdfs),
        fav_cdf=fav_cdf,
    )


# --------------------------------------------------------------------------------------------
# Planning: every invoice of the file, in file order.


@dataclass
class _Plan:
    """Every invoice of the file in file order; compact dtypes keep 100M-line plans small."""

    kind: npt.NDArray[np.int8]
    number: I64
    minute: I32  # minutes since START_DATE 00:00
    month: npt.NDArray[np.int8]
    cust: I32  # customer index, -1 when the buyer is not registered
    country: npt.NDArray[np.int16]
    n_prod: I32  # product slots of a sale invoice
    size: I32  # physical lines of the invoice
    offset: I64  # first line of the invoice (len n+1)
    extras: I32  # packed 4-bit non-product codes appended to sale invoices
    orig: I32  # reversed invoice of a cancellation
    cstart: I32  # first reversed slot of a cancellation
    price: I64  # price of one-line special invoices
    malformed: npt.NDArray[np.int8]  # 0, or the malformation applied to the last product slot
    customer_ids: I64
    fav: npt.NDArray[np.int16]
    qty_mult: I64
    n_customers_used: int


def _extra_count(lines: int, rate: float) -> int:
    guaranteed = 1 if lines >= MIN_LINES_FOR_GUARANTEED_EXTRAS else 0
    return max(guaranteed, round(lines * rate))


def _fit_sizes(rng: np.random.Generator, sizes: I64, total: int) -> I64:
    """Rescale positive sizes so they sum to exactly ``total`` (>= len(sizes))."""
    if sizes.size == 0:
        return sizes
    cur = int(sizes.sum())
    out = np.maximum(1, np.floor(sizes * (total / cur))).astype(np.int64)
    while (diff := total - int(out.sum())) != 0:
        if diff > 0:
            # Big baskets absorb more of the slack, preserving the heavy tail.
            p = out / out.sum()
            np.add.at(out, rng.choice(out.size, diff, p=p), 1)
        else:
            shrinkable = np.flatnonzero(out > 1)
            take = rng.choice(shrinkable, min(-diff, shrinkable.size), replace=False)
            out[take] -= 1
    return out


def _lognormal_table(rng: np.random.Generator, median: float, sigma: float) -> I64:
    """4096 sorted prices in milli-units (whole cents) for the non-product codes."""
    x = np.sort(np.exp(np.log(median) + sigma * rng.standard_normal(4096)))
    return np.maximum(1, np.round(x * 100)).astype(np.int64) * 10


def _pick(rng: np.random.Generator, pools: Sequence[I64], count: int) -> I64:
    """``count`` distinct elements, taken from the first pool first, then the next ones."""
    chosen: list[I64] = []
    taken: set[int] = set()
    need = count
    for pool in pools:
        if need <= 0:
            break
        fresh = pool if not taken else pool[~np.isin(pool, np.fromiter(taken, np.int64))]
        k = min(need, fresh.size)
        if k:
            sel = rng.choice(fresh, k, replace=False)
            chosen.append(sel)
            taken.update(sel.tolist())
            need -= k
    return np.concatenate(chosen) if chosen else np.zeros(0, dtype=np.int64)


@dataclass
class _Budget:
    """Exact line counts per kind; together they add up to the requested total."""

    baddebt: int
    zero: int
    malformed: int
    extra: dict[int, int]
    single: dict[int, int]
    reversal: int
    guest: int
    registered: int


@dataclass
class _Sales:
    """Sale invoices before time-sorting: registered ones first, then unregistered ones."""

    cust: I64
    country: I64
    minute: I64
    n_prod: I64
    n_registered: int
    dotcom: Bool  # per unregistered invoice: a big web order
    extras: I64
    n_extras: I64

    @property
    def size(self) -> I64:
        return self.n_prod + self.n_extras


@dataclass
class _Followups:
    """Cancellations and one-line special invoices, each tied to a kind."""

    kind: list[I64]
    minute: list[I64]
    cust: list[I64]
    size: list[I64]
    price: list[I64]
    orig: I64  # sale index reversed by each cancellation (the first part of the lists)
    cstart: I64


class _Planner:
    def __init__(self, lines: int, seed: int, calendar: _Calendar, catalog: _Catalog) -> None:
        self.lines = lines
        self.rng = np.random.default_rng(np.random.SeedSequence([seed, lines]))
        self.cal = calendar
        self.cat = catalog
        self.n_cust = max(1, round(lines / LINES_PER_CUSTOMER))

    def plan(self) -> _Plan:
        budget = self._budget()
        ev_cust, reg_minute, reg_size = self._registered(budget.registered)
        sales, cust_country = self._sales(ev_cust, reg_minute, reg_size, budget)
        del reg_minute, reg_size
        leftover = self._add_extras(sales, budget.extra)
        follow, more = self._followups(sales, budget)
        leftover += more
        if leftover:  # only in tiny files: lines that found no home become extra products
            np.add.at(sales.n_prod, self.rng.integers(0, sales.cust.size, leftover), 1)
        malformed = self._malformed(sales, follow.orig, budget.malformed)
        return self._assemble(sales, follow, malformed, cust_country, ev_cust)

    def _budget(self) -> _Budget:
        n = self.lines
        baddebt = _extra_count(n, ADJUSTMENT_RATE)
        zero = _extra_count(n, ZERO_PRICE_STANDALONE_RATE)
        extra = {code: _extra_count(n, r) for code, r in _EXTRA_RATES.items()}
        single = {kind: _extra_count(n, r) for kind, r in _STANDALONE_RATES.items()}
        reversal = max(0, round(n * CANCELLATION_SHARE) - single[K_DISCOUNT] - single[K_AMAZON])
        fixed = baddebt + zero + sum(extra.values()) + sum(single.values()) + reversal
        if fixed >= n:  # toy sizes: everything is a plain sale
            baddebt = zero = reversal = fixed = 0
            extra = dict.fromkeys(extra, 0)
            single = dict.fromkeys(single, 0)
        rest = n - fixed
        no_customer_fixed = zero + single[K_AMAZON] + baddebt + extra[SP_DOT]
        guest = round(n * MISSING_CUSTOMER_SHARE) - no_customer_fixed
        guest = min(max(0, guest), rest - 1)
        return _Budget(
            baddebt=baddebt,
            zero=zero,
            malformed=_extra_count(n, MALFORMED_RATE),
            extra=extra,
            single=single,
            reversal=reversal,
            guest=guest,
            registered=rest - guest,
        )

    def _registered(self, total: int) -> tuple[I64, I64, I64]:
        """Sale invoices of registered customers: (customer, minute, product lines)."""
        rng, cal, n_cust = self.rng, self.cal, self.n_cust
        seg = rng.choice(5, n_cust, p=_SEG_P)
        u_new = cal.u_newcomer
        # "Existing" customers were already buying before the data starts, so their first
        # purchase in the data is not an acquisition and is placed like any other purchase.
        existing = (rng.random(n_cust) < 0.45) & (seg != SEG_ONEOFF) & (seg != SEG_NEWCOMER)
        joined = rng.random(n_cust)
        start = np.select(
            [seg == SEG_REGULAR, seg == SEG_OCCASIONAL, seg == SEG_CHURNER, seg == SEG_NEWCOMER],
            [joined * 0.6, joined * u_new, joined * 0.5, u_new + (1 - u_new) * joined],
            joined,
        )
        start = np.where(existing, 0.0, start)
        churn_at = np.minimum(start + 0.1 + 0.4 * rng.random(n_cust), 0.85)
        end = np.where(seg == SEG_CHURNER, churn_at, 1.0)
        span = end - start
        basket_factor = np.exp(0.45 * rng.standard_normal(n_cust)) * _SEG_BASKET[seg]
        mean_basket = _REG_BASKET_MEDIAN * np.exp(_REG_BASKET_SIGMA**2 / 2)
        base = _SEG_BASE[seg]
        # Purchase frequency varies a lot within a segment too: a few regulars order weekly.
        rate = _SEG_RATE[seg] * span * np.exp(0.6 * rng.standard_normal(n_cust))
        fixed_lines = float((base * basket_factor).sum()) * mean_basket
        var_lines = float((rate * basket_factor).sum()) * mean_basket
        scale = max(0.0, (total - fixed_lines) / var_lines) if var_lines > 0 else 0.0
        n_inv = base + rng.poisson(scale * rate)
        ev_cust = np.repeat(np.arange(n_cust), n_inv)
        ev_k = np.arange(ev_cust.size) - np.repeat(np.cumsum(n_inv) - n_inv, n_inv)
        if ev_cust.size > total:  # tiny files: keep first purchases before repeat purchases
            keep = np.lexsort((rng.random(ev_cust.size), ev_k > 0))[:total]
            keep.sort()
            ev_cust, ev_k = ev_cust[keep], ev_k[keep]
        ev_span = span[ev_cust]
        ev_start = start[ev_cust]
        u = ev_start + ev_span * rng.random(ev_cust.size)
        acquired = (ev_k == 0) & ~existing[ev_cust]
        u = np.where(acquired, ev_start, u)
        # Loyal regulars buy on a steady rhythm: evenly spaced slots with a little jitter.
        regular = seg[ev_cust] == SEG_REGULAR
        period = ev_span / np.maximum(n_inv[ev_cust], 1)
        phase = np.where(existing, rng.random(n_cust), 0.0)[ev_cust]
        jitter = np.where(acquired, 0.0, rng.uniform(-0.2, 0.2, ev_cust.size))
        u = np.where(regular, ev_start + period * (ev_k + phase + jitter), u)
        u = np.clip(u, 0.0, np.nextafter(1.0, 0.0))
        # Customers join over time, which alone would make later months far busier.  A smooth
        # monotone re-timing flattens the registered activity so the calendar weights (season,
        # weekday, growth) shape the months; it keeps every customer's order and rhythm.
        # Late newcomers are left out so they really start in the last three months.
        settled = seg[ev_cust] != SEG_NEWCOMER
        if settled.sum() > 1:
            hist = np.histogram(u[settled], bins=200, range=(0.0, 1.0))[0] + 1e-3
            cdf = np.concatenate([[0.0], np.cumsum(hist) / hist.sum()])
            flat = np.interp(u, np.linspace(0.0, 1.0, 201), cdf)
            u = np.where(settled, np.clip(flat, 0.0, np.nextafter(1.0, 0.0)), u)
        minute = cal.timestamps(rng, cal.day_of(u))
        z = rng.standard_normal(ev_cust.size)
        size = np.clip(
            np.round(_REG_BASKET_MEDIAN * basket_factor[ev_cust] * np.exp(_REG_BASKET_SIGMA * z)),
            1,
            _REG_BASKET_MAX,
        ).astype(np.int64)
        return ev_cust, minute, _fit_sizes(rng, size, total)

    def _countries(self, ev_cust: I64, reg_size: I64, budget: _Budget, guest_foreign: int) -> I64:
        """One country per customer.  Foreign customers are drawn until their lines hit the
        target share, which keeps the UK share stable even in small files."""
        rng, n_cust = self.rng, self.n_cust
        cust_lines = np.bincount(ev_cust, weights=reg_size, minlength=n_cust)
        target = FOREIGN_SHARE * self.lines - guest_foreign
        target -= budget.extra[SP_POST] + budget.extra[SP_CARRIAGE] + budget.extra[SP_BANK]
        target *= budget.registered / max(1, budget.registered + budget.reversal)
        order = rng.permutation(n_cust)
        cum = np.cumsum(cust_lines[order])
        n_foreign = int(np.searchsorted(cum, target, side="right"))
        foreign = order[:n_foreign]
        rest = order[n_foreign:]
        if rest.size:
            # One more customer whose size best fills the remaining gap; a plain prefix could
            # miss by a whole big wholesaler, which shows in small files.
            gap = target - (cum[n_foreign - 1] if n_foreign else 0.0)
            best = rest[np.argmin(np.abs(cust_lines[rest] - gap))]
            if abs(cust_lines[best] - gap) < gap:
                foreign = np.append(foreign, best)
        country = np.full(n_cust, _UK, dtype=np.int64)
        names = list(_FOREIGN_WEIGHTS)
        w = np.array([_FOREIGN_WEIGHTS[c] for c in names])
        idx = np.array([COUNTRIES.index(c) for c in names])
        country[foreign] = idx[rng.choice(w.size, foreign.size, p=w / w.sum())]
        return country

    def _sales(
        self, ev_cust: I64, reg_minute: I64, reg_size: I64, budget: _Budget
    ) -> tuple[_Sales, I64]:
        """Adds the unregistered sales (small walk-in baskets and big web orders) and picks
        the customers' countries; returns the sales and the country of each customer."""
        rng, cal, total_guest = self.rng, self.cal, budget.guest
        dotcom_share, small_median, big_median = 0.4, 4.0, 60.0
        mean = (1 - dotcom_share) * small_median * np.exp(0.8**2 / 2) + (
            dotcom_share * big_median * np.exp(0.9**2 / 2)
        )
        n_guest = min(total_guest, max(1, round(total_guest / mean))) if total_guest > 0 else 0
        dotcom = rng.random(n_guest) < dotcom_share
        size = np.where(
            dotcom,
            np.round(big_median * np.exp(0.9 * rng.standard_normal(n_guest))),
            np.round(small_median * np.exp(0.8 * rng.standard_normal(n_guest))),
        )
        size = _fit_sizes(rng, np.clip(size, 1, 800).astype(np.int64), total_guest)
        minute = cal.timestamps(rng, cal.day_of(rng.random(n_guest)))
        names = list(_GUEST_FOREIGN)
        w = np.array([_GUEST_FOREIGN[c] for c in names])
        idx = np.array([COUNTRIES.index(c) for c in names])
        # Only walk-in baskets come from abroad; web orders are shipped within the UK.
        abroad = ~dotcom & (rng.random(n_guest) < _GUEST_FOREIGN_SHARE / (1 - dotcom_share))
        country = np.where(abroad, idx[rng.choice(w.size, n_guest, p=w / w.sum())], _UK)
        cust_country = self._countries(ev_cust, reg_size, budget, int(size[abroad].sum()))
        n_sale = ev_cust.size + n_guest
        sales = _Sales(
            cust=np.concatenate([ev_cust, np.full(n_guest, -1)]),
            country=np.concatenate([cust_country[ev_cust], country]),
            minute=np.concatenate([reg_minute, minute]),
            n_prod=np.concatenate([reg_size, size]),
            n_registered=ev_cust.size,
            dotcom=dotcom,
            extras=np.zeros(n_sale, dtype=np.int64),
            n_extras=np.zeros(n_sale, dtype=np.int64),
        )
        return sales, cust_country

    def _add_extras(self, sales: _Sales, counts: dict[int, int]) -> int:
        """Appends non-product lines to sale invoices; returns how many found no invoice."""
        n_reg, n_sale = sales.n_registered, sales.cust.size
        registered = np.arange(n_reg)
        foreign = registered[sales.country[:n_reg] != _UK]
        eire = registered[sales.country[:n_reg] == COUNTRIES.index("EIRE")]
        guests = np.arange(n_reg, n_sale)
        every = np.arange(n_sale)
        # Postage and carriage belong to shipments abroad, DOTCOM POSTAGE to web orders; the
        # later pools only matter when a small file has too few of the natural candidates.
        pools: dict[int, list[I64]] = {
            SP_POST: [foreign, registered],
            SP_CARRIAGE: [eire, foreign, registered],
            SP_BANK: [foreign, registered],
            SP_MANUAL: [every],
            SP_DOT: [guests[sales.dotcom], guests, every],
        }
        leftover = 0
        for code, count in counts.items():
            chosen = _pick(self.rng, pools[code], count)
            leftover += count - chosen.size
            sales.extras[chosen] |= (code + 1) << (4 * sales.n_extras[chosen])
            sales.n_extras[chosen] += 1
        return leftover

    def _followups(self, sales: _Sales, budget: _Budget) -> tuple[_Followups, int]:
        """Cancellations of earlier purchases and the one-line special invoices."""
        rng, cal = self.rng, self.cal
        leftover = 0
        # Origins must leave room for a strictly later timestamp.
        last_day = cal.trading_days.size - 1
        registered = np.arange(sales.n_registered)
        day = sales.minute[: sales.n_registered] // 1440
        anchors = registered[cal.trading_index[day] < last_day]
        cand = rng.permutation(anchors)[: budget.reversal]
        size = sales.size
        cand_size = size[cand]
        r = rng.random(cand.size)
        m = np.where(r < 0.6, 1, np.where(r < 0.9, rng.integers(2, 6, cand.size), cand_size))
        m = np.minimum(m, cand_size)
        cum = np.cumsum(m)
        n_c = min(int(np.searchsorted(cum, budget.reversal)) + 1, cand.size)
        orig, m = cand[:n_c], m[:n_c].copy()
        if n_c:
            m[-1] -= max(0, int(cum[n_c - 1]) - budget.reversal)
        leftover += budget.reversal - int(m.sum())
        follow = _Followups(
            kind=[np.full(n_c, K_CANCEL)],
            minute=[cal.after(rng, sales.minute[orig])],
            cust=[sales.cust[orig]],
            size=[m],
            price=[np.zeros(n_c, np.int64)],
            orig=orig,
            cstart=rng.integers(0, np.maximum(size[orig], 1)),
        )

        def add(kind: int, minute: I64, cust: I64, price: I64) -> None:
            follow.kind.append(np.full(minute.size, kind))
            follow.minute.append(minute)
            follow.cust.append(cust)
            follow.size.append(np.ones(minute.size, np.int64))
            follow.price.append(price)

        def anytime(count: int) -> I64:
            return cal.timestamps(rng, cal.day_of(rng.random(count)))

        for kind, count in budget.single.items():
            if kind == K_AMAZON:
                price = _lognormal_table(rng, 2500, 0.8)[rng.integers(0, 4096, count)]
                add(kind, anytime(count), np.full(count, -1), price)
            elif anchors.size == 0:
                leftover += count
            else:
                # Discounts and manual adjustments follow a purchase of the same customer.
                anchor = anchors[rng.integers(0, anchors.size, count)]
                median = 12.0 if kind == K_DISCOUNT else 40.0
                price = _lognormal_table(rng, median, 1.0)[rng.integers(0, 4096, count)]
                add(kind, cal.after(rng, sales.minute[anchor]), sales.cust[anchor], price)
        n_bd = budget.baddebt
        price = _lognormal_table(rng, 5000, 1.0)[rng.integers(0, 4096, n_bd)]
        # Bad-debt adjustments come as a booking and its reversal, like in the real data.
        price = np.where(np.arange(n_bd) % 2 == 1, -price, price)
        add(K_BADDEBT, anytime(n_bd), np.full(n_bd, -1), price)
        add(K_ZERO, anytime(budget.zero), np.full(budget.zero, -1), np.zeros(budget.zero, np.int64))
        return follow, leftover

    def _malformed(self, sales: _Sales, cancelled_sales: I64, count: int) -> npt.NDArray[np.int8]:
        """Marks sales whose last product line gets mangled: unregistered ones by preference,
        never one that is cancelled later (a cancellation must match a readable line)."""
        n_sale = sales.cust.size
        ok = np.ones(n_sale, dtype=bool)
        ok[cancelled_sales] = False
        pools = [np.arange(sales.n_registered, n_sale), np.flatnonzero(ok)]
        chosen = _pick(self.rng, pools, count)
        mal = np.zeros(n_sale, dtype=np.int8)
        mal[chosen] = 1 + (self.rng.permutation(chosen.size) % 3)
        return mal

    def _assemble(
        self,
        sales: _Sales,
        follow: _Followups,
        malformed: npt.NDArray[np.int8],
        cust_country: I64,
        ev_cust: I64,
    ) -> _Plan:
        """Sorts every invoice by time and numbers them; sales come first in the unsorted
        arrays so cancellation origins can be remapped by position."""
        rng, n_sale = self.rng, sales.cust.size
        minute = np.concatenate([sales.minute, *follow.minute])
        n_all = minute.size
        order = np.lexsort((rng.permutation(n_all), minute))
        minute = minute[order].astype(np.int32)

        def sort(parts: Sequence[npt.ArrayLike], dtype: type[np.integer]) -> npt.NDArray[Any]:
            return np.concatenate(parts).astype(dtype, copy=False)[order]

        def pad(head: npt.ArrayLike, fill: int, dtype: type[np.integer]) -> npt.NDArray[Any]:
            out = np.full(n_all, fill, dtype=dtype)
            out[: np.size(head)] = head
            return out[order]

        cust = sort([sales.cust, *follow.cust], np.int32)
        follow_cust = np.concatenate(follow.cust)
        follow_country = np.where(follow_cust >= 0, cust_country[np.maximum(follow_cust, 0)], _UK)
        position = np.empty(n_all, np.int64)
        position[order] = np.arange(n_all)
        orig = pad(np.concatenate([np.full(n_sale, -1), follow.orig]), -1, np.int64)
        orig[orig >= 0] = position[orig[orig >= 0]]
        del position
        size = sort([sales.size, *follow.size], np.int32)
        offset = np.zeros(n_all + 1, np.int64)
        np.cumsum(size, out=offset[1:])
        # Invoice numbers skip a few values now and then, as they do in the real data.
        gaps = rng.choice([1, 2, 3], n_all, p=[0.9, 0.07, 0.03])
        number = FIRST_INVOICE + np.cumsum(gaps) - (gaps[0] if n_all else 0)
        n_cust = self.n_cust
        return _Plan(
            kind=sort([np.full(n_sale, K_SALE), *follow.kind], np.int8),
            number=number.astype(np.int64),
            minute=minute,
            month=self.cal.month_index[minute // 1440].astype(np.int8),
            cust=cust,
            country=sort([sales.country, follow_country], np.int16),
            n_prod=pad(sales.n_prod, 0, np.int32),
            size=size,
            offset=offset,
            extras=pad(sales.extras, 0, np.int32),
            orig=orig.astype(np.int32),
            cstart=pad(np.concatenate([np.zeros(n_sale, np.int64), follow.cstart]), 0, np.int32),
            price=sort([np.zeros(n_sale, np.int64), *follow.price], np.int64),
            malformed=pad(malformed, 0, np.int8),
            customer_ids=FIRST_CUSTOMER_ID + rng.permutation(n_cust).astype(np.int64),
            fav=np.searchsorted(
                self.cat.fav_cdf, rng.random((n_cust, N_FAVOURITES)), side="right"
            ).astype(np.int16),
            qty_mult=rng.choice([1, 2, 4], n_cust, p=[0.9, 0.07, 0.03]),
            n_customers_used=int(np.unique(ev_cust).size),
        )


# --------------------------------------------------------------------------------------------
# Rendering: line contents from (invoice, slot), then bytes.


@dataclass
class _Content:
    code: I64  # row of the B table
    qty: I64
    price: I64  # milli-units
    dup: Bool


@dataclass
class _ChunkResult:
    data: U8
    lines: int
    duplicates: int
    zero_price: int
    non_product: int


_ZERO_DATE = np.datetime64("2009-12-01T00:00", "m")


class _Renderer:
    def __init__(self, plan: _Plan, catalog: _Catalog, seed: int) -> None:
        self.p = plan
        self.cat = catalog
        self.h = _Hasher(seed)
        n = catalog.n
        self.n_products = n
        self.row_special = 2 * n  # rows [n, 2n) are the products with an empty description
        pairs = zip(catalog.codes, catalog.descriptions, strict=True)
        b_rows = [f"{c},{_csv_field(d)},".encode() for c, d in pairs]
        b_rows += [f"{c},,".encode() for c in catalog.codes]
        b_rows += [s.encode() for s in _SPECIAL_FRAGMENTS]
        self.b_static = b_rows
        self.b_table = _fixed_width(b_rows)
        self.qty_table = _fixed_width([str(q).encode() for q in range(-QTY_MAX, QTY_MAX + 1)])
        self.mult = _quantile_table(_MULT_VALUES, _MULT_P)
        self.guest_q = _quantile_table(_GUEST_Q_VALUES, _GUEST_Q_P)
        self.post_q = _quantile_table(_POST_Q_VALUES, _POST_Q_P)
        self.zero_q = _quantile_table(_ZERO_Q_VALUES, np.linspace(3, 0.2, len(_ZERO_Q_VALUES)))
        # Price tables come from their own fixed-seed stream so they are part of the "world".
        rng = np.random.default_rng(CATALOG_SEED + 1)
        self.manual_price = _lognormal_table(rng, 3.0, 1.5)
        self.dot_price = _lognormal_table(rng, 60.0, 1.0)
        postage = [18000 if c in _EU_POSTAGE else 40000 for c in COUNTRIES]
        postage[_UK] = 15000
        self.post_price = np.array(postage, dtype=np.int64)
        self.countries = [c.encode() for c in COUNTRIES]

    # -- content ------------------------------------------------------------------------------

    def sale_content(self, invs: I64) -> _Content:
        """Contents of every slot of the given sale invoices, concatenated in order."""
        p, h, cat = self.p, self.h, self.cat
        sz = p.size[invs]
        n = int(sz.sum())
        starts = np.cumsum(sz) - sz
        local = np.repeat(np.arange(invs.size), sz)
        pos = np.arange(n)
        base = np.repeat(starts, sz)
        slot = pos - base
        inv = invs[local]
        nprod = p.n_prod[inv]
        is_prod = slot < nprod
        cust = p.cust[inv]
        guest = cust < 0

        # Duplicates copy an earlier product slot of the same invoice.  A slot can only be a
        # copy if its predecessor's raw draw was not, so sources are never copies themselves.
        h1 = h(inv, slot, 1)
        raw = (_bits(h1, 0, 16) < round(P_DUPLICATE * 65536)) & is_prod
        prev = np.zeros(n, dtype=bool)
        prev[1:] = raw[:-1]
        prev &= slot > 0
        mal_slot = (p.malformed[inv] > 0) & (slot == nprod - 1)
        dup = raw & ~prev & (slot > 0) & ~mal_slot
        di = np.flatnonzero(dup)
        src = np.empty(di.size, dtype=np.int64)
        if di.size:
            hd = h1[di]
            sl = slot[di]
            t0 = _bits(hd, 16, 32) % sl
            far = (_bits(hd, 48, 8) < 77) & ~raw[base[di] + t0]
            src = base[di] + np.where(far, t0, sl - 1)

        code = np.empty(n, dtype=np.int64)
        qty = np.empty(n, dtype=np.int64)
        price = np.empty(n, dtype=np.int64)

        nd = np.flatnonzero(is_prod & ~dup)
        inv_nd, slot_nd, month_nd, cust_nd = inv[nd], slot[nd], p.month[inv[nd]], cust[nd]
        guest_nd = guest[nd]
        h2 = h(inv_nd, slot_nd, 2)
        prod = cat.draw(_uniform(h2), month_nd)
        h3 = h(inv_nd, slot_nd, 3)
        fav = ~guest_nd & (_bits(h3, 0, 8) < round(P_FAVOURITE * 256))
        if fav.any():
            fi = _bits(h3[fav], 8, 16) % N_FAVOURITES
            prod[fav] = p.fav[cust_nd[fav], fi]
        # Real invoices rarely list a product twice except as a duplicate line; redraw
        # collisions.  Each round only revisits invoices that still collide, and the result
        # of an invoice depends on nothing but the invoice, so cancellations can recompute it.
        group = local[nd]
        cand = np.arange(nd.size)
        for rnd in range(DEDUP_ROUNDS):
            # (invoice, product, position) packed into one unique integer: a plain value sort
            # finds repeats, and the first occurrence of each product keeps it.
            key = (group[cand] * self.n_products + prod[cand]) * nd.size + cand
            key.sort()
            same = (key[1:] // nd.size) == (key[:-1] // nd.size)
            if not same.any():
                break
            redo = key[1:][same] % nd.size
            hr = h(inv_nd[redo], slot_nd[redo], 20 + rnd)
            prod[redo] = cat.draw(_uniform(hr), month_nd[redo])
            touched = np.zeros(invs.size, dtype=bool)
            touched[group[redo]] = True
            cand = np.flatnonzero(touched[group])

        h4 = h(inv_nd, slot_nd, 4)
        q_index = _bits(h4, 0, 12)
        reg_q = cat.pack[prod] * self.mult[q_index] * p.qty_mult[np.maximum(cust_nd, 0)]
        q = np.where(guest_nd, self.guest_q[q_index], reg_q)
        free = ~guest_nd & (_bits(h4, 12, 16) < round(P_FREE_ITEM * 65536))
        code[nd] = prod
        qty[nd] = np.minimum(q, QTY_MAX)
        price[nd] = np.where(free, 0, cat.price_milli[prod])
        if di.size:
            code[di] = code[src]
            qty[di] = qty[src]
            price[di] = price[src]

        ei = np.flatnonzero(~is_prod)
        if ei.size:
            inv_e = inv[ei]
            k = slot[ei] - nprod[ei]
            typ = ((p.extras[inv_e] >> (4 * k)) & 15) - 1
            h5 = h(inv_e, slot[ei], 5)
            idx12 = _bits(h5, 0, 12)
            q = np.ones(ei.size, dtype=np.int64)
            pr = np.zeros(ei.size, dtype=np.int64)
            post = typ == SP_POST
            q[post] = self.post_q[idx12[post]]
            pr[post] = self.post_price[p.country[inv_e[post]]]
            carr = typ == SP_CARRIAGE
            pr[carr] = np.where(_bits(h5[carr], 12, 8) < 26, 25000, 50000)
            pr[typ == SP_BANK] = 15000
            man = typ == SP_MANUAL
            many = _bits(h5[man], 20, 8) < 38
            q[man] = np.where(many, 2 + _bits(h5[man], 28, 8) % 11, 1)
            pr[man] = self.manual_price[_bits(h5[man], 36, 12)]
            dot = typ == SP_DOT
            pr[dot] = self.dot_price[idx12[dot]]
            code[ei] = self.row_special + typ
            qty[ei] = q
            price[ei] = pr
        return _Content(code=code, qty=qty, price=price, dup=dup)

    # -- chunk rendering ------------------------------------------------------------------------

    def render(self, i0: int, i1: int) -> _ChunkResult:
        p, h = self.p, self.h
        n_inv = i1 - i0
        sz = p.size[i0:i1]
        n = int(sz.sum())
        local = np.repeat(np.arange(n_inv), sz)
        slot = np.arange(n) - np.repeat(p.offset[i0:i1] - p.offset[i0], sz)
        kinds = p.kind[i0:i1]
        kind_l = kinds[local]
        code = np.empty(n, dtype=np.int64)
        qty = np.empty(n, dtype=np.int64)
        price = np.empty(n, dtype=np.int64)
        duplicates = 0
        dynamic: list[bytes] = []
        n_static = len(self.b_static)

        sale = np.flatnonzero(kinds == K_SALE)
        if sale.size:
            c = self.sale_content(i0 + sale)
            mask = kind_l == K_SALE
            code[mask], qty[mask], price[mask] = c.code, c.qty, c.price
            duplicates = int(c.dup.sum())

        canc_lines = np.flatnonzero(kind_l == K_CANCEL)
        if canc_lines.size:
            inv_c = i0 + local[canc_lines]
            k = slot[canc_lines]
            origs, which = np.unique(p.orig[inv_c], return_inverse=True)
            oc = self.sale_content(origs)
            o_size = p.size[origs]
            o_start = np.cumsum(o_size) - o_size
            o_slot = (p.cstart[inv_c] + k) % o_size[which]
            src = o_start[which] + o_slot
            ocode, oqty = oc.code[src], oc.qty[src]
            h6 = h(inv_c, k, 6)
            partial = (ocode < self.n_products) & (oqty >= 2) & (_bits(h6, 0, 8) < 38)
            part_q = 1 + _bits(h6, 8, 32) % np.maximum(oqty - 1, 1)
            code[canc_lines] = ocode
            qty[canc_lines] = -np.where(partial, part_q, oqty)
            price[canc_lines] = oc.price[src]

        for kind, row, q in (
            (K_DISCOUNT, self.row_special + SP_DISCOUNT, -1),
            (K_AMAZON, self.row_special + SP_AMAZON, -1),
            (K_BADDEBT, self.row_special + SP_BADDEBT, 1),
            (K_ADJUST, -1, 1),
        ):
            lines = np.flatnonzero(kind_l == kind)
            if not lines.size:
                continue
            inv_s = i0 + local[lines]
            qty[lines] = q
            price[lines] = p.price[inv_s]
            if row >= 0:
                code[lines] = row
                continue
            # ADJUST descriptions name the day and hour of the adjustment.
            stamps = np.datetime_as_string(_ZERO_DATE + p.minute[inv_s], unit="m")
            code[lines] = n_static + len(dynamic) + np.arange(lines.size)
            dynamic += [
                f"ADJUST,Adjustment by john on {s[8:10]}/{s[5:7]}/{s[:4]} {s[11:13]},".encode()
                for s in stamps.tolist()
            ]

        zero_lines = np.flatnonzero(kind_l == K_ZERO)
        if zero_lines.size:
            inv_z = i0 + local[zero_lines]
            hz = h(inv_z, slot[zero_lines], 7)
            prod = self.cat.draw(_uniform(hz), p.month[inv_z])
            hz2 = h(inv_z, slot[zero_lines], 8)
            variant = _bits(hz2, 0, 8)
            # Stock corrections: mostly no description or a clerk's note, sometimes the name.
            zcode = np.where(variant < 115, prod + self.n_products, prod)
            noted = np.flatnonzero((variant >= 115) & (variant < 217))
            note_idx = _bits(hz2[noted], 8, 16) % len(_ZERO_NOTES)
            zcode[noted] = n_static + len(dynamic) + np.arange(noted.size)
            dynamic += [
                f"{self.cat.codes[pr]},{_csv_field(_ZERO_NOTES[ni])},".encode()
                for pr, ni in zip(prod[noted].tolist(), note_idx.tolist(), strict=True)
            ]
            zq = self.zero_q[_bits(hz2, 24, 12)]
            code[zero_lines] = zcode
            qty[zero_lines] = np.where(_bits(hz2, 36, 8) < 192, -zq, zq)
            price[zero_lines] = 0

        # --- bytes
        a_items = [
            f"{_PREFIX[k]}{num},".encode()
            for k, num in zip(kinds.tolist(), p.number[i0:i1].tolist(), strict=True)
        ]
        stamps = np.datetime_as_string(_ZERO_DATE + p.minute[i0:i1], unit="m").tolist()
        d_items = [f",{s[:10]} {s[11:]}:00,".encode() for s in stamps]
        ids = p.customer_ids
        f_items = [
            b",%d.0,%s\n" % (ids[c], self.countries[k]) if c >= 0 else b",,%s\n" % self.countries[k]
            for c, k in zip(p.cust[i0:i1].tolist(), p.country[i0:i1].tolist(), strict=True)
        ]
        a_tab, d_tab, f_tab = _fixed_width(a_items), _fixed_width(d_items), _fixed_width(f_items)
        b_tab = self.b_table if not dynamic else _fixed_width(self.b_static + dynamic)
        uprice, price_row = np.unique(price, return_inverse=True)
        e_tab = _fixed_width([_format_price(v).encode() for v in uprice.tolist()])
        qty_row = np.clip(qty, -QTY_MAX, QTY_MAX) + QTY_MAX

        gathers = (
            (a_tab, local),
            (b_tab, code),
            (self.qty_table, qty_row),
            (d_tab, local),
            (e_tab, price_row.reshape(-1)),
            (f_tab, local),
        )
        width = sum(t.shape[1] for t, _ in gathers)
        out = np.empty((n, width), dtype=np.uint8)
        col = 0
        for tab, rows in gathers:
            w = tab.shape[1]
            np.take(tab, rows, axis=0, out=out[:, col : col + w], mode="clip")
            col += w
        flat = out.reshape(-1)
        data = flat[flat != 0]

        mal_lines = np.flatnonzero(
            (kind_l == K_SALE) & (p.malformed[i0 + local] > 0) & (slot == p.n_prod[i0 + local] - 1)
        )
        if mal_lines.size:
            ends = np.cumsum(np.count_nonzero(out, axis=1))
            pieces: list[U8] = []
            prev_end = 0
            for r in mal_lines.tolist():
                start = int(ends[r - 1]) if r else 0
                pieces.append(data[prev_end:start])
                j = int(local[r])
                parts = (
                    a_items[j],
                    str(int(qty[r])).encode(),
                    d_items[j],
                    _format_price(int(price[r])).encode(),
                    f_items[j],
                )
                line = self._malform(int(p.malformed[i0 + j]), int(code[r]), *parts)
                pieces.append(np.frombuffer(line, dtype=np.uint8))
                prev_end = int(ends[r])
            pieces.append(data[prev_end:])
            data = np.concatenate(pieces)

        special = (code >= self.row_special) & (code < n_static)
        non_product = int(np.count_nonzero(special & (code != self.row_special + SP_BADDEBT)))
        non_product += int(np.count_nonzero(kind_l == K_ADJUST))
        return _ChunkResult(
            data=data,
            lines=n,
            duplicates=duplicates,
            zero_price=int(np.count_nonzero(price == 0)),
            non_product=non_product,
        )

    def _malform(
        self, variant: int, code: int, a: bytes, q: bytes, d: bytes, e: bytes, f: bytes
    ) -> bytes:
        """Damage one rendered line the way broken exports do, keeping it one physical line."""
        stock = self.cat.codes[code].encode()
        desc = self.cat.descriptions[code].replace('"', "")
        if variant == 1:  # truncated: customer and country are missing
            return a + stock + b"," + _csv_field(desc).encode() + b"," + q + d + e + b"\n"
        if variant == 2:  # an unquoted comma splits the description
            if " " in desc:
                broken = desc.replace(" ", ", ", 1).encode()
                return a + stock + b"," + broken + b"," + q + d + e + f
            return a + stock + b"," + desc.encode() + b"," + q + d + e + f[:-1] + b",\n"
        # an opening quote that is never closed
        return a + stock + b',"' + desc.encode() + b"," + q + d + e + f


# --------------------------------------------------------------------------------------------
# Driver.


def _chunks(plan: _Plan) -> Iterator[tuple[int, int]]:
    n_inv = plan.kind.size
    total = int(plan.offset[-1])
    cuts = np.searchsorted(plan.offset, np.arange(CHUNK_LINES, total, CHUNK_LINES))
    bounds = [0, *sorted({int(c) for c in cuts if 0 < c < n_inv}), n_inv]
    yield from pairwise(bounds)


def _write(
    fh: BinaryIO, res: _ChunkResult, bar: tqdm, counts: tuple[int, int, int]
) -> tuple[int, int, int]:
    fh.write(res.data)
    bar.update(res.lines)
    return (counts[0] + res.duplicates, counts[1] + res.zero_price, counts[2] + res.non_product)


def generate(lines: int, seed: int, out: Path, progress: bool = True) -> GenerationStats:
    """Write ``lines`` data lines (plus header) of synthetic Online Retail II data to ``out``.

    The result is byte-identical for the same ``(lines, seed)``.  The file appears atomically:
    it is written to a temporary sibling and renamed once complete.
    """
    if lines < 0 or seed < 0:
        raise ValueError("lines and seed must be >= 0")
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    bar = tqdm(
        total=lines,
        unit=" lines",
        unit_scale=True,
        desc="planning",
        disable=None if progress else True,
        file=sys.stderr,
        dynamic_ncols=True,
    )
    tmp = out.with_name(f".{out.name}.{os.getpid()}.tmp")
    counts = (0, 0, 0)
    try:
        calendar = _Calendar()
        catalog = _build_catalog(calendar)
        plan = _Planner(lines, seed, calendar, catalog).plan() if lines else None
        with open(tmp, "wb") as fh:
            fh.write(HEADER)
            if plan is not None:
                renderer = _Renderer(plan, catalog, seed)
                bar.set_description("writing")
                # Two workers overlap numpy work that releases the GIL; results are written in
                # submission order, so the bytes do not depend on scheduling.  At most three
                # chunks are in flight, which bounds memory.
                with ThreadPoolExecutor(max_workers=2) as pool:
                    pending: deque[Future[_ChunkResult]] = deque()
                    for a, b in _chunks(plan):
                        pending.append(pool.submit(renderer.render, a, b))
                        if len(pending) >= 3:
                            counts = _write(fh, pending.popleft().result(), bar, counts)
                    while pending:
                        counts = _write(fh, pending.popleft().result(), bar, counts)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, out)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    finally:
        bar.close()
    if plan is None:
        return GenerationStats(0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
    cancel = np.isin(plan.kind, [K_CANCEL, K_DISCOUNT, K_AMAZON])
    return GenerationStats(
        lines=int(plan.offset[-1]),
        customers=plan.n_customers_used,
        invoices=int(plan.kind.size),
        cancellation_lines=int(plan.size[cancel].sum()),
        lines_without_customer=int(plan.size[plan.cust < 0].sum()),
        duplicates=counts[0],
        malformed=int(np.count_nonzero(plan.malformed)),
        zero_price=counts[1],
        non_product=counts[2],
        adjustments=int(plan.size[plan.kind == K_BADDEBT].sum()),
    )


def parse_line_count(text: str) -> int:
    """Accept ``300000``, ``1_000_000`` and ``1e6``."""
    try:
        value = int(text)
    except ValueError:
        try:
            number = float(text)
        except ValueError:
            number = float("nan")
        if not number.is_integer():
            raise argparse.ArgumentTypeError(f"not a whole line count: {text!r}") from None
        value = int(number)
    if value < 0:
        raise argparse.ArgumentTypeError(f"line count must not be negative: {text!r}")
    return value


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m customer_lifecycle.generate",
        description="Generate a deterministic synthetic Online Retail II CSV file.",
    )
    parser.add_argument(
        "--lines", type=parse_line_count, required=True, help="data lines, e.g. 1e6"
    )
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    args = parser.parse_args(argv)
    if args.seed < 0:
        parser.error("--seed must not be negative")
    # Turn SIGTERM into an exception so the temporary file is removed on the way out.
    signal.signal(signal.SIGTERM, lambda signum, _frame: sys.exit(128 + signum))
    stats = generate(args.lines, args.seed, args.out, progress=not args.quiet)
    print(" ".join(f"{k}={v}" for k, v in stats.as_dict().items()), file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
