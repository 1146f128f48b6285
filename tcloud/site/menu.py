"""The main menu of each role: what base.html shows in its `site-nav`.

Businesses, consultants and visitors have few pages and get a short flat menu. Administrators
and vendors have many, so after the common links their pages are grouped into a few menus
(rendered as native <details> disclosures: they open with the keyboard and without
JavaScript). Every page of the menu is listed here once, as data, so a test can walk each
role's menu and check that every entry answers for that role.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import has_request_context, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from tcloud.accounts.choices import ROLE_ADMIN, ROLE_BUSINESS, ROLE_CONSULTANT, ROLE_VENDOR


@dataclass(frozen=True)
class MenuLink:
    endpoint: str
    label: object  # a lazy translated string

    @property
    def blueprint(self) -> str:
        return self.endpoint.rpartition(".")[0]


@dataclass(frozen=True)
class MenuGroup:
    key: str  # names the group's element ids
    label: object
    links: tuple[MenuLink, ...]


MenuItem = MenuLink | MenuGroup

HOME = MenuLink("site.home", _l("Home"))
FIND = MenuLink("browse.solutions", _l("Find a solution"))
EVERYONE = (HOME, FIND)
DASHBOARD = MenuLink("accounts.dashboard", _l("My dashboard"))

BUSINESS_MENU: tuple[MenuItem, ...] = (
    *EVERYONE, DASHBOARD,
    MenuLink("points.overview", _l("Subsidy points")),
    MenuLink("orders.my_orders", _l("My orders")),
    MenuLink("sla_incidents.list_incidents", _l("Incidents")),
    MenuLink("advisor.start", _l("Find the right solution")),
)

CONSULTANT_MENU: tuple[MenuItem, ...] = (
    *EVERYONE, DASHBOARD,
    MenuLink("advisor_consultant.queue", _l("Forms to review")),
)

# The grouped menus leave out "Home": the TCloud name at the top left is the home link on every
# page, and without it the groups fit on one line at 1280 px in English too.
VENDOR_MENU: tuple[MenuItem, ...] = (
    FIND, DASHBOARD,
    MenuGroup("listings", _l("Listings"), (
        MenuLink("listings.vendor_solutions", _l("My solutions")),
        MenuLink("catalog.vendor_application", _l("Listing application")),
    )),
    MenuGroup("orders", _l("Orders and settlement"), (
        MenuLink("vendor_orders.list_orders", _l("Orders")),
        MenuLink("settlement.vendor_statements", _l("Settlement statements")),
        MenuLink("sla_compensation.statements", _l("Outage compensation")),
    )),
    MenuGroup("sla", _l("SLA"), (
        MenuLink("sla_vendor.overview", _l("Availability")),
        MenuLink("sla_incidents.list_incidents", _l("Incidents")),
        MenuLink("sla_scorecards.scorecard", _l("SLA scorecard")),
        MenuLink("sla_backups.backups_page", _l("Backup reports (RPO)")),
    )),
)

ADMIN_MENU: tuple[MenuItem, ...] = (
    FIND, DASHBOARD,
    MenuGroup("vetting", _l("Vetting"), (
        MenuLink("catalog.vendor_queue", _l("Vendor vetting")),
        MenuLink("listings.review_queue", _l("Listings to review")),
        MenuLink("review_signals.review_signals_page", _l("Review signals")),
    )),
    MenuGroup("points", _l("Points"), (
        MenuLink("points_admin.programmes_page", _l("Points programmes")),
        MenuLink("points_admin.queue", _l("Points applications")),
        MenuLink("points_admin.wallets_page", _l("Points wallets")),
    )),
    MenuGroup("orders", _l("Orders and settlement"), (
        MenuLink("orders_admin.list_orders", _l("Orders")),
        MenuLink("settlement.admin_statements", _l("Settlement")),
        MenuLink("orders_admin.renewal_rates", _l("Renewal rates")),
        MenuLink("contracts_admin.versions", _l("Contract")),
    )),
    MenuGroup("sla", _l("SLA"), (
        MenuLink("sla_admin.availability", _l("Availability warnings")),
        MenuLink("sla_dashboard.breaches", _l("SLA breaches")),
        MenuLink("sla_compensation.dispute_queue", _l("Compensation disputes")),
        MenuLink("sla_holidays.holidays_page", _l("National holidays")),
    )),
    MenuGroup("advisor", _l("Advisor"), (
        MenuLink("advisor_consultant.queue", _l("Forms to review")),
        MenuLink("advisor_consultant.conversions", _l("Recommendations that led to a purchase")),
    )),
    MenuGroup("system", _l("System"), (
        MenuLink("admin.users", _l("Accounts")),
        MenuLink("audit.events", _l("Audit log")),
        MenuLink("catalog.settings", _l("Catalogue settings")),
    )),
)

MENUS: dict[str | None, tuple[MenuItem, ...]] = {
    None: EVERYONE,
    ROLE_BUSINESS: BUSINESS_MENU,
    ROLE_CONSULTANT: CONSULTANT_MENU,
    ROLE_VENDOR: VENDOR_MENU,
    ROLE_ADMIN: ADMIN_MENU,
}


def menu_for(role: str | None) -> tuple[MenuItem, ...]:
    """The menu of a role; None (a visitor) and any unknown role get the public links only."""
    return MENUS.get(role, EVERYONE)


def links_of(items: tuple[MenuItem, ...]) -> list[MenuLink]:
    """Every link of a menu, groups opened out, in menu order."""
    found: list[MenuLink] = []
    for item in items:
        found.extend(item.links if isinstance(item, MenuGroup) else (item,))
    return found


def current_group(items: tuple[MenuItem, ...], endpoint: str | None,
                  blueprint: str | None) -> str | None:
    """The key of the group the page being shown belongs to, to mark it as where you are: the
    group listing this very page, else the first listing a page of the same blueprint (an
    order's page belongs under "Orders")."""
    groups = [item for item in items if isinstance(item, MenuGroup)]
    for group in groups:
        if any(link.endpoint == endpoint for link in group.links):
            return group.key
    for group in groups:
        if blueprint and any(link.blueprint == blueprint for link in group.links):
            return group.key
    return None


def menu_context() -> dict:
    """Template context for base.html: this person's menu, and the group of the page shown."""
    if not has_request_context():
        return {}  # e-mails rendered by jobs have no menu
    role = current_user.role if current_user and current_user.is_authenticated else None
    items = menu_for(role)
    return {"main_menu": items,
            "main_menu_group": lambda: current_group(items, request.endpoint, request.blueprint)}
