"""`flask contracts ...` and the demo seeder."""

from marketplace.contracts import demo, seal
from marketplace.contracts.models import Contract
from marketplace.contracts.states import ContractState
from marketplace.core.files import storage_path
from marketplace.extensions import db
from tests import factories


def test_init_signing_key_refuses_to_overwrite_without_force(app, tmp_path):
    runner = app.test_cli_runner()
    old = app.config["MARKETPLACE_SIGNING_KEY"], app.config["MARKETPLACE_SIGNING_CERT"]
    app.config["MARKETPLACE_SIGNING_KEY"] = str(tmp_path / "k" / "key.pem")
    app.config["MARKETPLACE_SIGNING_CERT"] = str(tmp_path / "k" / "cert.pem")
    try:
        result = runner.invoke(args=["contracts", "init-signing-key"])
        assert result.exit_code == 0, result.output
        assert (tmp_path / "k" / "key.pem").read_bytes().startswith(b"-----BEGIN PRIVATE KEY")
        assert (tmp_path / "k" / "key.pem").stat().st_mode & 0o077 == 0
        first = (tmp_path / "k" / "cert.pem").read_bytes()
        result = runner.invoke(args=["contracts", "init-signing-key"])
        assert result.exit_code != 0 and "--force" in result.output
        result = runner.invoke(args=["contracts", "init-signing-key", "--force"])
        assert result.exit_code == 0 and (tmp_path / "k" / "cert.pem").read_bytes() != first
    finally:
        app.config["MARKETPLACE_SIGNING_KEY"], app.config["MARKETPLACE_SIGNING_CERT"] = old


def test_verify_command(app, tmp_path):
    contract = factories.create_contract(signed=True)
    good = tmp_path / "good.pdf"
    good.write_bytes(storage_path(contract.final_storage_key).read_bytes())
    runner = app.test_cli_runner()
    result = runner.invoke(args=["contracts", "verify", str(good)])
    assert result.exit_code == 0 and "The seal verifies." in result.output
    bad = tmp_path / "bad.pdf"
    data = bytearray(good.read_bytes())
    data[len(data) // 2] ^= 0x01
    bad.write_bytes(bytes(data))
    result = runner.invoke(args=["contracts", "verify", str(bad)])
    assert result.exit_code != 0
    assert seal.verify_seal(b"not a pdf").ok is False


def test_render_pending_renders_what_is_missing(app):
    contract = factories.create_contract(rendered=False)
    assert not contract.current_version.rendered
    result = app.test_cli_runner().invoke(args=["contracts", "render-pending"])
    assert result.exit_code == 0, result.output
    db.session.refresh(contract.current_version)
    assert contract.current_version.rendered


def test_demo_seed_makes_a_signed_contract_once(app):
    from marketplace.accounts import demo as accounts_demo

    accounts_demo.seed()
    lines = demo.seed()
    assert any("signed and sealed" in line for line in lines)
    contract = db.session.query(Contract).one()
    assert contract.state == ContractState.ACTIVE and contract.final_sha256
    assert sum(m.amount for m in contract.milestones) == contract.price
    assert [str(m.amount) for m in contract.milestones] == ["128820.45", "128820.45",
                                                            "128859.10"]
    assert demo.seed() == []
    assert db.session.query(Contract).count() == 1
