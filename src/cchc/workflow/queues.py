"""Officers' work queues: a named, addressable slice of a record type's list.

Each module lists its queues (``dossiers.selectors.QUEUES``, ``feedback.selectors.QUEUES``) with a
slug that is part of the page's address (``/ho-so/hang-doi/qua-han/``), so a public contract, and a
label shown as a tab.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Queue:
    slug: str  # in URLs: stable
    label: str  # lazy translation
