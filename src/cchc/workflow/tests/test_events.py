"""The domain-event mechanism: order, idempotent keys, checked payloads, errors that propagate."""

import pytest

from cchc.workflow.events import Topic


@pytest.fixture
def topic():
    return Topic("tests.thing_changed", ["thing", "created"])


def recorder(calls, name):
    def handler(**payload):
        calls.append((name, payload))

    return handler


def test_handlers_run_synchronously_in_subscription_order(topic):
    calls = []
    topic.subscribe(recorder(calls, "first"), key="a.first")
    topic.subscribe(recorder(calls, "second"), key="b.second")
    topic.publish(thing=7, created=True)
    assert calls == [
        ("first", {"thing": 7, "created": True}),
        ("second", {"thing": 7, "created": True}),
    ]
    assert topic.keys == ["a.first", "b.second"]


def test_subscribing_again_under_the_same_key_is_a_no_op(topic):
    calls = []
    handler = recorder(calls, "once")
    assert topic.subscribe(handler, key="a.once") is handler
    topic.subscribe(handler, key="a.once")  # ready() run a second time
    topic.publish(thing=1, created=False)
    assert [name for name, _payload in calls] == ["once"]


def test_another_handler_cannot_take_a_key(topic):
    topic.subscribe(recorder([], "one"), key="a.refresh")
    with pytest.raises(ValueError, match=r"a\.refresh"):
        topic.subscribe(recorder([], "two"), key="a.refresh")
    assert topic.keys == ["a.refresh"]


def test_unsubscribe(topic):
    calls = []
    topic.subscribe(recorder(calls, "gone"), key="a.gone")
    topic.unsubscribe("a.gone")
    topic.unsubscribe("a.gone")  # nothing left: no error
    topic.publish(thing=1, created=False)
    assert calls == []


def test_a_handler_error_reaches_the_publisher_and_stops_the_later_handlers(topic):
    calls = []

    def failing(**payload):
        raise RuntimeError("counter write failed")

    topic.subscribe(failing, key="a.failing")
    topic.subscribe(recorder(calls, "later"), key="b.later")
    with pytest.raises(RuntimeError, match="counter write failed"):
        topic.publish(thing=1, created=False)
    assert calls == []


@pytest.mark.parametrize(
    "payload, message",
    [
        ({"thing": 1}, "missing created, unknown -"),
        ({"thing": 1, "created": True, "extra": 2}, "missing -, unknown extra"),
    ],
)
def test_the_payload_must_name_exactly_the_topic_fields(topic, payload, message):
    calls = []
    topic.subscribe(recorder(calls, "never"), key="a.never")
    with pytest.raises(TypeError, match=message):
        topic.publish(**payload)
    assert calls == []


def test_muted_leaves_out_the_named_handlers_and_puts_them_back_in_place(topic):
    calls = []
    topic.subscribe(recorder(calls, "first"), key="a.first")
    topic.subscribe(recorder(calls, "second"), key="b.second")
    with topic.muted("a.first"):
        topic.subscribe(recorder(calls, "third"), key="c.third")
        topic.publish(thing=1, created=False)
    assert [name for name, _payload in calls] == ["second", "third"]
    assert topic.keys == ["a.first", "b.second", "c.third"]


def test_muted_without_keys_leaves_out_every_handler(topic):
    calls = []
    topic.subscribe(recorder(calls, "first"), key="a.first")
    with topic.muted():
        topic.publish(thing=1, created=False)
    assert calls == []
    assert topic.keys == ["a.first"]


def test_muted_restores_after_an_error(topic):
    topic.subscribe(recorder([], "first"), key="a.first")
    with pytest.raises(RuntimeError), topic.muted("a.first"):
        raise RuntimeError
    assert topic.keys == ["a.first"]


def test_observe_records_payloads_while_the_handlers_still_run(topic):
    calls = []
    topic.subscribe(recorder(calls, "first"), key="a.first")
    with topic.observe() as seen:
        topic.publish(thing=3, created=True)
    topic.publish(thing=4, created=False)
    assert seen == [{"thing": 3, "created": True}]
    assert [payload["thing"] for _name, payload in calls] == [3, 4]
    assert topic.keys == ["a.first"]


def test_a_handler_subscribed_during_a_publish_waits_for_the_next_one(topic):
    calls = []
    late = recorder(calls, "late")

    def subscribing(**payload):
        topic.subscribe(late, key="b.late")

    topic.subscribe(subscribing, key="a.subscribing")
    topic.publish(thing=1, created=False)
    assert calls == []
    topic.publish(thing=2, created=False)
    assert [payload["thing"] for _name, payload in calls] == [2]
