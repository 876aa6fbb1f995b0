"""`track_model`: audit create/update/delete of a model through pre_save/post_save/post_delete signals.

Updates record only the tracked fields that changed (old → new); an update that changes none writes nothing.
pre_save reads the stored row once (skipped when ``update_fields`` touches no tracked field, e.g. last_login).
Queryset ``update()``/``bulk_create()``/``bulk_update()`` send no signals and are therefore not audited: code
that uses them on tracked models must call ``services.record()`` itself.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_save

from motcua.audit.canonical import to_jsonable

REDACTED = "[redacted]"
_SNAPSHOT = "_audit_old_values"


@dataclass
class Spec:
    stream: str | Callable
    fields: tuple | None
    target_type: str | None
    exclude: frozenset
    redact: frozenset
    _resolved: tuple | None = None

    def tracked(self, model) -> tuple:
        """(name, attname, field) of each tracked concrete field; default: every editable non-pk field."""
        if self._resolved is None:
            if self.fields is None:
                chosen = [f for f in model._meta.concrete_fields
                          if f.editable and not f.primary_key and f.name not in self.exclude]
            else:
                chosen = [model._meta.get_field(name) for name in self.fields]
            self._resolved = tuple((f.name, f.attname, f) for f in chosen)
        return self._resolved

    def stream_for(self, instance) -> str:
        return self.stream(instance) if callable(self.stream) else self.stream

    def target_type_for(self, model) -> str:
        return self.target_type or model._meta.label_lower


_registry: dict[type, dict] = {}


def _key(stream) -> str:
    return stream if isinstance(stream, str) else f"{stream.__module__}.{stream.__qualname__}"


def track_model(model, stream: str | Callable, fields=None, target_type: str | None = None, *, exclude=(),
                redact=()) -> None:
    """Audit writes of ``model`` into ``stream`` (a name, or a callable instance → name, e.g. per dossier).
    ``fields``: names to track (default: every editable non-pk field minus ``exclude``); ``redact``: fields
    whose values are never written to the trail, only the fact that they changed (passwords).
    Registering the same model and stream again replaces the earlier registration (idempotent)."""
    spec = Spec(stream=stream, fields=tuple(fields) if fields is not None else None, target_type=target_type,
                exclude=frozenset(exclude), redact=frozenset(redact))
    _registry.setdefault(model, {})[_key(stream)] = spec
    uid = f"motcua.audit:{model._meta.label_lower}"
    pre_save.connect(_pre_save, sender=model, dispatch_uid=uid + ":pre_save")
    post_save.connect(_post_save, sender=model, dispatch_uid=uid + ":post_save")
    post_delete.connect(_post_delete, sender=model, dispatch_uid=uid + ":post_delete")


def untrack_model(model, stream=None) -> None:
    """Stop auditing ``model`` (all its streams when ``stream`` is None); used by tests and reconfiguration."""
    specs = _registry.get(model, {})
    if stream is None:
        specs.clear()
    else:
        specs.pop(_key(stream), None)


def _all_attnames(model) -> dict:
    names = {}
    for spec in _registry.get(model, {}).values():
        for _name, attname, field in spec.tracked(model):
            names[attname] = field
    return names


def _pre_save(sender, instance, update_fields=None, using=None, **kwargs):
    instance.__dict__.pop(_SNAPSHOT, None)
    if instance.pk is None or instance._state.adding:
        return
    attnames = _all_attnames(sender)
    if update_fields is not None:
        attnames = {a: f for a, f in attnames.items() if f.name in update_fields or a in update_fields}
    if not attnames:
        return
    stored = sender._base_manager.using(using).filter(pk=instance.pk).values(*attnames).first()
    instance.__dict__[_SNAPSHOT] = stored


def _same(field, a, b) -> bool:
    """Equal as the field understands them (Decimal('1.5') == '1.50'), else as normalised JSON."""
    try:
        return field.to_python(a) == field.to_python(b)
    except (ValidationError, TypeError, ValueError):
        return to_jsonable(a) == to_jsonable(b)


def _value(spec: Spec, name: str, value):
    return REDACTED if name in spec.redact else to_jsonable(value)


def _post_save(sender, instance, created, update_fields=None, using=None, **kwargs):
    stored = instance.__dict__.pop(_SNAPSHOT, None)
    for spec in list(_registry.get(sender, {}).values()):
        old, new = {}, {}
        for name, attname, field in spec.tracked(sender):
            if update_fields is not None and name not in update_fields and attname not in update_fields:
                continue
            current = getattr(instance, attname)
            if created:
                new[name] = _value(spec, name, current)
            elif stored is None or attname not in stored:
                continue  # nothing read before the save (update_fields without tracked fields)
            elif not _same(field, stored[attname], current):
                old[name], new[name] = _value(spec, name, stored[attname]), _value(spec, name, current)
        if created or new:
            _write(spec, sender, instance, "create" if created else "update", old or None, new, using)


def _post_delete(sender, instance, using=None, **kwargs):
    for spec in list(_registry.get(sender, {}).values()):
        old = {name: _value(spec, name, getattr(instance, attname)) for name, attname, _f in spec.tracked(sender)}
        _write(spec, sender, instance, "delete", old, None, using)


def _write(spec: Spec, model, instance, action: str, old, new, using) -> None:
    from motcua.audit.services import record

    # savepoint=False: inside the caller's transaction this joins it (an audit failure fails the write);
    # outside one (autocommit scripts) the record gets its own transaction right after the row was written.
    with transaction.atomic(using=using, savepoint=False):
        record(spec.stream_for(instance), action, target_type=spec.target_type_for(model),
               target_id=str(instance.pk), old=old, new=new, using=using)
