"""The API's views: thin. They scope, validate shapes, call a service and serialise.

Every object is fetched through Case.objects.visible_to / Migrant.objects.visible_to, so
another organisation's object is a 404. Every write is a call into cases.services,
cases.planning or cases.deadlines; the business rules live there, never here.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import authenticate, get_user_model
from django.core.exceptions import ObjectDoesNotExist
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action, api_view
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from api import serializers as s
from api.filters import (
    CaseFilter,
    ChecklistRuleFilter,
    DeadlineFilter,
    DeadlineRuleFilter,
    DeliveryFilter,
    MigrantFilter,
    ReminderFilter,
    TaskFilter,
)
from api.idempotency import PARAMETER as IDEMPOTENCY_KEY
from api.idempotency import idempotent
from api.models import ApiToken
from api.pagination import CursorPage
from api.schema import ErrorSerializer
from api.throttling import PreviewThrottle, TokenObtainThrottle
from audit import services as audit
from cases import deadlines as deadline_verbs
from cases import permissions as case_permissions
from cases import planning, services
from cases.models import (
    Case,
    ChecklistItem,
    Deadline,
    Delivery,
    Membership,
    Migrant,
    Reminder,
    Task,
    TimelineEvent,
)
from cases.organisations import current_membership
from content import queries
from content import services as content_services
from content.engine import Facts
from content.models import DeadlineRule, DocumentType, Rule
from stats import exports as stats_exports
from stats import queries as stats_queries
from stats import tables as stats_tables

User = get_user_model()


class TimelinePage(CursorPage):
    ordering = ("-created_at", "-id")


def _visible_cases(user):
    return Case.objects.visible_to(user)


def _member_user(user_id: int | None):
    """The user an id names, for a service to check membership; unknown ids fail the same way."""
    if user_id is None:
        return None
    user = User.objects.filter(pk=user_id).first()
    if user is None:
        raise ValidationError(
            {"assignee": [_("The assignee must be a member of this organisation.")]}
        )
    return user


# ——— Public ———


@extend_schema(
    operation_id="ping",
    responses=s.PingSerializer,
    tags=["meta"],
    description="A trivial answer: the framework's ceiling for benchmarks and load balancers.",
)
@api_view(["GET"])
def ping(request):
    return Response({"status": "ok"})


ping.cls.authentication_classes = []
ping.cls.permission_classes = [permissions.AllowAny]
ping.cls.throttle_classes = []


@extend_schema(exclude=True)
@api_view(["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"])
def not_found(request):
    raise NotFound()


not_found.cls.authentication_classes = []
not_found.cls.permission_classes = [permissions.AllowAny]


class RulesPreviewView(APIView):
    """What the rules say for these facts: the checklist and deadlines, translated. No login."""

    authentication_classes = []
    permission_classes = [permissions.AllowAny]
    throttle_classes = [PreviewThrottle]
    validates_query = True

    @extend_schema(
        operation_id="rules_preview",
        parameters=[s.PreviewQuerySerializer],
        responses=s.PreviewSerializer,
        tags=["rules"],
    )
    def get(self, request):
        query = s.PreviewQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        extra = {
            name: data[name]
            for name in (
                "patent_issue_date",
                "employment_end_date",
                "ban_start_date",
                "ban_duration_years",
                "passport_holder",
            )
            if name in data
        }
        facts = Facts(
            problem_type=data["problem_type"],
            citizenship=data["citizenship"],
            country_of_stay=data["country_of_stay"],
            arrival_date=data.get("arrival_date"),
            extra=extra,
        )
        plan = queries.plan_for(facts, on=data.get("on"))
        lang = data["lang"]
        items = []
        for item in plan.items:
            text = queries.document_text(item.document_code, lang)
            items.append(
                {
                    "document_code": item.document_code,
                    "name": text.name,
                    "description": text.description,
                    "how_to_obtain": text.how_to_obtain,
                    "cost": text.cost,
                    "validity": text.validity,
                    "rule_key": item.rule_key,
                    "source": item.source,
                    "unverified": item.unverified,
                }
            )
        planned = []
        for deadline in plan.deadlines:
            text = queries.deadline_text(deadline.rule_key, lang)
            planned.append(
                {
                    "key": deadline.key,
                    "title": text.title or deadline.title,
                    "advice": text.advice,
                    "due": deadline.due,
                    "basis_fact": deadline.basis_fact,
                    "basis_date": deadline.basis_date,
                    "explanation": deadline.explanation,
                    "rule_key": deadline.rule_key,
                    "source": deadline.source,
                    "unverified": deadline.unverified,
                }
            )
        body = {"language": lang, "items": items, "deadlines": planned}
        return Response(s.PreviewSerializer(body).data)


# ——— Tokens and the current user ———


class TokenObtainView(APIView):
    """Exchange a username and password for an integration token (shown once)."""

    authentication_classes = []
    permission_classes = [permissions.AllowAny]
    throttle_classes = [TokenObtainThrottle]

    @extend_schema(
        operation_id="auth_token_create",
        request=s.TokenObtainSerializer,
        responses={201: s.TokenIssuedSerializer},
        tags=["auth"],
    )
    def post(self, request):
        form = s.TokenObtainSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        user = authenticate(
            request._request,
            username=form.validated_data["username"],
            password=form.validated_data["password"],
        )
        if user is None:
            raise ValidationError({"non_field_errors": [_("Wrong username or password.")]})
        token, raw = ApiToken.issue(user=user, name=form.validated_data["name"])
        token.token = raw
        return Response(s.TokenIssuedSerializer(token).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["auth"])
@extend_schema_view(
    list=extend_schema(operation_id="auth_tokens_list", description="Your tokens."),
    destroy=extend_schema(operation_id="auth_tokens_revoke", description="Revoke a token."),
)
class ApiTokenViewSet(mixins.ListModelMixin, mixins.DestroyModelMixin, viewsets.GenericViewSet):
    serializer_class = s.ApiTokenSerializer
    queryset = ApiToken.objects.none()  # for the schema; get_queryset scopes to the owner
    filter_backends = []

    def get_queryset(self):
        return ApiToken.objects.filter(user=self.request.user)

    def perform_destroy(self, instance):
        if instance.revoked_at is None:
            instance.revoked_at = timezone.now()
            instance.save(update_fields=["revoked_at"])


class MeView(APIView):
    @extend_schema(operation_id="me", responses=s.MeSerializer, tags=["auth"])
    def get(self, request):
        user = request.user
        memberships = Membership.objects.filter(user=user, is_active=True).select_related(
            "organisation"
        )
        body = {
            "id": user.pk,
            "username": user.get_username(),
            "first_name": user.first_name,
            "last_name": user.last_name,
            "email": user.email,
            "language": user.language,
            "memberships": memberships,
        }
        return Response(s.MeSerializer(body).data)


# ——— Migrants ———


@extend_schema(tags=["migrants"])
@extend_schema_view(
    list=extend_schema(operation_id="migrants_list"),
    retrieve=extend_schema(operation_id="migrants_retrieve"),
    create=extend_schema(
        operation_id="migrants_create",
        request=s.MigrantCreateSerializer,
        responses={201: s.MigrantSerializer},
        parameters=[IDEMPOTENCY_KEY],
    ),
    partial_update=extend_schema(
        operation_id="migrants_update",
        request=s.MigrantWriteSerializer,
        responses=s.MigrantSerializer,
    ),
)
class MigrantViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = s.MigrantSerializer
    filterset_class = MigrantFilter
    ordering_fields = ["created_at", "id"]
    ordering = ["-id"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return Migrant.objects.visible_to(self.request.user).select_related("organisation")

    def _organisation(self, organisation_id: int | None):
        if organisation_id is not None:
            membership = Membership.objects.filter(
                user=self.request.user, organisation_id=organisation_id, is_active=True
            ).first()
            if membership is None:
                raise ValidationError(
                    {"organisation": [_("You are not a member of this organisation.")]}
                )
            return membership.organisation
        membership = current_membership(self.request._request)
        if membership is None:
            raise ValidationError(
                {"organisation": [_("You are not a member of any organisation.")]}
            )
        return membership.organisation

    @idempotent
    def create(self, request, *args, **kwargs):
        form = s.MigrantCreateSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        values = dict(form.validated_data)
        organisation = self._organisation(values.pop("organisation", None))
        migrant = services.create_migrant(organisation=organisation, by=request.user, **values)
        return Response(s.MigrantSerializer(migrant).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        operation_id="migrants_reveal_passport",
        request=None,
        responses=s.PassportSerializer,
        description="The full passport number, for members allowed to reveal identifiers. "
        "Each reveal is written to the audit log.",
    )
    @action(detail=True, methods=["post"], url_path="reveal-passport")
    def reveal_passport(self, request, pk=None):
        migrant = self.get_object()
        case_permissions.require(
            request.user, migrant.organisation, case_permissions.Action.REVEAL_IDENTIFIERS
        )
        audit.record(
            actor=request.user,
            action="passport.reveal",
            organisation=migrant.organisation,
            obj=migrant,
            detail={"via": "api"},
        )
        return Response({"passport_number": migrant.passport_number or ""})

    @extend_schema(
        operation_id="migrants_find_duplicates",
        request=s.DuplicateQuerySerializer,
        responses=s.MigrantSerializer(many=True),
        description="Likely duplicates before registering someone: the same phone, or the same "
        "name (either script) and date of birth. At most 20.",
    )
    @action(
        detail=False,
        methods=["post"],
        url_path="duplicates",
        filter_backends=[],
        pagination_class=None,
    )
    def duplicates(self, request):
        form = s.DuplicateQuerySerializer(data=request.data)
        form.is_valid(raise_exception=True)
        values = dict(form.validated_data)
        organisation = self._organisation(values.pop("organisation", None))
        found = services.find_duplicate_migrants(organisation=organisation, **values)
        found = found.filter(pk__in=Migrant.objects.visible_to(request.user)).order_by("-id")
        return Response(s.MigrantSerializer(found[:20], many=True).data)

    def partial_update(self, request, *args, **kwargs):
        migrant = self.get_object()
        form = s.MigrantWriteSerializer(data=request.data, partial=True)
        form.is_valid(raise_exception=True)
        migrant = services.update_migrant(migrant=migrant, by=request.user, **form.validated_data)
        return Response(s.MigrantSerializer(migrant).data)


# ——— Cases ———


def _case_action(operation_id: str, request, description: str):
    return extend_schema(
        operation_id=operation_id,
        request=request,
        responses=s.CaseSerializer,
        description=description,
        tags=["cases"],
    )


@extend_schema(tags=["cases"])
@extend_schema_view(
    list=extend_schema(operation_id="cases_list"),
    retrieve=extend_schema(operation_id="cases_retrieve"),
    create=extend_schema(
        operation_id="cases_create",
        request=s.CaseCreateSerializer,
        responses={201: s.CaseSerializer},
        parameters=[IDEMPOTENCY_KEY],
        description="Open a case for a migrant: numbered, and its checklist and deadlines "
        "planned from the rules in force.",
    ),
    partial_update=extend_schema(
        operation_id="cases_update_facts",
        request=s.CaseFactsSerializer,
        responses=s.CaseSerializer,
        description="Correct the case's facts; the checklist and deadlines follow.",
    ),
)
class CaseViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = s.CaseSerializer
    filterset_class = CaseFilter
    ordering_fields = ["opened_at", "updated_at", "id"]
    ordering = ["-opened_at", "-id"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return _visible_cases(self.request.user).select_related("organisation")

    def get_serializer_class(self):
        return {
            "timeline": s.TimelineEventSerializer,
            "checklist": s.ChecklistItemSerializer,
            "tasks": s.TaskSerializer,
            "deadlines": s.DeadlineSerializer,
        }.get(self.action, s.CaseSerializer)

    def filter_queryset(self, queryset):
        if self.action not in ("list",):
            return queryset  # case filters apply to the case list only
        return super().filter_queryset(queryset)

    @idempotent
    def create(self, request, *args, **kwargs):
        form = s.CaseCreateSerializer(data=request.data)
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
        return Response(s.CaseSerializer(case).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        case = self.get_object()
        form = s.CaseFactsSerializer(data=request.data, partial=True)
        form.is_valid(raise_exception=True)
        case = services.update_case_facts(case=case, by=request.user, **form.validated_data)
        return Response(s.CaseSerializer(case).data)

    @_case_action(
        "cases_change_status",
        s.StatusChangeSerializer,
        "Move the case along its workflow; resolving or closing needs an outcome.",
    )
    @action(detail=True, methods=["post"])
    def status(self, request, pk=None):
        case = self.get_object()
        form = s.StatusChangeSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        case = services.change_status(
            case=case,
            to=form.validated_data["status"],
            by=request.user,
            outcome=form.validated_data["outcome"],
            reason=form.validated_data["reason"],
        )
        return Response(s.CaseSerializer(case).data)

    @_case_action("cases_close", s.CloseSerializer, "Close the case with an outcome.")
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        case = self.get_object()
        form = s.CloseSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        case = services.close_case(case=case, by=request.user, **form.validated_data)
        return Response(s.CaseSerializer(case).data)

    @_case_action(
        "cases_reopen", s.ReopenSerializer, "Reopen a resolved or closed case (supervisors)."
    )
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        case = self.get_object()
        form = s.ReopenSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        case = services.reopen_case(case=case, by=request.user, **form.validated_data)
        return Response(s.CaseSerializer(case).data)

    @_case_action(
        "cases_assign",
        s.AssignSerializer,
        "Give the case to a member (yourself: any role; others: supervisors) or to nobody.",
    )
    @action(detail=True, methods=["post"])
    def assign(self, request, pk=None):
        case = self.get_object()
        form = s.AssignSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        assignee = _member_user(form.validated_data["assignee"])
        case = services.assign_case(case=case, assignee=assignee, by=request.user)
        return Response(s.CaseSerializer(case).data)

    @extend_schema(
        operation_id="cases_timeline",
        responses=s.TimelineEventSerializer(many=True),
        tags=["timeline"],
        description="The case's timeline, newest first: notes, status changes, who did what.",
    )
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=TimelinePage)
    def timeline(self, request, pk=None):
        case = self.get_object()
        page = self.paginate_queryset(TimelineEvent.objects.filter(case=case))
        serializer = s.TimelineEventSerializer(page, many=True)
        return self.paginator.get_paginated_response(serializer.data)

    @extend_schema(
        operation_id="cases_notes_create",
        request=s.NoteSerializer,
        responses={201: s.TimelineEventSerializer},
        parameters=[IDEMPOTENCY_KEY],
        tags=["timeline"],
        description="Add an internal note to the case timeline.",
    )
    @action(detail=True, methods=["post"])
    @idempotent
    def notes(self, request, pk=None):
        case = self.get_object()
        form = s.NoteSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        event = services.add_note(case=case, by=request.user, text=form.validated_data["text"])
        return Response(s.TimelineEventSerializer(event).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        operation_id="cases_checklist",
        responses=s.ChecklistItemSerializer(many=True),
        tags=["checklist"],
        description="The case's current checklist (items the rules no longer require are left "
        "out).",
    )
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def checklist(self, request, pk=None):
        case = self.get_object()
        items = case.checklist.filter(retired_at__isnull=True)
        return Response(s.ChecklistItemSerializer(items, many=True).data)

    @extend_schema(
        operation_id="cases_deadlines",
        responses=s.DeadlineSerializer(many=True),
        tags=["deadlines"],
        description="The case's deadlines (those that no longer apply are left out).",
    )
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def deadlines(self, request, pk=None):
        case = self.get_object()
        items = case.deadlines.exclude(state=Deadline.State.RETIRED)
        return Response(s.DeadlineSerializer(items, many=True).data)

    @extend_schema(
        operation_id="cases_deadlines_create",
        request=s.ManualDeadlineSerializer,
        responses={201: s.DeadlineSerializer},
        parameters=[IDEMPOTENCY_KEY],
        tags=["deadlines"],
        description="Add a deadline by hand (e.g. a court date), with reminders.",
    )
    @deadlines.mapping.post
    @idempotent
    def add_deadline(self, request, pk=None):
        case = self.get_object()
        form = s.ManualDeadlineSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        values = dict(form.validated_data)
        if "reminder_offsets" in values:
            values["reminder_offsets"] = tuple(values["reminder_offsets"])
        deadline = deadline_verbs.add_manual_deadline(case=case, by=request.user, **values)
        return Response(s.DeadlineSerializer(deadline).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        operation_id="cases_tasks",
        responses=s.TaskSerializer(many=True),
        tags=["tasks"],
        description="The case's tasks, open ones first.",
    )
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def tasks(self, request, pk=None):
        case = self.get_object()
        return Response(s.TaskSerializer(case.tasks.all(), many=True).data)

    @extend_schema(
        operation_id="cases_tasks_create",
        request=s.TaskCreateSerializer,
        responses={201: s.TaskSerializer},
        parameters=[IDEMPOTENCY_KEY],
        tags=["tasks"],
    )
    @tasks.mapping.post
    @idempotent
    def add_task(self, request, pk=None):
        case = self.get_object()
        form = s.TaskCreateSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        values = dict(form.validated_data)
        assignee = _member_user(values.pop("assignee", None))
        task = services.add_task(case=case, by=request.user, assignee=assignee, **values)
        return Response(s.TaskSerializer(task).data, status=status.HTTP_201_CREATED)


# ——— Checklist, deadlines, tasks, reminders, deliveries ———


class _CaseChildMixin:
    """Objects that belong to a case are visible exactly when their case is."""

    case_path = "case"

    def get_queryset(self):
        visible = {f"{self.case_path}__in": _visible_cases(self.request.user)}
        return self.model.objects.filter(**visible)


@extend_schema(tags=["checklist"])
@extend_schema_view(retrieve=extend_schema(operation_id="checklist_items_retrieve"))
class ChecklistItemViewSet(_CaseChildMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    model = ChecklistItem
    serializer_class = s.ChecklistItemSerializer
    filter_backends = []

    @extend_schema(
        operation_id="checklist_items_set_state",
        request=s.ChecklistStateSerializer,
        responses=s.ChecklistItemSerializer,
        description="Tick (`have`), untick (`missing`) or otherwise mark an item.",
    )
    @action(detail=True, methods=["post"])
    def state(self, request, pk=None):
        item = self.get_object()
        form = s.ChecklistStateSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        item = planning.set_item_state(item=item, by=request.user, **form.validated_data)
        return Response(s.ChecklistItemSerializer(item).data)


@extend_schema(tags=["deadlines"])
@extend_schema_view(
    list=extend_schema(operation_id="deadlines_list", description="Deadlines across your cases."),
    retrieve=extend_schema(operation_id="deadlines_retrieve"),
)
class DeadlineViewSet(
    _CaseChildMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    model = Deadline
    serializer_class = s.DeadlineSerializer
    filterset_class = DeadlineFilter
    ordering_fields = ["due_date", "id"]
    ordering = ["due_date", "id"]

    @extend_schema(
        operation_id="deadlines_mark_met",
        request=s.DeadlineMetSerializer,
        responses=s.DeadlineSerializer,
        description="Record that the deadline was met (on a date, default today).",
    )
    @action(detail=True, methods=["post"])
    def met(self, request, pk=None):
        deadline = self.get_object()
        form = s.DeadlineMetSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        on = form.validated_data.get("on") or timezone.localdate()
        deadline = deadline_verbs.mark_met(
            deadline=deadline, on=on, by=request.user, note=form.validated_data["note"]
        )
        return Response(s.DeadlineSerializer(deadline).data)

    @extend_schema(
        operation_id="deadlines_waive",
        request=s.DeadlineWaiveSerializer,
        responses=s.DeadlineSerializer,
        description="Waive the deadline (it no longer matters), with a reason.",
    )
    @action(detail=True, methods=["post"])
    def waive(self, request, pk=None):
        deadline = self.get_object()
        form = s.DeadlineWaiveSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        deadline = deadline_verbs.waive(
            deadline=deadline, by=request.user, reason=form.validated_data["reason"]
        )
        return Response(s.DeadlineSerializer(deadline).data)


@extend_schema(tags=["tasks"])
@extend_schema_view(
    list=extend_schema(operation_id="tasks_list", description="Tasks across your cases."),
    retrieve=extend_schema(operation_id="tasks_retrieve"),
)
class TaskViewSet(
    _CaseChildMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    model = Task
    serializer_class = s.TaskSerializer
    filterset_class = TaskFilter
    ordering_fields = ["due_date", "created_at", "id"]
    ordering = ["-id"]

    def get_queryset(self):
        return super().get_queryset().select_related("case__organisation")

    @extend_schema(operation_id="tasks_complete", request=None, responses=s.TaskSerializer)
    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        task = services.complete_task(task=self.get_object(), by=request.user)
        return Response(s.TaskSerializer(task).data)


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
    serializer_class = s.ReminderSerializer
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
    serializer_class = s.DeliverySerializer
    filterset_class = DeliveryFilter
    ordering_fields = ["created_at", "id"]
    ordering = ["-id"]


# ——— Rules content (read) ———


class DocumentTypeView(APIView):
    validates_query = True

    @extend_schema(
        operation_id="document_types_retrieve",
        parameters=[
            s.LanguageQuerySerializer,
            OpenApiParameter("code", OpenApiTypes.STR, OpenApiParameter.PATH),
        ],
        responses=s.DocumentTextSerializer,
        tags=["rules"],
        description="A document type's texts in a language (falling back to English).",
    )
    def get(self, request, code: str):
        query = s.LanguageQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        try:
            text = queries.document_text(code, query.validated_data["lang"])
        except (LookupError, ObjectDoesNotExist, DjangoValidationError) as exc:
            raise NotFound(_("No such document type.")) from exc
        return Response(s.DocumentTextSerializer(text).data)


class DocumentTypeListView(APIView):
    validates_query = True

    @extend_schema(
        operation_id="document_types_list",
        parameters=[s.LanguageQuerySerializer],
        responses=s.DocumentTypeSerializer(many=True),
        tags=["rules"],
        description="Every document type, with its texts in a language (falling back to English).",
    )
    def get(self, request):
        query = s.LanguageQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        lang = query.validated_data["lang"]
        body = []
        for document in DocumentType.objects.order_by("code"):
            text = queries.document_text(document.code, lang)
            body.append(
                {
                    "code": document.code,
                    "kind": document.kind,
                    "name": text.name,
                    "description": text.description,
                    "how_to_obtain": text.how_to_obtain,
                    "cost": text.cost,
                    "validity": text.validity,
                    "source": document.source,
                }
            )
        return Response(s.DocumentTypeSerializer(body, many=True).data)


class _RuleViewSetBase(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Members read the rules table; content admins (Django model permissions, as in the
    admin: content.add_… / content.change_…; superusers have all) create and edit it. A save
    is validated by the model's clean() and re-syncs open cases like an admin edit."""

    ordering_fields = ["key", "effective_from", "id"]
    ordering = ["key", "effective_from", "id"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return self.model.objects.select_related("group", *self.related)

    def _require(self, verb: str) -> None:
        meta = self.model._meta
        if not self.request.user.has_perm(f"{meta.app_label}.{verb}_{meta.model_name}"):
            raise PermissionDenied(_("Editing the rules table needs a content administrator."))

    def _save(self, form, rule, *, before):
        for name, value in form.validated_data.items():
            setattr(rule, name, value)
        rule, _job = content_services.save_rule(rule=rule, by=self.request.user, before=before)
        return rule

    def create(self, request, *args, **kwargs):
        self._require("add")
        form = self.get_serializer(data=request.data)
        form.is_valid(raise_exception=True)
        rule = self._save(form, self.model(), before=None)
        return Response(self.get_serializer(rule).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        rule = self.get_object()  # an unknown id is a 404 for everyone
        self._require("change")
        form = self.get_serializer(rule, data=request.data, partial=True)
        form.is_valid(raise_exception=True)
        rule = self._save(form, rule, before=list(rule.problem_types))
        return Response(self.get_serializer(rule).data)


def _rule_schema(prefix: str, serializer, what: str):
    return extend_schema_view(
        list=extend_schema(
            operation_id=f"{prefix}_list",
            description=f"The {what}, every version with its dates, source and review flag.",
        ),
        retrieve=extend_schema(operation_id=f"{prefix}_retrieve"),
        create=extend_schema(
            operation_id=f"{prefix}_create",
            responses={201: serializer},
            description="Content administrators: add a rule (or a new version of one). Open "
            "cases it may affect are re-synced in the background.",
        ),
        partial_update=extend_schema(
            operation_id=f"{prefix}_update",
            description="Content administrators: correct a rule. Open cases it affected or "
            "now affects are re-synced in the background.",
        ),
    )


@extend_schema(tags=["rules"])
@_rule_schema("rules", s.RuleSerializer, "checklist rules")
class RuleViewSet(_RuleViewSetBase):
    model = Rule
    related = ("document",)
    queryset = Rule.objects.none()  # for the schema; get_queryset reads the table
    serializer_class = s.RuleSerializer
    filterset_class = ChecklistRuleFilter


@extend_schema(tags=["rules"])
@_rule_schema("deadline_rules", s.DeadlineRuleSerializer, "deadline rules")
class DeadlineRuleViewSet(_RuleViewSetBase):
    model = DeadlineRule
    related = ()
    queryset = DeadlineRule.objects.none()
    serializer_class = s.DeadlineRuleSerializer
    filterset_class = DeadlineRuleFilter


# ——— Statistics ———


class StatisticsView(APIView):
    """Case counts of one organisation by a dimension (or two), for its administrators, with
    the statistics exports' small-cell suppression when the numbers are to leave it."""

    validates_query = True

    @extend_schema(
        operation_id="statistics",
        parameters=[s.StatisticsQuerySerializer],
        responses={
            200: s.StatisticsSerializer,
            404: OpenApiResponse(ErrorSerializer, description="Not a member of `organisation`."),
        },
        tags=["statistics"],
        description="Cases opened in the period, counted by `dimension` (and `cross`). "
        "`audience=outside` hides every count below k (shown as `<k`, with `x` for the "
        "complementary cells) exactly as the aggregate exports do.",
    )
    def get(self, request):
        query = s.StatisticsQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        organisation = self._organisation(data.get("organisation"))
        case_permissions.require(
            request.user, organisation, case_permissions.Action.VIEW_STATISTICS
        )
        filters = stats_queries.Filters(
            organisation_ids=(organisation.pk,),
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            problem=data.get("problem", ""),
            citizenship=data.get("citizenship", ""),
            region=data.get("region", ""),
        )
        k = settings.STATS_MIN_CELL if data["audience"] == "outside" else None
        rows, cols = data["dimension"], data.get("cross")
        table = stats_tables.breakdown(filters, rows, cols)
        margins = {}
        if cols:  # as the cross-table export: linked to the one-way tables' patterns
            margins = {
                "row_margin": stats_tables.breakdown(filters, rows),
                "col_margin": stats_tables.breakdown(filters, cols),
            }
        shown = stats_exports.present(table, k=k, **margins)
        body = {
            "organisation": organisation.pk,
            "dimension": rows,
            "cross": cols,
            "k": k,
            "withheld": shown.withheld,
            "columns": [
                {"key": str(key), "label": label}
                for key, label in zip(table.col_keys, shown.col_labels, strict=True)
            ],
            "rows": [
                {"key": str(key), "label": label, "counts": counts, "total": total}
                for key, label, counts, total in zip(
                    table.row_keys, shown.row_labels, shown.rows, shown.row_totals, strict=True
                )
            ],
            "column_totals": shown.col_totals,
            "total": shown.total,
        }
        return Response(s.StatisticsSerializer(body).data)

    def _organisation(self, organisation_id: int | None):
        if organisation_id is not None:
            membership = Membership.objects.filter(
                user=self.request.user, organisation_id=organisation_id, is_active=True
            ).first()
            if membership is None:
                raise NotFound()  # another organisation: as if it did not exist
            return membership.organisation
        membership = current_membership(self.request._request)
        if membership is None:
            raise PermissionDenied(_("You are not a member of any organisation."))
        return membership.organisation
