"""The main menu: every role reaches every page it had before the menu was grouped, and each
entry of its menu opens for it. (The browser side, keyboard and narrow screens: e2e.)"""

import re

import pytest

from tcloud.site.menu import MENUS, MenuGroup, links_of, menu_for

# The flat menu of each role before grouping (the old base.html), as endpoints' paths: none
# may be lost. "/" is the home page, reached through the TCloud name for the grouped menus.
MENU_BEFORE = {
    None: ["/", "/solutions"],
    "business": ["/", "/solutions", "/dashboard", "/points", "/orders", "/sla/incidents",
                 "/advisor"],
    "consultant": ["/", "/solutions", "/dashboard", "/advisor/queue"],
    "vendor": ["/", "/solutions", "/dashboard", "/vendor/application", "/vendor/solutions",
               "/vendor/orders", "/vendor/sla", "/sla/incidents", "/vendor/sla/scorecard"],
    "admin": ["/", "/solutions", "/dashboard", "/advisor/queue", "/admin/vendors",
              "/admin/listings", "/admin/points", "/admin/orders", "/admin/statements",
              "/admin/contracts", "/admin/users", "/admin/audit", "/admin/sla/availability",
              "/admin/sla/breaches"],
}


def header_of(html: str) -> str:
    return html[html.index('<header class="site-header">'):html.index("</header>")]


def nav_of(html: str) -> str:
    return html[html.index('<nav class="site-nav"'):html.index("</nav>")]


def hrefs(fragment: str) -> list[str]:
    return re.findall(r'href="([^"]+)"', fragment)


def person(role, factories, login):
    if role is None:
        return None
    user = factories.approved_vendor() if role == "vendor" else factories.user(role)
    return login(user)


@pytest.mark.parametrize("role", list(MENU_BEFORE))
def test_each_menu_entry_opens_for_its_role_and_none_was_lost(client, factories, login, role):
    person(role, factories, login)
    html = client.get("/solutions").get_data(as_text=True)
    menu = hrefs(nav_of(html))
    assert len(menu) == len(set(menu)), "an entry listed twice"
    reachable = set(hrefs(header_of(html)))  # the menu, the TCloud name, the account links
    assert [path for path in MENU_BEFORE[role] if path not in reachable] == []
    for path in menu:
        response = client.get(path)
        assert response.status_code == 200, f"{role}: {path} -> {response.status_code}"


@pytest.mark.parametrize("role", list(MENU_BEFORE))
def test_the_page_shows_the_menu_the_role_is_given(client, factories, login, role):
    person(role, factories, login)
    html = client.get("/solutions").get_data(as_text=True)
    given = links_of(menu_for(role))
    assert len(hrefs(nav_of(html))) == len(given)
    groups = re.findall(r'<details[^>]*>\s*<summary', nav_of(html))
    assert len(groups) == sum(isinstance(item, MenuGroup) for item in menu_for(role))


def test_administrators_and_vendors_get_a_few_groups_and_businesses_a_short_flat_menu():
    for role in ("admin", "vendor"):
        groups = [item for item in MENUS[role] if isinstance(item, MenuGroup)]
        assert 3 <= len(groups) <= 6 and len(MENUS[role]) <= 8
    for role in (None, "business", "consultant"):
        assert not any(isinstance(item, MenuGroup) for item in MENUS[role])
        assert len(MENUS[role]) <= 7


def test_the_page_shown_is_marked_and_its_group_too(client, factories, login):
    login(factories.staff("admin"))
    nav = nav_of(client.get("/admin/sla/holidays").get_data(as_text=True))
    assert re.findall(r'<a href="([^"]+)" aria-current="page"', nav) == ["/admin/sla/holidays"]
    assert re.findall(r'id="menu-(\w+)">\s*<summary[^>]*aria-current="true"', nav) == ["sla"]
    # A page of the same area that is not itself in the menu marks its group only.
    nav = nav_of(client.get("/admin/points/programmes/new").get_data(as_text=True))
    assert 'aria-current="page"' not in nav
    assert re.findall(r'id="menu-(\w+)">\s*<summary[^>]*aria-current="true"', nav) == ["points"]


def test_visitors_see_the_flat_menu_with_the_current_page_marked(client):
    nav = nav_of(client.get("/solutions").get_data(as_text=True))
    assert re.findall(r'href="([^"]+)" aria-current="page"', nav) == ["/solutions"]
    assert "<details" not in nav
