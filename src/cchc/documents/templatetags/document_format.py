"""Filters for the official forms: Vietnamese dates, times and money (see ``formatting``)."""

from django import template

from cchc.documents import formatting

register = template.Library()

register.filter("date_words", formatting.date_words)
register.filter("dmy", formatting.dmy)
register.filter("dmy_hm", formatting.dmy_hm)
register.filter("time_words", formatting.time_words)
register.filter("money", formatting.money)
register.filter("fee", formatting.fee)


@register.filter
def or_dots(value, length: int = 30):
    """The value, or a dotted line to complete by hand."""
    return value if value not in (None, "") else "." * int(length)
