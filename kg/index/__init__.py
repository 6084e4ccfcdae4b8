"""The entity index file: its schema (shared with the API's reader) and its writer."""
