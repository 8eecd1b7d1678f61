"""Each search test gets its own empty index directory."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def fresh_index(app, tmp_path):
    """An empty index for this test (the database is rolled back; the index must be too)."""
    previous = app.config["MARKETPLACE_INDEX_DIR"]
    app.config["MARKETPLACE_INDEX_DIR"] = str(tmp_path / "index")
    yield tmp_path / "index"
    stores = app.extensions.get("search_stores", {})
    store = stores.pop(str(tmp_path / "index"), None)
    if store is not None:
        store.close()
    app.config["MARKETPLACE_INDEX_DIR"] = previous
