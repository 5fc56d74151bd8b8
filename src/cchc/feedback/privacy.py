"""Personal data in texts meant for the public: suggest a redacted version, refuse leftovers.

Public pages show feedback and answers without the sender's phone, email, ID number or address
(Nghị định 13/2023/NĐ-CP on personal data protection; Nghị định 20/2008/NĐ-CP, Điều 18, publishes
the handling result, not the person). The leader edits the public text; these checks catch what
the eye misses. Plain Python, no Django.
"""

import re

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# A run of digits with the separators people type in phone and ID numbers.
NUMBER_RUN = re.compile(r"\+?\d[\d .\-]*\d")
THOUSANDS = re.compile(r"^\d{1,3}(?:\.\d{3})+$")  # 150.000.000 (an amount in đồng), not a number
MASK = "***"
MIN_PERSONAL_DIGITS = 9  # CMND has 9 digits, phones 10, CCCD 12, tax codes 10 or 13


def _digits(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit())


def _is_personal_number(run: str) -> bool:
    run = run.strip(" .-")
    return len(_digits(run)) >= MIN_PERSONAL_DIGITS and not THOUSANDS.match(run)


def redact(text: str, names: tuple[str, ...] = ()) -> str:
    """``text`` with emails, phone/ID-like numbers and the given names masked."""
    text = EMAIL.sub(MASK, text or "")
    text = NUMBER_RUN.sub(lambda m: MASK if _is_personal_number(m.group()) else m.group(), text)
    for name in names:
        name = (name or "").strip()
        if len(name) >= 5:
            text = re.sub(re.escape(name), MASK, text, flags=re.IGNORECASE)
    return text


def personal_data_found(text: str, names: tuple[str, ...] = ()) -> bool:
    """Does ``text`` still contain an email, a phone/ID-like number or one of ``names``?"""
    text = text or ""
    if EMAIL.search(text):
        return True
    if any(_is_personal_number(m.group()) for m in NUMBER_RUN.finditer(text)):
        return True
    lowered = text.lower()
    return any(len(name.strip()) >= 5 and name.strip().lower() in lowered for name in names)
