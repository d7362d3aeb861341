"""`tinhuy browse`'s Datasette plugins that live in code (crawler/browse/plugins/ holds
the others): reading.py and csv_cells.py are plugin files that browse hands to Datasette;
facets.py and words.py are what the plugins import."""
