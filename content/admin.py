"""Admin for content administrators: rules with validation and history, verification queue,
YAML import/export, a preview of what applies to a person, and re-sync progress."""

from __future__ import annotations

from datetime import date

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from content import calendardata, engine, queries, review_admin, rulesdata, rulesets, services
from content.models import (
    CalendarDecree,
    CalendarOverride,
    CitizenshipGroup,
    DeadlineRule,
    DocumentTranslation,
    DocumentType,
    GroupMembership,
    KeyRate,
    ResyncJob,
    Rule,
)
from content.vocabulary import ProblemType


class DocumentTranslationInline(admin.StackedInline):
    model = DocumentTranslation
    extra = 0


@admin.register(DocumentType)
class DocumentTypeAdmin(SimpleHistoryAdmin):
    list_display = ("code", "kind", "english_name", "translations_to_review")
    list_filter = ("kind",)
    search_fields = ("code", "translations__name")
    inlines = [DocumentTranslationInline]

    @admin.display(description=_("English name"))
    def english_name(self, obj):
        row = obj.translations.filter(language="en").first()
        return row.name if row else "—"

    @admin.display(description=_("translations to review"))
    def translations_to_review(self, obj):
        return ", ".join(
            obj.translations.filter(needs_review=True).values_list("language", flat=True)
        )

    def save_formset(self, request, form, formset, change):
        # A review vouches for the wording checked: an edited translation waits for one again.
        if formset.model is DocumentTranslation:
            for inline_form in formset.forms:
                edited = set(inline_form.changed_data) & set(rulesdata.DOCUMENT_TEXT_FIELDS)
                if (
                    edited
                    and inline_form.instance.pk
                    and "needs_review" not in inline_form.changed_data
                ):
                    inline_form.instance.needs_review = inline_form.instance.language != "en"
        super().save_formset(request, form, formset, change)


class GroupMembershipInline(admin.TabularInline):
    model = GroupMembership
    extra = 0


@admin.register(CitizenshipGroup)
class CitizenshipGroupAdmin(admin.ModelAdmin):
    list_display = ("code", "name")
    inlines = [GroupMembershipInline]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        _resync_after_change(request, reason=f"group {form.instance.code} edited", problem_types=[])


def _warn_missing_decree(request) -> None:
    year = calendardata.missing_next_year(timezone.localdate())
    if year is not None:
        messages.warning(
            request,
            _(
                "No calendar decree for %(year)s is loaded: deadlines in %(year)s are counted "
                "by Labour Code art. 112 alone and marked provisional. Load the decree once it "
                "is published (docs/rules.md, Calendar)."
            )
            % {"year": year},
        )


class CalendarDayInline(admin.TabularInline):
    model = CalendarOverride
    fields = ("day", "is_working_day", "note")
    extra = 0


@admin.register(CalendarDecree)
class CalendarDecreeAdmin(SimpleHistoryAdmin):
    list_display = ("year", "country", "number", "signed_on", "title")
    list_filter = ("country",)
    inlines = [CalendarDayInline]

    def changelist_view(self, request, extra_context=None):
        _warn_missing_decree(request)
        return super().changelist_view(request, extra_context)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        _resync_after_change(
            request, reason=f"calendar decree for {form.instance.year} changed", problem_types=[]
        )


@admin.register(KeyRate)
class KeyRateAdmin(SimpleHistoryAdmin):
    """The key rate Labour Code art. 236 reads (shipped in content/rates/key-rate.yaml)."""

    list_display = ("effective_from", "rate", "decision", "to_verify")
    list_filter = ("to_verify",)
    search_fields = ("decision", "note")
    date_hierarchy = "effective_from"


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(SimpleHistoryAdmin):
    list_display = ("day", "country", "is_working_day", "decree", "note")
    list_filter = ("country", "is_working_day", "decree")

    def changelist_view(self, request, extra_context=None):
        _warn_missing_decree(request)
        return super().changelist_view(request, extra_context)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        _resync_after_change(request, reason=f"calendar day {obj.day} changed", problem_types=[])


