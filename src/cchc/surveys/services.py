"""Questionnaire services: store a spec, make versions, freeze, and the agencies' own questions.

Every service checks the actor's right (see :mod:`.selectors`), locks the questionnaire row
(:func:`cchc.workflow.locking.locked`) so two editors act one after the other, and refuses a
frozen or built-in version with a Vietnamese message before writing anything.

Versions: the ``version`` of a questionnaire is its content version (a row per version, unique
with its ``code``), not an optimistic-lock counter, so
:func:`~cchc.workflow.locking.save_new_version` does not fit: a new version is a new row copied
from the old one (:func:`new_version`), and the old row stays as it was, like the criteria sets
of PAR INDEX (``cchc.parindex.criteria``).

The built-in SIPAS template (QĐ 1001/QĐ-BNV, 2023–2026) is stored by :func:`ensure_builtin`,
called after every ``migrate`` by the ``post_migrate`` hook in :mod:`.hooks` (idempotent: it only
adds a version that is missing). A data migration would have frozen today's models into the
migration; the hook always uses the current ones.
"""

from __future__ import annotations

import re

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from cchc.organisations.models import OrganisationUnit
from cchc.workflow.locking import locked

from . import builtin, selectors
from .engine import form
from .errors import ActionForbidden, QuestionnaireFrozen, StaleRecord, SurveyError
from .models import (
    Choice,
    Factor,
    MatrixItem,
    Question,
    Questionnaire,
    Section,
    conditions_to_json,
)

CODE = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]*$")  # an XLSForm name
CODE_MAX = 64
#: What an agency may still change in a question of an official section.
OFFICIAL_EDITABLE = frozenset({"label", "hint"})


class QuestionnaireInvalid(SurveyError):
    """Every problem of a spec at once (``problems``: Vietnamese messages); nothing was saved."""

    def __init__(self, problems: list[str]):
        super().__init__(problems[0])
        self.problems = list(problems)


# -- checks --------------------------------------------------------------------------------------
def spec_problems(spec: form.FormSpec) -> list[str]:
    """What makes ``spec`` unfit to store (Vietnamese messages), empty when it is fine."""
    problems: list[str] = []
    if not spec.code or len(spec.code) > CODE_MAX or not CODE.match(spec.code):
        problems.append(_("The questionnaire code “%(code)s” is not valid.") % {"code": spec.code})
    if not (spec.title or "").strip():
        problems.append(_("The questionnaire has no title."))
    factor_codes = [factor.code for factor in spec.factors]
    if len(set(factor_codes)) != len(factor_codes):
        problems.append(_("Two factors have the same code."))
    section_codes = [section.code for section in spec.sections]
    if len(set(section_codes)) != len(section_codes) or not all(section_codes):
        problems.append(_("Each section needs its own code."))
    problems.extend(_length_problems(spec))
    all_codes = {code for question in spec.questions() for code in _codes_of(question)}
    seen: set[str] = set()  # what comes before: the only answers a condition can read
    for section in spec.sections:
        problems.extend(_condition_problems(section.show_when, seen, all_codes))
        for question in section.questions:
            problems.extend(_condition_problems(question.show_when, seen, all_codes))
            problems.extend(_question_problems(question, seen, set(factor_codes)))
            seen.update(_codes_of(question))
    return problems


def _length_problems(spec: form.FormSpec) -> list[str]:
    """Texts longer than their column holds (PostgreSQL refuses them: say so instead)."""
    limits = [(spec.title, 255), (spec.source, 500), (spec.language, 10)]
    limits += [(f.code, CODE_MAX) for f in spec.factors] + [(f.name, 255) for f in spec.factors]
    for section in spec.sections:
        limits += [(section.code, CODE_MAX), (section.title, 500)]
        for question in section.questions:
            for choice in question.choices:
                limits += [(choice.value, CODE_MAX), (choice.label, 500)]
            for condition in question.show_when + section.show_when:
                limits += [(condition.value, 255)]
    return [
        _("“%(text)s…” is too long: at most %(limit)s characters.")
        % {"text": text[:30], "limit": limit}
        for text, limit in limits
        if len(text or "") > limit
    ]


