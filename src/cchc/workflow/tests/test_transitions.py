"""A transition table: the state guard, the role guard and the listing read the same rows."""

from dataclasses import dataclass

import pytest

from cchc.common import errors
from cchc.organisations.models import Role
from cchc.workflow.transitions import TransitionTable, transition


class NotNow(errors.TransitionNotAllowed):
    pass


class Forbidden(errors.ActionForbidden):
    pass


@dataclass
class Record:
    status: str
    unit: object = None

    def get_status_display(self) -> str:
        return self.status.title()


def everyone(actor, record, memo):
    return True


def table(*transitions):
    return TransitionTable(
        transitions,
        status_message="Cannot %(action)s: the record is “%(status)s”.",
        error=NotNow,
        forbidden=Forbidden,
    )


TABLE = table(
    transition("open", ["draft"], "open the record", who=everyone),
    transition("close", ["open", "paused"], "close the record", who=everyone),
    transition(
        "pause", ["open"], "pause the record", who=lambda actor, record, memo: actor == "boss"
    ),
    transition("archive", ["closed"], "archive the record", who=everyone, offered=False),
)


def test_check_refuses_a_state_the_action_is_not_allowed_from_with_the_exact_message():
    TABLE.check(Record("open"), "close")
    with pytest.raises(NotNow) as refused:
        TABLE.check(Record("draft"), "close")
    assert refused.value.message == "Cannot close the record: the record is “Draft”."
    assert TABLE.allows(Record("paused"), "close") and not TABLE.allows(Record("draft"), "pause")


def test_available_lists_in_table_order_the_offered_actions_of_the_state_open_to_the_actor():
    assert TABLE.available(Record("open"), "boss") == ["close", "pause"]
    assert TABLE.available(Record("open"), "clerk") == ["close"]
    assert TABLE.available(Record("closed"), "boss") == []  # archive is not offered here
    assert TABLE.available(Record("draft"), "clerk") == ["open"]


def test_available_and_check_agree_for_every_state():
    for status in ("draft", "open", "paused", "closed", "gone"):
        record = Record(status)
        for item in TABLE:
            if not item.offered:
                continue
            listed = item.action in TABLE.available(record, "boss")
            try:
                TABLE.check(record, item.action)
                accepted = True
            except NotNow:
                accepted = False
            assert listed == accepted, (status, item.action)


def test_require_raises_the_tables_forbidden_error():
    TABLE.require("boss", Record("open"), "pause")
    with pytest.raises(Forbidden):
        TABLE.require("clerk", Record("open"), "pause")


def test_one_listing_shares_its_memo_between_rules():
    calls = []

    def costly(actor, record, memo):
        if "answer" not in memo:
            calls.append(1)
            memo["answer"] = True
        return memo["answer"]

    shared = table(
        transition("a", ["open"], "a", who=costly), transition("b", ["open"], "b", who=costly)
    )
    assert shared.available(Record("open"), "x") == ["a", "b"]
    assert len(calls) == 1


def test_an_action_appears_once():
    with pytest.raises(ValueError):
        table(transition("a", ["x"], "a"), transition("a", ["y"], "a"))


@pytest.mark.django_db
def test_roles_are_checked_in_the_unit_the_record_names(processor, leader, unit, other_unit):
    roles = table(
        transition("sign", ["open"], "sign", roles=(Role.LEADER,), unit="unit"),
        transition(
            "draft", ["open"], "draft", roles=(Role.PROCESSING_OFFICER, Role.LEADER), unit="unit"
        ),
    )
    here, elsewhere = Record("open", unit), Record("open", other_unit)
    assert roles.available(here, leader) == ["sign", "draft"]
    assert roles.available(here, processor) == ["draft"]
    assert roles.available(elsewhere, processor) == []
    with pytest.raises(Forbidden):
        roles.require(processor, here, "sign")
