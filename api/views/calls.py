"""The call log: hotline and office calls of your organisations, logging and linking them."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from api.filters import CallFilter
from api.idempotency import PARAMETER as IDEMPOTENCY_KEY
from api.idempotency import idempotent
from api.serializers.calls import CallCreateSerializer, CallLinkSerializer, CallSerializer
from api.views._common import organisation_to_write
from cases import calls
from cases.models import Call, Case, Migrant


@extend_schema(tags=["calls"])
@extend_schema_view(
    list=extend_schema(operation_id="calls_list", description="Calls of your organisations."),
    retrieve=extend_schema(operation_id="calls_retrieve"),
    create=extend_schema(
        operation_id="calls_create",
        request=CallCreateSerializer,
        responses={201: CallSerializer},
        parameters=[IDEMPOTENCY_KEY],
        description="Log a call: a known caller (`migrant`, or `case`) or an anonymous one, "
        "its language, topics and outcome. A follow-up becomes a task on the call's case.",
    ),
)
class CallViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = CallSerializer
    filterset_class = CallFilter
    ordering_fields = ["received_at", "id"]
    ordering = ["-id"]

    def get_queryset(self):
        return Call.objects.visible_to(self.request.user)

    @idempotent
    def create(self, request, *args, **kwargs):
        form = CallCreateSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        values = dict(form.validated_data)
        migrant = case = None
        if values.get("case") is not None:
            case = Case.objects.visible_to(request.user).filter(pk=values["case"]).first()
            if case is None:
                raise ValidationError({"case": [_("No such case among yours.")]})
        if values.get("migrant") is not None:
            migrant = Migrant.objects.visible_to(request.user).filter(pk=values["migrant"]).first()
            if migrant is None:
                raise ValidationError({"migrant": [_("No such migrant among yours.")]})
        values.pop("case", None), values.pop("migrant", None)
        known = case or migrant
        organisation_id = values.pop("organisation", None)
        if known is not None and organisation_id is None:
            organisation = known.organisation
        else:
            organisation = organisation_to_write(request, organisation_id)
        call = calls.log_call(
            organisation=organisation, by=request.user, migrant=migrant, case=case, **values
        )
        return Response(CallSerializer(call).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        operation_id="calls_link",
        request=CallLinkSerializer,
        responses=CallSerializer,
        description="Link the call to a case of its organisation (`opened`: the case was "
        "opened from the call). Its caller becomes the case's migrant; a waiting follow-up "
        "becomes a task on the case. Linking to the same case again changes nothing.",
    )
    @action(detail=True, methods=["post"])
    def link(self, request, pk=None):
        call = self.get_object()
        form = CallLinkSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        case = Case.objects.visible_to(request.user).filter(pk=form.validated_data["case"]).first()
        if case is None:
            raise ValidationError({"case": [_("No such case among yours.")]})
        call = calls.link_call(
            call=call, case=case, by=request.user, opened=form.validated_data["opened"]
        )
        return Response(CallSerializer(call).data)
