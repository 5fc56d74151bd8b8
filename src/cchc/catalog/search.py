"""Catalog search that finds what citizens type (design: docs/adr, "catalog search").

Citizens search by the paper they want ("giấy khai sinh", "sổ đỏ"), often without diacritics and
with filler words ("làm", "xin", "thủ tục … như thế nào"). The search therefore *ranks* rather than
filters: a procedure is a candidate when one query word occurs in its search document, and the
candidates are scored by

* which words match, and where: the name counts most, then the result (kết quả thực hiện — the
  paper the citizen receives, Nghị định 63/2010/NĐ-CP Điều 8 khoản 2), then the field (lĩnh vực)
  and implementing agency, then the applicants and conditions;
* phrase proximity: the words typed next to each other found next to each other in one part;
* citizens' words (the editable :class:`~cchc.catalog.models.SearchSynonym` table): a synonym adds
  the catalog's wording as an alternative ("sổ đỏ" → "giấy chứng nhận quyền sử dụng đất"), a filler
  word or phrase is dropped.

Matching is diacritic- and case-insensitive (đ → d): the document is stored folded (see
:func:`build_document`) and the query folded the same way. The candidates come from one indexed
query (a ``LIKE`` per word on ``Procedure.search_document``; on PostgreSQL a pg_trgm GIN index
serves it) and the scoring runs here, in Python, so SQLite and PostgreSQL rank identically. The
catalog holds hundreds to a few thousand procedures, so scoring the candidates is cheap.

With no result, :func:`suggest` proposes the nearest procedures by trigram similarity (the measure
pg_trgm uses) on the folded name and result.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from django.apps import apps
from django.db.models import Q, QuerySet

from cchc.common.text import fold

# Where a word is found, and what it weighs there.
NAME, RESULT, CONTEXT, DESCRIPTION = range(4)
WEIGHTS = (10.0, 6.0, 3.0, 1.0)
PREFIX_FACTOR = 0.5  # "chung thu" finds "chung thuc": a typed word of 3+ letters starting a word
PREFIX_MIN = 3
PHRASE_FACTOR = 0.5  # bonus per phrase word when the phrase is found contiguous in one part
NEAR_FACTOR = 0.25  # … when its words are found within a few words of each other
NEAR_SLACK = 2
ACCENT_FACTOR = 0.7  # typed "đính", found only as "đình": the same letters, another word
SYNONYM_FACTOR = 1.1  # a tie between the typed words and the table's wording goes to the table
KEEP_FRACTION = 0.3  # results scoring under 30 % of the best one are noise, not answers
MAX_RESULTS = 200
MAX_WORDS = 12

WORD = re.compile(r"[a-z0-9]+")
CODE_QUERY = re.compile(r"^\d\.\d[0-9A-Za-z.\-_]*$")


# -- the stored document --------------------------------------------------------------------------
def build_document(
    name: str = "",
    result: str = "",
    field_name: str = "",
    agency: str = "",
    applicants: str = "",
    conditions: str = "",
) -> str:
    """The folded search text of a procedure: four parts (name, result, field and agency,
    applicants and conditions), one per line, in the order of :data:`WEIGHTS`."""
    parts = (name, result, f"{field_name} {agency}", f"{applicants} {conditions}")
    return "\n".join(fold(part) for part in parts)


def words(text: str) -> list[str]:
    """The folded words of ``text``: "Giấy khai sinh (bản chính)" → giay, khai, sinh, ban, chinh."""
    return WORD.findall(fold(text))


def _lower_words(text: str) -> list[str]:
    """The words of ``text`` lower-cased *with* their diacritics ("Làm" → "làm")."""
    return re.findall(r"[^\W_]+", unicodedata.normalize("NFC", (text or "").lower()))


# -- the query ------------------------------------------------------------------------------------
@dataclass
class Concept:
    """One thing the citizen asked for: a typed word, or a phrase the synonym table knows.

    ``size`` is how many typed words it stands for; ``alternatives`` are word sequences any of
    which satisfies it (the typed words first)."""

    size: int
    alternatives: list[tuple[str, ...]]


@dataclass
class Query:
    text: str
    concepts: list[Concept] = field(default_factory=list)
    typed: tuple[str, ...] = ()  # the typed words that are not filler, in order
    owners: tuple[int, ...] = ()  # for each typed word, the index of its concept
    marked: dict[str, str] = field(default_factory=dict)  # folded → as typed, with diacritics

    @property
    def terms(self) -> set[str]:
        return {word for concept in self.concepts for alt in concept.alternatives for word in alt}


@dataclass(frozen=True)
class Vocabulary:
    """The synonym table, folded: phrase → expansions, and filler phrases.

    A phrase is kept both folded and with its diacritics: a word the citizen typed *with*
    diacritics matches only the same accented word ("lâm" is not the filler "làm"), a word typed
    without matches by its folded form."""

    synonyms: dict[tuple[str, ...], list[tuple[str, ...]]]
    accented: dict[tuple[str, ...], tuple[str, ...]]
    fillers: frozenset[tuple[str, ...]]

    @property
    def longest(self) -> int:
        phrases = [*self.synonyms, *self.fillers]
        return max((len(phrase) for phrase in phrases), default=0)

    @classmethod
    def load(cls) -> Vocabulary:
        # By name, not by import: the models call this module (``ProcedureQuerySet.search``).
        SearchSynonym = apps.get_model("catalog", "SearchSynonym")

        synonyms: dict[tuple[str, ...], list[tuple[str, ...]]] = {}
        accented: dict[tuple[str, ...], tuple[str, ...]] = {}
        fillers = set()
        for phrase, means in SearchSynonym.objects.values_list("phrase", "means"):
            key = tuple(words(phrase))
            if not key:
                continue
            accented[key] = tuple(_lower_words(phrase))
            expansion = tuple(words(means))
            if expansion:
                synonyms.setdefault(key, []).append(expansion)
            else:
                fillers.add(key)
        return cls(synonyms, accented, frozenset(fillers))


EMPTY_VOCABULARY = Vocabulary({}, {}, frozenset())


def _phrase_at(
    folded: list[str], typed: list[str], start: int, phrase: tuple[str, ...], vocab: Vocabulary
) -> bool:
    end = start + len(phrase)
    if tuple(folded[start:end]) != phrase:
        return False
    accented = vocab.accented.get(phrase, phrase)
    if len(accented) != len(phrase):
        return True
    for typed_word, table_word in zip(typed[start:end], accented, strict=True):
        both_marked = fold(typed_word) != typed_word and fold(table_word) != table_word
        if both_marked and typed_word != table_word:
            return False
    return True


def parse(text: str, vocab: Vocabulary = EMPTY_VOCABULARY) -> Query:
    """Split ``text`` into concepts: synonym phrases (longest first), filler dropped, other words
    one concept each. A query made of filler alone keeps its words (searching "thủ tục" lists the
    procedures that say it rather than nothing)."""
    folded = words(text)[:MAX_WORDS]
    typed = _lower_words(text)[:MAX_WORDS]
    if [fold(word) for word in typed] != folded:  # a script fold() does not map word for word
        typed = folded
    marked = {plain: word for plain, word in zip(folded, typed, strict=True) if plain != word}
    query = Query(text=text)
    kept: list[str] = []
    owners: list[int] = []
    index = 0
    longest = vocab.longest
    while index < len(folded):
        for size in range(min(longest, len(folded) - index), 0, -1):
            phrase = tuple(folded[index : index + size])
            if phrase in vocab.synonyms and _phrase_at(folded, typed, index, phrase, vocab):
                query.concepts.append(Concept(size, [phrase, *vocab.synonyms[phrase]]))
                kept.extend(phrase)
                owners.extend([len(query.concepts) - 1] * size)
                index += size
                break
            if phrase in vocab.fillers and _phrase_at(folded, typed, index, phrase, vocab):
                index += size
                break
        else:
            query.concepts.append(Concept(1, [(folded[index],)]))
            kept.append(folded[index])
            owners.append(len(query.concepts) - 1)
            index += 1
    if not query.concepts and folded:
        query.concepts = [Concept(1, [(word,)]) for word in folded]
        kept, owners = folded, list(range(len(folded)))
    query.typed, query.owners = tuple(kept), tuple(owners)
    query.marked = marked
    return query


# -- scoring --------------------------------------------------------------------------------------
@dataclass
class Document:
    parts: tuple[list[str], ...]
    sets: tuple[frozenset[str], ...] = ()
    # Each part's words with their diacritics, when known: a word typed with diacritics that
    # only matches once folded ("đính" against "đình") counts ACCENT_FACTOR of its weight.
    accented: tuple[frozenset[str], ...] = ()

    @classmethod
    def parse(cls, text: str, originals: tuple[str, ...] = ()) -> Document:
        lines = (text or "").split("\n")
        lines += [""] * (len(WEIGHTS) - len(lines))
        parts = tuple(WORD.findall(line) for line in lines[: len(WEIGHTS)])
        accented = tuple(frozenset(_lower_words(original)) for original in originals)
        if len(accented) != len(WEIGHTS):
            accented = ()
        return cls(parts, tuple(frozenset(part) for part in parts), accented)

    def word_value(self, word: str, typed: str | None = None) -> float:
        """The best weight of ``word`` over the parts; ``typed`` is the word as the citizen typed
        it when that carries diacritics."""
        best = 0.0
        for index, (weight, present) in enumerate(zip(WEIGHTS, self.sets, strict=True)):
            if best >= weight:
                break  # parts are in decreasing weight: none further can do better
            if word in present:
                value = weight
                if typed and self.accented and typed not in self.accented[index]:
                    value *= ACCENT_FACTOR
                best = max(best, value)
            elif (
                len(word) >= PREFIX_MIN
                and best < weight * PREFIX_FACTOR
                and any(candidate.startswith(word) for candidate in present)
            ):
                best = weight * PREFIX_FACTOR
        return best

    def phrase_bonus(self, phrase: tuple[str, ...]) -> float:
        """Per word of the phrase: the part's weight × ½ when the phrase is found contiguous in
        it, × ¼ when its words are found within a few words of each other; the best part."""
        if len(phrase) < 2:
            return 0.0
        for weight, part, present in zip(WEIGHTS, self.parts, self.sets, strict=True):
            if not all(word in present for word in phrase):
                continue
            proximity = _proximity(phrase, part)
            if proximity:
                return weight * proximity
        return 0.0


def _proximity(phrase: tuple[str, ...], part: list[str]) -> float:
    size = len(phrase)
    best = 0.0
    for start, word in enumerate(part):
        if word != phrase[0]:
            continue
        if tuple(part[start : start + size]) == phrase:
            return PHRASE_FACTOR
        window = part[start : start + size + NEAR_SLACK]
        if all(other in window for other in phrase[1:]):
            best = NEAR_FACTOR
    return best


def score(query: Query, document: Document) -> float:
    """Σ over the concepts of the best alternative's (mean word value + phrase bonus) × the
    concept's size in typed words (× SYNONYM_FACTOR for the table's wording); plus, for each two
    neighbouring typed words of different concepts, their phrase bonus × 2 (the citizen's words
    found together: "đính chính" in "Đính chính Giấy chứng nhận")."""
    total = 0.0
    for concept in query.concepts:
        best = 0.0
        for index, alternative in enumerate(concept.alternatives):
            marks = query.marked if index == 0 else {}
            values = [document.word_value(word, marks.get(word)) for word in alternative]
            mean = sum(values) / len(values)
            if mean:
                value = (mean + document.phrase_bonus(alternative)) * concept.size
                best = max(best, value * (SYNONYM_FACTOR if index else 1.0))
        total += best
    if total:
        for index in range(len(query.typed) - 1):
            if query.owners[index] != query.owners[index + 1]:
                total += document.phrase_bonus(query.typed[index : index + 2]) * 2
    return total


def name_coverage(query: Query, document: Document) -> float:
    """Share of the name's words the query names: the focused procedure before the long one."""
    name = document.parts[NAME]
    if not name:
        return 0.0
    terms = query.terms
    return sum(1 for word in name if word in terms) / len(name)


