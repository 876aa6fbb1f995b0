"""{% memo %}: a fragment rendered once per process and language, never what differs per request."""

import pytest
from django.template import Context, Template, TemplateSyntaxError
from django.utils import translation


def render(source: str, **context) -> str:
    return Template("{% load i18n memo %}" + source).render(Context(context))


def test_rendered_once_then_served_from_memory():
    template = Template("{% load memo %}{% memo %}{{ n }}{% endmemo %}")
    assert template.render(Context({"n": 1})) == "1"
    assert template.render(Context({"n": 2})) == "1"  # the first text, as the tag promises


def test_one_text_per_language_and_vary_value():
    template = Template('{% load i18n memo %}{% memo signed_in %}{% translate "Đăng nhập" %}{{ signed_in }}'
                        '{% endmemo %}')
    with translation.override("vi"):
        assert template.render(Context({"signed_in": False})) == "Đăng nhậpFalse"
        assert template.render(Context({"signed_in": True})) == "Đăng nhậpTrue"
    with translation.override("en"):
        assert template.render(Context({"signed_in": False})) == "Sign in" + "False"


def test_a_setting_change_forgets_every_text(settings):
    template = Template("{% load memo %}{% memo %}{{ n }}{% endmemo %}")
    assert template.render(Context({"n": 1})) == "1"
    settings.MOTCUA = {**settings.MOTCUA}  # any override_settings (tests) or setting change
    assert template.render(Context({"n": 2})) == "2"


@pytest.mark.parametrize("body", ["{% csrf_token %}", "{% block b %}{% endblock %}", "{{ request.path }}",
                                  "{{ user }}", "{{ csrf_token }}", "{% for m in x %}{{ messages }}{% endfor %}"])
def test_refuses_what_differs_per_request(body):
    with pytest.raises(TemplateSyntaxError):
        Template("{% load memo %}{% memo %}" + body + "{% endmemo %}")
