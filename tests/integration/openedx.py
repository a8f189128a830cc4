"""Statements as Open edX's event-routing-backends sends them (the shapes of its test fixtures
`edx.course.completed.json`, `edx.course.grade.passed.first_time.json` and `problem_check(server).json`, in
openedx/event-routing-backends), with our site's course and problem ids and a learner whose Open edX account name
may be the national ID."""

import copy
import uuid

LMS = "https://hoc.binhdanhocvuso.example.vn"
COURSE = f"{LMS}/course/course-v1:BDHVS+KNS01+2025"
PROBLEM = f"{LMS}/xblock/block-v1:BDHVS+KNS01+2025+type@problem+block@3fc5461f86764ad7bdbdf6cbdde61e66"
EVENT_VERSION = "https://github.com/openedx/event-routing-backends/blob/master/docs/xapi-extensions/eventVersion.rst"


def course_completed(
    account_name: str, *, timestamp: str = "2025-03-15T06:36:01.917775+00:00", statement_id: str | None = None
) -> dict:
    """edx.course.completed: verb completed, the course as the object."""
    return {
        "id": statement_id or str(uuid.uuid4()),
        "actor": {"objectType": "Agent", "account": {"homePage": LMS, "name": account_name}},
        "context": {"registration": "32e08e30-f8ae-4ce2-94a8-c2bfe38a70cb", "extensions": {EVENT_VERSION: "1.0"}},
        "object": {
            "definition": {
                "extensions": {},
                "name": {"en": "Kỹ năng số cơ bản"},
                "type": "http://adlnet.gov/expapi/activities/course",
            },
            "id": COURSE,
            "objectType": "Activity",
        },
        "timestamp": timestamp,
        "verb": {"display": {"en": "completed"}, "id": "http://adlnet.gov/expapi/verbs/completed"},
        "version": "1.0.3",
    }


def problem_evaluated(
    account_name: str,
    *,
    success: bool,
    timestamp: str = "2025-03-14T14:39:26.906232+00:00",
    statement_id: str | None = None,
) -> dict:
    """problem_check (server): verb evaluated, the graded problem as the object, its course as the parent."""
    return {
        "id": statement_id or str(uuid.uuid4()),
        "actor": {"objectType": "Agent", "account": {"homePage": LMS, "name": account_name}},
        "context": {
            "contextActivities": {
                "parent": [
                    {
                        "id": COURSE,
                        "objectType": "Activity",
                        "definition": {
                            "name": {"en-US": "Kỹ năng số cơ bản"},
                            "type": "http://adlnet.gov/expapi/activities/course",
                        },
                    }
                ]
            },
            "extensions": {EVENT_VERSION: "1.0"},
        },
        "object": {
            "definition": {
                "extensions": {"http://id.tincanapi.com/extension/attempt-id": 10},
                "description": {"en-US": "Bài sát hạch cuối khóa"},
                "interactionType": "choice",
                "type": "http://adlnet.gov/expapi/activities/cmi.interaction",
            },
            "id": PROBLEM,
            "objectType": "Activity",
        },
        "result": {
            "response": "['a correct answer']",
            "score": {"max": 1, "min": 0, "raw": 1 if success else 0, "scaled": 1 if success else 0},
            "success": success,
        },
        "timestamp": timestamp,
        "verb": {"display": {"en": "evaluated"}, "id": "https://w3id.org/xapi/acrossx/verbs/evaluated"},
        "version": "1.0.3",
    }


def voiding(platform_account: str, target_id: str) -> dict:
    return {
        "actor": {"objectType": "Agent", "account": {"homePage": LMS, "name": platform_account}},
        "verb": {"id": "http://adlnet.gov/expapi/verbs/voided", "display": {"en-US": "voided"}},
        "object": {"objectType": "StatementRef", "id": target_id},
    }


def changed(statement: dict, **fields) -> dict:
    copied = copy.deepcopy(statement)
    copied.update(fields)
    return copied
