"""The officers' "cách chấm" text ⇄ a leaf's scoring method and spec (:mod:`.scoring`).

Criteria sets circulate as spreadsheets whose "Cách chấm" column says in words how a leaf is
scored. :func:`parse` reads that text into ``(method, spec)``; :func:`format_spec` writes a spec
back as text that :func:`parse` reads to the same spec (round trip; the sheet's "Phương pháp"
column carries the method so nothing is guessed on the way back).

What is read (numbers with the Vietnamese decimal comma, "0,5"; items separated by ";", a new
line or "/"):

``levels``     "Ban hành kịp thời: 1 / không kịp thời: 0,5 / không ban hành: 0" (Cà Mau
               1880/QĐ-UBND, 1.1.1); "Có: 1; Không: 0"; "Có ban hành: điểm tối đa" (Phú Thọ-style
               form); "tốt: 75%" = 75% of the maximum (the same form's "Điểm cộng" block). A level
               key the platform cannot derive from the label is kept as "label [key]: points".
``bands``      "trên 90%: 2; 70%–90%: 1; dưới 70%: 0" (Cà Mau 1880, 1.1.4): "trên"/">" is
               strictly above; "từ 90% trở lên"/"≥"/"100%" includes the threshold; a range
               "70%–90%" or "từ 70% đến (dưới) 90%" includes its lower end (the higher band wins
               at the upper end); "dưới"/"<"/"còn lại" is the catch-all. Bands may come in any
               order; a gap between them is an error.
``deduction``  "Không vi phạm: không trừ; vi phạm nhẹ: trừ 50%; nghiêm trọng: trừ 100%" (Phú
               Thọ-style "vi phạm nhẹ: trừ 50% điểm; nghiêm trọng: 0").
``number``     "Nhập điểm" / "Tự chấm từ 0 đến điểm tối đa".
``survey``     "Điều tra xã hội học" / "Điều tra XHH" (BNV CV 383/384 of 28/01/2021: not
               self-scored).
``computed``   "Tự động từ dữ liệu: dossiers.on_time_rate; trên 90%: 2; …" or "…; tỷ lệ thuận"
               (points = maximum × value ÷ 100).

Pure Python: errors are :class:`NotationError` with a stable ``code`` and ``params`` (the Django
layer words them in Vietnamese) and the ``part`` of the text that could not be read.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation

from .scoring import BANDS, COMPUTED, DEDUCTION, LEVELS, METHODS, NUMBER, SURVEY

HUNDRED = Decimal(100)


class NotationError(ValueError):
    """Text that does not read as a scoring rule. ``code`` is stable, ``part`` is the piece of
    text at fault ("" for the whole text)."""

    def __init__(self, code: str, message: str, part: str = "", **params):
        params.setdefault("part", part)
        super().__init__(message % params)
        self.code = code
        self.part = part
        self.params = params


# -- numbers ----------------------------------------------------------------------------------
NUMBER_RE = r"\d+(?:[.,]\d+)?"


def _decimal(text: str) -> Decimal:
    try:
        return Decimal(text.strip().replace(",", "."))
    except InvalidOperation:
        raise NotationError("number", "“%(part)s” is not a number.", text) from None


def canonical(value) -> str:
    """A spec number as stored: "0.5", "2", "89.25" (no exponent, no trailing zeros)."""
    number = Decimal(str(value)).normalize()
    text = format(number, "f")
    return "0" if text in ("-0", "") else text


def vi_number(value) -> str:
    """A number as officers write it: "0,5", "2", "89,25"."""
    return canonical(value).replace(".", ",")


# -- keys ------------------------------------------------------------------------------------
def slug(label: str) -> str:
    """The level key derived from its label: "Không kịp thời" → "khong_kip_thoi"."""
    text = label.replace("đ", "d").replace("Đ", "D")
    text = unicodedata.normalize("NFD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    return re.sub(r"[^a-z0-9]+", "_", text).strip("_")


KEY_RE = re.compile(r"^(?P<label>.*?)\s*\[(?P<key>[A-Za-z0-9_.-]+)\]$", re.S)


def _label_key(text: str, index: int, seen: set[str]) -> tuple[str, str]:
    match = KEY_RE.match(text.strip())
    if match:
        label, key = match["label"].strip(), match["key"]
    else:
        label = text.strip()
        key = slug(label) or f"muc_{index + 1}"
        base, n = key, 2
        while key in seen:
            key, n = f"{base}_{n}", n + 1
    if not label:
        raise NotationError("label_missing", "An item has no label: “%(part)s”.", text)
    if key in seen:
        raise NotationError("duplicate_key", "Two items have the key %(key)s.", text, key=key)
    seen.add(key)
    return label, key


def _default_keys(labels: list[str]) -> list[str]:
    """The keys :func:`_label_key` derives for ``labels`` without brackets."""
    seen: set[str] = set()
    keys = []
    for i, label in enumerate(labels):
        keys.append(_label_key(label, i, seen)[1])
    return keys


# -- splitting ---------------------------------------------------------------------------------
SEPARATORS = re.compile(r"\s*(?:\n|;|\s/\s|(?<=[\d%])\s*/\s*)\s*")


def _pieces(text: str) -> list[str]:
    return [piece.strip() for piece in SEPARATORS.split(text) if piece and piece.strip(" .")]


def _pair(piece: str) -> tuple[str, str]:
    if ":" not in piece:
        raise NotationError(
            "no_colon", "“%(part)s”: write the condition, a colon, then the points.", piece
        )
    left, right = piece.rsplit(":", 1)
    return left.strip(), right.strip()


def fold(text: str) -> str:
    """Lower case without accents, for recognising words ("Điều tra" → "dieu tra")."""
    text = text.replace("đ", "d").replace("Đ", "D")
    text = unicodedata.normalize("NFD", text)
    return "".join(ch for ch in text if not unicodedata.combining(ch)).lower().strip()


# -- recognising the method --------------------------------------------------------------------
COMPUTED_RE = re.compile(
    r"^\s*t[ựu]\s*đ[ộo]ng\s+t[ừu]\s+d[ữu]\s*li[ệe]u\s*:\s*(?P<metric>[A-Za-z0-9_.]+)\s*[;,\n]?\s*(?P<rest>.*)$",
    re.S | re.I,
)
SURVEY_WORDS = ("dieu tra xa hoi hoc", "dieu tra xhh", "dtxhh", "xa hoi hoc")
NUMBER_WORDS = ("nhap diem", "tu cham")
METHOD_WORDS = {
    # the "Phương pháp" column: method key or its Vietnamese name
    "levels": LEVELS,
    "muc": LEVELS,
    "chon muc": LEVELS,
    "bands": BANDS,
    "ty le": BANDS,
    "bang ty le": BANDS,
    "deduction": DEDUCTION,
    "tru diem": DEDUCTION,
    "number": NUMBER,
    "nhap diem": NUMBER,
    "computed": COMPUTED,
    "tu dong": COMPUTED,
    "du lieu nen tang": COMPUTED,
    "survey": SURVEY,
    "dieu tra xhh": SURVEY,
    "dieu tra xa hoi hoc": SURVEY,
}
METHOD_NAMES = {
    LEVELS: "Chọn mức",
    BANDS: "Tỷ lệ",
    DEDUCTION: "Trừ điểm",
    NUMBER: "Nhập điểm",
    COMPUTED: "Tự động",
    SURVEY: "Điều tra XHH",
}


def method_from_text(text: str) -> str:
    """The method named in a sheet's "Phương pháp" cell ("" when empty)."""
    folded = fold(text or "")
    if not folded:
        return ""
    if folded in METHOD_WORDS:
        return METHOD_WORDS[folded]
    raise NotationError(
        "unknown_method",
        "Unknown method “%(part)s” (one of: %(choices)s).",
        text.strip(),
        choices=", ".join(METHODS),
    )


