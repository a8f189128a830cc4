"""What the assessment app asks of the apps above it, as ports they plug in from `ready()` (ADR 0037).

Learning reads assessment results for its paths, so it sits above assessment; the result page still suggests lessons
for the competences a taker did not meet, and asks learning for them here.
"""
from kynangso.ports import Port

lessons_for_competences = Port(
    "assessment.lessons_for_competences",
    "lessons_for_competences(codes, person) -> {competence code: [lesson links]}: the first lessons of the "
    "published courses meant for the person's target groups that teach each competence; provided by learning.")
