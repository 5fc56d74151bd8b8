"""The workflow kit: what every record with a lifecycle needs, written once.

Dossiers and feedback were built with the same machinery written twice (issue 10); the modules to
come (PAR INDEX appraisals, SIPAS surveys, reform plans and inspections) use this instead:

- ``locking``: the record's row locked for the action, the version the page acted on checked, and
  the version bumped on save (optimistic check + pessimistic lock, so of two officers one wins);
- ``guards``: role and state checks raising the application errors (``cchc.common.errors``);
- ``transitions``: one declarative table per record type: which action is allowed from which
  states, for whom; the services guard with it and the selectors list the available actions from
  it, so the state machine is written once;
- ``history``: the common fields of a sealed event and the one function that appends it to the
  record's keyed hash chain (``cchc.history``: head kept on the record);
- ``sequences``: the daily counters behind the public codes, one atomic upsert.

A plain package, not a Django app: it has no models of its own (the event base is abstract) and no
``ready()`` hook, so it needs no entry in ``INSTALLED_APPS`` and adds no migration. It sits above
``history`` and ``organisations`` and below ``catalog``, ``dossiers`` and ``feedback``.
"""
