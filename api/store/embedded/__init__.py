"""The embedded store: worker processes over the build's on-disk Oxigraph store (``store.EmbeddedStore``)."""
