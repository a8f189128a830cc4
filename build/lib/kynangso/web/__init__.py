"""The site shell: layout, home page, login, and the unit administrator's pages."""
