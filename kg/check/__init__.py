"""Checking one annotation file against the graph, and explaining every failure in a curator's words."""
