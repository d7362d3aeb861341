"""Synthetic sites in the shapes of the common Vietnamese CMS families.

Each module holds one family's URL scheme, routing and page templates, modelled on the
real templates of fixtures/pages; `FAMILIES` names them. `replica` (the Hải Dương
SharePoint scheme of the parent package) is the default family and is not listed here.
"""

from crawler.replica.synthetic.families.base import Family
from crawler.replica.synthetic.families.dnn9 import Dnn9
from crawler.replica.synthetic.families.dotnetnuke import DotNetNuke
from crawler.replica.synthetic.families.joomla import Joomla
from crawler.replica.synthetic.families.nukeviet import NukeViet
from crawler.replica.synthetic.families.sharepoint import SharePoint
from crawler.replica.synthetic.families.site import FamilySite
from crawler.replica.synthetic.families.table3cms import Table3cms
from crawler.replica.synthetic.families.wordpress import WordPress

FAMILIES: dict[str, type[Family]] = {
    f.name: f for f in (DotNetNuke, Dnn9, SharePoint, Joomla, WordPress, NukeViet, Table3cms)
}

__all__ = ["FAMILIES", "Family", "FamilySite"]
