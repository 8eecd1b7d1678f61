"""The platform's PAdES seal on final contracts (pyHanko), and checking it."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from flask import current_app

from marketplace.core.errors import DomainError

FIELD_NAME = "PlatformSeal"


class SealUnavailable(DomainError):
    status = 503
    title = "Contract seal unavailable"


def key_paths() -> tuple[Path, Path]:
    config = current_app.config
    return Path(config["MARKETPLACE_SIGNING_KEY"]), Path(config["MARKETPLACE_SIGNING_CERT"])


def init_signing_key(key_path: Path, cert_path: Path, *, common_name: str,
                     days: int = 825) -> None:
    """A self-signed RSA-3072 key and certificate, for development only.

    RSA, not EC: pyHanko marks an ECDSA seal with the ISO 32002 extension and raises the file
    to PDF 2.0, which PDF/A-3 (PDF 1.7) does not allow.
    """
    key = rsa.generate_private_key(public_exponent=65537, key_size=3072)
    name = x509.Name([
        x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Scenario Marketplace (development)"),
    ])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(digital_signature=True, content_commitment=True, key_cert_sign=True,
                          crl_sign=False, key_encipherment=False, data_encipherment=False,
                          key_agreement=False, encipher_only=False, decipher_only=False),
            critical=True,
        )
        .sign(key, hashes.SHA256())
    )
    key_path.parent.mkdir(parents=True, exist_ok=True)
    cert_path.parent.mkdir(parents=True, exist_ok=True)
    key_path.write_bytes(key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ))
    key_path.chmod(0o600)
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))


def _signer():
    from pyhanko.sign import signers

    key_path, cert_path = key_paths()
    if not key_path.is_file() or not cert_path.is_file():
        raise SealUnavailable(
            "The platform's signing key is missing; run `flask contracts init-signing-key` "
            "(development) or set MARKETPLACE_SIGNING_KEY and MARKETPLACE_SIGNING_CERT."
        )
    return signers.SimpleSigner.load(str(key_path), str(cert_path))


def seal_pdf(data: bytes) -> bytes:
    """`data` with the platform's PAdES seal appended as an incremental update."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    class _KeepMetadataWriter(IncrementalPdfFileWriter):
        # pyHanko would rewrite the XMP producer so that it no longer matches the Info
        # dictionary, which PDF/A forbids: the seal leaves the metadata alone.
        def _update_meta(self):
            return None

    writer = _KeepMetadataWriter(io.BytesIO(data))
    meta = signers.PdfSignatureMetadata(
        field_name=FIELD_NAME, md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        reason="Sealed by Scenario Marketplace after signature by both parties",
    )
    out = io.BytesIO()
    # a fixed reservation skips pyHanko's sizing dry run (about twice as fast)
    signers.PdfSigner(meta, signer=_signer()).sign_pdf(
        writer, output=out, bytes_reserved=8192
    )
    return out.getvalue()


@dataclass
class SealCheck:
    intact: bool
    trusted: bool
    coverage: str
    bottom_line: bool
    signer: str | None

    @property
    def ok(self) -> bool:
        return self.bottom_line and self.coverage == "ENTIRE_FILE"


def verify_seal(data: bytes) -> SealCheck:
    """Check the platform seal with pyHanko's validator against the platform certificate."""
    from pyhanko.keys import load_cert_from_pemder
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    _key_path, cert_path = key_paths()
    cert = load_cert_from_pemder(str(cert_path))
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        sigs = [s for s in reader.embedded_signatures if s.field_name == FIELD_NAME]
    except Exception:  # a damaged file is simply not a valid seal
        return SealCheck(False, False, "NONE", False, None)
    if not sigs:
        return SealCheck(False, False, "NONE", False, None)
    try:
        status = validate_pdf_signature(sigs[0], ValidationContext(trust_roots=[cert]))
    except Exception:  # pyHanko raises on some forms of damage
        return SealCheck(False, False, "NONE", False, None)
    return SealCheck(
        intact=bool(status.intact), trusted=bool(status.trusted),
        coverage=status.coverage.name if status.coverage else "NONE",
        bottom_line=bool(status.bottom_line),
        signer=status.signing_cert.subject.human_friendly if status.signing_cert else None,
    )
