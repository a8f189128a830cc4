"""Standards per target group, the item bank and the online assessment engine."""
