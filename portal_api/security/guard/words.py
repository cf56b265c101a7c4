"""The words around a value that tell what it is: a public line's, an office's or a company's
(hotline, switchboard, imprint, role mailboxes), a number's name when it is no phone number
(order, parcel, VAT, build), a sample's announcement, a card's name; in the languages the
output scanner reads. Used by ``pii``; each pattern is searched just before (or after) a value.
"""

from __future__ import annotations

import re

# A word naming a card just before its number: numbers outside the listed brands' ranges (a
# local scheme, a new range: "cartao": {"numero": "5966..."}) count there.
CARD_WORD = re.compile(
    r"(?i)(?:card|karte|carte|tarjeta|cart[ãa]o|carta|kaart|kort|karta|kart|kortti|\bPAN\b|"
    r"карт|卡|カード)[^\n]{0,40}$"
)
# ... unless it is a SIM card's or a device's number (an IMEI passes the Luhn check too).
DEVICE_ID = re.compile(r"(?i)\b(?:imei|iccid|imsi|sim)\b")
# A mailbox that says it is to be filled in: "your.name@", "votre.adresse@", "deine.email@".
PLACEHOLDER_MAILBOX = re.compile(
    r"(?i)(?:your|votre|ton|dein[e]?|ihre?|tu|su|vuestr[ao]|ваш[аеи]?|ваш)[._-]"
)
# A mailbox written as a pattern ("vorname.nachname@", "firstname.lastname@", "imie.nazwisko@")
# or for the placeholder people of forms (Max Mustermann, Ola Nordmann, Matti Meikäläinen).
_NAME_PART = (
    r"(?:first|last|given|family|sur)?[_-]?name|first|last|initials?|user(?:name)?|vorname|"
    r"nachname|pr[ée]nom|nom|nombre|apellidos?|nome|cognome|imi[eę]|nazwisko|voornaam|"
    r"achternaam|naam|fornavn|efternavn|etternavn|f[öo]rnamn|efternamn|etunimi|sukunimi|"
    r"jm[ée]no|p[řr][íi]jmen[íi]|ad|soyad|isim|usuario|utente|benutzer|nutzer|u[żz]ytkownik"
)
PATTERN_MAILBOX = re.compile(
    rf"(?i)(?:(?:{_NAME_PART})(?:[._-](?:{_NAME_PART}))*|(?:max|erika)[._-]?mustermann|"
    r"(?:ola|kari)[._-]?nordmann|matti[._-]?meik[äa]l[äa]inen)$"
)
# RFC 2606 / RFC 6761 names reserved for documentation and testing, and the same word in
# other languages at any top-level domain ("soporte@ejemplo.es", "info@beispiel.de"): a
# manual's address, nobody's mailbox.
RESERVED_DOMAIN = re.compile(
    r"(?:^|\.)(?:(?:example|examples|ejemplo|beispiel|exemple|esempio|exemplo|voorbeeld|"
    r"przyklad|primer)\.(?:com?\.)?[a-z]{2,6}|example|test|invalid|localhost|local)$"
    # "example" as any label: "staldrics-hospital.example.nhs.uk" is a manual's made-up host
    r"|(?:^|\.)example\.",
    re.IGNORECASE,
)
# A role's mailbox (RFC 2142 and its usual kin, in the languages the guard reads) is how an
# organisation is reached, not a person: "support@acme.com", "soporte@", "kundenservice@".
ROLE_MAILBOX = re.compile(
    r"(?i)(?:info|support|help|helpdesk|contact|sales|billing|abuse|security|secure|privacy|press|"
    r"noc|postmaster|hostmaster|webmaster|no-?reply|do-?not-?reply|service|customer-?service|"
    r"soporte|ayuda|contacto|atencion|kundenservice|kontakt|hilfe|datenschutz|assistance|"
    r"service-?client|presse|report[\w.-]*|phishing|spam|fraud|incidents?|cert|csirt|psirt|"
    r"soc|legal|careers|jobs|hr|office|hello|feedback|enquiries|inquiries|media|marketing|"
    r"orders|returns|finance|investors?|partners|dpo|compliance|klantenservice|servizio-?clienti|"
    r"assistenza|atendimento|suporte|contato|kontakt|"
    # offices and desks in the other languages read: Polish "bok" (biuro obsługi klienta),
    # Swedish "kundtjanst", Finnish "asiakaspalvelu", reception, sales, accounts, editors
    r"bok|biuro|sekretariat|obsluga|kundtjanst|kundservice|kundeservice|asiakaspalvelu|"
    r"servicedesk|service-?desk|it-?support|zentrale|empfang|reception|recepcion|accueil|"
    r"centralino|segreteria|redazione|redaktion|redactie|vendite|ventas|verkauf|vertrieb|"
    # Italian offices: administration (a company's PEC mailbox), office, orders, purchasing
    r"amministrazione|ufficio|ordini|acquisti|contabilita|"
    r"vendas|comercial|commercial|facturation|facturacion|fatturazione|buchhaltung|"
    r"administratie|administration|team|newsletter|events|bestellung|shop|store|"
    r"booking|reservations?|reservas|prenotazioni|recruiting|bewerbung|karriere|"
    r"rh|rrhh|ombudsman|dataprotection|data-?protection|gdpr|rgpd|dsb|"
    r"klachten|reclamaciones|reclami|beschwerden|destek|yardim|iletisim|bilgi|sac|apoio|"
    r"tuki|palaute|podpora|zakaznicka-?linka|kundesenter|kundtjanst|"
    # departments: payroll, accounts payable and receivable, purchasing, procurement
    r"payroll|accounts?(?:[._-]?(?:payable|receivable))?|ap|ar|invoices?|remittance|"
    r"purchasing|procurement|treasury|lohn|gehalt|paie|nominas?|stipendi|"
    # complaints, the registrar's and admissions offices, memberships, bookings, licensing
    r"complaints?|registrar|registry|admissions?|enrol(?:l)?ments?|studentservices|alumni|library|"
    r"membership|members|bookings|tickets|licensing|permits|grants|donations|volunteers?|"
    r"facilities|estates|helpline|concierge|claims|underwriting|onboarding|talent|"
    r"recrutement|reclamations?|reclamacoes|sugerencias|suggestions)(?:[._-][a-z]{2,3}|\d{1,2})?$"
)
# Words that announce a public line (hotline, helpline, switchboard...) just before a number.
PUBLIC_WORDS = (
    r"(?i)(?:hotline|helpline|lifeline|help\s?desk|customer\s+(?:service|care|support)|"
    r"(?:public\s+)?comments?\s+line|"
    r"support\s+line|toll[- ]free|free\s*phone|emergency(?!\s+contact)|crisis|notruf|seelsorge|"
    r"kundenservice|servicenummer|service\s+client|num[ée]ro\s+(?:vert|non\s+surtax)|sos\b|"
    r"samaritans|childline|atenci[óo]n\s+al\s+cliente|l[íi]nea\s+de\s+ayuda|"
    r"numero\s+verde|servizio\s+clienti|infolinia|telefon\s+zaufania|numer\s+alarmowy|"
    r"kundtj[äa]nst|v[äa]xel|klantenservice|linha\s+de\s+apoio|apoio\s+ao\s+cliente|"
    # an organisation's switchboard, reception, press office, fax, contact centre
    r"switchboard|head\s+office|reception|front\s+desk|"
    r"press\s+office|\bfax\b|contact\s*cent(?:er|re)|call\s*cent(?:er|re)|service\s*desk|"
    r"zentrale|vermittlung|empfang|pressestelle|standard\s*:|accueil|centralita|recepci[óo]n|"
    r"centralino|ufficio\s+stampa|centrale\s+operativa|sentralbord|omstilling|kundeservice|"
    r"kundesenter|vaihde|asiakaspalvelu|[úu]st[řr]edn[ay]|z[áa]kaznick[áa]\s+linka|santral|"
    r"m[üu][şs]teri\s+hizmetleri|[çc]a[ğg]r[\u0131i]\s+merkezi|biuro\s+obs[łl]ugi|central[aiey]\b|"
    r"sekretariat|recepcja|central\s+de\s+atendimento|centro\s+de\s+atendimento|\bSAC\b|"
    r"telefooncentrale|receptie|media\s+(?:inquiries|enquiries|relations|contact)|investor\s+relations|"
    r"pressekontakt|contact\s+presse|oficina\s+de\s+prensa|non-emergency|poison\s+(?:control|information)|"
    r"giftinformation|myrkytystietokeskus|anti-?poison|antiveleni|toxicol[oó]gic|"
    r"горячая\s+линия|телефон\s+доверия|热线|客服|ホットライン|相談窓口)"
)
PUBLIC_CONTEXT = re.compile(PUBLIC_WORDS + r"[^\n]{0,40}$")
# ... or further back in the sentence when the number is offered as an alternative ("numero
# verde 803 164 da rete fissa (gratuito) oppure allo 06 164 164"): the same service's.
OR_WORD = r"(?:\b(?:or|oder|ou|o|oppure|eller|lub|albo|of|tai|nebo|veya)\b|или|或)"
PUBLIC_ALTERNATIVE = re.compile(PUBLIC_WORDS + r"[^.!?\n]{0,100}" + OR_WORD + r"[^.!?\n]{0,20}$")
# A list's heading that names official or public lines ("the official public channels are:",
# "estos son los teléfonos oficiales de atención al cliente:"): the landlines listed under it
# are the organisations'. A mobile number there is still a finding.
_OFFICIAL = (
    r"(?:official|public|oficia(?:l|les|is)|p[úu]blic[oa]s?|offiziell\w*|[öo]ffentlich\w*|"
    r"officiel\w*|ufficial\w*|oficjaln\w*|offici[eë]le?|resmi|официальн\w*|公式|官方)"
)
_LINES = (
    r"(?:channels?|numbers?|lines?|phones?|contacts?|tel[ée]fonos?|n[úu]meros?|num[ée]ros?|"
    r"nummern?|numeri|telefon\w*|canales|canaux|kan[äa]le|contatti|contactos|номер\w*|"
    r"телефон\w*|电话|電話)"
)
PUBLIC_HEADING = re.compile(
    PUBLIC_WORDS + rf"|(?i:{_OFFICIAL}[^\n]{{0,60}}?{_LINES}|{_LINES}[^\n]{{0,30}}?{_OFFICIAL})"
)
# Words of a company's imprint or letterhead (registry, VAT and company numbers): a landline
# near them is the company's. A mobile number there is still a finding.
ENTITY_CONTEXT = re.compile(
    r"(?i)impressum|mentions\s+l[ée]gales|aviso\s+legal|note\s+legali|colofon|"
    r"handelsregister|registergericht|\bHR[AB]\b|ust-?id|umsatzsteuer|\bRCS\b|\bSIRE[NT]\b|"
    r"capital\s+social|\bCIF\b|registro\s+mercantil|\bKvK\b|kamer\s+van\s+koophandel|"
    r"\borg\.?\s*nr|organisasjonsnummer|\bCVR\b|y-tunnus|\bNIP\b|\bREGON\b|\bKRS\b|"
    r"\bCNPJ\b|partita\s+iva|\bp\.\s?iva\b|\bI[ČC]O\b|company\s+(?:no|number|reg)|"
    r"registered\s+(?:office|in)|companies\s+house|\bVAT\b|ticaret\s+sicil|\bmersis\b"
)
# Words that mark the card or IBAN after them as a sample: "Stripe test mode, use card ...",
# "the IBAN format example from the standard is ...", "Testkarte", "ejemplo".
SAMPLE_CONTEXT = re.compile(
    r"(?i)(?:\btest(?:ing)?\s+(?:[\w'-]+\s+){0,2}(?:cards?|mode|numbers?|pans?|ibans?|accounts?|credentials)|"
    r"\bmagic\s+(?:test\s+)?numbers?|"
    r"\bsandbox|\bexamples?\b|\bsample|\bdummy|\bfictitious|\billustrat|\bbeispiel|\btestkarte|"
    r"\bexemple|cartes?\s+de\s+test|bac\s+[àa]\s+sable|\bejemplo|de\s+prueba|testdaten|test\s+data|пример|тестов|例|"
    r"テスト|"
    # the same words in the other languages read
    r"\bdi\s+prova|\bde\s+teste|\besempio|\bvoorbeeld|\btestkaart|\btestomgeving|\bexemplo|"
    r"\btestow|\bprzyk[łl]ad|\btestkort|\beksempel|\bexempel|\btestikortti|\besimerk|"
    r"\btestovac|\bp[řr][íi]klad|\bdeneme|\b[öo]rnek|\btest\s+kart|"
    r"\btarjetas?\s+de\s+test|\bcarta\s+di\s+test|\bcart[ãa]o\s+de\s+test)"
    # to the value, within its sentence (a dot inside a host name, "sis-t.redsys.es", is none)
    r"(?:[^.;!?]|\.(?=\w)){0,120}$"
)
# A phone number given as a format or an example: the sample words above, or a format's
# words, earlier in its sentence ("Podaj numer w formacie +48 ...", "E.164 example: +1415..."),
# or the word in brackets right after it ("06 12345678 (voorbeeld)").
PHONE_SAMPLE = re.compile(
    r"(?i)(?:\bformat|\bformato|\bformacie|\bformaat|\be\.\s?g\.|\bz\.\s?B\.|\bad\s+esempio|"
    r"\bpor\s+ejemplo|\bpar\s+exemple|\bbijvoorbeeld|\bt\.\s?ex\.|\bf\.\s?eks\.|\besim\.|"
    r"\bnap[řr]\.|\b[öo]rne[ğg]in|\btest\s+cases?|\bplaceholder|\bfict)[^.;!?\n]{0,80}$"
)
PHONE_SAMPLE_AFTER = re.compile(
    r"(?i)[,;]?\s*(?:\(|,\s*)(?:e\.g\.|for\s+)?(?:an?\s+)?(?:examples?|exemple|ejemplo|esempio|"
    r"ad\s+esempio|beispiel|voorbeeld|exemplo|przyk[łl]ad|p[řr][íi]klad|esimerkki|eksempel|exempel|"
    r"[öo]rnek|sample|fictional|fictif|fiktiv|format)\b"
)
# What a number is called when it is not a phone number: "order #", "Bestellnummer", "номер
# договора" (just before it), and dates, which phonenumbers reads as national numbers.
NOT_PHONE_LABEL = re.compile(
    r"(?i)(?:order|invoice|contract|tracking|shipment|parcel|reference|ticket|case|booking|"
    r"confirmation|account|policy|serial|bestell|sendung|rechnung|vertrag|auftrag|commande|"
    r"konto|bankleitzahl|blz|sort\s+code|routing|"
    r"facture|contrat|pedido|factura|contrato|ordine|fattura|segnacollo|spedizion|bestelling|"
    r"ordernummer|factuur|zending|encomenda|fatura|rastreio|colis|suivi|"
    r"zam[óo]wieni|paczk|przesy[łl]k|faktur|objedn[áa]vk|z[áa]silk|pratica|protocollo|"
    r"sipari[şs]|takip|tilaus|seuranta|ordre|sporing|[äa]rende|dossier|ocr|referen|"
    # a person's word only as a number's name: "Kundennummer", not "Telefon der Kundin:"
    r"(?:customer|client|member|mitglieds?|kund(?:en|e)?|klant|cliente)[\s-]?"
    r"(?:n(?:o|r|º|um(?:ber|ero|éro|mer)?)\b\.?|id\b|#|nummer|number)|"
    r"الشحنة|شحنة|الطلب|طلب|الفاتورة|فاتورة|"
    r"παραγγελ|τιμολ[οό]γ|αποστολ|comand|comenz|livrar|주문|송장|운송장|发票|运单|накладн|отправлен|"  # noqa: RUF001
    r"заказ|договор|заявк|сч[её]т|注文|订单|合同|"
    r"m[ãa]\s+đ[ơo]n|đ[ơo]n\s+h[àa]ng|h[óo]a\s+đ[ơo]n|v[ậa]n\s+đ[ơo]n|m[ãa]\s+v[ậa]n|h[ợo]p\s+đ[ồo]ng)\w*"
    r"\s*(?:n(?:o|r|º|um(?:ber|ero|éro)?)\.?|#|№|id|nummer|номер|s[ốo])?\s*[:#]?\s*(?:lautet|is|est|es|è|é|är|er|je|jest|on)?"
    r"\s*$"
)
# Business identifiers (VAT, company and registry numbers, trade and securities codes) and
# the ids of builds, jobs and devices, from a word's start ("ust" is no label in "Gustav"), a
# few words and a country prefix before the number: "TVA intracommunautaire FR 44 732829320".
# Product codes: "cod. prodotto", "Artikelnummer", "código de producto", "артикул", an EAN.
PRODUCT_WORDS = (
    r"ean|gtin|upc|sku|isbn|prodott[oi]|articolo|artikel\w*|art\.-?nr|product\s+code|"
    r"produktnummer|producto|produto|produit|barcode|code-?barres|артикул|штрихкод"
)
# A card-shaped number that a product's code word names (an EAN can pass the Luhn check).
PRODUCT_LABEL = re.compile(r"(?i)\b(?:" + PRODUCT_WORDS + r")\b[^\n\d]{0,20}$")
BUSINESS_LABEL = re.compile(
    r"(?i)\b(?:vat|tva|ust|mwst|btw|iva|moms|nip|regon|krs|siret|siren|rcs|cif|kvk|cvr|company|"
    r"registration|handelsregister|hr[ab]|duns|lei|eori|org\.?\s*nr|i[čc]o|di[čc]|cnpj|abn|"
    r"ein|imo|mmsi|isin|cusip|swift|bic|aba|imei|iccid|imsi|pipeline|job|build|"
    # Russian company and bank numbers (ИНН of an organisation, КПП, ОГРН, ОКПО, БИК)
    r"инн|кпп|огрн|огрнип|окпо|бик|" + PRODUCT_WORDS + "|"
    r"run|workflow|issue|incident|request|transaction|batch|sensor|device|"
    # a build or version number in the other languages read ("Byggnummer 3110.2448")
    r"bygg(?:e)?nummer|buildnummer|build-?nr|versjon|versionsnummer|versio|wersja|versione|"
    r"versi[oó]n|vers[aã]o|verze|s[üu]r[üu]m)\b[^\n\d]{0,30}"
    r"(?:[A-Z]{2}\s?\d{0,2}\s?)?$"
)
# ... or just after it: "2026112801 ; serial" in a zone file, "1732795200 (epoch)".
NOT_PHONE_AFTER = re.compile(
    r"(?i)[\s;#,(]{0,4}(?:(?:is|ist|est|es|die|der|das|the|la|le|el)\s+)?(?:serial|build|revision|"
    r"version|timestamp|epoch|order|invoice|ticket|kontonummer|bankleitzahl|account\s+number)\b"
)
# Mail providers of private persons: an address there is somebody's, whatever words come before.
PERSONAL_PROVIDER = re.compile(
    r"(?i)(?:^|\.)(?:gmail|googlemail|outlook|hotmail|live|msn|yahoo|ymail|icloud|me|mac|aol|gmx|"
    r"web|t-online|freenet|orange|wanadoo|free|laposte|sfr|libero|virgilio|tiscali|alice|wp|"
    r"onet|interia|o2|seznam|centrum|mail|yandex|rambler|uol|bol|terra|proton(?:mail)?|pm|zoho|"
    r"qq|163|126|naver|hanmail|telia|bluewin|ziggo|kpnmail|telenet|skynet|sapo|fastmail)\.[a-z.]+$"
)
# Public-line words earlier in the same sentence: "call Samaritans free on 116 123, or email
# jo@samaritans.org", "müşteri hizmetlerimize destek@...": the service's mailbox.
PUBLIC_SENTENCE = re.compile(PUBLIC_WORDS + r"[^.!?\n]{0,100}$")
# "the toll-free 803 164 from a landline, or 06 164 164 from a mobile": the other number of
# a public line, offered as an alternative in the same sentence, is the same service's.
OR = re.compile(r"(?i)^[^.!?\n]{0,60}" + OR_WORD + r"[^.!?\n]{0,30}$")
# A phone number's name, for numbers written as a bare run of digits ("4155550123" is a
# phone number where it is called one, and a count, a checksum or an id in code otherwise):
# just before it, or as its table column's header.
PHONE_LABEL = re.compile(
    r"(?i)(?:phone|\btel\b|telephone|mobile|\bcell|\bcall|\bdial|\bring\b|\btext\b|\bsms|"
    r"whats\s?app|\bfax|contact|number|\bno\.|\bnr\.?|\bnum\b|#|"
    r"telefon|handy|mobil|rufnummer|anruf|erreichbar|t[ée]l[ée]phone|\bt[ée]l\.|portable|"
    r"appel|joindre|num[ée]ro|tel[ée]fono|m[óo]vil|celular|llam|telefone|ligar|cellulare|"
    r"chiam|numero|telefoon|mobiel|bel(?:len)?\b|nummer|kom[óo]rk|numer|zadzwo[ńn]|"
    r"телефон|тел\.|мобильн|сотов|номер|звон|позвон|电话|電話|手机|手機|联系|聯絡|号码|號碼|"
    r"携帯|番号|전화|휴대폰|연락처|번호|هاتف|جوال|رقم|cep\b|numara|aray[ıi]n|mobilnummer|"  # noqa: RUF001
    r"फ़ोन|फोन|मोबाइल|नंबर|โทร|เบอร์|טלפון|נייד|điện thoại|sđt|nomor|hp\b|telp)"
)
# A mailing list's address (a project's list, not a person's): "dev@arrow.apache.org",
# "numpy-team@googlegroups.com", "users-subscribe@", at a lists host or Google Groups.
LIST_MAILBOX = re.compile(
    r"(?i)(?:dev|devel|users?|announce|discuss|general|community|team|maintainers|"
    r"[\w.]+-(?:subscribe|unsubscribe|request|owner|announce|devel|dev|users|discuss|team))$"
)
LIST_DOMAIN = re.compile(r"(?i)^(?:lists?\.|.*\bgooglegroups\.com$)")
# A file's extension where an address's top-level domain would be: "logo@2x.png", a badge
# "Twitter-@csstree-blue.svg", "icon@3x.webp".
FILE_EXTENSION = re.compile(
    r"(?i)\.(?:png|jpe?g|gif|svg|webp|ico|bmp|tiff?|avif|js|mjs|cjs|ts|tsx|jsx|css|scss|html?|"
    r"json|ya?ml|md|txt|pdf|xml|py|rb|go|rs|java|kt|swift|lock|log|csv)$"
)
