"""Text helpers below every analysis floor: the 1:1 normalization map, numerals, clauses,
phrase search, word alternations and span filtering. Pure functions; no data files."""
