"""Names the command line offers before the services load: the purposes a family may
consent to and the export formats. Nothing here imports the database layer, so building
``vfa``'s parser (and so opening the window) does not wait for it."""

from __future__ import annotations

# what a family may agree their film is used for (AVIGuk asks for supervision and
# training separately)
PURPOSES: dict[str, str] = {
    "feedback": "feedback to the family",
    "supervision": "supervision",
    "training": "training",
    "research": "research",
    # a still kept in the practitioner's own case notes
    "notes": "the practitioner's own notes",
}

# how many days ahead ``vfa consent due`` looks for consent that ends, unless told
DUE_DAYS = 30

# the export formats VFA writes itself, and the registry's formats behind the others
OWN_FORMATS = ("csv", "json")
WRITER_FORMATS = {"eaf": "eaf", "boris": "boris", "sdis": "sdis", "srt": "srt"}
FORMATS = (*OWN_FORMATS, *WRITER_FORMATS)