def _resync_after_change(request, *, reason: str, problem_types: list[str]) -> None:
    job = services.announce_rules_change(
        reason=reason, problem_types=problem_types, by=request.user
    )
    url = reverse("admin:content_resync_progress", args=[job.pk])
    messages.info(
        request,
        format_html(
            'Re-syncing {} open case(s) in the background. <a href="{}">Watch progress</a>.',
            job.total,
            url,
        ),
    )


class VerifyForm(forms.Form):
    against = forms.CharField(
        label=_("Checked against"),
        max_length=300,
        help_text=_(
            "The act's edition and where you read it, e.g. “115-ФЗ as amended 08.08.2024, "
            "https://www.consultant.ru/document/cons_doc_LAW_37868/”."
        ),
    )


class RuleFormBase(forms.ModelForm):
    """Problem types as checkboxes instead of raw JSON; the model's clean() does the rest."""

    problem_types = forms.MultipleChoiceField(
        label=_("problem types"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=ProblemType.choices,
        help_text=_("None ticked: every problem type."),
    )


COMMON_FIELDS = [
    "key", "slot", "priority", "problem_types", "group", "conditions", "effective_from",
    "effective_to", "citation", "source", "provenance", "note",
]  # fmt: skip


# Edits that leave a verification standing: what administrators note for themselves.
UNSUBSTANTIAL_FIELDS = {
    "note", "provenance", "updated_at", "needs_review", "verified_on", "verified_by",
    "verified_against",
}  # fmt: skip


def _substance_changed(before, after) -> bool:
    fields = [f.attname for f in type(after)._meta.concrete_fields if not f.primary_key]
    return any(
        getattr(before, name) != getattr(after, name)
        for name in fields
        if name not in UNSUBSTANTIAL_FIELDS and name != "verified_by_id"
    )


class RuleForm(RuleFormBase):
    class Meta:
        model = Rule
        fields = [*COMMON_FIELDS, "document", "position"]


class DeadlineRuleForm(RuleFormBase):
    class Meta:
        model = DeadlineRule
        fields = [
            *COMMON_FIELDS, "basis_fact", "amount", "amount_fact", "unit", "then_amount",
            "then_unit", "recurrence", "occurrences", "reminder_offsets", "texts",
        ]  # fmt: skip


class RuleAdminBase(SimpleHistoryAdmin):
    list_display = (
        "key",
        "effective_from",
        "effective_to",
        "group",
        "problem_list",
        "review_flag",
        "verified_on",
        "verified_by",
    )
    list_filter = ("needs_review", "group")
    search_fields = ("key", "slot", "source", "note")
    readonly_fields = (
        "needs_review", "verified_on", "verified_by", "verified_against", "updated_at",
        "fact_vocabulary",
    )  # fmt: skip
    actions = ["mark_verified"]
    change_list_template = "admin/content/rule_change_list.html"

    @admin.display(description=_("problem types"))
    def problem_list(self, obj):
        return ", ".join(obj.problem_types) or _("all")

    @admin.display(description=_("review"), boolean=False)
    def review_flag(self, obj):
        return _("verified") if obj.verified else _("unverified")

    @admin.display(description=_("facts conditions may use"))
    def fact_vocabulary(self, obj):
        rows = ", ".join(
            f"{name} ({kind})" for name, (kind, _label) in engine.FACT_VOCABULARY.items()
        )
        return f"{rows}. Operators: {', '.join(engine.OPERATORS)}."

    @admin.action(description=_("Verify against a text of the law (records who, when, which)"))
    def mark_verified(self, request, queryset):
        """Asks which text was checked, then marks the chosen rules verified by this person."""
        form = VerifyForm(request.POST if "against" in request.POST else None)
        if form.is_bound and form.is_valid():
            with transaction.atomic():
                for rule in queryset:
                    services.verify(
                        rule=rule, by=request.user, against=form.cleaned_data["against"]
                    )
            self.message_user(request, _("%(n)d rule(s) verified.") % {"n": queryset.count()})
            _resync_after_change(request, reason="rules verified", problem_types=_types(queryset))
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": _("Verify rules against the law"),
            "form": form,
            "rules": queryset,
            "ids": queryset.values_list("pk", flat=True),
            "opts": self.model._meta,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/content/verify.html", context)

    def save_model(self, request, obj, form, change):
        # Cases the rule applied to before the edit must be re-synced too (to retire items).
        before = type(obj).objects.filter(pk=obj.pk).first() if change else None
        if before is not None and _substance_changed(before, obj):
            # A verification vouches for the text checked, not for what it was edited into.
            obj.needs_review, obj.verified_on, obj.verified_by, obj.verified_against = (
                True, None, None, ""
            )  # fmt: skip
        super().save_model(request, obj, form, change)
        types = services.resync_scope(
            after=obj.problem_types, before=before.problem_types if before else None
        )
        _resync_after_change(request, reason=f"{obj.key} edited", problem_types=types)

    def delete_model(self, request, obj):
        types = list(obj.problem_types)
        super().delete_model(request, obj)
        _resync_after_change(request, reason=f"{obj.key} deleted", problem_types=types)

    def delete_queryset(self, request, queryset):
        types = _types(queryset)
        super().delete_queryset(request, queryset)
        _resync_after_change(request, reason="rules deleted", problem_types=types)

    def get_urls(self):
        if self.model is not Rule:
            return super().get_urls()
        own = [
            path("preview/", self.admin_site.admin_view(self.preview_view), name="content_preview"),
            path("import/", self.admin_site.admin_view(self.import_view), name="content_import"),
            path("export/", self.admin_site.admin_view(self.export_view), name="content_export"),
            path(
                "resync/<int:job_id>/",
                self.admin_site.admin_view(self.progress_view),
                name="content_resync_progress",
            ),
        ]
        return own + super().get_urls()

    # --- Preview: what would citizen X arriving on date Y get? -----------------------------------
    def preview_view(self, request):
        form = PreviewForm(request.GET or None)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Preview the rules"),
            "form": form,
        }
        if form.is_valid():
            data = form.cleaned_data
            facts = engine.Facts(
                problem_type=data["problem_type"],
                citizenship=data["citizenship"],
                arrival_date=data["arrival_date"],
                extra=data["extra_facts"],
            )
            on = data["on"] or timezone.localdate()
            plan = queries.plan_for(facts, on=on)
            ruleset = rulesets.ruleset_from_db()
            context |= {
                "plan": plan,
                "groups": sorted(
                    engine.groups_of(facts.citizenship, data["arrival_date"], ruleset.memberships)
                ),
                "item_rows": [
                    (item, queries.document_text(item.document_code, data["language"]))
                    for item in plan.items
                ],
                "deadline_rows": [
                    (
                        d,
                        queries.deadline_text(d.rule_key, data["language"], on=d.basis_date),
                        dict(d.explanations).get(data["language"], d.explanation),
                    )
                    for d in plan.deadlines
                ],
                "on": on,
            }
        return TemplateResponse(request, "admin/content/preview.html", context)

    # --- YAML import and export ---
    def import_view(self, request):
        if not request.user.has_perm("content.change_rule"):
            raise PermissionDenied
        form = ImportForm(request.POST or None, request.FILES or None)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Import rules from YAML"),
            "form": form,
        }
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                text = upload.read().decode("utf-8")
                data = rulesdata.read_text(text, origin=upload.name)
                report = services.import_rules(data, by=request.user)
            except UnicodeDecodeError:
                form.add_error("file", _("The file is not UTF-8 text."))
            except rulesdata.RulesDataError as exc:
                context["errors"] = exc.errors
            else:
                context["report"] = report.lines()
                if report.rules_changed:
                    _resync_after_change(
                        request,
                        reason=f"imported {upload.name}"[:200],
                        problem_types=[]
                        if report.all_problem_types
                        else sorted(report.problem_types),
                    )
        return TemplateResponse(request, "admin/content/import.html", context)

    def export_view(self, request):
        response = HttpResponse(
            services.export_yaml(), content_type="application/x-yaml; charset=utf-8"
        )
        response["Content-Disposition"] = (
            f'attachment; filename="rules-{timezone.localdate().isoformat()}.yaml"'
        )
        return response

    def progress_view(self, request, job_id: int):
        job = get_object_or_404(ResyncJob, pk=job_id)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Re-syncing open cases"),
            "job": job,
        }
        return TemplateResponse(request, "admin/content/resync_progress.html", context)


