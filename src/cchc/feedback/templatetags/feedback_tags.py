from django import template

from cchc.feedback.models import FeedbackRating, FeedbackStatus

register = template.Library()

STATUS_COLOURS = {
    FeedbackStatus.RECEIVED: "info",
    FeedbackStatus.CLASSIFIED: "primary",
    FeedbackStatus.ANSWERED: "warning",
    FeedbackStatus.PUBLISHED: "success",
    FeedbackStatus.RATED: "success",
    FeedbackStatus.REJECTED: "dark",
}
RATING_COLOURS = {
    FeedbackRating.SATISFIED: "success",
    FeedbackRating.NEUTRAL: "secondary",
    FeedbackRating.DISSATISFIED: "danger",
}


@register.filter
def feedback_status_colour(status) -> str:
    return STATUS_COLOURS.get(status, "secondary")


@register.filter
def feedback_rating_colour(rating) -> str:
    return RATING_COLOURS.get(rating, "secondary")
