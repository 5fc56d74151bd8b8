from django.db.models import Count, Q, QuerySet

from cchc.common.text import vietnamese_sort_key

from .models import Field, Level, Procedure


def public_procedures(query: str = "", field_id: int | None = None, level: str = "") -> QuerySet:
    procedures = Procedure.objects.active().select_related("field")
    if query:
        procedures = procedures.search(query)
    if field_id:
        procedures = procedures.filter(field_id=field_id)
    if level in Level.values:
        procedures = procedures.at_level(level)
    return procedures.order_by("field__name", "name")


def fields_with_counts() -> list[Field]:
    fields = Field.objects.annotate(
        active_count=Count("procedures", filter=Q(procedures__active=True))
    ).filter(active_count__gt=0)
    return sorted(fields, key=lambda field: vietnamese_sort_key(field.name))