def _types(queryset) -> list[str]:
    types: set[str] = set()
    for rule in queryset:
        if not rule.problem_types:
            return []
        types |= set(rule.problem_types)
    return sorted(types)


@admin.register(Rule)
class RuleAdmin(RuleAdminBase):
    form = RuleForm
    list_display = (*RuleAdminBase.list_display[:1], "document", *RuleAdminBase.list_display[1:])
    autocomplete_fields = ("document",)


@admin.register(DeadlineRule)
class DeadlineRuleAdmin(RuleAdminBase):
    form = DeadlineRuleForm
    list_display = (
        *RuleAdminBase.list_display[:1],
        "basis_fact",
        "amount",
        "unit",
        *RuleAdminBase.list_display[1:],
        "texts_to_review",
    )
    actions = [*RuleAdminBase.actions, *review_admin.deadline_review_actions()]

    @admin.display(description=_("translations to review"))
    def texts_to_review(self, obj):
        return ", ".join((obj.texts or {}).get("needs_review") or [])

    def has_review_permission(self, request) -> bool:
        return review_admin.may_review(request)


@admin.register(ResyncJob)
class ResyncJobAdmin(admin.ModelAdmin):
    list_display = ("created_at", "reason", "state", "done", "total", "changed", "progress_link")
    readonly_fields = [f.name for f in ResyncJob._meta.fields]

    def has_add_permission(self, request):
        return False

    @admin.display(description=_("progress"))
    def progress_link(self, obj):
        return format_html(
            '<a href="{}">{}%</a>',
            reverse("admin:content_resync_progress", args=[obj.pk]),
            obj.percent,
        )


