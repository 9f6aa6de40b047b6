"""Who may see and do what: jurisdiction (scoping), the policy of acts, and view decorators."""
