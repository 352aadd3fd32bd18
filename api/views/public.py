"""Public endpoints: ping, the API's 404, the rules preview."""

from __future__ import annotations

from drf_spectacular.utils import (
    extend_schema,
)
from rest_framework import permissions
from rest_framework.decorators import api_view
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from api.serializers.rules import PingSerializer, PreviewQuerySerializer, PreviewSerializer
from api.throttling import PreviewThrottle
from content import queries
from content.engine import Facts


@extend_schema(
    operation_id="ping",
    responses=PingSerializer,
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
        parameters=[PreviewQuerySerializer],
        responses=PreviewSerializer,
        tags=["rules"],
    )
    def get(self, request):
        query = PreviewQuerySerializer(data=request.query_params)
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
                    "source": queries.source_text(item.rule_key, item.source, lang),
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
                    "source": queries.source_text(
                        deadline.rule_key, deadline.source, lang, deadline=True
                    ),
                    "unverified": deadline.unverified,
                    "file_by": deadline.file_by,
                    "provisional": deadline.provisional,
                }
            )
        body = {"language": lang, "items": items, "deadlines": planned}
        return Response(PreviewSerializer(body).data)