def guess_method(text: str) -> str:
    folded = fold(text)
    if COMPUTED_RE.match(text):
        return COMPUTED
    if any(folded.startswith(word) or folded == word for word in SURVEY_WORDS):
        return SURVEY
    if any(folded.startswith(word) for word in NUMBER_WORDS):
        return NUMBER
    pieces = _pieces(text)
    values = [fold(piece.rsplit(":", 1)[1]) for piece in pieces if ":" in piece]
    if any("tru" in re.findall(r"[a-z]+", value) for value in values):
        return DEDUCTION  # "vi phạm nhẹ: trừ 50%" (a label such as "Bị trừ điểm: 0" is a level)
    if pieces and all("%" in piece.split(":")[0] or _is_rest(piece) for piece in pieces):
        return BANDS
    return LEVELS


# -- parsing -----------------------------------------------------------------------------------
def parse(text: str, method: str = "", max_points=None) -> tuple[str, dict]:
    """``(method, spec)`` read from ``text``; ``method`` forces the method (the sheet's column),
    ``max_points`` resolves "điểm tối đa" and "75%" levels."""
    text = (text or "").strip()
    if method and method not in METHODS:
        raise NotationError("unknown_method", "Unknown method “%(part)s”.", method)
    if not method:
        if not text:
            raise NotationError("empty", "No scoring rule is written.")
        method = guess_method(text)
    maximum = None if max_points is None else Decimal(str(max_points))
    if method in (SURVEY, NUMBER):
        return method, {}
    if method == COMPUTED:
        match = COMPUTED_RE.match(text)
        if not match:
            raise NotationError(
                "metric_missing",
                "“%(part)s”: write “Tự động từ dữ liệu: <figure>” then the bands or “tỷ lệ thuận”.",
                text,
            )
        rest = match["rest"].strip()
        spec: dict = {"metric": match["metric"].rstrip(".")}
        if fold(rest).startswith("ty le thuan"):
            spec["proportional"] = True
        elif rest:
            spec["bands"] = _bands(rest)
        else:
            raise NotationError(
                "computed_rule",
                "“%(part)s”: after the figure, write the bands or “tỷ lệ thuận”.",
                text,
            )
        return method, spec
    if not text:
        raise NotationError("empty", "No scoring rule is written.")
    if method == BANDS:
        return method, {"bands": _bands(text)}
    if method == DEDUCTION:
        return method, {"deductions": _deductions(text, maximum)}
    return method, {"levels": _levels(text, maximum)}


