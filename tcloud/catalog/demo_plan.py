"""The demo catalogue as plain data, drawn deterministically from a seeded random generator.

`plan_catalogue()` decides every vendor, listing payload (a valid ListingSchema payload), review
and renewal figure before anything touches the database, so the same seed always gives the
same catalogue, and demo_catalogue.py can write it in batches that each stand on their own.
No database or Flask import.
"""

from __future__ import annotations

import functools
import random
from dataclasses import dataclass

from tcloud.accounts.taxid import is_valid_tax_id
from tcloud.catalog import demo_words as words
from tcloud.catalog.demo_products import PRODUCT_KINDS, ProductKind
from tcloud.catalog.sla_terms import CHANNELS

SEED = 20_261_123
HOUSE_NAME, HOUSE_SLUG = "雲點科技股份有限公司", "yundian-tech"  # the demo vendor account's firm
HOUSE_KINDS = ("QR 點餐", "POS 收銀", "會員集點", "線上排班")
# Tax IDs of the other demo organisations, never drawn again.
RESERVED_TAX_IDS = frozenset({"53212539", "84149961", "78220482", "73960310", "84641177"})
CATEGORY_CODES = tuple(dict.fromkeys(kind.category for kind in PRODUCT_KINDS))
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri")
WEEKEND = ("sat", "sun")


def vendor_email(number: int) -> str:
    return f"demo-vendor-{number:03d}@demo.tcloud.tw"


def reviewer_email(number: int) -> str:
    return f"demo-reviewer-{number}@demo.tcloud.tw"


@dataclass(frozen=True)
class ReviewSpec:
    reviewer: int  # index into the plan's reviewers
    stars: int
    body: str
    reply: str | None
    hidden: bool
    days_ago: int


@dataclass(frozen=True)
class SolutionSpec:
    payload: dict
    reviews: tuple[ReviewSpec, ...]
    renewal_rate_percent: int | None

    @property
    def name(self) -> str:
        return self.payload["name"]


@dataclass(frozen=True)
class VendorSpec:
    email: str  # empty for the house vendor, whose account already exists
    name: str
    slug: str
    tax_id: str
    contact: str
    paid_in_capital: int
    years_in_business: int
    paying_customers: int
    reference_customers: str
    solutions: tuple[SolutionSpec, ...]


@dataclass(frozen=True)
class ReviewerSpec:
    email: str
    name: str
    tax_id: str
    industry: str
    employees: int
    city: str
    entity_type: str


@dataclass(frozen=True)
class CataloguePlan:
    house: VendorSpec
    vendors: tuple[VendorSpec, ...]
    reviewers: tuple[ReviewerSpec, ...]

    def solutions(self) -> list[SolutionSpec]:
        return [s for v in (self.house, *self.vendors) for s in v.solutions]


@functools.lru_cache(maxsize=4)
def plan_catalogue(vendors: int = 200, solutions: int = 800, seed: int = SEED) -> CataloguePlan:
    """`vendors` new vendors plus the house vendor; `solutions` listings in all."""
    rng = random.Random(seed)
    used_tax_ids: set[str] = set(RESERVED_TAX_IDS)
    used_names: set[str] = set()
    reviewers = tuple(
        ReviewerSpec(reviewer_email(n), name, _tax_id(rng, used_tax_ids), industry, staff, city,
                     entity)
        for n, (name, industry, staff, city, entity) in enumerate(words.REVIEWERS, start=1))
    house_count = min(len(HOUSE_KINDS), solutions)
    house_kinds = [k for k in PRODUCT_KINDS if k.kind in HOUSE_KINDS][:house_count]
    house = _vendor(rng, "", HOUSE_NAME, HOUSE_SLUG, used_tax_ids, used_names, house_kinds,
                    len(reviewers))
    firms = _firm_names(rng, vendors)
    counts = _solution_counts(rng, vendors, solutions - house_count)
    made = []
    for number, ((name, slug), count) in enumerate(zip(firms, counts, strict=True), start=1):
        made.append(_vendor(rng, vendor_email(number), name, slug, used_tax_ids, used_names,
                            _kinds_for(rng, count), len(reviewers)))
    return CataloguePlan(house=house, vendors=tuple(made), reviewers=reviewers)


