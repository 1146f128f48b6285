"""Every user-facing string is in the catalogue and translated to Traditional Chinese."""

import re
import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
PLACEHOLDER = re.compile(r"%\(\w+\)s|%%")


def test_catalogue_covers_every_string_in_the_code(tmp_path):
    template = tmp_path / "messages.pot"
    subprocess.run(
        [sys.executable, "-m", "babel.messages.frontend", "extract", "-F", "babel.cfg",
         "-k", "_l", "-k", "lazy_gettext", "--no-location", "-o", str(template), "."],
        cwd=ROOT, check=True, capture_output=True,
    )
    extracted = {m.id if isinstance(m.id, str) else m.id[0]
                 for m in read_po(template.open("rb")) if m.id}
    catalogue = read_po(
        (ROOT / "tcloud/translations/zh_Hant_TW/LC_MESSAGES/messages.po").open("rb"))
    missing = []
    for msgid in sorted(extracted):
        message = catalogue.get(msgid)
        strings = message.string if message else None
        strings = strings if isinstance(strings, tuple) else (strings,)
        if not message or not all(strings) or message.fuzzy:
            missing.append(msgid)
    assert missing == [], "run `make extract-messages` and translate: " + repr(missing[:10])


def test_translations_keep_their_placeholders():
    catalogue = read_po(
        (ROOT / "tcloud/translations/zh_Hant_TW/LC_MESSAGES/messages.po").open("rb"))
    for message in catalogue:
        if not message.id:
            continue
        source = message.id[-1] if isinstance(message.id, tuple) else message.id
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for text in strings:
            assert set(PLACEHOLDER.findall(source)) == set(PLACEHOLDER.findall(text)), source
