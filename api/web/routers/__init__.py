"""Thin routers: each reads the request, asks the views or the store, and answers."""
