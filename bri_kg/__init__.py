"""The ``bri-kg`` command, above both packages: it drives the build (``kg``) and serves it (``api``)."""
