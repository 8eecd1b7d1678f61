"""Objects owned by organisation A, and who must not see them: the IDOR and XSS sweeps' data.

HOW TO EXTEND (every domain): a route argument is filled from the `Bundle`s below by its NAME
(`scenario_id`, `ref`, `bid_id`, ...). If your route uses a new argument name or needs an
object the world does not build yet, either
  * add the object to `build_world` and a `Bundle` (its argument names, the private MARKERS it
    carries and who may see them), or
  * register the endpoint in `ENDPOINT_BUNDLES` (a function `world -> [Bundle]`), or
  * list it in `NOT_OBJECT_ROUTES` with the reason it holds no private object.
`test_every_object_route_is_covered` fails until each GET route with an argument is covered.
"""

from __future__ import annotations

import io
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field

from marketplace.accounts.models import User
from marketplace.extensions import db
from tests import factories

# Who is who in the world. A, the owner side; B, another agency and another company.
ROLES = ("anonymous", "founder_a", "founder_b", "buyer_a", "buyer_b", "evaluator_a",
         "evaluator_b", "admin")


@dataclass
class Bundle:
    """Values for route arguments that belong together, the private strings they reveal and
    the users allowed to see those strings (everyone else must not)."""

    name: str
    args: dict[str, object]
    markers: list[str]
    allowed: set[str]
    # objects that users of other organisations must not change through these routes
    protects: list = field(default_factory=list)

    def fits(self, arguments) -> bool:
        return set(arguments) <= set(self.args)

    @property
    def outsiders(self) -> list[str]:
        return [role for role in ROLES if role not in self.allowed]


@dataclass
class World:
    users: dict[str, User | None]
    objects: dict[str, object]
    bundles: list[Bundle] = field(default_factory=list)


def _marker(label: str) -> str:
    return f"PRIVATE-{label}-{secrets.token_hex(4)}"


_hashes: dict[str, str] = {}


def _hash_once(password: str) -> str:
    # scrypt is slow on purpose; the sweeps log in hundreds of times and test access, not
    # password storage (tests/accounts does)
    from werkzeug.security import generate_password_hash

    if password not in _hashes:
        _hashes[password] = generate_password_hash(password, method="pbkdf2:sha256:1")
    return _hashes[password]


def build_world() -> World:
    """Two agencies, two companies, an admin, and A's private objects with markers in them."""
    from unittest import mock

    from marketplace.accounts import services as accounts

    with mock.patch.object(accounts, "hash_password", _hash_once):
        return _build_world()


def _build_world() -> World:
    from marketplace.accounts import services as accounts
    from marketplace.bids.models import EvidenceFile
    from marketplace.core.files import store_upload
    from marketplace.scenarios.models import Question
    from marketplace.scenarios.states import ScenarioState

    agency_a, agency_b = factories.create_agency(), factories.create_agency()
    company_a, company_b = factories.create_company(), factories.create_company()
    users = {
        "anonymous": None,
        "founder_a": factories.create_founder(company=company_a),
        "founder_b": factories.create_founder(company=company_b),
        "buyer_a": factories.create_buyer(agency=agency_a),
        "buyer_b": factories.create_buyer(agency=agency_b),
        "evaluator_a": factories.create_evaluator(agency=agency_a),
        "evaluator_b": factories.create_evaluator(agency=agency_b),
        "admin": factories.create_admin(),
    }
    m = {key: _marker(key) for key in ("draft", "bid", "evidence", "question", "token",
                                       "document", "contract", "receipt")}
    draft = factories.create_scenario(agency_a, state=ScenarioState.DRAFT, title=m["draft"],
                                      summary=m["draft"])
    published = factories.create_scenario(agency_a)
    factories.create_profile(company_a)
    bid = factories.create_bid(published, company_a, approach=m["bid"])
    stored = store_upload(io.BytesIO(f"%PDF-1.4\n% {m['evidence']}\n".encode()),
                          f"{m['evidence']}.pdf", allowed={"pdf"})
    evidence = EvidenceFile(bid=bid, storage_key=stored.storage_key,
                            original_name=stored.original_name,
                            content_type=stored.content_type, size=stored.size,
                            sha256=stored.sha256)
    question = Question(scenario=published, asked_by=users["founder_a"], company=company_a,
                        text=m["question"])
    db.session.add_all([evidence, question])
    _clear, token = accounts.issue_token(users["founder_a"], name=m["token"], personal=True)
    db.session.commit()
    document = _draft_document(draft, m["document"])
    contract = _draft_contract(agency_a, company_a, users["buyer_a"], m["contract"])
    receipt_bid = factories.submit_bid(factories.create_scenario(agency_a), users["founder_a"],
                                       approach=m["receipt"])
    objects = {"agency_a": agency_a, "company_a": company_a, "draft": draft,
               "published": published, "bid": bid, "evidence": evidence,
               "question": question, "token": token, "document": document,
               "contract": contract, "receipt_bid": receipt_bid, "markers": m}
    world = World(users=users, objects=objects)
    world.bundles = default_bundles(world, m)
    return world


