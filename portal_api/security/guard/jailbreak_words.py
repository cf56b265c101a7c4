"""Words of the framed-method cue (features.py, the twelfth model): a story or relative frame,
a request for the method and a harm, in the fourteen languages of the training waves."""

from __future__ import annotations

import re

# A story frame around a request for the method (the twelfth model): a late grandparent who
# "used to recite the steps", a novel or screenplay scene "with exact quantities", a persona
# asked "step by step", for something harmful (``_HARM``). Each alone is ordinary; the
# classifier weighs the three together (its benign twins in the training waves: bedtime
# stories, dark fiction "without technical detail", recipes taught step by step).
_FRAME = re.compile(
    r"grand(?:ma|mother|pa|father)|granny|\blate (?:uncle|aunt|father|mother|dad|mom)|bedtime|"
    r"fall asleep|lull|pretend|stay in character|in character|screenplay|\bnovel\b|thriller|"
    r"\bscene\b|hypothetical|imagine|\bstory\b|"
    r"\boma\b|\bopa\b|großmutter|großvater|einschlafen|stell dir vor|drehbuch|\broman\b|"
    r"grand-mère|grand-père|mamie|papi|endormir|scénario|"
    r"abuel[ao]|dormirme|imagina|novela|gui[oó]n|escena|"
    r"бабушк|дедушк|\bдед\b|сказк|рассказ|сценари|персонаж|представь|в роли|"  # noqa: RUF001
    r"奶奶|爷爷|外婆|姥姥|小说|剧本|故事|扮演|假设|"
    r"おばあ|祖母|おじいちゃん|祖父|小説|脚本|物語|演じ|"
    r"할머니|할아버지|소설|이야기|역할|상상|"
    r"grootmoeder|grootvader|verhaal|stel je voor|"
    r"büyükanne|anneanne|babaanne|\bdede\b|hikaye|hayal et|"
    r"جدت|جدي|قصة|رواية|تخيل|"
    r"\bnonn[ao]\b|romanzo|immagina|sceneggiatura|"
    r"babci|dziad|opowiadani|powieś|wyobraź|scenariusz|"
    r"\bav[óô]\b|hist[óo]ria|roteiro"
)
_METHOD = re.compile(
    r"step[- ]by[- ]step|every step|the steps|exact (?:quantit|amount|step|ingredient)|"
    r"in (?:full )?detail|real (?:payload|code|steps|instructions|technical)|working (?:code|exploit)|"
    r"schritt für schritt|genaue|detailliert|étape par étape|en détail|quantités|"
    r"paso a paso|con detalle|cantidades|шаг за шагом|подробно|количеств|"
    r"步骤|一步一步|详细|具体|分量|手順|詳しく|具体的|作り方|"
    r"단계별|자세히|구체적|stap voor stap|gedetailleerd|adım adım|ayrıntılı|detaylı|"  # noqa: RUF001
    r"خطوة بخطوة|بالتفصيل|passo (?:dopo )?passo|nei dettagli|krok po kroku|szczegółow|"
    r"passo a passo|em detalhe|detalhad"
)
# What such a method is for: the harms jailbreaks ask fiction to carry (drugs, explosives,
# weapons, poison, break-ins, car theft, account takeover, malware, phishing, forgery), in the
# fourteen languages of the training waves. A recipe or a craft taught step by step in a story
# is not one.
_HARM = re.compile(
    r"meth|cocaine|heroin|fentanyl|\bdrugs?\b|controlled substance|narcotic|explosive|\bbomb|"
    r"detonat|firearm|\bguns?\b|weapon|poison|lock ?pick|break(?:ing)? into|burglar|\bsafe\b|vault|"
    r"hot-?wir|steal|stolen|hack|account takeover|malware|keylogger|ransomware|virus|phishing|"
    r"forg(?:e|ed|ery|ing)|counterfeit|fake (?:id|passport|licen)|serial number|"
    r"droge|sprengstoff|bombe|waffe|gift\b|einbrech|einbruch|schloss|stehlen|gestohlen|"
    r"drogue|explosif|arme|poison|cambriol|crocheter|voler|volé|pirater|faux papiers|"
    r"droga|explosiv|arma|veneno|robar|robad|forzar|caja fuerte|hackear|falsificar|"
    r"наркот|метамфетамин|взрывчат|бомб|оружи|яд\b|отрав|взлом|угнать|украсть|краж|подделат|"
    r"毒品|冰毒|炸药|炸弹|武器|枪|毒药|撬锁|入室|偷|盗|黑客|入侵|木马|钓鱼|伪造|"
    r"麻薬|覚醒剤|爆発物|爆弾|武器|銃|毒|ピッキング|侵入|盗|ハッキング|乗っ取|偽造|"
    r"마약|폭발물|폭탄|무기|총기|독극물|도어락|침입|훔치|해킹|탈취|위조|"
    r"drugs|explosief|bom\b|wapen|gif\b|inbre|stelen|gestolen|hacken|vervalsen|"
    r"uyuşturucu|patlayıcı|bomba|silah|zehir|kilit|hırsız|çalmak|çalıntı|hackle|sahte|"  # noqa: RUF001
    r"مخدر|متفجر|قنبلة|سلاح|سم\b|اقتحام|سرقة|اختراق|تزوير|"
    r"esplosiv|veleno|scassin|rubare|rubat|falsific|"
    r"narkoty|materiał wybuchow|broń|trucizn|włam|ukraść|kradzież|podrobi|"
    r"explosivo|roubar|roubad|invadir|falsific"
)


def framed_method(text: str) -> bool:
    """A frame, a request for the method and a harm in one piece of (folded) model text."""
    return bool(_FRAME.search(text) and _METHOD.search(text) and _HARM.search(text))
