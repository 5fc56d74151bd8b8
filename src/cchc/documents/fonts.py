"""The serif font embedded in the PDF forms, taken from Debian's font packages.

Official documents are set in a Times-like face (Nghị định 30/2020/NĐ-CP asks for a Unicode font of
TCVN 6909:2001, in practice Times New Roman). Preferred is **Liberation Serif 2** (Debian package
``fonts-liberation2``), metric-compatible with Times New Roman and complete for Vietnamese; then
**DejaVu Serif** (``fonts-dejavu-core``). Version 1 of Liberation (package ``fonts-liberation``)
lacks most Vietnamese letters (ư, ạ, ộ …), so a family is used only if its regular face covers a
sample of them: a PDF never mixes a fallback font into a word.

The files are referenced by ``file://`` URLs in ``@font-face`` rules under a family name of our own,
so fontconfig's choice between two installed "Liberation Serif" versions does not matter, and the
PDF renderer is allowed to read these files and nothing else (no network, no other file).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import cache
from pathlib import Path

logger = logging.getLogger(__name__)

FAMILY = "CCHC Serif"
VIETNAMESE_SAMPLE = "ĂÂĐÊÔƠƯăâđêôơư ạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ ỘỦỨ"

# (family, folder, {(weight, style): file}) in order of preference.
CANDIDATES = (
    (
        "Liberation Serif",
        "/usr/share/fonts/truetype/liberation2",
        {
            (400, "normal"): "LiberationSerif-Regular.ttf",
            (700, "normal"): "LiberationSerif-Bold.ttf",
            (400, "italic"): "LiberationSerif-Italic.ttf",
            (700, "italic"): "LiberationSerif-BoldItalic.ttf",
        },
    ),
    (
        "DejaVu Serif",
        "/usr/share/fonts/truetype/dejavu",
        {
            (400, "normal"): "DejaVuSerif.ttf",
            (700, "normal"): "DejaVuSerif-Bold.ttf",
            (400, "italic"): "DejaVuSerif-Italic.ttf",  # fonts-dejavu-extra; optional
            (700, "italic"): "DejaVuSerif-BoldItalic.ttf",
        },
    ),
)


@dataclass(frozen=True)
class FontChoice:
    family: str  # the installed family, e.g. "Liberation Serif"
    faces: tuple[tuple[int, str, Path], ...]  # (weight, style, file)

    @property
    def urls(self) -> frozenset[str]:
        return frozenset(path.as_uri() for _, _, path in self.faces)

    def css(self) -> str:
        rules = [
            f'@font-face {{ font-family: "{FAMILY}"; src: url("{path.as_uri()}"); '
            f"font-weight: {weight}; font-style: {style}; }}"
            for weight, style, path in self.faces
        ]
        return "\n".join(rules)

    @property
    def stack(self) -> str:
        """CSS font-family value: our faces first, then the installed names, then any serif."""
        return f'"{FAMILY}", "{self.family}", "DejaVu Serif", serif'


def covers_vietnamese(path: Path) -> bool:
    from fontTools.ttLib import TTFont  # a dependency of WeasyPrint

    try:
        with TTFont(path, lazy=True) as font:
            cmap = font.getBestCmap() or {}
    except Exception:  # unreadable or not a font
        return False
    return all(ord(char) in cmap for char in VIETNAMESE_SAMPLE if not char.isspace())


@cache
def document_font() -> FontChoice:
    """The first installed candidate family that covers Vietnamese (cached per process)."""
    for family, folder, files in CANDIDATES:
        regular = Path(folder) / files[(400, "normal")]
        if not regular.is_file() or not covers_vietnamese(regular):
            continue
        faces = tuple(
            (weight, style, Path(folder) / name)
            for (weight, style), name in files.items()
            if (Path(folder) / name).is_file()
        )
        return FontChoice(family, faces)
    logger.warning(
        "No serif font covering Vietnamese was found; install the Debian package "
        "fonts-liberation2 (or fonts-dejavu-core). PDF forms fall back to fontconfig's choice."
    )
    return FontChoice("DejaVu Serif", ())
