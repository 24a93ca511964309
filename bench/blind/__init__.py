"""A blind trace benchmark: targets, siblings and a scorer written without reading lineage's generator.

**What it is.**  ``gen.py`` takes a pool (a ``bench/generate.py trace`` dataset: ``docs/``, ``gold.json``,
``clean.db``) and writes one trace target: a city or county plan (its own gazetteer of 10 provinces)
localized from a provincial plan of the pool, with runs of paragraphs from 1-4 other pool documents, edited
sentence by sentence (identical, localized, synonyms, numbers, clauses inserted or deleted, split, merged,
partial, short sentences losing or gaining a tail, headings renumbered, paragraphs moved, width changes,
novel sentences and paragraphs), and K siblings per source (other jurisdictions' versions of it,
``siblings/``).  Its gold (``gold.json``, absolute paths) gives every target sentence's span, relation and
source node and span, and flags the sentences whose text the pool does not hold uniquely
(``gen_unique``).  ``pool.py`` loads the pool; ``score.py`` scores a trace's matches against the gold
(recall by sentence, precision by character; see its docstring).  ``bench/bench_blind.py`` runs it all
(a clean and a crowded database, traced with the library) and prints one JSON row per run.

**How it was written.**  A colleague wrote it in one session without reading ``bench/derive.py``,
``textops.py``, ``kind_trace.py``, ``synth.py`` or ``lineage/align``: only the pool's gold format and
``lineage trace --json``'s output.  It found a real bug (``bench/results/trace_independent_generator.json``).
Its worth is that independence: keep its edits and its own text handling (``pool.norm``, its sentence
splitter, its localization table) as they are, and do not borrow from lineage's generator or aligner.
It imports nothing from ``lineage``; only the driver does.

**Known flaws.**  Three were fixed here; ``--as-written`` (``generate(..., as_written=True)``) keeps them
and writes the original's bytes.  The fixes keep the original's random draws (a fixed text comes from a
stream of its own), so a seed gives the original's target and siblings but for the fixed spots:

(a) the siblings' novel sentences came from the target's phrase bank, so siblings held the target's "novel"
    phrases (年底前完成阶段性评估…) and the trace credited them, which the scorer counts wrong; the siblings
    now draw from a bank of their own (``SIBLING_BANK``: no word in common with ``TARGET_BANK``);
(b) table cells holding a number (``1.8``) looked like an outline label (``1.``) and were "renumbered"
    (``1.8`` -> ``2.8``), gold sentences nothing can match; such paragraphs are now left out of the target;
(c) a short sentence "gaining a trailing clause" got a novel clause cut at 10 characters, mid-word; it now
    gets a whole clause of at most 12 characters (``Gen.short_clause``).

Left as they are: sentences are split after ``。！？；`` only; a split or partial sentence's source span is
mapped by counting commas and given up when the counts differ; the localization table is small (省级 ->
市级 but not 省属, 省域), and the province's short name is replaced everywhere (浙江 inside 浙江大学); the
ambiguity flags come from exact normalized containment, so a near copy in an unrelated pool document is
not flagged (the scorer's ``*_noamb`` then also checks the trace's pick); the target's size is bounded by
the primary plan (it stops at 9,000-18,000 characters or when the plan runs out); the generator is slow
on big pools (a minute for 1,000 documents: ``str.find`` for every n-gram check).

**Run.**  From the repository root::

    python -m bench.blind.gen 7001 POOL OUT --siblings 10     # one target and its gold
    python -m bench.blind.score OUT                            # score OUT/trace_<which>.json
    python bench/bench_blind.py --pool POOL --seeds 7001,7002 --siblings 10 --json rows.json

where ``POOL`` is made by ``bench/bench_trace.py`` (``prepare``; e.g. ``--sizes 1000 --seeds 502`` leaves
``trace1000-seed502/``) or ``bench/generate.py trace`` followed by ingesting ``docs/`` into ``clean.db``.
The output is the same for a given seed and pool.
"""
