"""Adapters to the systems the portal reads. They return the project's own models, never
vendor objects, and raise SourceError; none of them touches the database."""
