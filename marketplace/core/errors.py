"""Domain errors. Views turn them into flash messages, the API into problem+json."""

from __future__ import annotations


class DomainError(Exception):
    """A rule of the marketplace refused the action. `status` is the HTTP answer."""

    status = 400
    title = "Request refused"

    def __init__(self, detail: str, *, errors: dict | None = None):
        super().__init__(detail)
        self.detail = detail
        self.errors = errors or {}


class ValidationFailed(DomainError):
    """Input is well-formed but breaks a rule; `errors` maps fields to messages."""

    status = 422
    title = "Invalid input"


class InvalidTransition(DomainError):
    """The object is not in a state that allows the action."""

    status = 409
    title = "Invalid state transition"


class Conflict(DomainError):
    """The action collides with existing data (a duplicate, a concurrent change)."""

    status = 409
    title = "Conflict"


class PermissionDenied(DomainError):
    """The actor may not do this."""

    status = 403
    title = "Forbidden"


class NotFound(DomainError):
    """No such object, or not visible to this actor."""

    status = 404
    title = "Not found"


class DeadlinePassed(DomainError):
    """A deadline enforced on the server has passed."""

    status = 409
    title = "Deadline passed"
