"""The province portal: one thin site over many district sites.

    districts.yml ─> read_districts ─> District (id, name, where its plans.json is, its site)
    each district's data/plans.json ─> read_district (checked, last good copy kept) ─> DistrictData
    every DistrictData ─> portal_pages ─> {path: text} (Markdown pages, the school finder's data)

A district's own site is unchanged: its plans.json (output/feeds/json_export.py) is the contract.
Nothing here runs MkDocs: `plansite portal` (adapters/portal.py) writes these pages and builds them.
"""

from .districts import District, DistrictData, PortalError, read_district, read_districts
from .pages import portal_pages

__all__ = ["District", "DistrictData", "PortalError", "read_district", "read_districts", "portal_pages"]