class PreviewForm(forms.Form):
    citizenship = forms.CharField(label=_("Citizenship (ISO code)"), max_length=2, initial="TJ")
    arrival_date = forms.DateField(
        label=_("Arrival date"), widget=forms.DateInput(attrs={"type": "date"})
    )
    problem_type = forms.ChoiceField(label=_("Problem"), choices=ProblemType.choices)
    on = forms.DateField(
        label=_("Plan as of (default today)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    language = forms.ChoiceField(
        label=_("Language"), choices=[(c, c) for c in rulesdata.LANGUAGES], initial="en"
    )
    extra_facts = forms.JSONField(
        label=_("Other facts (JSON)"),
        required=False,
        initial=dict,
        help_text=_('e.g. {"patent_issue_date": "2026-01-15", "entry_purpose": "work"}'),
    )

    def clean_citizenship(self):
        value = self.cleaned_data["citizenship"].strip().upper()
        if len(value) != 2 or not value.isalpha():
            raise forms.ValidationError(_("Use a two-letter country code, e.g. TJ."))
        return value

    def clean_extra_facts(self):
        value = self.cleaned_data.get("extra_facts") or {}
        if not isinstance(value, dict):
            raise forms.ValidationError(_("Give an object of fact names and values."))
        unknown = set(value) - set(engine.FACT_VOCABULARY)
        if unknown:
            raise forms.ValidationError(
                _("Unknown facts: %(names)s") % {"names": ", ".join(sorted(unknown))}
            )
        for name, raw in value.items():
            if engine.FACT_VOCABULARY[name][0] == engine.DATE:
                try:
                    value[name] = date.fromisoformat(str(raw))
                except ValueError:
                    raise forms.ValidationError(
                        _("%(name)s needs a date like 2026-03-03.") % {"name": name}
                    ) from None
        return value


class ImportForm(forms.Form):
    file = forms.FileField(label=_("YAML file"))
