"""Cases and their actions (status, close, reopen, assign, notes, timeline)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import (
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from api.filters import (
    CaseFilter,
)
from api.idempotency import PARAMETER as IDEMPOTENCY_KEY
from api.idempotency import idempotent
from api.serializers.calculations import CaseCalculationsSerializer
from api.serializers.cases import (
    AssignSerializer,
    CaseCreateSerializer,
    CaseSerializer,
    CaseUpdateSerializer,
    CloseSerializer,
    NoteSerializer,
    ReopenSerializer,
    StatusChangeSerializer,
    TaskCreateSerializer,
    TaskSerializer,
    TimelineEventSerializer,
)
from api.serializers.plan import (
    ChecklistItemSerializer,
    DeadlineSerializer,
    ManualDeadlineSerializer,
)
from api.views._common import (
    IF_MATCH,
    ETagRetrieveMixin,
    TimelinePage,
    _member_user,
    _visible_cases,
    expected_version,
    versioned,
)
from cases import calculations, case_life, problems, services
from cases import deadlines as deadline_verbs
from cases.models import (
    Deadline,
    Migrant,
    TimelineEvent,
)


def _case_action(operation_id: str, request, description: str):
    return extend_schema(
        operation_id=operation_id,
        request=request,
        responses=CaseSerializer,
        description=description,
        tags=["cases"],
    )


@extend_schema(tags=["cases"])
@extend_schema_view(
    list=extend_schema(operation_id="cases_list"),
    retrieve=extend_schema(operation_id="cases_retrieve"),
    create=extend_schema(
        operation_id="cases_create",
        request=CaseCreateSerializer,
        responses={201: CaseSerializer},
        parameters=[IDEMPOTENCY_KEY],
        description="Open a case for a migrant: numbered, and its checklist and deadlines "
        "planned from the rules in force.",
    ),
    partial_update=extend_schema(
        operation_id="cases_update_facts",
        request=CaseUpdateSerializer,
        responses=CaseSerializer,
        parameters=[IF_MATCH],
        description="Correct the case's problems and facts; the checklist and deadlines "
        "follow. extra_facts is merged (null removes a fact); an unknown or mistyped fact is "
        "a 400 naming it.",
    ),
)
class CaseViewSet(
    ETagRetrieveMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = CaseSerializer
    filterset_class = CaseFilter
    ordering_fields = ["opened_at", "updated_at", "id"]
    ordering = ["-opened_at", "-id"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return (
            _visible_cases(self.request.user)
            .select_related("organisation")
            .prefetch_related("problems")
        )

    def get_serializer_class(self):
        return {
            "timeline": TimelineEventSerializer,
            "checklist": ChecklistItemSerializer,
            "tasks": TaskSerializer,
            "deadlines": DeadlineSerializer,
        }.get(self.action, CaseSerializer)

    def filter_queryset(self, queryset):
        if self.action not in ("list",):
            return queryset  # case filters apply to the case list only
        return super().filter_queryset(queryset)

    @idempotent
    def create(self, request, *args, **kwargs):
        form = CaseCreateSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        values = dict(form.validated_data)
        migrant = Migrant.objects.visible_to(request.user).filter(pk=values.pop("migrant")).first()
        if migrant is None:
            raise ValidationError({"migrant": [_("No such migrant among yours.")]})
        assignee = _member_user(values.pop("assignee", None))
        case = services.open_case(
            organisation=migrant.organisation,
            migrant=migrant,
            by=request.user,
            assignee=assignee,
            **values,
        )
        return Response(CaseSerializer(case).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        case = self.get_object()
        form = CaseUpdateSerializer(data=request.data, partial=True)
        form.is_valid(raise_exception=True)
        values = dict(form.validated_data)
        primary = values.pop("problem_type", None)
        others = values.pop("other_problem_types", None)
        with transaction.atomic():
            if primary is not None or others is not None:
                case = problems.change_problems(
                    case=case,
                    problem_type=primary or case.problem_type,
                    other_problem_types=case.problem_types[1:] if others is None else others,
                    by=request.user,
                )
            case = services.update_case_facts(
                case=case,
                by=request.user,
                expected_version=expected_version(request),
                **values,
            )
        return versioned(CaseSerializer(case).data, case)

    @_case_action(
        "cases_change_status",
        StatusChangeSerializer,
        "Move the case along its workflow; resolving or closing needs an outcome.",
    )
    @action(detail=True, methods=["post"])
    def status(self, request, pk=None):
        case = self.get_object()
        form = StatusChangeSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        case = services.change_status(
            case=case,
            to=form.validated_data["status"],
            by=request.user,
            outcome=form.validated_data["outcome"],
            reason=form.validated_data["reason"],
        )
        return Response(CaseSerializer(case).data)

    @_case_action("cases_close", CloseSerializer, "Close the case with an outcome.")
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        case = self.get_object()
        form = CloseSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        case = services.close_case(case=case, by=request.user, **form.validated_data)
        return Response(CaseSerializer(case).data)

    @_case_action(
        "cases_reopen", ReopenSerializer, "Reopen a resolved or closed case (supervisors)."
    )
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        case = self.get_object()
        form = ReopenSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        case = case_life.reopen_case(case=case, by=request.user, **form.validated_data)
        return Response(CaseSerializer(case).data)

    @_case_action(
        "cases_assign",
        AssignSerializer,
        "Give the case to a member (yourself: any role; others: supervisors) or to nobody.",
    )
    @action(detail=True, methods=["post"])
    def assign(self, request, pk=None):
        case = self.get_object()
        form = AssignSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        assignee = _member_user(form.validated_data["assignee"])
        case = services.assign_case(case=case, assignee=assignee, by=request.user)
        return Response(CaseSerializer(case).data)

    @extend_schema(
        operation_id="cases_timeline",
        responses=TimelineEventSerializer(many=True),
        tags=["timeline"],
        description="The case's timeline, newest first: notes, status changes, who did what.",
    )
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=TimelinePage)
    def timeline(self, request, pk=None):
        case = self.get_object()
        page = self.paginate_queryset(TimelineEvent.objects.filter(case=case))
        serializer = TimelineEventSerializer(page, many=True)
        return self.paginator.get_paginated_response(serializer.data)

    @extend_schema(
        operation_id="cases_notes_create",
        request=NoteSerializer,
        responses={201: TimelineEventSerializer},
        parameters=[IDEMPOTENCY_KEY],
        tags=["timeline"],
        description="Add an internal note to the case timeline.",
    )
    @action(detail=True, methods=["post"])
    @idempotent
    def notes(self, request, pk=None):
        case = self.get_object()
        form = NoteSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        event = services.add_note(case=case, by=request.user, text=form.validated_data["text"])
        return Response(TimelineEventSerializer(event).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        operation_id="cases_checklist",
        responses=ChecklistItemSerializer(many=True),
        tags=["checklist"],
        description="The case's current checklist (items the rules no longer require are left "
        "out).",
    )
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def checklist(self, request, pk=None):
        case = self.get_object()
        items = case.checklist.filter(retired_at__isnull=True)
        return Response(ChecklistItemSerializer(items, many=True).data)

    @extend_schema(
        operation_id="cases_deadlines",
        responses=DeadlineSerializer(many=True),
        tags=["deadlines"],
        description="The case's deadlines (those that no longer apply are left out).",
    )
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def deadlines(self, request, pk=None):
        case = self.get_object()
        items = case.deadlines.exclude(state=Deadline.State.RETIRED)
        return Response(DeadlineSerializer(items, many=True).data)

    @extend_schema(
        operation_id="cases_deadlines_create",
        request=ManualDeadlineSerializer,
        responses={201: DeadlineSerializer},
        parameters=[IDEMPOTENCY_KEY],
        tags=["deadlines"],
        description="Add a deadline by hand (e.g. a court date), with reminders.",
    )
    @deadlines.mapping.post
    @idempotent
    def add_deadline(self, request, pk=None):
        case = self.get_object()
        form = ManualDeadlineSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        values = dict(form.validated_data)
        if "reminder_offsets" in values:
            values["reminder_offsets"] = tuple(values["reminder_offsets"])
        deadline = deadline_verbs.add_manual_deadline(case=case, by=request.user, **values)
        return Response(DeadlineSerializer(deadline).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        operation_id="cases_tasks",
        responses=TaskSerializer(many=True),
        tags=["tasks"],
        description="The case's tasks, open ones first.",
    )
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def tasks(self, request, pk=None):
        case = self.get_object()
        return Response(TaskSerializer(case.tasks.all(), many=True).data)

    @extend_schema(
        operation_id="cases_tasks_create",
        request=TaskCreateSerializer,
        responses={201: TaskSerializer},
        parameters=[IDEMPOTENCY_KEY],
        tags=["tasks"],
    )
    @tasks.mapping.post
    @idempotent
    def add_task(self, request, pk=None):
        case = self.get_object()
        form = TaskCreateSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        values = dict(form.validated_data)
        assignee = _member_user(values.pop("assignee", None))
        task = services.add_task(case=case, by=request.user, assignee=assignee, **values)
        return Response(TaskSerializer(task).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        operation_id="cases_calculations",
        responses=CaseCalculationsSerializer,
        tags=["cases"],
        description="Compensation for late wages (Labour Code art. 236, per key-rate period, "
        "rounded half-up to kopecks), the last day to sue (art. 392 p. 2) and a re-entry ban's "
        "last day and earliest lawful return, computed from the case's facts and the key-rate "
        "table today. `wages` and `ban` are null when the case has no such problem or its "
        "details are restricted for this user.",
    )
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def calculations(self, request, pk=None):
        case = self.get_object()
        today = timezone.localdate()
        found = calculations.for_case(case, user=request.user, today=today)
        if found is None:
            found = calculations.CaseCalculations(calculated_on=today, wages=None, ban=None)
        return Response(CaseCalculationsSerializer(found).data)
