"""The remote store: any SPARQL 1.1 server over HTTP (``store.RemoteStore``, ``client``, ``binding``)."""
