"""Questionnaire pages: the list, a read-only preview, versions, freezing and agency questions.

Who sees what is decided in :mod:`.selectors` (module docstring): a questionnaire the user may not
read is a 404, an action they may not take a 403. The views check the role, call the services and
show their refusals as messages; every action is a POST confirmed in the page.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cchc.organisations.permissions import has_role

from . import selectors, services
from .engine import form
from .errors import SurveyError
from .forms import NewVersionForm, QuestionForm, SectionForm
from .models import Question, Questionnaire, Section


def _staff_only(request) -> None:
    if not has_role(request.user):
        raise Http404


def _visible(request, pk: int) -> Questionnaire:
    _staff_only(request)
    return get_object_or_404(selectors.visible_questionnaires(request.user), pk=pk)


def _editable(request, pk: int) -> Questionnaire | None:
    """The questionnaire if the user may edit it now; None (with a message) when it is frozen or
    built in; 403 when it is not theirs to edit."""
    questionnaire = _visible(request, pk)
    if not selectors.may_edit_for(request.user, questionnaire.owner_unit):
        raise PermissionDenied
    if questionnaire.is_builtin or questionnaire.frozen:
        messages.error(
            request,
            _("This version is frozen because it is in use: make a new version to change it.")
            if questionnaire.frozen
            else _("The built-in template cannot be changed: make a new version of it."),
        )
        return None
    return questionnaire


def _to_detail(questionnaire_or_pk):
    pk = getattr(questionnaire_or_pk, "pk", questionnaire_or_pk)
    return redirect("surveys:questionnaire", pk=pk)


def _choices_for(question: Question) -> list[tuple[str, str]]:
    choices = [(c.value, c.label) for c in question.choices.all()]
    if choices:
        return choices
    if question.kind == form.LIKERT5:
        return [(str(n), label) for n, label in enumerate(form.LIKERT5_LABELS, 1)]
    if question.kind == form.SCALE4:
        return [(str(n), str(n)) for n in range(1, 5)]
    if question.kind == form.YES_NO:
        return list(form.YES_NO_LABELS)
    return []


def _preview(questionnaire: Questionnaire) -> list[dict]:
    sections = []
    for section in selectors.questionnaire_detail(questionnaire):
        questions = list(section.questions.all())
        sections.append(
            {
                "section": section,
                "questions": [
                    {
                        "question": question,
                        "choices": _choices_for(question),
                        "items": list(question.items.all()),
                        "position": position,
                        "last": position == len(questions) - 1,
                    }
                    for position, question in enumerate(questions)
                ],
            }
        )
    return sections


@login_required
def questionnaires(request):
    _staff_only(request)
    rows = selectors.questionnaire_list(request.user)
    return render(request, "surveys/questionnaires.html", {"questionnaires": rows})


@login_required
def questionnaire(request, pk: int):
    questionnaire = _visible(request, pk)
    user = request.user
    national = questionnaire.owner_unit_id is None
    national_editor = selectors.is_national_editor(user)
    version_form = (
        NewVersionForm(units=selectors.editable_units(user), national=national_editor)
        if national  # a unit's questionnaire gets its new versions for the same unit
        else None
    )
    return render(
        request,
        "surveys/questionnaire.html",
        {
            "questionnaire": questionnaire,
            "sections": _preview(questionnaire),
            "factors": list(questionnaire.factors.all()),
            "can_edit": selectors.can_edit(user, questionnaire),
            "can_make_version": selectors.can_make_version(user, questionnaire),
            # The page offers freezing to the owner's editors; campaigns freeze what they use.
            "can_freeze": not questionnaire.frozen
            and selectors.may_edit_for(user, questionnaire.owner_unit),
            "version_form": version_form,
            "versions": Questionnaire.objects.filter(code=questionnaire.code).order_by("-version"),
        },
    )


@login_required
@require_POST
def questionnaire_new_version(request, pk: int):
    questionnaire = _visible(request, pk)
    if not selectors.can_make_version(request.user, questionnaire):
        raise PermissionDenied
    unit = None
    if questionnaire.owner_unit_id is None:
        version_form = NewVersionForm(
            request.POST,
            units=selectors.editable_units(request.user),
            national=selectors.is_national_editor(request.user),
        )
        if not version_form.is_valid():
            messages.error(request, _("Choose one of your units."))
            return _to_detail(questionnaire)
        unit = version_form.cleaned_data["unit"]
    try:
        created = services.new_version(request.user, questionnaire, unit=unit)
    except SurveyError as error:
        messages.error(request, error.message)
        return _to_detail(questionnaire)
    messages.success(
        request,
        _("Version %(version)s created: you can now change it.") % {"version": created.version},
    )
    return _to_detail(created)


@login_required
@require_POST
def questionnaire_freeze(request, pk: int):
    questionnaire = _visible(request, pk)
    if not selectors.may_edit_for(request.user, questionnaire.owner_unit):
        raise PermissionDenied
    try:
        services.freeze(request.user, questionnaire)
    except SurveyError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The version is frozen: it can no longer be changed."))
    return _to_detail(questionnaire)


@login_required
def section_add(request, pk: int):
    questionnaire = _editable(request, pk)
    if questionnaire is None:
        return _to_detail(pk)
    section_form = SectionForm(request.POST or None)
    if request.method == "POST" and section_form.is_valid():
        try:
            services.add_section(request.user, questionnaire, section_form.cleaned_data["title"])
        except SurveyError as error:
            section_form.add_error(None, error.message)
        else:
            messages.success(request, _("Section added."))
            return _to_detail(questionnaire)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "surveys/section_form.html",
        {"questionnaire": questionnaire, "form": section_form},
        status=status,
    )


def _earlier_codes(
    questionnaire: Questionnaire, before: Question | None = None, last: Section | None = None
) -> list[tuple[str, str]]:
    """(code, "code — text") of what a condition can read: questions and matrix items placed
    before ``before``, or up to the end of section ``last`` (a new question goes at its end)."""

    def shown(code: str, text: str) -> tuple[str, str]:
        text = " ".join(text.split())
        return code, f"{code} — {text[:60]}{'…' if len(text) > 60 else ''}"

    codes = []
    for section in selectors.questionnaire_detail(questionnaire):
        if last is not None and section.order > last.order:
            return codes
        for question in section.questions.all():
            if before is not None and question.pk == before.pk:
                return codes
            if question.kind == form.NOTE:
                continue
            if question.kind == form.MATRIX:
                codes.extend(shown(item.code, item.label) for item in question.items.all())
            else:
                codes.append(shown(question.code, question.label))
    return codes


def _question_page(request, questionnaire, question_form, section, question=None):
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "surveys/question_form.html",
        {
            "questionnaire": questionnaire,
            "section": section,
            "question": question,
            "form": question_form,
        },
        status=status,
    )


def _save_question(request, questionnaire, question_form, action) -> bool:
    if not question_form.is_valid():
        return False
    try:
        action(**question_form.service_fields())
    except services.QuestionnaireInvalid as error:
        for problem in error.problems:
            question_form.add_error(None, problem)
        return False
    except SurveyError as error:
        question_form.add_error(None, error.message)
        return False
    return True


@login_required
def question_add(request, pk: int, section_pk: int):
    questionnaire = _editable(request, pk)
    if questionnaire is None:
        return _to_detail(pk)
    section = get_object_or_404(Section, pk=section_pk, questionnaire=questionnaire)
    if section.official:
        messages.error(
            request,
            _(
                "The official SIPAS sections cannot take new questions: "
                "add them in a section of your own."
            ),
        )
        return _to_detail(questionnaire)
    question_form = QuestionForm(
        request.POST or None,
        factors=questionnaire.factors.all(),
        earlier_codes=_earlier_codes(questionnaire, last=section),
        initial={"kind": form.LIKERT5},
    )
    if request.method == "POST":

        def action(**fields):
            return services.add_question(request.user, section, **fields)

        if _save_question(request, questionnaire, question_form, action):
            messages.success(request, _("Question added."))
            return _to_detail(questionnaire)
    return _question_page(request, questionnaire, question_form, section)


@login_required
def question_edit(request, pk: int, question_pk: int):
    questionnaire = _editable(request, pk)
    if questionnaire is None:
        return _to_detail(pk)
    question = get_object_or_404(
        Question.objects.select_related("section", "factor"),
        pk=question_pk,
        questionnaire=questionnaire,
    )
    question_form = QuestionForm(
        request.POST or None,
        factors=questionnaire.factors.all(),
        earlier_codes=_earlier_codes(questionnaire, before=question),
        official=question.section.official,
        initial=QuestionForm.initial_for(question),
    )
    question_form.extra_conditions = [
        form.Condition(c.get("question", ""), c.get("operator", ""), c.get("value", ""))
        for c in (question.show_when or [])[1:]
        if isinstance(c, dict)
    ]
    if request.method == "POST":

        def action(**fields):
            return services.update_question(request.user, question, **fields)

        if _save_question(request, questionnaire, question_form, action):
            messages.success(request, _("Question saved."))
            return _to_detail(questionnaire)
    return _question_page(request, questionnaire, question_form, question.section, question)


@login_required
@require_POST
def section_remove(request, pk: int, section_pk: int):
    questionnaire = _editable(request, pk)
    if questionnaire is None:
        return _to_detail(pk)
    section = get_object_or_404(Section, pk=section_pk, questionnaire=questionnaire)
    try:
        services.remove_section(request.user, section)
    except SurveyError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Section removed."))
    return _to_detail(questionnaire)


@login_required
@require_POST
def question_remove(request, pk: int, question_pk: int):
    questionnaire = _editable(request, pk)
    if questionnaire is None:
        return _to_detail(pk)
    question = get_object_or_404(Question, pk=question_pk, questionnaire=questionnaire)
    try:
        services.remove_question(request.user, question)
    except SurveyError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Question removed."))
    return _to_detail(questionnaire)


@login_required
@require_POST
def question_move(request, pk: int, question_pk: int):
    questionnaire = _editable(request, pk)
    if questionnaire is None:
        return _to_detail(pk)
    question = get_object_or_404(Question, pk=question_pk, questionnaire=questionnaire)
    try:
        services.move_question(request.user, question, request.POST.get("direction", ""))
    except SurveyError as error:
        messages.error(request, error.message)
    return _to_detail(questionnaire)
