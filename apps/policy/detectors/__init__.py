"""One module per kind of evidence; each returns Hits with offsets into the original text."""
