"""Forms of the caseworker UI. They shape and type input; the rules live in cases.services.

Services raise ValidationError keyed by field; `add_service_errors` puts those beside the field.
"""

from __future__ import annotations

import uuid
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from cases import casefacts, date_bounds, member_cache, memberships, phones, regions, services
from cases.models import Case, Consent, Membership, Migrant, message_window_errors
from cases.queries import SORT_LABELS

# Citizenships an NGO in Russia meets most (ISO 3166-1 alpha-2); "other" via the admin list.
CITIZENSHIPS = [
    ("TJ", _("Tajikistan")),
    ("UZ", _("Uzbekistan")),
    ("KG", _("Kyrgyzstan")),
    ("KZ", _("Kazakhstan")),
    ("AM", _("Armenia")),
    ("AZ", _("Azerbaijan")),
    ("MD", _("Moldova")),
    ("BY", _("Belarus")),
    ("UA", _("Ukraine")),
    ("TM", _("Turkmenistan")),
    ("GE", _("Georgia")),
    ("IN", _("India")),
    ("VN", _("Viet Nam")),
    ("CN", _("China")),
]
DO_NOT_CONTACT = [
    ("sms", _("SMS")),
    ("telegram", _("Telegram")),
    ("call", _("Phone call")),
    ("email", _("Email")),
]
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class Labelled:
    """Labels start with a capital (verbose names are lower case) and carry no colon."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if field.label:
                field.label = capfirst(field.label)
        date_bounds.bound_date_fields(self.fields)


def _attrs_html(attrs: dict) -> str:
    """What django/forms/widgets/attrs.html renders, built in Python."""
    return "".join(
        f" {conditional_escape(name)}"
        + ("" if value is True else f'="{conditional_escape(str(value))}"')
        for name, value in attrs.items()
        if value is not False
    )


class FastSelect(forms.Select):
    """A Select rendered in Python, character for character what Django's select.html and
    select_option.html templates render (tests compare the two).

    The template renderer costs a template include per option: on the case list's filter
    form, with an organisation's members as assignee options, that was a third of the page's
    rendering time.
    """

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        parts = [
            f'<select name="{conditional_escape(widget["name"])}"{_attrs_html(widget["attrs"])}>'
        ]
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                parts.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
            for option in options:
                parts.append(
                    f'\n  <option value="{conditional_escape(str(option["value"]))}"'
                    f"{_attrs_html(option['attrs'])}>{conditional_escape(option['label'])}"
                    "</option>\n"
                )
            if group_name:
                parts.append("\n  </optgroup>")
        parts.append("\n</select>")  # the renderer strips the template's last newline
        return mark_safe("".join(parts))  # noqa: S308 - every value above is escaped


class FastBoundField(forms.BoundField):
    """`as_field_group` without Django's field.html template in the common case (no errors,
    no help text, no fieldset): the label and the widget with the template's blank lines
    between them, as the template renders them (tests compare the two)."""

    def as_field_group(self):
        if (
            self.use_fieldset
            or self.help_text
            or self.errors
            or self.field.template_name
            or self.form.renderer.field_template_name != "django/forms/field.html"
        ):
            return super().as_field_group()
        widget = self.as_widget()
        if not self.label:
            return widget
        return format_html("{}\n\n\n\n{}", self.label_tag(), widget)


def add_service_errors(form: forms.Form, exc: ValidationError) -> None:
    """Show a service's ValidationError on the form: beside the field when the form has it."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            target = name if name in form.fields else None
            for error in errors:
                form.add_error(target, error)
    else:
        form.add_error(None, exc)


class SubmissionTokenMixin(Labelled, forms.Form):
    """A one-time token per rendered form: a double submit is recognised and not repeated."""

    submission = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("submission", uuid.uuid4().hex)


