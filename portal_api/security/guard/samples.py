"""Values published to be copied: test cards, the IBAN registry's examples, documented sample
keys and drama phone numbers.

No maintained package ships them (python-stdnum and phonenumbers validate shapes and check
digits, which these numbers pass by design), so they are listed here with their source. A
card or IBAN in these sets is documentation, never a leak: the output scanner drops it, as it
drops e-mail addresses at example.com.
"""

from __future__ import annotations

import itertools

# Test card numbers from the processors' testing pages (Stripe "Testing", Braintree "Testing
# and going live", Adyen "Test card numbers", PayPal sandbox): they pass the Luhn check and
# never charge anyone.
TEST_CARDS = frozenset(
    [
        "4242424242424242",
        "4000056655665556",
        "5555555555554444",
        "2223003122003222",
        "5200828282828210",
        "5105105105105100",
        "378282246310005",
        "371449635398431",
        "378734493671000",
        "6011111111111117",
        "6011000990139424",
        "6011000400000000",
        "6555900000604105",
        "3056930009020004",
        "30569309025904",
        "36227206271667",
        "38520000023237",
        "3566002020360505",
        "3530111333300000",
        "6200000000000005",
        "4111111111111111",
        "4012888888881881",
        "4222222222222",
        "5454545454545454",
        "5500000000000004",
        "4000002500003155",
        "4000000000003220",
        "4000000000009995",
        "4000000000000002",
        "4000002760003184",
        "4000003800000446",
        "4000000000000101",
        "4000000000000069",
        "4000000000000127",
        "4000000000000119",
        "4100000000000019",
        "4000000000000077",
        "4000000000000010",
        "4000000760000002",
        "4000001240000000",
        "4000004840008001",
        "5425233430109903",
        "2222420000001113",
        "4917610000000000",
        "4462030000000000",
        "4917300800000000",
        "5019717010103742",
        "6759649826438453",
        "4035501000000008",
        "4360000001000005",
        "4005550000000001",
        # Adyen's test cards (Visa, Mastercard, American Express, Discover, Diners, JCB)
        "4111111145551142",
        "5555341244441115",
        "370000000000002",
        "6011601160116611",
        "36006666333344",
        "3569990010095841",
    ]
)

# The example IBAN of each country in SWIFT's IBAN registry (the ISO 13616 registration
# authority), and the ones ISO 13616 and the European Payments Council print as examples.
EXAMPLE_IBANS = frozenset(
    [
        "GB82WEST12345698765432",
        "GB29NWBK60161331926819",
        "DE89370400440532013000",
        "DE02120300000000202051",
        "DE02500105170137075030",
        "FR1420041010050500013M02606",
        "ES9121000418450200051332",
        "IT60X0542811101000000123456",
        "NL91ABNA0417164300",
        "CH9300762011623852957",
        "AT611904300234573201",
        "GR1601101250000000012300695",
        "SA0380000000608010167519",
        "PL61109010140000071219812874",
        "SE4550000000058398257466",
        "DK5000400440116243",
        "FI2112345600000785",
        "NO9386011117947",
        "PT50000201231234567890154",
        "IE29AIBK93115212345678",
        "LU280019400644750000",
        "CZ6508000000192000145399",
        "HU42117730161111101800000000",
        "MT84MALT011000012345MTLCAST001S",
        "LI21088100002324013AA",
        "SI56263300012039086",
        "SK3112000000198742637541",
        "HR1210010051863000160",
        "RO49AAAA1B31007593840000",
        "BG80BNBG96611020345678",
        "LT121000011101001000",
        "LV80BANK0000435195001",
        "EE382200221020145685",
        "CY17002001280000001200527600",
        "IS140159260076545510730339",
        "TR330006100519786457841326",
        "AE070331234567890123456",
        "IL620108000000099999999",
        "MC5811222000010123456789030",
        "SM86U0322509800000000270100",
        "AD1200012030200359100100",
        "BA391290079401028494",
        "RS35260005601001611379",
        "ME25505000012345678951",
        "MK07250120000058984",
        "AL47212110090000000235698741",
    ]
)

