"""`{% memo [vary …] %}…{% endmemo %}`: a fragment rendered once per server process, language, URL configuration and
script prefix (and the values of the optional `vary` expressions), then served from memory.

For the chrome every page repeats — translated labels, reversed URLs, static file links, the language list — which
cost a third of the citizen lookup page's rendering (issue #11). Unlike `{% cache %}` there is no key hashing, no
pickling and no lock: the text is kept on the template node itself and found with one dictionary lookup.

Only for content that is the same for every visitor of a language (and of the `vary` values): never anything of the
request, the user or the session. The parser refuses what it can see going wrong — `{% csrf_token %}`, `{% block %}`
(a child template's override would be served to every page) and variables of the request, the user, the session's
messages or the CSRF token — but it cannot see inside a tag's Python code: keep such tags outside the fragment.
A variable set inside (`{% … as x %}`) is set only when the text is rendered, not when it is served from memory:
use it inside the fragment only. Memory stays bounded: at most MAX_VARIANTS texts per fragment. Changing a setting
(tests) forgets every text.
"""

from django import template
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template.base import VariableNode
from django.template.defaulttags import CsrfTokenNode
from django.template.loader_tags import BlockNode
from django.urls import get_script_prefix, get_urlconf
from django.utils.translation import get_language

register = template.Library()

MAX_VARIANTS = 32
PER_REQUEST = {"request", "user", "perms", "messages", "csrf_token", "block"}
_generation = 0


@receiver(setting_changed)
def _forget_all(**kwargs) -> None:
    global _generation
    _generation += 1


class MemoNode(template.Node):
    # Not walked by get_nodes_by_type: it holds no block, and `{% extends %}` walks the base template's whole tree
    # for blocks on every render.
    child_nodelists = ()

    def __init__(self, nodelist, vary):
        self.nodelist, self.vary = nodelist, vary
        self.texts: dict = {}

    def render(self, context):
        key = (_generation, get_language(), get_urlconf(), get_script_prefix(), context.autoescape,
               *(v.resolve(context) for v in self.vary))
        text = self.texts.get(key)
        if text is None:
            text = self.nodelist.render(context)
            if len(self.texts) >= MAX_VARIANTS:
                self.texts.clear()
            self.texts[key] = text
        return text


@register.tag
def memo(parser, token):
    vary = [parser.compile_filter(bit) for bit in token.split_contents()[1:]]
    nodelist = parser.parse(("endmemo",))
    parser.delete_first_token()
    if nodelist.get_nodes_by_type(CsrfTokenNode) or nodelist.get_nodes_by_type(BlockNode):
        raise template.TemplateSyntaxError("{% memo %} cannot hold {% csrf_token %} or {% block %}: they differ per "
                                           "request or per page.")
    for node in nodelist.get_nodes_by_type(VariableNode):
        var = node.filter_expression.var
        root = var.var.split(".", 1)[0] if isinstance(var, template.Variable) and var.lookups else ""
        if root in PER_REQUEST:
            raise template.TemplateSyntaxError(f"{{% memo %}} cannot show {{{{ {var} }}}}: it differs per request; "
                                               "pass it as a vary value or keep it outside the fragment.")
    return MemoNode(nodelist, vary)
