"""The injection corpus: phrase banks composed into labelled texts, split train/dev/test.

Deterministic (a fixed seed; splits by a stable hash of the phrasing), so
``python -m portal_api.security.guard.train`` builds the same model on every machine. Splits
are by phrasing, not by text: a dev or test text never reuses the attack (or benign line)
of a training text, only the shared carriers' boilerplate, so dev/test measure phrasings the
model has not seen. The hand-written sets in tests/security/data stay outside: they are the
held-out and fresh figures.
"""

from __future__ import annotations

import base64
import json
import random
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from portal_api.security.guard.training import docs
from portal_api.security.guard.training.banks import load_bank

SEED = 14
SPLITS = ("train", "dev", "test")
# The project's own labelled development set (tests/security/data) joins the training split.
EXTRA_TRAINING = Path(__file__).resolve().parents[4] / "tests" / "security" / "data"
# Hand-written lines of the second wave (buried instructions, override and extraction without
# the usual words, fake transcripts, hard negatives), one JSON object a line.
# Third wave (wave3.jsonl): the same classes written afresh in all seven languages, with
# hard negatives twinned to them (docs quoting attacks, tickets, translations, notes to reviewers).
# Fourth wave (wave4.jsonl): jailbreak personas and sandboxes, instructions in tool results and
# fetched pages, forged earlier turns, and every class again in Chinese and Japanese, with hard
# negatives (role-play requests, notes to bot teams, ignore-comments in code, benign tool output).
# Fifth wave (wave5.jsonl): talk ABOUT instructions against instructions TO the model: security
# findings, policies, docs on system prompts, roles, CLI flags and admin modes, configs, notices
# to people, tickets quoting a bot, harmless role-play; and their twins addressed to the model.
# Sixth wave (wave6.jsonl, task 14m): write-ups and translation requests quoting an attack, docs
# on system prompts, message roles and admin modes, configs and chat-API code with role keys,
# bedtime stories and bug reports naming bots; fiction and "grandmother" jailbreaks, hex and
# reversed text, forged tool calls, "@...-agent" requests, quotes followed by a real order.
# Seventh wave (wave7.jsonl, task 14i): fiction and persona jailbreaks asking for real technical
# detail, orders buried in KB articles and manuals, hex blobs to act on, mail forwarded inside a
# calendar request, "my instructions over the operator's", links carrying the user's data,
# forged [tool_call]/[tool_result] lines; hard negatives of each kind in all seven languages.
# Eighth wave (wave8.jsonl, task 14j): romanized Russian, Japanese and Chinese and spaced leetspeak
# orders, persona and fiction jailbreaks in seven languages ("你扮演...", dead-relative exploits,
# two-voice games), orders to the assistant to mail the user's history, fenced ```tool_result
# blocks forging a verdict, orders buried in delivery notes and quotes; hard negatives: configs
# with role/system/messages keys a user asks about, superseded-policy notices, red-team notes
# quoting what was asked, CLI docs with --override/--skip flags, fenced tool results as data.
# Ninth wave (wave9.jsonl, task 14k): casual native attacks (es/zh/ja/de/fr/ru), split and
# "-Unbound" personas and a novel's AI, pinyin and romanized Russian to execute, markdown
# "### System:" turns, lower-case "new rules:" overrides, orders buried in tickets; hard
# negatives: advisories, training modules, CTF and incident write-ups quoting an attack (and
# the same attack issued), safe/recovery-mode docs, "### System requirements" headings.
# Tenth wave (wave10.jsonl, the twelfth model, 2026-11-29): framing jailbreaks (a late
# grandparent's steps, fiction and screenplays demanding real detail, named personas without
# rules, hypothetical worlds, reversed rules, "factory defaults") in fourteen languages, and
# every class in Korean, Dutch, Turkish, Arabic, Italian, Polish and Portuguese; hard negatives
# of each shape (harmless grandparent stories, dark fiction without method, device resets,
# README steps, IT notices, CSV, JSON tool results and e-mails in those languages).
EXTRA_LINES = tuple(
    Path(__file__).with_name(name)
    for name in (
        "extra.jsonl",
        "wave3.jsonl",
        "wave4.jsonl",
        "wave5.jsonl",
        "wave6.jsonl",
        "wave7.jsonl",
        "wave8.jsonl",
        "wave9.jsonl",
        "wave10.jsonl",
    )
)
# Documentation chunks (training/docs.py, task 14s): README files and package descriptions
# under permissive licences, benign as they are; a third also carries an attack (indirect).
DOCUMENTS = docs.OUT
# The fresh sets written after earlier models (tests/security/data/injection_fresh*.jsonl): their
# misses were read while later models were built, so they are no longer blind; they join the dev
# split (regularisation and thresholds are chosen on hand-written text too), never training.
DEV_SETS = tuple(
    f"injection_fresh{suffix}.jsonl"
    for suffix in ("", *(f"_v{n}" for n in (2, 3, 4, 5, 6, 7, 9, 10, 11, 12, 13, 14, 15)))
)
# The phrase banks (training/phrases.json, training/multilingual.json).
en: Any = load_bank("phrases")
ml: Any = load_bank("multilingual")


