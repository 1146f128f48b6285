"""Shared catalogue data: three live listings from one vendor, different on every facet."""

import pytest


@pytest.fixture
def catalogue(db, factories):
    vendor = factories.approved_vendor(company_name="好好雲端股份有限公司")
    made = {
        "order": factories.listing(vendor),
        "roster": factories.listing(
            vendor, category="business_management", name="排班小幫手",
            summary="店員排班與打卡", description_md="手機打卡、自動算工時",
            problems=["rostering"], industries=["retail"], free_trial_days=0,
            plans=[{"name": "標準", "billing_period": "month", "price_ntd": 500,
                    "list_price_ntd": 600, "seats": 10}],
            sla={"support_windows": [{"day": d, "opens": "09:00", "closes": "18:00"}
                                     for d in ("mon", "tue", "wed", "thu", "fri")],
                 "availability_percent": 99.9}),
        "sign": factories.listing(
            vendor, category="remote_work", name="簽好簽", summary="線上簽約與用印",
            description_md="支援電子簽章與存證", problems=["e_signature"],
            industries=["professional_services"], min_employees=3, max_employees=200,
            plans=[{"name": "年繳", "billing_period": "year", "price_ntd": 30000,
                    "list_price_ntd": 36000, "seats": 20}]),
    }
    ids = {key: version.solution_id for key, version in made.items()}
    ids["vendor"] = vendor  # the vendor's User, for tests that act as it
    return ids
