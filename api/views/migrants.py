"""Migrants: list, read, create, update, duplicates, passport reveal."""

from __future__ import annotations

from functools import partial

from drf_spectacular.utils import (
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from api.filters import (
    MigrantFilter,
)
from api.idempotency import PARAMETER as IDEMPOTENCY_KEY
from api.idempotency import idempotent
from api.serializers.consents import (
    ConsentGiveSerializer,
    ConsentSerializer,
    ConsentWithdrawSerializer,
)
from api.serializers.migrants import (
    DuplicateQuerySerializer,
    MigrantCreateSerializer,
    MigrantSerializer,
    MigrantWriteSerializer,
    PassportSerializer,
)
from api.serializers.stays import (
    AddressSerializer,
    EntrySerializer,
    ExitSerializer,
    MoveSerializer,
    StaySerializer,
)
from api.views._common import (
    IF_MATCH,
    ETagRetrieveMixin,
    expected_version,
    organisation_to_write,
    versioned,
)
from audit import services as audit
from audit.actions import Action as AuditAction
from cases import consent, services
from cases import permissions as case_permissions
from cases import stays as stay_records
from cases.models import (
    Migrant,
)


@extend_schema(tags=["migrants"])
@extend_schema_view(
    list=extend_schema(operation_id="migrants_list"),
    retrieve=extend_schema(operation_id="migrants_retrieve"),
    create=extend_schema(
        operation_id="migrants_create",
        request=MigrantCreateSerializer,
        responses={201: MigrantSerializer},
        parameters=[IDEMPOTENCY_KEY],
    ),
    partial_update=extend_schema(
        operation_id="migrants_update",
        request=MigrantWriteSerializer,
        responses=MigrantSerializer,
        parameters=[IF_MATCH],
    ),
)
class MigrantViewSet(
    ETagRetrieveMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = MigrantSerializer
    filterset_class = MigrantFilter
    ordering_fields = ["created_at", "id"]
    ordering = ["-id"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return Migrant.objects.visible_to(self.request.user).select_related("organisation")

    @idempotent
    def create(self, request, *args, **kwargs):
        form = MigrantCreateSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        values = dict(form.validated_data)
        organisation = organisation_to_write(request, values.pop("organisation", None))
        migrant = services.create_migrant(organisation=organisation, by=request.user, **values)
        return Response(MigrantSerializer(migrant).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        operation_id="migrants_reveal_passport",
        request=None,
        responses=PassportSerializer,
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
            action=AuditAction.PASSPORT_REVEAL,
            organisation=migrant.organisation,
            obj=migrant,
            detail={"via": "api"},
        )
        return Response({"passport_number": migrant.passport_number or ""})

    @extend_schema(
        operation_id="migrants_find_duplicates",
        request=DuplicateQuerySerializer,
        responses=MigrantSerializer(many=True),
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
        form = DuplicateQuerySerializer(data=request.data)
        form.is_valid(raise_exception=True)
        values = dict(form.validated_data)
        organisation = organisation_to_write(request, values.pop("organisation", None))
        found = services.find_duplicate_migrants(organisation=organisation, **values)
        found = found.filter(pk__in=Migrant.objects.visible_to(request.user)).order_by("-id")
        return Response(MigrantSerializer(found[:20], many=True).data)

    def partial_update(self, request, *args, **kwargs):
        migrant = self.get_object()
        form = MigrantWriteSerializer(data=request.data, partial=True)
        form.is_valid(raise_exception=True)
        migrant = services.update_migrant(
            migrant=migrant,
            by=request.user,
            expected_version=expected_version(request),
            **form.validated_data,
        )
        return versioned(MigrantSerializer(migrant).data, migrant)

    @extend_schema(
        operation_id="migrants_consents",
        methods=["GET"],
        responses=ConsentSerializer(many=True),
        description="Every consent the migrant gave, withdrawn ones included, oldest first.",
    )
    @extend_schema(
        operation_id="migrants_consents_give",
        methods=["POST"],
        request=ConsentGiveSerializer,
        responses={201: ConsentSerializer},
        description="Record consent for one purpose and channel (again: no new record). Audited.",
    )
    @action(
        detail=True,
        methods=["get", "post"],
        url_path="consents",
        filter_backends=[],
        pagination_class=None,
    )
    def consents(self, request, pk=None):
        migrant = self.get_object()
        return _list_or_record(
            request,
            migrant.consents.order_by("given_at", "id"),
            ConsentSerializer,
            ConsentGiveSerializer,
            partial(consent.give_consent, migrant=migrant, by=request.user),
        )

    @extend_schema(
        operation_id="migrants_consents_withdraw",
        request=ConsentWithdrawSerializer,
        responses=ConsentSerializer(many=True),
        description="Withdraw consent for a channel (empty: all); takes effect before the next "
        "send. Answers with the consents still in force.",
    )
    @action(
        detail=True,
        methods=["post"],
        url_path="consents/withdraw",
        filter_backends=[],
        pagination_class=None,
    )
    def withdraw_consent(self, request, pk=None):
        migrant = self.get_object()
        form = ConsentWithdrawSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        consent.withdraw_consent(migrant=migrant, by=request.user, **form.validated_data)
        active = migrant.consents.filter(withdrawn_at=None).order_by("given_at", "id")
        return Response(ConsentSerializer(active, many=True).data)

    @extend_schema(
        operation_id="migrants_stays",
        methods=["GET"],
        responses=StaySerializer(many=True),
        description="The migrant's recorded stays in the country, oldest first.",
    )
    @extend_schema(
        operation_id="migrants_stays_enter",
        methods=["POST"],
        request=EntrySerializer,
        responses={201: StaySerializer},
        description="Record an entry (with its exit for a past trip). Stays may not overlap. "
        "The open cases are re-planned: their arrival date follows the latest entry and the "
        "stay limits count the days already spent.",
    )
    @action(
        detail=True,
        methods=["get", "post"],
        url_path="stays",
        filter_backends=[],
        pagination_class=None,
    )
    def stays(self, request, pk=None):
        migrant = self.get_object()
        return _list_or_record(
            request,
            migrant.stays.order_by("entry_date", "id"),
            StaySerializer,
            EntrySerializer,
            partial(stay_records.record_entry, migrant=migrant, by=request.user),
        )

    @extend_schema(
        operation_id="migrants_stays_exit",
        request=ExitSerializer,
        responses=StaySerializer,
        description="Record the exit from the stay without one; the open cases are re-planned.",
    )
    @action(
        detail=True,
        methods=["post"],
        url_path="stays/exit",
        filter_backends=[],
        pagination_class=None,
    )
    def stay_exit(self, request, pk=None):
        migrant = self.get_object()
        form = ExitSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        stay = stay_records.record_exit(migrant=migrant, by=request.user, **form.validated_data)
        return Response(StaySerializer(stay).data)

    @extend_schema(
        operation_id="migrants_addresses",
        methods=["GET"],
        responses=AddressSerializer(many=True),
        description="The migrant's recorded addresses, oldest first.",
    )
    @extend_schema(
        operation_id="migrants_addresses_move",
        methods=["POST"],
        request=MoveSerializer,
        responses={201: AddressSerializer},
        description="Record a move: each arrival at an address gets its own registration "
        "deadline in the open cases.",
    )
    @action(
        detail=True,
        methods=["get", "post"],
        url_path="addresses",
        filter_backends=[],
        pagination_class=None,
    )
    def addresses(self, request, pk=None):
        migrant = self.get_object()
        return _list_or_record(
            request,
            migrant.addresses.order_by("arrival_date", "id"),
            AddressSerializer,
            MoveSerializer,
            partial(stay_records.record_move, migrant=migrant, by=request.user),
        )


def _list_or_record(request, rows, output, payload, record) -> Response:
    """A migrant's sub-list: GET lists `rows`; POST validates `payload`, calls `record` with
    its data (a service) and answers 201 with the new row."""
    if request.method == "GET":
        return Response(output(rows, many=True).data)
    form = payload(data=request.data)
    form.is_valid(raise_exception=True)
    return Response(output(record(**form.validated_data)).data, status=status.HTTP_201_CREATED)
