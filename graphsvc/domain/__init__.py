"""Domain models, enums and validation rules: pure, no I/O."""