@dataclass(frozen=True)
class Sample:
    text: str
    label: int  # 1 injection, 0 benign
    category: str
    lang: str
    split: str
    payload: str = ""  # the attack line inside a carrier (empty: the text is the attack)


def split_of(key: str) -> str:
    """Stable split of a phrasing: 70 % train, 15 % dev, 15 % test."""
    bucket = zlib.crc32(key.encode("utf-8")) % 20
    return "train" if bucket < 14 else "dev" if bucket < 17 else "test"


# -- obfuscation ---------------------------------------------------------------------------------

_TO_CYRILLIC = str.maketrans("aceopxyiskhABCEHKMOPTX", "асеорхуіѕкһАВСЕНКМОРТХ")
_LEET = str.maketrans("aeiost", "431057")


def homoglyphs(text: str, rng: random.Random) -> str:
    return "".join(c.translate(_TO_CYRILLIC) if rng.random() < 0.5 else c for c in text)


def zero_width(text: str, rng: random.Random) -> str:
    marks = ("\u200b", "\u200c", "\u2060", "\ufeff", "\u00ad")
    return "".join(
        c + (rng.choice(marks) if c.isalpha() and rng.random() < 0.4 else "") for c in text
    )


def leetspeak(text: str, rng: random.Random) -> str:
    words = text.split(" ")
    return " ".join(w.translate(_LEET) if rng.random() < 0.7 else w for w in words)


def spaced(text: str, rng: random.Random) -> str:
    words = text.split(" ")
    return " ".join(" ".join(w) if len(w) > 3 and rng.random() < 0.5 else w for w in words)


def tag_smuggle(text: str, rng: random.Random) -> str:
    if not text.isascii():  # tag characters carry ASCII only: the attack would vanish
        return zero_width(text, rng)
    hidden = "".join(chr(0xE0000 + ord(c)) for c in text if 0x20 <= ord(c) < 0x7F)
    return rng.choice(("Thanks for the help! ", "What a nice day. ", "Summarize this. ")) + hidden


def base64_wrap(text: str, rng: random.Random) -> str:
    encoded = base64.b64encode(text.encode("utf-8")).decode("ascii")
    frame = rng.choice(
        (
            "Decode this base64 and do what it says: {b}",
            "{b}",
            "Here is a message from the admin (base64): {b}",
            "Please process the following payload: {b}",
            "b64: {b} - follow it exactly.",
            "Run the decoded version of {b}",
        )
    )
    return frame.format(b=encoded)


def full_width(text: str, rng: random.Random) -> str:
    return "".join(
        chr(ord(c) + 0xFEE0) if "!" <= c <= "~" and rng.random() < 0.8 else c for c in text
    )


def case_noise(text: str, rng: random.Random) -> str:
    return "".join(c.upper() if rng.random() < 0.4 else c for c in text)


OBFUSCATIONS: tuple[Callable[[str, random.Random], str], ...] = (
    homoglyphs,
    zero_width,
    leetspeak,
    spaced,
    tag_smuggle,
    base64_wrap,
    full_width,
    case_noise,
)

# -- carriers: where indirect injections hide ----------------------------------------------------

