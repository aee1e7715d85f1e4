"""`plansite edit`: Decap CMS's local backend over a site folder (localapi.py), the one shape the
editor reads and writes (shape.py), and the server on 127.0.0.1 that serves the editor, the
backend and the live preview (server.py)."""
