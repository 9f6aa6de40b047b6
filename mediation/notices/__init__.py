"""In-app notices: a court's decisions told to the case's mediator and street officers."""
