"""``{% load money %}``: ``{{ amount|fee }}`` ("miễn phí", "1.234.000 đ"), ``{{ amount|vnd }}``."""

from django import template

from cchc.common import money

register = template.Library()

register.filter("fee", money.fee)
register.filter("vnd", money.vnd)
