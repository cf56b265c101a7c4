"""The guard: fast, pure-Python scanners for texts going to and coming from a model."""
