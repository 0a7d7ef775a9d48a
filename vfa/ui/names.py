"""Names the lower layers give what the window shows (the ratings statistics, a ratings
table's total and pooled rows), marked here for translation: the layers below the window
import no Qt, so lupdate finds their names in this list, and ``shown_name`` translates
them. tests/ui/test_translations.py fails when the registry has a name this list lacks."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:
    """Mark a text for lupdate, which reads this call by its name, and give it back as it
    is (Qt's own is typed to give an object); it is translated where it is shown."""
    return text


MARKED = (
    # vfa/domain/rating_statistics.py: each statistic's title, then its column label
    QT_TRANSLATE_NOOP("Names", "Exact agreement"),
    QT_TRANSLATE_NOOP("Names", "Exact"),
    QT_TRANSLATE_NOOP("Names", "Within-one agreement"),
    QT_TRANSLATE_NOOP("Names", "Cohen's kappa (unweighted)"),
    QT_TRANSLATE_NOOP("Names", "Weighted kappa, linear weights"),
    QT_TRANSLATE_NOOP("Names", "κ linear"),
    QT_TRANSLATE_NOOP("Names", "Weighted kappa, quadratic weights"),
    QT_TRANSLATE_NOOP("Names", "κ quadratic"),
    QT_TRANSLATE_NOOP("Names", "Fleiss' kappa"),
    QT_TRANSLATE_NOOP("Names", "Fleiss κ"),
    QT_TRANSLATE_NOOP("Names", "Krippendorff's alpha (nominal)"),
    QT_TRANSLATE_NOOP("Names", "α nominal"),
    QT_TRANSLATE_NOOP("Names", "Krippendorff's alpha (ordinal)"),
    QT_TRANSLATE_NOOP("Names", "α ordinal"),
    QT_TRANSLATE_NOOP("Names", "Krippendorff's alpha (interval)"),
    QT_TRANSLATE_NOOP("Names", "α interval"),
    QT_TRANSLATE_NOOP("Names", "Pearson r against the reference"),
    QT_TRANSLATE_NOOP("Names", "r vs reference"),
    # vfa/domain/ratings_agreement.py: TOTAL and POOLED
    QT_TRANSLATE_NOOP("Names", "(total)"),
    QT_TRANSLATE_NOOP("Names", "(pooled)"),
)
# names that read the same in every language: symbols and the ICC's own notation
AS_IS = frozenset({"±1", "κ", "ICC(1,1)", "ICC(2,1)", "ICC(3,1)"})


def shown_name(name: str) -> str:
    """A name from the lower layers in the user's language (as it is when not marked)."""
    return QCoreApplication.translate("Names", name)
