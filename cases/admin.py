from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from cases import memberships
from cases.models import Call, Case, Membership, Migrant, Organisation


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "country_of_stay", "require_mfa")
    prepopulated_fields = {"slug": ("name",)}
    exclude = ("case_year", "case_sequence")


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = ("user", "organisation", "role", "is_active")
    list_filter = ("organisation", "role", "is_active")

    def save_model(self, request, obj, form, change):
        # Through the service: one audit row per change, sessions ended on deactivation.
        memberships.save_membership_in_admin(membership=obj, by=request.user)

    def has_delete_permission(self, request, obj=None):
        # A membership is deactivated, never deleted: its audit trail and history stay whole.
        return False


@admin.register(Migrant)
class MigrantAdmin(SimpleHistoryAdmin):
    # Platform admins manage structure, not people: no names or numbers in list views.
    list_display = ("__str__", "organisation", "citizenship", "created_at")
    list_filter = ("organisation", "citizenship")
    exclude = ("passport_number",)


@admin.register(Case)
class CaseAdmin(SimpleHistoryAdmin):
    list_display = ("number", "organisation", "problem_type", "status", "opened_at")
    list_filter = ("organisation", "problem_type", "status")
    raw_id_fields = ("migrant", "assignee")


@admin.register(Call)
class CallAdmin(SimpleHistoryAdmin):
    # Structure, not people: no caller names or notes in the list.
    list_display = ("__str__", "organisation", "line", "language", "outcome", "received_at")
    list_filter = ("organisation", "line", "language", "outcome")
    raw_id_fields = ("migrant", "case", "follow_up_task", "taken_by")
