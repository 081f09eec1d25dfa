"""sco_data: a cited dataset of the SCO summit in Astana (3–4 July 2024).

Every record points to the article and line that states it. ``import sco_data`` stays light:
the build, the schema and Datasette are loaded only by the functions that need them.
"""

__version__ = "0.1.0"
