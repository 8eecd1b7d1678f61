"""WSGI entry point: `gunicorn wsgi:app`."""

import gc

from marketplace import create_app

app = create_app()
# The application built above (its mappers, compiled templates, schemas and routes: some
# 200,000 objects) lives as long as the worker. Moved out of the collector's generations, it
# is no longer walked by every full collection, which cost a request up to ~130 ms now and
# then and a few per cent on average.
gc.freeze()
