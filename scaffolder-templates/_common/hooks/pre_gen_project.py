"""Refuse answers that would produce invalid Kubernetes or Backstage names."""

import re
import sys

NAME = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,50}[a-z0-9])?$")
for label, value in (("component_id", "{{ cookiecutter.component_id }}"), ("namespace", "{{ cookiecutter.namespace }}")):
    if not NAME.match(value):
        sys.exit(f"{label} {value!r} must be lowercase letters, digits and dashes (at most 52), starting and ending alphanumeric")
if not "{{ cookiecutter.package }}".isidentifier():
    sys.exit("package {{ cookiecutter.package }} is not a Python identifier")
