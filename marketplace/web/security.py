"""Security headers on every response."""

from __future__ import annotations

from flask import abort, request, session

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
    if "\x00" in request.path or _has_nul(list(request.args.values())):
        abort(400, "The address contains a NUL character.")
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return
    if request.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data"):
        if _has_nul([v for key in request.form for v in [key, *request.form.getlist(key)]]):
            abort(400, "The form contains a NUL character.")
    elif request.is_json and _has_nul(request.get_json(silent=True)):
        abort(400, "The request body contains a NUL character.")


def register(app) -> None:
    app.before_request(reject_nul_characters)

    @app.after_request
    def headers(response):
        csp = CSP + ("; upgrade-insecure-requests" if app.config.get("MARKETPLACE_HSTS") else "")
        response.headers.setdefault("Content-Security-Policy", csp)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
        response.headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        if app.config.get("MARKETPLACE_HSTS"):
            response.headers.setdefault(
                "Strict-Transport-Security", "max-age=31536000; includeSubDomains"
            )
        if _personal(response):
            # a signed-in page or an authenticated API answer stays out of shared caches
            response.headers.setdefault("Cache-Control", "private, no-store")
        return response


def _personal(response) -> bool:
    if response.mimetype not in ("text/html", "application/json", "application/problem+json"):
        return False
    return "Authorization" in request.headers or "_user_id" in session
