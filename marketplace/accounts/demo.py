"""Demo accounts with known passwords (printed by `make run`)."""

from __future__ import annotations

from marketplace.accounts import services
from marketplace.accounts.models import OrgKind, Role
from marketplace.core.time import utcnow

DEMO_PASSWORD = "demo-password-2026"  # noqa: S105 - published on purpose for the demo

AGENCIES = [
    ("Shenzhen Health Commission", "Shenzhen", "sz-health.example.gov.cn", "sz"),
    ("Hangzhou Port and Logistics Bureau", "Hangzhou", "hz-port.example.gov.cn", "hz"),
]
COMPANIES = [
    ("TriageFlow AI", "Shenzhen", "lin@triageflow.example", "Lin Wei"),
    ("DockPilot", "Hangzhou", "chen@dockpilot.example", "Chen Jing"),
    ("GreenRoute Logistics", "Hangzhou", "wang@greenroute.example", "Wang Fang"),
]

# email -> (name, role, organisation)
ACCOUNTS: list[tuple[str, str, Role, str | None]] = [("admin@marketplace.example", "Platform Admin",
                                                      Role.ADMIN, None)]
for _agency, _region, _domain, _short in AGENCIES:
    ACCOUNTS += [
        (f"buyer@{_domain}", f"{_short.upper()} Buyer", Role.BUYER, _agency),
        (f"evaluator1@{_domain}", f"{_short.upper()} Evaluator One", Role.EVALUATOR, _agency),
        (f"evaluator2@{_domain}", f"{_short.upper()} Evaluator Two", Role.EVALUATOR, _agency),
    ]
for _company, _region, _email, _founder in COMPANIES:
    ACCOUNTS.append((_email, _founder, Role.FOUNDER, _company))


def seed() -> list[str]:
    """Create the demo organisations and users when missing."""
    from marketplace.accounts.models import AllowedDomain
    from marketplace.extensions import db

    orgs = {}
    for name, region, domain, _short in AGENCIES:
        org = services.get_or_create_organisation(
            name, OrgKind.AGENCY, region=region, verified=True, verified_at=utcnow(),
            registration_number=f"GOV-{440300 + len(orgs)}",
            address=f"1 Civic Centre Road, {region}",
        )
        orgs[name] = org
        if not db.session.query(AllowedDomain).filter_by(domain=domain).first():
            db.session.add(AllowedDomain(domain=domain, agency_id=org.id))
    for name, region, _email, _founder in COMPANIES:
        orgs[name] = services.get_or_create_organisation(
            name, OrgKind.COMPANY, region=region, verified=True, verified_at=utcnow(),
            registration_number=f"9144{len(orgs):04d}MA5D",
            address=f"Innovation Park, {region}",
        )
    lines = ["", f"Demo logins (password for all: {DEMO_PASSWORD}):"]
    for email, name, role, org_name in ACCOUNTS:
        if services.find_user_by_email(email) is None:
            services.create_user(
                email, name, DEMO_PASSWORD, roles=[role],
                organisation=orgs.get(org_name) if org_name else None,
            )
        lines.append(f"  {role.value:<10} {email}" + (f"  ({org_name})" if org_name else ""))
    return lines
