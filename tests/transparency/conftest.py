import pytest

from marketplace.contracts import seal


@pytest.fixture
def signing_key(app):
    """The development seal key, for tests that sign contracts (made once a session)."""
    key_path, cert_path = seal.key_paths()
    if not key_path.exists():
        seal.init_signing_key(key_path, cert_path, common_name="Test contract seal")
    return key_path, cert_path