def _draft_document(draft, marker: str):
    from marketplace.core.files import store_upload
    from marketplace.scenarios.models import ScenarioDocument

    stored = store_upload(io.BytesIO(f"%PDF-1.4\n% {marker}\n".encode()), f"{marker}.pdf",
                          allowed={"pdf"})
    document = ScenarioDocument(scenario=draft, title=marker, **stored.__dict__)
    db.session.add(document)
    db.session.commit()
    return document


def _draft_contract(agency, company, buyer, marker: str):
    """A contract between A's agency and A's company, not signed yet (so private)."""
    import datetime as dt

    from marketplace.core.time import utcnow
    from marketplace.scenarios.states import ScenarioState

    scenario = factories.create_scenario(agency, state=ScenarioState.AWARDED,
                                         deadline=utcnow() - dt.timedelta(days=20))
    award = factories.create_award(scenario, factories.create_bid(scenario, company))
    return factories.create_contract(award, buyer=buyer, rendered=False,
                                     special_conditions=marker)


def _scenario_args(scenario) -> dict:
    from marketplace.transparency.ocds import ocid

    return {"scenario_id": scenario.id, "ref": scenario.reference,
            "reference": scenario.reference, "scenario_ref": scenario.reference,
            "ocid": ocid(scenario)}


def default_bundles(world: World, m: dict[str, str]) -> list[Bundle]:
    o = world.objects
    bid_args = {**_scenario_args(o["published"]), "bid_id": o["bid"].id}
    return [
        # a draft scenario is its agency's business (and the admin's)
        Bundle("draft scenario", _scenario_args(o["draft"]), [m["draft"]],
               {"buyer_a", "evaluator_a", "admin"}, [o["draft"]]),
        # a published scenario is public, and only its agency changes it
        Bundle("published scenario", _scenario_args(o["published"]), [], set(ROLES),
               [o["published"]]),
        # a bid is sealed before the deadline: only its company sees it, not even the admin
        Bundle("sealed bid", bid_args, [m["bid"], m["evidence"]], {"founder_a"}, [o["bid"]]),
        Bundle("evidence file", {**bid_args, "evidence_id": o["evidence"].id,
                                 "file_id": o["evidence"].id,
                                 "key": o["evidence"].storage_key},
               [m["evidence"]], {"founder_a"}, [o["evidence"], o["bid"]]),
        # an unanswered question is seen by its asker and the agency
        Bundle("unanswered question", {**_scenario_args(o["published"]),
                                       "question_id": o["question"].id},
               [m["question"]], {"founder_a", "buyer_a", "evaluator_a", "admin"},
               [o["question"]]),
        Bundle("personal token", {"token_id": o["token"].id}, [m["token"]],
               {"founder_a", "admin"}, [o["token"]]),
        Bundle("company A's organisation", {"organisation_id": o["company_a"].id,
                                            "company_id": o["company_a"].id}, [], set(ROLES),
               [o["company_a"]]),
        Bundle("agency A's organisation", {"agency_id": o["agency_a"].id}, [], set(ROLES),
               [o["agency_a"]]),
        Bundle("founder A's user", {"user_id": world.users["founder_a"].id}, [],
               {"founder_a", "admin"}, [world.users["founder_a"]]),
        # a document of a draft: the agency's business
        Bundle("draft's document", {**_scenario_args(o["draft"]),
                                    "document_id": o["document"].id},
               [m["document"]], {"buyer_a", "evaluator_a", "admin"}, [o["document"]]),
        # a contract not signed yet: its parties (the agency's buyers, the founder) and admins
        Bundle("unsigned contract", {"number": o["contract"].number,
                                     "award_id": o["contract"].award_id},
               [m["contract"]], {"buyer_a", "founder_a", "admin"}, [o["contract"]]),
    ]


