"""Log in, log out, the account page (password, personal tokens) and password reset."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import (
    Blueprint,
    abort,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user, login_required, login_user, logout_user

from marketplace.accounts import confirmation, passwords, services
from marketplace.accounts.forms import (
    ChangePasswordForm,
    ForgotPasswordForm,
    LoginForm,
    ResetPasswordForm,
    TokenForm,
)
from marketplace.accounts.models import ApiToken
from marketplace.core.errors import DomainError
from marketplace.core.sqlite import before_write
from marketplace.extensions import db, limiter

bp = Blueprint("accounts", __name__)


def safe_next(target: str | None) -> str | None:
    """Only a path on this site: no scheme, no host, no `//` or backslash tricks."""
    if not target:
        return None
    target = target.strip()
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    if "\\" in target or any(ord(ch) < 32 for ch in target):
        return None
    return target


def show_errors(form, error: DomainError) -> None:
    """Put a domain error on the form: the message on top, field messages by their fields."""
    db.session.rollback()
    flash(error.detail, "danger")
    form.error_status = error.status
    for name, messages in (error.errors or {}).items():
        field = getattr(form, name, None)
        if field is not None and hasattr(field, "errors"):
            field.errors = list(field.errors or []) + [str(m) for m in messages]


def form_status(form) -> int:
    """200 for a fresh form; for one sent back, the status of its error (422 by default)."""
    if request.method != "POST":
        return 200
    return getattr(form, "error_status", 422)


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit("20 per minute", methods=["POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("web.home"))
    form = LoginForm()
    if form.validate_on_submit():
        try:
            user = services.authenticate(form.email.data, form.password.data)
        except services.LockedOut as exc:
            db.session.commit()
            flash(exc.detail, "danger")
            return render_template("accounts/login.html", form=form), 429
        db.session.commit()
        if user is None:
            flash("Wrong e-mail or password.", "danger")
            return render_template("accounts/login.html", form=form), 200
        session.clear()  # a fresh session on log-in (no fixation)
        login_user(user, remember=form.remember.data)
        flash(f"Welcome, {user.name}.", "success")
        return redirect(safe_next(request.args.get("next")) or url_for("web.home"))
    return render_template("accounts/login.html", form=form), form_status(form)


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    logout_user()
    session.clear()
    flash("You have logged out.", "info")
    return redirect(url_for("web.home"))


def _account_page(*, password_form=None, token_form=None, new_token=None, status=200):
    response = render_template(
        "accounts/account.html",
        password_form=password_form or ChangePasswordForm(formdata=None),
        token_form=token_form or TokenForm(formdata=None),
        tokens=services.personal_tokens(current_user),
        new_token=new_token,
    )
    headers = {"Cache-Control": "no-store"} if new_token else {}
    return response, status, headers


@bp.route("/account")
@login_required
def account():
    return _account_page()


@bp.route("/account/password", methods=["POST"])
@login_required
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            services.change_password(current_user, form.current_password.data,
                                     form.new_password.data, actor=current_user)
        except DomainError as exc:
            show_errors(form, exc)
        else:
            db.session.commit()
            login_user(current_user._get_current_object())  # the session follows the new stamp
            flash("Your password has been changed. Other sessions have been logged out.",
                  "success")
            return redirect(url_for("accounts.account"))
    return _account_page(password_form=form, status=form_status(form))


@bp.route("/account/tokens", methods=["POST"])
@login_required
@limiter.limit("20 per hour")
def create_token():
    form = TokenForm()
    if form.validate_on_submit():
        try:
            clear, _token = services.create_personal_token(
                current_user, form.name.data, actor=current_user)
        except DomainError as exc:
            show_errors(form, exc)
        else:
            db.session.commit()
            return _account_page(new_token=clear, status=201)
    return _account_page(token_form=form, status=form_status(form))


@bp.route("/account/tokens/<int:token_id>/revoke", methods=["POST"])
@login_required
def revoke_token(token_id: int):
    token = db.session.get(ApiToken, token_id)
    if token is None or token.user_id != current_user.id:
        abort(404)
    services.revoke_token(token, actor=current_user)
    db.session.commit()
    flash(f"The token “{token.name}” has been revoked.", "info")
    return redirect(url_for("accounts.account"))


@bp.route("/account/confirm/<token>")
def confirm_email(token: str):
    """The link of the confirmation e-mail: opening it confirms the address."""
    before_write()
    try:
        user = confirmation.confirm_email(token)
    except DomainError as exc:
        return render_template("accounts/link_invalid.html", detail=exc.detail), exc.status
    db.session.commit()
    flash(f"Thank you: {user.email} is confirmed. You can now submit bids.", "success")
    return redirect(url_for("accounts.account" if current_user.is_authenticated
                            else "accounts.login"))


@bp.route("/account/confirm", methods=["POST"])
@login_required
@limiter.limit("5 per hour")
def resend_confirmation():
    if current_user.email_confirmed_at is not None:
        flash("Your e-mail address is already confirmed.", "info")
    else:
        confirmation.send_confirmation(current_user)
        db.session.commit()
        flash(f"We sent a new confirmation link to {current_user.email}.", "info")
    return redirect(url_for("accounts.account"))


@bp.route("/forgot-password", methods=["GET", "POST"])
@limiter.limit("5 per minute", methods=["POST"])
def forgot_password():
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        passwords.request_password_reset(form.email.data)
        db.session.commit()
        # the same answer whether or not the address has an account
        flash("If an account has this e-mail address, we have sent it a link to choose a new "
              "password. The link works for one hour.", "info")
        return redirect(url_for("accounts.login"))
    return render_template("accounts/forgot_password.html", form=form), form_status(form)


@bp.route("/reset-password/<token>", methods=["GET", "POST"])
@limiter.limit("10 per minute", methods=["POST"])
def reset_password(token: str):
    try:
        passwords.user_for_reset_token(token)
    except DomainError as exc:
        return render_template("accounts/reset_invalid.html", detail=exc.detail), exc.status
    form = ResetPasswordForm()
    if form.validate_on_submit():
        try:
            passwords.reset_password(token, form.password.data)
        except DomainError as exc:
            show_errors(form, exc)
        else:
            db.session.commit()
            logout_user()
            flash("Your password has been changed. Log in with the new one.", "success")
            return redirect(url_for("accounts.login"))
    return render_template("accounts/reset_password.html", form=form), form_status(form)


from marketplace.accounts import signup_views  # noqa: E402,F401 - routes on the same blueprint
