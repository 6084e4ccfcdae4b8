"""The entity index: the reader (``graph.GraphIndex``) and where a server gets its file (``source``)."""
