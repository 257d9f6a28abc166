"""Tables → normalised records, one module per document type (sp, pp, fr)."""
