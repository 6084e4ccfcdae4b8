"""``bri-kg draft``: a first annotation of a new source document, for a curator to review.

Rule-based and offline: spaCy's blank English pipeline (tokenizer, sentencizer, Matcher and
PhraseMatcher; no model), rapidfuzz for near-miss names, pycountry for ISO 3166 countries and their
subdivisions, and the build's entity index as the gazetteer of what the graph already holds.
"""
