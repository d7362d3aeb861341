"""What a site offers a crawler that knows nothing of it: sitemaps, feeds, listings and
the shapes of its article URLs, read from its pages (issue 19)."""