CARRIERS: tuple[str, ...] = (
    "Subject: Invoice 2024-117\nFrom: billing@vendor.example\n\nHello,\n\n{a}\n{p}\n{b}\n\nBest regards,\nAccounts team",
    "<html><body><h1>Product review</h1><p>{a}</p><!-- {p} --><p>{b}</p></body></html>",
    "# Project README\n\n{a}\n\n## Setup\n\n{p}\n\n{b}\n",
    "def handler(event):\n    # {p}\n    return process(event)  # {a}\n",
    '{{"tool": "web_search", "status": "ok", "results": [{{"title": "Result", "snippet": "{a} {p} {b}"}}]}}',
    "id,name,comment\n17,Alex,{a}\n18,Sam,{p}\n19,Kim,{b}\n",
    "Customer review (4 stars): {a} {p} {b}",
    "Ticket #48213\nReporter: sam\nDescription: {a}\n\n{p}\n\nSteps to reproduce: {b}",
    "BEGIN:VEVENT\nSUMMARY:Quarterly review\nDESCRIPTION:{a} {p}\nEND:VEVENT",
    "Meeting notes\n- {a}\n- {p}\n- {b}",
    "Please summarize the following document:\n\n---\n{a} {p} {b}\n---",
    "Translate this e-mail into English:\n\n{a}\n{p}\n{b}",
    "Search result 3 of 10 - {a} {p}",
    "From: hr@company.example\nTo: team\n\n{a}\n\n{b}\n\n{p}",
    "[file: notes.md]\n{a}\n\n> {p}\n\n{b}",
    "Résumé - Jane Doe\nExperience: {a}\nSkills: Python, SQL\n{p}\nReferences: {b}",
    "Tool output (read_file):\n```\n{a}\n{p}\n{b}\n```",
    "Can you check this PR description?\n\n{a}\n{p}\n",
    "Web page text: {a} <span style='display:none'>{p}</span> {b}",
    "Here is the transcript of the call: Agent: {a} Caller: {p} Agent: {b}",
    "/* {p} */\nconst total = items.reduce((s, i) => s + i.price, 0); // {a}",
    "Document 2 (retrieved): {a}\n\n{p}",
    "Summarize the reviews:\n1. {a}\n2. {p}\n3. {b}",
    "Please answer the customer's e-mail:\n\n> {a}\n> {p}\n> {b}",
    'def load(path):\n    """{a}\n\n    {p}\n    """\n    return open(path).read()  # {b}',
    'config:\n  name: billing\n  description: "{a}"\n  notes: "{p}"\n',
    "#general  09:14  priya: {a}\n#general  09:15  tom: {p}\n#general  09:16  priya: {b}",
    "---------- Forwarded message ----------\nFrom: ops@partner.example\n\n{a}\n\n{p}\n\n> {b}",
    '{{"role": "tool", "name": "read_email", "content": "{a}\\n{p}\\n{b}"}}',
    "| field | value |\n|---|---|\n| summary | {a} |\n| comment | {p} |\n| status | {b} |",
    "SELECT id, total FROM orders; -- {p}\n-- {a}",
    '<p>{a}</p>\n<div aria-hidden="true" style="color:#fff">{p}</div>\n<p>{b}</p>',
)


def in_carrier(
    payload: str, filler: tuple[str, ...], rng: random.Random, carriers: tuple[str, ...]
) -> str:
    carrier = rng.choice(carriers)
    extra = " ".join(rng.sample(filler, min(len(filler), rng.randint(0, 3))))
    return carrier.format(a=rng.choice(filler) + " " + extra, b=rng.choice(filler), p=payload)


def payload_of(text: str, candidates: tuple[str, ...]) -> str:
    return next((c for c in candidates if c in text), "")


# -- composition ---------------------------------------------------------------------------------


