"""The navigation bar: (endpoint, label, roles). `None` means everyone; links to endpoints
that are not registered are left out, so a domain adds its entries here and nothing breaks."""

from __future__ import annotations

from marketplace.accounts.models import Role

ANYONE = None
NAV: list[tuple[str, str, frozenset[Role] | None]] = [
    ("scenarios.index", "Scenarios", ANYONE),
    ("search.companies", "Companies", frozenset({Role.BUYER, Role.EVALUATOR, Role.ADMIN})),
    ("scenarios.agency_dashboard", "My agency", frozenset({Role.BUYER, Role.EVALUATOR})),
    ("evaluation.my_panels", "My panels", frozenset({Role.EVALUATOR, Role.BUYER})),
    ("bids.dashboard", "My bids", frozenset({Role.FOUNDER})),
    ("search.recommendations", "Recommended for you", frozenset({Role.FOUNDER})),
    ("companies.edit", "My company", frozenset({Role.FOUNDER})),
    ("contracts.register", "Contracts", ANYONE),
    ("transparency.index", "Transparency", ANYONE),
    ("accounts.staff", "Staff", frozenset({Role.BUYER})),
    ("admin.index", "Admin", frozenset({Role.ADMIN})),
    # transparency
    ("transparency.agency", "Agency figures", frozenset({Role.BUYER, Role.ADMIN})),
    ("transparency.audit_search", "Audit trail", frozenset({Role.ADMIN})),
]


# An external evaluator's account is limited to the scenarios of its panels: besides the public
# pages, it is offered only its panels, whatever its role would otherwise open.
EXTERNAL_ENDPOINTS = frozenset({"evaluation.my_panels"})


def nav_links(user, endpoints) -> list[tuple[str, str, frozenset | None]]:
    links = []
    # asked once, not per entry: `user` is often the request's proxy, and `roles` is rebuilt
    # from the role links on each read
    signed_in = user.is_authenticated
    user_roles = user.roles if signed_in else frozenset()
    external = bool(signed_in and user.external)
    for endpoint, label, roles in NAV:
        if endpoint not in endpoints:
            continue
        if roles is not None and user_roles.isdisjoint(roles):
            continue
        if external and roles is not None and endpoint not in EXTERNAL_ENDPOINTS:
            continue
        links.append((endpoint, label, roles))
    return links
