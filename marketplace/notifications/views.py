"""The inbox: notifications with an unread count, marking read, e-mail preferences."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from marketplace.core.errors import DomainError
from marketplace.core.pagination import paginate
from marketplace.extensions import db
from marketplace.notifications import inbox as service
from marketplace.notifications.kinds import label
from marketplace.notifications.models import Notification
from marketplace.notifications.queries import unread_count

bp = Blueprint("notifications", __name__, url_prefix="/notifications")


def _safe_next(target: str | None) -> str | None:
    from marketplace.accounts.views import safe_next

    return safe_next(target)


@bp.route("")
@login_required
def inbox():
    page = paginate(service.inbox_stmt(current_user), request.args.get("page"),
                    request.args.get("per_page"))
    return render_template("notifications/inbox.html", page=page,
                           unread=unread_count(current_user), label=label)


@bp.route("/<int:note_id>/read", methods=["POST"])
@login_required
def mark_read(note_id):
    note = service.mark_read(db.session.get(Notification, note_id), actor=current_user)
    db.session.commit()
    return redirect(_safe_next(request.form.get("next")) or _safe_next(note.link)
                    or url_for(".inbox"))


@bp.route("/read-all", methods=["POST"])
@login_required
def mark_all_read():
    service.mark_all_read(actor=current_user)
    db.session.commit()
    flash("Every notification is marked read.", "success")
    return redirect(url_for(".inbox"))


@bp.route("/preferences", methods=["GET", "POST"])
@login_required
def preferences():
    if request.method == "POST":
        wanted = set(request.form.getlist("email"))
        try:
            service.set_email_preferences(current_user, wanted, actor=current_user)
        except DomainError as exc:
            db.session.rollback()
            flash(exc.detail, "danger")
            return _preferences_page(), 422
        db.session.commit()
        flash("Your e-mail preferences are saved.", "success")
        return redirect(url_for(".preferences"))
    return _preferences_page()


def _preferences_page():
    return render_template("notifications/preferences.html",
                           choices=service.email_choices(current_user), label=label)