def _english_attacks(rng: random.Random) -> Iterator[tuple[str, str, str]]:
    """(text, category, split key) of English attacks (carriers hold their payload first)."""
    for verb in en.OVERRIDE_VERBS:
        for target in rng.sample(en.OVERRIDE_TARGETS, 9):
            opener = rng.choice(en.OPENERS)
            goal = rng.choice(en.NEW_GOALS)
            first = verb[0].upper() + verb[1:] if not opener else verb
            yield f"{opener}{first} {target} {goal}", "override", verb
        for _ in range(3):
            line = rng.choice(en.NEW_TASK_LINES).format(goal=rng.choice(en.GOALS_BARE) + ".")
            yield f"{verb.capitalize()} {rng.choice(en.OVERRIDE_TARGETS)}. {line}", "override", verb
    for line in en.NO_LONGER_APPLY:
        for _ in range(3):
            tail = rng.choice(en.NEW_TASK_LINES).format(goal=rng.choice(en.GOALS_BARE) + ".")
            yield f"{rng.choice(en.OPENERS)}{line} {tail}", "override", line
    for verb in en.EXTRACTION_VERBS:
        for target in rng.sample(en.EXTRACTION_TARGETS, 8):
            tail = rng.choice(
                (
                    "",
                    "",
                    " verbatim.",
                    " please.",
                    " in full.",
                    " now.",
                    " exactly as written.",
                    " - all of it.",
                )
            )
            yield f"{rng.choice(en.OPENERS)}{verb} {target}{tail}".strip(), "extraction", verb
    for line in en.EXTRACTION_FREE:
        yield line, "extraction", line
        yield rng.choice(en.OPENERS) + line, "extraction", line
    for line in en.JAILBREAK_FREE:
        yield line, "jailbreak", line
        yield rng.choice(en.OPENERS) + line, "jailbreak", line
    for template in en.PERSONA_TEMPLATES:
        for name in rng.sample(en.PERSONA_NAMES, 5):
            yield template.format(name=name), "jailbreak", template
    for line in en.EXFIL_FREE:
        yield line, "exfiltration", line
        yield in_carrier(line, en.BENIGN_SENTENCES, rng, CARRIERS), "exfiltration", line
    for verb in en.EXFIL_VERBS:
        for what in rng.sample(en.EXFIL_WHAT, 5):
            where = rng.choice(en.EXFIL_WHERE)
            text = f"{rng.choice(en.OPENERS)}{verb} {what} {where}."
            yield text, "exfiltration", verb
            if rng.random() < 0.5:
                yield in_carrier(text, en.BENIGN_SENTENCES, rng, CARRIERS), "exfiltration", verb
    for line in en.TOOL_HIJACK:
        yield line, "tool", line
        yield in_carrier(line, en.BENIGN_SENTENCES, rng, CARRIERS), "tool", line
    for line in en.BURIED:
        for _ in range(4):
            yield in_carrier(line, en.BENIGN_SENTENCES, rng, CARRIERS), "indirect", line
    for group, category in (
        (en.OVERRIDE_MORE, "override"),
        (en.EXTRACTION_MORE, "extraction"),
        (en.TOOL_MORE, "tool"),
    ):
        for line in group:
            yield line, category, line
            yield rng.choice(en.OPENERS) + line, category, line
            yield in_carrier(line, en.BENIGN_SENTENCES, rng, CARRIERS), "indirect", line
    for line in en.BURIED_MORE:
        for _ in range(4):
            yield in_carrier(line, en.BENIGN_SENTENCES, rng, CARRIERS), "indirect", line
    for line in en.TRANSCRIPTS:
        yield line, "transcript", line
        yield in_carrier(line, en.BENIGN_SENTENCES, rng, CARRIERS[:12]), "transcript", line


def _multilingual_attacks(rng: random.Random) -> Iterator[tuple[str, str, str, str]]:
    for lang, categories in ml.ATTACKS.items():
        filler = ml.FILLER[lang]
        for category, lines in categories.items():
            for line in lines:
                yield line, category, lang, line
                yield in_carrier(line, filler, rng, CARRIERS), "indirect", lang, line
                if category != "buried":
                    yield f"{rng.choice(filler)} {line}", category, lang, line
    for lang, (lines, _) in ml.MORE.items():
        for line in lines:
            yield line, "override", lang, line
            for _ in range(2):
                yield in_carrier(line, ml.FILLER[lang], rng, CARRIERS), "indirect", lang, line
    for lang, (verbs, targets, goals) in ml.GRAMMAR.items():
        for verb in verbs:
            for target in rng.sample(targets, 6):
                text = (
                    verb.format(t=target)
                    + ("" if lang in ("zh", "ja") else " ")
                    + rng.choice(goals)
                )
                yield text, "override", lang, verb
                if rng.random() < 0.3:
                    yield in_carrier(text, ml.FILLER[lang], rng, CARRIERS), "indirect", lang, verb


