"""Public search: Chinese substrings, close matches, facets, sorting, paging, visibility."""

import pytest

from tcloud.catalog import browse, listings, vetting

Q = browse.CatalogQuery


def names(result):
    return [row.name for row in result.rows]


@pytest.mark.parametrize(("query", "expected"), [
    ("點餐", "快點餐 QR 點餐系統"), ("排班", "排班小幫手"), ("電子簽章", "簽好簽"),
    ("qr", "快點餐 QR 點餐系統"), ("ＱＲ", "快點餐 QR 點餐系統"),
    # problem labels in both languages are searchable, not only the vendor's own words
    ("shift", "排班小幫手"), ("好好雲端", None),
])
def test_chinese_substring_search(db, catalogue, query, expected):
    result = browse.search(db, Q(q=query))
    if expected is None:
        assert result.total == 3  # the vendor's name matches all of its listings
    else:
        assert names(result) == [expected] and not result.close_matches


def test_a_wrong_character_still_finds_close_matches(db, catalogue):
    result = browse.search(db, Q(q="點菜系統"))
    assert names(result)[0] == "快點餐 QR 點餐系統" and result.close_matches


def test_nothing_found_is_empty_not_everything(db, catalogue):
    result = browse.search(db, Q(q="區塊鏈挖礦"))
    assert result.total == 0 and result.rows == []


def test_like_wildcards_in_a_query_are_literal(db, catalogue):
    assert browse.search(db, Q(q="%")).total == 0


def test_facets_filter_and_count(db, catalogue):
    assert set(names(browse.search(db, Q(weekend=True)))) == {"快點餐 QR 點餐系統", "簽好簽"}
    assert names(browse.search(db, Q(free_trial=True, category="remote_work"))) == ["簽好簽"]
    assert names(browse.search(db, Q(employees=100))) == ["簽好簽"]
    assert names(browse.search(db, Q(industry="retail"))) == ["排班小幫手"]
    assert names(browse.search(db, Q(availability_min=99.9))) == ["排班小幫手"]
    assert names(browse.search(db, Q(price_max=7000))) == ["排班小幫手"]  # NT$500 a month
    counts = browse.search(db, Q(category="remote_work")).category_counts
    assert counts == {"online_store": 1, "business_management": 1, "remote_work": 1}


def test_sorting_by_price(db, catalogue):
    assert names(browse.search(db, Q(sort="price_asc"))) == ["排班小幫手", "快點餐 QR 點餐系統",
                                                             "簽好簽"]
    assert names(browse.search(db, Q(sort="price_desc")))[0] == "簽好簽"


def test_pages_hold_twenty(db, factories):
    vendor = factories.approved_vendor()
    for number in range(23):
        factories.listing(vendor, name=f"方案{number:02d}")
    first = browse.search(db, Q(sort="newest"))
    last = browse.search(db, Q(sort="newest", page=9))
    assert (first.total, first.pages, len(first.rows)) == (23, 2, 20)
    assert last.page == 2 and len(last.rows) == 3


def test_suspended_vendor_disappears(db, factories, catalogue):
    version = factories.listing()
    organisation_id = db.get(listings.Solution, version.solution_id).vendor_organisation_id
    application = vetting.application_of(db, organisation_id)
    vetting.decide(db, admin=factories.staff("admin"), application_id=application.id,
                   to_status="suspended", reason="SLA")
    assert version.solution_id not in [row.id for row in browse.search(db, Q()).rows]
    assert browse.search(db, Q()).total == 3


def test_compare_refuses_more_than_four(db, catalogue):
    from tcloud.errors import DomainError

    with pytest.raises(DomainError):
        browse.compared(db, [1, 2, 3, 4, 5])
    assert len(browse.compared(db, [catalogue[k] for k in ("order", "roster", "sign")])) == 3


def test_close_matches_need_most_of_the_characters(db, catalogue, factories):
    factories.listing(name="電子報系統", summary="發送電子報", description_md="電子報",
                      problems=["social_media"], category="marketing")
    result = browse.search(db, Q(q="點菜系統"))
    assert names(result) == ["快點餐 QR 點餐系統"]  # sharing only 系統 is not close enough