def _tax_id(rng: random.Random, used: set[str]) -> str:
    while True:
        candidate = str(rng.randint(20_000_000, 99_999_999))
        if candidate not in used and is_valid_tax_id(candidate):
            used.add(candidate)
            return candidate


def _firm_names(rng: random.Random, count: int) -> list[tuple[str, str]]:
    names, slugs = {HOUSE_NAME}, {HOUSE_SLUG}
    found = []
    while len(found) < count:
        (first, first_roman), (second, second_roman) = (rng.choice(words.NAME_FIRST),
                                                        rng.choice(words.NAME_SECOND))
        trade, trade_roman = rng.choice(words.TRADES)
        name = f"{first}{second}{trade}{rng.choice(words.LEGAL_FORMS)}"
        slug = f"{first_roman}{second_roman}-{trade_roman}"
        if first == second or name in names or slug in slugs:
            continue
        names.add(name)
        slugs.add(slug)
        found.append((name, slug))
    return found


def _solution_counts(rng: random.Random, vendors: int, total: int) -> list[int]:
    """At least one listing each; a few vendors sell many, as in the real catalogue."""
    if vendors == 0:
        return []
    counts = [1] * vendors
    weights = [rng.choice((1, 1, 2, 3, 6)) for _ in range(vendors)]
    for index in rng.choices(range(vendors), weights=weights, k=max(total - vendors, 0)):
        counts[index] += 1
    return counts


def _kinds_in(category: str) -> list[ProductKind]:
    return [k for k in PRODUCT_KINDS if k.category == category]


def _kinds_for(rng: random.Random, count: int) -> list[ProductKind]:
    """Mostly the vendor's own field, sometimes another; no kind twice if avoidable. Fields are
    drawn evenly, so each of the six categories holds about a sixth of the catalogue."""
    own = _kinds_in(rng.choice(CATEGORY_CODES))
    chosen: list[ProductKind] = []
    for _ in range(count):
        pool = own if rng.random() < 0.65 else _kinds_in(rng.choice(CATEGORY_CODES))
        fresh = [k for k in pool if k not in chosen] or [k for k in PRODUCT_KINDS
                                                           if k not in chosen] or list(pool)
        chosen.append(rng.choice(fresh))
    return chosen


def _vendor(rng, email, name, slug, used_tax_ids, used_names, kinds, reviewer_count):
    solutions = tuple(_solution(rng, name, slug, kind, used_names, reviewer_count)
                      for kind in kinds)
    references = "、".join(rng.sample(words.REFERENCE_CUSTOMERS, rng.randint(2, 4)))
    return VendorSpec(
        email=email, name=name, slug=slug, tax_id=_tax_id(rng, used_tax_ids),
        contact=rng.choice(words.SURNAMES) + rng.choice(words.GIVEN_NAMES),
        paid_in_capital=rng.choice((1, 2, 3, 5, 8, 10, 20, 50)) * 1_000_000,
        years_in_business=rng.randint(2, 25), paying_customers=rng.randint(20, 3_000),
        reference_customers=references, solutions=solutions)


