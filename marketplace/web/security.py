"""Security headers on every response."""

from __future__ import annotations

from flask import request, session

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
    "frame-ancestors 'none'"
)
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"


def register(app) -> None:
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
