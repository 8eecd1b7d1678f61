"""Broken access control: every object route, tried by every other role and organisation.

Generic over `app.url_map`: each GET route with an argument is requested with A's objects (see
`world.py`) as every user who must not see them. None may answer 200 with A's private
strings, and none may answer 5xx.
"""

from __future__ import annotations

from tests.security.world import bundles_for, object_get_rules


def test_every_object_route_is_covered(app, world):
    from tests.security.world import ENDPOINT_BUNDLES

    names = {name for bundle in world.bundles for name in bundle.args}
    uncovered = [
        f"{rule.endpoint} {rule.rule}" for rule in object_get_rules(app)
        if rule.endpoint not in ENDPOINT_BUNDLES and not set(rule.arguments) <= names
    ]
    assert not uncovered, (
        "These GET routes take arguments the IDOR sweep cannot fill; extend "
        "tests/security/world.py (a Bundle, ENDPOINT_BUNDLES or NOT_OBJECT_ROUTES):\n  "
        + "\n  ".join(uncovered)
    )


def test_no_outsider_sees_private_objects(app, world, fetch):
    leaks, errors, tried = [], [], 0
    for role in world.users:  # role outermost: one log-in each
        for rule in object_get_rules(app):
            for bundle in bundles_for(world, rule):
                if role not in bundle.outsiders:
                    continue
                response = fetch(rule, bundle.args, world.users[role])
                tried += 1
                body = response.get_data()
                if response.status_code >= 500:
                    errors.append(f"{rule.rule} as {role}: {response.status_code}")
                elif response.status_code == 200 and any(
                        marker.encode() in body for marker in bundle.markers):
                    leaks.append(f"{rule.endpoint} {rule.rule} shows the {bundle.name} "
                                 f"to {role}")
    assert not errors, "\n".join(errors)
    assert not leaks, "\n".join(leaks)
    print(f"IDOR sweep: {tried} requests by outsiders")


def test_owners_do_see_their_objects_somewhere(app, world, fetch):
    """The sweep would prove nothing if the markers were never shown: the owner of each object
    finds it on at least one of the routes that take it (when such routes exist)."""
    unseen = []
    for bundle in world.bundles:
        if not bundle.markers:
            continue
        rules = [r for r in object_get_rules(app) if r in _rules_fitting(app, world, bundle)]
        if not rules:
            continue
        owner = sorted(bundle.allowed - {"admin", "anonymous"})[0]
        seen = False
        for rule in rules:
            response = fetch(rule, bundle.args, world.users[owner])
            if response.status_code == 200 and any(
                    m.encode() in response.get_data() for m in bundle.markers):
                seen = True
                break
        if not seen:
            unseen.append(f"{bundle.name}: {owner} sees it on none of "
                          f"{[r.rule for r in rules]}")
    assert not unseen, "\n".join(unseen)


def _rules_fitting(app, world, bundle):
    return [rule for rule in object_get_rules(app) if bundle in bundles_for(world, rule)]
