"""What is done with a finished build: pushing it into a SPARQL server (``remote``)."""
