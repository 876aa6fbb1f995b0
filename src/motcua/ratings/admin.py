from django.contrib import admin

from motcua.ratings.models import IndexDefinition, IndexSet, Rating, RatingAnswer


class IndexDefinitionInline(admin.TabularInline):
    model = IndexDefinition
    extra = 0
    fields = ("order", "code", "text", "options", "officer_score")

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and Rating.objects.filter(index_set=obj).exists():
            return self.fields  # answered questions never change; add a new set instead
        return ()

    def has_delete_permission(self, request, obj=None):
        return obj is None or not Rating.objects.filter(index_set=obj).exists()


@admin.register(IndexSet)
class IndexSetAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "effective_from", "effective_to")
    inlines = [IndexDefinitionInline]

    def get_readonly_fields(self, request, obj=None):
        # A set already answered is frozen: change the questions by adding a new set.
        if obj is not None and Rating.objects.filter(index_set=obj).exists():
            return ("code", "name", "legal_basis", "effective_from")
        return ()


class RatingAnswerInline(admin.TabularInline):
    model = RatingAnswer
    extra = 0
    readonly_fields = ("index", "points", "label")
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Rating)
class RatingAdmin(admin.ModelAdmin):
    list_display = ("dossier", "overall", "total_points", "source", "entered_by", "created_at")
    list_filter = ("overall", "source", "index_set")
    search_fields = ("dossier__code",)
    readonly_fields = ("dossier", "index_set", "overall", "comment", "source", "applicant_user", "entered_by",
                       "total_points", "answered", "created_at")
    inlines = [RatingAnswerInline]

    def has_add_permission(self, request):
        return False  # ratings come from submit_rating() (portal, desk)
