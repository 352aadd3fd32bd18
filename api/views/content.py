"""The rules content: document types and the rule tables (read; admins edit)."""

from __future__ import annotations

from django.core.exceptions import ObjectDoesNotExist
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, status, viewsets
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from api.filters import (
    ChecklistRuleFilter,
    DeadlineRuleFilter,
)
from api.serializers.rules import (
    DeadlineRuleSerializer,
    DocumentTextSerializer,
    DocumentTypeSerializer,
    LanguageQuerySerializer,
    RuleSerializer,
)
from content import queries
from content import services as content_services
from content.models import DeadlineRule, DocumentType, Rule


class DocumentTypeView(APIView):
    validates_query = True

    @extend_schema(
        operation_id="document_types_retrieve",
        parameters=[
            LanguageQuerySerializer,
            OpenApiParameter("code", OpenApiTypes.STR, OpenApiParameter.PATH),
        ],
        responses=DocumentTextSerializer,
        tags=["rules"],
        description="A document type's texts in a language (falling back to English).",
    )
    def get(self, request, code: str):
        query = LanguageQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        try:
            text = queries.document_text(code, query.validated_data["lang"])
        except (LookupError, ObjectDoesNotExist, DjangoValidationError) as exc:
            raise NotFound(_("No such document type.")) from exc
        return Response(DocumentTextSerializer(text).data)


class DocumentTypeListView(APIView):
    validates_query = True

    @extend_schema(
        operation_id="document_types_list",
        parameters=[LanguageQuerySerializer],
        responses=DocumentTypeSerializer(many=True),
        tags=["rules"],
        description="Every document type, with its texts in a language (falling back to English).",
    )
    def get(self, request):
        query = LanguageQuerySerializer(data=request.query_params)
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
        return Response(DocumentTypeSerializer(body, many=True).data)


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
@_rule_schema("rules", RuleSerializer, "checklist rules")
class RuleViewSet(_RuleViewSetBase):
    model = Rule
    related = ("document",)
    queryset = Rule.objects.none()  # for the schema; get_queryset reads the table
    serializer_class = RuleSerializer
    filterset_class = ChecklistRuleFilter


@extend_schema(tags=["rules"])
@_rule_schema("deadline_rules", DeadlineRuleSerializer, "deadline rules")
class DeadlineRuleViewSet(_RuleViewSetBase):
    model = DeadlineRule
    related = ()
    queryset = DeadlineRule.objects.none()
    serializer_class = DeadlineRuleSerializer
    filterset_class = DeadlineRuleFilter
