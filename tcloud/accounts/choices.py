"""Shared vocabularies: roles, entity types, industries and Taiwan's cities and counties.

Stored values are stable codes; labels go through the translation catalogue. The catalogue and
the advisor reuse INDUSTRIES, so a solution's "suits these industries" and a business's
industry speak the same language.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

ROLE_BUSINESS = "business"
ROLE_VENDOR = "vendor"
ROLE_CONSULTANT = "consultant"
ROLE_ADMIN = "admin"
ROLES = (ROLE_BUSINESS, ROLE_VENDOR, ROLE_CONSULTANT, ROLE_ADMIN)
STAFF_ROLES = (ROLE_CONSULTANT, ROLE_ADMIN)

ROLE_LABELS = {
    ROLE_BUSINESS: _l("Business"),
    ROLE_VENDOR: _l("Vendor"),
    ROLE_CONSULTANT: _l("Consultant"),
    ROLE_ADMIN: _l("Administrator"),
}

ORG_BUSINESS = "business"
ORG_VENDOR = "vendor"

ENTITY_TYPES = {
    "company": _l("Company"),
    "business_registration": _l("Registered business (sole proprietorship or partnership)"),
    "social_enterprise": _l("Social enterprise"),
    "cooperative": _l("Cooperative"),
}

INDUSTRIES = {
    "food_beverage": _l("Food and beverage"),
    "retail": _l("Retail"),
    "wholesale": _l("Wholesale and trading"),
    "beauty_hair": _l("Beauty and hairdressing"),
    "manufacturing": _l("Manufacturing"),
    "logistics": _l("Logistics and delivery"),
    "accommodation_tourism": _l("Accommodation and tourism"),
    "education": _l("Education and training"),
    "health_care": _l("Health and care"),
    "professional_services": _l("Professional services"),
    "agriculture": _l("Agriculture, forestry and fishing"),
    "construction": _l("Construction and repair"),
    "creative_media": _l("Creative industries and media"),
    "other": _l("Other"),
}

CITIES = {
    "taipei": _l("Taipei City"),
    "new_taipei": _l("New Taipei City"),
    "taoyuan": _l("Taoyuan City"),
    "taichung": _l("Taichung City"),
    "tainan": _l("Tainan City"),
    "kaohsiung": _l("Kaohsiung City"),
    "keelung": _l("Keelung City"),
    "hsinchu_city": _l("Hsinchu City"),
    "chiayi_city": _l("Chiayi City"),
    "hsinchu_county": _l("Hsinchu County"),
    "miaoli": _l("Miaoli County"),
    "changhua": _l("Changhua County"),
    "nantou": _l("Nantou County"),
    "yunlin": _l("Yunlin County"),
    "chiayi_county": _l("Chiayi County"),
    "pingtung": _l("Pingtung County"),
    "yilan": _l("Yilan County"),
    "hualien": _l("Hualien County"),
    "taitung": _l("Taitung County"),
    "penghu": _l("Penghu County"),
    "kinmen": _l("Kinmen County"),
    "lienchiang": _l("Lienchiang County"),
}