def _solution(rng, firm, slug, kind: ProductKind, used_names, reviewer_count) -> SolutionSpec:
    name = _product_name(rng, firm, kind, used_names)
    industries = sorted(rng.sample(kind.industries, rng.randint(1, min(3, len(kind.industries)))),
                        key=kind.industries.index)
    min_employees = rng.choice((1, 1, 1, 2, 3, 5))
    max_employees = rng.choice((10, 20, 30, 50, 100, 200))
    trial = rng.choice((7, 14, 14, 30)) if rng.random() < 0.45 else 0
    summary = rng.choice(kind.summaries) + (f"，{trial} 天免費試用" if trial and rng.random() < 0.5
                                            else "")
    export = rng.choice(words.EXPORT_FORMATS)
    payload = {
        "category": kind.category, "name": name, "summary": summary,
        "description_md": _description(rng, kind, industries, min_employees, max_employees,
                                       trial),
        "industries": industries, "problems": list(kind.problems),
        "min_employees": min_employees, "max_employees": max_employees,
        "free_trial_days": trial, "health_url": f"https://status.{slug}.example.tw/health",
        "data_export_format": export,
        "data_export_description": words.EXPORT_TEMPLATE.format(data=kind.data,
                                                                fmt=export.upper()),
        "plans": _plans(rng, kind), "sla": _sla(rng, industries),
    }
    renewal = rng.randint(30, 85) if rng.random() < 0.85 else None
    return SolutionSpec(payload, _reviews(rng, kind, reviewer_count), renewal)


def _joined(*parts: str) -> str:
    """Latin words keep a space from Chinese ones ("快 QR 點餐系統", "排班 App")."""
    text = parts[0]
    for part in parts[1:]:
        if part and (text[-1].isascii() or part[0].isascii()):
            text += " "
        text += part
    return text


def _product_name(rng, firm: str, kind: ProductKind, used: set[str]) -> str:
    for _ in range(20):
        own_brand = firm == HOUSE_NAME or rng.random() < 0.35  # the demo firm sells as 雲點
        brand = firm[:2] if own_brand else rng.choice(words.PRODUCT_BRANDS)
        name = _joined(brand, kind.kind, rng.choice(kind.suffixes))
        if name not in used:
            break
    else:
        name = _joined(firm[:2], kind.kind, kind.suffixes[0], str(len(used)))
    used.add(name)
    return name


def _description(rng, kind, industries, min_employees, max_employees, trial) -> str:
    pains = rng.sample(kind.pains, min(len(kind.pains), rng.randint(2, 3)))
    features = rng.sample(kind.features, min(len(kind.features), rng.randint(3, 5)))
    trades = "、".join(words.INDUSTRY_WORDS[code] for code in industries)
    # The page shows the name and summary above the description: it starts with the problems.
    lines = ["## 解決什麼問題", "",
             *(f"- {pain}" for pain in pains), "", "## 主要功能", "",
             *(f"- {feature}" for feature in features), "", "## 適合誰", "",
             f"適合 {min_employees}–{max_employees} 人的{trades}；{rng.choice(words.SIZE_NOTES)}。",
             "", "## 導入方式", "", rng.choice(words.ONBOARDING)]
    if trial:
        lines.append(f"提供 {trial} 天免費試用，試用期間資料可直接延續到正式方案。")
    return "\n".join(lines)


def _price_point(rng: random.Random, value: float, monthly: bool) -> int:
    """Prices as shops set them: NT$990 or 1,450 a month, 11,800 or 24,000 a year."""
    step = 50 if monthly else 1_000 if value >= 10_000 else 100
    amount = max(step, round(value / step) * step)
    if rng.random() < 0.4:
        if monthly and amount >= 500:
            amount -= 10
        elif step == 1_000:
            amount -= 200
    return amount


