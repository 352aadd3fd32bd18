"""The rules admin's side of translation review: per-language review actions and the record of
who checked which text (content/translation_reviews.py holds the logic)."""

from __future__ import annotations

from django.contrib import admin, messages
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from content import translation_reviews as reviews
from content.models import DocumentTranslation, TranslationReview


def may_review(request) -> bool:
    return request.user.has_perm("content.add_translationreview")


@admin.register(DocumentTranslation)
class DocumentTranslationAdmin(SimpleHistoryAdmin):
    """The document texts one language at a time: what awaits review, and the review action."""

    list_display = ("document", "language", "name", "needs_review", "last_review")
    list_filter = ("language", "needs_review")
    search_fields = ("document__code", "name")
    readonly_fields = ("needs_review",)
    actions = ["mark_reviewed"]

    @admin.display(description=_("last review"))
    def last_review(self, obj):
        review = obj.reviews.first()
        if review is None:
            return "—"
        state = "" if reviews.is_current(review) else " " + str(_("(text changed since)"))
        when = timezone.localtime(review.reviewed_at).date().isoformat()
        return f"{review.reviewer_name}, {when}{state}"

    def has_review_permission(self, request) -> bool:
        return may_review(request)

    @admin.action(
        description=_("I have checked these texts against the English: mark them reviewed"),
        permissions=["review"],
    )
    def mark_reviewed(self, request, queryset):
        done = 0
        for row in queryset.select_related("document"):
            try:
                reviews.review_document_text(row, by=request.user)
            except reviews.ReviewError as error:
                self.message_user(request, f"{row}: {error}", messages.WARNING)
            else:
                done += 1
        self.message_user(request, _("%(n)d text(s) marked reviewed by you.") % {"n": done})


def _deadline_review_action(language: str, name: str):
    """The admin action recording that the signed-in person checked the deadlines' texts in one
    language (one action per language: an admin action takes no parameters)."""

    def action(modeladmin, request, queryset):
        done = 0
        for rule in queryset:
            try:
                reviews.review_deadline_texts(rule, language, by=request.user)
            except reviews.ReviewError as error:
                modeladmin.message_user(request, f"{rule.key}: {error}", messages.WARNING)
            else:
                done += 1
        modeladmin.message_user(
            request, _("%(n)d deadline text(s) marked reviewed by you.") % {"n": done}
        )

    action.__name__ = f"review_texts_{language}"
    return admin.action(
        description=_("I have checked the %(language)s texts: mark them reviewed")
        % {"language": name},
        permissions=["review"],
    )(action)


# Russian is written by the rules engineer from the same source and reviewed with the rule.
REVIEWED_LANGUAGES = (("tg", "Тоҷикӣ"), ("uz", "Oʻzbekcha"), ("ky", "Кыргызча"))


def deadline_review_actions() -> list:
    return [_deadline_review_action(code, name) for code, name in REVIEWED_LANGUAGES]


@admin.register(TranslationReview)
class TranslationReviewAdmin(admin.ModelAdmin):
    """Who reviewed which language of which text, and when: a record, never edited by hand."""

    list_display = ("reviewed_at", "reviewer_name", "language", "text", "current")
    list_filter = ("language",)
    search_fields = ("reviewer_name", "deadline_rule__key", "document_translation__document__code")

    @admin.display(description=_("text"))
    def text(self, obj):
        return obj.deadline_rule.key if obj.deadline_rule_id else str(obj.document_translation)

    @admin.display(description=_("still this wording"), boolean=True)
    def current(self, obj):
        return reviews.is_current(obj)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
