from django.contrib import admin

from motcua.payments.models import CallbackLog, Payment


@admin.register(Payment)
class PaymentAdmin(admin.ModelAdmin):
    list_display = ("reference", "dossier", "amount", "status", "gateway", "receipt_number", "created_at", "paid_at")
    list_filter = ("status", "gateway")
    search_fields = ("reference", "receipt_number", "dossier__code", "gateway_txn")
    readonly_fields = [f.name for f in Payment._meta.fields]

    def has_add_permission(self, request):
        return False  # payments come from create_payment() and gateway callbacks only


@admin.register(CallbackLog)
class CallbackLogAdmin(admin.ModelAdmin):
    list_display = ("received_at", "gateway", "reference", "outcome")
    list_filter = ("gateway", "outcome")
    search_fields = ("reference",)
    readonly_fields = ("gateway", "reference", "params", "outcome", "received_at")

    def has_add_permission(self, request):
        return False
