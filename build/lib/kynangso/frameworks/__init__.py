"""Digital-competence frameworks as versioned data: framework, domain, competence, proficiency level."""
