"""Datasette plugins of `tinhuy browse` that live in code (crawler/browse/plugins/ holds
the others): each module is a plugin file that browse hands to Datasette."""
