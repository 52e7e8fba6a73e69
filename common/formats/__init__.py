"""Per-language date and number formats where Django's own differ from local usage
(FORMAT_MODULE_PATH); a language without a module here keeps Django's formats."""
