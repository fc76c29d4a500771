"""What the user reads: a document as Markdown, comparisons, tables of rows in every export
format, charts. Pure functions of analysed documents and query results."""
