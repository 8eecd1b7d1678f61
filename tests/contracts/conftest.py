import subprocess

import pytest

from marketplace.contracts import seal
from marketplace.core.files import storage_path


@pytest.fixture(autouse=True)
def signing_key(app):
    """The development seal key, made once for the test session."""
    key_path, cert_path = seal.key_paths()
    if not key_path.exists():
        seal.init_signing_key(key_path, cert_path, common_name="Test contract seal")
    return key_path, cert_path


def pdf_text(data: bytes) -> str:
    """The PDF's text as pdftotext (poppler) reads it, pages separated by form feeds."""
    result = subprocess.run(["pdftotext", "-layout", "-", "-"], input=data,
                            capture_output=True, check=True)
    return result.stdout.decode()


def stored(key: str) -> bytes:
    return storage_path(key).read_bytes()
