"""Prices of models and compute (genai-prices and the operator's prices file): no database, no
domain; costs, evals and the per-version usage of prompts all price through it."""
