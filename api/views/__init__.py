"""What the analyst endpoints and pages show, computed from the store and the index: an entity in
context (``entity``), its sources, statistics, the timeline, the ontology page."""
