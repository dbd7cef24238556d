"""Rich renderables and exporters. Takes plain data from `core`; never reads the registry."""
