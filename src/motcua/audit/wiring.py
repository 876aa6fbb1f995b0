"""Which models are audited out of the box (called from AuditConfig.ready()).

Catalogue ("catalog") and calendar ("calendar") models are registered by their own apps' ready(); dossiers are not
tracked by signals at all: the dossier engine writes one record per transition into "dossier:<code>". What is left
for the audit app to wire is accounts and agencies, whose apps do not register themselves.
Override with settings.MOTCUA_AUDIT_TRACKING (same shape; an empty list turns automatic tracking off).
"""

from django.apps import apps
from django.conf import settings

from motcua.audit.tracking import track_model

# (model label, or "app_label.*" for every concrete model of the app, stream, track_model options)
DEFAULT_TRACKING = [
    ("accounts.User", "accounts", {"exclude": ("last_login",), "redact": ("password",)}),
    ("accounts.Membership", "accounts", {}),
    ("agencies.Agency", "agencies", {}),
]


def _models(label: str) -> list:
    app_label, _dot, name = label.partition(".")
    if app_label not in {config.label for config in apps.get_app_configs()}:
        return []
    if name == "*":
        return [m for m in apps.get_app_config(app_label).get_models()
                if not m._meta.abstract and not m._meta.proxy and not m._meta.auto_created]
    return [apps.get_model(app_label, name)]


def track_defaults() -> None:
    for label, stream, options in getattr(settings, "MOTCUA_AUDIT_TRACKING", DEFAULT_TRACKING):
        for model in _models(label):
            track_model(model, stream, **options)
