"""From a Jupyter notebook to a service: the notebook convention and ``genai-portal promote``."""