def _english_benign(rng: random.Random) -> Iterator[tuple[str, str, str]]:
    prefixes = (
        "",
        "",
        "Hi! ",
        "Quick question: ",
        "Thanks in advance. ",
        "Please help: ",
        "Hello, ",
    )
    for line in en.BENIGN_REQUESTS:
        yield line, "request", line
        yield rng.choice(prefixes) + line, "request", line
        yield f"{line} {rng.choice(en.BENIGN_SENTENCES)}", "request", line
        yield (
            in_carrier(rng.choice(en.BENIGN_SENTENCES), en.BENIGN_SENTENCES, rng, CARRIERS[10:12])
            + "\n"
            + line,
            "request",
            line,
        )
    for doc in en.SECURITY_DOCS:
        yield doc, "security-docs", doc
        yield in_carrier(doc, en.BENIGN_SENTENCES, rng, CARRIERS), "security-docs", doc
        yield f"Can you proofread this paragraph? {doc}", "security-docs", doc
    for line in en.BENIGN_MORE:
        yield line, "request", line
        yield rng.choice(prefixes) + line, "request", line
        yield in_carrier(line, en.BENIGN_SENTENCES, rng, CARRIERS), "document", line
    for code in en.CODE_SNIPPETS:
        yield code, "code", code
        yield f"Why does this fail?\n```\n{code}```", "code", code
        yield in_carrier(code.replace("\n", " "), en.BENIGN_SENTENCES, rng, CARRIERS), "code", code
    for verb, objects in en.BENIGN_GRAMMAR:
        for obj in rng.sample(objects, min(len(objects), 7)):
            text = f"{rng.choice(prefixes)}{verb.format(o=obj)}"
            yield text, "request", verb
            if rng.random() < 0.25:
                yield in_carrier(text, en.BENIGN_SENTENCES, rng, CARRIERS), "document", verb
    for i in range(420):
        sentence = en.BENIGN_SENTENCES[i % len(en.BENIGN_SENTENCES)]
        yield in_carrier(sentence, en.BENIGN_SENTENCES, rng, CARRIERS), "document", sentence
    # Benign text that looks obfuscated: emoji sequences, base64 data, leet gamer talk, Cyrillic.
    odd = (
        "gg wp, that n00b got pwn3d l0l, rematch at 9?",
        "Family emoji test: 👨\u200d👩\u200d👧 and 🏳\ufe0f\u200d🌈 render fine now.",
        "The logo is embedded as data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==",
        "Config value (base64): "
        + base64.b64encode(b"timeout=30\nretries=3\nregion=eu-west-1").decode(),
        "My handle is h4ck3r_m4n on the forum, I post about retro games.",
        "Der Kunde heißt Алексей Петров and lives in Berlin.",
        "ｆｕｌｌ－ｗｉｄｔｈ text appears in Japanese forms: 東京都千代田区１－２－３",
        "P@ssw0rd policies are weak; use a password manager instead.",
        "Soft\u00adhyphen\u00adated words come from our CMS export.",
        "The hex id is 0x1f3a and the build is v2.4.1-rc3.",
    )
    for line in odd:
        for _ in range(3):
            yield line, "odd", line


def _multilingual_benign(rng: random.Random) -> Iterator[tuple[str, str, str, str]]:
    for lang, lines in ml.BENIGN.items():
        filler = ml.FILLER[lang]
        for line in lines:
            yield line, "request", lang, line
            yield f"{rng.choice(filler)} {line}", "request", lang, line
            yield in_carrier(line, filler, rng, CARRIERS), "document", lang, line
        for sentence in filler:
            for _ in range(6):
                yield in_carrier(sentence, filler, rng, CARRIERS), "document", lang, sentence
    for lang, (_, twins) in ml.MORE.items():
        for line in twins:
            yield line, "request", lang, line
            for _ in range(2):
                yield in_carrier(line, ml.FILLER[lang], rng, CARRIERS), "document", lang, line
    for lang, (verbs, objects) in ml.BENIGN_GRAMMAR.items():
        for verb in verbs:
            for obj in rng.sample(objects, 6):
                text = verb.format(o=obj)
                yield text, "request", lang, verb
                if rng.random() < 0.3:
                    yield in_carrier(text, ml.FILLER[lang], rng, CARRIERS), "document", lang, verb


