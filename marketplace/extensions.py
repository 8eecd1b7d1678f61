"""Extension objects, created unbound and initialised by `create_app`."""

from flask_bootstrap import Bootstrap5
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect

from marketplace.core.db import Base

db = SQLAlchemy(model_class=Base)
migrate = Migrate(compare_type=True, render_as_batch=True)
login_manager = LoginManager()
csrf = CSRFProtect()
bootstrap = Bootstrap5()
limiter = Limiter(key_func=get_remote_address, default_limits=[])
# Bulk downloads (CSV exports, every OCDS release) build a whole table per request: a few a
# minute per address is plenty for a data user and keeps them from being a lever on the site.
BULK_LIMIT = "6 per minute"
