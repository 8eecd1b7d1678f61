import pytest
from sqlalchemy import select

from marketplace.accounts.models import Organisation, OrgKind, Role, User
from marketplace.extensions import db

PASSWORD = "provisioned-password-1"


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


def user(email):
    return db.session.scalar(select(User).where(User.email == email))


def test_create_admin(runner):
    result = runner.invoke(args=["users", "create-admin", "--email", "Root@Example.org",
                                 "--password-stdin"], input=PASSWORD + "\n")
    assert result.exit_code == 0, result.output
    assert user("root@example.org").roles == {Role.ADMIN}


@pytest.mark.parametrize("role,kind", [("buyer", OrgKind.AGENCY), ("evaluator", OrgKind.AGENCY),
                                       ("founder", OrgKind.COMPANY)])
def test_create_user_creates_org_with_implied_kind(runner, role, kind):
    result = runner.invoke(args=["users", "create", f"{role}@script.example", "--role", role,
                                 "--org", "Scripted Org", "--password-stdin"],
                           input=PASSWORD + "\n")
    assert result.exit_code == 0, result.output
    created = user(f"{role}@script.example")
    assert created.organisation.kind == kind and created.organisation.name == "Scripted Org"


def test_create_user_reuses_existing_org(runner, dummy_agency):
    result = runner.invoke(args=["users", "create", "b@script.example", "--role", "buyer",
                                 "--org", dummy_agency.name, "--password-stdin"],
                           input=PASSWORD + "\n")
    assert result.exit_code == 0, result.output
    assert user("b@script.example").organisation_id == dummy_agency.id


@pytest.mark.parametrize("args,password,message", [
    (["users", "create", "not-an-email", "--role", "buyer", "--org", "X"], PASSWORD,
     "not a valid e-mail"),
    (["users", "create", "a@script.example", "--role", "buyer", "--org", "X"], "short",
     "at least 12"),
    (["users", "create", "a@script.example", "--role", "buyer"], PASSWORD, "--org is required"),
    (["users", "create", "a@script.example", "--role", "king", "--org", "X"], PASSWORD,
     "Invalid value"),
    (["users", "create-admin", "--email", "bad@", "--password-stdin"], PASSWORD,
     "not a valid e-mail"),
])
def test_bad_input_is_a_clear_error(runner, args, password, message):
    if "--password-stdin" not in args:
        args = [*args, "--password-stdin"]
    result = runner.invoke(args=args, input=password + "\n")
    assert result.exit_code != 0
    assert message in result.output
    assert db.session.scalar(select(User)) is None
    assert db.session.scalar(select(Organisation).where(Organisation.name == "X")) is None


def test_duplicate_email_is_refused(runner, dummy_buyer):
    result = runner.invoke(args=["users", "create", dummy_buyer.email.upper(), "--role", "admin",
                                 "--password-stdin"], input=PASSWORD + "\n")
    assert result.exit_code != 0 and "already exists" in result.output


def test_demo_accounts_seed_is_idempotent():
    from marketplace.accounts.demo import seed

    lines = seed()
    db.session.commit()
    count = len(db.session.scalars(select(User)).all())
    again = seed()
    db.session.commit()
    assert len(db.session.scalars(select(User)).all()) == count == 10
    assert lines == again and any("admin@marketplace.example" in line for line in lines)
    assert user("buyer@sz-health.example.gov.cn").roles == {Role.BUYER}
