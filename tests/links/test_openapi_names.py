"""Every API schema has its own name in the OpenAPI document: building it warns of nothing."""

import warnings

from marketplace import create_app
from marketplace.extensions import limiter


def test_building_the_spec_emits_no_warning(tmp_path):
    enabled = limiter.enabled
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        app = create_app({
            "TESTING": True, "ENV_NAME": "testing", "SECRET_KEY": "test-secret",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'spec.db'}",
            "MARKETPLACE_INDEX_DIR": str(tmp_path / "index"),
            "MARKETPLACE_STORAGE_DIR": str(tmp_path / "files"),
        })
        spec = app.extensions["flask-smorest"]["apis"][""]["ext_obj"].spec.to_dict()
    limiter.enabled = enabled
    messages = [str(w.message) for w in caught if "schema" in str(w.message).lower()]
    assert messages == []
    schemas = spec["components"]["schemas"]
    assert {"AwardReason", "OptionalReason", "RequiredReason"} <= set(schemas)
    assert "Reason" not in schemas and "Reason1" not in schemas
