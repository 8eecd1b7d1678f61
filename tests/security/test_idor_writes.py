"""Broken access control on writes: every state-changing route with an object argument, tried
by users of OTHER organisations (and anonymously) on A's objects, changes none of them and
never answers 5xx. Generic over `app.url_map`, like the read sweep (see `world.py`)."""

from __future__ import annotations

from marketplace.extensions import db
from tests.security.world import bundles_for

STATE_CHANGING = {"POST", "PUT", "PATCH", "DELETE"}
FOREIGN = ("anonymous", "founder_b", "buyer_b", "evaluator_b")


def object_write_rules(app):
    return sorted((rule for rule in app.url_map.iter_rules()
                   if rule.methods & STATE_CHANGING and rule.arguments),
                  key=lambda rule: rule.rule)


def state_of(objects) -> list:
    """Every column of each object, read fresh from the database (None once deleted)."""
    db.session.expire_all()
    states = []
    for cls, pk in objects:
        obj = db.session.get(cls, pk)
        states.append(None if obj is None else
                      {c.key: getattr(obj, c.key) for c in obj.__mapper__.column_attrs})
    return states


def test_no_foreign_user_changes_a_private_object(app, world, fetch):
    changed, errors, tried = [], [], 0
    for role in FOREIGN:  # role outermost: one log-in each
        for rule in object_write_rules(app):
            for bundle in (b for b in bundles_for(world, rule) if b.protects):
                objects = [(type(o), o.id) for o in bundle.protects]
                for method in sorted(rule.methods & STATE_CHANGING):
                    before = state_of(objects)
                    response = fetch(rule, bundle.args, world.users[role], method=method)
                    tried += 1
                    if response.status_code >= 500:
                        errors.append(f"{method} {rule.rule} as {role}: "
                                      f"{response.status_code}")
                    if state_of(objects) != before:
                        changed.append(f"{method} {rule.rule} as {role} changed the "
                                       f"{bundle.name}")
    assert not errors, "\n".join(errors)
    assert not changed, "\n".join(changed)
    print(f"write sweep: {tried} requests by other organisations")


def test_the_sweep_notices_a_change(world):
    """`state_of` sees a changed column and a deleted object (so the sweep can fail)."""
    draft = world.objects["draft"]
    objects = [(type(draft), draft.id), (type(world.objects["token"]), world.objects["token"].id)]
    before = state_of(objects)
    draft.title = "changed"
    db.session.delete(world.objects["token"])
    db.session.commit()
    after = state_of(objects)
    assert after[0]["title"] == "changed" and after[1] is None and after != before
