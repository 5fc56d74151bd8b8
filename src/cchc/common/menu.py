"""The menu's entries, registered by the app that owns each page (rendered by ``cchc.portal.menu``).

It lives here, at the bottom of the layers, so that any app can add its entries from its own
``AppConfig.ready()`` without importing the portal, which sits at the top. The bar shows the entries
in ``order``: the order numbers of today's entries are spaced by ten, so a new module slots in
between without renumbering (see docs/registries.md).
"""

from __future__ import annotations

from dataclasses import dataclass

from .registry import Registry


@dataclass(frozen=True)
class MenuItem:
    label: str
    url_name: str
    roles: tuple[str, ...] | None = None  # the roles that see it (None: everyone)
    admin_only: bool = False
    citizen_only: bool = False
    more: bool = False  # under "More" (tools used now and then), to keep the bar on one line
    # Staff see up to eight entries: their bar uses the short label so it stays on one line at
    # 1200 px and wider (the visitor's and the citizen's few entries keep the long one).
    short: str = ""
    order: int = 0

    @property
    def key(self) -> str:
        return self.url_name


menu: Registry[MenuItem] = Registry("menu")
