"""Uploads: the type comes from the content, not the name; polyglots, huge files, zip bombs
dressed as spreadsheets and path tricks in names are refused or neutralised."""

from __future__ import annotations

import io
import zipfile

import pytest

from marketplace.core.errors import ValidationFailed
from marketplace.core.files import safe_name, storage_path, store_upload

EVIDENCE = {"pdf", "png", "jpeg", "csv", "xlsx"}


@pytest.mark.parametrize(("content", "name"), [
    (b"<html><script>alert(1)</script></html>", "report.pdf"),
    (b"GIF89a/*<script>alert(1)</script>*/", "chart.png"),
    (b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>", "results.csv"),
    (b"#!/bin/sh\nrm -rf /\n", "results.csv"),
    (b"MZ\x90\x00\x03" + b"\x00" * 64, "results.xlsx"),
    (b"PK\x03\x04not really a zip", "results.xlsx"),
])
def test_content_that_is_not_an_accepted_type_is_refused(app, content, name):
    with pytest.raises(ValidationFailed, match="not an accepted type"):
        store_upload(io.BytesIO(content), name, allowed=EVIDENCE)


def test_a_pdf_is_stored_under_a_random_key_as_a_pdf(app):
    polyglot = b"%PDF-1.4\n<html><script>alert(1)</script></html>\n"
    stored = store_upload(io.BytesIO(polyglot), "../../etc/passwd.html", allowed=EVIDENCE)
    assert stored.content_type == "application/pdf"  # served as what it is, never as HTML
    assert stored.original_name == "passwd.html"
    assert storage_path(stored.storage_key).read_bytes() == polyglot


def test_a_file_over_the_limit_is_refused(app):
    limit = app.config["MARKETPLACE_UPLOAD_MAX_BYTES"]
    with pytest.raises(ValidationFailed, match="larger than the limit"):
        store_upload(io.BytesIO(b"%PDF-1.4\n" + b"0" * limit), "big.pdf", allowed=EVIDENCE)


def test_a_zip_bomb_dressed_as_a_spreadsheet_is_refused(app):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member:
            zeros = b"\0" * (1 << 20)
            for _ in range(201):
                member.write(zeros)
    assert len(buffer.getvalue()) < app.config["MARKETPLACE_UPLOAD_MAX_BYTES"]
    with pytest.raises(ValidationFailed, match="not an accepted type"):
        store_upload(io.BytesIO(buffer.getvalue()), "results.xlsx", allowed=EVIDENCE)


@pytest.mark.parametrize("key", ["../etc/passwd", "ab/../../x", "", "ABCDEF", "a\x00b"])
def test_storage_keys_cannot_leave_the_storage_folder(app, key):
    with pytest.raises(ValueError):
        storage_path(key)


@pytest.mark.parametrize(("raw", "clean"), [
    ("..\\..\\windows\\win.ini", "win.ini"), ("/etc/passwd", "passwd"),
    ("re<script>port.pdf", "rescriptport.pdf"), ("\x00\x1f.pdf", "pdf"), ("", "file"),
])
def test_file_names_are_cleaned(raw, clean):
    assert safe_name(raw) == clean