# -- ranking --------------------------------------------------------------------------------------
# The fields the search document is made of, read back for the diacritics check.
ORIGINAL_FIELDS = ("result", "field__name", "implementing_agency", "applicants", "conditions")


def _parts(name, result, field_name, agency, applicants, conditions) -> tuple[str, ...]:
    return (
        name or "",
        result or "",
        f"{field_name or ''} {agency or ''}",
        f"{applicants or ''} {conditions or ''}",
    )


def rank(procedures: QuerySet, text: str, vocab: Vocabulary | None = None) -> list[int]:
    """Primary keys of ``procedures`` matching ``text``, best first (at most MAX_RESULTS)."""
    text = (text or "").strip()
    if not text:
        return []
    if CODE_QUERY.match(text):
        # A procedure code (or its beginning): the codes that start with it, in code order.
        by_code = procedures.filter(code__startswith=text).order_by("code")
        return list(by_code.values_list("pk", flat=True)[:MAX_RESULTS])
    query = parse(text, Vocabulary.load() if vocab is None else vocab)
    terms = query.terms
    if not terms:
        return []
    condition = Q()
    for term in sorted(terms):
        condition |= Q(search_document__contains=term)
    rows = procedures.filter(condition).values_list(
        "pk", "name", "search_document", *ORIGINAL_FIELDS
    )
    scored = []
    for pk, name, text_document, *originals in rows:
        document = Document.parse(text_document, _parts(name, *originals))
        value = score(query, document)
        if value > 0:
            scored.append(
                (-round(value, 6), -name_coverage(query, document), len(name), fold(name), pk)
            )
    if not scored:
        return []
    scored.sort()
    floor = -scored[0][0] * KEEP_FRACTION
    return [row[-1] for row in scored if -row[0] >= floor][:MAX_RESULTS]


