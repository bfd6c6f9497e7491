"""Pages for people: the query editor, and the entity pages linked data serves to browsers.

``routes`` holds the blueprint; ``entity_view`` gathers what an entity page shows from the
graph, ``network_drawing`` lays out its neighbourhood, ``terms`` turns RDF terms into labels
and links.
"""

from server.pages.routes import bp, render_entity_page

__all__ = ["bp", "render_entity_page"]