# Credentials printed in vendors' documentation for everyone to copy: Stripe's API reference
# sample secret key (test mode, shared by every reader) and the sample token of jwt.io's
# introduction (HS256, "John Doe", signed with the key "your-256-bit-secret").
PUBLISHED_SECRETS = frozenset(
    [
        "sk_test_4eC39HqLyjWDarjtT1zdp7dc",
        "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9l"
        "IiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c",
    ]
)
# ... and the beginnings of such samples, whatever follows: jwt.io's sample header and payload
# ("John Doe", sub 1234567890) under a signature copied wrong is still that sample.
PUBLISHED_PREFIXES = (
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9l"
    "IiwiaWF0IjoxNTE2MjM5MDIyfQ.",
)

# Ofcom's numbers reserved for TV and radio drama (national significant numbers, the first
# seven digits; each range is 1,000 numbers): Leeds, Sheffield, Nottingham, Leicester, Bristol,
# Reading, Birmingham, Edinburgh, Glasgow, Liverpool, Manchester, Tyneside, London, Belfast,
# Cardiff, no area, mobile, freephone, premium rate, UK-wide.
DRAMA_NUMBERS_GB = (
    "1134960", "1144960", "1154960", "1164960", "1174960", "1184960", "1214960", "1314960",
    "1414960", "1514960", "1614960", "1914980", "2079460", "2896496", "2920180", "1632960",
    "7700900", "8081570", "9098790", "3069990",
)  # fmt: skip

# ARCEP (France) reserves these ranges for films, series and books: national significant
# numbers, without the leading 0 (01 99 00 xx xx, 02 61 91, 03 53 01, 04 65 71, 05 36 49,
# 06 39 98).
FICTION_NUMBERS_FR = ("19900", "26191", "35301", "46571", "53649", "63998")

# PTS (Sweden) reserves numbers for fiction: mobile 070-174 06 05 to 070-174 06 99, and
# landlines in four cities (Stockholm 08-465 004 00..99, Gothenburg 031-390 06 00..99, Malmö
# 040-628 04 00..99, Kiruna 0980-319 200..299): national significant numbers' prefixes.
FICTION_NUMBERS_SE = (
    *(f"70174060{d}" for d in "56789"), *(f"7017406{d}" for d in "123456789"),
    "8465004", "3139006", "4062804", "9803192",
)  # fmt: skip

# ACMA (Australia) reserves numbers for drama and fiction: mobiles 0491 570 xxx to 0491 579
# xxx and landlines (02) 5550, (03) 7010, (07) 5550, (08) 5550: national significant numbers'
# prefixes.
FICTION_NUMBERS_AU = ("49157", "25550", "37010", "75550", "85550")

# Digits counted up or down ("1234567890", "0987 654 321") fill a form's field: nobody's number.
_COUNTED = ("01234567890123456789", "98765432109876543210")


def counted(digits: str) -> bool:
    """Whether ``digits`` are a run counted up or down (a sample, not a person's number)."""
    return any(digits in run for run in _COUNTED)


# A value typed along the keyboard's or the alphabet's order ("1234567890abcdef1234...",
# "abcdef123456"): filler in a code sample, not a random key. Each character follows the one
# before it in one of these orders far more often than one in twenty, as in a random token.
_ORDERS = ("0123456789abcdefghijklmnopqrstuvwxyz", "1234567890abcdefghijklmnopqrstuvwxyz")
_NEXT = frozenset((order[i], order[i + 1]) for order in _ORDERS for i in range(len(order) - 1))


def typed_in_order(value: str) -> bool:
    """Whether most of ``value``'s neighbouring characters follow each other in order."""
    low = value.lower()
    pairs = len(low) - 1
    return pairs >= 7 and sum((a, b) in _NEXT for a, b in itertools.pairwise(low)) >= 0.6 * pairs
