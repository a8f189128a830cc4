"""The provincial plan's tasks, their occurrences, progress reports, reminders and recognition."""
