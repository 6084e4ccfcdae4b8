"""SPARQL text and protocol: the lexer (``text``), the declared LIMIT (``limit``), the request
(``protocol``) and the service description (``description``)."""
