"""The facts a case records beyond its columns (Case.extra_facts), as the rules and the
statistics declare them (content/rules/facts.yaml): validation for the services, and the form
fields the intake and facts forms ask, grouped for progressive disclosure."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from content import facts as declared
from content import queries
from content.facts import FactSpec

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
YES_NO = [("", _("Not known")), ("yes", _("Yes")), ("no", _("No"))]


def clean_extra_facts(current: Mapping[str, Any], incoming: Mapping[str, Any]) -> dict[str, Any]:
    """The case's extra facts with `incoming` applied (empty removes a fact); every bad
    field raises at once, keyed by the fact's name (forms and the API put it beside it)."""
    if not isinstance(incoming, Mapping):
        raise ValidationError({"extra_facts": _("Facts are a mapping of name to value.")})
    errors = declared.fact_errors(incoming)
    if errors:
        raise ValidationError({name: message for name, message in errors.items()})
    merged = {k: v for k, v in (current or {}).items() if k not in incoming}
    for name, value in incoming.items():
        if value in (None, "", []):
            continue
        merged[name] = value.isoformat() if isinstance(value, date) else value
    return merged


def _language() -> str:
    return (translation.get_language() or "en").split("-")[0]


def form_field(spec: FactSpec) -> forms.Field:
    language = _language()
    label = spec.label(language)
    if spec.type == "date":
        return forms.DateField(label=label, required=False, widget=DATE)
    if spec.type == "bool":
        return forms.TypedChoiceField(
            label=label,
            required=False,
            choices=YES_NO,
            coerce=lambda v: v == "yes",
            empty_value=None,
        )
    if spec.type == "int":
        return forms.IntegerField(label=label, required=False, min_value=0)
    if spec.type == "choice":
        choices = [("", "—"), *spec.choice_labels(language)]
        return forms.ChoiceField(label=label, required=False, choices=choices)
    if spec.type == "multichoice":
        return forms.MultipleChoiceField(
            label=label,
            required=False,
            choices=spec.choice_labels(language),
            widget=forms.CheckboxSelectMultiple,
        )
    return forms.CharField(label=label, required=False, max_length=500)


def _initial(spec: FactSpec, value: Any) -> Any:
    if spec.type == "bool" and isinstance(value, bool):
        return "yes" if value else "no"
    return value


def add_fact_fields(
    form: forms.Form, specs: Iterable[FactSpec], values: Mapping[str, Any] | None = None
) -> list[FactSpec]:
    """Add one field per fact to `form` (named by the fact, so service errors land on it)."""
    added = []
    for spec in specs:
        form.fields[spec.key] = form_field(spec)
        if values and spec.key in values:
            form.initial[spec.key] = _initial(spec, values[spec.key])
        added.append(spec)
    return added


def specs_for(problem_types: Iterable[str], recorded: Mapping[str, Any], *, country: str):
    """The facts to ask: those the case's problems' rules read, and any already recorded."""
    specs = queries.needed_facts(problem_types, country=country)
    keys = {s.key for s in specs}
    specs += [
        spec
        for key, spec in declared.declarations().facts.items()
        if key in (recorded or {}) and key not in keys
    ]
    return specs


def grouped(form: forms.Form, specs: Iterable[FactSpec]) -> list[dict[str, Any]]:
    """Fact fields by group, for <details> blocks: open when a field is filled or in error."""
    language = _language()
    decl = declared.declarations()
    groups: dict[str, dict[str, Any]] = {}
    for spec in specs:
        bound = form[spec.key]
        group = groups.setdefault(
            spec.group,
            {"code": spec.group, "title": decl.group_label(spec.group, language), "fields": []},
        )
        group["fields"].append(bound)
    for group in groups.values():
        group["open"] = any(
            bound.errors or bound.value() not in (None, "", []) for bound in group["fields"]
        )
    order = list(decl.groups)
    return sorted(groups.values(), key=lambda g: order.index(g["code"]))


def extra_values(cleaned_data: Mapping[str, Any], specs: Iterable[FactSpec]) -> dict[str, Any]:
    """The submitted facts for the service (an emptied field removes the fact)."""
    return {spec.key: cleaned_data.get(spec.key) for spec in specs}


def display_rows(recorded: Mapping[str, Any]) -> list[tuple[str, str]]:
    """The recorded extra facts as (label, value) in the case page's language."""
    language = _language()
    rows = []
    for key, spec in declared.declarations().facts.items():
        value = (recorded or {}).get(key)
        if value in (None, "", []):
            continue
        labels = dict(spec.choice_labels(language))
        if spec.type == "multichoice" and isinstance(value, list):
            shown = ", ".join(labels.get(v, v) for v in value)
        elif spec.type == "bool":
            shown = str(_("Yes") if value else _("No"))
        else:
            shown = labels.get(value, str(value)) if isinstance(value, str) else str(value)
        rows.append((spec.label(language), shown))
    return rows