# -- suggestions ----------------------------------------------------------------------------------
def trigrams(text: str) -> set[str]:
    """pg_trgm's trigrams: each word padded with two spaces before and one after."""
    grams = set()
    for word in WORD.findall(text):
        padded = f"  {word} "
        grams.update(padded[index : index + 3] for index in range(len(padded) - 2))
    return grams


SUGGEST_THRESHOLD = 0.5  # at least half the query's trigrams found in the name or result


def suggest(procedures: QuerySet, text: str, limit: int = 5) -> list[int]:
    """The procedures closest to ``text`` when nothing matched: the share of the query's trigrams
    (typos, missing letters or spaces) found in the folded name or result, then the name's
    trigram similarity (pg_trgm's ``similarity``), then the shorter name."""
    vocab = Vocabulary.load()
    query = parse(text, vocab)
    wanted = trigrams(" ".join(query.typed) or fold(text))
    if not wanted:
        return []
    scored = []
    for pk, name, text_document in procedures.values_list("pk", "name", "search_document"):
        document = Document.parse(text_document)
        name_grams = trigrams(" ".join(document.parts[NAME]))
        share = 0.0
        for grams in (name_grams, trigrams(" ".join(document.parts[RESULT]))):
            share = max(share, len(wanted & grams) / len(wanted))
        if share >= SUGGEST_THRESHOLD:
            similarity = len(wanted & name_grams) / len(wanted | name_grams)
            scored.append((-share, -similarity, len(name), pk))
    scored.sort()
    return [row[-1] for row in scored[:limit]]
