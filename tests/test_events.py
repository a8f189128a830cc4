"""The shared after-commit event (kynangso/events.py): delivered only once the change commits, never to a rolled-back
one, a failing subscriber logged while the others are served, and the two ways tests listen without touching the
subscriber list."""

import pytest
from django.db import transaction

from kynangso.events import Event

pytestmark = pytest.mark.django_db(transaction=True)


def make_event() -> Event[str]:
    return Event("tests.something", "Something happened.", catch_up="the nightly batch catches up")


def test_an_announcement_reaches_subscribers_only_when_the_transaction_commits():
    event, heard = make_event(), []
    event.subscribe(heard.append)
    with transaction.atomic():
        event.announce("kept")
        assert heard == []
    assert heard == ["kept"]


def test_a_rolled_back_change_is_never_announced():
    event, heard = make_event(), []
    event.subscribe(heard.append)
    with pytest.raises(RuntimeError), transaction.atomic():
        event.announce("lost")
        raise RuntimeError("rolled back")
    assert heard == []


def test_subscribing_twice_delivers_once():
    event, heard = make_event(), []
    event.subscribe(heard.append)
    event.subscribe(heard.append)
    event.deliver("once")
    assert heard == ["once"]


def test_a_failing_subscriber_is_logged_with_what_catches_up_and_the_others_still_hear(caplog):
    def broken(payload):
        raise ConnectionError("Redis is down")

    event, heard = make_event(), []
    event.subscribe(broken)
    event.subscribe(heard.append)
    event.deliver("news")
    assert heard == ["news"]
    assert "tests.something" in caplog.text and "the nightly batch catches up" in caplog.text


def test_recording_hears_the_block_and_leaves_the_other_subscribers_as_they_were():
    event, heard = make_event(), []
    event.subscribe(heard.append)
    with event.recording() as recorded:
        event.deliver("during")
    event.deliver("after")
    assert recorded == ["during"]
    assert heard == ["during", "after"]


def test_isolated_replaces_the_subscribers_for_the_block_only():
    event, heard, alone = make_event(), [], []
    event.subscribe(heard.append)
    with event.isolated(alone.append):
        event.subscribe(alone.append)  # already there: still once
        event.deliver("isolated")
    event.deliver("restored")
    assert alone == ["isolated"]
    assert heard == ["restored"]
