"""A case's calculations (cases.calculations): compensation for late wages, the limitation date,
the end of a ban. Output only: the numbers are computed from the case's facts on each request."""

from __future__ import annotations

from rest_framework import serializers

from content import calculators


class KeyRateSerializer(serializers.Serializer):
    effective_from = serializers.DateField()
    rate = serializers.DecimalField(max_digits=5, decimal_places=2, help_text="% per annum")
    decision = serializers.CharField(help_text="The Bank of Russia decision that set the rate")
    to_verify = serializers.BooleanField(
        help_text="Not yet checked against the Bank of Russia's table"
    )


class SegmentSerializer(serializers.Serializer):
    first = serializers.DateField(help_text="First day of delay at this rate")
    last = serializers.DateField(help_text="Last day of delay at this rate (inclusive)")
    days = serializers.IntegerField()
    rate = KeyRateSerializer()
    compensation = serializers.DecimalField(
        max_digits=14, decimal_places=2, help_text="Rounded half-up to kopecks"
    )


class CompensationSerializer(serializers.Serializer):
    principal = serializers.DecimalField(max_digits=14, decimal_places=2)
    due_date = serializers.DateField()
    paid_on = serializers.DateField(help_text="The payment day, or the day counted up to")
    days = serializers.IntegerField(help_text="Days of delay")
    total = serializers.DecimalField(max_digits=14, decimal_places=2)
    total_with_principal = serializers.DecimalField(max_digits=14, decimal_places=2)
    to_verify = serializers.BooleanField(help_text="A rate used is marked to verify")
    segments = SegmentSerializer(many=True)
    basis = serializers.SerializerMethodField()
    lines_ru = serializers.SerializerMethodField(
        help_text="The arithmetic in Russian, a line per key-rate period and the total, for letters"
    )

    def get_basis(self, obj: calculators.Compensation) -> str:
        return calculators.COMPENSATION_BASIS

    def get_lines_ru(self, obj: calculators.Compensation) -> list[str]:
        return list(calculators.compensation_lines_ru(obj))


class WageCalculationSerializer(serializers.Serializer):
    principal = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)
    currency = serializers.CharField()
    period_start = serializers.DateField(allow_null=True)
    period_end = serializers.DateField(allow_null=True)
    due_date = serializers.DateField(allow_null=True)
    paid_on = serializers.DateField(allow_null=True, help_text="Null: not paid yet")
    counted_to = serializers.DateField()
    compensation = CompensationSerializer(allow_null=True)
    limitation_date = serializers.DateField(
        allow_null=True, help_text="Last day to go to court (Labour Code art. 392 p. 2)"
    )
    limitation_file_by = serializers.DateField(
        allow_null=True, help_text="The last day is a day off: the working day before, to file by"
    )
    limitation_from_period_end = serializers.BooleanField(
        help_text="No due date recorded: counted from the end of the unpaid period"
    )
    limitation_basis = serializers.SerializerMethodField()
    missing = serializers.ListField(
        child=serializers.CharField(), help_text="Facts to record before compensation is counted"
    )
    error = serializers.CharField(help_text="Why compensation could not be counted (a code)")
    error_message = serializers.CharField()

    def get_limitation_basis(self, obj: object) -> str:
        return calculators.LIMITATION_BASIS


class BanBasisSerializer(serializers.Serializer):
    code = serializers.CharField()
    citation = serializers.CharField()
    usual_years = serializers.IntegerField(allow_null=True)
    counts_from = serializers.CharField()
    verified = serializers.BooleanField()


class BanTermSerializer(serializers.Serializer):
    start = serializers.DateField()
    years = serializers.IntegerField()
    end = serializers.DateField(help_text="The last day of the ban")
    earliest_return = serializers.DateField(help_text="The first day entry is lawful again")
    clamped = serializers.BooleanField(help_text="Began on 29 February: ends on 28 February")
    basis = BanBasisSerializer(allow_null=True)
    length_differs = serializers.BooleanField(
        help_text="The length is not the usual one for the basis"
    )


class BanCalculationSerializer(serializers.Serializer):
    term = BanTermSerializer(allow_null=True)
    basis_code = serializers.CharField()
    missing = serializers.ListField(child=serializers.CharField())


class CaseCalculationsSerializer(serializers.Serializer):
    calculated_on = serializers.DateField()
    wages = WageCalculationSerializer(
        allow_null=True, help_text="Null unless the case has the unpaid_wages problem"
    )
    ban = BanCalculationSerializer(
        allow_null=True, help_text="Null unless the case has the reentry_ban problem"
    )
