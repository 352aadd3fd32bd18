"""Aggregate statistics for administrators."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext as _
from drf_spectacular.utils import (
    OpenApiResponse,
    extend_schema,
)
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from api.schema import ErrorSerializer
from api.serializers.statistics import StatisticsQuerySerializer, StatisticsSerializer
from cases import permissions as case_permissions
from cases.models import (
    Membership,
)
from cases.organisations import current_membership
from stats import exports as stats_exports
from stats import queries as stats_queries
from stats import tables as stats_tables


class StatisticsView(APIView):
    """Case counts of one organisation by a dimension (or two), for its administrators, with
    the statistics exports' small-cell suppression when the numbers are to leave it."""

    validates_query = True

    @extend_schema(
        operation_id="statistics",
        parameters=[StatisticsQuerySerializer],
        responses={
            200: StatisticsSerializer,
            404: OpenApiResponse(ErrorSerializer, description="Not a member of `organisation`."),
        },
        tags=["statistics"],
        description="Cases opened in the period, counted by `dimension` (and `cross`). "
        "`audience=outside` hides every count below k (shown as `<k`, with `x` for the "
        "complementary cells) exactly as the aggregate exports do.",
    )
    def get(self, request):
        query = StatisticsQuerySerializer(data=request.query_params)
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
        return Response(StatisticsSerializer(body).data)

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