def _points(value: str, maximum: Decimal | None, piece: str) -> Decimal:
    folded = fold(value).rstrip(".")
    folded = re.sub(r"\s*diem$", "", folded).strip()
    if folded in ("tối đa", "toi da", "diem toi da"):
        if maximum is None:
            raise NotationError("maximum_unknown", "“%(part)s”: the maximum is not known.", piece)
        return maximum
    match = re.fullmatch(rf"({NUMBER_RE})\s*%(?:\s*(?:so\s+)?diem(?:\s+toi\s+da)?)?", folded)
    if match:
        if maximum is None:
            raise NotationError("maximum_unknown", "“%(part)s”: the maximum is not known.", piece)
        return maximum * _decimal(match[1]) / HUNDRED
    match = re.fullmatch(NUMBER_RE, folded)
    if not match:
        raise NotationError("points", "“%(part)s”: the points are not a number.", piece)
    return _decimal(folded)


def _levels(text: str, maximum: Decimal | None) -> list[dict]:
    seen: set[str] = set()
    levels = []
    for i, piece in enumerate(_pieces(text)):
        left, right = _pair(piece)
        label, key = _label_key(left, i, seen)
        points = _points(right, maximum, piece)
        levels.append({"key": key, "label": label, "points": canonical(points)})
    if not levels:
        raise NotationError("empty", "No scoring rule is written.")
    return levels