def _plans(rng, kind: ProductKind) -> list[dict]:
    low, high = kind.price
    yearly = rng.randint(low // 1_000, high // 1_000) * 1_000
    monthly = rng.random() < 0.2
    names = rng.choice(words.PLAN_NAMES)
    seats = rng.choice((1, 2, 3, 5))
    discounted = rng.random() < 0.4
    count = rng.choice((1, 2, 2, 3, 3))
    plans, price = [], yearly / 12 if monthly else yearly
    for position in range(count):
        if position:
            price *= rng.choice((1.5, 1.8, 2.0, 2.5))
            seats *= rng.choice((3, 5))
        amount = _price_point(rng, price, monthly)
        if position and amount > (10_000 if monthly else 120_000):
            break  # a top plan beyond what a micro-enterprise buys: stop at fewer plans
        listed = (_price_point(rng, amount * rng.choice((1.1, 1.2, 1.25)), monthly)
                  if discounted else amount)
        extra = (rng.choice(kind.extras) if position == 0
                 else f"{names[position - 1]}全部內容、{rng.choice(words.PLAN_UPGRADES)}")
        plans.append({"name": names[position], "billing_period": "month" if monthly else "year",
                      "price_ntd": amount, "list_price_ntd": max(listed, amount),
                      "seats": seats, "included": f"{seats} 個使用者帳號、{extra}"})
    return plans


def _support_windows(rng, industries) -> tuple[list[dict], bool]:
    weekend_trades = {"food_beverage", "beauty_hair", "accommodation_tourism", "retail"}
    weekend = bool(weekend_trades & set(industries)) and rng.random() < 0.6 or rng.random() < 0.15
    opens, closes = rng.choice((("09:00", "18:00"), ("08:30", "17:30"), ("09:00", "17:00"),
                                ("10:00", "19:00")))
    if weekend and rng.random() < 0.2:
        return [{"day": d, "opens": "00:00", "closes": "24:00"} for d in WEEKDAYS + WEEKEND], True
    windows = [{"day": d, "opens": opens, "closes": closes} for d in WEEKDAYS]
    if weekend:
        days = WEEKEND if rng.random() < 0.5 else WEEKEND[:1]
        windows += [{"day": d, "opens": "10:00", "closes": "18:00"} for d in days]
    return windows, weekend


def _sla(rng, industries) -> dict:
    availability = rng.choice((99.0, 99.5, 99.5, 99.5, 99.9, 99.9, 99.9, 99.95))
    windows, weekend = _support_windows(rng, industries)
    thresholds = [availability, *rng.sample([t for t in (99.5, 99.0, 98.0, 97.0, 95.0, 90.0)
                                             if t < availability], rng.randint(0, 2))]
    thresholds = [thresholds[0], *sorted(thresholds[1:], reverse=True)]
    credits = [rng.choice((10, 10, 15, 20, 25))]
    for _ in thresholds[1:]:
        credits.append(min(100, credits[-1] + rng.choice((10, 15, 25))))
    channels = sorted(rng.sample(CHANNELS, rng.randint(1, 4)), key=CHANNELS.index)
    fast = availability >= 99.9
    return {
        "availability_percent": availability, "support_windows": windows,
        "covers_national_holidays": rng.random() < (0.7 if weekend else 0.2),
        "support_channels": channels,
        "compensation_tiers": [{"below_percent": t, "credit_percent": c}
                               for t, c in zip(thresholds, credits, strict=True)],
        "compensation_cap_percent": max(credits[-1], rng.choice((30, 50, 50, 100))),
        "response_minutes": rng.choice((30, 60, 120) if fast else (60, 120, 240, 480)),
        "rpo_minutes": rng.choice((15, 60, 240) if fast else (60, 240, 720, 1440)),
    }


def _reviews(rng, kind: ProductKind, reviewer_count: int) -> tuple[ReviewSpec, ...]:
    if rng.random() < 0.15 or reviewer_count == 0:
        return ()
    count = min(reviewer_count, rng.choice((1, 2, 2, 3, 3, 4, 5, 6, 8)))
    quality = rng.uniform(3.3, 4.9)
    found = []
    for reviewer in rng.sample(range(reviewer_count), count):
        stars = min(5, max(1, round(rng.gauss(quality, 0.9))))
        body = rng.choice(words.REVIEW_BODIES[stars]).format(benefit=rng.choice(kind.benefit))
        reply = (rng.choice(words.VENDOR_REPLIES["good" if stars >= 4 else "bad"])
                 if rng.random() < 0.35 else None)
        found.append(ReviewSpec(reviewer, stars, body, reply, rng.random() < 0.02,
                                rng.randint(2, 330)))
    return tuple(found)
