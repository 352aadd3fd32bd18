"""A case's checklist items, deadlines, tasks, reminders and deliveries."""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.utils import (
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from api.filters import (
    DeadlineFilter,
    DeliveryFilter,
    ReminderFilter,
    TaskFilter,
)
from api.serializers.cases import TaskSerializer
from api.serializers.plan import (
    ChecklistItemSerializer,
    ChecklistStateSerializer,
    DeadlineMetSerializer,
    DeadlineSerializer,
    DeadlineWaiveSerializer,
    DeliverySerializer,
    ReminderSerializer,
)
from api.views._common import (
    IF_MATCH,
    ETagRetrieveMixin,
    _visible_cases,
    expected_version,
    versioned,
)
from cases import deadlines as deadline_verbs
from cases import planning, services
from cases.models import (
    ChecklistItem,
    Deadline,
    Delivery,
    Reminder,
    Task,
)


class _CaseChildMixin:
    """Objects that belong to a case are visible exactly when their case is."""

    case_path = "case"

    def get_queryset(self):
        visible = {f"{self.case_path}__in": _visible_cases(self.request.user)}
        return self.model.objects.filter(**visible)


@extend_schema(tags=["checklist"])
@extend_schema_view(retrieve=extend_schema(operation_id="checklist_items_retrieve"))
class ChecklistItemViewSet(
    ETagRetrieveMixin, _CaseChildMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    model = ChecklistItem
    serializer_class = ChecklistItemSerializer
    filter_backends = []

    @extend_schema(
        operation_id="checklist_items_set_state",
        request=ChecklistStateSerializer,
        responses=ChecklistItemSerializer,
        parameters=[IF_MATCH],
        description="Tick (`have`), untick (`missing`) or otherwise mark an item.",
    )
    @action(detail=True, methods=["post"])
    def state(self, request, pk=None):
        item = self.get_object()
        form = ChecklistStateSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        item = planning.set_item_state(
            item=item,
            by=request.user,
            expected_version=expected_version(request),
            **form.validated_data,
        )
        return versioned(ChecklistItemSerializer(item).data, item)


@extend_schema(tags=["deadlines"])
@extend_schema_view(
    list=extend_schema(operation_id="deadlines_list", description="Deadlines across your cases."),
    retrieve=extend_schema(operation_id="deadlines_retrieve"),
)
class DeadlineViewSet(
    ETagRetrieveMixin,
    _CaseChildMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    model = Deadline
    serializer_class = DeadlineSerializer
    filterset_class = DeadlineFilter
    ordering_fields = ["due_date", "id"]
    ordering = ["due_date", "id"]

    @extend_schema(
        operation_id="deadlines_mark_met",
        request=DeadlineMetSerializer,
        responses=DeadlineSerializer,
        parameters=[IF_MATCH],
        description="Record that the deadline was met (on a date, default today).",
    )
    @action(detail=True, methods=["post"])
    def met(self, request, pk=None):
        deadline = self.get_object()
        form = DeadlineMetSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        on = form.validated_data.get("on") or timezone.localdate()
        deadline = deadline_verbs.mark_met(
            deadline=deadline,
            on=on,
            by=request.user,
            note=form.validated_data["note"],
            expected_version=expected_version(request),
        )
        return versioned(DeadlineSerializer(deadline).data, deadline)

    @extend_schema(
        operation_id="deadlines_waive",
        request=DeadlineWaiveSerializer,
        responses=DeadlineSerializer,
        parameters=[IF_MATCH],
        description="Waive the deadline (it no longer matters), with a reason.",
    )
    @action(detail=True, methods=["post"])
    def waive(self, request, pk=None):
        deadline = self.get_object()
        form = DeadlineWaiveSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        deadline = deadline_verbs.waive(
            deadline=deadline,
            by=request.user,
            reason=form.validated_data["reason"],
            expected_version=expected_version(request),
        )
        return versioned(DeadlineSerializer(deadline).data, deadline)


@extend_schema(tags=["tasks"])
@extend_schema_view(
    list=extend_schema(operation_id="tasks_list", description="Tasks across your cases."),
    retrieve=extend_schema(operation_id="tasks_retrieve"),
)
class TaskViewSet(
    _CaseChildMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    model = Task
    serializer_class = TaskSerializer
    filterset_class = TaskFilter
    ordering_fields = ["due_date", "created_at", "id"]
    ordering = ["-id"]

    def get_queryset(self):
        return super().get_queryset().select_related("case__organisation")

    @extend_schema(operation_id="tasks_complete", request=None, responses=TaskSerializer)
    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        task = services.complete_task(task=self.get_object(), by=request.user)
        return Response(TaskSerializer(task).data)


@extend_schema(tags=["reminders"])
@extend_schema_view(
    list=extend_schema(operation_id="reminders_list"),
    retrieve=extend_schema(operation_id="reminders_retrieve"),
)
class ReminderViewSet(
    _CaseChildMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    model = Reminder
    case_path = "deadline__case"
    serializer_class = ReminderSerializer
    filterset_class = ReminderFilter
    ordering_fields = ["send_at", "id"]
    ordering = ["-id"]

    def get_queryset(self):
        return super().get_queryset().select_related("deadline")


@extend_schema(tags=["reminders"])
@extend_schema_view(
    list=extend_schema(operation_id="deliveries_list"),
    retrieve=extend_schema(operation_id="deliveries_retrieve"),
)
class DeliveryViewSet(
    _CaseChildMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    model = Delivery
    case_path = "reminder__deadline__case"
    serializer_class = DeliverySerializer
    filterset_class = DeliveryFilter
    ordering_fields = ["created_at", "id"]
    ordering = ["-id"]
