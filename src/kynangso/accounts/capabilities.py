"""What each role may do. A capability is granted within the subtree of the unit the role is assigned at."""

from kynangso.accounts.models import Role

PEOPLE_VIEW = "people.view"
PEOPLE_CHANGE = "people.change"
PEOPLE_IMPORT = "people.import"
PEOPLE_EXPORT = "people.export"
PEOPLE_REVEAL = "people.reveal"  # open a record's national ID, phone and birth date (audited)
UNITS_VIEW = "units.view"
UNITS_CHANGE = "units.change"
DENOMINATORS_CHANGE = "units.denominators"  # enter a unit's yearly denominators
ROLES_MANAGE = "roles.manage"
AUDIT_VIEW = "audit.view"
JOBS_VIEW = "jobs.view"
CONTENT_AUTHOR = "content.author"  # write frameworks, items, standards drafts and courses
CONTENT_REVIEW = "content.review"  # review items and publish courses
STANDARDS_CHANGE = "standards.change"  # the province edits standards per target group
ASSESSMENT_PROCTOR = "assessment.proctor"  # start assisted attempts, see results of people in scope
RESULTS_VIEW = "results.view"  # see assessment and learning results of people in scope
CREDENTIALS_REVOKE = "credentials.revoke"
CREDENTIALS_EXPORT = "credentials.export"  # export certifications for national confirmation
ENROL_GROUPS = "learning.enrol"  # enrol a group of people in a course
PLANS_VIEW = "plans.view"
PLANS_REPORT = "plans.report"  # report on the occurrences of tasks led by or cooperated on by units in scope
PLANS_MANAGE = "plans.manage"  # create and import plans, follow up, record recognition
INDICATORS_VIEW = "indicators.view"
INDICATORS_ENTER = "indicators.enter"  # enter manual indicator values for units in scope
INDICATORS_APPROVE = "indicators.approve"  # approve or return values entered by child units
INDICATORS_MANAGE = "indicators.manage"  # define indicators and targets
TRAINING_MANAGE = "learning.classes"  # organise training classes of units in scope
TRAINING_ATTENDANCE = "learning.attendance"  # take attendance in a class (on a phone, in the room)
REPORTS_SUBMIT = "reports.submit"  # write and submit the annual report of a unit in scope
REPORTS_APPROVE = "reports.approve"  # approve or return annual reports of child units
PASSWORDS_RESET = "accounts.reset_password"  # give a learner in scope a one-time code to set a new password
TOKENS_MANAGE = "accounts.tokens"  # list and revoke the API tokens of accounts in scope
SURVEY_INTERVIEW = "survey.interview"  # take the survey's interviews assigned to one in scope (community digital team)
SURVEY_MANAGE = "survey.manage"  # run the province's survey: draw the sample, assign interviewers, estimate

ROLE_CAPABILITIES: dict[str, frozenset[str]] = {
    Role.LEARNER: frozenset(),
    Role.HELPER: frozenset(
        {PEOPLE_VIEW, UNITS_VIEW, ASSESSMENT_PROCTOR, TRAINING_ATTENDANCE, PASSWORDS_RESET, SURVEY_INTERVIEW}
    ),
    Role.UNIT_ADMIN: frozenset(
        {
            PEOPLE_VIEW,
            PEOPLE_CHANGE,
            PEOPLE_IMPORT,
            PEOPLE_EXPORT,
            PEOPLE_REVEAL,
            UNITS_VIEW,
            DENOMINATORS_CHANGE,
            JOBS_VIEW,
            ASSESSMENT_PROCTOR,
            RESULTS_VIEW,
            ENROL_GROUPS,
            PLANS_VIEW,
            PLANS_REPORT,
            INDICATORS_VIEW,
            INDICATORS_ENTER,
            INDICATORS_APPROVE,
            TRAINING_MANAGE,
            TRAINING_ATTENDANCE,
            REPORTS_SUBMIT,
            REPORTS_APPROVE,
            PASSWORDS_RESET,
            TOKENS_MANAGE,
            SURVEY_INTERVIEW,
        }
    ),
    Role.CONTENT_AUTHOR: frozenset({UNITS_VIEW, CONTENT_AUTHOR, CONTENT_REVIEW}),
    Role.PROVINCIAL_ADMIN: frozenset(
        {
            PEOPLE_VIEW,
            PEOPLE_CHANGE,
            PEOPLE_IMPORT,
            PEOPLE_EXPORT,
            PEOPLE_REVEAL,
            UNITS_VIEW,
            UNITS_CHANGE,
            DENOMINATORS_CHANGE,
            ROLES_MANAGE,
            AUDIT_VIEW,
            JOBS_VIEW,
            CONTENT_REVIEW,
            STANDARDS_CHANGE,
            ASSESSMENT_PROCTOR,
            RESULTS_VIEW,
            CREDENTIALS_REVOKE,
            CREDENTIALS_EXPORT,
            ENROL_GROUPS,
            PLANS_VIEW,
            PLANS_REPORT,
            PLANS_MANAGE,
            INDICATORS_VIEW,
            INDICATORS_ENTER,
            INDICATORS_APPROVE,
            INDICATORS_MANAGE,
            TRAINING_MANAGE,
            TRAINING_ATTENDANCE,
            REPORTS_SUBMIT,
            REPORTS_APPROVE,
            PASSWORDS_RESET,
            TOKENS_MANAGE,
            SURVEY_INTERVIEW,
            SURVEY_MANAGE,
        }
    ),
    Role.AUDITOR: frozenset(
        {PEOPLE_VIEW, UNITS_VIEW, AUDIT_VIEW, JOBS_VIEW, RESULTS_VIEW, PLANS_VIEW, INDICATORS_VIEW}
    ),
}

# Roles that work in the back office (Django admin).
STAFF_ROLES = frozenset({Role.UNIT_ADMIN, Role.CONTENT_AUTHOR, Role.PROVINCIAL_ADMIN, Role.AUDITOR})


def roles_with(capability: str) -> list[str]:
    return [role for role, capabilities in ROLE_CAPABILITIES.items() if capability in capabilities]
