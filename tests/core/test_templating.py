"""The application's templates start each render from a merged copy of their globals
(web/templating.py): what a template sees must be exactly what Jinja's own copy gives."""

from __future__ import annotations

from collections import ChainMap

import jinja2

from marketplace.web.templating import Template


def test_the_application_loads_its_templates_with_the_merged_copy(app):
    assert app.jinja_env.template_class is Template
    assert isinstance(app.jinja_env.get_template("base.html"), Template)


def test_globals_vars_and_their_precedence(app):
    env = app.jinja_env
    template = env.from_string("{{ who }} {{ colour }} {{ shade }}",
                               globals={"colour": "template-wide"})
    env.globals["colour"], env.globals["who"] = "environment's", "global"
    try:
        assert type(template.globals) is ChainMap
        assert template.render(shade="var") == "global template-wide var"  # the template wins
        assert template.render(who="var", shade="") == "var template-wide "  # a var wins
        env.globals["who"] = "changed"  # read at each render, never kept
        assert template.render(shade="") == "changed template-wide "
        del env.globals["who"]
        assert template.render(shade="") == " template-wide "
    finally:
        env.globals.pop("colour", None)
        env.globals.pop("who", None)


def test_same_output_as_jinjas_own_templates(app, client):
    """A page rendered with Jinja's own template class is byte for byte the same."""
    from tests import factories

    factories.create_scenario(title="Harbour cranes <b>now</b>")
    ours = client.get("/scenarios?q=harbour").get_data(as_text=True)
    app.jinja_env.template_class = jinja2.Template
    app.jinja_env.cache.clear()
    app.jinja_env.globals["fragment"].rendered.clear()
    try:
        theirs = client.get("/scenarios?q=harbour").get_data(as_text=True)
    finally:
        app.jinja_env.template_class = Template
        app.jinja_env.cache.clear()
    assert ours == theirs and "Harbour cranes &lt;b&gt;now&lt;/b&gt;" in ours


def test_shared_contexts_keep_jinjas_behaviour(app):
    template = app.jinja_env.from_string("{{ x }}{{ csrf_token is defined }}")
    context = template.new_context({"x": "1"}, shared=True)
    assert "".join(template.root_render_func(context)) == "1False"
