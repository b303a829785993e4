"""The documented exit codes of every `ozml` command."""

OK = 0
#: Findings at or above the failing severity, a run that failed, a scenario that did not match.
FINDINGS = 1
#: Bad usage, an unreadable path, a bad configuration file, a refused connection.
USAGE = 2
#: A bug in ozml; the message asks for a report.
INTERNAL_ERROR = 3
