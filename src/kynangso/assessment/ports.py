"""What the assessment app asks of the apps above it, as ports they plug in from `ready()` (ADR 0037).

Learning reads assessment results for its paths, so it sits above assessment; the result page still suggests lessons
for the competences a taker did not meet, and asks learning for them here. Credentials sits above assessment and
learning too; their result and path pages link to the certificates through the second port.
"""

from kynangso.ports import Port

standard_certificate_urls = Port(
    "assessment.standard_certificate_urls",
    "standard_certificate_urls(person) -> {standard code: the public page of the person's newest certificate of "
    "that standard}; standards whose certificate is still being issued are absent; provided by credentials.",
)
lessons_for_competences = Port(
    "assessment.lessons_for_competences",
    "lessons_for_competences(codes, person) -> {competence code: [lesson links]}: the first lessons of the "
    "published courses meant for the person's target groups that teach each competence; provided by learning.",
)
