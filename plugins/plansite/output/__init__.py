"""The output side: the build context (site), every page and feed builder (build, pages, feeds,
search), what outputs read (deps, incremental) and the engine that makes them. No MkDocs import."""
