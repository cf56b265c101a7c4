"""The patterns of the names the portal takes in paths, queries and bodies."""

# Backstage entity names: 1-63 chars of [a-zA-Z0-9-_.], starting and ending alphanumeric.
NAME_PATTERN = r"^[a-zA-Z0-9](?:[a-zA-Z0-9._-]{0,61}[a-zA-Z0-9])?$"
# Kubernetes namespaces are DNS-1123 labels.
NAMESPACE_PATTERN = r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$"
