"""Why an attribution set a source aside: the words of ``also_in``'s ``set_aside_by``.

Where several sources hold a passage, :mod:`lineage.align.attribution` gives it to one and lists the others
as ``also_in``, each with the rule that set it aside (one key per rule of that module's docstring, in its
order).  Here are the keys and what each says of the source set aside, shown translated by the CLI and the
pages; ``date`` and ``coherence`` are tie-breaks, not evidence about the passage.
"""

from __future__ import annotations

from lineage.i18n import N_

SET_ASIDE_WORDS = {
    "later": N_("dated after the target"),  # 0
    "weaker": N_("holds it less closely"),  # 1
    "edition": N_("another edition of the same document, not the one in force for the target"),  # 1
    "named": N_("the passage names the chosen document's place"),  # 2
    "copy": N_("a copy of the chosen document's text"),  # 3
    "nearer_copy": N_("the chosen document is its copy, which the target follows"),  # 3
    "held": N_("holds the passage around it with words changed or missing"),  # 4
    "context": N_("explains a shorter passage around it"),  # 5
    "level": N_("the chosen document is of the nearest government above the target's"),  # 6
    "exactness": N_("holds less of the passage around it in the target's words"),  # 7
    "repeated": N_("the target's first use of this sentence went to the chosen document"),  # 7b
    "date": N_("dated after the chosen document"),  # 8
    "named_copy": N_("its text names the chosen document's place (a copy of it)"),  # 9
    # 10: no rule tells them apart; the rank only says which explains more of the target
    "coherence": N_("held alike: nothing tells them apart"),
}
SET_ASIDE = tuple(SET_ASIDE_WORDS)