class VersionedForm(forms.Form):
    """Carries the version of the row the form was filled from (cases.concurrency)."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound and getattr(self.instance, "pk", None):
            self.initial["version"] = self.instance.version


class MigrantForm(VersionedForm, Labelled, forms.ModelForm):
    citizenship = forms.ChoiceField(label=_("citizenship"), choices=CITIZENSHIPS)
    do_not_contact = forms.MultipleChoiceField(
        label=_("do-not-contact channels"),
        choices=DO_NOT_CONTACT,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    passport_number = forms.CharField(
        label=_("passport number"), max_length=20, required=False, strip=True
    )
    # Typed as people write them ("8 (916) 123-45-67"); the service normalises to E.164.
    phone = forms.CharField(label=_("phone"), max_length=32, required=False)
    phone_secondary = forms.CharField(label=_("second phone"), max_length=32, required=False)
    region = forms.ChoiceField(
        label=_("region of stay"),
        choices=regions.CHOICES,
        required=False,
        help_text=_("Reminders keep quiet hours on this region's clock (empty: ours)."),
    )

    class Meta:
        model = Migrant
        fields = [name for name in services.MIGRANT_FIELDS]
        widgets = {
            "date_of_birth": DATE,
            "safe_contact_notes": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["full_name_cyrillic"].required = False
        for name in ("full_name_latin", "full_name_cyrillic"):
            # A browser cuts pasted text at maxlength without a word; the form says it instead.
            self.fields[name].widget.attrs.pop("maxlength", None)
        for name in ("phone", "phone_secondary"):
            if name in self.fields:
                self.fields[name].widget.attrs.update(inputmode="tel", autocomplete="off")
        old_region = self.instance.region
        if old_region and old_region not in regions.ZONES and "region" in self.fields:
            # A region typed before the list existed stays choosable, as it was written.
            self.fields["region"].choices = [*regions.CHOICES, (old_region, old_region)]
        if self.instance.pk:
            # The stored number is never sent back to the browser: empty means "unchanged".
            self.initial["passport_number"] = ""
            self.fields["passport_number"].help_text = _("Leave empty to keep the number on file.")

    def _post_clean(self):
        # Model validation happens in the service (one place for the rules).
        pass

    def _clean_phone(self, name: str) -> str:
        # The service normalises too; checking here shows a bad number with the other errors.
        value = self.cleaned_data.get(name, "")
        try:
            return phones.normalise(value) if value else value
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from None

    def clean_phone(self) -> str:
        return self._clean_phone("phone")

    def clean_phone_secondary(self) -> str:
        return self._clean_phone("phone_secondary")

    def clean(self):
        cleaned = super().clean()
        hours = (cleaned.get("message_hours_start"), cleaned.get("message_hours_end"))
        # Checked here too, so that it shows with the form's other errors at once.
        for name, message in message_window_errors(*hours).items():
            if name in self.fields and name not in self.errors:
                self.add_error(name, message)
        return cleaned

    def service_values(self) -> dict:
        values = {name: self.cleaned_data[name] for name in services.MIGRANT_FIELDS}
        if self.instance.pk and not values["passport_number"]:
            values.pop("passport_number")
        return values


class IntakeMigrantForm(MigrantForm):
    existing_migrant = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta(MigrantForm.Meta):
        fields = [
            "full_name_latin",
            "full_name_cyrillic",
            "date_of_birth",
            "gender",
            "citizenship",
            "phone",
            "phone_secondary",
            "telegram",
            "preferred_language",
            "region",
            "city",
            "phone_controlled",
            "safe_call_time",
            "message_hours_start",
            "message_hours_end",
            "do_not_contact",
            "passport_number",
        ]

    def __init__(self, *args, using_existing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if using_existing:
            for field in self.fields.values():
                field.required = False

    def service_values(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


def _other_problems_field() -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=_("other problems"),
        choices=Case.ProblemType.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The checklist and deadlines cover every problem ticked."),
    )


class FactFieldsMixin:
    """The declared facts (content/rules/facts.yaml) as fields named by the fact."""

    fact_specs: list = []

    def add_facts(self, specs, values=None) -> None:
        self.fact_specs = casefacts.add_fact_fields(self, specs, values)

    def fact_groups(self) -> list[dict]:
        return casefacts.grouped(self, self.fact_specs)

    def main_fields(self) -> list:
        """The visible fields that are not declared facts (those render in their groups)."""
        facts = {spec.key for spec in self.fact_specs}
        return [field for field in self.visible_fields() if field.name not in facts]

    def extra_facts(self) -> dict:
        return casefacts.extra_values(self.cleaned_data, self.fact_specs)


class IntakeCaseForm(FactFieldsMixin, SubmissionTokenMixin, forms.Form):
    problem_type = forms.ChoiceField(label=_("main problem"), choices=Case.ProblemType.choices)
    other_problem_types = _other_problems_field()
    priority = forms.ChoiceField(
        label=_("priority"), choices=Case.Priority.choices, initial=Case.Priority.NORMAL
    )
    summary = forms.CharField(
        label=_("summary"), max_length=2000, required=False, widget=forms.Textarea({"rows": 3})
    )
    arrival_date = forms.DateField(label=_("arrival date"), required=False, widget=DATE)
    employer_name = forms.CharField(label=_("employer"), max_length=200, required=False)
    amount_owed = forms.DecimalField(
        label=_("amount owed"),
        max_digits=12,
        decimal_places=2,
        required=False,
        min_value=Decimal("0.01"),
        error_messages={"min_value": _("The amount owed must be more than zero.")},
    )
    assign_to_me = forms.BooleanField(label=_("assign to me"), required=False, initial=True)

    FACTS = ("arrival_date", "employer_name", "amount_owed")

    def __init__(self, *args, country: str = "RU", **kwargs):
        super().__init__(*args, **kwargs)
        # Any problem may be ticked, so every declared fact is offered, each group folded.
        self.add_facts(casefacts.specs_for(Case.ProblemType.values, {}, country=country))


class CaseFactsForm(VersionedForm, FactFieldsMixin, SubmissionTokenMixin, forms.ModelForm):
    # Not sent (an older page, a script): the case keeps its problems.
    problem_type = forms.ChoiceField(
        label=_("main problem"), choices=Case.ProblemType.choices, required=False
    )
    other_problem_types = _other_problems_field()

    class Meta:
        model = Case
        fields = [name for name in services.CASE_FACT_FIELDS if name != "extra_facts"]
        widgets = {
            name: DATE
            for name in (
                "arrival_date",
                "wage_period_start",
                "wage_period_end",
                "employment_end_date",
                "patent_issue_date",
                "ban_start_date",
                "passport_held_since",
                "detention_date",
            )
        } | {
            "ban_reason": forms.Textarea(attrs={"rows": 2}),
            "passport_recovery_steps": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, case: Case, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("problem_type", case.problem_type)
        self.initial.setdefault("other_problem_types", case.problem_types[1:])
        recorded = case.extra_facts if isinstance(case.extra_facts, dict) else {}
        specs = casefacts.specs_for(case.problem_types, recorded, country=case.country_of_stay)
        self.add_facts(specs, recorded)
        self.fields["ban_reason"].widget.attrs["maxlength"] = 2000
        self.fields["ban_reason"].max_length = 2000
        self.fields["passport_recovery_steps"].max_length = 5000

    def clean_ban_reason(self):
        value = self.cleaned_data["ban_reason"]
        if len(value) > 2000:
            raise ValidationError(_("Keep this under 2,000 characters."))
        return value

    def clean_passport_recovery_steps(self):
        value = self.cleaned_data["passport_recovery_steps"]
        if len(value) > 5000:
            raise ValidationError(_("Keep this under 5,000 characters."))
        return value

    def _post_clean(self):
        pass

    def service_values(self) -> dict:
        values = {name: self.cleaned_data[name] for name in self.Meta.fields}
        return values | {"extra_facts": self.extra_facts()}

    def problem_values(self) -> dict | None:
        if not self.cleaned_data["problem_type"]:
            return None
        return {
            "problem_type": self.cleaned_data["problem_type"],
            "other_problem_types": self.cleaned_data["other_problem_types"],
        }


FACT_GROUPS = [
    (_("Arrival and stay"), ["arrival_date", "entry_point", "host_address", "country_of_stay"]),
    (
        _("Employer and wages"),
        [
            "employer_name",
            "employer_tax_id",
            "amount_owed",
            "currency",
            "wage_period_start",
            "wage_period_end",
            "employment_end_date",
            "patent_issue_date",
        ],
    ),
    (_("Passport"), ["passport_holder", "passport_held_since", "passport_recovery_steps"]),
    (_("Re-entry ban"), ["ban_start_date", "ban_duration_years", "ban_reason"]),
    (_("Detention"), ["detention_date"]),
]


class NoteForm(SubmissionTokenMixin, forms.Form):
    bound_field_class = FastBoundField  # the case page's forms: rendered on every case page
    text = forms.CharField(
        label=_("Note"), max_length=10_000, widget=forms.Textarea(attrs={"rows": 3})
    )


class StatusForm(SubmissionTokenMixin, forms.Form):
    bound_field_class = FastBoundField
    to = forms.ChoiceField(label=_("New status"), choices=Case.Status.choices)
    outcome = forms.ChoiceField(label=_("outcome"), choices=Case.Outcome.choices, required=False)
    reason = forms.CharField(label=_("Comment"), max_length=1000, required=False)


class CloseForm(SubmissionTokenMixin, forms.Form):
    bound_field_class = FastBoundField
    # A blank first choice: the outcome is a decision, never a default someone forgot to change.
    outcome = forms.ChoiceField(
        label=_("outcome"),
        widget=FastSelect,
        choices=[("", _("Choose the outcome…")), *(c for c in Case.Outcome.choices if c[0])],
        required=True,
        error_messages={"required": _("Choose an outcome to close the case.")},
    )
    reason = forms.CharField(label=_("Comment"), max_length=1000, required=False)
    # Set by the confirmation step's button: the first submit only shows what closing does.
    confirmed = forms.BooleanField(required=False, widget=forms.HiddenInput)


class ReopenForm(SubmissionTokenMixin, forms.Form):
    bound_field_class = FastBoundField
    reason = forms.CharField(
        label=_("Why is the case reopened?"), max_length=1000, widget=forms.Textarea({"rows": 2})
    )


class ReopenRequestForm(SubmissionTokenMixin, forms.Form):
    bound_field_class = FastBoundField
    reason = forms.CharField(
        label=_("Why should the case be reopened?"),
        max_length=1000,
        widget=forms.Textarea({"rows": 2}),
    )


class TaskForm(SubmissionTokenMixin, forms.Form):
    bound_field_class = FastBoundField
    title = forms.CharField(label=_("task"), max_length=200)
    due_date = forms.DateField(label=_("due"), required=False, widget=DATE)


class SearchForm(Labelled, forms.Form):
    q = forms.CharField(label=_("Name, phone or case number"), max_length=200, required=False)


class FilterForm(Labelled, forms.Form):
    bound_field_class = FastBoundField  # rendered on every case list page
    STATUS_CHOICES = [
        ("", _("Any status")),
        ("open", _("All open")),
        ("waiting", _("All waiting")),
        ("closed", _("Resolved or closed")),
        *Case.Status.choices,
    ]
    status = forms.ChoiceField(
        label=_("status"), choices=STATUS_CHOICES, required=False, widget=FastSelect
    )
    problem_type = forms.ChoiceField(
        label=_("problem"),
        choices=[("", _("Any problem")), *Case.ProblemType.choices],
        required=False,
        widget=FastSelect,
    )
    assignee = forms.ChoiceField(label=_("assignee"), required=False, widget=FastSelect)
    citizenship = forms.ChoiceField(
        label=_("citizenship"),
        choices=[("", _("Any citizenship")), *CITIZENSHIPS],
        required=False,
        widget=FastSelect,
    )
    overdue = forms.BooleanField(label=_("overdue only"), required=False)
    due_soon = forms.BooleanField(label=_("due within 7 days"), required=False)
    sort = forms.ChoiceField(
        label=_("sort"), choices=list(SORT_LABELS.items()), required=False, widget=FastSelect
    )

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        # Plain values from the members cache: this runs on every case list page.
        self.fields["assignee"].choices = [
            ("", _("Anyone")),
            ("me", _("Me")),
            ("none", _("Unassigned")),
            *[(str(m.user_id), m.name) for m in member_cache.active_members(organisation.pk)],
        ]


class MemberAddForm(Labelled, forms.Form):
    existing = forms.CharField(
        label=_("Existing user (username or email)"), max_length=254, required=False
    )
    new_username = forms.CharField(label=_("or new username"), max_length=150, required=False)
    new_email = forms.EmailField(label=_("email"), required=False)
    new_password = forms.CharField(
        label=_("initial password"),
        required=False,
        max_length=128,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
    )
    role = forms.ChoiceField(label=_("role"), choices=Membership.Role.choices)

    def clean(self):
        from django.db.models import Q

        from accounts.models import User

        data = super().clean()
        existing = (data.get("existing") or "").strip()
        if existing and data.get("new_username"):
            raise ValidationError(_("Either name an existing user or create a new one, not both."))
        if existing:
            users = list(
                User.objects.filter(Q(username__iexact=existing) | Q(email__iexact=existing))[:2]
            )
            if len(users) != 1:
                self.add_error("existing", _("No single user has this username or email."))
            else:
                data["existing_user"] = users[0]
        elif not data.get("new_username"):
            self.add_error("existing", _("Name an existing user or fill in a new username."))
        elif not data.get("new_password"):
            self.add_error("new_password", _("A new user needs an initial password."))
        return data


class MembershipForm(Labelled, forms.ModelForm):
    class Meta:
        model = Membership
        fields = ["role", "is_active", *memberships.MEMBERSHIP_FLAGS]

    def _post_clean(self):
        pass


# Consent (cases.consent): one form on the case page, one section of the intake form.
class ConsentForm(Labelled, forms.Form):
    bound_field_class = FastBoundField
    channel = forms.ChoiceField(
        label=_("channel"), choices=Consent.Channel.choices, widget=FastSelect
    )
    purpose = forms.ChoiceField(
        label=_("purpose"), choices=Consent.Purpose.choices, widget=FastSelect
    )
    method = forms.ChoiceField(
        label=_("how it was given"), choices=Consent.Method.choices, widget=FastSelect
    )


class IntakeConsentForm(Labelled, forms.Form):
    channels = forms.MultipleChoiceField(
        label=_("The migrant agrees to reminders by"),
        choices=[c for c in Consent.Channel.choices if c[0]],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    share_partner = forms.BooleanField(
        label=_("The migrant agrees that we share the case with a partner organisation"),
        required=False,
    )
    method = forms.ChoiceField(
        label=_("how it was given"),
        choices=Consent.Method.choices,
        initial=Consent.Method.IN_PERSON,
        required=False,
    )

    def clean(self):
        data = super().clean()
        if (data.get("channels") or data.get("share_partner")) and not data.get("method"):
            self.add_error("method", _("Say how the migrant gave consent."))
        return data
