"""What exists and what may be listed, called and read: one inventory, one set of filters."""

from zoom_mcp.inventory.filters import Selection
from zoom_mcp.inventory.inventories import Inventories
from zoom_mcp.inventory.inventory import Inventory, ToolsetInfo
from zoom_mcp.inventory.items import Item
from zoom_mcp.inventory.sessions import EnabledToolsets

__all__ = ["EnabledToolsets", "Inventories", "Inventory", "Item", "Selection", "ToolsetInfo"]
