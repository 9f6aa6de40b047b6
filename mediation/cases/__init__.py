"""Cases: intake, lists, the case page, transitions, sessions, visits, signatures, the SLA sweep."""
