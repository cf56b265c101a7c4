"""GenAI Portal: usage, costs, prompts, evaluations and security findings per GenAI app."""

__version__ = "0.1.0"