def _receipt(world: World) -> list[Bundle]:
    o = world.objects
    return [Bundle("bid receipt", {"bid_id": o["receipt_bid"].id, "number": 1},
                   [o["markers"]["receipt"]], {"founder_a"}, [o["receipt_bid"]])]


def _file_of_another_object(world: World) -> list[Bundle]:
    # a contract's file route must not serve a file that belongs to something else
    o = world.objects
    return [Bundle("evidence through a contract", {"number": o["contract"].number,
                                                   "file_id": o["evidence"].id},
                   [o["markers"]["evidence"]], set())]


def _guessed_token(world: World) -> list[Bundle]:
    # capability links: whoever holds the token may use it; a guessed one opens nothing
    return [Bundle("guessed token", {"token": secrets.token_urlsafe(32)},
                   [m for m in world.objects["markers"].values()], set())]


def _public_chart(world: World) -> list[Bundle]:
    from marketplace.transparency.charts import public_charts

    m = world.objects["markers"]
    return [Bundle(f"public chart {name}", {"name": name}, [m["draft"], m["bid"]], set())
            for name in public_charts()]


def _agency_chart(world: World) -> list[Bundle]:
    from marketplace.transparency.charts import agency_charts

    m = world.objects["markers"]
    return [Bundle(f"agency chart {name}", {"name": name}, [m["draft"], m["bid"]],
                   {"buyer_a", "evaluator_a", "admin"})
            for name in agency_charts(world.objects["agency_a"].id)]


def _export(world: World) -> list[Bundle]:
    from marketplace.transparency.exports import EXPORTS

    m = world.objects["markers"]
    return [Bundle(f"export {name}", {"name": name}, [m["draft"], m["bid"], m["contract"]],
                   set()) for name in EXPORTS]


# endpoint -> function(world) -> bundles, for routes whose arguments the defaults do not fit
ENDPOINT_BUNDLES: dict[str, Callable[[World], list[Bundle]]] = {
    "bids.receipt": _receipt,
    "bids.receipt_json": _receipt,
    "contracts.milestone_file": _file_of_another_object,
    "accounts.accept_invitation": _guessed_token,
    "evaluation.accept_invitation": _guessed_token,
    "accounts.reset_password": _guessed_token,
    "accounts.signup_agency_confirm": _guessed_token,
    "accounts.confirm_email": _guessed_token,
    "transparency.public_chart": _public_chart,
    "transparency.agency_chart": _agency_chart,
    "transparency.export": _export,
}

# endpoints with arguments that hold no private object, with the reason
NOT_OBJECT_ROUTES: dict[str, str] = {
    "static": "static assets",
    "bootstrap.static": "Bootstrap's assets",
}


def bundles_for(world: World, rule) -> list[Bundle]:
    if rule.endpoint in ENDPOINT_BUNDLES:
        return ENDPOINT_BUNDLES[rule.endpoint](world)
    return [bundle for bundle in world.bundles if bundle.fits(rule.arguments)]


def object_get_rules(app):
    """Every GET route with arguments, except those declared to hold no object."""
    return sorted(
        (rule for rule in app.url_map.iter_rules()
         if "GET" in rule.methods and rule.arguments
         and rule.endpoint not in NOT_OBJECT_ROUTES),
        key=lambda rule: rule.rule,
    )


def plain_get_rules(app):
    """Every GET route without arguments."""
    return sorted((rule for rule in app.url_map.iter_rules()
                   if "GET" in rule.methods and not rule.arguments), key=lambda r: r.rule)
