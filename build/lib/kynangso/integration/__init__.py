"""Learning done on other platforms: the xAPI statements resource, sending platforms and their credentials, the
mapping of outside activities to our courses and standards, and the outside completions the roll-up counts."""
