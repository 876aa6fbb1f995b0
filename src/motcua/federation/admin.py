from django.contrib import admin
from django.db import models

from motcua.federation.models import FederatedStatistic, Peer, ProvinceFeed


@admin.register(Peer)
class PeerAdmin(admin.ModelAdmin):
    list_display = ("name", "url", "key_id", "province_code", "active", "last_cursor", "last_push_at")
    readonly_fields = ("last_cursor", "last_push_at", "last_error")
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(ProvinceFeed)
class ProvinceFeedAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "key_id", "active", "events_received", "last_events_at", "last_statistics_at")
    readonly_fields = ("events_received", "last_events_at", "last_statistics_at")


@admin.register(FederatedStatistic)
class FederatedStatisticAdmin(admin.ModelAdmin):
    list_display = ("feed", "period", "definition", "unit_code", "unit_name", "computed_at")
    list_filter = ("period", "definition")
    readonly_fields = [f.name for f in FederatedStatistic._meta.fields]

    def has_add_permission(self, request):
        return False