def _codes_of(question: form.Question) -> list[str]:
    return [question.code, *(item.code for item in question.items)]


def _condition_problems(conditions, earlier: set[str], known: set[str]) -> list[str]:
    problems = []
    for condition in conditions:
        if condition.operator not in form.OPERATORS:
            problems.append(
                _("Unknown comparison “%(operator)s”.") % {"operator": condition.operator}
            )
        if condition.question in earlier:
            continue
        if condition.question in known:
            problems.append(
                _("A condition refers to %(code)s, which comes later: it would never hold.")
                % {"code": condition.question}
            )
        else:
            problems.append(
                _("A condition refers to the unknown question %(code)s.")
                % {"code": condition.question}
            )
    return problems


def _question_problems(question: form.Question, seen: set[str], factors: set[str]) -> list[str]:
    problems = []
    code = question.code
    if not code or len(code) > CODE_MAX or not CODE.match(code):
        problems.append(
            _("The question code “%(code)s” is not valid: letters, digits and _ only.")
            % {"code": code}
        )
    codes = [code, *(item.code for item in question.items)]
    if len(set(codes)) != len(codes) or any(c in seen for c in codes):
        problems.append(_("The code %(code)s is used twice.") % {"code": code})
    if question.kind not in form.KINDS:
        problems.append(
            _("Question %(code)s: unknown kind %(kind)s.") % {"code": code, "kind": question.kind}
        )
    if not (question.label or "").strip():
        problems.append(_("Question %(code)s has no text.") % {"code": code})
    if question.kind in (form.SINGLE, form.MULTIPLE, form.MATRIX) and not question.choices:
        problems.append(_("Question %(code)s has no choices.") % {"code": code})
    values = [choice.value for choice in question.choices]
    if len(set(values)) != len(values) or not all(values):
        problems.append(_("Question %(code)s: each choice needs its own value.") % {"code": code})
    if question.kind == form.MATRIX and not question.items:
        problems.append(_("Question %(code)s: a matrix needs items.") % {"code": code})
    for item in question.items:
        if not item.code or len(item.code) > CODE_MAX or not CODE.match(item.code):
            problems.append(
                _("The question code “%(code)s” is not valid: letters, digits and _ only.")
                % {"code": item.code}
            )
    for factor in [question.factor, *(item.factor for item in question.items)]:
        if factor and factor not in factors:
            problems.append(
                _("Question %(code)s: unknown factor %(factor)s.")
                % {"code": code, "factor": factor}
            )
    return problems


def _check_editable(actor, questionnaire: Questionnaire) -> None:
    if questionnaire.is_builtin:
        raise QuestionnaireFrozen(
            _("The built-in template cannot be changed: make a new version of it.")
        )
    if questionnaire.frozen:
        raise QuestionnaireFrozen(
            _("This version is frozen because it is in use: make a new version to change it.")
        )
    if not selectors.may_edit_for(actor, questionnaire.owner_unit):
        raise ActionForbidden(_("You may not change this questionnaire."))


def _lock(questionnaire: Questionnaire) -> Questionnaire:
    return locked(
        Questionnaire.objects.all(),
        questionnaire.pk,
        None,
        stale_error=StaleRecord(_("The questionnaire changed meanwhile: reload the page.")),
        missing_error=SurveyError(_("The questionnaire no longer exists.")),
    )


def _editable(actor, questionnaire: Questionnaire) -> Questionnaire:
    """The questionnaire locked, after checking the actor may change it (call in a transaction)."""
    row = _lock(questionnaire)
    _check_editable(actor, row)
    return row


