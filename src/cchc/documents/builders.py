"""Which official documents a dossier can have: each one is registered with the function that
gathers its data (``build``), the test of whether it exists for a dossier now (``applies``) and
its place in the list of the dossier page (``order``).

The six forms of Thông tư 01/2018 and 03/2025 register themselves in ``rendering``; a later module
registers its own document the same way (``@official_form(…)`` in its hooks), with the template
``documents/<key>.html`` or one it names, and its ``spec`` (number and title) when the two form sets
do not know its key. Nothing else in this app needs editing: ``applicable_forms``, the download view
and the dossier page's links all read the registry.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from cchc.common.registry import Registry

from .registry import FormSpec


@dataclass(frozen=True)
class OfficialForm:
    key: str  # the form's key in the address: /ho-so/<pk>/bieu-mau/<key>.pdf
    build: Callable[[Any], Any]  # dossier -> FormContext; raises FormNotApplicable
    applies: Callable[[Any], bool]  # dossier -> does the form exist for it now?
    order: int = 0
    spec: FormSpec | None = None  # number and title outside the form sets of Thông tư 01 and 03
    template: str = ""  # default: documents/<key>.html

    @property
    def template_name(self) -> str:
        return self.template or f"documents/{self.key}.html"


forms: Registry[OfficialForm] = Registry("official forms")


def official_form(
    key: str,
    *,
    applies: Callable[[Any], bool],
    order: int = 0,
    spec: FormSpec | None = None,
    template: str = "",
):
    """Decorator: register the decorated builder as the official form ``key``."""

    def decorator(build):
        forms.register(OfficialForm(key, build, applies, order, spec, template))
        return build

    return decorator
