"""A case's several problems: one primary (lists, statistics by primary) and any others.

The plan is the union of the rules of all of them (content.engine); statistics count a case
under each of its problems (stats.queries, through Case.problems).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from cases import permissions, planning
from cases.models import Case, CaseProblem, TimelineEvent


def clean_problem_types(primary: str, others: Iterable[str] = ()) -> list[str]:
    """The case's problems, primary first, each once; unknown codes are a field error."""
    if primary not in Case.ProblemType.values:
        raise ValidationError({"problem_type": _("Choose one of the listed problems.")})
    others = list(others)
    unknown = sorted({code for code in others if code not in Case.ProblemType.values})
    if unknown:
        raise ValidationError(
            {
                "other_problem_types": _("Not a problem type: %(codes)s.")
                % {"codes": ", ".join(unknown)}
            }
        )
    return list(dict.fromkeys([primary, *others]))


def write_problems(case: Case, problem_types: list[str]) -> bool:
    """Make the case's problem rows exactly `problem_types`; did anything change?"""
    current = set(case.problems.values_list("problem_type", flat=True))
    wanted = set(problem_types)
    if current == wanted:
        return False
    case.problems.exclude(problem_type__in=wanted).delete()
    CaseProblem.objects.bulk_create(
        [CaseProblem(case=case, problem_type=code) for code in problem_types if code not in current]
    )
    return True


@transaction.atomic
def change_problems(
    *, case: Case, problem_type: str, other_problem_types: Iterable[str], by
) -> Case:
    """Set a case's primary problem and its other problems; the plan follows."""
    permissions.require(by, case.organisation, permissions.Action.EDIT_CASE)
    case = Case.objects.select_for_update().get(pk=case.pk)
    if case.is_closed:
        raise ValidationError(_("A closed case cannot be changed; reopen it first."))
    codes = clean_problem_types(problem_type, other_problem_types)
    before = case.problem_types
    changed = write_problems(case, codes)
    if case.problem_type != codes[0]:
        case.problem_type = codes[0]
        case._history_user = by
        case.save(update_fields=["problem_type", "updated_at"])
        changed = True
    if not changed:
        return case
    TimelineEvent.objects.create(
        case=case,
        kind=TimelineEvent.Kind.FACTS,
        actor=by,
        data={"problems": {"from": before, "to": codes}},
    )
    planning.sync_plan(case=case, by=by)
    return case
