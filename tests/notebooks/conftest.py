"""Notebooks in the convention, built cell by cell as Jupyter saves them."""

from __future__ import annotations

from pathlib import Path

import nbformat


def notebook(
    *cells: tuple[str | None, str], markdown: str = "# Prototype"
) -> nbformat.NotebookNode:
    """A notebook: a markdown title, then ``(tag, source)`` code cells (tag None: untagged)."""
    node: nbformat.NotebookNode = nbformat.v4.new_notebook()
    node.metadata["kernelspec"] = {
        "display_name": "Python 3",
        "language": "python",
        "name": "python3",
    }
    node.cells.append(nbformat.v4.new_markdown_cell(markdown))
    for tag, source in cells:
        metadata = {"tags": [tag]} if tag else {}
        node.cells.append(nbformat.v4.new_code_cell(source, metadata=metadata))
    return node


def write(node: nbformat.NotebookNode, path: Path) -> Path:
    nbformat.write(node, str(path))
    return path


SETUP = """\
import os

from openai import OpenAI

client = OpenAI(base_url=os.environ["OPENAI_BASE_URL"], api_key=os.environ["OPENAI_API_KEY"])
PRODUCT = "Acme Cloud"
"""
PROMPT = '''\
SYSTEM_PROMPT = """You are the support assistant of {product}.
Answer in one sentence; say so when you do not know."""
MODEL = "gpt-4o-mini"
TEMPERATURE = 0.1
MAX_TOKENS = 200
'''
ASSISTANT = """\
def clean(text):
    return text.strip()


def answer(question):
    response = client.chat.completions.create(
        model=MODEL,
        temperature=TEMPERATURE,
        max_tokens=MAX_TOKENS,
        messages=[
            {"role": "system", "content": SYSTEM_PROMPT.format(product=PRODUCT)},
            {"role": "user", "content": question},
        ],
    )
    return clean(response.choices[0].message.content or "")
"""
EXAMPLES = """\
EXAMPLES = [
    {"input": "What is the capital of France?", "expected": "Paris"},
    {"input": "How long does a refund take?", "expected": "5 days"},
]
"""
# Exploration: what the data scientist looked at; it stays in the notebook only.
EXPLORE = "PRODUCT.upper()"
RUN_EXAMPLES = """\
import json

ANSWERS = {example["input"]: answer(example["input"]) for example in EXAMPLES}
print(json.dumps(ANSWERS))
"""
# The support bot of the tests: every tag, exploration in between.
SUPPORT_BOT = (
    ("setup", SETUP),
    (None, EXPLORE),
    ("prompt", PROMPT),
    ("assistant", ASSISTANT),
    ("examples", EXAMPLES),
    (None, RUN_EXAMPLES),
)
