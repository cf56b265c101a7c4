"""{{ cookiecutter.component_id }}: see README.md."""
