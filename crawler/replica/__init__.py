"""Offline replica of the Hải Dương Tỉnh ủy site: HTML renderers and the fixture builder."""
