"""The ontology as the build needs it (``ontology``) and the OWL consistency check (``reason``)."""