# -- storing a spec ------------------------------------------------------------------------------
def _store(
    spec: form.FormSpec,
    *,
    code: str,
    version: int,
    unit: OrganisationUnit | None,
    actor=None,
    is_builtin: bool = False,
    previous: Questionnaire | None = None,
    official_sections=frozenset(),
) -> Questionnaire:
    questionnaire = Questionnaire.objects.create(
        code=code,
        title=spec.title.strip(),
        version=version,
        source=spec.source,
        language=spec.language or "vi",
        owner_unit=unit,
        is_builtin=is_builtin,
        previous=previous,
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    factors = {
        factor.code: Factor.objects.create(
            questionnaire=questionnaire, code=factor.code, name=factor.name, order=factor.order
        )
        for factor in spec.factors
    }
    for section_order, section in enumerate(spec.sections):
        section_row = Section.objects.create(
            questionnaire=questionnaire,
            order=section_order,
            code=section.code,
            title=section.title,
            show_when=conditions_to_json(section.show_when),
            official=section.code in official_sections,
        )
        for question_order, question in enumerate(section.questions):
            _store_question(questionnaire, section_row, question_order, question, factors)
    return questionnaire


def _store_question(
    questionnaire, section_row, order, question: form.Question, factors
) -> Question:
    row = Question.objects.create(
        questionnaire=questionnaire,
        section=section_row,
        order=order,
        code=question.code,
        label=question.label.strip(),
        kind=question.kind,
        required=question.required,
        hint=question.hint,
        factor=factors.get(question.factor),
        show_when=conditions_to_json(question.show_when),
    )
    Choice.objects.bulk_create(
        Choice(question=row, order=n, value=choice.value, label=choice.label)
        for n, choice in enumerate(question.choices)
    )
    MatrixItem.objects.bulk_create(
        MatrixItem(
            question=row, order=n, code=item.code, label=item.label, factor=factors.get(item.factor)
        )
        for n, item in enumerate(question.items)
    )
    return row


def _next_version(code: str) -> int:
    latest = Questionnaire.objects.filter(code=code).aggregate(latest=Max("version"))["latest"]
    return (latest or 0) + 1


def create_from_spec(actor, spec: form.FormSpec, *, unit=None) -> Questionnaire:
    """Store ``spec`` (e.g. an imported XLSForm) as a questionnaire of ``unit`` (None: national).

    The database numbers the versions: a new code starts at version 1; a code the unit already
    has gets its next version (``previous``: the latest one). The spec's own ``version`` text is
    not kept (Kobo writes a date stamp there). A code owned by another unit is refused, as is any
    problem of the spec (all of them at once, in :class:`QuestionnaireInvalid`).
    """
    if not selectors.may_edit_for(actor, unit):
        raise ActionForbidden(_("You may not add questionnaires for this unit."))
    problems = spec_problems(spec)
    if problems:
        raise QuestionnaireInvalid(problems)
    with transaction.atomic():
        existing = list(
            Questionnaire.objects.select_for_update()
            .filter(code=spec.code)
            .order_by("-version")[:1]
        )
        if existing and existing[0].owner_unit_id != getattr(unit, "pk", None):
            raise QuestionnaireInvalid(
                [
                    _("The code %(code)s is already used by another unit's questionnaire.")
                    % {"code": spec.code}
                ]
            )
        try:
            with transaction.atomic():
                return _store(
                    spec,
                    code=spec.code,
                    version=_next_version(spec.code),
                    unit=unit,
                    actor=actor,
                    previous=existing[0] if existing else None,
                )
        except IntegrityError:
            raise StaleRecord(
                _("Someone saved a version of this questionnaire at the same time: try again.")
            ) from None


def to_spec(questionnaire: Questionnaire) -> form.FormSpec:
    """The questionnaire as plain data (for XLSForm export, the answer checks, the results)."""
    return questionnaire.as_spec()


def _copy_code(code: str, unit: OrganisationUnit) -> str:
    candidate = f"{code}-{unit.code}"
    if len(candidate) <= CODE_MAX and CODE.match(candidate):
        return candidate
    return f"{code[: CODE_MAX - 12]}-u{unit.pk}"


def new_version(actor, questionnaire: Questionnaire, *, unit=None) -> Questionnaire:
    """Copy ``questionnaire`` into a new version, not frozen; sections keep their ``official`` mark.

    * A unit's questionnaire: the next version of its code, for the same unit.
    * A national one (the built-in template) with ``unit``: the unit's own copy, coded
      ``<code>-<unit code>`` (its next version when the unit made one before), so each agency
      adds its questions to its own copy and the national template stays as it is.
    * A national one without ``unit``: the next national version (national editors only).
    """
    target_unit = questionnaire.owner_unit if questionnaire.owner_unit_id else unit
    if not selectors.can_view(actor, questionnaire) or not selectors.may_edit_for(
        actor, target_unit
    ):
        raise ActionForbidden(_("You may not make a new version of this questionnaire."))
    if questionnaire.owner_unit_id is not None and unit is not None and unit != target_unit:
        raise ActionForbidden(_("A unit's questionnaire gets new versions for that unit only."))
    with transaction.atomic():
        source = _lock(questionnaire)
        if source.owner_unit_id is None and target_unit is not None:
            code = _copy_code(source.code, target_unit)
            if Questionnaire.objects.filter(code=code).exclude(owner_unit=target_unit).exists():
                raise QuestionnaireInvalid(
                    [
                        _("The code %(code)s is already used by another unit's questionnaire.")
                        % {"code": code}
                    ]
                )
        else:
            code = source.code
        spec = source.as_spec()
        official = set(source.sections.filter(official=True).values_list("code", flat=True))
        try:
            with transaction.atomic():
                return _store(
                    spec,
                    code=code,
                    version=_next_version(code),
                    unit=target_unit,
                    actor=actor,
                    previous=source,
                    official_sections=official,
                )
        except IntegrityError:
            raise StaleRecord(
                _("Someone saved a version of this questionnaire at the same time: try again.")
            ) from None


def freeze(actor, questionnaire: Questionnaire) -> Questionnaire:
    """Freeze the version (a campaign starts using it). Freezing a frozen one changes nothing."""
    if not selectors.can_freeze(actor, questionnaire):
        raise ActionForbidden(_("You may not freeze this questionnaire."))
    with transaction.atomic():
        row = _lock(questionnaire)
        if row.frozen_at is None:
            row.frozen_at = timezone.now()
            row.frozen_by = actor if getattr(actor, "pk", None) else None
            row.save(update_fields=["frozen_at", "frozen_by"])
        return row


# -- the agencies' own sections and questions ----------------------------------------------------
def add_section(actor, questionnaire: Questionnaire, title: str) -> Section:
    """A section of the agency's own questions, after the existing ones."""
    title = (title or "").strip()
    if not title:
        raise SurveyError(_("Write the section's title."), "title")
    with transaction.atomic():
        row = _editable(actor, questionnaire)
        sections = row.sections.all()
        taken = set(sections.values_list("code", flat=True))
        number = sections.count() + 1
        while f"agency_{number}" in taken:
            number += 1
        last = sections.aggregate(last=Max("order"))["last"]
        return Section.objects.create(
            questionnaire=row,
            code=f"agency_{number}",
            title=title[:500],
            order=(last + 1) if last is not None else 0,
        )


def remove_section(actor, section: Section) -> None:
    """Remove one of the agency's own sections once it holds no question."""
    with transaction.atomic():
        questionnaire = _editable(actor, section.questionnaire)
        section = Section.objects.get(pk=section.pk, questionnaire=questionnaire)
        if section.official:
            raise SurveyError(_("The official SIPAS sections cannot be removed."))
        if section.questions.exists():
            raise SurveyError(_("Remove the section's questions first."))
        section.delete()


def _question_spec(fields: dict, questionnaire: Questionnaire) -> form.Question:
    factor = fields.get("factor") or ""
    return form.Question(
        code=(fields.get("code") or "").strip(),
        label=(fields.get("label") or "").strip(),
        kind=fields.get("kind") or "",
        required=bool(fields.get("required")),
        hint=(fields.get("hint") or "").strip(),
        choices=[form.Choice(str(v), str(label)) for v, label in fields.get("choices") or []],
        items=[
            form.MatrixItem(code=str(code), label=str(label), factor=factor)
            for code, label in fields.get("items") or []
        ],
        factor=factor,
        show_when=list(fields.get("show_when") or []),
    )


def _check_question(
    questionnaire: Questionnaire, section: Section, question: form.Question, replacing: str = ""
) -> None:
    """Check the questionnaire as it would be with ``question`` at the end of ``section`` (or in
    place of the question coded ``replacing``): every problem at once, the same rules as a spec."""
    spec = questionnaire.as_spec()
    for spec_section in spec.sections:
        if replacing:
            spec_section.questions = [
                question if existing.code == replacing else existing
                for existing in spec_section.questions
            ]
        elif spec_section.code == section.code:
            spec_section.questions.append(question)
    problems = spec_problems(spec)
    if problems:
        raise QuestionnaireInvalid(list(dict.fromkeys(problems)))


def add_question(actor, section: Section, **fields) -> Question:
    """Add a question at the end of one of the agency's own sections.

    ``fields``: code, label, kind, required, hint, choices [(value, label)], items [(code, label)]
    (matrix), factor (a factor code or ""), show_when [Condition].
    """
    with transaction.atomic():
        questionnaire = _editable(actor, section.questionnaire)
        section = Section.objects.get(pk=section.pk, questionnaire=questionnaire)
        if section.official:
            raise SurveyError(
                _(
                    "The official SIPAS sections cannot take new questions: "
                    "add them in a section of your own."
                )
            )
        spec = _question_spec(fields, questionnaire)
        _check_question(questionnaire, section, spec)
        last = section.questions.aggregate(last=Max("order"))["last"]
        factors = {factor.code: factor for factor in questionnaire.factors.all()}
        return _store_question(
            questionnaire, section, (last + 1) if last is not None else 0, spec, factors
        )


def _current_fields(question: Question) -> dict:
    return {
        "code": question.code,
        "label": question.label,
        "kind": question.kind,
        "required": question.required,
        "hint": question.hint,
        "choices": [(c.value, c.label) for c in question.choices.order_by("order", "pk")],
        "items": [(i.code, i.label) for i in question.items.order_by("order", "pk")],
        "factor": question.factor.code if question.factor_id else "",
        "show_when": question.show_when,
    }


def update_question(actor, question: Question, **changes) -> Question:
    """Change a question; in an official section only its wording (label, hint) may change."""
    with transaction.atomic():
        questionnaire = _editable(actor, question.questionnaire)
        question = Question.objects.select_related("section", "factor").get(
            pk=question.pk, questionnaire=questionnaire
        )
        current = _current_fields(question)
        wanted = {**current, **{k: v for k, v in changes.items() if k in current}}
        if "show_when" in changes:
            wanted["show_when"] = list(changes["show_when"] or [])
        else:
            wanted["show_when"] = [
                form.Condition(c["question"], c["operator"], c["value"])
                for c in current["show_when"]
            ]
            current["show_when"] = wanted["show_when"]
        changed = {key for key in wanted if wanted[key] != current[key]}
        if question.section.official:
            if changed - OFFICIAL_EDITABLE:
                raise SurveyError(
                    _(
                        "A question of the official SIPAS sections keeps its code, kind, factor, "
                        "choices and conditions: only its wording can change."
                    )
                )
            label = (wanted["label"] or "").strip()
            if not label:
                raise QuestionnaireInvalid(
                    [_("Question %(code)s has no text.") % {"code": question.code}]
                )
            question.label, question.hint = label, (wanted["hint"] or "").strip()
            question.save(update_fields=["label", "hint"])
            return question
        spec = _question_spec(wanted, questionnaire)
        _check_question(questionnaire, question.section, spec, replacing=question.code)
        old_codes = {question.code, *(code for code, _label in current["items"])}
        new_codes = {spec.code, *(item.code for item in spec.items)}
        if old_codes - new_codes and _used_in_conditions(
            questionnaire, old_codes - new_codes, question.pk
        ):
            raise SurveyError(
                _("Another question is shown depending on this one: change that condition first.")
            )
        question.code, question.label, question.kind = spec.code, spec.label, spec.kind
        question.required, question.hint = spec.required, spec.hint
        question.factor = questionnaire.factors.filter(code=spec.factor).first()
        question.show_when = conditions_to_json(spec.show_when)
        question.save()
        question.choices.all().delete()
        question.items.all().delete()
        Choice.objects.bulk_create(
            Choice(question=question, order=n, value=c.value, label=c.label)
            for n, c in enumerate(spec.choices)
        )
        MatrixItem.objects.bulk_create(
            MatrixItem(
                question=question, order=n, code=i.code, label=i.label, factor=question.factor
            )
            for n, i in enumerate(spec.items)
        )
        return question


def _used_in_conditions(questionnaire: Questionnaire, codes: set[str], skip: int) -> bool:
    holders = [*questionnaire.sections.all(), *questionnaire.questions.exclude(pk=skip)]
    return any(
        condition.get("question") in codes
        for holder in holders
        for condition in holder.show_when or []
        if isinstance(condition, dict)
    )


def remove_question(actor, question: Question) -> None:
    """Remove an agency question (never one of an official section, nor one a condition reads)."""
    with transaction.atomic():
        questionnaire = _editable(actor, question.questionnaire)
        question = Question.objects.select_related("section").get(
            pk=question.pk, questionnaire=questionnaire
        )
        if question.section.official:
            raise SurveyError(_("Questions of the official SIPAS sections cannot be removed."))
        codes = {question.code, *question.items.values_list("code", flat=True)}
        if _used_in_conditions(questionnaire, codes, question.pk):
            raise SurveyError(
                _("Another question is shown depending on this one: change that condition first.")
            )
        question.delete()


def move_question(actor, question: Question, direction: str) -> Question:
    """Move an agency question one place up or down within its section."""
    if direction not in ("up", "down"):
        raise SurveyError(_("Unknown direction."))
    with transaction.atomic():
        questionnaire = _editable(actor, question.questionnaire)
        question = Question.objects.select_related("section").get(
            pk=question.pk, questionnaire=questionnaire
        )
        if question.section.official:
            raise SurveyError(_("The official SIPAS sections keep their order."))
        siblings = list(question.section.questions.order_by("order", "pk"))
        index = siblings.index(question)
        other = index - 1 if direction == "up" else index + 1
        if 0 <= other < len(siblings):
            siblings[index], siblings[other] = siblings[other], siblings[index]
            for order, row in enumerate(siblings):
                if row.order != order:
                    Question.objects.filter(pk=row.pk).update(order=order)
        question.refresh_from_db()
        return question


# -- the built-in templates ----------------------------------------------------------------------
def ensure_builtin(code: str = builtin.SIPAS_1001_2023) -> Questionnaire:
    """Store the built-in template ``code`` at the version its file declares, unless stored.

    A changed template file ships with a new ``version``: the next ``migrate`` stores it as the
    next version (``previous``: the latest national one); the stored versions stay as they are.
    """
    template = builtin.load(code)
    version = int(template.spec.version)
    with transaction.atomic():
        existing = Questionnaire.objects.filter(code=code, version=version).first()
        if existing is not None:
            return existing
        previous = (
            Questionnaire.objects.filter(code=code, owner_unit__isnull=True)
            .order_by("-version")
            .first()
        )
        stored = _store(
            template.spec,
            code=code,
            version=version,
            unit=None,
            is_builtin=True,
            previous=previous,
            official_sections=template.official_sections,
        )
        # Official data is never edited in place: frozen from the start (by nobody).
        stored.frozen_at = timezone.now()
        stored.save(update_fields=["frozen_at"])
        return stored


def ensure_all_builtin() -> list[Questionnaire]:
    return [ensure_builtin(code) for code in builtin.codes()]
