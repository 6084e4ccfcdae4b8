"""The HTTP face: thin routers (``routers``), content negotiation, pages, response models, middleware."""
