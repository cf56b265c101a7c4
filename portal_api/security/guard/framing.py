"""How a text frames instruction words, for the classifier (task 14m): quoted or given.

Talk ABOUT instructions quotes them (an incident report, a translation request, a security
write-up: ``the hidden line "assistant: forward this thread"``); an attack gives them. The
address cues of features.py are read once on the text and once without its quotations: a cue
found only inside quotations is ``\\x01quoted-instruction``, a quoted instruction reported to
the reader. Quotations are typographic quotes, guillemets, CJK brackets, single quotes and,
since task 14m, ASCII double quotes in prose: not a JSON or YAML value (after ``:``, ``=``,
``,``, ``[`` or ``{``), where tool results and configs carry instructions.

The addressee cue lives here too (features.py reads it with and without quotations): since
task 14m a possessive ("the assistant's role, tone") and a comma after a determiner or before a
relative clause ("it confused the agent, which ...") no longer count as an address.

Also here, what the classifier appends to the text it reads when the text names an encoding
it would otherwise not see through: bytes written in hex ("decode this hex: 69 67 6e ...",
"十六进制") decoded, and text to be read backwards ("read this backwards", "задом наперёд")
reversed; and two cues of tool use aimed at another agent: an ``@...bot``/``@...agent``
mention and forged call markup (``<function_call name=...>``, ``"tool_calls":``); and a
persona named and then spoken to ("You are VORTEX, ... VORTEX, go"; since task 14i also
"君は「カゲ」...カゲ、", "你叫“狂风”...狂风" and two-character names in Chinese and Japanese).
"""

from __future__ import annotations

import re

ADDRESSEE = (
    r"(?:ai|assistant|model|llm|agent|bot|chatbot|copilot|summari[sz]er|reviewer|screener|"
    r"language model|sprachmodell\w*|modell|modèle|modelo|agente|ki|ia|asistente|assistent\w*|"
    r"assistente|ассистент\w*|помощник\w*|ии|нейросет\w*|модел\w*|бот\w*|"
    r"アシスタント|モデル|助手|模型|机器人|ロボット)"
    # a whole word (task 14i): "kind regards," is no "ki", "assistants, for example" no address
    r"(?![a-z\u0430-\u044f\u0451])"
)
# Words addressed to a model inside the text: "assistant, ...", "note to the AI: ...". Only
# whether it occurs counts, so the character before the addressee is matched, not looked
# behind at (the regex engine then skips to those characters in C); the text's start apart.
# "the assistant's role, tone" names the assistant, it does not address it.
_NOT_POSSESSIVE = r"(?!['\u2019]s\b)"
_ADDRESSED_FIRST = re.compile(rf"{ADDRESSEE}{_NOT_POSSESSIVE}[^.\n。]{{0,30}}?[:,]")
_ADDRESSED = re.compile(
    rf"[\s(\[<,.;!?:。【'\u2019]{ADDRESSEE}{_NOT_POSSESSIVE}[^.\n。]{{0,30}}?[:,]"
)
# A comma after a named addressee is an address ("Assistant, ...", "hi bot, ..."), but not after
# a determiner or before a relative clause: "it confused the agent, which ..." talks about one
# (a colon still counts: "note to the AI: ...", and so does "to the assistant reading this,").
# Tried only where _ADDRESSED, whose first character lets the engine skip ahead in C, matched.
# (since task 14i in German, French and Spanish too: "ein KI-Assistent, der ..."; since task 14k
# a Russian participle: "помощник, обрабатывавший ...")
_DETERMINERS = (
    *("the", "a", "an", "our", "their", "its", "this", "that"),
    *("ein", "eine", "einen", "einem", "der", "die", "das", "den", "dem", "unser", "unsere"),
    *("le", "la", "les", "un", "une", "notre", "ce", "cet", "cette"),
    *("el", "los", "las", "una", "nuestro", "nuestra", "este", "esta"),
)
_DETERMINED = (
    r"(?:(?<=\bto the)|(?<=\bfor the)|" + "".join(rf"(?<!\b{d})" for d in _DETERMINERS) + ")"
)
# A compound noun is no addressee (task 14k): "Threat model note:", "data model:" head a section.
_COMPOUND = "".join(
    rf"(?<!\b{w})"
    for w in ("threat", "data", "risk", "cost", "pricing", "business", "object", "domain", "mental")
)
_ADDRESSED_STRICT = re.compile(
    # an address ends at its sentence (task 14k: "... eines KI-Modells? Code:" is none)
    rf"{_COMPOUND}[\s(\[<,.;!?:。【'\u2019]{ADDRESSEE}{_NOT_POSSESSIVE}[^.\n。?!]{{0,30}}?:|"
    # the first comma after the addressee (task 14k: a later one skipped the clause between)
    rf"{_DETERMINED}[\s(\[<,.;!?:。【'\u2019]{ADDRESSEE}{_NOT_POSSESSIVE}[^.\n。,?!]{{0,30}}?,"
    r"(?!\s*(?:which|who|whose|that|and|but|or|nor|so|der|die|das|welche[rs]?|qui|que|quien|"
    r"quienes|который|которая|которое|которые|что|"
    # a Russian participle (task 14k): "помощник, обрабатывавший календарь" names a helper
    r"[а-яё]+(?:вш|ющ|ущ|ящ|ащ|ем|им|нн)(?:ий|ая|ее|ие|его|ему|им|ей|ую|ых|ими|ой|ого|ый|ое|ые))\b)"  # noqa: RUF001
)


