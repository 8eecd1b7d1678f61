"""Page arguments shared by pages and the API."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Select, func, select

from marketplace.extensions import db

MAX_PER_PAGE = 100


@dataclass
class Page:
    items: list
    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


def clamp(page, per_page, default: int = 20) -> tuple[int, int]:
    """Sane page numbers from untrusted input."""
    try:
        page = max(1, int(page or 1))
    except (TypeError, ValueError):
        page = 1
    try:
        per_page = min(MAX_PER_PAGE, max(1, int(per_page or default)))
    except (TypeError, ValueError):
        per_page = default
    return min(page, 100_000), per_page


def paginate(stmt: Select, page, per_page, default: int = 20) -> Page:
    """Run `stmt` for one page and count the whole."""
    page, per_page = clamp(page, per_page, default)
    total = db.session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery()))
    items = list(db.session.scalars(stmt.limit(per_page).offset((page - 1) * per_page)))
    return Page(items=items, page=page, per_page=per_page, total=total or 0)
