"""The topic the reform report services publish after each change."""

from cchc.workflow.events import Topic

report_changed = Topic("reformreports.report_changed", ("report", "action"))