def _deductions(text: str, maximum: Decimal | None) -> list[dict]:
    seen: set[str] = set()
    items = []
    for i, piece in enumerate(_pieces(text)):
        left, right = _pair(piece)
        label, key = _label_key(left, i, seen)
        folded = fold(right).rstrip(".")
        folded = re.sub(r"\s*(so\s+)?diem(\s+toi\s+da)?$", "", folded).strip()
        if folded in ("khong tru", "khong bi tru"):
            percent = Decimal(0)
        elif folded in ("tru het", "tru toan bo", "tru tat ca"):
            percent = HUNDRED
        else:
            match = re.fullmatch(rf"(?:tru\s*)?({NUMBER_RE})\s*%", folded)
            if match:
                percent = _decimal(match[1])
            elif folded == "0" or folded == "0 diem":  # "nghiêm trọng: 0" — nothing left
                percent = HUNDRED
            else:
                raise NotationError(
                    "deduction", "“%(part)s”: write “trừ 50%%” or “không trừ”.", piece
                )
        if not 0 <= percent <= 100:
            raise NotationError("deduction", "“%(part)s”: a deduction is 0%%–100%%.", piece)
        items.append({"key": key, "label": label, "percent": canonical(percent)})
    if not items:
        raise NotationError("empty", "No scoring rule is written.")
    return items


PCT = rf"({NUMBER_RE})\s*%?"
REST_WORDS = ("con lai", "cac truong hop con lai", "truong hop khac", "cac truong hop khac")


def _is_rest(piece: str) -> bool:
    return ":" in piece and fold(piece.rsplit(":", 1)[0]) in REST_WORDS


def _condition(condition: str, piece: str) -> tuple[Decimal | None, bool, Decimal | None]:
    """(lower, lower_inclusive, upper) of one band's condition; lower None: the catch-all."""
    c = fold(condition).replace("≥", ">=").replace("≤", "<=").replace("–", "-")
    c = c.replace("—", "-").replace("ty le", "").replace("dat", "").strip()
    c = re.sub(r"\s+", " ", c)
    pct = rf"({NUMBER_RE})\s*%?"
    patterns = [
        # ranges: "70%-90%", "tu 70% den 90%", "tu 70% den duoi 90%", "tren 70% den 90%"
        (rf"^(tu|tren|>=|>)?\s*{pct}\s*(?:-|den|toi)\s*(?:duoi|<|<=)?\s*{pct}$", "range"),
        (rf"^(?:tren|>|lon hon)\s*{pct}$", "strict"),
        (rf"^(?:tu|>=)\s*{pct}(?:\s*tro len)?$", "inclusive"),
        (rf"^{pct}\s*tro len$", "inclusive"),
        (rf"^(?:duoi|<|nho hon)\s*{pct}$", "rest"),
        (rf"^(?:tu\s*)?{pct}\s*tro xuong$", "rest"),
        (rf"^(?:<=)\s*{pct}$", "rest"),
        (rf"^(?:=\s*)?{pct}$", "exact"),
    ]
    if c in REST_WORDS:
        return None, False, None
    for pattern, kind in patterns:
        match = re.match(pattern, c)
        if not match:
            continue
        if kind == "range":
            word, low, high = match[1], _decimal(match[2]), _decimal(match[3])
            if low > high:
                raise NotationError("band_range", "“%(part)s”: the range is upside down.", piece)
            return low, word not in ("tren", ">"), high
        if kind == "strict":
            return _decimal(match[1]), False, None
        if kind in ("inclusive", "exact"):
            return _decimal(match[1]), True, None
        return None, False, _decimal(match[1])
    raise NotationError(
        "band",
        "“%(part)s”: write “trên 90%%”, “70%%–90%%”, “từ 90%% trở lên” or “dưới 70%%”.",
        piece,
    )


