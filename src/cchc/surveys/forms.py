"""Forms of the questionnaire pages: an agency question, an agency section, the unit of a copy.

Choices and matrix items are typed one per line, ``value | label`` (or only the label: values are
then numbered 1, 2, 3…), which is how officers already write them on paper forms.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .engine import form
from .models import KIND_CHOICES

TEXT = {"class": "form-control"}
SELECT = {"class": "form-select"}
OPERATOR_CHOICES = [
    ("=", _("is")),
    ("!=", _("is not")),
    ("selected", _("includes the choice")),
    (">", ">"),
    (">=", "≥"),
    ("<", "<"),
    ("<=", "≤"),
]


def parse_lines(text: str, *, numbered: bool) -> list[tuple[str, str]]:
    """``value | label`` lines as pairs; a line without ``|`` gets its number (``numbered``) or
    ``item_<n>`` as its value."""
    pairs = []
    for line in (text or "").splitlines():
        line = line.strip()
        if not line:
            continue
        if "|" in line:
            value, label = (part.strip() for part in line.split("|", 1))
        else:
            number = len(pairs) + 1
            value, label = (str(number) if numbered else f"item_{number}"), line
        pairs.append((value, label))
    return pairs


def format_lines(pairs) -> str:
    return "\n".join(f"{value} | {label}" for value, label in pairs)


class SectionForm(forms.Form):
    title = forms.CharField(
        label=_("Section title"), max_length=500, widget=forms.TextInput(attrs=TEXT)
    )


class NewVersionForm(forms.Form):
    unit = forms.TypedChoiceField(
        label=_("For the unit"), coerce=int, required=False, widget=forms.Select(attrs=SELECT)
    )

    def __init__(self, *args, units=(), national=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.units = {unit.pk: unit for unit in units}
        self.national = national
        choices = [(unit.pk, unit.name) for unit in units]
        if national:  # only national editors may leave the unit out (last: not the default)
            choices.append(("", _("National (no unit)")))
        self.fields["unit"].choices = choices
        self.fields["unit"].required = not national

    def clean_unit(self):
        value = self.cleaned_data.get("unit")
        if value in (None, ""):
            if not self.national:
                raise forms.ValidationError(_("Choose one of your units."))
            return None
        return self.units[value]


class QuestionForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=64,
        help_text=_("Letters, digits and _; unique in the questionnaire (the XLSForm name)."),
        widget=forms.TextInput(attrs=TEXT),
    )
    label = forms.CharField(label=_("Question"), widget=forms.Textarea(attrs={**TEXT, "rows": 2}))
    kind = forms.ChoiceField(
        label=_("Kind"), choices=KIND_CHOICES, widget=forms.Select(attrs=SELECT)
    )
    required = forms.BooleanField(
        label=_("Required"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )
    hint = forms.CharField(label=_("Hint"), required=False, widget=forms.TextInput(attrs=TEXT))
    factor = forms.ChoiceField(
        label=_("Factor measured"), required=False, widget=forms.Select(attrs=SELECT)
    )
    choices = forms.CharField(
        label=_("Choices"),
        required=False,
        help_text=_("One per line: value | label (or only the label)."),
        widget=forms.Textarea(attrs={**TEXT, "rows": 4}),
    )
    items = forms.CharField(
        label=_("Matrix items"),
        required=False,
        help_text=_("Matrix only; one per line: code | label."),
        widget=forms.Textarea(attrs={**TEXT, "rows": 3}),
    )
    condition_question = forms.ChoiceField(
        label=_("Show only when the answer to"), required=False, widget=forms.Select(attrs=SELECT)
    )
    condition_operator = forms.ChoiceField(
        label=_("Comparison"),
        choices=OPERATOR_CHOICES,
        required=False,
        widget=forms.Select(attrs=SELECT),
    )
    condition_value = forms.CharField(
        label=_("Value"), required=False, max_length=64, widget=forms.TextInput(attrs=TEXT)
    )

    #: The fields an official question still lets an agency change.
    OFFICIAL_FIELDS = ("label", "hint")

    def __init__(self, *args, factors=(), earlier_codes=(), official=False, **kwargs):
        # earlier_codes: (code, label) pairs of the questions a condition may read
        super().__init__(*args, **kwargs)
        self.fields["factor"].choices = [("", _("None"))] + [(f.code, f.name) for f in factors]
        self.fields["condition_question"].choices = [("", _("Always shown")), *earlier_codes]
        self.official = official
        self.extra_conditions: list[form.Condition] = []  # kept as they are (set by the view)
        if official:
            for name, field in self.fields.items():
                if name not in self.OFFICIAL_FIELDS:
                    field.disabled = True

    def clean(self):
        data = super().clean()
        if data.get("condition_question") and not data.get("condition_operator"):
            self.add_error("condition_operator", _("Choose a comparison."))
        return data

    def service_fields(self) -> dict:
        """The cleaned data in the shape the services take."""
        data = self.cleaned_data
        if self.official:
            return {name: data.get(name, "") for name in self.OFFICIAL_FIELDS}
        kind = data["kind"]
        choices = (
            parse_lines(data.get("choices"), numbered=True) if kind in form.CHOICE_KINDS else []
        )
        if not choices and kind == form.LIKERT5:
            choices = [(str(n), label) for n, label in enumerate(form.LIKERT5_LABELS, 1)]
        if not choices and kind == form.YES_NO:
            choices = list(form.YES_NO_LABELS)
        show_when = []
        if data.get("condition_question"):
            show_when.append(
                form.Condition(
                    data["condition_question"],
                    data["condition_operator"],
                    (data.get("condition_value") or "").strip(),
                )
            )
        show_when.extend(self.extra_conditions)
        return {
            "code": data["code"].strip(),
            "label": data["label"],
            "kind": kind,
            "required": data.get("required", False),
            "hint": data.get("hint", ""),
            "factor": data.get("factor") or "",
            "choices": choices,
            "items": parse_lines(data.get("items"), numbered=False) if kind == form.MATRIX else [],
            "show_when": show_when,
        }

    @classmethod
    def initial_for(cls, question) -> dict:
        condition = (question.show_when or [{}])[0] if question.show_when else {}
        return {
            "code": question.code,
            "label": question.label,
            "kind": question.kind,
            "required": question.required,
            "hint": question.hint,
            "factor": question.factor.code if question.factor_id else "",
            "choices": format_lines((c.value, c.label) for c in question.choices.all()),
            "items": format_lines((i.code, i.label) for i in question.items.all()),
            "condition_question": condition.get("question", ""),
            "condition_operator": condition.get("operator", ""),
            "condition_value": condition.get("value", ""),
        }
