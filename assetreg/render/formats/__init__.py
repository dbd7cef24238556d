"""One module per document format; each has `write(document, **options) -> Iterable[bytes]`."""
