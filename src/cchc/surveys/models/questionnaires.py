"""Questionnaires (phiếu khảo sát) stored in the database, versioned and frozen once in use.

The structure mirrors :class:`cchc.surveys.engine.form.FormSpec` one to one (sections, questions,
choices, matrix items, factors, skip conditions as JSON), so a questionnaire converts to a spec and
back without loss (:meth:`Questionnaire.as_spec`, :func:`cchc.surveys.services.create_from_spec`).

Versions follow the idea of the PAR INDEX criteria sets: a questionnaire is a row per version
(``code``, ``version``); a version a campaign uses is **frozen** (``frozen_at``) so the answers
collected keep the questions they answered; changing it means a new version (``previous`` points
at the version it was copied from). Sections marked ``official`` are those of the SIPAS method
(QĐ 1001/QĐ-BNV, 2023–2026) inherited from the built-in template: agencies add their own sections
and questions but cannot remove official questions or change what they measure, so the index stays
comparable between units.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cchc.organisations.models import OrganisationUnit

from ..engine import form

KIND_CHOICES = [
    (form.SINGLE, _("Single choice")),
    (form.MULTIPLE, _("Multiple choice")),
    (form.LIKERT5, _("5-point satisfaction scale")),
    (form.SCALE4, _("4-level scale")),
    (form.YES_NO, _("Yes / no")),
    (form.NUMBER, _("Number")),
    (form.DATE, _("Date")),
    (form.TEXT, _("Text")),
    (form.MATRIX, _("Matrix (several items, one scale)")),
    (form.NOTE, _("Note (no answer)")),
]


def conditions_to_json(conditions: list[form.Condition]) -> list[dict]:
    return [{"question": c.question, "operator": c.operator, "value": c.value} for c in conditions]


def conditions_from_json(data) -> list[form.Condition]:
    return [
        form.Condition(
            question=str(item.get("question", "")),
            operator=str(item.get("operator", "=")),
            value=str(item.get("value", "")),
        )
        for item in (data or [])
        if isinstance(item, dict)
    ]


class Questionnaire(models.Model):
    """One version of a questionnaire; ``owner_unit`` empty: national (the built-in template)."""

    code = models.CharField(_("code"), max_length=64)
    title = models.CharField(_("title"), max_length=255)
    version = models.PositiveIntegerField(_("version"), default=1)
    source = models.CharField(_("source"), max_length=500, blank=True)
    language = models.CharField(_("language"), max_length=10, default="vi")
    owner_unit = models.ForeignKey(
        OrganisationUnit,
        verbose_name=_("owner unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="questionnaires",
    )
    is_builtin = models.BooleanField(_("built in"), default=False)
    previous = models.ForeignKey(
        "self",
        verbose_name=_("made from"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="next_versions",
    )
    frozen_at = models.DateTimeField(_("frozen at"), null=True, blank=True)
    frozen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("questionnaire")
        verbose_name_plural = _("questionnaires")
        ordering = ["-is_builtin", "code", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="unique_questionnaire_version")
        ]

    def __str__(self) -> str:
        return f"{self.title} (v{self.version})"

    @property
    def frozen(self) -> bool:
        return self.frozen_at is not None

    def as_spec(self) -> form.FormSpec:
        """The questionnaire as plain data, read in a handful of queries."""
        factors = list(self.factors.order_by("order", "pk"))
        factor_codes = {factor.pk: factor.code for factor in factors}
        choices: dict[int, list[form.Choice]] = {}
        for choice in Choice.objects.filter(question__questionnaire=self).order_by("order", "pk"):
            choices.setdefault(choice.question_id, []).append(
                form.Choice(value=choice.value, label=choice.label)
            )
        items: dict[int, list[form.MatrixItem]] = {}
        for item in MatrixItem.objects.filter(question__questionnaire=self).order_by("order", "pk"):
            items.setdefault(item.question_id, []).append(
                form.MatrixItem(
                    code=item.code, label=item.label, factor=factor_codes.get(item.factor_id, "")
                )
            )
        questions: dict[int, list[form.Question]] = {}
        for question in self.questions.order_by("order", "pk"):
            questions.setdefault(question.section_id, []).append(
                form.Question(
                    code=question.code,
                    label=question.label,
                    kind=question.kind,
                    required=question.required,
                    hint=question.hint,
                    choices=choices.get(question.pk, []),
                    items=items.get(question.pk, []),
                    factor=factor_codes.get(question.factor_id, ""),
                    show_when=conditions_from_json(question.show_when),
                )
            )
        return form.FormSpec(
            code=self.code,
            title=self.title,
            version=str(self.version),
            language=self.language,
            source=self.source,
            factors=[
                form.Factor(code=factor.code, name=factor.name, order=factor.order)
                for factor in factors
            ],
            sections=[
                form.Section(
                    code=section.code,
                    title=section.title,
                    questions=questions.get(section.pk, []),
                    show_when=conditions_from_json(section.show_when),
                )
                for section in self.sections.order_by("order", "pk")
            ],
        )


class Factor(models.Model):
    """A factor (yếu tố) the questionnaire's items measure, e.g. "Tiếp cận dịch vụ"."""

    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="factors"
    )
    code = models.CharField(_("code"), max_length=64)
    name = models.CharField(_("name"), max_length=255)
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("factor")
        verbose_name_plural = _("factors")
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["questionnaire", "code"], name="unique_factor_per_questionnaire"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Section(models.Model):
    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="sections"
    )
    order = models.PositiveIntegerField(_("order"), default=0)
    code = models.CharField(_("code"), max_length=64)
    title = models.CharField(_("title"), max_length=500)
    show_when = models.JSONField(_("shown when"), default=list, blank=True)
    official = models.BooleanField(
        _("official"),
        default=False,
        help_text=_("A section of the official method: its questions cannot be removed."),
    )

    class Meta:
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["questionnaire", "code"], name="unique_section_per_questionnaire"
            )
        ]

    def __str__(self) -> str:
        return self.title


class Question(models.Model):
    # Kept on the question too, so a code is unique per questionnaire by a constraint.
    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="questions"
    )
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="questions")
    order = models.PositiveIntegerField(_("order"), default=0)
    code = models.CharField(_("code"), max_length=64)
    label = models.TextField(_("question"))
    kind = models.CharField(_("kind"), max_length=16, choices=KIND_CHOICES)
    required = models.BooleanField(_("required"), default=False)
    hint = models.TextField(_("hint"), blank=True)
    factor = models.ForeignKey(
        Factor, null=True, blank=True, on_delete=models.RESTRICT, related_name="questions"
    )
    show_when = models.JSONField(_("shown when"), default=list, blank=True)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["section__order", "order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["questionnaire", "code"], name="unique_question_per_questionnaire"
            )
        ]

    def __str__(self) -> str:
        return f"{self.code}: {self.label[:60]}"


class Choice(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="choices")
    order = models.PositiveIntegerField(_("order"), default=0)
    value = models.CharField(_("value"), max_length=64)
    label = models.CharField(_("label"), max_length=500)

    class Meta:
        verbose_name = _("choice")
        verbose_name_plural = _("choices")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return f"{self.value}: {self.label}"


class MatrixItem(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="items")
    order = models.PositiveIntegerField(_("order"), default=0)
    code = models.CharField(_("code"), max_length=64)
    label = models.TextField(_("label"))
    factor = models.ForeignKey(
        Factor, null=True, blank=True, on_delete=models.RESTRICT, related_name="items"
    )

    class Meta:
        verbose_name = _("matrix item")
        verbose_name_plural = _("matrix items")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return f"{self.code}: {self.label[:60]}"