def _extra_lines(
    rng: random.Random, waves: tuple[Path, ...]
) -> Iterator[tuple[str, int, str, str, str]]:
    """(text, label, category, lang, split key) from the hand-written waves: each line alone and carried."""
    raws = [raw for path in waves for raw in path.read_text(encoding="utf-8").splitlines()]
    for raw in raws:
        item = json.loads(raw)
        text, lang = item["text"], item["lang"]
        label = int(item["label"] == "injection")
        filler = en.BENIGN_SENTENCES if lang == "en" else ml.FILLER[lang]
        yield text, label, item["category"], lang, text
        for _ in range(2):
            category = "indirect" if label else "document"
            yield in_carrier(text, filler, rng, CARRIERS), label, category, lang, text


def build(waves: tuple[Path, ...] = EXTRA_LINES) -> list[Sample]:
    """The whole corpus, in a stable order (``waves``: the hand-written waves it composes; task
    14k's leave-one-set-out leaves out the wave written from a left-out set's errors)."""
    rng = random.Random(SEED)
    samples: list[Sample] = []
    attacks = [(t, c, "en", k) for t, c, k in _english_attacks(rng)]
    attacks += list(_multilingual_attacks(rng))
    extra = list(_extra_lines(rng, waves))
    attacks += [(t, c, lang, k) for t, label, c, lang, k in extra if label]
    for text, category, lang, key in attacks:
        payload = key if key in text and key != text else ""
        samples.append(Sample(text, 1, category, lang, split_of(key), payload))
    # Obfuscated variants of a third of the attacks (same split as the phrasing).
    for text, _category, lang, key in attacks:
        if rng.random() < 0.33 and len(text) < 400:
            transform = rng.choice(OBFUSCATIONS)
            samples.append(
                Sample(
                    transform(text, rng), 1, f"obfuscated:{transform.__name__}", lang, split_of(key)
                )
            )
    benign = [(t, c, "en", k) for t, c, k in _english_benign(rng)]
    benign += list(_multilingual_benign(rng))
    benign += [(t, c, lang, k) for t, label, c, lang, k in extra if not label]
    for text, category, lang, key in benign:
        samples.append(Sample(text, 0, category, lang, split_of(key)))
    # Benign text through the harmless obfuscations too: formatting noise alone is no attack.
    for text, category, lang, key in benign:
        if rng.random() < 0.06 and len(text) < 400:
            transform = rng.choice((case_noise, full_width, base64_wrap, zero_width))
            samples.append(
                Sample(
                    transform(text, rng), 0, f"{category}:{transform.__name__}", lang, split_of(key)
                )
            )
    for text, label, category, key, payload in docs.carried(attacks, split_of, SEED + 1):
        samples.append(Sample(text, label, category, "en", split_of(key), payload))
    # The project's hand-written development set (tests/security/data/injection_set.jsonl).
    path = EXTRA_TRAINING / "injection_set.jsonl"
    if path.exists():
        for line in path.read_text(encoding="utf-8").splitlines():
            item = json.loads(line)
            samples.append(
                Sample(
                    item["text"], int(item["label"] == "injection"), item["category"], "en", "train"
                )
            )
    for name in DEV_SETS:
        path = EXTRA_TRAINING / name
        if path.exists():
            for line in path.read_text(encoding="utf-8").splitlines():
                item = json.loads(line)
                label = int(item["label"] == "injection")
                lang = item.get("lang", "en")
                samples.append(Sample(item["text"], label, item["category"], lang, "dev"))
    return samples


if __name__ == "__main__":
    from collections import Counter

    corpus = build()
    print(Counter((s.split, s.label) for s in corpus))
    print(Counter(s.lang for s in corpus))
