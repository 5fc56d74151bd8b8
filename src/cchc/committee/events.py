"""What the committee app announces (``cchc.workflow.events``)."""

from cchc.workflow.events import Topic

committee_changed = Topic("committee.committee_changed", ["committee"])
meeting_changed = Topic("committee.meeting_changed", ["meeting"])