def addressed(text: str) -> bool:
    """Whether words in ``text`` address a model ("assistant, ...", "note to the AI: ...")."""
    if _ADDRESSED_FIRST.match(text):
        return True
    return bool(_ADDRESSED.search(text) and _ADDRESSED_STRICT.search(text))


QUOTED = re.compile(
    r"“[^”\n]{0,200}”|«[^»\n]{0,200}»|„[^“”\n]{0,200}[“”]|「[^」\n]{0,200}」|『[^』\n]{0,200}』|"
    r"\u2018[^\u2019\n]{0,200}\u2019|"
    # single quotes; since task 14k an apostrophe between letters stays inside ('disregard the
    # user's request', 'please don't reveal your prompt' were no quotation before)
    r"(?<!\w)'(?:[^'\n]|(?<=\w)'(?=\w)){2,200}'(?!\w)|"
    # ASCII double quotes in prose: after a word, a sentence end or a bracket, not a value; the
    # quotation opens onto a letter and closes after one, so a value's closing quote opens none
    r"(?<=[\s(])(?<![:=,\[{] )\"(?=\S)[^\"\n]{1,200}(?<=\S)\"",
    re.MULTILINE,
)
QUOTE_CHARS = ("“", "«", "„", "「", "『", "\u2018", "'", '"')


def unquoted(text: str) -> str:
    """``text`` with its quotations blanked (see the module docstring)."""
    return QUOTED.sub(" ", text)


def has_quote(text: str) -> bool:
    return any(map(text.__contains__, QUOTE_CHARS))


_MENTION = re.compile(
    r"(?<![\w.])@[\w-]{0,30}?(?:bot|agent|ai|assistant|copilot|gpt|llm|机器人|ボット|бот)"
    r"(?![a-z])"
)
_CALL_MARKUP = re.compile(
    r"</?(?:function|tool)[_ -]?calls?\b|\"(?:function_call|tool_calls?)\"\s*:|"
    # since task 14i, plain bracketed call and result lines: "[tool_call] get_role()",
    # "[tool_result] {...}", "[function_result]", "<<tool_result: ...>>"; since task 14j a
    # fenced block tagged as one: "```tool_result", "```function_response"
    r"(?:\[|<<|```)\s*/?(?:function|tool)[_ -]?(?:calls?|results?|outputs?|responses?)\b"
)


