"""Security headers on every response."""

from __future__ import annotations

from flask import abort, request, session
from flask.sessions import SecureCookieSessionInterface

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
    "frame-ancestors 'none'"
)
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"


def _has_nul(value) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_nul(v) for v in value)
    return False


def reject_nul_characters():
    """NUL characters are never meaningful text, and PostgreSQL refuses them (a 500 otherwise)."""
    if "\x00" in request.path:
        abort(400, "The address contains a NUL character.")
    query = request.query_string  # a NUL in an argument is "%00" or a raw NUL in it
    if (b"%00" in query or b"\x00" in query) and _has_nul(list(request.args.values())):
        abort(400, "The address contains a NUL character.")
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return
    if request.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data"):
        if _has_nul([v for key in request.form for v in [key, *request.form.getlist(key)]]):
            abort(400, "The form contains a NUL character.")
    elif request.is_json and _has_nul(request.get_json(silent=True)):
        abort(400, "The request body contains a NUL character.")


class SessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions, with the signing serializer built once per set of keys
    (Flask builds it twice a request) and none at all for a request without a session
    cookie, the most common one."""

    def __init__(self):
        self.serializers: dict[tuple, object] = {}

    def get_signing_serializer(self, app):
        keys = (app.secret_key, *(app.config["SECRET_KEY_FALLBACKS"] or ()))
        serializer = self.serializers.get(keys)
        if serializer is None:
            serializer = self.serializers[keys] = super().get_signing_serializer(app)
        return serializer

    def open_session(self, app, request):
        if app.secret_key and not request.cookies.get(self.get_cookie_name(app)):
            return self.session_class()
        return super().open_session(app, request)


def register(app) -> None:
    app.session_interface = SessionInterface()
    app.before_request(reject_nul_characters)
    by_hsts = {False: _always(False), True: _always(True)}

    @app.after_request
    def headers(response):
        present = {name.lower() for name, _ in response.headers}
        response.headers.extend([
            (name, value) for name, value in by_hsts[bool(app.config.get("MARKETPLACE_HSTS"))]
            if name.lower() not in present])
        if _personal(response) and "cache-control" not in present:
            # a signed-in page or an authenticated API answer stays out of shared caches
            response.headers["Cache-Control"] = "private, no-store"
        return response


def _always(hsts: bool) -> list[tuple[str, str]]:
    """The headers every response carries (unless its view set them)."""
    found = [("Content-Security-Policy", CSP + ("; upgrade-insecure-requests" if hsts else "")),
             ("X-Content-Type-Options", "nosniff"), ("X-Frame-Options", "DENY"),
             ("Referrer-Policy", "strict-origin-when-cross-origin"),
             ("Cross-Origin-Opener-Policy", "same-origin"),
             ("Permissions-Policy", PERMISSIONS_POLICY)]
    if hsts:
        found.append(("Strict-Transport-Security", "max-age=31536000; includeSubDomains"))
    return found


def _personal(response) -> bool:
    if response.mimetype not in ("text/html", "application/json", "application/problem+json"):
        return False
    return "Authorization" in request.headers or "_user_id" in session
