"""``import sco_data``: the functions (``functions``) return typed records (``objects``) read
from the built database (``reader``), which is built into a user cache on first use (``cache``).
``sco_data/__init__.py`` imports each public name from here when it is first used.
"""