def _bands(text: str) -> list[dict]:
    rows = []
    for piece in _pieces(text):
        left, right = _pair(piece)
        lower, inclusive, upper = _condition(left, piece)
        points = _points(right, None, piece)
        rows.append((lower, inclusive, upper, points, piece))
    if not rows:
        raise NotationError("empty", "No scoring rule is written.")
    rests = [row for row in rows if row[0] is None]
    if len(rests) > 1:
        raise NotationError(
            "band_rest", "“%(part)s”: only one band can catch the rest.", rests[1][4]
        )
    ordered = sorted((row for row in rows if row[0] is not None), key=lambda row: (-row[0], row[1]))
    previous = None
    for lower, inclusive, upper, _value, piece in [*ordered, *rests]:
        if (
            previous is not None
            and lower is not None
            and lower == previous[0]
            and inclusive == previous[1]
        ):
            raise NotationError(
                "band_twice", "“%(part)s”: two bands start at the same value.", piece
            )
        if upper is not None and previous is not None and upper != previous[0]:
            raise NotationError(
                "band_gap",
                "“%(part)s”: the band ends at %(upper)s%% but the band above starts at "
                "%(lower)s%%.",
                piece,
                upper=vi_number(upper),
                lower=vi_number(previous[0]),
            )
        if lower is not None:
            previous = (lower, inclusive)
    bands = []
    for lower, inclusive, _upper, points, _piece in ordered:
        bands.append(
            {"above": canonical(lower), "inclusive": inclusive, "points": canonical(points)}
        )
    for _lower, _inclusive, _upper, points, _piece in rests:
        bands.append({"above": None, "points": canonical(points)})
    return bands


# -- formatting --------------------------------------------------------------------------------
def format_spec(method: str, spec: dict) -> str:
    """The officers' text of a spec; :func:`parse` with ``method`` reads it back to ``spec``."""
    spec = spec or {}
    if method == SURVEY:
        return "Điều tra xã hội học"
    if method == NUMBER:
        return "Nhập điểm (từ 0 đến điểm tối đa)"
    if method == COMPUTED:
        head = f"Tự động từ dữ liệu: {spec.get('metric', '')}"
        if spec.get("proportional"):
            return f"{head}; tỷ lệ thuận"
        return f"{head}; {_format_bands(spec.get('bands') or [])}"
    if method == BANDS:
        return _format_bands(spec.get("bands") or [])
    if method == DEDUCTION:
        items = spec.get("deductions") or []
        keys = _default_keys([item["label"] for item in items])
        parts = []
        for item, key in zip(items, keys, strict=True):
            percent = Decimal(str(item["percent"]))
            value = "không trừ" if percent == 0 else f"trừ {vi_number(percent)}%"
            parts.append(f"{_label_text(item, key)}: {value}")
        return "; ".join(parts)
    if method == LEVELS:
        items = spec.get("levels") or []
        keys = _default_keys([item["label"] for item in items])
        return "; ".join(
            f"{_label_text(item, key)}: {vi_number(item['points'])}"
            for item, key in zip(items, keys, strict=True)
        )
    raise NotationError("unknown_method", "Unknown method “%(part)s”.", method)


def _label_text(item: dict, default_key: str) -> str:
    return item["label"] if item["key"] == default_key else f"{item['label']} [{item['key']}]"


def _format_bands(bands: list[dict]) -> str:
    parts = []
    previous = None  # (threshold, inclusive) of the band above
    for band in bands:
        points = vi_number(band["points"])
        above = band.get("above")
        if above is None:
            if previous is None:
                condition = "còn lại"
            elif previous[1]:
                condition = f"dưới {vi_number(previous[0])}%"
            else:
                condition = f"từ {vi_number(previous[0])}% trở xuống"
            parts.append(f"{condition}: {points}")
            continue
        low, inclusive = Decimal(str(above)), bool(band.get("inclusive", False))
        if previous is None:
            condition = f"từ {vi_number(low)}% trở lên" if inclusive else f"trên {vi_number(low)}%"
        else:
            high = vi_number(previous[0])
            if inclusive and not previous[1]:
                condition = f"{vi_number(low)}%–{high}%"
            else:
                start = "từ" if inclusive else "trên"
                end = "dưới " if previous[1] else ""
                condition = f"{start} {vi_number(low)}% đến {end}{high}%"
        parts.append(f"{condition}: {points}")
        previous = (low, inclusive)
    return "; ".join(parts)
