"""Accounts: logins, roles scoped to a unit's subtree, what each role may do, and API tokens."""
