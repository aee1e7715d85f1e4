"""The web editor at /admin/ (Decap CMS, vendored in decap/): its config.yml generated from the
data model (cmsconfig.py) and its files as a build's outputs (files.py). `plansite edit` serves the
same files with a local backend (adapters/editor/)."""
