"""Demo data: the PAR INDEX sample criteria sets (marked as samples) for this year and last year,
so a finished previous-year round and an open current-year round can be built on them."""

from django.utils import timezone

from cchc.parindex.samples import load_sample_sets


def load_par_criteria() -> int:
    """The sample sets of last year and this year (idempotent); the number created."""
    year = timezone.localdate().year
    return len(load_sample_sets([year - 1, year]))