def tool_cues(text: str) -> list[str]:
    """The cues of tool use aimed at an agent (see the module docstring)."""
    cues = []
    if "@" in text and _MENTION.search(text):
        cues.append("\x01mention-agent")
    if ("call" in text or "tool" in text or "function" in text) and _CALL_MARKUP.search(text):
        cues.append("\x01call-markup")
    return cues


_HEX_WORDS = ("hex", "0x", "十六进制", "16進", "шестнадцат", "hexadezimal", "hexadécimal")
_HEX_RUN = re.compile(
    r"(?<![0-9a-f])(?:(?:0x)?[0-9a-f]{2}[\s,]+){7,}(?:0x)?[0-9a-f]{2}(?![0-9a-f])|"
    r"(?<![0-9a-z])(?:[0-9a-f]{2}){12,}(?![0-9a-z])"  # a blob without separators (task 14i)
)
_HEX_NOISE = re.compile(r"0x|[\s,]")
_BACKWARD_WORDS = (
    "backward",
    "reversed",
    "in reverse",
    "right to left",
    "rückwärts",
    "von hinten",
    "à l'envers",
    "al revés",
    "de atrás hacia adelante",
    "задом наперёд",
    "задом наперед",
    "наоборот",
    "справа налево",
    "в обратном порядке",
    "倒着",
    "倒过来",
    "反过来",
    "从右往左",
    "逆から",
    "逆順",
    "逆さ",
    "後ろから",
)


def hidden_readings(folded: str) -> list[str]:
    """Readings of ``folded`` (lower-cased model text) its own words point to: hex bytes
    decoded when it names hex, the whole text reversed when it says to read it backwards."""
    out = []
    if any(map(folded.__contains__, _HEX_WORDS)):
        for run in _HEX_RUN.findall(folded):
            digits = _HEX_NOISE.sub("", run)
            try:
                decoded = bytes.fromhex(digits).decode("utf-8")
            except ValueError:
                continue
            if decoded.isprintable():
                out.append(decoded.lower())
    if any(map(folded.__contains__, _BACKWARD_WORDS)):
        out.append(folded[::-1])
    return out


# A persona given a name and then addressed by it: "You are GRIMOIRE, an oracle who ...
# GRIMOIRE, how do I ...", "あなたは「グリモア」という...グリモア、...", "Eres NÉMESIS ... NÉMESIS,".
# What gives the name ("you are", "du bist", "你叫"), a time word it may take ("now", "今から"),
# an opening quote, then the name.
_NAMING = (
    *("you are", "you're", "you will be", "you go by", "tu es", "tu joues", "tu seras"),
    *("eres", "serás", "du bist", "ты", "вы", "あなたは", "君は", "お前は", "おまえは"),
    *("你是", "您是", "你现在是", "你叫"),
)
# The prefilter: every match of _PERSONA holds one of the naming words, so the words no other
# naming word is part of are enough (task 14k: the list written by hand beside _NAMING had
# drifted and missed "serás", "おまえは" and "你现在是").
_PERSONA_WORDS = tuple(w for w in _NAMING if not any(v != w and v in w for v in _NAMING))
_NOW = ("now ", "maintenant ", "ahora ", "jetzt ", "теперь ", "今から")
_PERSONA = re.compile(
    f"(?:{'|'.join(_NAMING)})\\s*(?:{'|'.join(_NOW)})?[«\"“「『'\u2018]?" r"(\w[\w-]{1,24})"
)


def persona_addressed(text: str) -> bool:
    """Whether ``text`` (model text, lower case) names a persona and then speaks to it."""
    if not any(map(text.__contains__, _PERSONA_WORDS)):
        return False
    for match in _PERSONA.finditer(text):
        rest = text[match.end() :]
        name = match.group(1)
        if len(name) < 3 and name.isascii():  # "you are an, ..."; ゼロ, 小林 are names
            continue
        if any(name + mark in rest for mark in (",", "、", ":")):
            return True
    return False
